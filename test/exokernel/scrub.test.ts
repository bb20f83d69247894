// Frames are handed out zeroed (issue 12, class 4): claimFrame is the only
// way a frame gets an owner, it zeroes the frame and charges
// Costs.ZERO_FRAME, and nothing else in the kernel allocates frames.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, Costs } from '../../src/exokernel/index.js';
import { claimFrame } from '../../src/exokernel/scrub.js';

const SRC = resolve(import.meta.dirname, '../../src');

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('claimFrame', () => {
  it('zeroes a frame its last owner left data in, and charges ZERO_FRAME', () => {
    const k = new Kernel({ ramSize: 1 << 20 });
    const f = claimFrame(k, -1, 7, 1, 2) as number;
    k.machine.bus.ram32.fill(0x5ec2e7, (f << 12) >>> 2, ((f + 1) << 12) >>> 2);
    k.frames.free(f);
    const before = k.now();
    expect(claimFrame(k, f, 8, 3, 4)).toBe(f);
    expect(k.now() - before).toBe(Costs.ZERO_FRAME);
    expect(k.machine.bus.ram8.subarray(f << 12, (f + 1) << 12).every((b) => b === 0)).toBe(true);
    expect(k.frames.frames[f].owner).toBe(8);
  });

  it('zeroes and charges nothing when the frame is refused', () => {
    const k = new Kernel({ ramSize: 1 << 20 });
    const f = claimFrame(k, -1, 7, 1, 2) as number;
    k.machine.bus.ram32[(f << 12) >>> 2] = 99;
    const before = k.now();
    expect(claimFrame(k, f, 8, 3, 4)).toBe('busy');
    expect(claimFrame(k, 1 << 20, 8, 3, 4)).toBe('inval');
    expect(k.now()).toBe(before);
    expect(k.machine.bus.ram32[(f << 12) >>> 2]).toBe(99);
  });

  it('is the only caller of FrameTable.alloc in the sources', () => {
    const callers = sources(SRC).filter((f) => /\bframes\.alloc\(/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(SRC.length + 1));
    expect(callers).toEqual(['exokernel/scrub.ts']);
  });
});
