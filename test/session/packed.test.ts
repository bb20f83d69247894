// Packing plain state for checkpoints (src/session/packed.ts): every part
// comes back exactly, and a part equal to the previous packing's is that
// very part, however deep, so a checkpoint holds only what changed.

import { describe, expect, it } from 'vitest';
import { pack, packedBytes, unpack, type Packed } from '../../src/session/packed.js';

/** The state of a small kernel-like record, with `n` changed in environment `which`. */
function state(which = -1, n = 0) {
  return {
    current: 2, idle: false, phase: 'run', none: null, gone: undefined, nan: NaN, negZero: -0,
    envs: [1, 2, 3].map((id) => ({ id, name: `env${id}`, regs: Array.from({ length: 34 }, (_, i) => (id === which && i === 5 ? n : i)), counters: { syscalls: id === which ? n : 0 }, guaranteed: [{ vpn: 1, frame: 10 + id }] })),
    slices: { owner: Array.from({ length: 128 }, (_, i) => i % 3) },
    big: Array.from({ length: 600 }, (_, i) => ({ i })),
    tags: new Float64Array([1, 2, 3]),
    map: new Map([[1, 'one']]),
  };
}

const part = (p: Packed, ...path: (string | number)[]): Packed => path.reduce<Packed>((q, k) => {
  if (q.t === 'obj' && typeof k === 'string') return q.vals[q.keys.indexOf(k)];
  if (q.t === 'list' && typeof k === 'number') return q.items[k];
  throw new Error(`no part ${String(k)}`);
}, p);

describe('pack', () => {
  it('gives back exactly what it packed: numbers (-0 and NaN too), strings, null, undefined, arrays, typed arrays, maps, key order', () => {
    const s = state();
    const back = unpack(pack(s)) as ReturnType<typeof state>;
    expect(back).toStrictEqual(s);
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(Object.keys(back)).toEqual(Object.keys(s));
    expect(back.envs[0]).not.toBe(s.envs[0]);
  });

  it('shares every part that did not change, however deep, and makes new only the path to a change', () => {
    const a = pack(state());
    const b = pack(state(2, 7), a);
    expect(unpack(b)).toStrictEqual(state(2, 7));
    expect(b).not.toBe(a);
    expect(part(b, 'envs', 0)).toBe(part(a, 'envs', 0));
    expect(part(b, 'envs', 2)).toBe(part(a, 'envs', 2));
    expect(part(b, 'envs', 1)).not.toBe(part(a, 'envs', 1));
    expect(part(b, 'envs', 1, 'name')).toBe(part(a, 'envs', 1, 'name'));
    expect(part(b, 'envs', 1, 'guaranteed')).toBe(part(a, 'envs', 1, 'guaranteed'));
    expect(part(b, 'envs', 1, 'regs', 4)).toBe(part(a, 'envs', 1, 'regs', 4));
    expect(part(b, 'envs', 1, 'regs', 5)).not.toBe(part(a, 'envs', 1, 'regs', 5));
    for (const k of ['slices', 'big', 'tags', 'phase']) expect(part(b, k)).toBe(part(a, k));
    expect(pack(state(), a)).toBe(a);
  });

  it('counts a shared part once over several packings', () => {
    const a = pack(state());
    const seen = new Set<object>();
    const first = packedBytes(a, seen);
    expect(first).toBeGreaterThan(0);
    expect(packedBytes(pack(state(), a), seen)).toBe(0);
    expect(packedBytes(pack(state(1, 9), a), seen)).toBeGreaterThan(0);
    expect(packedBytes(pack(state(1, 9), a), seen)).toBeLessThan(first / 4);
  });

  it('throws as structuredClone does for a function', () => {
    expect(() => pack({ a: { f: () => 1 } })).toThrow();
  });
});
