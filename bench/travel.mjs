// Time travel: what stepping back costs at points of a long run, and what
// checkpoints and the event history hold per million cycles
// (docs/architecture.md, "Time travel"). Measured in one run, nothing
// asserted; the run with checkpoints is timed against the same run without.
//
//   node bench/travel.mjs [scenario.yaml] [cycles]
// With `cycles` the scenario runs that long (its own limit lifted), and the
// run without checkpoints is skipped (the long run measures memory).

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, ScenarioRun, sessionFromScenario } = await import(join(root, 'dist/session/index.js'));

const file = join(root, 'scenarios', process.argv[2] ?? 'attacker.yaml');
const long = process.argv[3] ? Number(process.argv[3]) : undefined;
const loaded = loadScenario(file);
const sc = { ...loaded, expect: [], ...(long ? { run: { ...loaded.run, until: long, maxCycles: long } } : {}) };
const EVERY = 250_000;
const MiB = 2 ** 20;

function runToEnd(every) {
  const s = sessionFromScenario(sc, { checkpointEvery: every });
  const run = new ScenarioRun(s, sc);
  const t0 = process.hrtime.bigint();
  let report = long ? long / 10 : Infinity;
  for (;;) {
    run.fire();
    if (s.kernel.now() >= run.limit) break;
    const st = s.run(Math.min(run.limit - s.kernel.now(), 5_000_000));
    if (st.reason === 'idle') {
      const at = run.nextCycleTrigger();
      if (at === Infinity) break;
      s.idleUntil(Math.min(run.limit, at));
    }
    if (s.kernel.now() >= report) {
      console.log(`  ... cycle ${s.kernel.now()}: ${s.history.length} events, ${s.checkpointCycles().length} checkpoints, ${(s.travelMemory / MiB).toFixed(1)} MiB for travel`);
      report += long / 10;
    }
  }
  return { s, run, sec: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const ms = (f) => { const t0 = process.hrtime.bigint(); const r = f(); return { ms: Number(process.hrtime.bigint() - t0) / 1e6, r }; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const plain = long ? undefined : runToEnd(0);
const { s, sec } = runToEnd(EVERY);
const cycles = s.kernel.now();
const mc = cycles / 1e6;
console.log(`time travel on ${sc.name}: ${cycles} cycles, ${s.history.length} events, ${(sc.machine.ramMiB)} MiB of RAM`);
if (plain) console.log(`  run with checkpoints every 250,000 cycles near now: ${sec.toFixed(2)} s, without: ${plain.sec.toFixed(2)} s (overhead ${((sec / plain.sec - 1) * 100).toFixed(0)}%)`);
else console.log(`  run with checkpoints: ${sec.toFixed(1)} s`);
const fixed = 2 * sc.machine.ramMiB * MiB;
console.log(`  checkpoints held: ${s.checkpointCycles().length}; memory for checkpoints and history: ${(s.travelMemory / MiB).toFixed(1)} MiB (of which ${(fixed / MiB).toFixed(0)} MiB the boot and base RAM copies), ${((s.travelMemory - fixed) / mc / MiB).toFixed(2)} MiB per million cycles besides them`);
console.log(`  history alone: ${(s.history.bytes / MiB).toFixed(1)} MiB, ${(s.history.bytes / s.history.length).toFixed(0)} bytes an event; process heap ${(process.memoryUsage().heapUsed / MiB).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB`);
for (const at of [cycles, Math.floor(cycles / 2), Math.floor(cycles / 10)]) {
  const far = ms(() => s.travelNow({ cycle: at }, 'there'));
  const steps = Array.from({ length: 7 }, () => ms(() => s.stepBack(1)).ms);
  console.log(`  at cycle ${s.kernel.now()}: getting there ${far.ms.toFixed(0)} ms; one instruction back, median of 7: ${median(steps).toFixed(1)} ms (min ${Math.min(...steps).toFixed(1)}, max ${Math.max(...steps).toFixed(1)})`);
}
