// A scenario opened for a front end: its session, its ScenarioRun (playing
// the timeline interactively) and a LiveDebugger over both. The TUI and the
// recorder get the debugger and never the session.

import { CHECKPOINT_EVERY } from './checkpoint-every.js';
import type { HistoryOptions } from './history.js';
import { LiveDebugger, type Debugger, type DebuggerOptions } from './debugger.js';
import { openMonoDebugger } from './mono-run.js';
import { monoOnly, sessionFromScenario } from './replay.js';
import { ScenarioRun } from './scenario-run.js';
import type { Scenario } from '../scenario/index.js';
import { SavedSessionError, type SavedSession } from './saved.js';

/** What openScenarioDebugger returns. */
export interface OpenedScenario {
  readonly driver: LiveDebugger;
  readonly run: ScenarioRun;
  /** The machine's cycle counter now. */
  readonly cycles: () => number;
}

/**
 * Boots the session `sc` describes (with checkpoints, for time travel),
 * attaches its ScenarioRun and returns a debugger that plays its
 * timeline; with `saved` (readSaved), at the saved point; with `live`
 * (the TUI at a terminal), to the scenario's `run.live` limit; `historyLimits`
 * bound the event history (history.ts). Throws ScenarioError for an unreadable
 * image. Breakpoints whose symbol is unknown are in `run.failures`.
 */
export function openScenarioDebugger(sc: Scenario, opts: Omit<DebuggerOptions, 'scenario'>, saved?: SavedSession, live = false, historyLimits?: HistoryOptions): OpenedScenario {
  if (sc.mono) throw monoOnly(sc, 'This front end (tui --gdb)');
  const session = sessionFromScenario(sc, { checkpointEvery: CHECKPOINT_EVERY, historyLimits });
  const run = new ScenarioRun(session, sc, { interactive: true, live });
  if (saved) {
    // Re-run deterministically to the saved point, the user's actions carried out at theirs.
    session.loadInterventions(saved.interventions);
    for (const b of saved.breakpoints) if (typeof session.resolveBreakpoint(b) !== 'string') session.addBreakpoint(b);
    const r = session.travelNow({ cycle: saved.cycle }, `loaded at cycle ${saved.cycle}`);
    if (typeof r === 'string') throw new SavedSessionError(`Cannot reopen the saved session at cycle ${saved.cycle}: ${r}`);
    run.held();
  }
  const driver = new LiveDebugger(session, { ...opts, scenario: run });
  return { driver, run, cycles: () => session.kernel.now() };
}

/** A scenario opened for the recorder, whatever its kernel: the debugger it plays through, and what the run found. */
export interface Playable {
  /** The debugger; `waiting` while a front-end step holds the run, `settled` when none does. */
  readonly driver: Debugger & { readonly waiting: boolean; settled(): Promise<void> };
  /** The cycle at which the run ends (Infinity when it ends only at idle or the halt). */
  readonly limit: number;
  /** Breakpoints whose symbol is unknown. */
  readonly failures: readonly string[];
  /** The timeline's steps that never fired, as "file:line". */
  unfired(): string[];
  /** The machine's cycle counter now (the first machine's). */
  readonly cycles: () => number;
  dispose(): void;
}

/**
 * Opens `sc` for the recorder: an exokernel scenario as
 * openScenarioDebugger does (its timeline played, keys and pauses to
 * `opts.frontEnd`), a `kernel: monolithic` one under a MonoDebugger (no
 * timeline: nothing goes to the front end). Throws ScenarioError as they do.
 */
export function openPlayable(sc: Scenario, opts: Omit<DebuggerOptions, 'scenario'>): Playable {
  if (sc.mono) {
    const { driver, cycles } = openMonoDebugger(sc, { now: opts.now, cpuNow: opts.cpuNow, chunk: opts.chunk, sliceMs: opts.sliceMs, publishHz: opts.publishHz, events: opts.events, schedule: opts.schedule, delay: opts.delay, travelSlice: opts.travelSlice });
    const m = sc.mono;
    return { driver, limit: typeof m.until === 'number' ? m.until : sc.run.maxCycles, failures: [], unfired: () => [], cycles, dispose: () => driver.dispose() };
  }
  const { driver, run, cycles } = openScenarioDebugger(sc, opts);
  return { driver, limit: run.limit, failures: run.failures, unfired: () => run.unfired(), cycles, dispose: () => { run.dispose(); driver.dispose(); } };
}
