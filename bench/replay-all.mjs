// Replay wall time of every bundled scenario (the target: each under 0.5 s,
// Node start included): `exoscope replay` as a child process, timed whole,
// and the replay alone inside this process (cold, as a replay runs), with
// its emulated MIPS. Wall-clock numbers vary with the machine; nothing here
// is asserted, but each whole process is printed beside the 0.5 s target
// with its CPU time (user+sys of the child: what the machine's load does
// not inflate). Each child runs ROUNDS times (default 3) and the median of
// each is printed: the machine's load varies, and one run of the slowest,
// attacker.yaml, took 490 to 530 ms during a busy spell where its median
// is about 400. node bench/replay-all.mjs [scenario.yaml ...]

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliNodeFlags } from '../scripts/compiled-replay.mjs';
import { envRounds, median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, replay } = await import(join(root, 'dist/session/index.js'));

const dir = join(root, 'scenarios');
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

/** IN_PROCESS=1: no child processes (for profiling the replays alone). */
const inProcessOnly = process.env.IN_PROCESS === '1';
/** ROUNDS=n: each child process n times (default 3), the medians printed. */
const rounds = envRounds(3);
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const TARGET_MS = 500;
// The child reports its own CPU time (user+sys, Node start included) on stderr as it exits.
const REPORT = "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(2, `\\nexoscope-cpu-ms ${(u.user + u.system) / 1000}\\n`); });";
// The command as its bin runs it: node with the flags of dist/cli/main.js's first line.
const binFlags = cliNodeFlags(root);
const cpuOf = (stderr) => Number(/exoscope-cpu-ms ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
let worst = 0, over = 0;
console.log(`scenario                 instructions   replay ms   MIPS   whole process: wall ms  CPU ms  (Node start included; target ${TARGET_MS} ms wall)`);
for (const f of files) {
  const file = join(dir, f);
  const t0 = process.hrtime.bigint();
  const r = replay(loadScenario(file), {});
  const inProc = ms(t0);
  const walls = [], cpus = [];
  let child = { status: 0, stderr: '' };
  for (let i = 0; i < (inProcessOnly ? 0 : rounds); i++) {
    const t1 = process.hrtime.bigint();
    child = spawnSync(process.execPath, [...binFlags, '--import', `data:text/javascript,${encodeURIComponent(REPORT)}`, join(root, 'dist/cli/main.js'), 'replay', file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    walls.push(ms(t1));
    cpus.push(cpuOf(child.stderr));
  }
  const whole = inProcessOnly ? 0 : median(walls);
  worst = Math.max(worst, whole);
  if (whole > TARGET_MS) over++;
  const ok = child.status === 0 && r.failures.length === 0 ? '' : `  (exit ${child.status}, ${r.failures.length} failures)`;
  const mark = inProcessOnly ? '' : whole > TARGET_MS ? '  over' : '  ok';
  console.log(`${f.padEnd(24)} ${String(r.instructions).padStart(12)} ${inProc.toFixed(0).padStart(11)} ${(r.instructions / inProc / 1e3).toFixed(1).padStart(6)} ${whole.toFixed(0).padStart(17)} ${(inProcessOnly ? NaN : median(cpus)).toFixed(0).padStart(7)}${mark}${ok}`);
}
const t2 = process.hrtime.bigint();
const v = spawnSync(process.execPath, [...binFlags, '--import', `data:text/javascript,${encodeURIComponent(REPORT)}`, join(root, 'dist/cli/main.js'), '--version'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
console.log(`slowest whole process${rounds > 1 ? ` (medians of ${rounds})` : ''}: ${worst.toFixed(0)} ms wall; ${over} of ${files.length} over the ${TARGET_MS} ms target; the CLI starting alone (--version): ${ms(t2).toFixed(0)} ms wall, ${cpuOf(v.stderr).toFixed(0)} ms CPU`);
