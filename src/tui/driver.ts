// The driver owns the machine side of the TUI: it runs the session in
// slices (a bounded number of cycles, then setImmediate, so keys are read
// between slices), and publishes snapshots to React at most `publishHz`
// times a second while running, and less often when drawing them would
// take more than UI_SHARE of the time; on a stop, at once. React only
// reads `getState()`; the machine state never enters React.

import { takeSnapshot, type Breakpoint, type Session, type Snapshot, type Stop } from '../session/index.js';
import type { PacketSpec } from '../session/index.js';
import type { AddrSpec, BreakSpec, LineCommand, RevokeWhat } from './commandline.js';
import { hex, num } from './format.js';
import { excName } from './names.js';
import { tlbDumpLines } from './selectors/tlb.js';

/** Why the machine is where it is, for the status line. */
export interface RunStatus {
  readonly reason: Stop['reason'] | 'running';
  readonly detail: string;
}

/** What React sees. A new object on every publish. */
export interface DriverState {
  readonly snapshot: Snapshot;
  /** The snapshot published before this one (for "changed" highlights). */
  readonly previous: Snapshot | undefined;
  readonly running: boolean;
  readonly status: RunStatus;
  readonly breakpoints: readonly (readonly [number, Breakpoint])[];
  /** A debugger (gdb) sharing the session, for the status line: "gdb attached", say. */
  readonly debugger?: string;
}

/** Another controller of the session (the gdb stub): while it is attached, it runs and steps the machine. */
export interface ExternalControl {
  readonly running: boolean;
  /** Stops its run (the stop reaches it, and the TUI through `debuggerRan`). */
  interrupt(): void;
}

/** The result of a command: a message, maybe an error, maybe a popup to show. */
export type Outcome = { readonly text?: string; readonly error?: boolean; readonly popup?: { readonly title: string; readonly lines: readonly string[] } } | undefined;

export interface DriverOptions {
  /** Cycles per `session.run` call (default 20,000). */
  readonly chunk?: number;
  /** Host milliseconds of emulation before yielding to the event loop (default 25). */
  readonly sliceMs?: number;
  /** Snapshots a second while running (default 15). */
  readonly publishHz?: number;
  /** Recent events each snapshot carries (default 1000). */
  readonly events?: number;
  /** The host clock in milliseconds (default performance.now). */
  readonly now?: () => number;
  /**
   * Runs `fn` soon, after pending keys and output; returns what cancels it
   * (default setImmediate). The recorder passes its own, to run each slice
   * when its virtual clock says so.
   */
  readonly schedule?: (fn: () => void) => () => void;
}

/** setImmediate as a DriverOptions.schedule. */
function immediately(fn: () => void): () => void {
  const t = setImmediate(fn);
  return () => clearImmediate(t);
}

/**
 * While running, the share of host time that publishing (snapshot, React,
 * Ink) may take, as measured: a frame that costs 12 ms is published at
 * most every 100 ms. The garbage a frame leaves costs the emulator a few
 * percent more, so it keeps about 80-85% of its headless speed on a big
 * terminal, where a frame costs most (bench/tui.mjs).
 */
const UI_SHARE = 0.12;

/** Steps of at most this many instructions are done at once; longer ones in slices. */
const STEP_SLICE = 20_000;
const CALL = /^(jal|jalr|bal|bgezal|bltzal)\b/;

/** Runs a session for the TUI; see the file comment. */
export class Driver {
  private state: DriverState;
  private readonly listeners = new Set<() => void>();
  private work: (() => Stop | undefined) | undefined;
  private cancelTick: (() => void) | undefined;
  private continuing = false;
  private lastPublish = -Infinity;
  /**
   * Host milliseconds a publish takes, smoothed: the gap between a slice
   * that published and the next slice, since React and Ink draw after the
   * slice returns (microtasks and timers), not inside publish().
   */
  private publishCost = 0;
  private sliceEnd = 0;
  private measuring = false;
  private stepOverBp: { id: number; addr: number } | undefined;
  private external: ExternalControl | undefined;
  private readonly chunk: number;
  private readonly sliceMs: number;
  private readonly publishMs: number;
  private readonly events: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void) => () => void;

  /** A driver over `session`, stopped, with a first snapshot taken. */
  constructor(readonly session: Session, opts: DriverOptions = {}) {
    this.chunk = opts.chunk ?? 20_000;
    this.sliceMs = opts.sliceMs ?? 25;
    this.publishMs = 1000 / (opts.publishHz ?? 15);
    this.events = opts.events ?? 1000;
    this.now = opts.now ?? (() => performance.now());
    this.schedule = opts.schedule ?? immediately;
    const stop = session.lastStop;
    this.state = { snapshot: this.snap(), previous: undefined, running: false, status: { reason: stop.reason, detail: stop.detail }, breakpoints: session.listBreakpoints() };
  }

  /** The current state; the same object until the next publish (for useSyncExternalStore). */
  getState = (): DriverState => this.state;

  /** Calls `fn` after every publish; returns the unsubscribe function. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private snap(): Snapshot {
    return takeSnapshot(this.session, { events: this.events });
  }

  /** Takes a snapshot and tells the listeners; `status`/`running` change the status line. */
  private publish(patch: Partial<Pick<DriverState, 'status' | 'running' | 'debugger'>> = {}, snapshot = this.snap()): void {
    this.lastPublish = this.now();
    this.state = { ...this.state, ...patch, previous: this.state.snapshot, snapshot, breakpoints: this.session.listBreakpoints() };
    for (const fn of this.listeners) fn();
  }

  /** Starts sliced work; `work` returns a Stop when done. */
  private start(work: () => Stop | undefined, detail: string): void {
    this.work = work;
    this.continuing = false;
    this.publish({ running: true, status: { reason: 'running', detail } });
    this.cancelTick = this.schedule(this.tick);
  }

  private tick = (): void => {
    this.cancelTick = undefined;
    if (!this.work) return;
    const t0 = this.now();
    if (this.measuring) {
      const cost = t0 - this.sliceEnd;
      this.publishCost = this.publishCost ? 0.75 * this.publishCost + 0.25 * cost : cost;
      this.measuring = false;
    }
    let stop: Stop | undefined;
    do stop = this.work(); while (!stop && this.now() - t0 < this.sliceMs);
    if (stop) return this.finish(stop);
    if (this.now() - this.lastPublish >= Math.max(this.publishMs, this.publishCost / UI_SHARE)) {
      this.publish();
      this.measuring = true;
    }
    this.sliceEnd = this.now();
    this.cancelTick = this.schedule(this.tick);
  };

  /** Ends sliced work with `stop`. */
  private finish(stop: Pick<Stop, 'reason' | 'detail'>): void {
    this.work = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
    let status: RunStatus = { reason: stop.reason, detail: stop.detail };
    const over = this.stepOverBp;
    if (over) {
      this.session.removeBreakpoint(over.id);
      this.stepOverBp = undefined;
    }
    const snapshot = this.snap();
    if (over && stop.reason === 'breakpoint' && snapshot.cpu.pc === over.addr) status = { reason: 'step', detail: 'stepped over the call' };
    this.publish({ running: false, status }, snapshot);
  }

  /** Whether the machine is running (or stepping in slices). */
  get running(): boolean {
    return this.work !== undefined;
  }

  /** Shows a debugger on the status line (`label`; undefined when none); with `control` it runs the machine and the TUI only pauses it. */
  setDebugger(label: string | undefined, control?: ExternalControl): void {
    this.external = control;
    this.publish({ debugger: label });
  }

  /** The debugger started the machine, or stopped it (`stop` says why, as the session does). */
  debuggerRan(stop?: Pick<Stop, 'reason' | 'detail'>): void {
    this.publish(stop ? { running: false, status: { reason: stop.reason, detail: `${stop.detail} (gdb)` } } : { running: true, status: { reason: 'running', detail: 'gdb' } });
  }

  /** Why the machine is the debugger's to run now, if it is. */
  private externalOutcome(): Outcome {
    return this.external ? { text: 'gdb is attached: run and step from gdb (space interrupts it), or detach it', error: true } : undefined;
  }

  /** Runs until a breakpoint, idle or pause. */
  continue(): Outcome {
    if (this.external) return this.externalOutcome();
    if (this.running) return { text: 'Already running' };
    this.start(() => {
      const s = this.session.run(this.chunk, this.continuing);
      this.continuing = true;
      return s.reason === 'budget' ? undefined : s;
    }, 'continue');
    return undefined;
  }

  /** Stops sliced work at the end of the current slice; `detail` says why on the status line. */
  pause(detail = 'paused by you'): Outcome {
    if (this.external?.running) { this.external.interrupt(); return undefined; }
    if (!this.running) return { text: 'Not running' };
    this.finish({ reason: 'paused', detail });
    return undefined;
  }

  /** Publishes a new snapshot, after the session was changed from outside (a scenario's kill or console input). */
  refresh(): void {
    this.publish();
  }

  /** Steps `n` instructions: at once when few, else in slices (pausable). */
  step(n: number): Outcome {
    if (this.external) return this.externalOutcome();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    if (n <= STEP_SLICE) {
      const s = this.session.step(n);
      this.publish({ status: { reason: s.reason, detail: s.detail } });
      return undefined;
    }
    let left = n;
    this.start(() => {
      const before = this.session.lastStop.instret;
      const s = this.session.step(Math.min(left, STEP_SLICE));
      left -= s.instret - before;
      if (s.reason !== 'step') return s;
      return left <= 0 ? { ...s, detail: `stepped ${n}` } : undefined;
    }, `stepping ${n}`);
    return undefined;
  }

  /** Steps over a call (runs to the instruction after its delay slot, in slices), else steps one. */
  stepOver(): Outcome {
    if (this.external) return this.externalOutcome();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    const snap = this.state.snapshot;
    const line = snap.code.find((l) => l.current);
    if (!line || !CALL.test(line.text)) return this.step(1);
    const env = snap.envs.find((e) => e.current)?.name;
    const addr = (snap.cpu.pc + 8) >>> 0;
    this.stepOverBp = { id: this.session.addBreakpoint({ kind: 'pc', addr, env }), addr };
    return this.continue();
  }

  /** Steps back `n` instructions (restores a checkpoint and replays; may take a second). */
  stepBack(n: number): Outcome {
    if (this.external) return this.externalOutcome();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    const s = this.session.stepBack(n);
    if (!s) return { text: `Cannot step back ${n}: no checkpoint is that early`, error: true };
    this.publish({ status: { reason: s.reason, detail: s.detail } });
    return undefined;
  }

  /** Adds a breakpoint, resolving a symbol in `env` (or any image). */
  addBreak(spec: BreakSpec, env?: string): Outcome {
    if (env !== undefined && !this.session.envIds.has(env)) return { text: `No environment ${env}`, error: true };
    let bp: Breakpoint;
    if (spec.kind === 'pc') {
      const addr = this.resolve(spec.at, env);
      if (addr === undefined) return { text: `No symbol ${spec.at.kind === 'symbol' ? spec.at.name : ''}${env ? ` in ${env}` : ''}`, error: true };
      bp = { kind: 'pc', addr, env };
    } else bp = spec.kind === 'exception' ? { kind: 'exception', code: spec.code, env } : { kind: 'event', event: spec.event, env };
    const id = this.session.addBreakpoint(bp);
    this.publish();
    return { text: `Breakpoint ${id}: ${describeBreakpoint(bp, this.symbolAt(bp))}` };
  }

  /** Adds an exception or event breakpoint for every environment, or removes the one there is. */
  toggle(spec: BreakSpec): Outcome {
    const same = this.session.listBreakpoints().find(([, b]) => b.env === undefined && sameSpec(b, spec));
    if (!same) return this.addBreak(spec);
    this.session.removeBreakpoint(same[0]);
    this.publish();
    return { text: `Breakpoint ${same[0]} removed` };
  }

  /** Removes breakpoint `id`, or all of them. */
  deleteBreak(id: number | 'all'): Outcome {
    const ids = id === 'all' ? this.session.listBreakpoints().map(([i]) => i) : [id];
    const gone = ids.filter((i) => this.session.removeBreakpoint(i));
    this.publish();
    return gone.length ? { text: `Removed ${gone.length === 1 ? `breakpoint ${gone[0]}` : `${gone.length} breakpoints`}` } : { text: `No breakpoint ${id}`, error: true };
  }

  private resolve(at: AddrSpec, env?: string): number | undefined {
    if (at.kind === 'addr') return at.addr;
    const base = this.session.symbolAddress(at.name, env);
    return base === undefined ? undefined : (base + at.offset) >>> 0;
  }

  /** The symbol a pc breakpoint's address is at, if one is exactly there. */
  private symbolAt(bp: Breakpoint): string | undefined {
    if (bp.kind !== 'pc') return undefined;
    for (const syms of this.session.symbols.values()) {
      const s = syms.find((x) => x.value >>> 0 === bp.addr && x.name);
      if (s) return s.name;
    }
    return undefined;
  }

  /** `n` words of `env`'s memory from `at`, four a line, as a popup. */
  examine(env: string, at: AddrSpec, n: number): Outcome {
    if (!this.session.envIds.has(env)) return { text: `No environment ${env}`, error: true };
    const base = this.resolve(at, env);
    if (base === undefined) return { text: `No symbol ${at.kind === 'symbol' ? at.name : ''} in ${env}`, error: true };
    const lines: string[] = [];
    for (let i = 0; i < n; i += 4) {
      const a = (base & ~3) + 4 * i;
      const words = Array.from({ length: Math.min(4, n - i) }, (_, j) => this.session.readWord(a + 4 * j, env));
      const text = words.map((w) => (w === undefined ? '--------' : hex(w))).join(' ');
      const ascii = words.map((w) => (w === undefined ? '....' : [0, 8, 16, 24].map((s) => { const c = (w >>> s) & 255; return c >= 32 && c < 127 ? String.fromCharCode(c) : '.'; }).join(''))).join('');
      lines.push(`${hex(a)}  ${text.padEnd(35)}  ${ascii}`);
    }
    return { popup: { title: `x ${env} ${hex(base)} ${n} (unmapped words show as --------)`, lines } };
  }

  /** Runs a command line's machine command. */
  execute(c: LineCommand): Outcome {
    switch (c.kind) {
      case 'step': return this.step(c.n);
      case 'stepBack': return this.stepBack(c.n);
      case 'continue': return this.continue();
      case 'pause': return this.pause();
      case 'break': return this.addBreak(c.spec, c.env);
      case 'delete': return this.deleteBreak(c.id);
      case 'breaks': return { popup: { title: 'Breakpoints (:delete <id> removes one)', lines: this.breakpointLines() } };
      case 'examine': return this.examine(c.env, c.at, c.n);
      case 'tlb': return { popup: { title: 'Hardware TLB (all 64 entries)', lines: tlbDumpLines(this.state.snapshot) } };
      case 'kill': return this.kill(c.env);
      case 'revoke': return this.revoke(c.env, c.what, c.count, c.window);
      case 'inject': return this.inject(c.packet, c.count);
      default: return { text: `Command ${c.kind} is the view's, not the machine's`, error: true };
    }
  }

  /** The breakpoints, one a line. */
  breakpointLines(): string[] {
    const bps = this.session.listBreakpoints();
    return bps.length ? bps.map(([id, b]) => `${String(id).padStart(3)}  ${describeBreakpoint(b, this.symbolAt(b))}`) : ['(none)'];
  }

  /** Kills environment `env`. */
  kill(env: string): Outcome {
    if (!this.session.kill(env)) return { text: `No live environment ${env}`, error: true };
    this.publish();
    return { text: `Killed ${env}` };
  }

  /**
   * Asks environment `env` to give back `count` frames or slices within
   * `window` cycles (the session's default when undefined): visible
   * revocation, then the abort protocol at the deadline. Works while
   * running too. The message says why when the kernel refuses.
   */
  revoke(env: string, what: RevokeWhat, count: number, window?: number): Outcome {
    const e = this.snap().envs.find((x) => x.name === env);
    if (!e || e.state === 'destroyed') return { text: `Cannot revoke from ${env}: no live environment has that name`, error: true };
    if (e.revoke) return { text: `Cannot revoke from ${env}: it has a revocation pending (${e.revoke.count} ${e.revoke.what} by cycle ${num(e.revoke.deadline)})`, error: true };
    if (!this.session.revoke(env, what, count, window)) return { text: `Cannot revoke from ${env}: the kernel refused`, error: true };
    this.publish();
    const r = this.state.snapshot.envs.find((x) => x.name === env)?.revoke;
    return { text: `Asked ${env} for ${count} ${what} back${r ? ` by cycle ${num(r.deadline)}` : ''}${this.running ? '' : ' (c runs on to see it answer)'}` };
  }

  /**
   * Puts `count` packets on the wire towards the machine, 100,000 cycles
   * apart, starting now (Session.inject). Works while running too.
   */
  inject(packet: PacketSpec, count: number): Outcome {
    let queued: number;
    try { queued = this.session.inject(packet, count); } catch (e) { return { text: `Cannot inject: ${(e as Error).message}`, error: true }; }
    if (!queued) return { text: 'Cannot inject a UDP datagram: the wire has no peer host', error: true };
    this.publish();
    const what = packet.kind === 'udp' ? `UDP datagram${count > 1 ? 's' : ''} to ${packet.to}:${packet.port} (${JSON.stringify(packet.payload)})` : `raw frame${count > 1 ? 's' : ''}`;
    return { text: `Injected ${count} ${what}${count > 1 ? ', 100,000 cycles apart' : ''}${this.running ? '' : ' (c runs on to see it arrive)'}` };
  }

  /** Stops any sliced work and forgets the listeners. */
  dispose(): void {
    this.work = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.listeners.clear();
  }
}

function sameSpec(b: Breakpoint, s: BreakSpec): boolean {
  return (b.kind === 'exception' && s.kind === 'exception' && b.code === s.code) || (b.kind === 'event' && s.kind === 'event' && b.event === s.event);
}

/** One breakpoint in words: "pc 0x00400098 <handler> in b", "exception TLBL", "event stlb-miss". */
export function describeBreakpoint(b: Breakpoint, symbol?: string): string {
  const where = b.env ? ` in ${b.env}` : '';
  if (b.kind === 'pc') return `pc 0x${hex(b.addr)}${symbol ? ` <${symbol}>` : ''}${where}`;
  if (b.kind === 'exception') return `exception ${excName(b.code)}${where}`;
  return `event ${b.event}${where}`;
}
