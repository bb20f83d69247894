import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';
const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const h = JSON.parse(lines[0]);
const T = Number(process.argv[3]);
const term = new xterm.Terminal({ cols: h.width, rows: h.height, allowProposedApi: true });
for (const l of lines.slice(1)) {
  const [t, , d] = JSON.parse(l);
  if (t > T) break;
  await new Promise<void>((r) => term.write(d, r));
}
const b = term.buffer.active; for (let i = 0; i < h.height; i++) console.log(b.getLine(i)!.translateToString(true));
