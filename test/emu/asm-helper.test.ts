import { describe, expect, it } from 'vitest';
import { A, R, li } from './helpers/asm.js';

// The tests' encoder must say so when a field does not fit rather than
// wrap it: a wrapped immediate makes a test run some other instruction.
describe('the test encoder (test/emu/helpers/asm.ts)', () => {
  it('encodes words as GNU as does', () => {
    // mipsel-linux-gnu-as: addiu t0,t0,-1 / ori t0,t0,0xffff / lui at,0x8000 / sw ra,28(sp) / j 0x80001000
    expect(A.addiu(R.t0, R.t0, -1)).toBe(0x2508ffff);
    expect(A.ori(R.t0, R.t0, 0xffff)).toBe(0x3508ffff);
    expect(A.lui(R.at, 0x8000)).toBe(0x3c018000);
    expect(A.sw(R.ra, 28, R.sp)).toBe(0xafbf001c);
    expect(A.j(0x80001000)).toBe(0x08000400);
    expect(li(R.t0, 0xdeadbeef)).toEqual([0x3c08dead, 0x3508beef]);
  });

  it('refuses immediates, registers and shift amounts that do not fit', () => {
    expect(() => A.addiu(R.t0, R.t0, 40000)).toThrow(/signed immediate 40000/);
    expect(() => A.lw(R.t0, -32769, R.sp)).toThrow(/signed immediate/);
    expect(() => A.beq(R.t0, R.t1, 0x8000)).toThrow(/signed immediate/);
    expect(() => A.ori(R.t0, R.t0, -1)).toThrow(/unsigned immediate -1/);
    expect(() => A.lui(R.t0, 0x10000)).toThrow(/unsigned immediate/);
    expect(() => A.addu(R.t0, 32, R.t1)).toThrow(/register 32/);
    expect(() => A.sll(R.t0, R.t0, 32)).toThrow(/shift amount 32/);
    expect(() => A.break(1 << 20)).toThrow(/break code/);
    expect(A.addiu(R.t0, R.t0, -32768)).toBe(0x25088000);
    expect(A.addiu(R.t0, R.t0, 32767)).toBe(0x25087fff);
  });
});
