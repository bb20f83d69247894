// The kernel's mechanisms shown by real ExOS programs (C compiled for MIPS I)
// on the real machine, with the invariant checked after every kernel entry.

import { describe, expect, it } from 'vitest';
import { checkedKernel, exosImage } from './helpers.js';
import { checkInvariant } from '../../src/exokernel/index.js';

describe('ExOS on the exokernel', () => {
  it('hello prints, faults heap pages in through its own pager, and exits cleanly', () => {
    const { k, violations, entries } = checkedKernel();
    const free0 = k.frames.freeCount();
    const env = k.createEnv(exosImage('hello'), 'hello');
    expect(k.run(50_000_000)).toBe('idle');
    expect(env.console).toMatch(/^hello from exos in environment 1\n/);
    expect(env.console).toMatch(/hello ok\n$/);
    expect(env.destroyReason).toBe('exit(0)');
    expect(env.counters.dispatches).toBeGreaterThan(10);
    expect(k.frames.freeCount()).toBe(free0);
    expect(entries()).toBeGreaterThan(50);
    expect(violations).toEqual([]);
  });

  it('memwalk: the library OS serves the first miss of each page, the STLB the later ones', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(exosImage('memwalk'), 'memwalk', ['256', '4']);
    k.run(100_000_000);
    expect(env.console).toMatch(/memwalk ok\n$/);
    expect(env.counters.stlbMisses).toBe(256);
    expect(env.counters.dispatches).toBe(256);
    expect(env.counters.stlbHits).toBeGreaterThan(1000);
    expect(k.log.recent().some((e) => e.kind === 'stlb-hit')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('share: two environments share a frame by capability; a read key cannot map it writable', () => {
    const { k, violations } = checkedKernel();
    const w = k.createEnv(exosImage('share'), 'writer', ['writer', '1500', '1234abcd5678ef01']);
    const r = k.createEnv(exosImage('share'), 'reader', ['reader', '1500', '1234abcd5678ef01']);
    k.run(100_000_000);
    expect(w.console).toMatch(/share writer ok\n$/);
    expect(r.console).toMatch(/read "a message through frame 1500"/);
    expect(r.console).toMatch(/E_Perm/);
    expect(r.console).toMatch(/share reader ok\n$/);
    expect(k.log.recent().some((e) => e.kind === 'binding-refused' && e.env === r.id && e.reason === 'perm')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('an environment destroyed in the middle of its work leaves no frame, binding or ASID behind', () => {
    const { k, violations } = checkedKernel();
    const free0 = k.frames.freeCount();
    const env = k.createEnv(exosImage('memwalk'), 'memwalk', ['256', '4']);
    k.run(400_000);
    expect(env.state).toBe('runnable');
    expect(k.frames.freeCount()).toBeLessThan(free0 - 50);
    const asid = env.asid;
    k.destroyEnv(env, 'killed by the test');
    expect(k.frames.freeCount()).toBe(free0);
    expect(k.stlb.entries().filter((e) => e.asid === asid)).toEqual([]);
    expect([...Array(64).keys()].filter((i) => ((k.cpu.tlb.hi[i] >>> 6) & 63) === asid && (k.cpu.tlb.hi[i] >>> 0) < 0x80000000 && (k.cpu.tlb.lo[i] & 0x200) !== 0)).toEqual([]);
    expect(k.frames.frames.every((f) => !f.holders.has(env.id))).toBe(true);
    expect(checkInvariant(k)).toEqual([]);
    expect(violations).toEqual([]);
  });
});
