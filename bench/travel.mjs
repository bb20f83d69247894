// Time travel: what stepping back costs at points of a long run, and what
// checkpoints and the event history hold per million cycles
// (docs/architecture.md, "Time travel"). Measured in one run, nothing
// asserted; the run with checkpoints is timed against the same run without.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, ScenarioRun, sessionFromScenario } = await import(join(root, 'dist/session/index.js'));

const file = join(root, 'scenarios', process.argv[2] ?? 'attacker.yaml');
const sc = { ...loadScenario(file), expect: [] };

function runToEnd(every) {
  const s = sessionFromScenario(sc, { checkpointEvery: every });
  const run = new ScenarioRun(s, sc);
  const t0 = process.hrtime.bigint();
  for (;;) {
    run.fire();
    if (s.kernel.now() >= run.limit) break;
    const st = s.run(Math.min(run.limit - s.kernel.now(), 5_000_000));
    if (st.reason === 'idle' && run.nextCycleTrigger() === Infinity) break;
  }
  return { s, run, sec: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const ms = (f) => { const t0 = process.hrtime.bigint(); const r = f(); return { ms: Number(process.hrtime.bigint() - t0) / 1e6, r }; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const plain = runToEnd(0);
const { s, sec } = runToEnd(250_000);
const cycles = s.kernel.now();
const mc = cycles / 1e6;
console.log(`time travel on ${sc.name}: ${cycles} cycles, ${s.history.length} events`);
console.log(`  run with checkpoints every 250,000 cycles near now: ${sec.toFixed(2)} s, without: ${plain.sec.toFixed(2)} s (overhead ${((sec / plain.sec - 1) * 100).toFixed(0)}%)`);
console.log(`  checkpoints held: ${s.checkpointCycles().length}; memory for checkpoints and history: ${(s.travelMemory / 2 ** 20).toFixed(1)} MiB, ${(s.travelMemory / mc / 2 ** 20).toFixed(2)} MiB per million cycles`);
console.log(`  history alone: ${(s.history.bytes / s.history.length).toFixed(0)} bytes an event`);
for (const at of [cycles, Math.floor(cycles / 2), Math.floor(cycles / 10)]) {
  const far = ms(() => s.travelNow({ cycle: at }, 'there'));
  const steps = Array.from({ length: 5 }, () => ms(() => s.stepBack(1)).ms);
  console.log(`  at cycle ${s.kernel.now()}: getting there ${far.ms.toFixed(0)} ms; one instruction back, median of 5: ${median(steps).toFixed(1)} ms (max ${Math.max(...steps).toFixed(1)})`);
}
