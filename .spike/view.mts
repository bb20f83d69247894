import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';
const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const h = JSON.parse(lines[0]);
const term = new xterm.Terminal({ cols: h.width, rows: h.height, allowProposedApi: true });
const show = process.argv[3] ? Number(process.argv[3]) : 0;
for (const l of lines.slice(1)) {
  const [t, , d] = JSON.parse(l);
  await new Promise<void>((r) => term.write(d, r));
  const b = term.buffer.active;
  console.log(String(t).padEnd(9), b.getLine(show)!.translateToString(true).slice(0, 110), '|', b.getLine(h.height - 2)!.translateToString(true).slice(0, 60));
}
if (process.argv[4]) { const b = term.buffer.active; for (let i = 0; i < h.height; i++) console.log(b.getLine(i)!.translateToString(true)); }
