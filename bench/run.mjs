// npm run bench: a CPU-bound guest benchmark on exoscope (translated
// blocks, then the interpreter alone) and, when it is installed, on GXemul in
// the same run; prints the rates and their ratios. `npm run bench` runs it
// on both: cpubench.elf (loops over arrays: long blocks) and cpumix.elf
// (calls, returns, divisions, a jump table: short blocks and indirect
// jumps, where a block translator spends the most per instruction).
// Rates are emulated MIPS I instructions per host second; the instruction
// count is exoscope's (the same program runs on both).
//
// Wall-clock numbers vary with the machine; only their ratio, measured in
// one run, means something. The translator and GXemul run in turn, each in
// a fresh process, ROUNDS times (default 3), and the ratio printed is the
// median of each round's: a burst of load on a shared machine falls on one
// round, not on the comparison (one run of each, during a busy spell, once
// gave 2.24 where the next gave 3.41). Nothing here is asserted.
//   node bench/run.mjs [image, default cpubench.elf]
//   node bench/run.mjs ./path/to/yours.elf   (any bare-metal ELF that halts)

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envRounds, median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { Machine, parseElf } = await import(join(root, 'dist/emu/index.js'));

const imageName = process.argv[2] ?? 'cpubench.elf';
// A bundled image by name, or any bare-metal ELF by its path (one with a slash: your own benchmark).
const image = imageName.includes('/') ? resolve(imageName) : join(root, 'src/exos/images', imageName);
if (!existsSync(image)) {
  console.error(`bench: no image at ${image}`);
  process.exit(2);
}

function runExoscope(translate) {
  const elf = parseElf(new Uint8Array(readFileSync(image)), image);
  let out = '';
  const m = new Machine({ translate, onConsole: (b) => { out += Buffer.from(b).toString('latin1'); } });
  m.load(elf, [image]);
  const t0 = process.hrtime.bigint();
  const reason = m.run(Number.MAX_SAFE_INTEGER);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (reason !== 'halt') throw new Error(`benchmark did not halt: ${reason}`);
  return { seconds, instructions: m.cpu.instret, out };
}

function runGxemul() {
  const probe = spawnSync('sh', ['-c', 'command -v gxemul'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(join(root, 'scripts/gxemul-run.sh'), [image, '600'], { encoding: 'latin1', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, out: r.stdout };
}

const rate = (n, s) => (n / s / 1e6).toFixed(1);

// A child: one translated run, its time, count and output as JSON.
if (process.argv[3] === '--one') {
  const r = runExoscope(true);
  console.log(JSON.stringify(r));
  process.exit(0);
}

/** One translated run in a fresh process (as `exoscope run` starts). */
function runExoscopeFresh() {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), image, '--one'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/run.mjs: the translated run failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const rounds = envRounds(3);
const hasGxemul = spawnSync('sh', ['-c', 'command -v gxemul'], { encoding: 'utf8' }).status === 0;
const pairs = [];
for (let i = 0; i < rounds; i++) pairs.push({ ours: runExoscopeFresh(), gx: hasGxemul ? runGxemul() : undefined });
const ours = pairs[0].ours;
const oursSeconds = median(pairs.map((p) => p.ours.seconds));
console.log(`benchmark: ${image.replace(root + '/', '')}, ${ours.instructions} instructions`);
console.log(`exoscope: ${oursSeconds.toFixed(2)} s, ${rate(ours.instructions, oursSeconds)} MIPS (translated blocks; median of ${rounds} fresh processes: ${pairs.map((p) => rate(p.ours.instructions, p.ours.seconds)).join(', ')})`);
const interp = runExoscope(false);
const agree = pairs.every((p) => p.ours.out === interp.out && p.ours.instructions === interp.instructions) ? 'same output and count' : 'output or count DIFFERS';
console.log(`interpreter: ${interp.seconds.toFixed(2)} s, ${rate(interp.instructions, interp.seconds)} MIPS (${agree})`);
console.log(`ratio translator/interpreter: ${(interp.seconds / oursSeconds).toFixed(2)}`);
if (hasGxemul) {
  const gxSeconds = median(pairs.map((p) => p.gx.seconds));
  const same = pairs.every((p) => p.gx.out === ours.out) ? 'same console output' : 'console output DIFFERS';
  console.log(`gxemul:   ${gxSeconds.toFixed(2)} s, ${rate(ours.instructions, gxSeconds)} MIPS (${same}; includes its start-up; median of ${rounds})`);
  const ratios = pairs.map((p) => p.gx.seconds / p.ours.seconds);
  console.log(`ratio exoscope/gxemul: ${median(ratios).toFixed(2)} (median of ${rounds} rounds, each the two run in turn: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
} else {
  console.log('gxemul: not installed (apt-get install gxemul), no comparison');
}
console.log(`ratio to a real DECstation 5000/200 (about 25 MIPS): ${(ours.instructions / oursSeconds / 25e6).toFixed(2)}`);
