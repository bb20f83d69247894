// npm run bench: the CPU-bound guest benchmark on exoscope (translated
// blocks, then the interpreter alone) and, when it is installed, on GXemul in
// the same run; prints the rates and their ratios.
// Rates are emulated MIPS I instructions per host second; the instruction
// count is exoscope's (the same program runs on both).
//
// Wall-clock numbers vary with the machine; only their ratio, measured in
// one run, means something. Nothing here is asserted.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { Machine, parseElf } = await import(join(root, 'dist/emu/index.js'));

const image = join(root, 'src/exos/images', process.argv[2] ?? 'cpubench.elf');

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
const ours = runExoscope(true);
console.log(`benchmark: ${image.replace(root + '/', '')}, ${ours.instructions} instructions`);
console.log(`exoscope: ${ours.seconds.toFixed(2)} s, ${rate(ours.instructions, ours.seconds)} MIPS (translated blocks)`);
const interp = runExoscope(false);
const agree = interp.out === ours.out && interp.instructions === ours.instructions ? 'same output and count' : 'output or count DIFFERS';
console.log(`interpreter: ${interp.seconds.toFixed(2)} s, ${rate(interp.instructions, interp.seconds)} MIPS (${agree})`);
console.log(`ratio translator/interpreter: ${(interp.seconds / ours.seconds).toFixed(2)}`);
const gx = runGxemul();
if (gx) {
  const same = gx.out === ours.out ? 'same console output' : 'console output DIFFERS';
  console.log(`gxemul:   ${gx.seconds.toFixed(2)} s, ${rate(ours.instructions, gx.seconds)} MIPS (${same}; includes its start-up)`);
  console.log(`ratio exoscope/gxemul: ${(gx.seconds / ours.seconds).toFixed(2)}`);
} else {
  console.log('gxemul: not installed (apt-get install gxemul), no comparison');
}
console.log(`ratio to a real DECstation 5000/200 (about 25 MIPS): ${(ours.instructions / ours.seconds / 25e6).toFixed(2)}`);
