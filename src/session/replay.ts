// A scenario driven headless: boot the session it describes, run it under
// its ScenarioRun (timeline, breakpoints, limit) logging every event, and
// check its expectations at the end.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ElfError, parseElf } from '../emu/index.js';
import { ScenarioError, type Scenario } from './scenario.js';
import { ScenarioRun } from './scenario-run.js';
import { Session } from './session.js';
import type { LogLine } from './timeline.js';

/** Builds the session a scenario describes; throws ScenarioError for an unreadable image. */
export function sessionFromScenario(sc: Scenario, opts: { checkpointEvery?: number } = {}): Session {
  const envs = sc.environments.map((e) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(e.imagePath));
    } catch (err) {
      throw scenarioError(e.source, `environments: cannot read image ${e.imagePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      return { name: e.name, image: parseElf(bytes, e.imagePath), args: e.args, start: e.start, slices: e.slices };
    } catch (err) {
      if (err instanceof ElfError) throw scenarioError(e.source, `environments: ${err.message}`);
      throw err;
    }
  });
  const m = sc.machine;
  return new Session({ ramSize: m.ramMiB << 20, cpuHz: m.cpuHz, seed: m.seed, tickHz: m.tickHz, sliceTicks: m.sliceTicks, envs, checkpointEvery: opts.checkpointEvery ?? 0, scenarioFile: resolve(sc.file) });
}

function scenarioError(loc: { file: string; line: number; column: number }, message: string): ScenarioError {
  return new ScenarioError([{ file: loc.file, line: loc.line, column: loc.column, path: '', message }]);
}

/** The outcome of a replay. */
export interface ReplayResult {
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly cycles: number;
  readonly instructions: number;
  readonly end: string;
}

/** Options of `replay`. */
export interface ReplayOptions {
  /** Stop at this cycle (before `run.until`). */
  until?: number;
  /** Receives every log line in order. */
  onLine?: (line: LogLine) => void;
  /** Called now and then with the fraction done (for a progress bar). */
  onProgress?: (fraction: number) => void;
}

/** Cycles run between checks of progress and the end. */
const SLICE = 5_000_000;

/** Runs `sc` headless to its end and checks its expectations. */
export function replay(sc: Scenario, opts: ReplayOptions = {}): ReplayResult {
  const s = sessionFromScenario(sc);
  const out = opts.onLine ?? (() => {});
  const run = new ScenarioRun(s, sc, { onLine: out, until: opts.until });
  let end = 'idle';
  for (;;) {
    run.fire();
    if (s.kernel.now() >= run.limit) { end = `cycle ${run.limit}`; break; }
    const stop = s.run(Math.max(1, Math.min(run.limit, s.kernel.now() + SLICE) - s.kernel.now()));
    if (stop.reason === 'breakpoint') out({ kind: 'note', cycle: stop.cycle, instret: stop.instret, text: `breakpoint: ${stop.detail}` });
    if (stop.reason === 'idle' && !run.waitsOnTime()) { end = 'idle'; break; }
    opts.onProgress?.(s.kernel.now() / run.limit);
  }
  const failures = [...run.failures];
  if (end !== 'idle' && sc.run.until === 'idle' && opts.until === undefined) {
    failures.push(`the run did not end (no environment left runnable) within max-cycles ${sc.run.maxCycles}`);
  }
  failures.push(...run.finish());
  run.dispose();
  return { ok: failures.length === 0, failures, cycles: s.kernel.now(), instructions: s.kernel.cpu.instret, end };
}
