// Kernel benchmarks: the cost of a TLB miss served by the STLB
// and of one served by the library OS, in emulated cycles (measured from the
// trap to the moment the faulting instruction runs again) and in host time
// (the difference between two runs that differ only in those misses), and
// memwalk's STLB hit rate. Nothing is asserted.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parseElf } = await import(join(root, 'dist/emu/index.js'));
const { Kernel } = await import(join(root, 'dist/exokernel/index.js'));

const image = (n) => { const p = join(root, 'src/exos/images', `exos-${n}.elf`); return parseElf(new Uint8Array(readFileSync(p)), p); };

/**
 * Cycles and host nanoseconds from each refill trap whose kernel entry emits
 * `kind` to the re-execution of its EPC, averaged over `samples`. The host
 * time of an STLB-served miss is the kernel entry alone (onTrap to
 * onKernelExit); that of a library-OS miss runs to the breakpoint at EPC and
 * so includes one stop and restart of the run loop.
 */
function missCost(kind, args, samples) {
  const k = new Kernel({ seed: 1 });
  k.createEnv(image('memwalk'), 'memwalk', args);
  const cycles = [], ns = [];
  let pending, trapCycle = 0, trapNs = 0n, entryNs = 0n;
  k.onTrap.add(() => { trapCycle = k.cpu.cycles; trapNs = process.hrtime.bigint(); });
  k.onKernelExit.add(() => { entryNs = process.hrtime.bigint() - trapNs; });
  k.log.subscribe((e) => {
    if (e.kind === kind && !pending && cycles.length < samples) { pending = { cycle: trapCycle, epc: k.cpu.epc >>> 0, t: trapNs }; k.stop(); }
  });
  for (;;) {
    if (pending) {
      const { cycle, epc, t } = pending;
      const kernelOnly = entryNs;
      k.cpu.setBreakpoint(epc, true);
      k.run(1e9);
      k.cpu.setBreakpoint(epc, false);
      if (k.cpu.stopReason !== 'breakpoint') break;
      cycles.push(k.cpu.cycles - cycle);
      ns.push(Number(kind === 'stlb-hit' ? kernelOnly : process.hrtime.bigint() - t));
      pending = undefined;
      k.cpu.skipBreakpoint = k.cpu.pc;
      continue;
    }
    if (cycles.length >= samples || k.run(100_000) === 'idle') break;
  }
  const avg = (a) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? 0;
  return { cycles: avg(cycles), ns: median(ns), n: cycles.length };
}

/** Host seconds and kernel counters of one memwalk run. */
function timed(args) {
  const k = new Kernel({ seed: 1 });
  const env = k.createEnv(image('memwalk'), 'memwalk', args);
  const t0 = process.hrtime.bigint();
  k.run(1e11);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { s, env, k };
}

missCost('stlb-hit', ['256', '4'], 50); // warm up
const stlb = missCost('stlb-hit', ['256', '4'], 500);
const libos = missCost('stlb-miss', ['256', '1'], 200);
console.log(`TLB miss served by the STLB:       ${stlb.cycles.toFixed(1)} emulated cycles trap to re-execution; host ${stlb.ns} ns median kernel entry (${stlb.n} misses)`);
console.log(`TLB miss served by the library OS: ${libos.cycles.toFixed(1)} emulated cycles (dispatch, ExOS page-table walk, demand-zero of 4 KiB, tlb_map, return); host ${(libos.ns / 1000).toFixed(1)} us median (${libos.n} misses)`);
console.log(`ratio library-OS miss / STLB miss: ${(libos.cycles / stlb.cycles).toFixed(0)}x in emulated cycles`);
const w = timed(['256', '4']);
const rate = w.env.counters.stlbHits / (w.env.counters.stlbHits + w.env.counters.stlbMisses);
console.log(`memwalk 256 pages x 4 passes: STLB hit rate ${(100 * rate).toFixed(1)}% (${w.env.counters.stlbHits} hits, ${w.env.counters.stlbMisses} misses), ${(w.k.cpu.instret / w.s / 1e6).toFixed(1)} MIPS`);
