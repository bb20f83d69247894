// The invariant checker does not trust the kernel's own bookkeeping: a
// binding that skipped the capability check (a forged holder record, a TLB
// or STLB entry written directly, a stale binding after a rekey) is caught
// from the frame table's access lists and the key each binding carries.

import { describe, expect, it } from 'vitest';
import { A, Prog, R } from './helpers.js';
import { Layout, Rights, Sys } from '../../src/exokernel/abi.js';
import { Kernel, checkInvariant, checkInvariantChanges, type Env } from '../../src/exokernel/index.js';
import { install, KERNEL_PAGE_KEY, writeTlb } from '../../src/exokernel/bindings.js';

/** A program that yields forever. */
function spinner(): Prog {
  const p = new Prog();
  p.label('top').sys(Sys.Yield).branch(A.beq(R.zero, R.zero, 0), 'top').emit(A.nop());
  return p;
}

/** Two spinning environments, both with an ASID, and the invariant holding. */
function twoEnvs(): { k: Kernel; a: Env; b: Env; keyOf: (e: Env) => { lo: number; hi: number }; frameOf: (e: Env) => number } {
  const k = new Kernel({ ramSize: 8 << 20 });
  const a = k.createEnv(spinner().image(), 'a'), b = k.createEnv(spinner().image(), 'b');
  k.run(200_000);
  expect(a.asid).toBeGreaterThan(0);
  expect(b.asid).toBeGreaterThan(0);
  expect(checkInvariant(k)).toEqual([]);
  expect(checkInvariantChanges(k)).toEqual([]);
  const frameOf = (e: Env) => e.guaranteed.get(Layout.TEXT >>> 12)!.frame;
  const keyOf = (e: Env) => { const c = k.frames.frames[frameOf(e)].caps[0]; return { lo: c.keyLo, hi: c.keyHi }; };
  return { k, a, b, keyOf, frameOf };
}

const SCRATCH_VPN = 0x20000;

/**
 * The full check's violations, after asserting that the incremental check
 * (which takes what changed since its last call) finds the same ones.
 */
function check(k: Kernel): string[] {
  const changes = checkInvariantChanges(k), full = checkInvariant(k);
  expect([...changes].sort()).toEqual([...full].sort());
  return full;
}

describe('the invariant, derived from the access lists', () => {
  it('catches a binding installed with a key that is not on the frame\'s access list, though the holder list grants it', () => {
    const { k, a, b, keyOf, frameOf } = twoEnvs();
    // install() records a holder with read-write rights; only the key shows the binding is forged.
    install(k, a, SCRATCH_VPN, (frameOf(b) << 12) | 0x600, Rights.ReadWrite, false, keyOf(a));
    expect(k.frames.frames[frameOf(b)].holders.get(a.id)).toBe(Rights.ReadWrite);
    const bad = check(k);
    expect(bad.some((s) => /^STLB\[\d+\].*environment 1 holds no capability for frame/.test(s))).toBe(true);
    expect(bad.some((s) => /^TLB\[\d+\].*environment 1 holds no capability for frame/.test(s))).toBe(true);
  });

  it('catches a guaranteed mapping of another environment\'s frame made with a guessed key', () => {
    const { k, a, b, frameOf } = twoEnvs();
    install(k, a, SCRATCH_VPN, (frameOf(b) << 12) | 0x200, Rights.Read, true, { lo: 0x12345678, hi: 0x9abcdef0 });
    expect(check(k)).toContainEqual(expect.stringMatching(/^env 1 guaranteed va 0x20000000: environment 1 holds no capability for frame/));
  });

  it('catches a hardware TLB entry the kernel did not write through a checked binding', () => {
    const { k, a, b, frameOf } = twoEnvs();
    writeTlb(k.cpu, SCRATCH_VPN, a.asid, (frameOf(b) << 12) | 0x600);
    expect(check(k)).toContainEqual(expect.stringMatching(/^TLB\[\d+\] va 0x20000000: entry was not written by a checked binding/));
  });

  it('catches a writable binding made with a read capability', () => {
    const { k, a, b, frameOf } = twoEnvs();
    const readKey = { lo: 0x1111, hi: 0x2222 };
    k.frames.grant(frameOf(b), { keyLo: readKey.lo, keyHi: readKey.hi, rights: Rights.Read });
    install(k, a, SCRATCH_VPN, (frameOf(b) << 12) | 0x200, Rights.Read, true, readKey);
    expect(check(k)).toEqual([]);
    install(k, a, SCRATCH_VPN, (frameOf(b) << 12) | 0x600, Rights.ReadWrite, true, readKey);
    expect(check(k)).toContainEqual(expect.stringMatching(/writable mapping of frame \d+ with read rights only/));
  });

  it('catches a binding left behind when its capability is taken away without breaking it', () => {
    const { k, a, b, frameOf } = twoEnvs();
    const shared = { lo: 0x5555, hi: 0x6666 };
    k.frames.grant(frameOf(b), { keyLo: shared.lo, keyHi: shared.hi, rights: Rights.ReadWrite });
    install(k, a, SCRATCH_VPN, (frameOf(b) << 12) | 0x600, Rights.ReadWrite, true, shared);
    expect(check(k)).toEqual([]);
    k.frames.rekey(frameOf(b)); // the kernel's frame_rekey would also break a's binding
    expect(check(k)).toContainEqual(expect.stringMatching(/holds no capability for frame/));
  });

  it('catches a mapping of another environment\'s info page, and a writable mapping of its own', () => {
    const { k, a, b } = twoEnvs();
    install(k, a, SCRATCH_VPN, (b.infoFrame << 12) | 0x200, Rights.Read, true, KERNEL_PAGE_KEY);
    expect(check(k)).toContainEqual(expect.stringMatching(/maps kernel frame \d+, which is not this environment's page there/));
    const { k: k2, a: a2 } = twoEnvs();
    install(k2, a2, Layout.INFO >>> 12, (a2.infoFrame << 12) | 0x600, Rights.Read, true, KERNEL_PAGE_KEY);
    expect(check(k2)).toContainEqual(expect.stringMatching(/writable mapping of kernel frame/));
  });
});
