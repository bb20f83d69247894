// Time travel: what stepping back costs at points of a long run, and what
// checkpoints and the event history hold per million cycles
// (docs/architecture.md, "Time travel"). Measured in one run, nothing
// asserted; the run with checkpoints is timed against the same run without.
//
//   node bench/travel.mjs [scenario.yaml] [cycles[,cycles...]]
// With `cycles` the scenario runs that long (its own limit lifted), and the
// run without checkpoints is skipped (the long run measures memory). With
// several marks (e.g. 1e8,1e9) one run goes on from mark to mark and is
// measured at each: one instruction back just after the run was stopped
// there (cold: the run goes on a seeded 50,000 to 500,000 cycles first,
// as a person pauses at any moment) and again and again from where it
// landed (warm), median and p90 of each; memory for checkpoints and history.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, ScenarioRun, sessionFromScenario, CHECKPOINT_EVERY } = await import(join(root, 'dist/session/index.js'));

const file = join(root, 'scenarios', process.argv[2] ?? 'attacker.yaml');
const marks = process.argv[3] ? process.argv[3].split(',').map(Number) : undefined;
const long = marks ? Math.max(...marks) : undefined;
const loaded = loadScenario(file);
// The limit leaves room for the cold samples after the last mark.
const sc = { ...loaded, expect: [], ...(long ? { run: { ...loaded.run, until: long + 10_000_000, maxCycles: long + 10_000_000 } } : {}) };
const EVERY = CHECKPOINT_EVERY;
const MiB = 2 ** 20;
const SAMPLES = 11;

// Wall time, and this process's CPU time (user + system): on a shared machine the wall time includes waiting for a core.
const ms = (f) => { const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint(); const r = f(); const c = process.cpuUsage(c0); return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (c.user + c.system) / 1e3, r }; };
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const p90 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)];
const stats = (xs) => `median ${median(xs).toFixed(1)} ms, p90 ${p90(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, ${xs.length} samples)`;

/** A session over the scenario and a function that runs it on to a cycle (false at its end). */
function open(every) {
  const s = sessionFromScenario(sc, { checkpointEvery: every });
  const run = new ScenarioRun(s, sc);
  const to = (cycle) => {
    const end = Math.min(cycle, run.limit);
    while (s.kernel.now() < end) {
      run.fire();
      const st = s.run(Math.min(end - s.kernel.now(), 5_000_000));
      if (st.reason === 'idle') {
        const at = run.nextCycleTrigger();
        if (at === Infinity) return false;
        s.idleUntil(Math.min(end, at));
      }
    }
    return s.kernel.now() < run.limit;
  };
  return { s, to };
}

function runToEnd(every) {
  const o = open(every);
  const t0 = process.hrtime.bigint();
  o.to(Infinity);
  return { ...o, sec: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** Memory for travel at this point, and per million cycles (the boot and base RAM images, which hold the pages ever written, included). */
function memory(s) {
  const mc = s.kernel.now() / 1e6;
  const mu = process.memoryUsage();
  return `${s.checkpointCycles().length} checkpoints; memory for checkpoints and history ${(s.travelMemory / MiB).toFixed(1)} MiB (of which ${(s.history.bytes / MiB).toFixed(1)} MiB the history of ${s.history.length} events at ${(s.history.bytes / Math.max(1, s.history.length)).toFixed(1)} bytes each), ${(s.travelMemory / mc / MiB).toFixed(3)} MiB per million cycles; process heap ${(mu.heapUsed / MiB).toFixed(0)} MiB, rss ${(mu.rss / MiB).toFixed(0)} MiB`;
}

/** One instruction back, cold (after the run went on a seeded stretch) and warm (again from where it landed). */
function stepBacks(s, to) {
  let seed = 12345;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const cold = [], warm = [];
  for (let i = 0; i < SAMPLES; i++) {
    to(s.kernel.now() + 50_000 + Math.floor(next() * 450_000));
    cold.push(ms(() => s.stepBack(1)));
    warm.push(ms(() => s.stepBack(1)));
  }
  return { cold, warm };
}

/** Wall and CPU statistics of timed samples. */
const both = (xs) => `${stats(xs.map((x) => x.ms))}; CPU time median ${median(xs.map((x) => x.cpu)).toFixed(1)} ms, p90 ${p90(xs.map((x) => x.cpu)).toFixed(1)} ms`;

if (marks) {
  const { s, to } = open(EVERY);
  const t0 = process.hrtime.bigint();
  console.log(`time travel on ${sc.name}, ${sc.machine.ramMiB} MiB of RAM, marks ${marks.join(', ')}`);
  let report = long / 10;
  for (const mark of marks) {
    while (s.kernel.now() < mark) {
      const going = to(Math.min(mark, report));
      if (s.kernel.now() >= report) {
        console.log(`  ... cycle ${s.kernel.now()} (${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(0)} s): ${s.history.length} events, ${s.checkpointCycles().length} checkpoints, ${(s.travelMemory / MiB).toFixed(1)} MiB for travel, heap ${(process.memoryUsage().heapUsed / MiB).toFixed(0)} MiB`);
        report += long / 10;
      }
      if (!going) break;
    }
    console.log(`at the end of a ${mark.toExponential(0)}-cycle run (cycle ${s.kernel.now()}): ${memory(s)}`);
    const { cold, warm } = stepBacks(s, to);
    console.log(`  one instruction back just after stopping: ${both(cold)}`);
    console.log(`  one instruction back again from there: ${both(warm)}`);
  }
  const cycles = s.kernel.now();
  for (const at of [Math.floor(cycles / 2), Math.floor(cycles / 10)]) {
    const far = ms(() => s.travelNow({ cycle: at }, 'there'));
    const steps = Array.from({ length: SAMPLES }, () => ms(() => s.stepBack(1)));
    console.log(`  at cycle ${s.kernel.now()}: getting there ${far.ms.toFixed(0)} ms; one instruction back: ${both(steps)}`);
  }
} else {
  const plain = runToEnd(0);
  const { s, sec } = runToEnd(EVERY);
  const cycles = s.kernel.now();
  console.log(`time travel on ${sc.name}: ${cycles} cycles, ${s.history.length} events, ${(sc.machine.ramMiB)} MiB of RAM`);
  console.log(`  run with checkpoints every ${EVERY.toLocaleString('en')} cycles near now: ${sec.toFixed(2)} s, without: ${plain.sec.toFixed(2)} s (${sec >= plain.sec ? `overhead ${((sec / plain.sec - 1) * 100).toFixed(0)}%` : 'the overhead below the noise: the run without them took the longer'})`);
  console.log(`  ${memory(s)}`);
  for (const at of [cycles, Math.floor(cycles / 2), Math.floor(cycles / 10)]) {
    const far = ms(() => s.travelNow({ cycle: at }, 'there'));
    const steps = Array.from({ length: SAMPLES }, () => ms(() => s.stepBack(1)));
    console.log(`  at cycle ${s.kernel.now()}: getting there ${far.ms.toFixed(0)} ms; one instruction back: ${both(steps)}`);
  }
}
