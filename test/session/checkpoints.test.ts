// The checkpoint store on its own: a checkpoint holds the RAM pages written
// since the one before (the bus's dirty bits) and the frame-table runs that
// changed, and a restore puts back exactly the state it was taken at.

import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/exokernel/index.js';
import { CheckpointStore } from '../../src/session/index.js';
import { Checkpointing } from '../../src/session/checkpointing.js';
import { pack, unpack } from '../../src/session/packed.js';

const PAGE = 4096;

function kernel(): Kernel {
  return new Kernel({ ramSize: 4 << 20 });
}

describe('checkpoints', () => {
  it('hold only the pages written since the one before, and none for pages written back unchanged', () => {
    const k = kernel();
    const cs = new CheckpointStore(k, 1, { density: 1e9 });
    cs.take({});
    const start = cs.memory;
    k.machine.bus.hostWrite(100 * PAGE, new Uint8Array([1, 2, 3]));
    k.cpu.cycles += 10;
    cs.take({});
    const one = cs.memory - start;
    expect(one).toBeGreaterThanOrEqual(PAGE);
    expect(one).toBeLessThan(2 * PAGE);
    // Written again with what it holds: no page copy.
    k.machine.bus.hostWrite(100 * PAGE, new Uint8Array([1, 2, 3]));
    k.cpu.cycles += 10;
    cs.take({});
    expect(cs.memory - start - one).toBeLessThan(PAGE);
  });

  it('restore puts back the pages, the frame table and the caller state of the checkpoint, whatever was written after it', () => {
    const k = kernel();
    const cs = new CheckpointStore(k, 1, { density: 1e9 });
    cs.take({ n: 0 });
    k.machine.bus.hostWrite(200 * PAGE, new Uint8Array([9, 9]));
    k.frames.touch(300);
    k.frames.frames[300].owner = 77;
    k.cpu.cycles += 10;
    cs.take({ n: 1 });
    const ram = k.machine.bus.ram8.slice();
    k.machine.bus.hostWrite(200 * PAGE, new Uint8Array([5]));
    k.machine.bus.hostWrite(500 * PAGE, new Uint8Array([6]));
    k.frames.touch(300);
    k.frames.frames[300].owner = 78;
    k.frames.touch(900);
    k.frames.frames[900].owner = 79;
    k.cpu.cycles += 10;
    cs.take({ n: 2 });
    k.machine.bus.hostWrite(600 * PAGE, new Uint8Array([7]));
    expect(cs.restoreBefore({ cycle: k.cpu.cycles - 5 })).toEqual({ n: 1 });
    expect(Buffer.compare(k.machine.bus.ram8, ram)).toBe(0);
    expect(k.frames.frames[300].owner).toBe(77);
    expect(k.frames.frames[900].owner).toBe(0);
    expect(k.machine.bus.takeDirty()).toEqual([]);
  });

  it('keeps one copy of the written RAM pages for the boot state and the base until a fold writes the base; the boot state survives folds', () => {
    const k = kernel();
    const ram = k.machine.bus.ramSize;
    const cs = new CheckpointStore(k, 1, { density: 1e9, maxCount: 3 });
    cs.take({});
    const boot = k.machine.bus.ram8.slice();
    // The pages anything wrote (and the packed state), once, not all of RAM (the rest is zeroes).
    const first = cs.memory;
    expect(first).toBeGreaterThanOrEqual(k.machine.bus.writtenPages().length * PAGE);
    expect(first).toBeLessThan(ram / 8);
    for (let i = 1; i <= 5; i++) {
      k.machine.bus.hostWrite(100 * PAGE, new Uint8Array([i, i, i]));
      k.machine.bus.hostWrite((200 + i) * PAGE, new Uint8Array([i]));
      k.cpu.cycles += 10;
      cs.take({});
    }
    // Folds happened (more checkpoints than maxCount): the base moved on, the boot state did not.
    expect(cs.memory).toBeGreaterThan(first);
    expect(cs.restoreBefore({ cycle: 0 })).toEqual({});
    expect(Buffer.compare(k.machine.bus.ram8, boot)).toBe(0);
    // Back at boot the base is the boot state again, sharing its copy.
    expect(cs.memory).toBeLessThanOrEqual(first + 5 * PAGE);
    k.machine.bus.hostWrite(100 * PAGE, new Uint8Array([7]));
    k.cpu.cycles += 10;
    cs.take({});
    expect(cs.restoreBefore({ cycle: 0 })).toEqual({});
    expect(Buffer.compare(k.machine.bus.ram8, boot)).toBe(0);
  });

  it('packing shares the leaves that did not change with the packing before', () => {
    const big = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const a = pack({ x: 1, big, t: new Uint32Array([1, 2]) });
    const b = pack({ x: 2, big: big.map((v, i) => (i === 700 ? { i: -1 } : v)), t: new Uint32Array([1, 2]) }, a);
    if (a.t !== 'obj' || b.t !== 'obj') throw new Error('not objects');
    const runs = (p: typeof a) => (p.t === 'obj' && p.vals[1].t === 'arr' ? p.vals[1].runs : []);
    expect(runs(b).filter((r, i) => r === runs(a)[i]).length).toBe(runs(a).length - 1);
    expect((b.vals[2] as { b: Buffer }).b).toBe((a.vals[2] as { b: Buffer }).b);
    expect(unpack(b)).toEqual({ x: 2, big: big.map((v, i) => (i === 700 ? { i: -1 } : v)), t: new Uint32Array([1, 2]) });
  });

  it('compare each dirty page with the newest copy through thinning, folds and restores: a page written back to an older value is kept', () => {
    const k = kernel();
    const cs = new CheckpointStore(k, 10, { density: 2, maxCount: 6 });
    const seen = new Map<number, Uint8Array>();
    // Pages 10..13 take values from a short cycle, so a page often goes back to what an older checkpoint held.
    let x = 7;
    const step = (n: number) => {
      for (let i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        k.machine.bus.hostWrite((10 + (x % 4)) * PAGE, new Uint8Array([(x >>> 8) % 3, 1]));
        k.cpu.cycles += 10;
        cs.take({});
        seen.set(k.cpu.cycles, k.machine.bus.ram8.slice(10 * PAGE, 14 * PAGE));
      }
    };
    const back = (cycle: number) => {
      cs.restoreBefore({ cycle });
      const at = cs.cycles().filter((c) => c <= cycle).pop()!;
      expect(Buffer.compare(k.machine.bus.ram8.subarray(10 * PAGE, 14 * PAGE), seen.get(at)!), `restored to ${at}`).toBe(0);
      k.cpu.cycles = at;
    };
    step(60);
    back(k.cpu.cycles - 25);
    step(40);
    back(k.cpu.cycles - 15);
    back(k.cpu.cycles - 200);
    step(30);
    back(k.cpu.cycles - 10);
  });

  it('drop the checkpoints whose state the caller no longer holds, the boot state too; the oldest kept is the first point, and with none kept the next taken is', () => {
    const k = kernel();
    const cs = new CheckpointStore(k, 1, { density: 1e9 });
    const ram: Buffer[] = [];
    for (let n = 0; n < 5; n++) {
      k.machine.bus.hostWrite((100 + n) * PAGE, new Uint8Array([n + 1]));
      k.cpu.cycles += 10;
      cs.take({ events: n * 100 });
      ram.push(Buffer.from(k.machine.bus.ram8));
    }
    const cycles = cs.cycles();
    expect(cs.dropBefore((st) => (st as { events: number }).events >= 0)).toBe(false); // every one holds: nothing dropped
    expect(cs.dropBefore((st) => (st as { events: number }).events >= 250)).toBe(true);
    expect(cs.cycles()).toEqual(cycles.slice(3));
    expect(cs.firstInstret()).toBe(k.cpu.instret);
    // Before the first point kept: restored to it, with its RAM (pages folded into it included).
    k.machine.bus.hostWrite(101 * PAGE, new Uint8Array([42]));
    expect(cs.restoreBefore({ cycle: 0 })).toEqual({ events: 300 });
    expect(Buffer.compare(k.machine.bus.ram8, ram[3])).toBe(0);
    // None kept: the store is empty, and the next checkpoint is its first point.
    const ing = new Checkpointing(k, [k], 1, { density: 1e9 });
    expect(ing.unreachable({ cycle: 0 })).toBeUndefined(); // nothing dropped yet: the boot state reaches every point
    ing.takeFirst(() => ({ events: 0 }));
    ing.dropBefore(1, (st) => (st as { events: number }).events >= 1);
    expect(ing.cycles()).toEqual([]);
    expect(ing.restoreBefore({ cycle: 0 })).toBeUndefined();
    expect(ing.unreachable({ cycle: 0 })).toMatch(/^no checkpoint is that early: the event history keeps the newest events/);
    k.cpu.cycles += 10;
    ing.takeFirst(() => ({ events: 7 }));
    expect(ing.cycles()).toEqual([k.cpu.cycles]);
    expect(ing.unreachable({ cycle: k.cpu.cycles - 1 })).toMatch(/^time travel reaches back to cycle [\d,]+ only/);
    expect(ing.unreachable({ cycle: k.cpu.cycles })).toBeUndefined();
    expect(ing.restoreBefore({ cycle: k.cpu.cycles })).toEqual({ events: 7 });
  });
});
