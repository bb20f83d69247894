import { describe, expect, it } from 'vitest';
import { Bus } from '../../src/emu/bus.js';
import { Cpu } from '../../src/emu/cpu.js';
import { A, R, li } from './helpers/asm.js';
import { bare, CODE } from './helpers/bare.js';

/** Fields that are constants of the chip or the wiring, not state: reset leaves them (the translator is attached by the Machine). */
const CONSTANT = new Set(['bus', 'prid', 'translator']);

/**
 * Writes a value unlike a new CPU's into every field of `cpu`, found by
 * reflection, so that a field added later is scribbled on too and the
 * comparison below fails unless reset() clears it.
 */
function scribble(cpu: Cpu): string[] {
  const o = cpu as unknown as Record<string, unknown>;
  const touched: string[] = [];
  for (const key of Object.keys(o)) {
    if (CONSTANT.has(key)) continue;
    const v = o[key];
    if (typeof v === 'number') o[key] = v + 0x1234;
    else if (typeof v === 'boolean') o[key] = !v;
    else if (typeof v === 'string') o[key] = `${v}scribbled`;
    else if (v === undefined) o[key] = () => 0;
    else if (v instanceof Int32Array) v.fill(0x5ec2e7);
    else if (v instanceof Float64Array) v.fill(0x5ec2e7);
    else if (v instanceof Set) v.add(0x4000);
    else if (Array.isArray(v)) v.push({ addr: 0x4000, end: 0x4004, read: true, write: true });
    else if (v === cpu.tlb) for (let i = 0; i < 64; i++) cpu.tlb.write(i, 0x12345000 + (i << 12), 0x00042700);
    else throw new Error(`scribble() does not know how to change field ${key}; teach it, and reset()`);
    touched.push(key);
  }
  return touched;
}

/** Every field of `cpu` as plain data (the TLB's entries without its generation counter). */
function fields(cpu: Cpu): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(cpu as unknown as Record<string, unknown>)) {
    if (CONSTANT.has(key)) continue;
    if (v === cpu.tlb) out[key] = cpu.tlb.entries();
    else if (v instanceof Int32Array || v instanceof Float64Array) out[key] = [...v];
    else if (v instanceof Set) out[key] = [...v];
    else if (Array.isArray(v)) out[key] = v.map((x) => ({ ...x }));
    else if (typeof v === 'function') out[key] = 'a function';
    else out[key] = v;
  }
  return out;
}

describe('Cpu.reset', () => {
  it('leaves every field as a new Cpu has it, after every field was changed', () => {
    const bus = new Bus(1 << 20, () => {}, () => 0);
    const fresh = new Cpu(bus), cpu = new Cpu(bus);
    const touched = scribble(cpu);
    expect(touched.length).toBeGreaterThan(30);
    expect(fields(cpu)).not.toEqual(fields(fresh));
    for (const key of touched) expect(fields(cpu)[key], key).not.toEqual(fields(fresh)[key]);
    // The soft TLB in front of the TLB (translations of the last party's pages).
    const soft = (c: Cpu) => [c.tlb.soft.fTag, c.tlb.soft.lTag, c.tlb.soft.sTag].map((t) => [...t]);
    for (const t of [cpu.tlb.soft.fTag, cpu.tlb.soft.lTag, cpu.tlb.soft.sTag]) t.fill(0x12345000);
    cpu.reset();
    expect(fields(cpu)).toEqual(fields(fresh));
    expect(soft(cpu)).toEqual(soft(fresh));
  });

  it('drops a load in flight, HI/LO and a pending branch, which otherwise reach the next program', () => {
    // mult puts a secret in HI/LO; the budget ends right after an lw (its
    // value still in the load delay slot) in the delay slot of a taken jr.
    const m = bare([...li(R.t0, 0xdeadbeef), A.lui(R.t4, 0x8000), A.mult(R.t0, R.t0), A.sw(R.t0, 0x100, R.t4), A.jr(R.t0), A.lw(R.t1, 0x100, R.t4)]);
    m.run(7);
    expect(m.cpu.ldReg).toBe(R.t1);
    expect(m.cpu.pc >>> 0).toBe(0xdeadbeef);
    const leak = [A.nop(), A.nop(), A.mfhi(R.t2), A.mflo(R.t3)];
    leak.forEach((w, i) => { m.bus.ram32[(0x2000 >>> 2) + i] = w; });
    m.cpu.reset();
    m.cpu.status = 0;
    m.cpu.jump(0x80002000);
    m.run(4);
    expect([m.reg(R.t1), m.reg(R.t2), m.reg(R.t3)]).toEqual([0, 0, 0]);
    expect(m.cpu.pc >>> 0).toBe(0x80002010);
    expect(CODE).toBe(0x80001000);
  });
});
