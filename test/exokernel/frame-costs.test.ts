// An environment made and destroyed, and a frame changing hands with it
// (asm/env.S, asm/frame.S), run on the emulated CPU: each sequence does
// its work on the frame table, its mirror, the environment's record and
// guaranteed mappings, the TLB and the STLB, and Costs.FRAME_CLAIM,
// FRAME_FREE, ENV_CREATE, ENV_FT_PAGE, ENV_DESTROY and ASID_FLUSH are the
// cycles it takes (at several counts where a cost depends on one).

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

// env.S: an environment's bookkeeping.
const CTX = 0x80103000, STACK = 0x80105000, INFO_FRAME = 0x130, REPO_FRAME = 0x131, INFO_PA = INFO_FRAME << 12;
const EX = { STATE: 4, ASID: 8, SAVEK: 12, PC: 24, CTX: 44, PENALTY: 52, HANDLERS: 64 };
const KDX = { FTPAGES: 76, FTFIRST: 80, MAC: 84 };

function create(ftPages: number) {
  const p = boot(0), kd = p.sym('kdata'), cpu = p.m.cpu, ret = p.sym('_start'), ram = p.m.bus.ram8;
  // Whatever the slot held before: nonzero everywhere the sequence must clear.
  ram.fill(0x5a, ENV & 0x1fffffff, (ENV & 0x1fffffff) + 192);
  ram.fill(0x5a, CTX & 0x1fffffff, (CTX & 0x1fffffff) + 144);
  ram.fill(0x5a, GTAB & 0x1fffffff, (GTAB & 0x1fffffff) + 512);
  p.setWord(ENV + E.GTAB, GTAB); p.setWord(ENV + EX.CTX, CTX);
  p.setWord(kd + KDX.FTPAGES, ftPages); p.setWord(kd + KDX.FTFIRST, 1);
  p.setWord(kd + KDX.MAC, 0x0b00_0208); p.setWord(kd + KDX.MAC + 4, 0x0000_0d0c);
  p.setWord(STACK + 16, 0x0040_0100); p.setWord(STACK + 20, KEY[0]); p.setWord(STACK + 24, KEY[1]);
  cpu.regs[29] = STACK; cpu.regs[4] = ENV; cpu.regs[5] = 9; cpu.regs[6] = INFO_FRAME; cpu.regs[7] = REPO_FRAME; cpu.regs[31] = ret;
  const r = p.measure(p.sym('env_create'), ret, 2000);
  return { p, r };
}

describe('an environment made (asm/env.S env_create)', () => {
  it('fills its record, clears handlers, context and guaranteed table, binds its pages, writes its info page: ENV_CREATE + ENV_FT_PAGE a frame-table page', () => {
    const cycles: number[] = [];
    for (const n of [0, 1, 2, 8]) {
      const { p, r } = create(n);
      cycles.push(r.cycles);
      expect(p.word(p.sym('envtab') + 4 * 9)).toBe(ENV);
      expect([E.ID, EX.STATE, EX.ASID, EX.SAVEK, EX.PC, EX.PENALTY, E.KEYLO, E.KEYHI].map((o) => p.word(ENV + o))).toEqual([9, 1, 0, 0, 0x0040_0100, 0, KEY[0], KEY[1]]);
      for (let i = 0; i < 32; i++) expect(p.word(ENV + EX.HANDLERS + 4 * i), `handler ${i}`).toBe(0);
      for (let i = 0; i < 36; i++) expect(p.word(CTX + 4 * i), `context word ${i}`).toBe(i === 29 ? 0x7fe0_0000 : 0);
      const slot = (vpn: number) => [p.word(GTAB + 8 * (vpn & 63)), p.word(GTAB + 8 * (vpn & 63) + 4)];
      expect(slot(0x7fff0)).toEqual([0x7fff_0000, (INFO_FRAME << 12) | 0x200]);
      expect(slot(0x7ffe0)).toEqual([0x7ffe_0000, (REPO_FRAME << 12) | 0x200]);
      for (let i = 0; i < n; i++) expect(slot(0x7fe00 + i), `frame-table page ${i}`).toEqual([(0x7fe00 + i) << 12 >>> 0, ((1 + i) << 12) | 0x200]);
      for (let s = 0; s < 64; s++) if (s !== 48 && s !== 32 && s >= n) expect(p.word(GTAB + 8 * s), `slot ${s}`).toBe(0x8000_0000);
      const info = (off: number) => p.m.bus.ram32[(INFO_PA + off) >>> 2] >>> 0;
      expect([0, 4, 8, 12, 16, 64, 68].map(info)).toEqual([9, 0, KEY[0], KEY[1], NFRAMES, 0x0b00_0208, 0x0d0c]);
    }
    expect(cycles[0]).toBe(Costs.ENV_CREATE);
    [0, 1, 2, 8].forEach((n, i) => expect(cycles[i] - cycles[0], `${n} pages`).toBe(n * Costs.ENV_FT_PAGE));
  });
});

describe('an environment destroyed (asm/env.S env_destroy)', () => {
  /** Environment 9 with ASID 5 and `n` frames; TLB and STLB entries of ASIDs 5 and 6. */
  function destroy(n: number, asid = 5) {
    const p = boot(NFRAMES), cpu = p.m.cpu, ret = p.sym('_start'), stlb = p.sym('stlb');
    p.setWord(ENV + E.ID, 9); p.setWord(ENV + EX.STATE, 1); p.setWord(ENV + EX.ASID, asid << 6);
    p.setWord(p.sym('envtab') + 4 * 9, ENV);
    const tlb = cpu.tlb;
    for (let i = 0; i < 64; i++) { tlb.hi[i] = ((0x400 + i) << 12) | ((i % 2 ? 5 : 6) << 6); tlb.lo[i] = (i << 12) | 0x200; }
    for (let i = 0; i < 4096; i++) p.setWord(stlb + 8 * i, i % 3 === 0 ? ((i << 12) | (5 << 6)) : i % 3 === 1 ? ((i << 12) | (6 << 6)) : 0x8000_0000);
    const list = Array.from({ length: n }, (_, i) => 20 + i);
    list.forEach((f, i) => p.setWord(LIST + 4 * i, f));
    cpu.entryHi = 7 << 6;
    cpu.regs[4] = ENV; cpu.regs[5] = LIST; cpu.regs[6] = n; cpu.regs[31] = ret;
    const r = p.measure(p.sym('env_destroy'), ret, 60_000);
    return { p, r, list };
  }

  it('frees its frames, leaves envtab, and forgets exactly the TLB and STLB entries of its ASID: ENV_DESTROY + ASID_FLUSH + FRAME_FREE a frame', () => {
    const cycles: number[] = [];
    for (const n of [0, 1, 3]) {
      const { p, r, list } = destroy(n), cpu = p.m.cpu, stlb = p.sym('stlb');
      cycles.push(r.cycles);
      expect([p.word(p.sym('envtab') + 4 * 9), p.word(ENV + EX.STATE), p.word(ENV + EX.ASID)]).toEqual([0, 0, 0]);
      for (const f of list) expect(entry(p, f)[0], `frame ${f}`).toBe(0);
      expect(entry(p, 40)[0]).toBe(3);
      for (let i = 0; i < 64; i++) {
        const mine = i % 2 === 1;
        expect([cpu.tlb.hi[i] >>> 0, cpu.tlb.lo[i] >>> 0], `TLB ${i}`).toEqual(mine ? [(0x80000 + i) << 12 >>> 0, 0] : [(((0x400 + i) << 12) | (6 << 6)) >>> 0, (i << 12) | 0x200]);
      }
      for (let i = 0; i < 4096; i++) {
        const want = i % 3 === 1 ? ((i << 12) | (6 << 6)) : 0x8000_0000;
        if (p.word(stlb + 8 * i) !== want >>> 0) expect(p.word(stlb + 8 * i), `STLB slot ${i}`).toBe(want >>> 0);
      }
      expect(cpu.entryHi >>> 0).toBe(7 << 6);
    }
    expect(cycles[0]).toBe(Costs.ENV_DESTROY + Costs.ASID_FLUSH);
    [0, 1, 3].forEach((n, i) => expect(cycles[i] - cycles[0], `${n} frames`).toBe(n * Costs.FRAME_FREE));
  });

  it('an environment that never ran (no ASID) leaves the TLB and STLB alone: ENV_DESTROY', () => {
    const { p, r } = destroy(0, 0);
    expect(p.m.cpu.tlb.hi[1] >>> 0).toBe(((0x401 << 12) | (5 << 6)) >>> 0);
    expect(p.word(p.sym('stlb'))).toBe(5 << 6);
    expect(p.word(p.sym('envtab') + 4 * 9)).toBe(0);
    expect(r.cycles).toBe(Costs.ENV_DESTROY);
  });
});
