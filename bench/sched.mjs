// Processor benchmarks, in emulated cycles at 25 MHz: a PCT round
// trip (client's pct_sync trap to the instruction after it, the server's
// work included), a directed yield and an upcall dispatch (kernel entry to
// kernel exit), and a revocation honoured against one aborted (request to
// settlement). Nothing is asserted.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parseElf } = await import(join(root, 'dist/emu/index.js'));
const { Kernel, abi } = await import(join(root, 'dist/exokernel/index.js'));
const image = (n) => { const p = join(root, 'src/exos/images', `exos-${n}.elf`); return parseElf(new Uint8Array(readFileSync(p)), p); };
const avg = (a) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
const us = (c) => (c / 25).toFixed(2);

/** Cycles of each kernel entry whose system call is `call` (trap to exit) in env `envName`. */
function kernelPath(k, env, call, samples) {
  const out = [];
  let t = -1;
  const offTrap = k.onTrap.add((code) => { t = code === 8 && k.current === env && k.cpu.regs[2] === call ? k.cpu.cycles : -1; });
  const offExit = k.onKernelExit.add(() => { if (t >= 0 && out.length < samples) out.push(k.cpu.cycles - t); t = -1; });
  for (let i = 0; i < 2000 && out.length < samples; i++) if (k.run(100_000) === 'idle') break;
  offTrap();
  offExit();
  return out;
}

// PCT round trip: from the client's pct_sync trap to its next instruction.
{
  const k = new Kernel({ seed: 1 });
  const server = k.createEnv(image('lrpc-server'), 'server', ['0']);
  const client = k.createEnv(image('lrpc-client'), 'client', [String(server.id), '400']);
  const trips = [];
  let start = -1, resumeAt = 0;
  k.onTrap.add((code) => { if (code === 8 && k.current === client && k.cpu.regs[2] === abi.Sys.PctSync) { start = k.cpu.cycles; resumeAt = (k.cpu.epc + 4) >>> 0; k.stop(); } });
  while (trips.length < 300 && client.state !== 'destroyed') {
    k.run(1_000_000);
    if (start < 0) continue;
    k.cpu.setBreakpoint(resumeAt, true);
    while (!(k.cpu.stopReason === 'breakpoint' && k.current === client) && client.state !== 'destroyed') { k.cpu.skipBreakpoint = k.cpu.pc; k.run(1_000_000); }
    k.cpu.setBreakpoint(resumeAt, false);
    trips.push(k.cpu.cycles - start);
    start = -1;
    k.cpu.skipBreakpoint = k.cpu.pc;
  }
  console.log(`PCT round trip (LRPC, server work included): ${avg(trips).toFixed(0)} cycles = ${us(avg(trips))} us (${trips.length} calls; the paper's Aegis LRPC: 6.3 us on a DEC5000)`);
}

// Directed yield: the kernel path of yield_to.
{
  const k = new Kernel({ seed: 1 });
  const spinner = k.createEnv(image('spinner'), 'spinner', ['100000'], { slices: 0 });
  const donor = k.createEnv(image('donor'), 'donor', [String(spinner.id), '400']);
  const y = kernelPath(k, donor, abi.Sys.YieldTo, 200);
  console.log(`directed yield (yield_to, kernel entry to exit): ${avg(y).toFixed(0)} cycles = ${us(avg(y))} us (${y.length} yields)`);
}

// Upcall dispatch: a page-fault dispatch and an epilogue upcall, from the event that records each.
{
  const k = new Kernel({ seed: 1 });
  k.createEnv(image('spinner'), 'a', ['100000']);
  k.createEnv(image('spinner'), 'b', ['100000']);
  const costs = [];
  let t = -1;
  k.onTrap.add(() => { t = k.cpu.cycles; });
  k.log.subscribe((e) => { if (e.kind === 'upcall' && e.upcall === 'epilogue' && t >= 0) { costs.push(k.cpu.cycles - t); t = -1; } });
  k.run(20_000_000);
  console.log(`epilogue upcall dispatch (clock interrupt to the upcall): ${avg(costs).toFixed(0)} cycles = ${us(avg(costs))} us (${costs.length} upcalls; the paper: exception dispatch 18 instructions, 1.5 us)`);
}

// Revocation honoured (hog gives back) against aborted (rogue ignores it).
function revocation(prog, args, count, window) {
  const k = new Kernel({ seed: 1 });
  const env = k.createEnv(image(prog), prog, args);
  k.createEnv(image('spinner'), 'spinner', ['100000']);
  k.run(prog === 'rogue' ? 120_000 : 2_000_000);
  let settled = -1, what = '';
  k.log.subscribe((e) => { if ((e.kind === 'revoke-honoured' || e.kind === 'abort') && e.env === env.id && settled < 0) { settled = e.cycle; what = e.kind; } });
  const t0 = k.now();
  k.revoke(env, 'frames', count, window);
  while (settled < 0 && k.now() < t0 + 10 * window) k.run(10_000);
  return { cycles: settled - t0, what };
}
const h = revocation('hog', ['48', '100000'], 8, 200_000);
const a = revocation('rogue', ['16'], 8, 20_000);
console.log(`revocation of 8 frames: ${h.what} after ${h.cycles} cycles (${us(h.cycles)} us); ${a.what} after ${a.cycles} cycles (${us(a.cycles)} us, window 20000)`);
