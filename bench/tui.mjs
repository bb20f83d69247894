// node --import tsx bench/tui.mjs [seconds] [cols] [rows]   (HZ=n: snapshots a second, default 15)
//
// Emulator speed with the TUI running (Ink drawing every pane of the wide
// layout into a fake terminal, snapshots at up to 15 a second) against the
// same session run headless, in one process: headless, TUI, headless again.
// Prints emulated instructions per host second and the ratio TUI/headless
// (target: at least 0.80). Wall-clock numbers vary with the machine; only
// the ratio means something. Nothing here is asserted.

import { EventEmitter } from 'node:events';
import { fixtureSession } from '../test/tui/fixtures/programs.ts';
import { runTui } from '../src/tui/index.ts';
import { LiveDebugger } from '../src/session/index.ts';

const seconds = Number(process.argv[2] ?? 5);
const cols = Number(process.argv[3] ?? 160), rows = Number(process.argv[4] ?? 50);
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A session warmed past boot, so both runs measure the same steady state. */
function warmSession() {
  const s = fixtureSession();
  s.run(2_000_000);
  return s;
}

/** Instructions a second running `s` flat out for `seconds`. */
function headless() {
  const s = warmSession();
  const i0 = s.kernel.cpu.instret, t0 = now();
  while (now() - t0 < seconds * 1000) s.run(1_000_000);
  return (s.kernel.cpu.instret - i0) / ((now() - t0) / 1000);
}

class FakeStdout extends EventEmitter {
  isTTY = true; columns = cols; rows = rows; writes = 0; bytes = 0;
  write(d) { this.writes++; this.bytes += d.length; return true; }
}

class FakeStdin extends EventEmitter {
  isTTY = true; data = null;
  setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {}
  read = () => { const d = this.data; this.data = null; return d; };
  type(s) { this.data = s; this.emit('readable'); }
}

/** Instructions a second with the TUI continuing the session, and how much it drew. */
async function withTui() {
  const s = warmSession();
  const stdout = new FakeStdout(), stdin = new FakeStdin();
  const driver = new LiveDebugger(s, { now, publishHz: Number(process.env.HZ ?? 15) });
  const done = runTui({ driver, title: 'bench', stdout, stdin, env: {} });
  for (let i = 0; i < 200 && stdout.writes < 2; i++) await sleep(25);
  await sleep(200);
  const w0 = stdout.writes;
  const i0 = s.kernel.cpu.instret, t0 = now();
  stdin.type('c');
  await sleep(seconds * 1000);
  const rate = (s.kernel.cpu.instret - i0) / ((now() - t0) / 1000);
  const frames = stdout.writes - w0;
  stdin.type(' ');
  await sleep(50);
  stdin.type('q');
  await done;
  return { rate, frames, bytes: stdout.bytes };
}

const mips = (r) => (r / 1e6).toFixed(2);
{ const s = warmSession(), t0 = now(); while (now() - t0 < 1000) s.run(1_000_000); } // JIT warm-up, not measured
const h1 = headless();
const tui = await withTui();
const h2 = headless();
const base = (h1 + h2) / 2;
console.log(`workload: fixture session (walker over 48 pages), ${seconds} s each, TUI at ${cols}x${rows}`);
console.log(`headless: ${mips(h1)} and ${mips(h2)} MIPS (mean ${mips(base)})`);
console.log(`with TUI: ${mips(tui.rate)} MIPS, ${tui.frames} terminal writes (${(tui.frames / seconds).toFixed(1)} a second), ${(tui.bytes / 1024).toFixed(0)} KiB`);
console.log(`ratio TUI/headless: ${(tui.rate / base).toFixed(2)} (target 0.80)`);
