// What the TUI and the recorder hold of a debugging session: the Debugger
// interface, the state it publishes, what its commands say, and the options
// a LiveDebugger (debugger.ts) is made with. The machine never leaves the
// session layer; readers see only DebuggerState.

import type { ElfSymbol } from '../emu/index.js';
import type { ResolvedBreakpoint } from '../scenario/index.js';
import type { KernelEvent } from '../exokernel/index.js';
import type { Command } from './command.js';
import type { ScenarioView } from './expect.js';
import type { LogSource } from './log-window.js';
import type { MemoryRequest } from './memory-window.js';
import type { ScenarioRun } from './scenario-run.js';
import type { Stop } from './session.js';
import type { Snapshot } from './snapshot.js';

/** Why the machine is where it is, for the status line. */
export interface RunStatus {
  readonly reason: Stop['reason'] | 'running';
  readonly detail: string;
}

/** What readers see. A new object on every publish. */
export interface DebuggerState {
  readonly snapshot: Snapshot;
  /** The snapshot published before this one (for "changed" highlights). */
  readonly previous: Snapshot | undefined;
  readonly running: boolean;
  readonly status: RunStatus;
  readonly breakpoints: readonly (readonly [number, ResolvedBreakpoint])[];
  /** Another debugger sharing the machine, for the status line ("gdb attached", say). */
  readonly attached?: string;
  /** True while a time travel or reverse search runs in slices: Esc and Ctrl-C cancel it (pause). */
  readonly travelling?: boolean;
  /** How fast a run goes, for the status line ("max", "1/30 (833 kHz)"; pace.ts); empty for a debugger without a pace (the monolithic kernel's). */
  readonly pace: string;
  /** The scenario being played and each expectation's verdict so far, when there is one. */
  readonly scenario?: ScenarioView;
}

/** Another controller of the session (gdb's stub): while it is attached, it runs and steps the machine. */
export interface ExternalControl {
  /** What it is called in messages ("gdb"). */
  readonly name: string;
  /** Whether it is running the machine now. */
  readonly running: boolean;
  /** Stops its run (the stop reaches it, and this debugger through externalRan). */
  interrupt(): void;
  /**
   * This debugger moved the machine: it started a run or a step in
   * slices (no argument), or it stopped, or did at once (`stop`; the
   * session's lastStop says more).
   */
  frontEndRan?(stop?: Pick<Stop, 'reason' | 'detail'>): void;
}

/** What a command said: a message, maybe an error, maybe a popup; undefined when there is nothing to say. */
export type Said = { readonly text?: string; readonly error?: boolean; readonly popup?: { readonly title: string; readonly lines: readonly string[] } } | undefined;

/** The debugger as a front end sees it: state, subscription, run control and commands. */
export interface Debugger {
  /** The current state; the same object until the next publish (for useSyncExternalStore). */
  getState(): DebuggerState;
  /** Calls `fn` after every publish; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
  /**
   * Calls `fn` with the keys of each timeline `key` step (unless a FrontEnd
   * types them itself, as the recorder does); returns the unsubscribe function.
   */
  onKeys(fn: (keys: string) => void): () => void;
  /** Whether the machine is running (or stepping in slices). */
  readonly running: boolean;
  /** Runs until a breakpoint, idle or pause. */
  run(): Said;
  /** Steps `n` instructions. */
  step(n: number): Said;
  /** Plays the scenario's timeline steps due at the start; call once the front end listens (onKeys). */
  begin(): void;
  /**
   * Stops sliced work; `detail` says why on the status line. A reverse
   * search is cancelled: the machine goes back to where it started (in
   * slices; pausing that leaves it where the return got to).
   */
  pause(detail?: string): Said;
  /** Carries out any command (run control in slices, the rest at once). */
  execute(c: Command): Said;
  /** Stops any sliced work and forgets the listeners. */
  dispose(): void;
  /**
   * From now on each snapshot carries the memory window `req` asks for
   * (Snapshot.memory), or none (undefined: the memory pane is not shown);
   * publishes one at once when the machine is stopped.
   */
  showMemory(req: MemoryRequest | undefined): void;
  /**
   * The events of the whole history that pass `match` (all when
   * undefined), by rank (log-window.ts); `key` names the filter, so the
   * same filter is not scanned again. A debugger without a history store
   * has none (its front end shows the snapshot's events).
   */
  log?(key: string, match: ((e: KernelEvent) => boolean) | undefined): LogSource;
  /** The names of environment `env`'s symbols (every environment's when undefined; the kernel's on the monolithic kernel), sorted: for completion. */
  symbolNames?(env?: string): readonly string[];
}

/** The names in `symbols` that name code or data (not sections, files or local labels), sorted, each once. */
export function namesOf(symbols: Iterable<readonly ElfSymbol[]>): readonly string[] {
  const out = new Set<string>();
  for (const list of symbols) for (const x of list) if (x.name && (x.type === 'func' || x.type === 'object' || x.type === 'notype') && !x.name.startsWith('$') && !x.name.startsWith('.')) out.add(x.name);
  return [...out].sort();
}

/** What carries out the timeline steps that need a screen; the run goes on when the returned promise settles. */
export interface FrontEnd {
  key?(keys: string, source: string): void | Promise<void>;
  pause?(ms: number): void | Promise<void>;
}

export interface DebuggerOptions {
  /** The host clock in milliseconds (the TUI passes performance.now; the recorder its virtual clock). */
  readonly now: () => number;
  /**
   * The host's CPU time used by this process, in milliseconds (default:
   * `now`). What drawing a frame cost is measured with it, so that on a
   * machine shared with other work the frames still take their share of
   * the CPU this process gets, not of the wall clock (the TUI passes
   * process.cpuUsage).
   */
  readonly cpuNow?: () => number;
  /** Cycles per `session.run` call (default 100,000: debugger.ts, RUN_CHUNK). */
  readonly chunk?: number;
  /** Host milliseconds of emulation before yielding to the event loop, so keys are read (default 10). */
  readonly sliceMs?: number;
  /** Snapshots a second while running, at most (default 15); at least MIN_FPS whatever a frame costs (run-loop.ts). */
  readonly publishHz?: number;
  /** The pace a run starts at, an index into PACES (default MAX_PACE: flat out). */
  readonly pace?: number;
  /** Runs `fn` after `ms` host milliseconds; returns what cancels it (default setTimeout). Paced runs wait with it. */
  readonly delay?: (fn: () => void, ms: number) => () => void;
  /** Cycles a time travel replays between looks at the host (default 500,000). */
  readonly travelSlice?: number;
  /** Recent events each snapshot carries (default 1000). */
  readonly events?: number;
  /**
   * Runs `fn` soon, after pending keys and output; returns what cancels it
   * (default setImmediate). The recorder passes its own, to run each slice
   * when its virtual clock says so.
   */
  readonly schedule?: (fn: () => void) => () => void;
  /** The scenario whose timeline this debugger plays (built with `interactive`). */
  readonly scenario?: ScenarioRun;
  /** Carries out pauses (and keys, besides telling onKeys listeners). */
  readonly frontEnd?: FrontEnd;
}
