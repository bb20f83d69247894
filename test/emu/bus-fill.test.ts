// Host fills of RAM (src/emu/bus.ts, hostFill): zeroes over pages nothing
// ever wrote are skipped (RAM starts zeroed, so they change nothing and
// the host never touches that memory); over a page anything wrote, by a
// CPU store or a host write, the fill happens and marks the page dirty,
// also after a checkpoint cleared its dirty bit.

import { describe, expect, it } from 'vitest';
import { Bus } from '../../src/emu/index.js';

const PAGE = 4096;
const page = (bus: Bus, p: number) => bus.ram8.subarray(p * PAGE, (p + 1) * PAGE);

describe('Bus.hostFill', () => {
  it('skips zeroes over never-written pages: no dirty bit, RAM still zero', () => {
    const bus = new Bus(1 << 20, () => {}, () => 0);
    bus.hostFill(3 * PAGE, 2 * PAGE, 0);
    expect(bus.takeDirty()).toEqual([]);
    expect(page(bus, 3).every((b) => b === 0)).toBe(true);
  });

  it('fills pages written before, also after their dirty bit was taken, and marks them dirty', () => {
    const bus = new Bus(1 << 20, () => {}, () => 0);
    bus.write(5 * PAGE + 8, 4, 0x12345678); // as a CPU store's slow path writes
    bus.hostWrite(6 * PAGE + 100, Uint8Array.of(1, 2, 3));
    expect(bus.takeDirty()).toEqual([5, 6]);
    bus.hostFill(4 * PAGE, 3 * PAGE, 0); // a span with a never-written page (4) in it
    expect(bus.takeDirty()).toEqual([4, 5, 6]);
    for (const p of [4, 5, 6]) expect(page(bus, p).every((b) => b === 0)).toBe(true);
  });

  it('fills never-written pages with a nonzero byte', () => {
    const bus = new Bus(1 << 20, () => {}, () => 0);
    bus.hostFill(7 * PAGE, PAGE, 0xa5);
    expect(bus.takeDirty()).toEqual([7]);
    expect(page(bus, 7).every((b) => b === 0xa5)).toBe(true);
  });
});
