// `exoscope record <scenario> -o demo.cast`: the scenario played through
// the TUI on a virtual terminal and written as an asciicast v2 in virtual
// time (docs/recording.md). Exit 0 when the cast is written, 2 for bad
// input (nothing is written), 130 when interrupted (nothing is written).

import { RecordError, ScenarioError } from '../session/index.js';
import { recordScenario } from '../tui/index.js';
import { openScenario } from './open.js';
import { CliError } from './run.js';

/** Options of `recordCommand`. */
export interface RecordCliOptions {
  readonly output: string;
  readonly cols: number;
  readonly rows: number;
  readonly cyclesPerSecond?: number;
  readonly stderr: (text: string) => void;
}

/** Records `file` to `o.output`; returns the exit status. SIGINT and SIGTERM stop it and leave no file. */
export async function recordCommand(file: string, o: RecordCliOptions): Promise<number> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  // `on`, not `once`: Ink's signal-exit re-raises a signal that finds no
  // listener but its own, which would end the process before the cast is
  // cleaned up.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const sc = openScenario(file);
    const r = await recordScenario(sc, o.output, { cols: o.cols, rows: o.rows, cyclesPerSecond: o.cyclesPerSecond, signal: ac.signal });
    for (const f of r.failures) o.stderr(`warning: ${f}\n`);
    for (const at of r.unfired) o.stderr(`warning: the step at ${at} never fired (the machine stopped before its trigger)\n`);
    o.stderr(`${o.output}: ${(r.us / 1e6).toFixed(1)} s, ${r.cycles} cycles, ended ${r.end}\n`);
    return 0;
  } catch (e) {
    if (ac.signal.aborted) { o.stderr(`exoscope: recording interrupted; ${o.output} not written\n`); return 130; }
    if (e instanceof CliError) { o.stderr(`${e.message}\n`); return e.status; }
    if (e instanceof ScenarioError || e instanceof RecordError) { o.stderr(`${e.message}\n`); return 2; }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
