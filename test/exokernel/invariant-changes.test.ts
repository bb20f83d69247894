// The incremental invariant check (checkInvariantChanges) against the full
// one over long runs of busy ExOS workloads: at every kernel exit both agree,
// and a binding forged at a random kernel exit, by any of the kernel's own
// mutation paths, is caught by the incremental check at that exit.

import { describe, expect, it } from 'vitest';
import { exosImage } from './helpers.js';
import { TLB_WRITE_LOG } from '../../src/emu/index.js';
import { Rights } from '../../src/exokernel/abi.js';
import { flushAsid, install, writeTlb } from '../../src/exokernel/bindings.js';
import { Kernel, checkInvariant, checkInvariantChanges, type Env } from '../../src/exokernel/index.js';

/** Frames being filled, freed, destroyed and scanned, pages faulted in, a shared frame: every kind of binding change. */
function busyKernel(): Kernel {
  const k = new Kernel({ ramSize: 12 << 20 });
  k.createEnv(exosImage('scavenger'), 'leaver', ['fill', '1', '32', 'exit']);
  k.createEnv(exosImage('scavenger'), 'freer', ['fill', '2', '32', 'free']);
  k.createEnv(exosImage('memwalk'), 'memwalk', ['96', '3']);
  k.createEnv(exosImage('share'), 'writer', ['writer', '1500', '1234abcd5678ef01']);
  k.createEnv(exosImage('share'), 'reader', ['reader', '1500', '1234abcd5678ef01']);
  return k;
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** A live environment other than `not`, or undefined. */
function other(k: Kernel, not: Env): Env | undefined {
  return [...k.envs.values()].find((e) => e !== not && e.state !== 'destroyed' && e.asid > 0);
}

/** The forgeries: each breaks the invariant through one of the kernel's mutation paths, or returns false when it cannot here. */
const FORGERIES: Record<string, (k: Kernel, a: Env, b: Env) => boolean> = {
  'STLB and TLB binding with a key not on the access list': (k, a, b) => {
    const g = [...b.guaranteed.values()].find((x) => k.frames.frames[x.frame].owner === b.id);
    if (!g) return false;
    install(k, a, 0x20000, (g.frame << 12) | 0x600, Rights.ReadWrite, false, { lo: 0xdead, hi: 0xbeef });
    return true;
  },
  'guaranteed binding with a guessed key': (k, a, b) => {
    const g = [...b.guaranteed.values()].find((x) => k.frames.frames[x.frame].owner === b.id);
    if (!g) return false;
    install(k, a, 0x20001, (g.frame << 12) | 0x200, Rights.Read, true, { lo: 1, hi: 2 });
    return true;
  },
  'hardware TLB entry written directly': (k, a, b) => {
    const g = [...b.guaranteed.values()][0];
    if (!g) return false;
    writeTlb(k.cpu, 0x20002, a.asid, (g.frame << 12) | 0x600);
    return true;
  },
  'mapped frame freed without breaking its bindings': (k) => {
    const e = k.stlb.entries().find((x) => k.frames.frames[(x.entryLo >>> 12) & 0xfffff].owner === x.env);
    if (!e) return false;
    k.frames.free((e.entryLo >>> 12) & 0xfffff);
    return true;
  },
  'environment destroyed without giving its frames back': (k, _a, b) => {
    if (k.frames.ownedBy(b.id).length === 0) return false;
    flushAsid(k, b.asid);
    k.asids.release(b);
    b.guaranteed.clear();
    b.state = 'destroyed';
    return true;
  },
  'shared capability taken away without breaking the binding': (k) => {
    const e = k.stlb.entries().find((x) => { const f = k.frames.frames[(x.entryLo >>> 12) & 0xfffff]; return f.owner !== x.env && f.owner > 0 && f.caps.length > 1; });
    if (!e) return false;
    k.frames.rekey((e.entryLo >>> 12) & 0xfffff);
    return true;
  },
};

/** Kernel exits a run checks (the workloads have filled, freed, exited and shared by then). */
const EXITS = 3_000;

/** Runs the busy kernel for EXITS kernel exits; at kernel exit `at` applies `forge`. Returns the exits run and whether the forgery was applied. */
function runWith(at: number, forge?: (k: Kernel, a: Env, b: Env) => boolean): { exits: number; forged: boolean } {
  const k = busyKernel();
  let exits = 0, forged = false, done = false;
  k.onKernelExit.add(() => {
    if (done) return;
    exits++;
    const a = k.current, b = a && other(k, a);
    if (forge && exits >= at && a && b && a.state !== 'destroyed' && a.asid > 0 && forge(k, a, b)) forged = true;
    const changes = checkInvariantChanges(k), full = checkInvariant(k);
    expect(sorted(changes), `kernel exit ${exits}`).toEqual(sorted(full));
    if (forged) expect(full.length).toBeGreaterThan(0);
    if (forged || exits >= EXITS) { done = true; k.stop(); }
  });
  k.run(100_000_000);
  return { exits, forged };
}

describe('the incremental invariant check', () => {
  it('agrees with the full check at every kernel exit of a long busy run', () => {
    const k = runWith(Infinity);
    expect(k.exits).toBe(EXITS);
  });

  // Seeded points (a fixed LCG), so the test is the same every run.
  let seed = 12345;
  const next = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
  for (const [name, forge] of Object.entries(FORGERIES)) {
    const at = 20 + next(200); // while the sharers still run (they exit near kernel exit 260)
    it(`catches a forgery at the kernel exit where it happens: ${name} (from exit ${at})`, () => {
      expect(runWith(at, forge).forged).toBe(true);
    });
  }
});

describe('the incremental check of the hardware TLB', () => {
  /** The busy kernel stopped at kernel exit 50, with its changes taken. */
  function stopped(): Kernel {
    const k = busyKernel();
    let exits = 0;
    k.onKernelExit.add(() => { checkInvariantChanges(k); if (++exits === 50) k.stop(); });
    k.run(100_000_000);
    checkInvariantChanges(k);
    return k;
  }

  it('reports an entry once, when it appears, and again when it changes; the full check every time', () => {
    const k = stopped();
    const a = [...k.envs.values()].find((e) => e.state !== 'destroyed' && e.asid > 0)!;
    const f = a.infoFrame;
    writeTlb(k.cpu, 0x20002, a.asid, (f << 12) | 0x600);
    expect(checkInvariantChanges(k).join()).toMatch(/TLB\[\d+\] va 0x20002000: entry was not written by a checked binding/);
    expect(checkInvariantChanges(k)).toEqual([]);
    expect(checkInvariant(k).length).toBeGreaterThan(0);
    writeTlb(k.cpu, 0x20002, a.asid, (f << 12) | 0x200);
    expect(checkInvariantChanges(k).join()).toMatch(/va 0x20002000/);
  });

  it('after more writes than the TLB logs (TLB_WRITE_LOG), compares every entry: a forged one is still reported, once', () => {
    const k = stopped();
    const a = [...k.envs.values()].find((e) => e.state !== 'destroyed' && e.asid > 0)!;
    for (let n = 0; n <= TLB_WRITE_LOG; n++) writeTlb(k.cpu, 0x20002, a.asid, (a.infoFrame << 12) | 0x600);
    expect(checkInvariantChanges(k).join()).toMatch(/TLB\[\d+\] va 0x20002000: entry was not written by a checked binding/);
    expect(checkInvariantChanges(k)).toEqual([]);
  });

  it('rechecks an unchanged entry whose frame was freed under it', () => {
    const k = stopped();
    const tlb = k.cpu.tlb;
    let i = 0;
    for (; i < 64; i++) {
      const lo = tlb.lo[i] >>> 0, f = lo >>> 12;
      if ((tlb.hi[i] >>> 0) < 0x80000000 && (lo & 0x200) !== 0 && k.frames.frames[f].owner > 0 && k.frames.frames[f].owner < 0x1000) break;
    }
    expect(i).toBeLessThan(64);
    const frame = (tlb.lo[i] >>> 12) & 0xfffff;
    expect(checkInvariantChanges(k)).toEqual([]);
    k.frames.free(frame);
    expect(checkInvariantChanges(k).some((s) => s.startsWith(`TLB[${i}]`) && s.includes(`maps free frame ${frame}`))).toBe(true);
  });
});
