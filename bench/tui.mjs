// node --import tsx bench/tui.mjs [seconds] [sizes...]   (sizes like 120x40; HZ=n: snapshots a second, default 15)
//
// The TUI at full speed (pace max), at 80x24, 120x40 and 160x50 unless
// sizes are given: Ink drawing every pane of the layout into a fake
// terminal while the emulator runs, against the same session run headless
// in the same process (headless, TUI at each size, headless again). For
// each size it prints the emulated MIPS and the ratio TUI/headless
// (target: at least 0.90), the redraws a second (terminal writes; target:
// at least 10 at 120x40), the bytes a redraw, and the key latency: from a
// key typed while the machine runs (? opens the help overlay) to the
// terminal write that shows its effect (target: under 50 ms), for ? (the
// help overlay), Space (pause), Tab and a digit (focus). Then what a frame
// costs in CPU time, the machine stopped and a frame forced after every
// 200,000 instructions: the snapshot (publish) and React, Ink and the
// terminal writer together. Then the first frame: from runTui to the first
// frame written (in process, modules loaded), Node's own start (node -e 0),
// and from starting `node dist/cli/main.js` in a pseudo-terminal to its
// first frame (target: within 0.5 s). Wall-clock numbers vary with the
// machine and its load (the load average is printed); nothing here is
// asserted.

import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fixtureSession } from '../test/tui/fixtures/programs.ts';
import { runTui } from '../src/tui/index.ts';
import { LiveDebugger } from '../src/session/index.ts';

const seconds = Number(process.argv[2] ?? 4);
const sizes = (process.argv.length > 3 ? process.argv.slice(3) : ['80x24', '120x40', '160x50']).map((s) => s.split('x').map(Number));
const now = () => performance.now();
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
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
  isTTY = true; writes = 0; bytes = 0; waiters = [];
  constructor(columns, rows) { super(); this.columns = columns; this.rows = rows; }
  write(d) {
    this.writes++; this.bytes += d.length;
    for (const w of this.waiters.splice(0)) if (!w(d)) this.waiters.push(w);
    return true;
  }
  /** Resolves with the time of the first write after now that `test` accepts (NaN if none within `ms`). */
  when(test, ms = 10_000) {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.waiters = this.waiters.filter((w) => w !== waiter); resolve(NaN); }, ms);
      const waiter = (d) => (test(d) ? (clearTimeout(t), resolve(now()), true) : false);
      this.waiters.push(waiter);
    });
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true; data = null;
  setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {}
  read = () => { const d = this.data; this.data = null; return d; };
  type(s) { this.data = s; this.emit('readable'); }
}

/** Instructions a second with the TUI continuing the session at `cols` x `rows`, what it drew, and key latencies. */
async function withTui(cols, rows) {
  const s = warmSession();
  const stdout = new FakeStdout(cols, rows), stdin = new FakeStdin();
  const driver = new LiveDebugger(s, { now, cpuNow, publishHz: Number(process.env.HZ ?? 15) });
  const t0 = now();
  // The first frame: the first write of a screenful (the status line may leave the title out when narrow).
  const first = stdout.when((d) => d.length > cols * 4);
  const done = runTui({ driver, title: 'bench', stdout, stdin, env: {} });
  const firstFrame = (await first) - t0;
  await sleep(300);
  stdin.type('c');
  await sleep(300);
  const w0 = stdout.writes, b0 = stdout.bytes, i0 = s.kernel.cpu.instret, r0 = now();
  await sleep(seconds * 1000);
  const rate = (s.kernel.cpu.instret - i0) / ((now() - r0) / 1000);
  const frames = stdout.writes - w0, bytes = stdout.bytes - b0;
  const latency = [];
  /** Milliseconds from typing `key` to the first write `test` accepts. */
  const typed = async (key, test) => {
    const shown = stdout.when(test);
    const k0 = now();
    stdin.type(key);
    latency.push((await shown) - k0);
    await sleep(150);
  };
  // A focus change redraws the tab bar (row 2), or in the wide layout the focused pane's double border.
  const focus = (d) => d.includes('\x1b[2;1H') || d.includes('╔');
  for (let i = 0; i < 2; i++) {
    await typed('?', (d) => d.includes('Keys (from the command table)'));
    stdin.type('\x1b');
    await sleep(150);
    await typed('\t', focus);
    await typed(i === 0 ? '3' : '2', focus);
    await typed(' ', (d) => d.includes('paused by you'));
    stdin.type('c');
    await sleep(300);
  }
  stdin.type(' ');
  await sleep(50);
  stdin.type('q');
  await done;
  return { rate, frames, bytes, latency, firstFrame };
}

/**
 * CPU milliseconds a frame costs at `cols` x `rows`, the machine stopped:
 * after every 200,000 instructions a publish (the snapshot) and then React,
 * Ink and the terminal writer until the frame is written. Medians of 40.
 */
async function frameCost(cols, rows) {
  const s = warmSession();
  const stdout = new FakeStdout(cols, rows), stdin = new FakeStdin();
  const driver = new LiveDebugger(s, { now, cpuNow });
  const done = runTui({ driver, title: 'bench', stdout, stdin, env: {} });
  await stdout.when(() => true);
  await sleep(200);
  const snap = [], ui = [];
  for (let i = 0; i < 45; i++) {
    s.run(200_000);
    const written = stdout.when(() => true);
    const c0 = cpuNow();
    driver.refresh();
    const c1 = cpuNow();
    await written;
    if (i >= 5) { snap.push(c1 - c0); ui.push(cpuNow() - c1); }
    await sleep(5);
  }
  stdin.type('q');
  await done;
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  return { snapshot: med(snap), ui: med(ui) };
}

/** Milliseconds `node -e 0` takes, the best of three. */
async function nodeStart() {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    await new Promise((r) => spawn(process.execPath, ['-e', '0']).on('exit', r));
    best = Math.min(best, now() - t0);
  }
  return best;
}

/** Milliseconds from starting the built CLI in a pseudo-terminal (script) to its first frame, or undefined. */
async function coldStart() {
  if (!existsSync('dist/cli/main.js')) return undefined;
  const t0 = now();
  const p = spawn('script', ['-qec', 'stty cols 120 rows 40; node dist/cli/main.js scenarios/living.yaml', '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, CI: '' } });
  const at = await new Promise((resolve) => {
    let out = '';
    p.stdout.on('data', (d) => { out += d; if (out.includes('living')) resolve(now() - t0); });
    p.on('exit', () => resolve(undefined));
    setTimeout(() => resolve(undefined), 10_000);
  });
  p.stdin.write('q');
  setTimeout(() => p.kill(), 500);
  return at;
}

// A module still loading (tsx loads them off the main thread) does not keep Node alive; this does.
const keepAlive = setInterval(() => {}, 1000);
const mips = (r) => (r / 1e6).toFixed(2);
const ms = (x) => `${x.toFixed(0)} ms`;
{ const s = warmSession(), t0 = now(); while (now() - t0 < 1000) s.run(1_000_000); } // JIT warm-up, not measured
const h1 = headless();
const results = [];
for (const [cols, rows] of sizes) { results.push([cols, rows, await withTui(cols, rows)]); console.error(`measured ${cols}x${rows}`); }
const h2 = headless();
const base = (h1 + h2) / 2;
console.log(`workload: fixture session (walker over 48 pages), ${seconds} s each, pace max; load average ${loadavg()[0].toFixed(1)} on this machine`);
console.log(`headless: ${mips(h1)} and ${mips(h2)} MIPS (mean ${mips(base)})`);
for (const [cols, rows, r] of results) {
  const sorted = r.latency.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const missed = r.latency.length - sorted.length;
  console.log(`${cols}x${rows}: ${mips(r.rate)} MIPS, ratio TUI/headless ${(r.rate / base).toFixed(2)} (target 0.90); ${(r.frames / seconds).toFixed(1)} redraws a second (target 10), ${(r.bytes / Math.max(1, r.frames)).toFixed(0)} bytes a redraw; key latency (?, Tab, digit, Space) median ${ms(sorted[sorted.length >> 1])}, worst ${ms(sorted.at(-1))} (target 50 ms)${missed ? `, ${missed} never shown within 10 s` : ''}; first frame ${ms(r.firstFrame)} after runTui`);
}
for (const [cols, rows] of sizes) {
  const f = await frameCost(cols, rows);
  console.log(`${cols}x${rows}: a frame costs ${f.snapshot.toFixed(1)} ms of CPU for the snapshot and ${f.ui.toFixed(1)} ms for React, Ink and the terminal writer`);
}
console.log(`node start: ${ms(await nodeStart())} (node -e 0)`);
const cold = await coldStart();
console.log(cold === undefined ? 'cold start: skipped (npm run build first, and script(1) must be installed)' : `cold start: first frame ${ms(cold)} after starting node dist/cli/main.js (target 500 ms)`);
clearInterval(keepAlive);
