// The clock interrupt's context switch (asm/switch.S) and the kernel's copy
// loop (asm/copy.S), run on the emulated CPU: each does its work, and the
// constants in costs.ts are the cycles they take (as costs.test.ts does
// for the other kernel paths).

import { describe, expect, it } from 'vitest';
import { Costs, copyCycles } from '../../src/exokernel/costs.js';
import { loadPaths, type Paths } from './kpaths.js';

// Where the test puts the kernel's objects (kseg0, above the image); aegis.h's offsets.
const ENV_A = 0x80100000, ENV_B = 0x80100100, ENV_C = 0x80100200;
const CTX_A = 0x80101000, CTX_B = 0x80101100, CTX_C = 0x80101200;
const KD = { CURENV: 0, TICKS: 8, SLOT: 12, SLICETICKS: 60, TICKCYCLES: 64 };
const ENV = { ID: 0, STATE: 4, ASID: 8, PROLOGUE: 32, EPILOGUE: 36, CTX: 44, RESUME: 48, PENALTY: 52 };
const CTX = { HI: 128, LO: 132, EPC: 136, SR: 140 };
const SLICE_TICKS = 5, TICK_CYCLES = 25_000;
/** The kernel's registers: zero, k0, k1 (MIPS ABI); a switch saves and restores the other 29. */
const KERNEL_REGS = [0, 26, 27];
const saved = (r: number) => !KERNEL_REGS.includes(r);

/**
 * Environments A, B, C (ids 1..3, ASIDs 5..7), runnable, with context
 * blocks; A runs in slot 7 of `owners` (slot -> id) and B's block holds
 * registers 3000 + n, HI/LO 0x11/0x22, Status 0x0c, EPC `resumeAt`.
 */
function boot(owners: Record<number, number>, resumeAt: number): Paths {
  const p = loadPaths(), kd = p.sym('kdata');
  [[ENV_A, CTX_A], [ENV_B, CTX_B], [ENV_C, CTX_C]].forEach(([env, ctx], i) => {
    p.setWord(env + ENV.ID, i + 1);
    p.setWord(env + ENV.STATE, 1);
    p.setWord(env + ENV.ASID, (5 + i) << 6);
    p.setWord(env + ENV.CTX, ctx);
    p.setWord(p.sym('envtab') + 4 * (i + 1), env);
  });
  for (let r = 1; r < 32; r++) if (saved(r)) p.setWord(CTX_B + 4 * r, 3000 + r);
  p.setWord(CTX_B + CTX.HI, 0x11); p.setWord(CTX_B + CTX.LO, 0x22); p.setWord(CTX_B + CTX.SR, 0x0c); p.setWord(CTX_B + CTX.EPC, resumeAt);
  for (const [slot, id] of Object.entries(owners)) p.m.bus.ram8[(p.sym('slicevec') & 0x1fffffff) + Number(slot)] = id;
  p.setWord(kd + KD.CURENV, ENV_A);
  p.setWord(kd + KD.SLOT, 7);
  p.setWord(kd + KD.SLICETICKS, SLICE_TICKS);
  p.setWord(kd + KD.TICKCYCLES, TICK_CYCLES);
  // A's registers as the clock interrupt finds them.
  const cpu = p.m.cpu;
  for (let r = 1; r < 32; r++) cpu.regs[r] = 1000 + r;
  cpu.hi = 0x77; cpu.lo = 0x88; cpu.epc = 0x00400600; cpu.status = 0x0c;
  return p;
}

describe('the clock interrupt\'s context switch (asm/switch.S)', () => {
  it('saves the interrupted environment whole, gives the next slot\'s owner its registers and address space: CONTEXT_SWITCH', () => {
    const p = boot({ 7: 1, 8: 2 }, 0), back = p.sym('_start'), cpu = p.m.cpu, kd = p.sym('kdata');
    p.setWord(CTX_B + CTX.EPC, back);
    const r = p.measure(p.sym('ctx_switch'), back, 1000);
    for (let n = 1; n < 32; n++) if (saved(n)) expect(p.word(CTX_A + 4 * n), `A's r${n}`).toBe(1000 + n);
    expect([CTX.HI, CTX.LO, CTX.EPC, CTX.SR].map((o) => p.word(CTX_A + o))).toEqual([0x77, 0x88, 0x00400600, 0x0c]);
    for (let n = 1; n < 32; n++) if (saved(n)) expect(cpu.regs[n], `B's r${n}`).toBe(3000 + n);
    expect([cpu.hi, cpu.lo, cpu.entryHi >>> 0]).toEqual([0x11, 0x22, 6 << 6]);
    // rfe popped the KU/IE stack of B's Status (0x0c: previous user mode and IE -> current).
    expect(cpu.status & 0x3f).toBe(0x03);
    expect([p.word(kd + KD.CURENV), p.word(kd + KD.SLOT), p.word(kd + KD.TICKS)]).toEqual([ENV_B, 8, SLICE_TICKS]);
    expect(r.cycles).toBe(r.instructions);
    expect(Costs.CONTEXT_SWITCH).toBe(r.cycles);
  });

  it('is its three parts: CONTEXT_SAVE + SLICE_NEXT + CONTEXT_RESTORE, measured apart', () => {
    const p = boot({ 7: 1, 8: 2 }, 0), back = p.sym('_start');
    p.setWord(CTX_B + CTX.EPC, back);
    const save = p.measure(p.sym('ctx_switch'), p.sym('ctx_next')).cycles;
    const next = p.measure(p.sym('ctx_next'), p.sym('ctx_restore')).cycles;
    const restore = p.measure(p.sym('ctx_restore'), back).cycles;
    expect([Costs.CONTEXT_SAVE, Costs.SLICE_NEXT, Costs.CONTEXT_RESTORE]).toEqual([save, next, restore]);
    expect(Costs.CONTEXT_SWITCH).toBe(save + next + restore);
  });

  it('probes past free slots and owners that cannot run, SLICE_PROBE each, wrapping at the vector\'s end', () => {
    const next = (owners: Record<number, number>, slot = 7) => {
      const p = boot(owners, 0);
      p.setWord(p.sym('kdata') + KD.SLOT, slot);
      p.setWord(ENV_C + ENV.STATE, 2); // C waits
      const r = p.measure(p.sym('ctx_next'), p.sym('ctx_restore'));
      return { cycles: r.cycles, slot: p.word(p.sym('kdata') + KD.SLOT), env: p.word(p.sym('kdata') + KD.CURENV) };
    };
    expect(next({ 7: 1, 8: 2 })).toEqual({ cycles: Costs.SLICE_NEXT, slot: 8, env: ENV_B });
    expect(next({ 7: 1, 10: 2 })).toEqual({ cycles: Costs.SLICE_NEXT + 2 * Costs.SLICE_PROBE, slot: 10, env: ENV_B });
    expect(next({ 7: 1, 8: 3, 9: 2 })).toEqual({ cycles: Costs.SLICE_NEXT + Costs.SLICE_PROBE + Costs.SLICE_WAITING, slot: 9, env: ENV_B });
    expect(next({ 1: 2, 127: 1 }, 127)).toEqual({ cycles: Costs.SLICE_NEXT + Costs.SLICE_PROBE, slot: 1, env: ENV_B });
  });

  it('takes a penalty off the slice, or skips a slice the penalty swallows (sched.ts advance)', () => {
    const run = (penalty: number) => {
      const p = boot({ 7: 1, 8: 2, 9: 3 }, 0), kd = p.sym('kdata');
      p.setWord(ENV_B + ENV.PENALTY, penalty);
      const r = p.measure(p.sym('ctx_next'), p.sym('ctx_restore'));
      return { cycles: r.cycles, env: p.word(kd + KD.CURENV), ticks: p.word(kd + KD.TICKS), penalty: p.word(ENV_B + ENV.PENALTY) };
    };
    expect(run(3)).toEqual({ cycles: Costs.SLICE_NEXT, env: ENV_B, ticks: SLICE_TICKS - 3, penalty: 0 });
    expect(run(SLICE_TICKS + 2)).toEqual({ cycles: Costs.SLICE_NEXT + Costs.SLICE_SKIP, env: ENV_C, ticks: SLICE_TICKS, penalty: 2 });
  });

  it('enters the prologue of an owner that saved itself: a0 the slot, a1 the slice\'s cycles, nothing else of anyone\'s: SLICE_PROLOGUE', () => {
    const p = boot({ 7: 1, 8: 2 }, 0), cpu = p.m.cpu, prologue = p.sym('_start');
    p.setWord(ENV_B + ENV.PROLOGUE, prologue);
    p.setWord(ENV_B + ENV.RESUME, 1);
    p.setWord(ENV_B + ENV.PENALTY, 1);
    const next = p.measure(p.sym('ctx_next'), p.sym('ctx_prologue')).cycles;
    const r = p.measure(p.sym('ctx_prologue'), prologue);
    expect([cpu.regs[4], cpu.regs[5], cpu.entryHi >>> 0, p.word(ENV_B + ENV.RESUME)]).toEqual([8, (SLICE_TICKS - 1) * TICK_CYCLES, 6 << 6, 0]);
    for (let n = 1; n < 32; n++) if (saved(n) && n !== 4 && n !== 5) expect(cpu.regs[n], `r${n}`).toBe(0);
    expect(r.cycles).toBe(r.instructions); // the multiply finished under the clears
    expect(next).toBe(Costs.SLICE_NEXT);
    expect(Costs.SLICE_PROLOGUE).toBe(r.cycles);
  });

  it('a slice that ends goes from the clock interrupt to the switch when its environment has no epilogue', () => {
    const p = boot({ 7: 1, 8: 2 }, 0), cpu = p.m.cpu, kd = p.sym('kdata');
    p.setWord(kd + 8, 1); // KD_TICKS: the last tick
    cpu.cause = 0; cpu.hwIp = 0x800;
    p.measure(p.sym('exc_vector'), p.sym('ctx_switch'));
    p.setWord(ENV_A + ENV.EPILOGUE, 0x400700);
    p.setWord(kd + 8, 1);
    expect(() => p.measure(p.sym('exc_vector'), p.sym('ctx_switch'), 100)).toThrow(/no end marker/);
  });
});

describe('the kernel\'s copy loop (asm/copy.S)', () => {
  const SRC = 0x80110000, DST = 0x80118000;
  /** Copies `len` bytes from SRC + off to DST + off; the cycles, after checking every byte and the bytes around. */
  const copy = (len: number, off: number) => {
    const p = loadPaths(), cpu = p.m.cpu, ret = p.sym('_start'), ram = p.m.bus.ram8;
    const src = (SRC & 0x1fffffff) + off, dst = (DST & 0x1fffffff) + off;
    for (let i = 0; i < len + 8; i++) ram[src + i] = (i * 13 + 5) & 255;
    ram.fill(0xee, dst - 4, dst + len + 8);
    cpu.regs[4] = DST + off; cpu.regs[5] = SRC + off; cpu.regs[6] = len; cpu.regs[31] = ret;
    const r = p.measure(p.sym('kcopy'), ret, 100_000);
    expect([...ram.subarray(dst, dst + len)]).toEqual([...ram.subarray(src, src + len)]);
    expect([ram[dst - 1], ram[dst + len]]).toEqual([0xee, 0xee]);
    return r.cycles;
  };

  it('costs COPY_SETUP, COPY_WORD a word and COPY_BYTE a byte of the head and tail', () => {
    expect(copy(0, 0)).toBe(Costs.COPY_SETUP);
    expect(copy(1, 0)).toBe(Costs.COPY_SETUP + Costs.COPY_BYTE);
    expect(copy(4, 0)).toBe(Costs.COPY_SETUP + Costs.COPY_WORD);
    expect(copy(4000, 0) - copy(2000, 0)).toBe(500 * Costs.COPY_WORD);
  });

  it('copyCycles (costs.ts), which the kernel charges, is what the loop takes at every offset and length', () => {
    for (const off of [0, 1, 2, 3]) {
      for (const len of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 4096]) expect(copy(len, off), `len ${len} offset ${off}`).toBe(copyCycles(len, off));
    }
  });
});

describe('zeroing a frame (asm/copy.S kzero)', () => {
  it('zeroes exactly the 4 KiB at a0 and takes ZERO_FRAME cycles', () => {
    const p = loadPaths(), cpu = p.m.cpu, ret = p.sym('_start'), ram = p.m.bus.ram8;
    const FRAME = 0x80120000, pa = FRAME & 0x1fffffff;
    ram.fill(0xab, pa - 8, pa + 4096 + 8);
    cpu.regs[4] = FRAME; cpu.regs[31] = ret;
    const r = p.measure(p.sym('kzero'), ret, 10_000);
    expect(ram.subarray(pa, pa + 4096).every((b) => b === 0)).toBe(true);
    expect([ram[pa - 1], ram[pa + 4096]]).toEqual([0xab, 0xab]);
    expect(r.cycles).toBe(Costs.ZERO_FRAME);
  });
});
