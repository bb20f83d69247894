// The filter language: decoding the ABI's four-word atoms, with every
// malformed case refused for a stated reason, and encoding back.

import { describe, expect, it } from 'vitest';
import { DPF_ATOMS_MAX, DpfKind } from '../../../src/exokernel/abi.js';
import { DPF_PACKET_MAX, DPF_SHIFT_MAX, decodeFilter, encodeFilter, formatAtom } from '../../../src/exokernel/dpf/index.js';
import { cmp, shift, udpPort } from './helpers.js';

/** Word 0 of an atom. */
const w0 = (kind: number, width: number, offset: number) => ((offset << 16) | (width << 8) | kind) >>> 0;
const errorOf = (words: number[]) => { const d = decodeFilter(words); return 'error' in d ? d.error : undefined; };

describe('decodeFilter', () => {
  it('decodes what encodeFilter wrote, compare and shift atoms alike', () => {
    const atoms = [...udpPort(53), cmp(4, 26, 0x0a000000, 0xff000000)];
    expect(decodeFilter(encodeFilter(atoms))).toEqual({ atoms });
    expect(decodeFilter(Array.from(encodeFilter(atoms)))).toEqual({ atoms });
  });

  it('takes negative numbers as the 32-bit words they stand for', () => {
    expect(decodeFilter([w0(DpfKind.Compare, 4, 0), -1, -2, 0])).toEqual({ atoms: [cmp(4, 0, 0xfffffffe)] });
  });

  it('refuses an empty filter, a ragged one and one longer than DPF_ATOMS_MAX', () => {
    expect(errorOf([])).toMatch(/at least one atom/);
    expect(errorOf([w0(1, 1, 0), 0xff, 1])).toMatch(/3 words is not whole atoms/);
    const long = encodeFilter(Array.from({ length: DPF_ATOMS_MAX + 1 }, (_, i) => cmp(1, i, 0)));
    expect(errorOf(Array.from(long))).toMatch(/257 atoms is longer than 256/);
    expect(decodeFilter(long.subarray(0, 4 * DPF_ATOMS_MAX))).toHaveProperty('atoms');
  });

  it('refuses words that are not 32-bit integers', () => {
    expect(errorOf([w0(1, 1, 0), 0xff, 1.5, 0])).toMatch(/Word 2 \(1.5\) is not a 32-bit integer/);
    expect(errorOf([w0(1, 1, 0), 0x1_0000_0000, 0, 0])).toMatch(/Word 1/);
    expect(errorOf([w0(1, 1, 0), NaN, 0, 0])).toMatch(/Word 1/);
  });

  it('refuses a bad kind or width, naming the atom', () => {
    const ok = [w0(1, 1, 0), 0xff, 0, 0];
    expect(errorOf([...ok, w0(3, 1, 0), 0xff, 0, 0])).toBe('Atom 1: kind 3 is neither Compare (1) nor Shift (2)');
    expect(errorOf([...ok, w0(0, 1, 0), 0xff, 0, 0])).toMatch(/^Atom 1: kind 0/);
    expect(errorOf([w0(1, 3, 0), 0xff, 0, 0])).toBe('Atom 0: width 3 is not 1, 2 or 4 bytes');
    expect(errorOf([w0(1, 0, 0), 0xff, 0, 0])).toMatch(/width 0/);
  });

  it('refuses a field that ends past the longest packet', () => {
    expect(errorOf([w0(1, 2, DPF_PACKET_MAX - 1), 0xffff, 0, 0])).toMatch(/2-byte field at offset 1513 ends past the longest packet \(1514 bytes\)/);
    expect(errorOf([w0(1, 2, DPF_PACKET_MAX - 2), 0xffff, 0, 0])).toBeUndefined();
  });

  it('refuses a zero mask and a mask wider than the field', () => {
    expect(errorOf([w0(1, 2, 0), 0, 0, 0])).toMatch(/mask is zero/);
    expect(errorOf([w0(1, 1, 0), 0x1ff, 0, 0])).toBe('Atom 0: mask 0x1ff is wider than 1 byte');
    expect(errorOf([w0(2, 2, 0), 0x10000, 0, 0])).toBe('Atom 0: mask 0x10000 is wider than 2 bytes');
    expect(errorOf([w0(1, 4, 0), 0xffffffff, 0, 0])).toBeUndefined();
  });

  it('refuses a compare value with bits outside its mask, which could never match', () => {
    expect(errorOf([w0(1, 1, 14), 0xf0, 0x45, 0])).toBe('Atom 0: value 0x45 has bits outside mask 0xf0, so it can never match');
  });

  it('refuses a shift beyond DPF_SHIFT_MAX and a nonzero word 3', () => {
    expect(errorOf([w0(DpfKind.Shift, 1, 14), 0x0f, DPF_SHIFT_MAX + 1, 0])).toMatch(/shift 11 is more than 10/);
    expect(errorOf([w0(DpfKind.Shift, 1, 14), 0x0f, DPF_SHIFT_MAX, 0])).toBeUndefined();
    expect(errorOf([w0(1, 1, 0), 0xff, 0, 7])).toBe('Atom 0: word 3 is 0x7; it must be zero');
  });
});

describe('formatAtom', () => {
  it('writes fields as u<bits>[offset], masks only when partial', () => {
    expect(formatAtom(cmp(2, 12, 0x800))).toBe('u16[12] == 0x800');
    expect(formatAtom(cmp(1, 14, 0x40, 0xf0))).toBe('u8[14] & 0xf0 == 0x40');
    expect(formatAtom(shift(1, 14, 0x0f, 2))).toBe('base += (u8[14] & 0xf) << 2');
    expect(formatAtom(shift(2, 0, 0xffff, 0))).toBe('base += u16[0]');
  });
});
