// The block translator against the interpreter: lockstep runs of the
// conformance programs and of seeded random programs (EXOSCOPE_LOCKSTEP=big
// for a long run), and the cases the translator must get right by design:
// code invalidation through the bus, breakpoints inside blocks, the soft
// TLB's address-space tags and the dirty-page bits.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeInstruction, Machine, parseElf, TLB_WRITE_LOG, type ProgramImage } from '../../src/emu/index.js';
import { Lockstep } from '../../src/emu/lockstep.js';
import { HOT_DEFAULT, type BlockView } from '../../src/emu/translate.js';
import { Tlb } from '../../src/emu/cp0.js';
import { SOFT_NO_TAG, softIndex } from '../../src/emu/tlb.js';
import { A, bytes, R } from './helpers/asm.js';
import { randomProgram, RAND_DATA } from './helpers/randprog.js';
import { G, V } from './helpers/twins.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIG = process.env.EXOSCOPE_LOCKSTEP === 'big';
/** The long run's tests have no time limit to speak of (400 random programs took 23 minutes on a loaded machine); the slice keeps the suite's. */
const BIG_TIMEOUT = BIG ? 2 * 3_600_000 : undefined;
// The conformance programs: each has its expected output beside its sources.
const CONFORMANCE = ['src/exos/conformance', 'src/exos/bench']
  .flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.expected')).map((f) => f.replace(/\.expected$/, '')));

/** Two machines with `image` loaded, the first translating, the second interpreting. */
function pair(image: ProgramImage, argv = ['prog'], ramSize = 8 << 20): Lockstep {
  const fast = new Machine({ ramSize, translate: true });
  const ref = new Machine({ ramSize, translate: false });
  fast.load(image, argv);
  ref.load(image, argv);
  return new Lockstep(fast, ref);
}

const CODE = 0x80010000;
/**
 * A machine running `words` at CODE (kseg0), from `entry`; `hot` 4 compiles a block at about its first entry, 64 after
 * a few runs in the interpreter (blocks planned again from those runs: Translator.compile).
 */
function machine(words: number[], translate = true, hot = 4, entry = CODE): Machine {
  const m = new Machine({ ramSize: 1 << 20, translate, hot });
  m.load({ entry, segments: [{ vaddr: CODE, memsz: 4 * words.length, data: bytes(words) }] });
  return m;
}

/** The exception handler at the kseg0 vector: count in s0, return past the instruction (mfc0 k0, EPC; nop; addiu k0, k0, 4; jr k0; rfe). */
const HANDLER = [A.mfc0(R.k0, 14), A.nop(), A.addiu(R.s0, R.s0, 1), A.addiu(R.k0, R.k0, 4), A.jr(R.k0), A.rfe()];

/** A machine running `words` at CODE, from `entry`, with HANDLER at the vector (Status.BEV clear). */
function withHandler(words: number[], translate: boolean, entry = CODE): Machine {
  const m = new Machine({ ramSize: 1 << 20, translate, hot: 4 });
  m.load({ entry, segments: [{ vaddr: 0x80000080, memsz: 4 * HANDLER.length, data: bytes(HANDLER) }, { vaddr: CODE, memsz: 4 * words.length, data: bytes(words) }] });
  m.cpu.status = 0;
  return m;
}

/** The compiled blocks of a lockstep pair's translating machine (read for coverage). */
function compiledBlocks(ls: Lockstep): BlockView[] {
  return ls.fast.cpu.translator!.blocks().filter((b) => b.compiled);
}

/** The words of every compiled block of a lockstep pair's translating machine. */
const compiledWords = (ls: Lockstep): number[] => compiledBlocks(ls).flatMap((b) => b.words);

/** The mnemonic objdump gives `w`. */
const mnemonic = (w: number): string => decodeInstruction(w)?.mnemonic ?? '.word';

/** A spin: b to itself, nop. */
const SPIN = [A.beq(R.zero, R.zero, -1), A.nop()];

describe('lockstep: translated blocks against the interpreter', () => {
  for (const name of CONFORMANCE) {
    it(`${name} runs the same, block by block`, () => {
      const path = join(ROOT, 'src/exos/images', `${name}.elf`);
      const ls = pair(parseElf(new Uint8Array(readFileSync(path)), path), [path], 32 << 20);
      const r = ls.run(BIG ? 100_000_000 : 400_000);
      expect(r.mismatch).toBeUndefined();
      expect(r.blocks).toBeGreaterThan(0);
    }, BIG_TIMEOUT);
  }

  it('random programs run the same, block by block', () => {
    // 50,000 cycles compile nearly every block a program has (2,366 of the
    // 2,452 that 150,000 do, over the first eight seeds) at a third of the
    // cost, so more programs are checked: twelve.
    const seeds = BIG ? 400 : 12;
    let blocks = 0;
    const held = new Set<string>();
    let superblocks = 0, jumpsInside = 0, replanned = 0, pointerCalls = 0, parted = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const ls = pair(randomProgram(seed, 1500));
      // Every other program interprets a block for a while before compiling it, as outside lockstep: blocks are then
      // planned again from what those runs did (Translator.compile).
      if (seed % 2 === 0) ls.fast.cpu.translator!.hot = 64;
      const r = ls.run(BIG ? 2_000_000 : 50_000);
      expect(r.mismatch, `seed ${seed}`).toBeUndefined();
      blocks += r.blocks;
      expect(ls.fast.cpu.translator!.stats.compiled, `seed ${seed} compiles blocks`).toBeGreaterThan(0);
      for (const w of compiledWords(ls)) held.add(mnemonic(w));
      superblocks += compiledBlocks(ls).filter((b) => b.sides.length > 0).length;
      replanned += compiledBlocks(ls).filter((b) => b.replanned).length;
      // A jalr whose runs went to both functions (FN_SWITCH moved the pointer): their blocks are further parts of its function.
      parted += compiledBlocks(ls).filter((b) => b.parts.length > 0).length;
      // A call through the pointer (jalr) followed into the function it went to: the jalr is not the block's last branch.
      pointerCalls += compiledBlocks(ls).filter((b) => b.words.some((w, k) => (w >>> 26) === 0 && (w & 63) === 9 && k < b.words.length - 2)).length;
      // A j run on through to a target further on in its block (a jump inside the block's function).
      jumpsInside += compiledBlocks(ls).filter((b) => b.sides.some((d) => {
        const w = b.words[d - 1];
        return (w >>> 26) === 2 && ((((b.va + 4 * d) & 0xf0000000) | ((w & 0x3ffffff) << 2)) - b.va) / 4 < b.words.length;
      })).length;
    }
    expect(jumpsInside).toBeGreaterThan(0);
    // Blocks planned again to run on through branches back that fell through, or to follow a jalr (Translator.compile).
    expect(replanned).toBeGreaterThan(0);
    expect(pointerCalls).toBeGreaterThan(0);
    expect(parted).toBeGreaterThan(0);
    // Blocks ran on through conditional branches not taken (leaving at the target when taken).
    expect(superblocks).toBeGreaterThan(seeds);
    expect(blocks).toBeGreaterThan(seeds * 100);
    // The instructions that once ended a block ran inside compiled blocks (the handler's rfe in a delay slot).
    for (const m of ['lwl', 'lwr', 'swl', 'swr', 'syscall', 'break', 'mfc0', 'mtc0', 'rfe', 'tlbwi', 'tlbwr', 'tlbp', 'tlbr', 'bc0f', 'bc0t']) expect(held, m).toContain(m);
  }, BIG_TIMEOUT);

  it('the HI/LO interlock stalls the same in blocks: multiplies and divides at every distance from their mflo, in and across blocks, stopped at every cycle limit', () => {
    // t0 counts down; each turn multiplies, waits 1..8 turns of a 3-instruction loop, reads LO, divides and reads HI in the next block.
    const w = [
      A.addiu(R.t0, R.zero, 40), A.addiu(R.t1, R.zero, 7),
      A.mult(R.t0, R.t1), A.andi(R.t3, R.t0, 7), A.addiu(R.t3, R.t3, 1), A.addiu(R.t4, R.zero, 0),   // CODE + 8: the loop
      A.addiu(R.t4, R.t4, 1), A.bne(R.t4, R.t3, -2), A.nop(),
      A.mflo(R.t2), A.divu(R.t2, R.t1), A.addu(R.s0, R.s0, R.t2), A.beq(R.zero, R.zero, 1), A.nop(),
      A.mfhi(R.t5), A.addu(R.s1, R.s1, R.t5),
      A.addiu(R.t0, R.t0, -1), A.bgtz(R.t0, -16), A.nop(),
      A.j(CODE + 4 * 19), A.nop(),
    ];
    const a = machine(w, true), b = machine(w, false);
    for (let limit = 0; limit < 8000; limit += 7) { a.cpu.run(limit); b.cpu.run(limit); expect(a.cpu.save(), `limit ${limit}`).toEqual(b.cpu.save()); }
    expect(a.cpu.translator!.stats.compiled).toBeGreaterThan(0);
    // The stalls are in the cycles: more cycles than instructions.
    // Every turn's mfhi waits for its divide (31 cycles after two instructions between), some mflo for its multiply.
    expect([CODE + 4 * 19, CODE + 4 * 20]).toContain(a.cpu.pc >>> 0);   // done: spinning on the final jump
    expect(a.cpu.cycles - a.cpu.instret).toBeGreaterThan(40 * 31);
    expect(a.cpu.regs[R.s0]).toBe(7 * 40 * 41 / 2);
  });

  for (const [what, status] of [['without CU0 raises CpU', 0x8], ['with CU0 runs', 0x10000008]] as const) {
    it(`COP0 in hot user-mode blocks ${what} exactly as the interpreter does`, () => {
      // Kernel code maps user page 0x00400000 to physical 0x20000 (TLB entry 0) and enters it by rfe (Status.KUp set).
      const USER = 0x00400000, PAGE = 0x20000;
      const kernel = [
        A.lui(R.t0, USER >>> 16), A.mtc0(R.t0, 10), A.lui(R.t1, PAGE >>> 16), A.ori(R.t1, R.t1, 0x700), A.mtc0(R.t1, 2),
        A.mtc0(R.zero, 0), A.tlbwi(), A.lui(R.t2, status >>> 16), A.ori(R.t2, R.t2, status & 0xffff), A.mtc0(R.t2, 12),
        A.lui(R.k0, USER >>> 16), A.jr(R.k0), A.rfe(),
      ];
      // The handler skips the faulting instruction (and its branch when in a delay slot) and returns by rfe.
      const handler = [A.mfc0(R.k0, 14), A.mfc0(R.k1, 13), A.nop(), A.bgez(R.k1, 2), A.addiu(R.k0, R.k0, 4), A.addiu(R.k0, R.k0, 4), A.jr(R.k0), A.rfe()];
      // User code: mfc0 of Status and Cause, mtc0 of Context, an rfe, and mfc0 in a delay slot.
      const user = [
        A.mfc0(R.t3, 12), A.addiu(R.t4, R.t4, 1), A.mfc0(R.t5, 13), A.addu(R.t6, R.t6, R.t5), A.mtc0(R.t4, 4),
        A.rfe(), A.addiu(R.t7, R.t7, 1), A.beq(R.zero, R.zero, -8), A.mfc0(R.t8, 12),
        A.beq(R.zero, R.zero, -10), A.nop(), // the handler skips the branch whose delay slot faulted
      ];
      const image: ProgramImage = {
        entry: CODE,
        segments: [
          { vaddr: 0x80000080, memsz: 4 * handler.length, data: bytes(handler) },
          { vaddr: CODE, memsz: 4 * kernel.length, data: bytes(kernel) },
          { vaddr: 0x80000000 | PAGE, memsz: 4 * user.length, data: bytes(user) },
        ],
      };
      const ls = pair(image, ['prog'], 1 << 20);
      const r = ls.run(60_000);
      expect(r.mismatch).toBeUndefined();
      const held = compiledWords(ls).map(mnemonic);
      for (const m of ['mfc0', 'mtc0', 'rfe']) expect(held, m).toContain(m);
      expect(ls.fast.cpu.regs[R.t7]).toBeGreaterThan(1000); // it went round
      expect((ls.fast.cpu.cause >>> 2) & 31, 'the last exception').toBe(status === 0x8 ? 11 : 0);
    });
  }

  it('TLB instructions inside kseg0 blocks: a TLB write or an ASID change is seen by the next load of the same block, tlbwr takes Random at its own cycle', () => {
    // Entry 0 maps 0x00400000 for ASID 1 to physical 0x20000 (holding 111), entry 1 for ASID 2 to 0x30000 (holding 222).
    const USER = 0x00400000, P1 = 0x20000, P2 = 0x30000, V = 0x200;
    const setup = [
      A.lui(R.t0, USER >>> 16), A.ori(R.t0, R.t0, 1 << 6), A.lui(R.t2, USER >>> 16), A.ori(R.t2, R.t2, 2 << 6),
      A.lui(R.t1, P1 >>> 16), A.ori(R.t1, R.t1, V), A.lui(R.t3, P2 >>> 16), A.ori(R.t3, R.t3, V),
      A.addiu(R.t4, R.zero, 1 << 8), A.lui(R.a0, USER >>> 16), A.addiu(R.s7, R.zero, 200),
      // Entry 2, never written again: ASID 3 to 0x30000.
      A.lui(R.t8, USER >>> 16), A.ori(R.t8, R.t8, 3 << 6), A.mtc0(R.t8, 10), A.mtc0(R.t3, 2), A.addiu(R.t9, R.zero, 2 << 8), A.mtc0(R.t9, 0), A.tlbwi(),
    ];
    const loop = [
      // ASID 1, then 2, one load after each: 111 then 222.
      A.mtc0(R.t0, 10), A.mtc0(R.t1, 2), A.mtc0(R.zero, 0), A.tlbwi(), A.lw(R.s0, 0, R.a0),
      A.mtc0(R.t2, 10), A.mtc0(R.t3, 2), A.mtc0(R.t4, 0), A.tlbwi(), A.lw(R.s1, 0, R.a0),
      // Entry 1 rewritten to map ASID 2's page to 0x20000: the next load reads 111.
      A.mtc0(R.t1, 2), A.tlbwi(), A.lw(R.s2, 0, R.a0),
      // tlbr of entry 0 brings back ASID 1 (and its mapping) in EntryHi.
      A.mtc0(R.zero, 0), A.tlbr(), A.lw(R.s3, 0, R.a0),
      // An ASID change alone (no TLB write between): the load after it reads ASID 3's page.
      A.lw(R.a1, 0, R.a0), A.mtc0(R.t8, 10), A.lw(R.a2, 0, R.a0), A.nop(), A.addu(R.v1, R.v1, R.a2),
      // tlbwr of a fresh page at Random's slot, found again by tlbp: where Random pointed, cycle by cycle.
      A.addiu(R.t5, R.t5, 0x1000), A.addu(R.t6, R.t0, R.t5), A.mtc0(R.t6, 10), A.tlbwr(), A.tlbp(), A.mfc0(R.t7, 0), A.nop(), A.addu(R.s4, R.s4, R.t7),
      A.addu(R.s5, R.s5, R.s0), A.addu(R.s5, R.s5, R.s1), A.addu(R.s6, R.s6, R.s2), A.addu(R.s6, R.s6, R.s3),
      // bc0t always branches and bc0f never does (CpCond0 is true).
      A.bc0f(2), A.addiu(R.s7, R.s7, -1), A.bc0t(2), A.nop(), A.addiu(R.v0, R.v0, 1),
    ];
    loop.push(A.bgtz(R.s7, -loop.length - 1), A.nop());
    const w = [...setup, ...loop, A.j(CODE + 4 * (setup.length + loop.length)), A.nop()];
    const data = (v: number): Uint8Array => new Uint8Array(Uint32Array.of(v).buffer);
    const image: ProgramImage = {
      entry: CODE,
      segments: [
        { vaddr: CODE, memsz: 4 * w.length, data: bytes(w) },
        { vaddr: 0x80000000 | P1, memsz: 4, data: data(111) }, { vaddr: 0x80000000 | P2, memsz: 4, data: data(222) },
      ],
    };
    const ls = pair(image, ['prog'], 1 << 20);
    const r = ls.run(60_000);
    expect(r.mismatch).toBeUndefined();
    const cpu = ls.fast.cpu;
    expect(cpu.regs[R.s7]).toBe(0);
    expect([cpu.regs[R.s5], cpu.regs[R.s6], cpu.regs[R.v1], cpu.regs[R.v0]]).toEqual([200 * 333, 200 * 222, 200 * 222, 0]);
    expect(cpu.regs[R.s4]).not.toBe(200 * cpu.regs[R.t7]); // Random moved between the turns
    const held = compiledWords(ls).map(mnemonic);
    for (const m of ['tlbwi', 'tlbwr', 'tlbp', 'tlbr', 'bc0f', 'bc0t', 'mtc0']) expect(held, m).toContain(m);
  });

  it('a lockstep run reports the first difference', () => {
    const ls = pair(randomProgram(3, 400));
    ls.ref.bus.hostWrite32(RAND_DATA & 0x1fffffff, 0x12345678); // the reference's data differs from the start
    ls.fast.bus.takeDirty();
    const r = ls.run(100_000);
    expect(r.mismatch).toMatch(/^after block \d+ \(the last run began at 0x[0-9a-f]{8}; cycle \d+\): /);
  });
});

describe('code invalidation', () => {
  it('self-modifying code: a store over an instruction already translated takes effect', () => {
    const patched = A.addiu(R.v0, R.v0, 100);
    const w = [
      A.lui(R.t2, CODE >>> 16), A.lui(R.t1, patched >>> 16), A.ori(R.t1, R.t1, patched & 0xffff),
      A.addiu(R.t0, R.zero, 30),
      A.addiu(R.v0, R.v0, 1), // CODE + 16: the loop, patched below to add 100
      A.addiu(R.t0, R.t0, -1), A.bgtz(R.t0, -3), A.nop(),
      A.sw(R.t1, 16, R.t2),
      A.addiu(R.t0, R.zero, 30), A.addiu(R.s0, R.s0, 1), A.slti(R.at, R.s0, 2), A.bgtz(R.at, -9), A.nop(),
      A.j(CODE + 56), A.nop(),
    ];
    for (const translate of [true, false]) {
      const m = machine(w, translate);
      m.run(5000);
      expect(m.cpu.regs[R.v0], `translate ${translate}`).toBe(30 + 30 * 100);
    }
    const a = machine(w, true), b = machine(w, false);
    a.run(5000); b.run(5000);
    expect(a.cpu.save()).toEqual(b.cpu.save());
    expect(a.cpu.translator!.stats.invalidated).toBeGreaterThan(0);
  });

  it('a chained successor rewritten by a host write is not run again: the link from the block before it is dropped with it', () => {
    // Block A (CODE) jumps to block B (CODE + 32), which jumps back: A's link names B once both ran.
    const w = [A.addiu(R.t0, R.t0, 1), A.j(CODE + 32), A.nop(), 0, 0, 0, 0, 0, A.addiu(R.v0, R.v0, 1), A.j(CODE), A.nop()];
    const fast = machine(w, true), ref = machine(w, false);
    for (const m of [fast, ref]) {
      m.cpu.run(600);
      m.bus.hostWrite32((CODE & 0x1fffffff) + 32, A.addiu(R.v0, R.v0, 100));
      m.cpu.run(1200);
    }
    expect(fast.cpu.translator!.stats.invalidated).toBeGreaterThan(0);
    expect(fast.cpu.save()).toEqual(ref.cpu.save());
    expect(fast.cpu.regs[R.v0]).toBe(100 + 100 * 100);
  });

  it('stale code after a frame is reused: a host write drops the blocks there', () => {
    const first = [A.addiu(R.v0, R.v0, 1), A.j(CODE), A.nop()];
    const second = [A.addiu(R.v0, R.v0, -1), A.j(CODE), A.nop()];
    const m = machine(first);
    m.run(300);
    expect(m.cpu.regs[R.v0]).toBe(100);
    expect(m.cpu.translator!.stats.compiled).toBeGreaterThan(0);
    m.bus.hostWrite(CODE & 0x1fffffff, bytes(second)); // a loader putting another program in the frame
    m.cpu.regs[R.v0] = 0;
    m.cpu.jump(CODE);
    m.run(300);
    expect(m.cpu.regs[R.v0]).toBe(-100);
  });

  it('a block planned again with the same code (its frame rewritten with it, or another copy) gets the function made for it before: one closure a plan, so V8 warms it up once', () => {
    const w = [A.addiu(R.v0, R.v0, 1), A.j(CODE), A.nop()];
    const m = machine(w);
    const first = (): { fn: unknown } => {
      const pages = (m.cpu.translator as unknown as { pages: ({ slots: ({ fn: unknown } | undefined)[] } | undefined)[] }).pages;
      return pages[(CODE & 0x1fffffff) >>> 12]!.slots[0]!;
    };
    m.run(300);
    const before = first();
    expect(before.fn).toBeTypeOf('function');
    m.bus.hostWrite(CODE & 0x1fffffff, bytes(w)); // the same program loaded into the frame again: its blocks dropped
    m.run(300);
    const after = first();
    expect(after).not.toBe(before);
    expect(after.fn).toBe(before.fn);
    expect(m.cpu.regs[R.v0]).toBe(200);
  });

  it('code written by DMA (a device writing RAM through the bus) is seen at once', () => {
    const m = machine([A.addiu(R.v0, R.v0, 1), A.j(CODE), A.nop()]);
    m.run(300);
    m.bus.write((CODE & 0x1fffffff) + 0, 4, A.addiu(R.v0, R.v0, 2)); // a bus-master write
    m.run(300);
    expect(m.cpu.regs[R.v0]).toBe(100 + 200);
  });

  it('data stores to a page that also holds code leave the code alone and run correctly', () => {
    const w = [A.lui(R.t2, CODE >>> 16), A.addiu(R.v0, R.v0, 1), A.sw(R.v0, 0x800, R.t2), A.j(CODE + 4), A.nop()];
    const a = machine(w, true), b = machine(w, false);
    a.run(10_000); b.run(10_000);
    expect(a.cpu.save()).toEqual(b.cpu.save());
    expect(a.bus.ram32[((CODE & 0x1fffffff) + 0x800) >>> 2]).toBe(a.cpu.regs[R.v0]);
  });
});

describe('the dispatcher', () => {
  it('stops at a breakpoint inside a hot block, at the same cycle as the interpreter', () => {
    const w = [A.addiu(R.v0, R.v0, 1), A.addiu(R.v1, R.v1, 2), A.addiu(R.a0, R.a0, 3), A.j(CODE), A.nop()];
    const stops = [true, false].map((translate) => {
      const m = machine(w, translate);
      m.run(1000);
      m.cpu.setBreakpoint(CODE + 8, true);
      const reason = m.run(1000);
      return { reason, pc: m.cpu.pc >>> 0, cycles: m.cpu.cycles, a0: m.cpu.regs[R.a0] };
    });
    expect(stops[0]).toEqual(stops[1]);
    expect(stops[0].reason).toBe('breakpoint');
    expect(stops[0].pc).toBe(CODE + 8);
  });

  it('stops at a data watchpoint on a store inside a hot block, at the same cycle as the interpreter, and resumes past it', () => {
    // t2 = CODE + 0x2000 (a data page); v0++; sw v0, 0(t2); loop. The watched word is written every round.
    const w = [A.lui(R.t2, CODE >>> 16), A.ori(R.t2, R.t2, 0x2000), A.addiu(R.v0, R.v0, 1), A.sw(R.v0, 0, R.t2), A.j(CODE + 8), A.nop()];
    const stops = [true, false].map((translate) => {
      const m = machine(w, translate);
      m.run(1000);
      if (translate) expect(m.cpu.translator!.stats.compiled).toBeGreaterThan(0);
      m.cpu.setWatchpoint(CODE + 0x2000, 4, false, true, true);
      const reason = m.run(1000);
      const first = { reason, pc: m.cpu.pc >>> 0, cycles: m.cpu.cycles, v0: m.cpu.regs[R.v0], hit: m.cpu.watchHit };
      m.cpu.skipWatch = m.cpu.pc;
      const again = m.run(1000);
      return { first, again, cycles: m.cpu.cycles, v0: m.cpu.regs[R.v0] };
    });
    expect(stops[0]).toEqual(stops[1]);
    expect(stops[0].first.reason).toBe('watchpoint');
    expect(stops[0].first.pc).toBe(CODE + 12);
    expect(stops[0].first.hit).toEqual({ addr: CODE + 0x2000, size: 4, write: true });
    expect(stops[0].again).toBe('watchpoint');
    expect(stops[0].v0).toBe(stops[0].first.v0 + 1);
  });

  it('compiles a block once its entries times its length reach `hot` instructions, not before (cold code stays interpreted); the default is HOT_DEFAULT', () => {
    expect(new Machine({ ramSize: 1 << 20 }).cpu.translator!.hot).toBe(HOT_DEFAULT);
    // 3 cycles a turn: the first interprets addiu alone (the fetch is not cached yet) and the block at CODE + 4
    // after it ([j, nop], which follows the j back to CODE: [j, nop, addiu, j, nop]); turn k + 1 enters the block
    // [addiu, j, nop] at CODE the k-th time, and the entry that brings 3k to `hot` compiles it and runs it: the
    // 10th for 30 (and for 28), the 2nd for 6 (at 5 or below the block at CODE + 4, 5 words entered once, would
    // be compiled at its first entry). Each case counts in its own register: code compiled before would be
    // compiled at its first entry (the next test).
    for (const [i, [hot, entries]] of [[30, 10], [28, 10], [27, 9], [6, 2]].entries()) {
      const m = new Machine({ ramSize: 1 << 20, translate: true, hot });
      const reg = R.s0 + i;
      const w = [A.addiu(reg, reg, 1), A.j(CODE), A.nop()]; // one block of 3, entered once a turn
      m.load({ entry: CODE, segments: [{ vaddr: CODE, memsz: 12, data: bytes(w) }] });
      let turns = 0;
      while (m.cpu.translator!.stats.compiled === 0 && turns < 100) { m.cpu.run(m.cpu.cycles + 3); turns++; }
      expect(turns, `hot ${hot}`).toBe(entries + 1);
      expect(m.cpu.regs[reg]).toBe(entries + 1);
    }
  });

  it('a block whose code was compiled before at the same address (another machine, another copy of the image) is compiled at its first entry', () => {
    const w = [A.addiu(R.t3, R.t3, 1), A.j(CODE), A.nop()]; // as above, code no other test compiles
    const turnsToCompile = (): number => {
      const m = new Machine({ ramSize: 1 << 20, translate: true, hot: 30 });
      m.load({ entry: CODE, segments: [{ vaddr: CODE, memsz: 12, data: bytes(w) }] });
      let turns = 0;
      while (m.cpu.translator!.stats.compiled === 0 && turns < 100) { m.cpu.run(m.cpu.cycles + 3); turns++; }
      expect(m.cpu.regs[R.t3]).toBe(turns);
      return turns;
    };
    expect(turnsToCompile()).toBe(11); // the 10th entry, as above
    expect(turnsToCompile()).toBe(2); // its first entry: the factory exists
  });

  it('a block that reads HI/LO but never writes them runs right up to the cycle limit once their result is ready (no room kept for stalls), and stalls as the interpreter does while it is not', () => {
    const w = [A.mfhi(R.t0), A.addiu(R.t1, R.t1, 1), A.j(CODE), A.nop()]; // one block of 4, a self-loop
    const a = machine(w), b = machine(w, false);
    for (const m of [a, b]) m.run(400); // compiled (hot 4); HI/LO ready since cycle 0
    let blocks = 0;
    a.cpu.translator!.afterBlock = () => { blocks++; };
    for (const m of [a, b]) m.cpu.run(m.cpu.cycles + 4); // exactly one turn
    expect(blocks).toBe(1);
    // A result 20 cycles ahead: the block's mfhi would stall, so it is not entered with only its length left.
    for (const m of [a, b]) { m.cpu.hiloReady = m.cpu.cycles + 20; m.cpu.run(m.cpu.cycles + 4); }
    expect(blocks).toBe(1);
    for (const m of [a, b]) m.run(1001);
    expect(a.cpu.save()).toEqual(b.cpu.save());
  });

  it('a jump to a page the soft TLB holds enters the block at its target (the fetch cache refilled without the interpreter), and runs as the interpreter does', () => {
    // Two pages jumping to each other: every block starts with a fetch the one-entry cache does not hold. (Two pages
    // apart: a block in kseg0 follows a jump to the page beside its own.)
    const PAGE_B = CODE + 0x2000;
    const a = [A.addiu(R.t0, R.t0, 1), A.j(PAGE_B), A.nop()], b = [A.addiu(R.t1, R.t1, 1), A.j(CODE), A.nop()];
    const image = { entry: CODE, segments: [{ vaddr: CODE, memsz: 12, data: bytes(a) }, { vaddr: PAGE_B, memsz: 12, data: bytes(b) }] };
    const fast = new Machine({ ramSize: 1 << 20, translate: true, hot: 2 }), ref = new Machine({ ramSize: 1 << 20, translate: false });
    fast.load(image); ref.load(image);
    fast.run(601); ref.run(601);
    expect(fast.cpu.save()).toEqual(ref.cpu.save());
    const compiled = fast.cpu.translator!.blocks().filter((x) => x.compiled).map((x) => [x.va >>> 0, x.words.length]);
    expect(compiled).toEqual(expect.arrayContaining([[CODE, 3], [PAGE_B, 3]]));
    expect(fast.cpu.refillFetch(CODE + 2)).toBe(false); // misaligned: the interpreter's fetch raises AdEL
  });

  it('a self-loop runs as a JS loop and stops exactly at the cycle limit', () => {
    const w = [A.addiu(R.v0, R.v0, 1), A.bne(R.v0, R.t0, -1), A.addiu(R.v1, R.v1, 1)];
    for (const budget of [7, 1001, 123_457]) {
      const a = machine(w, true), b = machine(w, false);
      a.cpu.regs[R.t0] = b.cpu.regs[R.t0] = -1;
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
    }
  });
});

describe('jumps inside a block', () => {
  // A loop whose body skips ahead to its closing branch (beq forward, taken
  // one time in four): the side exit jumps inside the block's function, so
  // the whole loop is one JS loop. With a load in the delay slot the jump
  // would merge two load-delay states: that side exit still leaves.
  // The loop stores its counter where the load in the delay slot reads it: the value in flight differs every time round.
  const loop = (slot: number): number[] => [
    A.sw(R.v0, 0, R.t2), A.addiu(R.v0, R.v0, 1), A.andi(R.t1, R.v0, 3), A.beq(R.t1, R.zero, 2), slot,
    A.addiu(R.a0, R.a0, 1), A.bne(R.v0, R.t0, -7), A.addiu(R.a1, R.a1, 1),
  ];
  for (const [name, slot, most] of [['an ALU delay slot', A.addiu(R.v1, R.v1, 1), 20], ['a load in the delay slot', A.lw(R.t3, 0, R.t2), Infinity]] as const) {
    it(`a forward side exit to a later instruction of the block, with ${name}, runs as the interpreter does`, () => {
      for (const budget of [9, 1001, 100_003, 100_004, 100_005, 100_006, 100_007]) {
        const a = machine(loop(slot), true), b = machine(loop(slot), false);
        for (const m of [a, b]) { m.cpu.regs[R.t0] = -1; m.cpu.regs[R.t2] = 0x80020000 | 0; }
        let blocks = 0;
        a.cpu.translator!.afterBlock = () => { blocks++; };
        a.run(budget); b.run(budget);
        expect(a.cpu.save()).toEqual(b.cpu.save());
        if (budget > 100_000) expect(blocks).toBeLessThan(most); // about 3,000 block runs if each taken skip left the function
      }
    });
  }
});

describe('unconditional jumps inside a block', () => {
  // An if/else as gcc lays it out: a beq over the then part, whose end
  // jumps (j, or b: beq zero, zero) over the else part to the loop's test.
  // Both targets are further on in the block, so both are jumps inside its
  // function, and the loop is one JS loop. With a load in the j's delay
  // slot, the jump would merge two load-delay states: it then leaves the
  // block, and the state is still exact.
  const ifElse = (jump: number, slot: number): number[] => [
    A.addiu(R.v0, R.v0, 1), A.andi(R.t1, R.v0, 3), A.beq(R.t1, R.zero, 3), A.addiu(R.a0, R.a0, 1), // 0: then or else?
    jump, slot, // 4: the then part's end: over the else part, to 8
    A.sw(R.v0, 0, R.t2), A.addiu(R.a2, R.a2, 1), // 6: the else part
    A.bne(R.v0, R.t0, -9), A.addiu(R.a3, R.a3, 1), // 8: the loop's test, back to 0
  ];
  const cases = [
    ['j', A.j(CODE + 32), A.addiu(R.v1, R.v1, 1), 40],
    ['b', A.beq(R.zero, R.zero, 2), A.addiu(R.v1, R.v1, 1), 40],
    ['bgez zero', A.bgez(R.zero, 2), A.addiu(R.v1, R.v1, 1), 40],
    ['j with a load in its delay slot', A.j(CODE + 32), A.lw(R.t3, 0, R.t2), Infinity],
    // A chain of blocks, each jumping to the word after its delay slot: one block.
  ] as const;
  for (const [name, jump, slot, most] of cases) {
    it(`${name} over an else part runs as the interpreter does${most === Infinity ? '' : ', and the loop is one block'}`, () => {
      for (const budget of [9, 1001, 100_003, 100_004, 100_005, 100_006, 100_007]) {
        const a = machine(ifElse(jump, slot), true), b = machine(ifElse(jump, slot), false);
        for (const m of [a, b]) { m.cpu.regs[R.t0] = -1; m.cpu.regs[R.t2] = 0x80020000 | 0; }
        let blocks = 0;
        a.cpu.translator!.afterBlock = () => { blocks++; };
        a.run(budget); b.run(budget);
        expect(a.cpu.save()).toEqual(b.cpu.save());
        if (budget > 100_000) expect(blocks).toBeLessThan(most); // about 10,000 block runs if each turn left the function
      }
    });
  }
  it('a chain of blocks that each jump to the word after their delay slot is one block, and a j backward or to another page still ends one', () => {
    const chain: number[] = [];
    for (let i = 0; i < 20; i++) chain.push(A.addiu(R.v0, R.v0, 1), A.j(CODE + 12 * (i + 1)), A.addiu(R.v1, R.v1, 3));
    chain.push(A.bne(R.v0, R.t0, -61), A.nop(), A.j(CODE + 0x1000), A.nop()); // back to the start, then to the next page
    for (const budget of [50, 999, 100_001]) {
      const a = machine(chain, true), b = machine(chain, false);
      for (const m of [a, b]) m.cpu.regs[R.t0] = -1;
      let blocks = 0;
      a.cpu.translator!.afterBlock = () => { blocks++; };
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget === 100_001) {
        expect(blocks).toBeLessThan(100);
        const first = a.cpu.translator!.blocks().find((v) => (v.va >>> 0) === CODE)!;
        expect(first.words).toHaveLength(62); // the chain and the bne's delay slot; the j to the next page starts another
      }
    }
  });
});

describe('jumps a block follows', () => {
  // A loop whose test is above its body, as gcc lays out a while loop: the
  // body's b back to the test is followed (the test is on the same page and
  // not in the block yet), so the block that starts at the body runs on
  // through the test: one block a turn, where it was two. The test's bne to
  // the body is then a side exit to the block's own start.
  const BODY = 5;
  const loop = (): number[] => [
    A.addiu(R.v0, R.v0, 1), A.bne(R.v0, R.t0, 3), A.nop(), A.j(CODE + 0x2000), A.nop(), // 0: the test (out, past the pages a block may reach, when v0 = t0)
    A.addiu(R.a0, R.a0, 3), A.sw(R.a0, 0, R.t2), A.beq(R.zero, R.zero, -8), A.addiu(R.a1, R.a1, 1), // 5: the body, and b back to 0
  ];
  const pairOf = (): [Machine, Machine] => {
    const a = machine(loop(), true), b = machine(loop(), false);
    for (const m of [a, b]) { m.cpu.regs[R.t0] = -1; m.cpu.regs[R.t2] = 0x80020000 | 0; }
    return [a, b];
  };
  it('a loop whose test is above its body runs as the interpreter does, as one block that holds both', () => {
    for (const budget of [7, 88, 1001, 100_003, 100_007]) {
      const [a, b] = pairOf();
      let blocks = 0;
      a.cpu.translator!.afterBlock = () => { blocks++; };
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget > 100_000) {
        // One block run in all but a few: the test's side exit back to the block's start goes round its JS loop (one a
        // turn before that, two before the b was followed).
        expect(b.cpu.regs[R.v0]).toBeGreaterThan(10_000);
        expect(blocks).toBeLessThan(10);
        const body = a.cpu.translator!.blocks().find((v) => (v.va >>> 0) === CODE + 4 * BODY && v.compiled)!;
        expect(body.words.map((w) => w >>> 0)).toEqual([...loop().slice(BODY), ...loop().slice(0, BODY)].map((w) => w >>> 0));
      }
    }
  });
  it('a side exit back to the block\'s start goes round its JS loop, stopping exactly at every cycle limit, with HI/LO stalls; not with a load in flight there', () => {
    // The layout above with a multiply in the body (its mflo in the test stalls) or a load in the test's delay slot
    // (in flight at the side exit: a turn must start with none, so the block leaves there every turn; the body's first
    // word does not read it, or the interpreter would take that word and the block would start after it).
    const variants: [string, number[], number][] = [
      ['mult', [
        A.mflo(R.a3), A.bne(R.v0, R.t0, 3), A.addiu(R.v0, R.v0, 1), A.j(CODE + 0x2000), A.nop(),
        A.mult(R.v0, R.a0), A.addiu(R.a0, R.a0, 3), A.beq(R.zero, R.zero, -8), A.addu(R.a1, R.a1, R.a3),
      ], 10],
      ['load', [
        A.addiu(R.v0, R.v0, 1), A.bne(R.v0, R.t0, 3), A.lw(R.a2, 0, R.t2), A.j(CODE + 0x2000), A.nop(),
        A.addu(R.a0, R.a0, R.a1), A.sw(R.a0, 0, R.t2), A.beq(R.zero, R.zero, -8), A.addu(R.a1, R.a1, R.a2),
      ], Infinity],
    ];
    for (const [name, words, most] of variants) {
      for (const budget of [7, 88, 1001, 4_444, 50_001, 100_003]) {
        const [a, b] = [true, false].map((translate) => {
          const m = machine(words, translate);
          m.cpu.regs[R.t0] = -1;
          m.cpu.regs[R.t2] = 0x80020000 | 0;
          return m;
        });
        let blocks = 0;
        a.cpu.translator!.afterBlock = () => { blocks++; };
        a.run(budget); b.run(budget);
        expect(a.cpu.save(), `${name} at ${budget}`).toEqual(b.cpu.save());
        expect(a.bus.ram32[(0x20000) >>> 2], name).toBe(b.bus.ram32[(0x20000) >>> 2]);
        if (budget > 100_000) {
          const turns = b.cpu.regs[R.v0];
          expect(turns).toBeGreaterThan(5_000);
          if (most === Infinity) expect(blocks, name).toBeGreaterThan(turns * 0.9); // a block run a turn
          else expect(blocks, name).toBeLessThan(most);
        }
      }
    }
  });

  it('a block whose branch back falls through in most of its interpreted runs is planned again to run on through it; one whose branch is mostly taken is not', () => {
    // 0: code the branch goes back to, then b to the loop; 12: the loop's head, a branch back to 0 one turn in eight
    // (beqz; bnez: seven in eight); 22: the rest of the turn, bne back to the head. Neither the code at 0 nor the head
    // reaches its branch within 8 words: no block follows a branch there as if taken.
    const words = (taken: boolean): number[] => [
      ...Array.from({ length: 9 }, () => A.addiu(R.a2, R.a2, 1)), A.beq(R.zero, R.zero, 2), A.nop(), A.nop(), // 0
      A.addiu(R.a0, R.a0, 1), A.andi(R.t3, R.a0, 7), ...Array.from({ length: 6 }, () => A.addiu(R.a3, R.a3, 1)),
      (taken ? A.bne : A.beq)(R.t3, R.zero, -21), A.nop(), // 12: the head
      A.addiu(R.a1, R.a1, 3), A.bne(R.a0, R.t0, -12), A.nop(), // 22: the rest, back to the head
      ...SPIN,
    ];
    for (const taken of [false, true]) {
      for (const budget of [90, 1_001, 20_001, 100_003]) {
        const [a, b] = [true, false].map((translate) => {
          const m = machine(words(taken), translate, 64, CODE + 48);
          m.cpu.regs[R.t0] = -1;
          return m;
        });
        let blocks = 0;
        a.cpu.translator!.afterBlock = () => { blocks++; };
        a.run(budget); b.run(budget);
        expect(a.cpu.save(), `${taken} at ${budget}`).toEqual(b.cpu.save());
        if (budget > 100_000) {
          const turns = b.cpu.regs[R.a0];
          expect(turns).toBeGreaterThan(3_000);
          const head = a.cpu.translator!.blocks().find((v) => (v.va >>> 0) === CODE + 48 && v.compiled)!;
          expect(head.replanned).toBe(!taken);
          if (!taken) {
            // The head's block holds the whole turn and goes round its JS loop: it leaves one turn in eight.
            expect(head.words).toHaveLength(13);
            expect(head.sides).toEqual([9]);
            expect(blocks).toBeLessThan(turns / 2); // three block runs every eighth turn; two a turn unwidened
          } else expect(head.words).toHaveLength(10); // (the turns then run in the block at 0, whose branch back goes to its own start)
        }
      }
    }
  });

  it('a jump to a loop\'s head is not followed: the loop stays a block of its own, a JS loop', () => {
    const words = [
      A.addiu(R.v0, R.v0, 1), A.bne(R.v0, R.t0, -2), A.nop(), A.j(CODE + 0x1000), A.nop(), // 0: the loop, back to 0
      A.addiu(R.a2, R.a2, 1), A.beq(R.zero, R.zero, -7), A.nop(), // 5: the entry, b to the loop's head
    ];
    for (const budget of [50, 100_003]) {
      const [a, b] = [true, false].map((translate) => {
        const m = machine(words, translate, 4, CODE + 20);
        m.cpu.regs[R.t0] = -1;
        return m;
      });
      let blocks = 0;
      a.cpu.translator!.afterBlock = () => { blocks++; };
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget > 100_000) {
        expect(blocks).toBeLessThan(10);
        // The entry's first word runs in the interpreter (its fetch not cached yet); the block after it, [b, nop], ends at the b.
        const at = (va: number): BlockView | undefined => a.cpu.translator!.blocks().find((v) => (v.va >>> 0) === va);
        expect(at(CODE + 24)!.words).toHaveLength(2);
        expect(at(CODE)!.words).toHaveLength(3);
        expect(at(CODE)!.compiled).toBe(true);
      }
    }
  });

  it('a page of jumps each back to the one before: blocks follow at most 8 of them, and run as the interpreter does', () => {
    // 0: addiu, then j to the top; each pair after: b to the pair before (the first to 0), nop.
    const M = 300, top = 2 * M + 1;
    const words = [A.addiu(R.v0, R.v0, 1), A.j(CODE + 4 * top), A.nop()];
    for (let k = 1; k <= M; k++) words.push(A.beq(R.zero, R.zero, (k === 1 ? 0 : 2 * k - 1) - (2 * k + 2)), A.nop());
    for (const budget of [333, 100_001]) {
      const a = machine(words, true), b = machine(words, false);
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget > 100_000) {
        const views = a.cpu.translator!.blocks();
        expect(views.some((v) => v.words.length >= 16)).toBe(true); // some followed 8 jumps
        expect(Math.max(...views.map((v) => v.words.length))).toBeLessThanOrEqual(2 * 9 + 2);
      }
    }
  });

  it('a block that follows a jump to a word blocks do not hold ends after the jump\'s delay slot, and leaves for the target', () => {
    // The b at 5 goes back to 0, a COP1 word (coprocessor unusable: the handler counts it in s0 and returns past it).
    const words = [A.cop1(), A.addiu(R.v0, R.v0, 1), A.j(CODE + 16), A.nop(), A.addiu(R.a0, R.a0, 1), A.beq(R.zero, R.zero, -6), A.nop()];
    for (const budget of [40, 1001, 50_001]) {
      const [a, b] = [true, false].map((translate) => withHandler(words, translate, CODE + 16));
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget > 50_000) {
        expect(b.cpu.regs[R.s0]).toBeGreaterThan(1000);
        // From 1: addiu, j (to 4, inside), nop, nop, addiu, b (to 0, followed), nop; then word 0, which no block holds: the end leaves for 0.
        expect(a.cpu.translator!.blocks().some((v) => v.compiled && v.words.length === 6 && (v.va >>> 0) === CODE + 4)).toBe(true);
      }
    }
  });

  it('a jump followed to a word blocks do not hold ends the block with the jump as its last branch: a fault in its slot has BD set', () => {
    // Found by the random programs (with a jal): the block held nothing at the target, so the jump's slot was its
    // last word but not marked a delay slot, and a fault there was taken without BD.
    const words = [
      A.cop1(), A.addiu(R.v0, R.v0, 1), A.j(CODE + 16), A.nop(), // 0: COP1 (the handler counts it and skips it)
      A.addiu(R.t4, R.t4, 1), A.beq(R.zero, R.zero, -6), A.lw(R.t0, 1, R.gp), // 4: b to 0, an AdEL in its slot
      A.j(CODE + 4), A.nop(), // 7: where the handler resumes after the lw
    ];
    for (const budget of [40, 1001, 20_001]) {
      const [a, b] = [true, false].map((translate) => { const m = withHandler(words, translate, CODE + 4); m.cpu.regs[R.gp] = 0x80020000 | 0; return m; });
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget === 20_001) expect(a.cpu.translator!.blocks().some((v) => v.compiled && v.addrs.includes((CODE + 24) | 0))).toBe(true);
    }
  });

  it('a breakpoint on the followed part stops there; a write to it drops the block', () => {
    // The breakpoint is on the test (CODE), which the hot block at the body holds after the jump; the run is
    // stopped in the body first (at CODE + 24), so the block at the body is what would run over it.
    const stops = pairOf().map((m) => {
      m.run(20_003);
      const before = m.cpu.pc >>> 0;
      m.cpu.setBreakpoint(CODE, true);
      const reason = m.run(40_000);
      return { before, reason, pc: m.cpu.pc >>> 0, cycles: m.cpu.cycles, v0: m.cpu.regs[R.v0] };
    });
    expect(stops[0]).toEqual(stops[1]);
    expect(stops[0]).toMatchObject({ before: CODE + 24, reason: 'breakpoint', pc: CODE });
    // The test's addiu now adds 2: a host write to the followed part, which the block at the body must not keep.
    const [a, b] = pairOf();
    for (const m of [a, b]) { m.run(20_000); m.bus.hostWrite32(CODE & 0x1fffffff, A.addiu(R.v0, R.v0, 2)); m.run(40_000); }
    expect(a.cpu.save()).toEqual(b.cpu.save());
    expect(a.cpu.regs[R.a1] * 2).toBeLessThan(a.cpu.regs[R.v0]); // the later turns added 2
  });
});

describe('calls, returns and closing branches a block follows', () => {
  /** Runs `words` (at CODE, t0 = the loops' turns) translated and interpreted for `budget`; the states must be equal. Returns both, and the translated machine's block runs. */
  const twinRun = (words: number[], budget: number, turns = 1000): { a: Machine; b: Machine; runs: number } => {
    const a = machine(words, true), b = machine(words, false);
    for (const m of [a, b]) m.cpu.regs[R.t0] = turns;
    let runs = 0;
    a.cpu.translator!.afterBlock = () => { runs++; };
    a.run(budget); b.run(budget);
    expect(a.cpu.save()).toEqual(b.cpu.save());
    return { a, b, runs };
  };
  /** The compiled block of `m` at `va`. */
  const compiledBlock = (m: Machine, va: number): BlockView | undefined => m.cpu.translator!.blocks().find((v) => v.compiled && (v.va >>> 0) === va);
  /** The compiled blocks of `m` that hold the word at `va`. */
  const holding = (m: Machine, va: number): BlockView[] => m.cpu.translator!.blocks().filter((v) => v.compiled && v.addrs.includes(va | 0));

  it('a loop\'s closing branch back to code above the block is followed as if taken: one block a turn, and it leaves where the branch is not taken', () => {
    // 0: the loop's top ends in a jr (to 4); 4: the rest, and bne back to 0. The block at 4 follows the bne to 0 (as
    // cpumix's calls through a table do: the code after the call closes the loop, the code before it makes the call).
    const words = [
      A.addiu(R.v0, R.v0, 1), A.jr(R.t1), A.nop(), A.nop(), // 0
      A.addiu(R.a0, R.a0, 3), A.bne(R.v0, R.t0, -6), A.addiu(R.a1, R.a1, 1), // 4: back to 0 until v0 = t0
      ...SPIN, // 7
    ];
    for (const budget of [9, 100, 2_001, 6_000, 9_999]) {
      // Equal at `budget`, and again once the loop has ended; the block runs counted in the second run.
      const a = machine(words, true), b = machine(words, false);
      for (const m of [a, b]) { m.cpu.regs[R.t0] = 1000; m.cpu.regs[R.t1] = CODE + 16; m.run(budget); }
      expect(a.cpu.save()).toEqual(b.cpu.save());
      let runs = 0;
      a.cpu.translator!.afterBlock = () => { runs++; };
      for (const m of [a, b]) m.run(budget + 20_000);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      expect(b.cpu.regs[R.v0]).toBe(1000); // the loop ran to its end, then the spin
      expect(a.cpu.pc >>> 0).toBeGreaterThanOrEqual(CODE + 28);
      if (budget === 9_999) {
        const block = compiledBlock(a, CODE + 16)!;
        expect(block.addrs.map((x) => x >>> 0)).toEqual([16, 20, 24, 0, 4, 8].map((o) => CODE + o));
        expect(block.sides).toEqual([2]); // the bne's delay slot: it leaves there when not taken
        expect(runs).toBeLessThan(20); // the last turns and the spin (two blocks a turn before)
      }
    }
  });

  it('a call to a short function on the page, and its return, are followed: a loop that calls is one block, a JS loop', () => {
    const F = CODE + 32;
    const words = [
      A.addiu(R.s0, R.s0, 1), A.jal(F), A.addu(R.a0, R.s0, R.zero), // 0: call F(s0)
      A.addu(R.t3, R.t3, R.v0), A.bne(R.s0, R.t0, -5), A.nop(), // 3: sum, and again
      ...SPIN, // 6
      A.sll(R.v0, R.a0, 1), A.jr(R.ra), A.addiu(R.v0, R.v0, 3), // 8: F: 2 a0 + 3
    ];
    for (const budget of [3, 50, 1_003, 8_000, 20_000]) {
      const { a, b, runs } = twinRun(words, budget);
      if (budget === 20_000) {
        expect(b.cpu.regs[R.t3]).toBe(1000 * 1001 + 3000);
        // The first turn's first word ran in the interpreter (its fetch not cached yet): the loop's block starts at the
        // call, follows it, the return and the closing bne, and leaves for its own start: a JS loop.
        const [block] = holding(a, F);
        expect(block.addrs.map((x) => x >>> 0)).toEqual([4, 8, 32, 36, 40, 12, 16, 20, 0].map((o) => CODE + o));
        expect(block.sides).toEqual([4, 7]); // the return's and the bne's delay slots: it leaves there if either goes elsewhere
        expect(runs).toBeLessThan(20);
      }
    }
  });

  it('a call to the word after its delay slot: a fault in the slot is taken in a delay slot (EPC the call, BD set)', () => {
    // Found by the random programs: followed, the call's target is the next word, so the block's words are one run and
    // nothing but a side marks the slot as a delay slot. The handler (withHandler) counts in s0 and resumes at EPC + 4.
    const words = [
      A.addiu(R.s1, R.s1, 1), A.jal(CODE + 12), A.lw(R.t0, 1, R.gp), // 0: the call; an AdEL in its slot
      A.bne(R.s1, R.t1, -4), A.nop(), ...SPIN, // 3: 50 turns
    ];
    for (const budget of [30, 301, 5_000]) {
      const [a, b] = [true, false].map((translate) => {
        const m = withHandler(words, translate);
        m.cpu.regs[R.gp] = 0x80020000 | 0; m.cpu.regs[R.t1] = 50;
        return m;
      });
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget === 5_000) {
        expect(b.cpu.regs[R.s0]).toBe(100); // each turn: the fault in the slot (BD), then again as it is resumed at EPC + 4
        expect(holding(a, CODE + 8).length).toBeGreaterThan(0);
      }
    }
  });

  it('a branch inside the block into the followed callee skips the call: the return checks $ra and leaves for where it points', () => {
    // Odd turns jump over the call straight to F's jr with $ra = E: the block's guard on the return sees $ra is not the
    // call's return address and leaves for E. Even turns call F and come back to R.
    const E = CODE + 52, F = CODE + 64;
    const words = [
      A.addiu(R.s1, R.s1, 1), A.lui(R.ra, E >>> 16), A.ori(R.ra, R.ra, E & 0xffff), A.andi(R.t5, R.s1, 1), // 0
      A.bne(R.t5, R.zero, 12), A.nop(), A.jal(F), A.nop(), // 4: to F + 4 on odd turns, else call F
      A.addiu(R.t3, R.t3, 1), A.bne(R.s1, R.t1, -10), A.nop(), ...SPIN, // 8: R
      A.addiu(R.t4, R.t4, 1), A.j(CODE + 36), A.nop(), // 13: E, back to the loop's test
      A.addiu(R.v0, R.v0, 1), A.jr(R.ra), A.nop(), // 16: F
    ];
    for (const budget of [40, 555, 3_000]) {
      const [a, b] = [true, false].map((translate) => { const m = machine(words, translate); m.cpu.regs[R.t1] = 100; return m; });
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget === 3_000) {
        expect([b.cpu.regs[R.t3], b.cpu.regs[R.t4], b.cpu.regs[R.v0]]).toEqual([50, 50, 50]);
        // Some compiled block holds the branch, the call, F and the return to R (the return followed as predicted).
        expect(holding(a, CODE + 16).some((v) => [CODE + 24, F + 4, CODE + 32].every((x) => v.addrs.includes(x | 0)))).toBe(true);
      }
    }
  });

  it('a return whose $ra the callee or the call\'s delay slot changed is not followed; a long callee is not followed', () => {
    const F = CODE + 48;
    const cases: [string, number[], number[]][] = [
      // F skips 8 bytes of its caller on return (a common way to pass inline data).
      ['the callee moves $ra', [A.jal(F), A.nop()], [A.addiu(R.ra, R.ra, 8), A.jr(R.ra), A.nop()]],
      // The delay slot of the call loads $ra (from a word that holds CODE + 16: one word past the return address).
      ['the delay slot loads $ra', [A.jal(F), A.lw(R.ra, 0, R.t2)], [A.nop(), A.jr(R.ra), A.nop()]],
      // F is 32 words long before its return: no block takes a copy of it.
      ['the callee is long', [A.jal(F), A.nop()], [...Array.from({ length: 30 }, () => A.addiu(R.v0, R.v0, 1)), A.jr(R.ra), A.nop()]],
    ];
    for (const [name, call, callee] of cases) {
      const words = [A.addiu(R.s0, R.s0, 1), ...call, A.nop(), A.nop(), A.bne(R.s0, R.t0, -6), A.nop(), ...SPIN];
      while (words.length < 12) words.push(A.nop());
      words.push(...callee);
      for (const budget of [77, 30_000]) {
        const a = machine(words, true), b = machine(words, false);
        for (const m of [a, b]) {
          m.cpu.regs[R.t0] = 1000; m.cpu.regs[R.t2] = 0x80020000 | 0;
          m.bus.hostWrite32(0x20000, CODE + 16);
        }
        a.run(budget); b.run(budget);
        expect(a.cpu.save(), name).toEqual(b.cpu.save());
        if (budget === 30_000) {
          const blocks = holding(a, CODE + 4);
          expect(blocks.length, name).toBeGreaterThan(0);
          for (const block of blocks) {
            // The call's return address is not where a block holding the call goes on after the callee.
            const k = block.addrs.indexOf((CODE + 4) | 0);
            expect(block.addrs.slice(k).map((x) => x >>> 0), name).not.toContain(CODE + 12);
            if (name === 'the callee is long') expect(block.addrs[block.addrs.length - 1] >>> 0, name).toBe(CODE + 8); // the call's delay slot ends it
          }
        }
      }
    }
  });
});

describe('indirect jumps followed where their interpreted runs went', () => {
  /** Runs `words` (at CODE; t0 the turns, t5 and t6 as given) translated and interpreted with `hot` 64 for `budget`; the states must be equal. */
  const twinRun = (words: number[], budget: number, regs: Record<number, number>): { a: Machine; b: Machine; runs: number } => {
    const [a, b] = [true, false].map((translate) => {
      const m = machine(words, translate, 64);
      for (const [r, v] of Object.entries(regs)) m.cpu.regs[Number(r)] = v;
      return m;
    });
    let runs = 0;
    a.cpu.translator!.afterBlock = () => { runs++; };
    a.run(budget); b.run(budget);
    expect(a.cpu.save(), `at ${budget}`).toEqual(b.cpu.save());
    return { a, b, runs };
  };
  const F = CODE + 4 * 12, G = CODE + 4 * 15;
  /** A loop that calls through t9 (jalr): F until turn t6, then G; F and G return 2 a0 + 3 and 4 a0 + 5. */
  const words = [
    A.addiu(R.s0, R.s0, 1), A.sltu(R.t4, R.t6, R.s0), A.beq(R.t4, R.zero, 2), A.nop(), // 0: past turn t6?
    A.addu(R.t9, R.t5, R.zero), A.jalr(R.ra, R.t9), A.addu(R.a0, R.s0, R.zero), // 4: then call G, else F
    A.addu(R.t3, R.t3, R.v0), A.bne(R.s0, R.t0, -9), A.nop(), // 7: sum, and again
    ...SPIN, // 10
    A.sll(R.v0, R.a0, 1), A.jr(R.ra), A.addiu(R.v0, R.v0, 3), // 12: F
    A.sll(R.v0, R.a0, 2), A.jr(R.ra), A.addiu(R.v0, R.v0, 5), // 15: G
  ];

  it('a jalr that always went to one function is followed into it, and the return with it: the loop is one block, a JS loop; when the pointer changes, the block leaves for the new target', () => {
    const turns = 20_000, change = 12_000;
    for (const budget of [50, 999, 30_001, 120_001, 300_000]) {
      const { a, b, runs } = twinRun(words, budget, { [R.t0]: turns, [R.t6]: change, [R.t5]: G, [R.t9]: F });
      if (budget === 120_001) {
        expect(b.cpu.regs[R.s0]).toBeGreaterThan(9_000);
        expect(b.cpu.regs[R.s0]).toBeLessThan(change);
        const loop = a.cpu.translator!.blocks().find((v) => v.compiled && v.addrs.includes(F | 0) && v.addrs.includes(CODE | 0))!;
        expect(loop.replanned).toBe(true);
        expect(runs).toBeLessThan(100); // three blocks a turn without the prediction
      }
      if (budget === 300_000) {
        expect(b.cpu.regs[R.s0]).toBe(turns); // to the end, G called after turn `change`
        expect(b.cpu.regs[R.t3]).toBe(2 * (change * (change + 1)) / 2 + 3 * change + 4 * ((turns * (turns + 1)) / 2 - (change * (change + 1)) / 2) + 5 * (turns - change));
      }
    }
  });

  it('returns that always went back to one caller are followed there, though the call through the pointer goes to two functions in turn', () => {
    // t9 is F on even turns (set in the beq's delay slot) and G on odd ones: the jalr is not followed (half its runs
    // each way); each function's return, always to the word after the call's delay slot, is.
    const alternate = [...words];
    alternate[1] = A.andi(R.t4, R.s0, 1); // 1: an odd turn?
    alternate[3] = A.addu(R.t9, R.t7, R.zero); // 3: F, in the delay slot
    for (const budget of [77, 2_001, 60_003, 120_001]) {
      const { a, b, runs } = twinRun(alternate, budget, { [R.t0]: 1 << 30, [R.t5]: G, [R.t7]: F });
      if (budget === 120_001) {
        // Each function's block (compiled alone, or a further part of the loop's: below) runs on past its return.
        for (const fn of [F, G]) {
          const at = (fn - CODE) / 4, run = [at, at + 1, at + 2, 7, 8].join(' ');
          const held = a.cpu.translator!.blocks().filter((v) => v.compiled).map((v) => ` ${v.addrs.map((x) => ((x >>> 0) - CODE) / 4).join(' ')} `);
          expect(held.some((h) => h.includes(` ${run} `)), `${run} in ${held.join(' | ')}`).toBe(true);
        }
        expect(runs).toBeLessThan(b.cpu.regs[R.s0] * 1.2); // one block a turn, three without the prediction
      }
    }
  });

  describe('a jalr that went to several functions: their blocks are further parts of its function', () => {
    const F0 = CODE + 4 * 16;
    /** A loop that calls, through t9, function (s0 ^ s0 >> 1) & 3 of four (t5 = F0; each 3 words: x 2 + 3, x 4 + 5, x / 2 + 7, 2 x + 11). */
    const four = [
      A.addiu(R.s0, R.s0, 1), A.srl(R.t4, R.s0, 1), A.xor(R.t4, R.t4, R.s0), A.andi(R.t4, R.t4, 3), // 0
      A.sll(R.t1, R.t4, 3), A.sll(R.t4, R.t4, 2), A.addu(R.t4, R.t4, R.t1), A.addu(R.t9, R.t4, R.t5), // 4: t9 = F0 + 12 i
      A.jalr(R.ra, R.t9), A.addu(R.a0, R.s0, R.zero), A.addu(R.t3, R.t3, R.v0), A.bne(R.s0, R.t0, -12), A.nop(), // 8
      ...SPIN, A.nop(), // 13
      A.sll(R.v0, R.a0, 1), A.jr(R.ra), A.addiu(R.v0, R.v0, 3), // 16: F0
      A.sll(R.v0, R.a0, 2), A.jr(R.ra), A.addiu(R.v0, R.v0, 5), // 19: F1
      A.srl(R.v0, R.a0, 1), A.jr(R.ra), A.addiu(R.v0, R.v0, 7), // 22: F2
      A.addu(R.v0, R.a0, R.a0), A.jr(R.ra), A.addiu(R.v0, R.v0, 11), // 25: F3
    ];
    const turns = 20_000;
    /** t3 after `n` turns, as the guest computes it. */
    const sum = (n: number): number => {
      let t = 0;
      for (let i = 1; i <= n; i++) t = (t + [2 * i + 3, 4 * i + 5, (i >>> 1) + 7, 2 * i + 11][(i ^ (i >>> 1)) & 3]) | 0;
      return t;
    };

    it('the calls and returns run inside one function, as the interpreter runs them, to the end', () => {
      for (const budget of [61, 1_003, 40_001, 200_003, 400_000]) {
        const { a, b, runs } = twinRun(four, budget, { [R.t0]: turns, [R.t5]: F0 });
        if (budget === 200_003) {
          const turned = b.cpu.regs[R.s0];
          expect(turned).toBeGreaterThan(5_000);
          const multi = a.cpu.translator!.blocks().filter((v) => v.compiled && v.parts.length >= 2);
          expect(multi.length).toBeGreaterThan(0);
          for (const v of multi) for (const at of v.parts) expect([1, 2, 3].map((i) => F0 + 12 * i).concat(F0, CODE)).toContain(at >>> 0);
          expect(runs).toBeLessThan(turned / 4); // a block or two a turn without further parts
        }
        if (budget === 400_000) {
          expect(b.cpu.regs[R.s0]).toBe(turns);
          expect(b.cpu.regs[R.t3]).toBe(sum(turns));
        }
      }
    });

    it('a host write to one of the functions drops the function holding it: the later turns run the new code', () => {
      const [a, b] = [true, false].map((translate) => {
        const m = machine(four, translate, 64);
        m.cpu.regs[R.t0] = turns; m.cpu.regs[R.t5] = F0;
        return m;
      });
      const old = A.srl(R.v0, R.a0, 1) >>> 0;
      for (const m of [a, b]) { m.run(150_000); m.bus.hostWrite32((F0 + 24) & 0x1fffffff, A.srl(R.v0, R.a0, 2)); }
      expect(a.cpu.translator!.blocks().some((v) => v.words.includes(old))).toBe(false);
      for (const m of [a, b]) m.run(300_000);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      expect(b.cpu.regs[R.s0]).toBe(turns);
      expect(b.cpu.regs[R.t3]).not.toBe(sum(turns));
    });

    it('a breakpoint in one of the functions stops there, on the cycle the interpreter stops', () => {
      const stops = [true, false].map((translate) => {
        const m = machine(four, translate, 64);
        m.cpu.regs[R.t0] = turns; m.cpu.regs[R.t5] = F0;
        m.run(120_001);
        while ((m.cpu.pc >>> 0) !== CODE) m.run(1); // at the loop's head, where the function with the parts starts
        const next = m.cpu.regs[R.s0] + 1, at = F0 + 12 * ((next ^ (next >>> 1)) & 3); // the function the turn calls
        m.cpu.setBreakpoint(at, true);
        const reason = m.run(10_000);
        return { reason, pc: m.cpu.pc >>> 0, cycles: m.cpu.cycles, s0: m.cpu.regs[R.s0], t3: m.cpu.regs[R.t3] };
      });
      expect(stops[0]).toEqual(stops[1]);
      expect(stops[0].reason).toBe('breakpoint');
      expect(stops[0].pc - F0).toBeGreaterThanOrEqual(0);
      expect(stops[0].pc - F0).toBeLessThan(48);
    });
  });
});

describe('blocks across a page boundary', () => {
  // In kseg0 and kseg1 no TLB state changes what an address fetches, and the mode cannot change inside a block: a
  // block there may hold words of the pages beside its own (its window), as a loop or a function that lies across a
  // boundary does. It is listed and guarded under each of those pages. Mapped code stays on its page: the next
  // virtual page may be another frame, or none.
  const AT = CODE + 0xff8; // the loop: two words on CODE's page, then the bne and its slot on the next
  const loop = [A.addiu(R.v0, R.v0, 1), A.addiu(R.t4, R.t4, 2), A.bne(R.v0, R.t0, -3), A.addiu(R.t5, R.t5, 1), A.beq(R.zero, R.zero, -1), A.nop()];
  const boot = (translate: boolean, at = AT, words = loop, turns = 5000): Machine => {
    const m = new Machine({ ramSize: 1 << 20, translate, hot: 4 });
    m.load({ entry: at, segments: [{ vaddr: at, memsz: 4 * words.length, data: bytes(words) }] });
    m.cpu.regs[R.t0] = turns;
    return m;
  };
  const across = (m: Machine): BlockView[] => m.cpu.translator!.blocks().filter((v) => v.compiled && v.addrs.some((x) => (x >>> 0) < CODE + 0x1000) && v.addrs.some((x) => (x >>> 0) >= CODE + 0x1000));

  it('a loop across a page boundary in kseg0 is one block, a JS loop, listed once; it runs as the interpreter does', () => {
    for (const budget of [3, 40, 1_001, 20_003, 30_000]) {
      const a = boot(true), b = boot(false);
      let runs = 0;
      a.cpu.translator!.afterBlock = () => { runs++; };
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget === 30_000) {
        expect(b.cpu.regs[R.v0]).toBe(5000);
        const blocks = across(a);
        expect(blocks).toHaveLength(1);
        expect(blocks[0].addrs.map((x) => x >>> 0)).toEqual([0, 4, 8, 12].map((o) => AT + o));
        expect(runs).toBeLessThan(20);
      }
    }
  });

  it('a host write to the part on the next page drops the block; a breakpoint there stops there', () => {
    const [a, b] = [boot(true), boot(false)];
    for (const m of [a, b]) { m.run(10_000); m.bus.hostWrite32((AT + 12) & 0x1fffffff, A.addiu(R.t5, R.t5, 2)); }
    expect(across(a).some((v) => v.words.includes(A.addiu(R.t5, R.t5, 1) >>> 0))).toBe(false);
    for (const m of [a, b]) m.run(30_000);
    expect(a.cpu.save()).toEqual(b.cpu.save());
    expect(b.cpu.regs[R.t5]).toBeGreaterThan(5000); // the later turns added 2
    const stops = [boot(true), boot(false)].map((m) => {
      m.run(10_001);
      m.cpu.setBreakpoint(AT + 12, true);
      const reason = m.run(10_000);
      return { reason, pc: m.cpu.pc >>> 0, cycles: m.cpu.cycles, v0: m.cpu.regs[R.v0] };
    });
    expect(stops[0]).toEqual(stops[1]);
    expect(stops[0]).toMatchObject({ reason: 'breakpoint', pc: AT + 12 });
  });

  it('a block dropped through one of its pages leaves no trace on the others: rewriting its own page again and again does not grow the next page\'s list', () => {
    const m = boot(true, AT, loop, -1);
    for (let k = 0; k < 50; k++) { m.run(2_000); m.bus.hostWrite32(AT & 0x1fffffff, loop[0]); } // the same word: only drops the block
    const pages = (m.cpu.translator as unknown as { pages: ({ list: unknown[] } | undefined)[] }).pages;
    expect(across(m)).toHaveLength(1); // planned and compiled again each time
    expect(pages[((AT + 0x1000) & 0x1fffffff) >>> 12]!.list.length).toBeLessThanOrEqual(2);
  });

  it('a call to a short function on the next page is followed, and its return', () => {
    const F = CODE + 0x1010;
    const words = [
      A.addiu(R.s0, R.s0, 1), A.jal(F), A.addu(R.a0, R.s0, R.zero), A.addu(R.t3, R.t3, R.v0), A.bne(R.s0, R.t0, -5), A.nop(), // CODE + 0xfe0
      A.beq(R.zero, R.zero, -1), A.nop(), // CODE + 0xff8
      A.nop(), A.nop(), A.nop(), A.nop(), // CODE + 0x1000
      A.sll(R.v0, R.a0, 1), A.jr(R.ra), A.addiu(R.v0, R.v0, 3), // F
    ];
    for (const budget of [50, 2_001, 20_000]) {
      const a = boot(true, CODE + 0xfe0, words, 1000), b = boot(false, CODE + 0xfe0, words, 1000);
      a.run(budget); b.run(budget);
      expect(a.cpu.save()).toEqual(b.cpu.save());
      if (budget === 20_000) {
        expect(b.cpu.regs[R.t3]).toBe(1000 * 1001 + 3000);
        expect(across(a).some((v) => v.addrs.includes(F | 0) && v.addrs.includes((CODE + 0xfec) | 0))).toBe(true);
      }
    }
  });

  it('mapped code does not cross: the next virtual page is another frame', () => {
    // Virtual 0x00400000 and 0x00401000 on frames 0x31000 and 0x35000 (global, valid), run in kernel mode.
    const [a, b] = [true, false].map((translate) => {
      const m = new Machine({ ramSize: 1 << 20, translate, hot: 4 });
      const go = [A.lui(R.t9, 0x0040), A.ori(R.t9, R.t9, 0x0ff8), A.jr(R.t9), A.nop()];
      m.load({ entry: CODE, segments: [{ vaddr: CODE, memsz: 4 * go.length, data: bytes(go) }] });
      m.cpu.tlb.write(1, 0x00400000, 0x31000 | V | G);
      m.cpu.tlb.write(2, 0x00401000, 0x35000 | V | G);
      m.bus.hostWrite32(0x31ff8, loop[0]); m.bus.hostWrite32(0x31ffc, loop[1]);
      loop.slice(2).forEach((w, k) => m.bus.hostWrite32(0x35000 + 4 * k, w));
      m.cpu.regs[R.t0] = 3000;
      return m;
    });
    for (const m of [a, b]) m.run(20_000);
    expect(a.cpu.save()).toEqual(b.cpu.save());
    expect(b.cpu.regs[R.v0]).toBe(3000);
    const views = a.cpu.translator!.blocks().filter((v) => v.compiled);
    expect(views.length).toBeGreaterThan(0);
    for (const v of views) expect(new Set(v.addrs.map((x) => x >>> 12)).size).toBe(1);
  });
});

describe('division guards inside a block', () => {
  // gcc guards a division by a register (MIPS I has no trap on zero):
  // `bnez divisor, 1f; divu (in the delay slot); break 7; 1: mfhi ...`.
  // The break always traps, and a forward branch skips it, so the block
  // goes on past it: Euclid's loop below is one block and one JS loop
  // (it was two blocks, and a dispatch each, every time round). With a
  // divisor of zero now and then the break is taken from the middle of
  // the block, as the interpreter takes it.
  /** `next`: the last step of making the next pair's divisor (v0). */
  const gcd = (next: number): number[] => [
    A.bne(R.v0, R.zero, 2), A.divu(R.v1, R.v0), A.break(7), // 0: a guarded division
    A.addu(R.a1, R.v0, R.zero), A.mfhi(R.v0), A.bne(R.v0, R.zero, -6), A.addu(R.v1, R.a1, R.zero), // 3: a1 = v0; v0 = v1 % v0; again
    A.addiu(R.t0, R.t0, 0x3b9), A.sll(R.v0, R.t0, 3), A.xor(R.v0, R.v0, R.t0), next, // 7: the next pair
    A.j(CODE), A.ori(R.v1, R.t0, 1), // 11: v1 odd
  ];
  for (const [name, next] of [['never zero', A.ori(R.v0, R.v0, 1)], ['zero one time in 64', A.andi(R.v0, R.v0, 0x3f0)]] as const) {
    it(`Euclid's loop with a guarded divu, the divisor ${name}, runs as the interpreter does, as one block`, () => {
      const words = gcd(next);
      for (const budget of [5, 77, 1001, 100_003, 100_004, 400_017]) {
        const a = withHandler(words, true), b = withHandler(words, false);
        for (const m of [a, b]) { m.cpu.regs[R.v0] = 5; m.cpu.regs[R.v1] = 12; }
        let blocks = 0;
        a.cpu.translator!.afterBlock = () => { blocks++; };
        a.run(budget); b.run(budget);
        expect(a.cpu.save()).toEqual(b.cpu.save());
        if (budget === 400_017) {
          const traps = b.cpu.regs[R.s0];
          if (name === 'never zero') expect(traps).toBe(0);
          else expect(traps).toBeGreaterThan(20); // the break taken from the block's middle, and the handler run
          // The loop one block, the next pair another: about 20 instructions a block run here, where the two blocks of
          // the loop (each time round: bne, divu; then addu, mfhi, bne, addu) ran 3 each.
          expect(blocks).toBeLessThan(a.cpu.instret / 8);
          expect(a.cpu.translator!.blocks().some((v) => v.compiled && (v.va >>> 0) === CODE && v.words.length === 7 && v.words.includes(A.break(7) >>> 0))).toBe(true);
        }
      }
    });
  }
});

describe('soft TLB and dirty pages', () => {
  it('the TLB logs the entry each of its last TLB_WRITE_LOG writes wrote; clear and load move the generation past the log', () => {
    const tlb = new Machine({ ramSize: 1 << 20 }).cpu.tlb;
    const g0 = tlb.generation;
    for (const i of [5, 9, 5, 63]) tlb.write(i, 0x1000 * i, 0);
    expect(tlb.generation - g0).toBe(4);
    expect([0, 1, 2, 3].map((d) => tlb.written[(g0 + d) % TLB_WRITE_LOG])).toEqual([5, 9, 5, 63]);
    const g1 = tlb.generation;
    tlb.load(tlb.entries());
    expect(tlb.generation - g1).toBeGreaterThan(TLB_WRITE_LOG);
    const g2 = tlb.generation;
    tlb.clear();
    expect(tlb.generation - g2).toBeGreaterThan(TLB_WRITE_LOG);
  });

  it('the soft TLB keeps address spaces apart by ASID', () => {
    // Two ASIDs map virtual page 0 to different frames; reading it after each switch sees each frame.
    const m = machine([A.nop()], false);
    const cpu = m.cpu;
    cpu.tlb.write(8, 0x00000000 | (1 << 6), 0x00080000 | 0x200);
    cpu.tlb.write(9, 0x00000000 | (2 << 6), 0x00081000 | 0x200);
    m.bus.hostWrite32(0x80010, 111);
    m.bus.hostWrite32(0x81010, 222);
    const read = (asid: number): number => {
      cpu.entryHi = asid << 6;
      cpu.flushTranslations();
      const pa = cpu.translate(0x10, 1);
      return pa < 0 ? -1 : m.bus.ram32[pa >>> 2];
    };
    expect([read(1), read(2), read(1), read(2)]).toEqual([111, 222, 111, 222]);
    cpu.tlb.write(9, 0x00000000 | (2 << 6), 0x00082000 | 0x200); // remap ASID 2's page
    m.bus.hostWrite32(0x82010, 333);
    expect(read(2)).toBe(333);
  });

  it('the soft TLB holds the same page of several address spaces at once (slots by VPN and ASID), and a TLB write drops only its own ASID\'s', () => {
    // Every environment maps its program at the same addresses: switching between them must not evict each other's translations.
    const m = machine([A.nop()], false);
    const cpu = m.cpu, soft = cpu.tlb.soft;
    const asids = [1, 2, 3, 9, 33];
    asids.forEach((a, i) => { cpu.tlb.write(8 + i, 0x00400000 | (a << 6), (0x00080000 + (i << 12)) | Tlb.V); m.bus.hostWrite32(0x80010 + (i << 12), 100 + a); });
    const slot = (a: number): number => softIndex(0x00400000, a << 6);
    const read = (a: number): number => {
      cpu.entryHi = a << 6;
      cpu.flushTranslations();
      const pa = cpu.translate(0x00400010, 1);
      return pa < 0 ? -1 : m.bus.ram32[pa >>> 2];
    };
    expect(asids.map(read)).toEqual(asids.map((a) => 100 + a));
    expect(new Set(asids.map(slot)).size).toBe(asids.length);
    for (const a of asids) expect(soft.lTag[slot(a)]).toBe(0x00400000 | (a << 6)); // all still held
    cpu.tlb.write(9, 0x00400000 | (2 << 6), 0x000a0000 | Tlb.V); // remap ASID 2's page
    expect(soft.lTag[slot(2)]).toBe(SOFT_NO_TAG);
    for (const a of asids.filter((x) => x !== 2)) expect(soft.lTag[slot(a)]).toBe(0x00400000 | (a << 6));
    m.bus.hostWrite32(0xa0010, 7);
    expect(asids.map(read)).toEqual(asids.map((a) => (a === 2 ? 7 : 100 + a)));
    // A global entry's write drops its page in every address space.
    cpu.tlb.write(20, 0x00400000, 0x000b0000 | Tlb.V | Tlb.G);
    for (const a of asids) expect(soft.lTag[slot(a)]).toBe(SOFT_NO_TAG);
  });

  it('CPU stores and host writes set dirty bits that takeDirty reads and clears', () => {
    const m = machine([A.lui(R.t2, 0x8004), A.sw(R.t2, 0x10, R.t2), A.sw(R.t2, 0x1010, R.t2), A.j(CODE + 4), A.nop()]);
    m.bus.takeDirty();
    m.run(100);
    expect(m.bus.takeDirty()).toEqual([0x40, 0x41]);
    m.run(100);
    expect(m.bus.takeDirty()).toEqual([0x40, 0x41]); // stores after a clear are seen again
    m.bus.hostWrite32(0x5000, 1);
    m.run(1);
    expect(m.bus.takeDirty()).toContain(5);
  });
});
