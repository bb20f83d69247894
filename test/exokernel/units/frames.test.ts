// The frame table on its own (src/exokernel/frames.ts; Aegis paper, sec.
// 5.1): frames by name, an owner and an access list of (key, rights), the
// user-visible entry mirrored on every change, and change marks.

import { describe, expect, it } from 'vitest';
import { FrameEntry, KERNEL_OWNER, Rights } from '../../../src/exokernel/abi.js';
import { ACCESS_LIST_MAX, FrameTable } from '../../../src/exokernel/frames.js';

function table(count = 16) {
  const mirrored = new Map<number, number>();
  return { t: new FrameTable(count, (f, e) => mirrored.set(f, e)), mirrored };
}

describe('FrameTable', () => {
  it('allocates by name or the lowest free frame, and refuses owned or missing frames', () => {
    const { t } = table();
    expect(t.alloc(5, 1, 0x11, 0x22)).toBe(5);
    expect(t.alloc(5, 2, 0, 0)).toBe('busy');
    expect(t.alloc(16, 2, 0, 0)).toBe('inval');
    expect(t.alloc(-1, 2, 0, 0)).toBe(0);
    expect(t.alloc(-1, 2, 0, 0)).toBe(1);
    const full = table(2).t;
    full.alloc(-1, 1, 0, 0); full.alloc(-1, 1, 0, 0);
    expect(full.alloc(-1, 1, 0, 0)).toBe('nomem');
    t.free(0);
    expect(t.alloc(-1, 3, 0, 0)).toBe(0);
  });

  it('rights come only from a key on the access list; rekey drops all but the owner\'s; free drops all', () => {
    const { t } = table();
    t.alloc(3, 1, 0x11, 0x22);
    expect(t.rightsOf(3, 0x11, 0x22)).toBe(Rights.ReadWrite);
    expect(t.rightsOf(3, 0x11, 0x23)).toBe(0);
    expect(t.grant(3, { keyLo: 0x33, keyHi: 0x44, rights: Rights.Read })).toBe(true);
    expect(t.rightsOf(3, 0x33, 0x44)).toBe(Rights.Read);
    t.rekey(3);
    expect(t.rightsOf(3, 0x33, 0x44)).toBe(0);
    expect(t.rightsOf(3, 0x11, 0x22)).toBe(Rights.ReadWrite);
    t.free(3);
    expect(t.rightsOf(3, 0x11, 0x22)).toBe(0);
  });

  it('an access list holds at most ACCESS_LIST_MAX capabilities', () => {
    const { t } = table();
    t.alloc(1, 1, 0, 0);
    for (let i = 1; i < ACCESS_LIST_MAX; i++) expect(t.grant(1, { keyLo: i, keyHi: 0, rights: Rights.Read })).toBe(true);
    expect(t.grant(1, { keyLo: 99, keyHi: 0, rights: Rights.Read })).toBe(false);
  });

  it('mirrors each change into the user-visible entry: owner, grants, guaranteed', () => {
    const { t, mirrored } = table();
    t.alloc(2, 7, 0, 0, true);
    t.grant(2, { keyLo: 1, keyHi: 1, rights: Rights.Read });
    const e = mirrored.get(2)!;
    expect(e & FrameEntry.OWNER_MASK).toBe(7);
    expect((e >>> FrameEntry.GRANTS_SHIFT) & 0xff).toBe(1);
    expect(e & FrameEntry.FLAG_GUARANTEED).toBe(FrameEntry.FLAG_GUARANTEED);
    t.reserve(4);
    expect(mirrored.get(4)! & FrameEntry.OWNER_MASK).toBe(KERNEL_OWNER);
    expect(t.rightsOf(4, 0, 0)).toBe(0);
  });

  it('marks changes: narrowed only when rights shrink, and takeChanged hands each frame once', () => {
    const { t } = table();
    t.changed.clear();
    expect(t.narrowed.all).toBe(true); // a new table: the first check looks at everything
    t.narrowed.clear();
    t.alloc(1, 1, 0, 0);
    t.grant(1, { keyLo: 5, keyHi: 5, rights: Rights.Read });
    expect(t.narrowed.has(1)).toBe(false);
    expect(t.changed.entries()).toContain(1);
    t.rekey(1);
    expect(t.narrowed.has(1)).toBe(true);
    t.alloc(2, 1, 0, 0);
    expect(t.takeChanged()).toEqual([1, 2]);
    expect(t.takeChanged()).toEqual([]);
  });

  it('ownedBy, freeCount, and save/restore of a range', () => {
    const { t } = table(8);
    t.alloc(1, 3, 1, 1); t.alloc(6, 3, 1, 1); t.alloc(2, 4, 1, 1);
    expect(t.ownedBy(3)).toEqual([1, 6]);
    expect(t.freeCount()).toBe(5);
    const saved = t.save(0, 4);
    t.free(1); t.free(2);
    t.restore(saved, 0);
    expect(t.ownedBy(3)).toEqual([1, 6]);
    expect(t.ownedBy(4)).toEqual([2]);
    expect(t.freeCount()).toBe(5);
    expect(t.alloc(-1, 9, 0, 0)).toBe(0);
    expect(t.freeCount()).toBe(4);
  });

  it('keeps the free count through every change of owner', () => {
    const { t } = table(8);
    const count = () => t.frames.filter((f) => f.owner === 0).length;
    const steps: (() => unknown)[] = [
      () => t.alloc(3, 1, 0, 0), () => t.alloc(3, 2, 0, 0), () => t.alloc(-1, 1, 0, 0), () => t.reserve(5), () => t.reserve(5),
      () => t.free(3), () => t.free(3), () => t.free(5), () => t.alloc(99, 1, 0, 0), () => t.restore(t.save(0, 2), 0), () => t.alloc(-1, 2, 0, 0),
    ];
    for (const step of steps) { step(); expect(t.freeCount()).toBe(count()); }
  });

  it('holders: hold gives one frame its holders (rights added up), other frames stay without; free and alloc forget them; save/restore keeps them', () => {
    const { t } = table();
    t.alloc(2, 1, 0, 0);
    t.alloc(3, 1, 0, 0);
    t.hold(2, 7, Rights.Read);
    t.hold(2, 7, Rights.Write);
    t.hold(2, 8, Rights.Read);
    expect([...t.frames[2].holders]).toEqual([[7, Rights.ReadWrite], [8, Rights.Read]]);
    expect(t.frames.filter((f) => f.holders.size > 0)).toEqual([t.frames[2]]);
    const saved = t.save();
    t.free(2);
    expect(t.frames[2].holders.size).toBe(0);
    t.hold(3, 9, Rights.Read);
    expect(t.frames.filter((f) => f.holders.size > 0)).toEqual([t.frames[3]]);
    t.restore(saved);
    expect([...t.frames[2].holders]).toEqual([[7, Rights.ReadWrite], [8, Rights.Read]]);
    expect(t.frames[3].holders.size).toBe(0);
    t.free(3);
    t.alloc(3, 2, 0, 0);
    t.hold(3, 4, Rights.Read);
    expect(t.frames.filter((f) => f.holders.size > 0).length).toBe(2);
  });

  it('releaseAll forgets one environment\'s holds on every frame and marks just those frames', () => {
    const { t } = table();
    t.alloc(3, 2, 0, 0); t.alloc(5, 2, 0, 0); t.alloc(7, 2, 0, 0);
    t.hold(3, 4, Rights.Read); t.hold(3, 6, Rights.Read); t.hold(5, 4, Rights.ReadWrite); t.hold(7, 6, Rights.Read);
    t.held.clear();
    t.takeChanged();
    t.releaseAll(4);
    expect([...t.frames[3].holders.keys()]).toEqual([6]);
    expect(t.frames[5].holders.size).toBe(0);
    expect([...t.frames[7].holders.keys()]).toEqual([6]);
    expect([...t.held.entries()].sort((a, b) => a - b)).toEqual([3, 5]);
    expect(t.takeChanged()).toEqual([3, 5]);
  });
});
