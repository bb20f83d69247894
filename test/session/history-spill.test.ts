// The history's spill file is bounded: a ring of `spillBytes`, the oldest
// chunks forgotten past it (their counts kept), and a disk that refuses
// writes costs the oldest events, never the session.

import { existsSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { History, fdSpillFile, type SpillFile } from '../../src/session/index.js';
import type { KernelEvent } from '../../src/exokernel/index.js';

/**
 * Event i. Chunks (4,096 events) differ in size by up to three times, as a
 * real run's do, so that the ring's chunks do not line up lap after lap
 * (a lap can then end with older chunks still held past where it wraps).
 */
function ev(i: number): KernelEvent {
  if (i % 3 === 0) return { kind: 'idle', cycle: i * 10 } as KernelEvent;
  const e: Record<string, unknown> = { kind: 'syscall', cycle: i * 10, env: 1 + (i % 2), call: 'Yield', result: i % 7 };
  const k = i >>> 12, weight = (Math.imul(k + 1, 0x9e3779b1) >>> 29) % 7; // 0..6, in no period the ring could follow
  for (let f = 0; f < weight; f++) e[`a${f}`] = 2 ** 40 + i * (f + 1);
  return e as unknown as KernelEvent;
}

/** What a history of `events` must count. */
function counts(events: readonly KernelEvent[]): { kinds: Record<string, number>; envs: Record<number, number> } {
  const kinds: Record<string, number> = {}, envs: Record<number, number> = {};
  for (const e of events) {
    kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    if ('env' in e) envs[e.env as number] = (envs[e.env as number] ?? 0) + 1;
  }
  return { kinds, envs };
}

const dir = mkdtempSync(join(tmpdir(), 'exoscope-spill-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A spill file at a path the test can look at. */
function visibleSpill(): { open: () => SpillFile; size: () => number } {
  const path = join(dir, `spill-${files++}.bin`);
  return { open: () => fdSpillFile(openSync(path, 'w+')), size: () => (existsSync(path) ? statSync(path).size : 0) };
}

/** A spill file on a disk that holds `room` bytes: a write past them throws ENOSPC, as writeSync does. */
function fillingSpill(room: number): { open: () => SpillFile; writes: () => number } {
  const data = new Uint8Array(room);
  let writes = 0;
  return {
    open: () => ({
      write: (d, offset) => {
        if (offset + d.length > room) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        data.set(d, offset);
        writes++;
      },
      read: (into, offset) => { into.set(data.subarray(offset, offset + into.length)); },
      close: () => {},
    }),
    writes: () => writes,
  };
}

/** Every event `h` still holds equals the reference's, and its counts are the whole reference's. */
function checkAgainst(h: History, all: readonly KernelEvent[]): void {
  expect(h.length).toBe(all.length);
  expect(h.first % 4096).toBe(0);
  expect(h.slice(0)).toEqual(all.slice(h.first));
  expect(h.kindCounts()).toEqual(counts(all).kinds);
  expect(h.envCounts()).toEqual(counts(all).envs);
  if (h.first > 0) expect(() => h.at(h.first - 1)).toThrow(/forgotten/);
}

describe('the history spill file', () => {
  it('stays within its bound: past it the oldest chunks are forgotten, the newest events all held, every count kept', () => {
    const spill = visibleSpill();
    const bound = 400_000;
    const h = new History({ memoryBytes: 1, spillBytes: bound, openSpill: spill.open });
    const all = Array.from({ length: 120_000 }, (_, i) => ev(i));
    for (const e of all) h.push(e);
    expect(h.first).toBeGreaterThan(60_000);
    expect(spill.size()).toBeLessThanOrEqual(bound);
    expect(h.spilled).toBeLessThanOrEqual(bound);
    checkAgainst(h, all);
    // Counting and searching reach back to the first event held, not past it.
    expect(h.countKind('idle', h.first + 10)).toBe(counts(all.slice(0, h.first + 10)).kinds.idle);
    expect(h.countEnv(2, 110_000)).toBe(counts(all.slice(0, 110_000)).envs[2]);
    expect(() => h.countKind('idle', h.first - 1)).toThrow(/forgotten/);
    const idle = (i: number) => all[i].kind === 'idle';
    expect(h.lastOfKind('idle', h.first + 3)).toBe([h.first + 2, h.first + 1, h.first].find(idle));
    expect(h.lastOfKind('idle', h.first)).toBe(-1); // the idle events before it were forgotten
    expect(idle(h.first - 1) || idle(h.first - 2) || idle(h.first - 3)).toBe(true);
    expect(h.countBefore(0)).toBe(h.first);
    expect(h.countBefore(all[115_000].cycle)).toBe(115_000);
    // Memory: the forgotten chunks' counts are one sum, not one each.
    expect(h.bytes).toBeLessThan(3 * 4096 * 200 + 400_000);
  });

  it('cuts back and grows again over the ring as time travel does, the held events and counts always right', () => {
    const spill = visibleSpill();
    const bound = 500_000;
    const h = new History({ memoryBytes: 100_000, spillBytes: bound, openSpill: spill.open });
    let all: KernelEvent[] = [];
    let seed = 7, serial = 0;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    for (let round = 0; round < 60; round++) {
      const add = rand(20_000);
      for (let i = 0; i < add; i++) { const e = ev(serial++); all.push(e); h.push(e); }
      if (rand(3) === 0 && h.length > h.first) {
        const to = h.first + rand(h.length - h.first);
        h.truncate(to);
        all = all.slice(0, to);
      }
      checkAgainst(h, all);
      expect(spill.size()).toBeLessThanOrEqual(bound);
    }
    expect(h.first).toBeGreaterThan(0);
    expect(() => h.truncate(h.first - 1)).toThrow(/forgotten/);
  });

  it('survives a disk that fills up: the ring shrinks to what was written and the session goes on', () => {
    const disk = fillingSpill(300_000);
    const h = new History({ memoryBytes: 1, openSpill: disk.open });
    const all = Array.from({ length: 120_000 }, (_, i) => ev(i));
    for (const e of all) h.push(e);
    expect(disk.writes()).toBeGreaterThan(10);
    expect(h.spilled).toBeLessThanOrEqual(300_000);
    expect(h.first).toBeGreaterThan(60_000);
    checkAgainst(h, all);
  });

  it('survives a disk that takes nothing (and a temporary directory it cannot open): the chunks leaving memory are forgotten', () => {
    for (const open of [() => fdSpillFile(openSync('/dev/full', 'r+')), (): SpillFile => { throw new Error('EACCES: permission denied, open'); }]) {
      const h = new History({ memoryBytes: 200_000, openSpill: open });
      const all = Array.from({ length: 80_000 }, (_, i) => ev(i));
      for (const e of all) h.push(e);
      expect(h.spilled).toBe(0);
      expect(h.first).toBeGreaterThan(40_000);
      checkAgainst(h, all);
      expect(h.bytes).toBeLessThan(300_000 + 4096 * 200 + 20_000);
    }
  });
});

describe('fdSpillFile', () => {
  it('reads back what it wrote at any offset, and a read past the end of the file is an error that says where the file ends', () => {
    const f = fdSpillFile(openSync(join(dir, `spill-${files++}.bin`), 'w+'));
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 255);
    f.write(data, 100);
    const back = new Uint8Array(10_000);
    f.read(back, 100);
    expect(back).toEqual(data);
    const part = new Uint8Array(50);
    f.read(part, 9_000);
    expect(part).toEqual(data.subarray(8_900, 8_950));
    expect(() => f.read(new Uint8Array(200), 10_000)).toThrow(/spill file ends at byte 10100, inside a chunk written to bytes 10000 to 10200/);
    f.close();
  });
});
