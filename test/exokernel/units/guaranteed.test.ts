// Guaranteed mappings counted by the frame they name: the count follows
// every change to an environment's set, across checkpoints, and a frame
// that a guaranteed mapping names is never passed over.

import { describe, expect, it } from 'vitest';
import { exosImage } from '../helpers.js';
import { GuaranteedCount, GuaranteedMap, type Guaranteed } from '../../../src/exokernel/guaranteed.js';
import { Kernel, checkInvariant, checkInvariantChanges } from '../../../src/exokernel/index.js';

const g = (vpn: number, frame: number, loFrame = frame): Guaranteed => ({ vpn, frame, entryLo: (loFrame << 12) | 0x200, keyLo: 1, keyHi: 2 });

/** The frames `count` says some mapping names, among 0..n-1. */
const named = (count: GuaranteedCount, n: number): number[] => Array.from({ length: n }, (_, f) => f).filter((f) => count.names(f));

describe('GuaranteedMap', () => {
  it('counts each mapping under its frame and its EntryLo frame, on set, replace, delete and clear', () => {
    const count = new GuaranteedCount(16);
    const a = new GuaranteedMap(count), b = new GuaranteedMap(count, [g(1, 3)]);
    a.set(10, g(10, 5));
    a.set(11, g(11, 6, 7)); // a record whose frame and EntryLo differ (a forgery): both are named
    expect(named(count, 16)).toEqual([3, 5, 6, 7]);
    a.set(10, g(10, 8)); // replaced: frame 5 is named no more
    expect(named(count, 16)).toEqual([3, 6, 7, 8]);
    b.set(2, g(2, 8));
    a.delete(10);
    expect(a.delete(99)).toBe(false);
    expect(named(count, 16)).toEqual([3, 6, 7, 8]);
    b.forEach((x) => { if (x.frame === 8) b.delete(x.vpn); }); // deleting while visiting, as breakFrame does
    expect(named(count, 16)).toEqual([3, 6, 7]);
    a.clear();
    expect(named(count, 16)).toEqual([3]);
    expect([...b.keys()]).toEqual([1]);
  });

  it('names every frame while a mapping names one past the table', () => {
    const count = new GuaranteedCount(4);
    const m = new GuaranteedMap(count, [g(1, 900)]);
    expect(named(count, 4)).toEqual([0, 1, 2, 3]);
    m.clear();
    expect(named(count, 4)).toEqual([]);
  });
});

describe("the kernel's count of guaranteed mappings", () => {
  /** Frames the environments' guaranteed sets name, counted from the sets themselves. */
  const recount = (k: Kernel): number[] => {
    const frames = new Set<number>();
    for (const e of k.envs.values()) for (const x of e.guaranteed.values()) { frames.add(x.frame); frames.add((x.entryLo >>> 12) & 0xfffff); }
    return [...frames].sort((a, b) => a - b);
  };

  it('matches the guaranteed sets after creation, destruction and a restore', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    const save = k.save();
    const a = k.createEnv(exosImage('hello'), 'a');
    k.createEnv(exosImage('hello'), 'b');
    expect(named(k.guaranteedCount, k.frames.count)).toEqual(recount(k));
    k.run(2_000_000);
    k.destroyEnv(a, 'test');
    expect(named(k.guaranteedCount, k.frames.count)).toEqual(recount(k));
    k.restore(save);
    expect(named(k.guaranteedCount, k.frames.count)).toEqual([]);
  });

  it('lets the incremental check catch a guaranteed frame freed under its mapping', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    const a = k.createEnv(exosImage('hello'), 'a');
    k.run(200_000);
    expect(checkInvariantChanges(k)).toEqual([]);
    const stack = [...a.guaranteed.values()].find((x) => k.frames.frames[x.frame].owner === a.id)!;
    k.frames.free(stack.frame);
    const found = checkInvariantChanges(k);
    expect(found.some((s) => s.includes(`maps free frame ${stack.frame}`))).toBe(true);
    expect(found.sort()).toEqual(checkInvariant(k).sort());
  });
});

describe('guaranteed mappings across saves', () => {
  /** An environment's guaranteed mappings as records, in the map's order. */
  const records = (m: GuaranteedMap): Guaranteed[] => [...m.values()].map((x) => ({ ...x }));

  it('a save after each change (set, replace, delete, clear) restores exactly that set, in order, counted', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    const a = k.createEnv(exosImage('hello'), 'a');
    k.run(200_000);
    const m = () => k.envs.get(a.id)!.guaranteed;
    const states: { save: ReturnType<Kernel['save']>; want: Guaranteed[] }[] = [];
    const take = () => states.push({ save: k.save(), want: records(m()) });
    take();
    take(); // unchanged: the same laid-out mappings serve again
    m().set(0x30000, g(0x30000, 40, 41));
    take();
    m().set(0x30000, { ...g(0x30000, 42), keyLo: 0xfffffffe, keyHi: -5 }); // replaced, with a key word that is not a small integer
    take();
    m().delete([...m().keys()][0]);
    take();
    m().clear();
    take();
    for (const st of [...states].reverse().concat(states)) {
      k.restore(st.save);
      expect(records(m())).toEqual(st.want);
      expect(named(k.guaranteedCount, k.frames.count).filter((f) => f < k.frames.count)).toEqual(
        [...new Set(st.want.flatMap((x) => [x.frame, (x.entryLo >>> 12) & 0xfffff]))].sort((x, y) => x - y));
    }
    expect(states[1].want).toEqual(states[0].want);
    expect(states[2].want).not.toEqual(states[1].want);
  });
});
