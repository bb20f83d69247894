// The exokernel workloads headless (the target: at least 200 MIPS): bundled
// scenarios run as the TUI opens them (checkpoints every 250,000 cycles, the
// timeline live) from boot to a cycle count, and the TUI's walker fixture is
// in bench/tui.mjs. Emulated MIPS per second of wall time and per second of
// this process's CPU time (the second survives a loaded machine: the same
// instructions over the CPU they were given), and per second of the main
// thread's CPU time where Linux reports it (/proc/thread-self/schedstat: the
// process's time less V8's compiler threads, which run beside it on a
// machine with a core to spare). Nothing is asserted.
// node bench/workloads.mjs [million cycles, default 100] [scenario ...]
// (CHECKPOINTS=0: without checkpoints, as replay runs.)

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, sessionFromScenario, ScenarioRun } = await import(join(root, 'dist/session/index.js'));

const cycles = Number(process.argv[2] ?? 100) * 1e6;
const names = process.argv.length > 3 ? process.argv.slice(3) : ['living', 'slices', 'scavenger', 'echo'];
const every = Number(process.env.CHECKPOINTS ?? 250_000);
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
/** This thread's CPU seconds (nanoseconds on the CPU, from the scheduler), or NaN off Linux. */
function threadSeconds() {
  try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9; } catch { return NaN; }
}

/** Wall and CPU MIPS of scenario `name` from boot to `cycles` (or its end). */
function measure(name) {
  const sc = loadScenario(join(root, 'scenarios', `${name}.yaml`));
  const s = sessionFromScenario(sc, { checkpointEvery: every });
  new ScenarioRun(s, sc, { interactive: false, live: true });
  const c0 = cpuSeconds(), m0 = threadSeconds(), t0 = performance.now();
  while (s.kernel.cpu.cycles < cycles) {
    const before = s.kernel.cpu.cycles;
    if (s.run(1_000_000).reason === 'end' || s.kernel.cpu.cycles === before) break;
  }
  const wall = (performance.now() - t0) / 1000, cpu = cpuSeconds() - c0, main = threadSeconds() - m0, n = s.kernel.cpu.instret;
  return { n, wall: n / wall / 1e6, cpu: n / cpu / 1e6, main: n / main / 1e6 };
}

console.log(`exokernel workloads headless, checkpoints ${every ? `every ${every} cycles` : 'off'}, up to ${cycles / 1e6}M cycles`);
console.log('scenario        instructions   MIPS (wall)   MIPS (CPU time)   MIPS (main thread CPU)');
for (const name of names) {
  const r = measure(name);
  console.log(`${name.padEnd(14)} ${String(r.n).padStart(13)} ${r.wall.toFixed(1).padStart(12)} ${r.cpu.toFixed(1).padStart(16)} ${r.main.toFixed(1).padStart(23)}`);
}
