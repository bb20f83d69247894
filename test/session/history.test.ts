// The whole history: every event since boot, sealed in chunks, indexed by
// kind, environment and cycle, and cut back by time travel.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { History, sessionFromScenario } from '../../src/session/index.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { KernelEvent } from '../../src/exokernel/index.js';
import { ChunkCounts, Counts } from '../../src/session/history-counts.js';

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

  it('keeps memory bounded by spilling the oldest sealed chunks to a file, every event still reachable, counted and cut back', () => {
    const h = new History({ memoryBytes: 1 });
    const all = Array.from({ length: 30_000 }, (_, i) => ev(i));
    for (const e of all) h.push(e);
    expect(h.spilled).toBeGreaterThan(0);
    // In memory: the newest sealed body, every chunk's counts and the open chunk; not the spilled bodies.
    expect(h.bytes).toBeLessThan(3 * 4096 * 200);
    expect(h.at(0)).toEqual(all[0]);
    expect(h.at(12_345)).toEqual(all[12_345]);
    expect(h.slice(8180, 8200)).toEqual(all.slice(8180, 8200));
    expect(h.lastOfKind('idle', 5000)).toBe(4998);
    expect(h.countKind('idle', 20_000)).toBe(all.slice(0, 20_000).filter((e) => e.kind === 'idle').length);
    expect(h.countBefore(123_450)).toBe(12_345);
    h.truncate(9000);
    expect(h.kindCounts()).toEqual({ idle: 3000, syscall: 6000 });
    for (const e of all.slice(9000)) h.push(e);
    expect(h.slice(0, h.length)).toEqual(all);
    expect(h.envCounts()).toEqual({ 1: 10_000, 2: 10_000 });
  });

  it('counts the same whether asked after every event, now and then, or only at the end, across sealing and cutting back', () => {
    const mixed = (i: number): KernelEvent => (i % 5 === 0
      ? { kind: 'context-switch', cycle: i, from: i % 3, to: 1 + (i % 4) }
      : ev(i)) as KernelEvent;
    const all = Array.from({ length: 13_000 }, (_, i) => mixed(i));
    const counts = (h: History) => ({ kinds: h.kindCounts(), envs: h.envCounts(), pairs: h.pairCounts(), idle: h.countKind('idle'), env3: h.countEnv(3) });
    const eager = new History(), sometimes = new History(), lazy = new History();
    all.forEach((e, i) => {
      eager.push(e); sometimes.push(e); lazy.push(e);
      counts(eager);
      if (i % 1000 === 7) counts(sometimes);
    });
    expect(counts(sometimes)).toEqual(counts(eager));
    expect(counts(lazy)).toEqual(counts(eager));
    expect(counts(lazy).kinds).toEqual({ 'context-switch': 2600, idle: 3467, syscall: 6933 });
    for (const h of [eager, sometimes, lazy]) { h.truncate(9_001); for (const e of all.slice(9_001, 11_000)) h.push(e); }
    const fresh = new History();
    for (const e of all.slice(0, 11_000)) fresh.push(e);
    for (const h of [eager, sometimes, lazy]) expect(counts(h)).toEqual(counts(fresh));
    lazy.truncate(8_200); // back into a sealed chunk, with the open chunk not yet counted
    const cut = new History();
    for (const e of all.slice(0, 8_200)) cut.push(e);
    expect(counts(lazy)).toEqual(counts(cut));
  });

  it('is kept by a session unless it is told not to (a headless replay): then it stays empty while the kernel runs', () => {
    const sc = loadScenario(join(import.meta.dirname, '../../scenarios/forger.yaml'));
    const kept = sessionFromScenario(sc), dropped = sessionFromScenario(sc, { history: false });
    for (const s of [kept, dropped]) s.run(200_000);
    expect(kept.kernel.log.total).toBeGreaterThan(10);
    expect(kept.history.length).toBe(kept.kernel.log.total);
    expect(dropped.kernel.log.total).toBe(kept.kernel.log.total);
    expect(dropped.history.length).toBe(0);
  });

  it('keeps the counts of a sealed chunk compact (ChunkCounts): the same counts by kind, environment and pair, added and taken away', () => {
    const events = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0
      ? { kind: 'context-switch', cycle: i, from: i % 5, to: i % 3 } // from === to now and then: a pair about one environment
      : i % 11 === 0 ? { kind: 'idle', cycle: i } : { kind: `k${i % 4}`, cycle: i, env: 1 + (i % 9) })) as unknown as KernelEvent[];
    const whole = new Counts();
    for (const e of events) whole.add(e, 1);
    const compact = new ChunkCounts(whole);
    for (const k of ['context-switch', 'idle', 'k0', 'k3', 'none']) expect(compact.kindCount(k)).toBe(whole.kindCount(k));
    for (let env = 0; env < 12; env++) expect(compact.envCount(env)).toBe(whole.envCount(env));
    const again = new Counts();
    again.merge(compact, 1);
    expect([...again.kinds]).toEqual([...whole.kinds]);
    expect([...again.envs]).toEqual([...whole.envs]);
    expect(again.pairs).toEqual(whole.pairs);
    expect(whole.pairs.some((p) => p.kind === 'context-switch' && p.envs.length === 1)).toBe(true);
    again.merge(compact, -1);
    expect([...again.kinds.values(), ...again.envs.values(), ...again.pairs.map((p) => p.count)].every((n) => n === 0)).toBe(true);
    expect(compact.bytes).toBeLessThan(whole.bytes / 3);
  });
});
