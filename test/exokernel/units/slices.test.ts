// The time-slice vector on its own (src/exokernel/slices.ts; Aegis paper,
// sec. 5.3 "Processor time"): slots allocated by position, adjacent or
// spread, nothing allocated on a refusal, round robin over the owners.

import { describe, expect, it } from 'vitest';
import { SLICES } from '../../../src/exokernel/abi.js';
import { SliceVector } from '../../../src/exokernel/slices.js';

describe('SliceVector', () => {
  it('allocates any free slots from a position, wrapping', () => {
    const v = new SliceVector();
    expect(v.alloc(1, SLICES - 2, 4, 0)).toEqual([SLICES - 2, SLICES - 1, 0, 1]);
    expect(v.alloc(2, -1, 2, 0)).toEqual([2, 3]);
    expect(v.slotsOf(1)).toEqual([0, 1, SLICES - 2, SLICES - 1]);
  });

  it('allocates adjacent or spread slots by position, and says busy or nospc', () => {
    const v = new SliceVector();
    expect(v.alloc(1, 10, 3, 1)).toEqual([10, 11, 12]);
    expect(v.alloc(2, 0, 4, 32)).toEqual([0, 32, 64, 96]);
    expect(v.alloc(3, 11, 2, 1)).toBe('busy');
    expect(v.alloc(3, -1, 2, 1)).toEqual([1, 2]);
    expect(v.alloc(4, -1, SLICES, 0)).toBe('nospc');
    expect(v.slotsOf(4)).toEqual([]);
  });

  it('refuses what makes no sense and allocates nothing', () => {
    const v = new SliceVector();
    for (const [first, count, spacing] of [[0, 0, 0], [0, SLICES + 1, 0], [SLICES, 1, 0], [-2, 1, 0], [0, 1, SLICES], [0.5, 1, 0], [0, 2, -1]]) {
      expect(v.alloc(1, first, count, spacing), `${first} ${count} ${spacing}`).toBe('inval');
    }
    expect([...v.owner].every((o) => o === 0)).toBe(true);
  });

  it('a spread that meets itself when wrapping is refused, not doubled up', () => {
    const v = new SliceVector();
    expect(v.alloc(1, 0, 3, 64)).toBe('busy');
    expect(v.alloc(1, -1, 3, 64)).toBe('nospc');
  });

  it('round robin: the next runnable owner after the current slot, the current one last', () => {
    const v = new SliceVector();
    v.alloc(1, 5, 1, 0);
    v.alloc(2, 9, 1, 0);
    v.current = 5;
    expect(v.next(() => true)).toBe(9);
    expect(v.next((env) => env === 1)).toBe(5);
    expect(v.next(() => false)).toBe(-1);
  });

  it('frees an environment\'s slots, and save/restore gives back owners, position and epilogue', () => {
    const v = new SliceVector();
    v.alloc(1, 0, 2, 1);
    v.alloc(2, 2, 1, 1);
    v.phase = 'epilogue';
    v.graceDeadline = 1234;
    const saved = v.save();
    expect(v.freeAll(1)).toEqual([0, 1]);
    v.phase = 'run';
    v.restore(saved);
    expect(v.slotsOf(1)).toEqual([0, 1]);
    expect([v.phase, v.graceDeadline]).toEqual(['epilogue', 1234]);
  });
});
