// A scenario opened for a front end: its session, its ScenarioRun (playing
// the timeline interactively) and a LiveDebugger over both. The TUI and the
// recorder get the debugger and never the session.

import { LiveDebugger, type DebuggerOptions } from './debugger.js';
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
 * (the TUI at a terminal), to the scenario's `run.live` limit. Throws ScenarioError for an unreadable
 * image. Breakpoints whose symbol is unknown are in `run.failures`.
 */
export function openScenarioDebugger(sc: Scenario, opts: Omit<DebuggerOptions, 'scenario'>, saved?: SavedSession, live = false): OpenedScenario {
  if (sc.mono) throw monoOnly(sc, 'This front end (record, tui --load)');
  const session = sessionFromScenario(sc, { checkpointEvery: 250_000 });
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
