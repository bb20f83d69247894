// A frame changing hands when an environment is made or destroyed
// (asm/frame.S), run on the emulated CPU: each sequence does its work on
// the frame table, its mirror and the environment's guaranteed mappings,
// and Costs.FRAME_CLAIM / FRAME_FREE are the cycles it takes.

import { describe, expect, it } from 'vitest';
import { Costs } from '../../src/exokernel/costs.js';
import { FrameEntry, Rights } from '../../src/exokernel/abi.js';
import { loadPaths, type Paths } from './kpaths.js';

// Where the test puts the kernel's objects (kseg0, above the image); aegis.h's offsets.
const ENV = 0x80100000, GTAB = 0x80102000, FRAMES = 0x80110000, MIRROR = 0x80118000, LIST = 0x80104000;
const KD = { NFRAMES: 32, FRAMES: 36, FMIRROR: 68, FREEHINT: 72 };
const E = { ID: 0, GTAB: 20, KEYLO: 56, KEYHI: 60 };
const FR = { KEYLO: 0, KEYHI: 4, RIGHTS: 8, OWNER: 12, SIZE: 16 };
const NFRAMES = 64, ID = 7, KEY = [0x1234_5678, 0x9abc_def0];

/** A frame table of NFRAMES, frames below `owned` owned by environment 3 (hint 0), and environment ID with its key. */
function boot(owned: number): Paths {
  const p = loadPaths(), kd = p.sym('kdata');
  p.setWord(kd + KD.NFRAMES, NFRAMES); p.setWord(kd + KD.FRAMES, FRAMES); p.setWord(kd + KD.FMIRROR, MIRROR);
  for (let f = 0; f < owned; f++) { p.setWord(FRAMES + FR.SIZE * f + FR.OWNER, 3); p.setWord(MIRROR + 4 * f, 3); }
  p.setWord(ENV + E.ID, ID); p.setWord(ENV + E.GTAB, GTAB); p.setWord(ENV + E.KEYLO, KEY[0]); p.setWord(ENV + E.KEYHI, KEY[1]);
  return p;
}
const entry = (p: Paths, f: number) => [FR.OWNER, FR.KEYLO, FR.KEYHI, FR.RIGHTS].map((o) => p.word(FRAMES + FR.SIZE * f + o));

function claim(p: Paths, vpn: number, dv: number) {
  const cpu = p.m.cpu, ret = p.sym('_start');
  cpu.regs[4] = ENV; cpu.regs[5] = vpn; cpu.regs[6] = dv; cpu.regs[31] = ret;
  const r = p.measure(p.sym('frame_claim'), ret, 1000);
  return { ...r, frame: cpu.regs[2] | 0 };
}

describe('a frame claimed for a new environment (asm/frame.S frame_claim)', () => {
  it('takes the frame at the hint, keys it to the environment, mirrors it, binds it guaranteed: FRAME_CLAIM', () => {
    const p = boot(0), kd = p.sym('kdata');
    p.setWord(kd + KD.FREEHINT, 5);
    const r = claim(p, 0x401, 0x600);
    expect(r.frame).toBe(5);
    expect(entry(p, 5)).toEqual([ID, KEY[0], KEY[1], Rights.ReadWrite]);
    expect(p.word(MIRROR + 4 * 5)).toBe((ID | FrameEntry.FLAG_GUARANTEED) >>> 0);
    expect([p.word(GTAB + 8 * 1), p.word(GTAB + 8 * 1 + 4)]).toEqual([0x401 << 12, (5 << 12) | 0x600]);
    expect(p.word(kd + KD.FREEHINT)).toBe(6);
    expect(entry(p, 4)).toEqual([0, 0, 0, 0]);
    expect(r.cycles).toBe(Costs.FRAME_CLAIM);
  });

  it("skips owned frames (the probe loop's 6 instructions each) and returns -1 when none is free", () => {
    const p = boot(3), kd = p.sym('kdata');
    const r = claim(p, 0x7f, 0x200);
    expect(r.frame).toBe(3);
    expect(r.cycles).toBe(Costs.FRAME_CLAIM + 3 * 6);
    expect(entry(p, 2)[0]).toBe(3);
    const full = boot(NFRAMES);
    expect(claim(full, 0x7f, 0x200).frame).toBe(-1);
    expect(full.word(full.sym('kdata') + KD.FREEHINT)).toBe(0);
    expect(p.word(kd + KD.FREEHINT)).toBe(4);
  });
});

describe('an environment\'s frames freed (asm/frame.S frames_free)', () => {
  it('clears each frame\'s entry and mirror, lowers the hint; FRAME_FREE cycles a frame at 0, 1, 2, 5 and 17 frames', () => {
    const cycles: number[] = [];
    const counts = [0, 1, 2, 5, 17];
    for (const n of counts) {
      const p = boot(NFRAMES), kd = p.sym('kdata'), cpu = p.m.cpu, ret = p.sym('_start');
      p.setWord(kd + KD.FREEHINT, NFRAMES);
      // Distinct frames in no order, so the hint is lowered on some turns and kept on others.
      const list = Array.from({ length: n }, (_, i) => 10 + 2 * ((i * 7) % 23));
      list.forEach((f, i) => {
        p.setWord(LIST + 4 * i, f);
        p.setWord(FRAMES + FR.SIZE * f + FR.KEYLO, KEY[0]); p.setWord(FRAMES + FR.SIZE * f + FR.RIGHTS, 3);
        p.setWord(MIRROR + 4 * f, (ID | FrameEntry.FLAG_GUARANTEED) >>> 0);
      });
      cpu.regs[4] = ENV; cpu.regs[5] = LIST; cpu.regs[6] = n; cpu.regs[31] = ret;
      cycles.push(p.measure(p.sym('frames_free'), ret, 2000).cycles);
      for (let f = 0; f < NFRAMES; f++) {
        const freed = list.includes(f);
        expect(entry(p, f), `frame ${f}`).toEqual(freed ? [0, 0, 0, 0] : [3, 0, 0, 0]);
        expect(p.word(MIRROR + 4 * f), `mirror ${f}`).toBe(freed ? 0 : 3);
      }
      expect(p.word(kd + KD.FREEHINT)).toBe(n === 0 ? NFRAMES : Math.min(...list));
    }
    counts.forEach((n, i) => expect(cycles[i] - cycles[0], `${n} frames`).toBe(n * Costs.FRAME_FREE));
  });
});
