// The STLB on its own (src/exokernel/stlb.ts; Aegis paper, sec. 5.3): a
// direct-mapped table on (ASID, VPN) that keeps each binding's key, counts
// hits, misses and evictions, and marks what changed.

import { describe, expect, it } from 'vitest';
import { ChangeSet } from '../../../src/exokernel/changes.js';
import { STLB_SIZE, Stlb, stlbSlot } from '../../../src/exokernel/stlb.js';

/** Two (asid, vpn) pairs that fall in the same slot. */
function collision(): [[number, number], [number, number]] {
  const a: [number, number] = [3, 0x400];
  for (let vpn = 0; ; vpn++) if (vpn !== a[1] && stlbSlot(3, vpn) === stlbSlot(...a)) return [a, [3, vpn]];
}

describe('Stlb', () => {
  it('slots are in range and depend on both the ASID and the VPN', () => {
    for (const [asid, vpn] of [[0, 0], [63, 0xfffff], [1, 0x400], [2, 0x400]]) expect(stlbSlot(asid, vpn)).toBeLessThan(STLB_SIZE);
    expect(stlbSlot(1, 0x400)).not.toBe(stlbSlot(2, 0x400));
    expect(stlbSlot(1, 0x400)).not.toBe(stlbSlot(1, 0x401));
  });

  it('finds what was inserted under its own ASID only, and counts hits and misses', () => {
    const s = new Stlb();
    expect(s.insert(1, 0x400, 0x12345602, 7, 0xaaaa, 0xbbbb)).toBeUndefined();
    expect(s.lookup(1, 0x400)).toBe(0x12345602);
    expect(s.lookup(2, 0x400)).toBeUndefined();
    expect(s.lookup(1, 0x401)).toBeUndefined();
    expect([s.hits, s.misses]).toEqual([1, 2]);
    expect(s.peek(1, 0x400)).toBe(0x12345602);
    expect([s.hits, s.misses]).toEqual([1, 2]);
    expect(s.keyOf(1, 0x400)).toEqual({ lo: 0xaaaa, hi: 0xbbbb });
    expect(s.keyOf(2, 0x400)).toBeUndefined();
  });

  it('a colliding insert evicts the other page and returns it; rewriting the same page does not', () => {
    const s = new Stlb();
    const [a, b] = collision();
    s.insert(a[0], a[1], 0x1000 << 12 | 0x600, 5, 1, 2);
    expect(s.insert(a[0], a[1], 0x1001 << 12 | 0x600, 5, 1, 2)).toBeUndefined();
    const out = s.insert(b[0], b[1], 0x2000 << 12 | 0x600, 6, 3, 4);
    expect(out).toEqual({ slot: stlbSlot(...a), asid: a[0], vpn: a[1], entryLo: (0x1001 << 12 | 0x600) >>> 0, env: 5, keyLo: 1, keyHi: 2 });
    expect(s.evictions).toBe(1);
    expect(s.peek(...a)).toBeUndefined();
    expect(s.peek(...b)).toBe(0x2000 << 12 | 0x600);
  });

  it('removes one binding, those a predicate picks, and those of a frame for chosen environments', () => {
    const s = new Stlb();
    s.insert(1, 0x10, 0x100 << 12, 1, 0, 0);
    s.insert(1, 0x11, 0x101 << 12, 1, 0, 0);
    s.insert(2, 0x20, 0x100 << 12, 2, 0, 0);
    s.insert(3, 0x30, 0x100 << 12, 3, 0, 0);
    expect(s.remove(1, 0x11)).toBe(true);
    expect(s.remove(1, 0x11)).toBe(false);
    expect(s.removeFrame(0x100, (env) => env !== 3).map((e) => e.env).sort()).toEqual([1, 2]);
    expect(s.entries().map((e) => e.env)).toEqual([3]);
    expect(s.removeWhere((e) => e.asid === 3)).toHaveLength(1);
    expect(s.entries()).toEqual([]);
  });

  it('removeAsid empties exactly the entries of one ASID (the lowest and highest VPN included), marks their slots and keeps the frame index right', () => {
    const s = new Stlb();
    s.insert(4, 0, 0x300 << 12, 1, 0, 0);
    s.insert(4, 0xfffff, 0x301 << 12, 1, 0, 0);
    s.insert(3, 0xfffff, 0x300 << 12, 2, 0, 0);
    s.insert(5, 0, 0x301 << 12, 3, 0, 0);
    s.changed.clear();
    expect(s.valid(stlbSlot(4, 0))).toBe(true);
    expect(s.removeAsid(4)).toBe(2);
    expect(s.valid(stlbSlot(4, 0))).toBe(false);
    expect(s.changed.entries().slice().sort((x, y) => x - y)).toEqual([stlbSlot(4, 0), stlbSlot(4, 0xfffff)].sort((x, y) => x - y));
    expect(s.entries().map((e) => [e.asid, e.vpn])).toEqual([[3, 0xfffff], [5, 0]].sort((x, y) => stlbSlot(x[0], x[1]) - stlbSlot(y[0], y[1])));
    expect(s.removeAsid(4)).toBe(0);
    expect(s.removeFrame(0x300, () => true).map((e) => e.env)).toEqual([2]);
    expect(s.removeFrame(0x301, () => true).map((e) => e.env)).toEqual([3]);
  });

  it('marks every slot it writes or empties, and save/restore gives back the table and counters', () => {
    const s = new Stlb();
    s.insert(1, 0x10, 0x100 << 12, 1, 9, 9);
    expect(s.changed.has(stlbSlot(1, 0x10))).toBe(true);
    s.lookup(1, 0x10);
    const saved = s.save();
    s.insert(1, 0x11, 0x101 << 12, 1, 0, 0);
    s.remove(1, 0x10);
    s.lookup(1, 0x10);
    s.restore(saved);
    expect(s.entries().map((e) => [e.asid, e.vpn, e.keyLo])).toEqual([[1, 0x10, 9]]);
    expect([s.hits, s.misses, s.evictions]).toEqual([1, 0, 0]);
    const frames = new ChangeSet(1 << 20);
    frames.clear();
    frames.add(0x101);
    expect(s.slotsOfFrames(frames)).toEqual([]);
    frames.add(0x100);
    expect(s.slotsOfFrames(frames)).toEqual([stlbSlot(1, 0x10)]);
    expect(s.removeFrame(0x101, () => true)).toEqual([]);
    expect(s.removeFrame(0x100, () => true).map((e) => e.vpn)).toEqual([0x10]);
  });

  it('finds a frame\'s entries whatever wrote or emptied their slots (rebinding, eviction, remove, removeWhere, restore)', () => {
    const s = new Stlb();
    const all = () => true;
    const [[a1, v1], [a2, v2]] = collision();
    s.insert(a1, v1, 0x200 << 12, 1, 0, 0);
    s.insert(a1, v1, 0x201 << 12, 1, 0, 0); // the same page rebound to another frame
    expect(s.removeFrame(0x200, all)).toEqual([]);
    s.insert(a2, v2, 0x202 << 12, 2, 0, 0); // evicts the binding of frame 0x201
    s.insert(2, 0x20, 0x203 << 12, 2, 0, 0);
    const saved = s.save();
    s.remove(2, 0x20);
    expect(s.removeFrame(0x203, all)).toEqual([]);
    s.restore(saved);
    expect(s.removeFrame(0x203, all).map((e) => e.vpn)).toEqual([0x20]);
    expect(s.removeFrame(0x201, all)).toEqual([]);
    expect(s.removeFrame(0x202, all).map((e) => e.vpn)).toEqual([v2]);
    expect(s.removeFrame(0x202, all)).toEqual([]);
    s.insert(3, 0x30, 0x204 << 12, 3, 0, 0);
    expect(s.removeFrame(0x204, (env) => env !== 3)).toEqual([]);
    expect(s.removeWhere((e) => e.env === 3)).toHaveLength(1);
    expect(s.removeFrame(0x204, all)).toEqual([]);
    s.insert(3, 0x30, 0x204 << 12, 3, 0, 0);
    expect(s.removeFrame(0x204, all)).toHaveLength(1);
  });
  it('saves share their tables while no slot changes, and a change makes new ones (the earlier save keeps what it saw)', () => {
    const s = new Stlb();
    s.insert(3, 0x10, 0x200 << 12, 7, 1, 2);
    const a = s.save(), b = s.save();
    expect(b.tag).toBe(a.tag);
    s.lookup(3, 0x10); // a hit changes the counters only
    const c = s.save();
    expect(c.lo).toBe(a.lo);
    expect(c.hits).toBe(1);
    s.insert(3, 0x11, 0x201 << 12, 7, 1, 2);
    const d = s.save();
    expect(d.tag).not.toBe(a.tag);
    expect([...a.tag].filter((t) => t !== 0)).toHaveLength(1);
    expect([...d.tag].filter((t) => t !== 0)).toHaveLength(2);
    s.remove(3, 0x11);
    expect(s.save().tag).not.toBe(d.tag);
    s.restore(a);
    expect(s.save().tag).not.toBe(a.tag); // a copy of the table restored, not the saved one
    expect(s.peek(3, 0x11)).toBeUndefined();
  });

  it('vpnOf finds the page an environment binds a frame at, by slot, and -1 for a frame no entry of its maps', () => {
    const s = new Stlb();
    s.insert(3, 0x10, 0x200 << 12, 7, 0, 0);
    s.insert(4, 0x20, 0x200 << 12, 8, 0, 0);
    expect(s.vpnOf(7, 0x200)).toBe(0x10);
    expect(s.vpnOf(8, 0x200)).toBe(0x20);
    expect(s.vpnOf(9, 0x200)).toBe(-1);
    expect(s.vpnOf(7, 0x201)).toBe(-1);
    s.remove(3, 0x10);
    expect(s.vpnOf(7, 0x200)).toBe(-1);
  });

  it('removeFrame finds every entry of a frame wherever its slot is, the passed-over ones counted, and none of another frame', () => {
    const s = new Stlb();
    // Entries of frame 0x400 in slots from low to high, one of another environment between, and one of frame 0x401.
    const vpns = [0x1, 0x7ff, 0xfff, 0x5];
    vpns.forEach((vpn, i) => s.insert(1, vpn, (0x400 << 12) | 0x200, i === 2 ? 9 : 1, 0, 0));
    s.insert(1, 0x6, (0x401 << 12) | 0x200, 1, 0, 0);
    const slots = vpns.map((v) => stlbSlot(1, v));
    expect(new Set(slots).size).toBe(4);
    expect(s.removeFrame(0x400, (env) => env === 9).map((e) => e.vpn)).toEqual([0xfff]);
    expect(s.removeFrame(0x400, () => true).map((e) => e.vpn).sort((a, b) => a - b)).toEqual([0x1, 0x5, 0x7ff]);
    expect(s.removeFrame(0x400, () => true)).toEqual([]);
    expect(s.removeFrame(0x401, () => true).map((e) => e.vpn)).toEqual([0x6]);
  });

  it('finds a frame\'s entries as a scan of the whole table would, through random inserts, evictions, removals and restores', () => {
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    const s = new Stlb();
    let saved = s.save();
    for (let step = 0; step < 20_000; step++) {
      const asid = 1 + rnd(4), vpn = rnd(6000), frame = 0x100 + rnd(12);
      const op = rnd(100);
      if (op < 60) s.insert(asid, vpn, (frame << 12) | 0x200, asid, 0, 0);
      else if (op < 80) s.remove(asid, vpn);
      else if (op < 85) s.removeAsid(asid);
      else if (op < 86) saved = s.save();
      else if (op < 87) s.restore(saved);
      else {
        const scan = s.entries().filter((e) => (e.entryLo >>> 12) === frame);
        expect(s.vpnOf(asid, frame)).toBe(scan.find((e) => e.env === asid)?.vpn ?? -1);
        const pred = (env: number) => env !== asid;
        expect(s.removeFrame(frame, pred)).toEqual(scan.filter((e) => pred(e.env)));
        expect(s.entries().filter((e) => (e.entryLo >>> 12) === frame)).toEqual(scan.filter((e) => !pred(e.env)));
      }
    }
  });
});
