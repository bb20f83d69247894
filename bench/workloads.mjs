// The exokernel workloads from boot (the target: at least 200 MIPS
// headless), two ways, and what the TUI's checkpoints cost. Each scenario
// runs from boot to a cycle count (default 100M, or its end; a scenario's
// own `run.until` is passed over, as the TUI passes it over, so both ways
// run the same instructions), in slices of a million cycles:
// - headless: the session `exoscope replay` builds (replay.ts: no event
//   history, no checkpoints), the timeline and the expectations live and
//   the invariant checked after every kernel entry where the scenario
//   expects it, as replay has them;
// - as the TUI runs it: the session the TUI opens (the event history kept,
//   checkpoints every CHECKPOINT_EVERY cycles, the session's default);
// - checkpoints: what they cost, in ms of main-thread CPU per million
//   emulated cycles: the TUI's run less the same run without checkpoints;
// - replay: `exoscope replay --quiet --stats` itself (the bundled script
//   with its code cache), to the scenario's own end (living's is 37
//   million instructions, not 100M cycles), the run alone as the command
//   times it.
// Each run is a fresh Node process with the CLI's flags (dist/cli/main.js's
// first line), as a replay or the TUI starts: V8 warms up in each, as it
// does there. Emulated MIPS per second of wall time and per second of the main
// thread's CPU time where Linux reports it (/proc/thread-self/schedstat:
// what a loaded machine inflates least; V8's compiler thread is not in it).
// The checkpoints' cost is a difference of two runs ('< noise' when the run
// without them took the more CPU): on a loaded machine
// it varies (ROUNDS=n runs each of the three n times and prints medians).
// The TUI's walker fixture is in bench/tui.mjs. Nothing is asserted.
// node bench/workloads.mjs [million cycles, default 100] [scenario ...]

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliNodeFlags } from '../scripts/compiled-replay.mjs';
import { envRounds, median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, sessionFromScenario, ScenarioRun, CHECKPOINT_EVERY } = await import(join(root, 'dist/session/index.js'));

const args = process.argv[2] === '--one' ? process.argv.slice(3) : process.argv.slice(2);
const cycles = Number(args[0] ?? 100) * 1e6;
const names = args.length > 1 ? args.slice(1) : ['living', 'slices', 'scavenger', 'echo'];
/** The TUI's checkpoint spacing (the session's default). */
const TUI_EVERY = CHECKPOINT_EVERY;

/** This thread's CPU seconds (nanoseconds on the CPU, from the scheduler), or NaN off Linux. */
function threadSeconds() {
  try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9; } catch { return NaN; }
}

/** Times `fn` (which returns the instructions it ran): wall and main-thread seconds. */
function timed(fn) {
  const m0 = threadSeconds(), t0 = performance.now();
  const n = fn();
  return { n, wall: (performance.now() - t0) / 1000, main: threadSeconds() - m0 };
}

/**
 * Scenario `name` from boot to `cycles` (or its end) in a session with an
 * event history or not and checkpoints every `every` cycles (0: none):
 * the instructions, wall and main-thread seconds of the whole run, and of
 * its second half (`warm`: from the first slice end at or past half of
 * its instructions to its end).
 */
function run(name, history, every) {
  const sc = loadScenario(join(root, 'scenarios', `${name}.yaml`));
  const s = sessionFromScenario(sc, { history, checkpointEvery: every });
  new ScenarioRun(s, sc, { interactive: false, live: true });
  const marks = [];
  const r = timed(() => {
    while (s.kernel.cpu.cycles < cycles) {
      const before = s.kernel.cpu.cycles;
      const stop = s.run(1_000_000).reason === 'end' || s.kernel.cpu.cycles === before;
      marks.push({ n: s.kernel.cpu.instret, t: performance.now(), m: threadSeconds() });
      if (stop) break;
    }
    return s.kernel.cpu.instret;
  });
  const end = marks[marks.length - 1], half = marks.find((x) => x.n >= r.n / 2) ?? end;
  const warm = { n: end.n - half.n, wall: (end.t - half.t) / 1000, main: end.m - half.m };
  return { ...r, cycles: s.kernel.cpu.cycles, warm };
}

// A child: one run, its numbers as JSON on stdout.
if (process.argv[2] === '--one') {
  const [name, history, every] = process.argv.slice(4);
  console.log(JSON.stringify(run(name, history === '1', Number(every))));
  process.exit(0);
}

// The command as the bin runs it: node with the flags of dist/cli/main.js's first line.
const binFlags = cliNodeFlags(root);

/** ROUNDS=n: each run n times, the medians printed. */
const rounds = envRounds(1);

/** `exoscope replay --quiet --stats` of `name` in a fresh process: its instructions and run MIPS (with ROUNDS, the median MIPS). */
function cli(name) {
  const rs = Array.from({ length: rounds }, () => {
    const r = spawnSync(process.execPath, [...binFlags, join(root, 'dist/cli/main.js'), 'replay', '--quiet', '--stats', join(root, 'scenarios', `${name}.yaml`)], { encoding: 'utf8' });
    const n = Number(/^instructions (\d+)$/m.exec(r.stderr)?.[1]), mips = Number(/^MIPS ([\d.]+)$/m.exec(r.stderr)?.[1]);
    if (r.status !== 0 || !(mips > 0)) throw new Error(`bench/workloads.mjs: exoscope replay ${name}: ${r.stderr}`);
    return { n, mips };
  });
  return { n: rs[0].n, mips: median(rs.map((r) => r.mips)) };
}

/** One run in a fresh process (see run); with ROUNDS, the median wall and main-thread times of that many. */
function child(name, history, every) {
  const rs = Array.from({ length: rounds }, () => {
    const r = spawnSync(process.execPath, [...binFlags, fileURLToPath(import.meta.url), '--one', String(cycles / 1e6), name, history ? '1' : '0', String(every)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench/workloads.mjs ${name}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  });
  const warm = { n: rs[0].warm.n, wall: median(rs.map((r) => r.warm.wall)), main: median(rs.map((r) => r.warm.main)) };
  return { ...rs[0], wall: median(rs.map((r) => r.wall)), main: median(rs.map((r) => r.main)), warm };
}

/** MIPS of `r` over `t` seconds; "-" when too short a stretch to time (a clock that did not move). */
const mips = (r, t) => (t > 0 ? (r.n / t / 1e6).toFixed(1) : '-');
console.log(`exokernel workloads from boot, up to ${cycles / 1e6}M cycles, each run a fresh \`node ${binFlags.join(' ')}\`${rounds > 1 ? ` (medians of ${rounds})` : ''}; MIPS per wall second / per main-thread CPU second`);
console.log('  headless: the session `exoscope replay` runs (no history, no checkpoints; target >= 200 MIPS), the whole run from boot (V8 compiling');
console.log('    the emulator, the kernel and the guest\'s blocks as it goes) and its second half of instructions (the code warm: the machine\'s speed)');
console.log(`  TUI: as the TUI runs (history, checkpoints every ${TUI_EVERY.toLocaleString('en')} cycles); checkpoints: their cost, ms of main-thread CPU per million cycles`);
console.log('  replay: `exoscope replay --quiet --stats` to the scenario\'s own end, the run as the command times it (wall)');
console.log('scenario      instructions   headless wall   main   2nd half wall   main      TUI wall   main   checkpoints ms/Mcycle   replay: instructions    MIPS');
for (const name of names) {
  const h = child(name, false, 0);
  const plain = child(name, true, 0);
  const t = child(name, true, TUI_EVERY);
  const cost = ((t.main - plain.main) * 1000) / (t.cycles / 1e6);
  const c = cli(name);
  console.log(`${name.padEnd(12)} ${String(h.n).padStart(13)} ${mips(h, h.wall).padStart(15)} ${mips(h, h.main).padStart(6)} ${mips(h.warm, h.warm.wall).padStart(15)} ${mips(h.warm, h.warm.main).padStart(6)} ${mips(t, t.wall).padStart(10)} ${mips(t, t.main).padStart(6)} ${(cost >= 0 ? cost.toFixed(2) : '< noise').padStart(23)} ${String(c.n).padStart(22)} ${c.mips.toFixed(1).padStart(7)}`);
}
