// Replay speed: a bundled scenario headless with every event
// formatted as a JSON line, against the same run with nobody subscribed to
// events. Emulated MIPS and their ratio, measured in one run.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenario, replay, sessionFromScenario } = await import(join(root, 'dist/session/index.js'));

const file = join(root, 'scenarios', process.argv[2] ?? 'stlb.yaml');
const sc = loadScenario(file);
const noExpect = { ...sc, expect: [] };

function recorded() {
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  const r = replay(noExpect, { onLine: (l) => { bytes += JSON.stringify(l.kind === 'event' ? l.event : l).length + 1; } });
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, n: r.instructions, bytes };
}

function silent() {
  const s = sessionFromScenario(sc);
  const t0 = process.hrtime.bigint();
  while (s.run(50_000_000).reason !== 'idle');
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, n: s.kernel.cpu.instret };
}

for (let i = 0; i < 2; i++) { recorded(); silent(); } // warm up
const a = recorded(), b = silent();
const mips = (x) => (x.n / x.s / 1e6).toFixed(1);
console.log(`replay ${sc.name}: ${a.n} instructions`);
console.log(`  events recorded as JSON lines: ${mips(a)} MIPS (${(a.bytes / 1024).toFixed(0)} KiB of log)`);
console.log(`  nobody subscribed:             ${mips(b)} MIPS`);
console.log(`  ratio recorded / silent: ${(b.s / a.s).toFixed(2)}`);
