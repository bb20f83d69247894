// A sealed history chunk's body: events decode to exactly what their JSON
// would give back, key order included.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sessionFromScenario } from '../../src/session/index.js';
import { decodeEvents, encodeEvents } from '../../src/session/history-codec.js';
import { loadScenario } from '../../src/scenario/index.js';

/** What a chunk of `events` must decode to: their JSON, parsed. */
const viaJson = (events: readonly object[]): unknown[] => JSON.parse(JSON.stringify(events)) as unknown[];

describe('the history codec', () => {
  it('gives back every event of a busy run as its JSON would, key order included', () => {
    const sc = loadScenario(join(import.meta.dirname, '../../scenarios/living.yaml'));
    const s = sessionFromScenario(sc, { checkpointEvery: 0 });
    s.run(12_000_000);
    const events = s.history.slice(0, s.history.length);
    expect(new Set(events.map((e) => e.kind)).size).toBeGreaterThan(15);
    const body = encodeEvents(events);
    const back = decodeEvents<object>(body);
    expect(JSON.stringify(back)).toBe(JSON.stringify(events));
    expect(back).toEqual(viaJson(events));
    expect(body.length / events.length).toBeLessThan(12);
  });

  it('keeps every kind of value and each shape of a kind, drops undefined and writes -0, NaN and infinities as JSON does', () => {
    const events = [
      { kind: 'a', cycle: 5, env: 1, big: 2 ** 40 + 3, neg: -7, negBig: -(2 ** 45), f: 1.5, z: -0, nan: NaN, inf: -Infinity },
      { kind: 'a', cycle: 5, env: 1, nothing: undefined, s: 'é😀\u2028"\\', t: true, u: false, n: null },
      { cycle: 9, kind: 'a', env: 2 }, // the same kind written by another emitter: keys in another order
      { kind: 'b', cycle: 3, nested: { x: [1, 'two', { three: 3 }] }, arr: [1, 2] }, // a cycle below the last
      { kind: 'b', cycle: 2 ** 50, s: 'é😀\u2028"\\', unsafe: 2 ** 60 },
      { kind: 'c', cycle: -4, '2': 'integer key', '1': 'first' },
    ];
    const back = decodeEvents<object>(encodeEvents(events));
    expect(JSON.stringify(back)).toBe(JSON.stringify(events));
    expect(back).toStrictEqual(viaJson(events));
    expect(Object.keys(back[2])).toEqual(['cycle', 'kind', 'env']);
    expect(Object.is((back[0] as { z: number }).z, 0)).toBe(true);
  });

  it('decodes each chunk by itself, and an empty one', () => {
    const one = encodeEvents([{ kind: 'x', cycle: 100, s: 'first' }]);
    const two = encodeEvents([{ kind: 'y', cycle: 7, s: 'second' }]);
    expect(decodeEvents(two)).toEqual([{ kind: 'y', cycle: 7, s: 'second' }]);
    expect(decodeEvents(one)).toEqual([{ kind: 'x', cycle: 100, s: 'first' }]);
    expect(decodeEvents(encodeEvents([]))).toEqual([]);
  });

  it('refuses a body it did not write', () => {
    const body = encodeEvents([{ kind: 'x', cycle: 1 }]);
    body[body.length - 2] = 0x7f; // the shape number
    expect(() => decodeEvents(body)).toThrow(/Cannot decode a history chunk/);
  });
});
