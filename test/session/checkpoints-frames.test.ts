// The frame table's runs as checkpoints keep them (src/session/checkpoints-frames.ts):
// packing a run and reading it back gives exactly what FrameTable.save
// gives (owners, keys above 2^31, rights, holders, the guaranteed flag),
// and restoring it gives the table back.

import { describe, expect, it } from 'vitest';
import { KERNEL_OWNER, Rights } from '../../src/exokernel/abi.js';
import { FrameTable } from '../../src/exokernel/frames.js';
import { packFrameRun, unpackFrameRun } from '../../src/session/checkpoints-frames.js';

/** A table with free, owned, granted, held, guaranteed and kernel frames. */
function table(): FrameTable {
  const t = new FrameTable(40, () => {});
  t.alloc(3, 7, 0xdeadbeef, 0x80000001);
  t.grant(3, { keyLo: 0xffffffff, keyHi: 0, rights: Rights.Read });
  t.grant(3, { keyLo: 5, keyHi: 6, rights: Rights.ReadWrite });
  t.hold(3, 7, Rights.ReadWrite);
  t.hold(3, 9, Rights.Read);
  t.alloc(33, 2, 1, 2, true);
  t.hold(33, 2, Rights.Read);
  t.reserve(35);
  return t;
}

describe('frame runs of a checkpoint', () => {
  it('read back exactly as FrameTable.save gives them, for runs with and without records in use', () => {
    const t = table();
    for (const [from, to] of [[0, 32], [32, 40], [3, 4], [10, 20]]) {
      expect(unpackFrameRun(packFrameRun(t, from, to))).toEqual(t.save(from, to));
    }
    expect(t.save(35, 36)[0].owner).toBe(KERNEL_OWNER);
  });

  it('restore the table they were packed from', () => {
    const t = table(), runs = [packFrameRun(t, 0, 32), packFrameRun(t, 32, 40)];
    const u = new FrameTable(40, () => {});
    u.alloc(3, 1, 0, 0);
    u.restore(unpackFrameRun(runs[0]), 0);
    u.restore(unpackFrameRun(runs[1]), 32);
    expect(u.save()).toEqual(t.save());
    expect(u.rightsOf(3, 0xffffffff, 0)).toBe(Rights.Read);
    expect(u.rightsOf(3, 0xdeadbeef, 0x80000001)).toBe(Rights.ReadWrite);
  });
});
