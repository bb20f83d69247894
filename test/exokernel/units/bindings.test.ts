// Breaking bindings in the hardware TLB (bindings.ts): unmap drops exactly
// the entries of one page under one ASID and reports the frame they mapped;
// breakFrame drops exactly the entries of one frame for the environments
// it is asked to, wherever they sit in the TLB.

import { describe, expect, it } from 'vitest';
import { exosImage } from '../helpers.js';
import { Tlb } from '../../../src/emu/index.js';
import { Rights } from '../../../src/exokernel/abi.js';
import { breakFrame, unmap } from '../../../src/exokernel/bindings.js';
import { Kernel, type KernelEvent } from '../../../src/exokernel/index.js';

/** The valid user entries of the TLB as "asid:vpn->frame". */
function entries(k: Kernel): string[] {
  const out: string[] = [];
  for (let i = 0; i < Tlb.ENTRIES; i++) {
    const hi = k.cpu.tlb.hi[i] >>> 0, lo = k.cpu.tlb.lo[i] >>> 0;
    if (hi < 0x80000000 && (lo & Tlb.V) !== 0) out.push(`${(hi >>> 6) & 63}:${(hi >>> 12).toString(16)}->${(lo >>> 12).toString(16)}`);
  }
  return out.sort();
}

describe('breaking bindings in the hardware TLB', () => {
  it('unmap drops one page of one ASID and names its frame; breakFrame drops one frame for the environments asked', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    const a = k.createEnv(exosImage('hello'), 'a'), b = k.createEnv(exosImage('hello'), 'b');
    k.run(100_000);
    for (const i of [8, 40, 41, 63]) k.cpu.tlb.write(i, (0x80000000 | (i << 12)) | 0, 0); // made to match nothing
    const base = entries(k);
    // At chosen indexes, low and high (writeTlb would take Random, which stands still while no instruction runs).
    const put = (i: number, vpn: number, asid: number, frame: number) => k.cpu.tlb.write(i, (vpn << 12) | (asid << 6), (frame << 12) | Tlb.V);
    put(8, 0x20, a.asid, 0x300);
    put(40, 0x21, a.asid, 0x301);
    put(41, 0x20, b.asid, 0x300);
    put(63, 0x22, b.asid, 0x300);
    k.frames.hold(0x300, a.id, Rights.Read);
    k.frames.hold(0x300, b.id, Rights.Read);
    const removed: KernelEvent[] = [];
    k.log.subscribe((e) => { if (e.kind === 'binding-removed') removed.push(e); });
    expect(unmap(k, a, 0x21, 'test')).toBe(0x301);
    expect(unmap(k, a, 0x23, 'test')).toBe(-1);
    expect(entries(k)).toEqual([...base, `${a.asid}:20->300`, `${b.asid}:20->300`, `${b.asid}:22->300`].sort());
    breakFrame(k, 0x300, 'test', (id) => id === b.id);
    expect(entries(k)).toEqual([...base, `${a.asid}:20->300`].sort());
    expect([...k.frames.frames[0x300].holders.keys()]).toEqual([a.id]);
    breakFrame(k, 0x300, 'test');
    expect(entries(k)).toEqual(base);
    expect(removed.map((e) => e.kind === 'binding-removed' && e.frame)).toEqual([0x301]);
  });
});
