// A scenario opened for a front end: its session, its ScenarioRun (playing
// the timeline interactively) and a LiveDebugger over both. The TUI and the
// recorder get the debugger and never the session.

import { LiveDebugger, type DebuggerOptions } from './debugger.js';
import { sessionFromScenario } from './replay.js';
import { ScenarioRun } from './scenario-run.js';
import type { Scenario } from './scenario.js';

/** What openScenarioDebugger returns. */
export interface OpenedScenario {
  readonly driver: LiveDebugger;
  readonly run: ScenarioRun;
  /** The machine's cycle counter now. */
  readonly cycles: () => number;
}

/**
 * Boots the session `sc` describes (with checkpoints every 2,000,000
 * cycles, for stepping back), attaches its ScenarioRun and returns a
 * debugger that plays its timeline. Throws ScenarioError for an unreadable
 * image. Breakpoints whose symbol is unknown are in `run.failures`.
 */
export function openScenarioDebugger(sc: Scenario, opts: Omit<DebuggerOptions, 'scenario'>): OpenedScenario {
  const session = sessionFromScenario(sc, { checkpointEvery: 2_000_000 });
  const run = new ScenarioRun(session, sc, { interactive: true });
  const driver = new LiveDebugger(session, { ...opts, scenario: run });
  return { driver, run, cycles: () => session.kernel.now() };
}
