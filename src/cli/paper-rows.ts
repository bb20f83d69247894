// The rows of `exoscope bench --paper` are scenario files, scenarios/paper:
// each one's environments run the benchmark on the exokernel with ExOS, its
// `paper:` section names the environment that brackets the timed loop, the
// iterations, what the window holds, the paper's figures, and the same
// program's run on the monolithic kernel (src/bench-common built for both).
// A student can replay or step through any row like any scenario; the
// bench reads the same files (docs/scenarios.md, "paper").

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, type Scenario } from '../session/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the rows are. */
export const PAPER_DIR = join(ROOT, 'scenarios', 'paper');

/** The rows in the table's order: the paper's IPC table, Appel and Li's primitives, dispatch, UDP (one machine against the peer host; then two machines). */
export const PAPER_FILES = [
  'pipe', 'pipe-inline', 'shm', 'lrpc',
  'vm-dirty', 'vm-prot1', 'vm-prot100', 'vm-unprot100', 'vm-trap', 'vm-appel1', 'vm-appel2',
  'exception-dispatch', 'udp-peer',
  'udp-two-machines', 'udp-ash-two-machines',
] as const;

/** The monolithic kernel's side of a row: the program mono.elf runs (argv after the kernel's name), or why there is none. */
export type MonoSide = NonNullable<Scenario['paper']>['monolithic'];

/** One measured operation: its scenario, and the scenario's `paper:` section. */
export interface Row {
  readonly file: string;
  readonly scenario: Scenario;
  readonly operation: string;
  /** The environment whose null calls bracket the timed loop. */
  readonly measured: string;
  readonly iterations: number;
  /** The paper's figures (microseconds; undefined where the paper has none). */
  readonly exos?: number;
  readonly ultrix?: number;
  /** Exactly what the window holds, for the table's notes and the JSON. */
  readonly window: string;
  /** A second window (marks 3 and 4) of the same loop without the operation, subtracted. */
  readonly baseline: boolean;
  readonly mono: MonoSide;
  /** The measured environment's image file, and every image the row needs. */
  readonly image: string;
  readonly images: readonly string[];
}

/** The row a scenario file describes; throws ScenarioError for a broken file or one without `paper:`. */
export function loadRow(file: string): Row {
  const sc = loadScenario(file);
  const p = sc.paper;
  if (!p) throw new Error(`${file}: not a bench --paper row (no paper: section)`);
  const envs = sc.machines.flatMap((m) => m.environments);
  const measured = envs.find((e) => e.name === p.measured)!;
  return {
    file, scenario: sc, operation: p.operation, measured: p.measured, iterations: p.iterations, exos: p.exos, ultrix: p.ultrix,
    window: p.window, baseline: p.baseline, mono: p.monolithic,
    image: measured.imagePath, images: envs.map((e) => e.imagePath),
  };
}

/** Every row whose file exists, in the table's order. */
export function paperRows(): Row[] {
  return PAPER_FILES.map((f) => join(PAPER_DIR, `${f}.yaml`)).filter((f) => existsSync(f)).map(loadRow);
}
