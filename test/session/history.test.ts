// The whole history: every event since boot, sealed in chunks, indexed by
// kind, environment and cycle, and cut back by time travel.

import { describe, expect, it } from 'vitest';
import { History } from '../../src/session/index.js';
import type { KernelEvent } from '../../src/exokernel/index.js';

const ev = (i: number): KernelEvent => (i % 3 === 0
  ? { kind: 'idle', cycle: i * 10 }
  : { kind: 'syscall', cycle: i * 10, env: 1 + (i % 2), call: 'Yield', result: 0 }) as KernelEvent;

describe('History', () => {
  it('keeps every event across sealed chunks, counts by kind and environment, and cuts back exactly', () => {
    const h = new History();
    const all = Array.from({ length: 10_000 }, (_, i) => ev(i));
    for (const e of all) h.push(e);
    expect(h.length).toBe(10_000);
    expect(h.at(0)).toEqual(all[0]);
    expect(h.at(5000)).toEqual(all[5000]);
    expect(h.slice(4090, 4100)).toEqual(all.slice(4090, 4100));
    expect(h.countKind('idle')).toBe(all.filter((e) => e.kind === 'idle').length);
    expect(h.countEnv(2)).toBe(all.filter((e) => 'env' in e && e.env === 2).length);
    expect(h.kindCounts()).toEqual({ idle: 3334, syscall: 6666 });
    expect(h.lastOfKind('idle', 10)).toBe(9);
    expect(h.countBefore(500)).toBe(50);
    h.truncate(4100);
    expect(h.length).toBe(4100);
    expect(h.countKind(undefined)).toBe(4100);
    expect(h.countKind('idle')).toBe(all.slice(0, 4100).filter((e) => e.kind === 'idle').length);
    expect(h.lastOfKind('syscall')).toBe(4099);
    expect(h.pairCounts().find((p) => p.kind === 'syscall' && p.envs[0] === 2)?.count).toBe(all.slice(0, 4100).filter((e) => 'env' in e && e.env === 2).length);
    for (const e of all.slice(4100)) h.push(e);
    expect(h.slice(0, h.length)).toEqual(all);
    expect(() => h.at(10_000)).toThrow('No event 10000: the history holds 10000');
    expect(h.bytes).toBeLessThan(10_000 * 120);
  });
});
