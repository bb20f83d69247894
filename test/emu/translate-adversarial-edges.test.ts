// The block translator against the interpreter on cases written to break
// it, second half: the state at block edges. Exceptions of every kind at
// every kind of position in a block, the load delay and HI/LO across block
// edges, branches in delay slots, superblocks past their limits, the clock
// interrupting long blocks, budgets ending inside superblocks, breakpoints
// and watchpoints set while a block is hot, a host kernel called from
// inside blocks, and the lockstep comparison itself. Each compares the
// whole CPU state and RAM with the interpreter's and, where the behaviour
// is architectural, checks it against the R30xx manual. The first half:
// translate-adversarial.test.ts.

import { describe, expect, it } from 'vitest';
import type { Machine } from '../../src/emu/index.js';
import { cpuDiff, Lockstep } from '../../src/emu/lockstep.js';
import { A, R } from './helpers/asm.js';
import { br, excCode, inSlot, jmp, la, li, logged, Placed } from './helpers/placed.js';
import { CODE, compiledAt, D, DATA, expectSame, G, lockstep, tlbEntry, twins, V } from './helpers/twins.js';

describe('exceptions, the load delay and HI/LO at block edges', () => {
  // Every exception a block can leave for, at five positions: the delay slot of the branch that ends the block,
  // the delay slot of a branch the superblock runs on through, the last word of a page (the block's last, no
  // branch), the middle of a block, and a block's first word. EPC is the faulting instruction, or the branch with
  // Cause.BD set in a delay slot; BadVAddr the address for address and TLB errors (R30xx manual, 3.3 and 6.4).
  const UNMAPPED = 0x00800000, CLEAN = 0x00500000, BUS = 0xbe000000;
  const kinds: [string, number, number, number | undefined][] = [
    ['lw AdEL', A.lw(R.t0, 2, R.gp), 4, DATA + 2], ['sh AdES', A.sh(R.t0, 1, R.gp), 5, DATA + 1],
    ['lw refill', A.lw(R.t0, 0x10, R.t8), 2, UNMAPPED + 0x10], ['sw refill', A.sw(R.t0, 0x20, R.t8), 3, UNMAPPED + 0x20],
    ['lwl refill', A.lwl(R.t0, 0x31, R.t8), 2, UNMAPPED + 0x31], ['swr Mod', A.swr(R.t0, 0x42, R.t7), 1, CLEAN + 0x42],
    ['sw Mod', A.sw(R.t0, 0x40, R.t7), 1, CLEAN + 0x40], ['lw DBE', A.lw(R.t0, 0, R.t6), 7, undefined],
    ['add Ov', A.add(R.t0, R.s6, R.s6), 12, undefined], ['addi Ov', A.addi(R.t0, R.s6, 1), 12, undefined],
    ['sub Ov', A.sub(R.t0, R.s7, R.s4), 12, undefined], ['break', A.break(3), 9, undefined], ['syscall', A.syscall(), 8, undefined],
  ];
  const TURNS = 8;
  it('every exception kind in a delay slot (of a block\'s last branch and of a side branch), at a page\'s last word, mid-block and first in a block: EPC, BD, ExcCode and BadVAddr exact', () => {
    const p = new Placed().org(0x80009000).label('start').put(
      li(R.gp, DATA), li(R.t8, UNMAPPED), tlbEntry(3, CLEAN, 0x31000 | V | G), li(R.t7, CLEAN), li(R.t6, BUS),
      li(R.s6, 0x7fffffff), li(R.s7, 0x80000000), A.addiu(R.s4, R.zero, 1), jmp('k0'), A.nop());
    const want: { epc: number; bd: boolean; code: number; bad: number | undefined; name: string }[] = [];
    const expectTurns = (name: string, epc: number, bd: boolean, code: number, bad: number | undefined, turns = TURNS): void => {
      for (let i = 0; i < turns; i++) want.push({ name, epc, bd, code, bad });
    };
    const faults: { name: string; va: number }[] = [];
    kinds.forEach(([name, w, code, bad], k) => {
      const page = CODE + 0x1000 * k;
      p.org(page);
      if (k > 0) p.put(br((o) => A.bgtz(R.s0, o), `L${k - 1}e`), A.nop());
      p.label(`k${k}`);
      const loop = (pos: string): string => { const l = `L${k}${pos}`; p.put(A.addiu(R.s0, R.zero, TURNS)).label(l); return l; };
      // 1: the delay slot of the branch that ends the block; the handler resumes after it, at a jump back.
      let l = loop('a');
      p.put(A.addiu(R.s0, R.s0, -1), br((o) => A.blez(R.s0, o), `L${k}a-out`), A.nop());
      expectTurns(`${name} in a last delay slot`, p.here(), true, code, bad, TURNS - 1); // the last turn leaves by the blez
      p.put(br((o) => A.beq(R.zero, R.zero, o), l), w, jmp(l), A.nop()).label(`L${k}a-out`);
      faults.push({ name, va: p.here() - 12 });
      // 2: the delay slot of a side branch (taken every other turn).
      l = loop('b');
      p.put(A.addiu(R.s0, R.s0, -1), A.andi(R.t1, R.s0, 1));
      expectTurns(`${name} in a side delay slot`, p.here(), true, code, bad);
      p.put(br((o) => A.beq(R.t1, R.zero, o), `L${k}b-skip`), w, A.addiu(R.v1, R.v1, 1)).label(`L${k}b-skip`).put(A.addiu(R.v0, R.v0, 1), br((o) => A.bgtz(R.s0, o), l), A.nop());
      faults.push({ name, va: p.here() - 20 });
      // 4: mid-block.
      l = loop('d');
      p.put(A.addiu(R.s0, R.s0, -1));
      expectTurns(`${name} mid-block`, p.here(), false, code, bad);
      faults.push({ name, va: p.here() });
      p.put(w, A.addiu(R.v0, R.v0, 1), br((o) => A.bgtz(R.s0, o), l), A.nop());
      // 5: first in a block (the loop's target).
      l = loop('f');
      expectTurns(`${name} first in a block`, p.here(), false, code, bad);
      faults.push({ name, va: p.here() });
      p.put(w, A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), l), A.nop());
      // 3: the page's last word; the loop closes on the next page.
      p.put(A.addiu(R.s0, R.zero, TURNS), jmp(`L${k}e`), A.nop());
      p.org(page + 0xff4).label(`L${k}e`).put(A.addiu(R.s0, R.s0, -1), A.addiu(R.v0, R.v0, 1));
      expectTurns(`${name} last on its page`, p.here(), false, code, bad);
      faults.push({ name, va: p.here() });
      p.put(w);
    });
    p.org(CODE + 0x1000 * kinds.length).put(br((o) => A.bgtz(R.s0, o), `L${kinds.length - 1}e`), A.nop()).label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());
    const ls = lockstep(p.image('start'), 120_000);
    expect([p.at('spin'), p.at('spin') + 4], 'reached the end').toContain(ls.fast.cpu.pc >>> 0);
    const log = logged(ls.fast);
    expect(log).toHaveLength(want.length);
    log.forEach((e, i) => {
      const w = want[i];
      expect([e.epc, inSlot(e.cause), excCode(e.cause)], `${w.name}, turn ${i % TURNS}`).toEqual([w.epc, w.bd, w.code]);
      if (w.bad !== undefined) expect(e.badVAddr, `${w.name} BadVAddr`).toBe(w.bad);
    });
    for (const f of faults) expect(compiledAt(ls.fast, f.va), `${f.name} at 0x${f.va.toString(16)} ran in a compiled block`).toBe(true);
  });

  it('a branch at a page\'s last word with its delay slot on the next page (no block holds both): a fault in that slot has EPC the branch and BD set', () => {
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA), A.addiu(R.s0, R.zero, 20));
    // The handler resumes after the slot (EPC + 8), where the loop closes again.
    p.org(CODE + 0xff0).label('loop').put(A.addiu(R.s0, R.s0, -1), A.addiu(R.v0, R.v0, 1), A.nop(), br((o) => A.bgtz(R.s0, o), 'loop'));
    p.label('slot').put(A.lw(R.t0, 1, R.gp), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop()).label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());
    const ls = lockstep(p.image('start'), 4000);
    const log = logged(ls.fast);
    expect(log).toHaveLength(20);
    for (const e of log) expect([e.epc, inSlot(e.cause), excCode(e.cause), e.badVAddr]).toEqual([p.at('slot') - 4, true, 4, DATA + 1]);
    expect(compiledAt(ls.fast, p.at('loop'))).toBe(true);
  });

  it('loads and stores after the first to a page in one block (the block remembers the page): one into the next page (another frame), one into a page with no TLB entry, and misaligned ones on the remembered page fault exactly', () => {
    // Two adjacent user pages on frames far apart; the page after them unmapped.
    const PAGE = 0x00600000, A_FRAME = 0x31000, B_FRAME = 0x35000, TURNS = 30;
    const p = new Placed().org(CODE).label('start').put(
      tlbEntry(1, PAGE, A_FRAME | V | D | G), tlbEntry(2, PAGE + 0x1000, B_FRAME | V | D | G), li(R.a0, PAGE), A.addiu(R.s0, R.zero, TURNS));
    const faults: [string, number, number, number][] = [];
    const fault = (name: string, w: number, code: number, bad: number): void => { faults.push([name, p.here(), code, bad]); p.put(w); };
    p.label('loop').put(A.lw(R.t0, 0xff8, R.a0), A.lw(R.t1, 0xffc, R.a0));
    p.label('cross').put(A.lw(R.t2, 0x1000, R.a0), A.sw(R.t0, 0x1004, R.a0), A.sw(R.t1, 0xff0, R.a0));
    fault('lw AdEL', A.lw(R.t3, 0xffa, R.a0), 4, PAGE + 0xffa);
    p.put(A.addu(R.v0, R.v0, R.t2));
    fault('lh AdEL', A.lh(R.t4, 0xff9, R.a0), 4, PAGE + 0xff9);
    fault('sh AdES', A.sh(R.t1, 0xff3, R.a0), 5, PAGE + 0xff3);
    fault('lw refill', A.lw(R.t5, 0x2000, R.a0), 2, PAGE + 0x2000);
    p.put(A.sb(R.t0, 0x1fff, R.a0));
    p.put(A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop()).label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());
    p.org(0x80000000 | (A_FRAME + 0xff8)).put(11, 22).org(0x80000000 | B_FRAME).put(33);
    const ls = lockstep(p.image('start'), 40_000);
    expect([p.at('spin'), p.at('spin') + 4], 'reached the end').toContain(ls.fast.cpu.pc >>> 0);
    expect(ls.fast.cpu.regs[R.v0], 'the load into the next page read its own frame').toBe(TURNS * 33);
    expect(ls.fast.bus.ram32[(B_FRAME + 4) >>> 2], 'the store into the next page wrote its own frame').toBe(11);
    const log = logged(ls.fast);
    expect(log).toHaveLength(TURNS * faults.length);
    log.forEach((e, i) => {
      const [name, epc, code, bad] = faults[i % faults.length];
      expect([e.epc, inSlot(e.cause), excCode(e.cause), e.badVAddr], `${name}, turn ${Math.floor(i / faults.length)}`).toEqual([epc, false, code, bad]);
    });
    for (const l of ['loop', 'cross']) expect(compiledAt(ls.fast, p.at(l)), l).toBe(true);
  });

  it('a superblock past its limits (60 forward branches, loads in some delay slots, inner jumps) runs as the interpreter does, sliced at every budget', () => {
    // Each section: a data-dependent forward branch over two words, with an ALU op, a load or a store in its slot.
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA), li(R.s0, 100_000));
    p.label('loop').put(A.addiu(R.s0, R.s0, -1), A.sw(R.s0, 0, R.gp));
    for (let i = 0; i < 60; i++) {
      const slot = [A.addiu(R.t1, R.t1, i), A.lw(R.t2, 0, R.gp), A.sw(R.t1, 4 * (i & 7), R.gp)][i % 3];
      p.put(A.andi(R.t0, R.s0, 1 << (i % 5)), br((o) => A.beq(R.t0, R.zero, o), `s${i}`), slot, A.addu(R.t3, R.t3, R.t2), A.xor(R.t4, R.t4, R.t1)).label(`s${i}`);
    }
    p.put(br((o) => A.bgtz(R.s0, o), 'loop'), A.addu(R.t5, R.t5, R.t3));
    const { fast, ref } = twins(p.image('start'));
    for (let i = 0, step = 3; i < 800; i++, step = 1 + ((step * 13 + i) % 97)) {
      expect(fast.run(step)).toBe(ref.run(step));
      expect(cpuDiff(fast.cpu, ref.cpu), `slice ${i}`).toBeUndefined();
    }
    expectSame(fast, ref);
    const blocks = fast.cpu.translator!.blocks().filter((b) => b.compiled);
    expect(Math.max(...blocks.map((b) => b.sides.length)), 'a superblock cut at its limit').toBeGreaterThanOrEqual(35);
  });

  it('a load (or mfc0) at a block\'s end lands after the next block\'s first instruction: read there it is old, written there it is discarded, lwl there merges it, a fault there lands it', () => {
    // R30xx manual, 2.3: the instruction after a load still sees the old register; lwl/lwr after a load of the same
    // register merge with the loaded value (the chip forwards it). The interpreter also drops the load when that
    // instruction writes the register itself (its write-back comes later). t0 is 7 before each load, DATA holds 0x1234.
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA), A.addiu(R.t1, R.zero, 0x1234), A.sw(R.t1, 0, R.gp), A.addiu(R.t9, R.zero, 7), A.addiu(R.s0, R.zero, 10));
    p.label('loop').put(A.addiu(R.t0, R.zero, 7), jmp('a1'), A.lw(R.t0, 0, R.gp));
    p.label('a1').put(A.addu(R.s1, R.s1, R.t0), A.addu(R.s2, R.s2, R.t0), A.addiu(R.t0, R.zero, 7), jmp('a2'), A.lw(R.t0, 0, R.gp));
    p.label('a2').put(A.addiu(R.t0, R.zero, 5), A.addu(R.s3, R.s3, R.t0), A.addiu(R.t0, R.zero, 7), jmp('a3'), A.lw(R.t0, 0, R.gp));
    p.label('a3').put(A.lwl(R.t0, 1, R.gp), A.nop(), A.addu(R.s4, R.s4, R.t0), A.addiu(R.t0, R.zero, 7),
      A.lw(R.t0, 0, R.gp), A.lwl(R.t0, 1, R.gp), A.nop(), A.addu(R.t3, R.t3, R.t0), A.addiu(R.t0, R.zero, 7), jmp('a4'), A.mfc0(R.t0, 12)); // the same inside a block
    p.label('a4').put(A.addu(R.s5, R.s5, R.t0), A.addu(R.s6, R.s6, R.t0), A.addiu(R.t0, R.zero, 7), jmp('a5'), A.lw(R.t0, 0, R.gp));
    p.label('a5').put(A.lw(R.t1, 2, R.gp), A.addu(R.s7, R.s7, R.t0), A.addiu(R.t0, R.zero, 7), jmp('a6'), A.lw(R.t0, 0, R.gp));
    p.label('a6').put(br((o) => A.bne(R.t0, R.t9, o), 'a7'), A.nop(), A.addiu(R.v0, R.v0, 1));
    p.label('a7').put(A.addiu(R.t0, R.zero, 7), jmp('a8'), A.nop());
    // The page's last word loads; the next page's first reads the old value, its second the new.
    p.org(CODE + 0xffc).label('a8').put(A.lw(R.t0, 0, R.gp), A.addu(R.v1, R.v1, R.t0), A.addu(R.t2, R.t2, R.t0));
    p.put(A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop()).label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());
    const ls = lockstep(p.image('start'), 6000);
    const r = ls.fast.cpu.regs, n = 10, status = ls.fast.cpu.status;
    expect([R.s1, R.s2, R.s3, R.s4, R.t3, R.s5, R.s6, R.s7, R.v0, R.v1, R.t2].map((x) => r[x] >>> 0)).toEqual(
      [7 * n, 0x1234 * n, 5 * n, (0x12341234 * n) >>> 0, (0x12341234 * n) >>> 0, 7 * n, (status * n) >>> 0, 0x1234 * n, n, 7 * n, 0x1234 * n]);
    expect(logged(ls.fast).map((e) => e.epc)).toEqual(new Array<number>(n).fill(p.at('a5')));
    for (const l of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) expect(compiledAt(ls.fast, p.at(l)), l).toBe(true);
  });

  it('branches in branch delay slots (undefined on MIPS I) run as the interpreter runs them', () => {
    // The interpreter: the branch in the slot runs with the first branch's target as its "next"; that target then
    // runs as the second branch's delay slot, and the second branch's target follows.
    const p = new Placed().org(CODE).label('start').put(A.addiu(R.s0, R.zero, 12));
    p.label('loop').put(A.addiu(R.s0, R.s0, -1), br((o) => A.beq(R.zero, R.zero, o), 'x'), jmp('y'), A.addiu(R.s7, R.s7, 1));
    p.label('x').put(A.addiu(R.s1, R.s1, 1), A.addiu(R.s2, R.s2, 1));
    p.label('y').put(A.addiu(R.s3, R.s3, 1), br((o) => A.bne(R.zero, R.zero, o), 'loop'), jmp('y2'), A.addiu(R.s4, R.s4, 1), A.addiu(R.s5, R.s5, 1));
    p.label('y2').put(la(R.t9, 'w'), A.jr(R.t9), jmp('v', undefined, true), A.addiu(R.s5, R.s5, 1));
    p.label('w').put(A.addiu(R.s6, R.s6, 1), A.addiu(R.s5, R.s5, 1));
    p.label('v').put(br((o) => A.bgtz(R.s0, o), 'loop'), A.nop()).label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());
    const ls = lockstep(p.image('start'), 3000);
    const r = ls.fast.cpu.regs;
    expect([R.s1, R.s2, R.s3, R.s4, R.s5, R.s6, R.s7].map((x) => r[x])).toEqual([12, 0, 12, 12, 0, 12, 0]);
    expect(r[R.ra] >>> 0).toBe(p.at('y2') + 20); // the jal's address + 8
  });

  it('HI/LO hazards (mfhi/mflo followed within two instructions by mult, div, mthi, mtlo; undefined on the R3000), in and across blocks, stopped at every cycle limit', () => {
    // R30xx manual, 2.5: the two instructions after mfhi/mflo must not write HI/LO; the interpreter is the reference.
    const p = new Placed().org(CODE).label('start').put(A.addiu(R.s0, R.zero, 25), A.addiu(R.s1, R.zero, 1000));
    p.label('loop').put(A.mult(R.s0, R.s1), A.mfhi(R.t0), A.mult(R.t0, R.s0), A.mflo(R.t1), A.mtlo(R.s0), A.mfhi(R.t2),
      A.div(R.s1, R.s0), A.mthi(R.s1), A.mfhi(R.t3), A.mflo(R.t4), jmp('l2'), A.mfhi(R.t5));
    p.label('l2').put(A.multu(R.t5, R.s0), A.mflo(R.t6), A.divu(R.t6, R.s0), A.addu(R.v0, R.v0, R.t1), A.addu(R.v0, R.v0, R.t3),
      A.addu(R.v1, R.v1, R.t4), A.addu(R.v1, R.v1, R.t6), A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), 'loop'), A.mflo(R.t7));
    p.label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());
    const { fast, ref } = twins(p.image('start'));
    for (let limit = 0; limit < 3000; limit += 1) { fast.cpu.run(limit); ref.cpu.run(limit); expect(cpuDiff(fast.cpu, ref.cpu), `limit ${limit}`).toBeUndefined(); }
    expect(fast.cpu.translator!.stats.compiled).toBeGreaterThan(0);
    expect(compiledAt(fast, p.at('loop')) && compiledAt(fast, p.at('l2'))).toBe(true);
    expect(fast.cpu.regs[R.s0]).toBe(0);
  });
});

describe('timing and the debugger', () => {
  /** A superblock loop: a side exit with a load in its slot, an inner jump over a mult in a slot, HI/LO, a store. */
  const superblock = (p: Placed, turns: number): Placed => {
    p.put(li(R.s0, turns)).label('sb').put(A.addiu(R.s0, R.s0, -1), A.andi(R.t0, R.s0, 3));
    p.label('side').put(br((o) => A.beq(R.t0, R.zero, o), 'sbj'), A.lw(R.t1, 0, R.gp), A.addu(R.t2, R.t2, R.t1));
    p.label('store').put(A.sw(R.s0, 0, R.gp));
    p.label('sbj').put(A.andi(R.t0, R.s0, 5), br((o) => A.bne(R.t0, R.zero, o), 'sbk'), A.mult(R.s0, R.s0), A.mflo(R.t3));
    return p.label('sbk').put(A.addu(R.t4, R.t4, R.t3), br((o) => A.bgtz(R.s0, o), 'sb'), A.addiu(R.t5, R.t5, 1));
  };

  for (const hz of [2_500_000, 2_500_007]) {
    it(`the clock's interrupts land on the same cycle while a self-loop (a JS loop) and a superblock run (${hz} Hz CPU, so a tick is ${(hz / 8192).toFixed(1)} cycles)`, () => {
      // The MC146818's periodic interrupt at 8192 Hz on IP3 (kn02.ts); the handler reads register C to acknowledge it.
      const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA), li(R.t0, 0xbfe80000), A.addiu(R.t1, R.zero, 0x23), A.sw(R.t1, 40, R.t0),
        A.addiu(R.t1, R.zero, 0x42), A.sw(R.t1, 44, R.t0), A.lw(R.t1, 48, R.t0), li(R.t1, 0x10000801), A.mtc0(R.t1, 12), li(R.s7, 4000));
      p.label('again').put(A.addiu(R.v0, R.zero, 0)).label('self').put(A.addiu(R.v0, R.v0, 1), br((o) => A.bne(R.v0, R.s7, o), 'self'), A.addiu(R.v1, R.v1, 1));
      superblock(p, 900).put(jmp('again'), A.nop());
      const ls = lockstep(p.image('start'), 40_000, hz);
      const log = logged(ls.fast);
      expect(log.length).toBeGreaterThan(100);
      for (const e of log) expect(excCode(e.cause)).toBe(0);
      // Taken inside both loops, delay slots included.
      const epcs = new Set(log.map((e) => e.epc));
      for (const l of ['self', 'sb', 'sbj', 'sbk']) expect(epcs, l).toContain(p.at(l));
      expect(log.some((e) => inSlot(e.cause))).toBe(true);
      expect(compiledAt(ls.fast, p.at('self')) && compiledAt(ls.fast, p.at('sb'))).toBe(true);
    });
  }

  it('a run budget ending anywhere inside a superblock stops where the interpreter stops', () => {
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA));
    superblock(p, 100_000);
    const { fast, ref } = twins(p.image('start'));
    let blocks = 0;
    fast.cpu.translator!.afterBlock = () => { blocks++; };
    for (let i = 0, step = 1; i < 1500; i++, step = 1 + ((step * 7 + i) % 37)) {
      expect(fast.run(step)).toBe(ref.run(step));
      expect(cpuDiff(fast.cpu, ref.cpu), `slice ${i}`).toBeUndefined();
    }
    expect(blocks).toBeGreaterThan(300);
    expectSame(fast, ref);
  });

  it('breakpoints set while the superblock is hot (a side branch\'s delay slot, an inner jump\'s target, the loop head) stop where the interpreter stops, resume, and once removed the block runs compiled again', () => {
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA));
    superblock(p, 100_000);
    const { fast, ref } = twins(p.image('start'));
    for (const m of [fast, ref]) m.run(2000);
    expect(compiledAt(fast, p.at('sb'))).toBe(true);
    for (const at of [p.at('side') + 4, p.at('sbk'), p.at('sb')]) {
      for (const m of [fast, ref]) m.cpu.setBreakpoint(at, true);
      for (let hit = 0; hit < 3; hit++) {
        const stops = [fast, ref].map((m) => { const why = m.run(5000); return { why, pc: m.cpu.pc >>> 0 }; });
        expect(stops[0]).toEqual(stops[1]);
        expect(stops[0]).toEqual({ why: 'breakpoint', pc: at });
        expect(cpuDiff(fast.cpu, ref.cpu)).toBeUndefined();
        for (const m of [fast, ref]) m.cpu.skipBreakpoint = m.cpu.pc;
      }
      for (const m of [fast, ref]) m.cpu.setBreakpoint(at, false);
      let blocks = 0;
      fast.cpu.translator!.afterBlock = () => { blocks++; };
      for (const m of [fast, ref]) expect(m.run(1000)).toBe('budget');
      fast.cpu.translator!.afterBlock = undefined;
      expect(blocks, 'compiled blocks ran').toBeGreaterThan(10);
      expectSame(fast, ref);
    }
  });

  it('a read watchpoint on the word the load in a side branch\'s delay slot reads, or on its last byte alone, stops where the interpreter stops', () => {
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA));
    superblock(p, 100_000);
    const image = p.image('start');
    for (const [addr, len] of [[DATA, 4], [DATA + 3, 1]] as const) {
      const { fast, ref } = twins(image);
      for (const m of [fast, ref]) { m.run(2000); m.cpu.setWatchpoint(addr, len, true, false, true); }
      for (let hit = 0; hit < 3; hit++) {
        const stops = [fast, ref].map((m) => { const why = m.run(5000); return { why, pc: m.cpu.pc >>> 0, inDelay: m.cpu.inDelay, hit: m.cpu.watchHit }; });
        expect(stops[0]).toEqual(stops[1]);
        expect(stops[0]).toEqual({ why: 'watchpoint', pc: p.at('side') + 4, inDelay: true, hit: { addr: DATA, size: 4, write: false } });
        expect(cpuDiff(fast.cpu, ref.cpu)).toBeUndefined();
        for (const m of [fast, ref]) m.cpu.skipWatch = m.cpu.pc;
      }
    }
  });
});

describe('a host kernel called from inside blocks', () => {
  it('an exception hook (a kernel done in TypeScript) that charges cycles, stops the run and sets a breakpoint from a syscall inside a hot block: stops land on the same cycle', () => {
    // syscall in a side branch's delay slot and mid-superblock; the hook returns past it (past the branch in a slot).
    const p = new Placed().org(CODE).label('start').put(li(R.s0, 1_000_000));
    p.label('loop').put(A.addiu(R.s0, R.s0, -1), A.andi(R.t0, R.s0, 3), br((o) => A.bne(R.t0, R.zero, o), 'n'), A.syscall(), A.addiu(R.v1, R.v1, 1));
    p.label('n').put(A.addiu(R.v0, R.v0, 1), A.andi(R.t1, R.s0, 7), br((o) => A.bne(R.t1, R.zero, o), 'm'), A.nop(), A.syscall());
    p.label('m').put(A.addiu(R.t2, R.t2, 1), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop());
    const image = p.image('start');
    const { fast, ref } = twins(image);
    const stops: { why: string; cycles: number; pc: number }[][] = [[], []];
    [fast, ref].forEach((m, k) => {
      let n = 0;
      m.cpu.exceptionHook = (cpu) => {
        n++;
        cpu.cycles += 37; // the kernel's own work
        cpu.status = (cpu.status & ~0xf) | ((cpu.status >>> 2) & 0xf); // rfe
        cpu.flushTranslations(); cpu.updateInterrupts();
        cpu.jump((cpu.epc + ((cpu.cause >>> 31) !== 0 ? 8 : 4)) | 0);
        if (n % 5 === 0) cpu.requestStop('stop');
        if (n === 40) cpu.setBreakpoint(p.at('m'), true);
      };
      for (let i = 0; i < 30; i++) {
        const why = m.run(20_000);
        stops[k].push({ why, cycles: m.cpu.cycles, pc: m.cpu.pc >>> 0 });
        if (why === 'breakpoint') m.cpu.skipBreakpoint = m.cpu.pc;
      }
    });
    expect(stops[0]).toEqual(stops[1]);
    expectSame(fast, ref);
    const whys = new Set(stops[0].map((x) => x.why));
    expect(whys).toContain('stop');
    expect(whys).toContain('breakpoint');
    expect(compiledAt(fast, p.at('loop'))).toBe(true);
  });
});

describe('checkpoints', () => {
  for (const withRam of [true, false]) {
    it(`restoring a checkpoint (${withRam ? 'with RAM' : 'RAM kept by the caller'}) rewinds self-modifying code: blocks compiled from the later code are dropped, and the run repeats exactly`, () => {
      // The loop rewrites its own addiu's immediate (sh) every 64th turn, so the code at the checkpoint differs from the code after it.
      const p = new Placed().org(CODE).label('start').put(la(R.t2, 'start'), li(R.s0, 1_000_000));
      p.label('loop').put(A.addiu(R.s0, R.s0, -1), A.andi(R.t8, R.s0, 63), br((o) => A.bne(R.t8, R.zero, o), 'P'), A.srl(R.t3, R.s0, 6),
        (pc, at) => A.sh(R.t3, at('P') - CODE, R.t2));
      p.label('P').put(A.addiu(R.v0, R.v0, 1), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop());
      const { fast, ref } = twins(p.image('start'));
      for (const m of [fast, ref]) m.run(3001);
      const saved = [fast.save(), ref.save()];
      const ram = [fast.bus.ram8.slice(), ref.bus.ram8.slice()];
      for (const m of [fast, ref]) m.run(5003);
      const later = fast.cpu.save();
      expect(fast.cpu.translator!.stats.compiled).toBeGreaterThan(4);
      [fast, ref].forEach((m, k) => {
        if (!withRam) m.bus.ram8.set(ram[k]); // the caller puts its own copy back
        m.restore(withRam ? saved[k] : { ...saved[k], ram: undefined });
        m.run(5003);
      });
      expect(fast.cpu.save()).toEqual(later);
      expectSame(fast, ref);
    });
  }
});

describe('the lockstep comparison itself', () => {
  it('does not change how the translating machine runs: its blocks keep their stores inline (a comparison that dropped the store translations sent every block\'s first store to the interpreter)', () => {
    // Two blocks jumping to each other, each with stores to the data page: no block needs the interpreter once warm.
    // (b is two pages on, and a reaches it through a register: a j to b on a's page, or on the page beside it in
    // kseg0, would make the two one block, which loops on itself.)
    const p = new Placed().org(CODE).label('start').put(li(R.gp, DATA), la(R.t9, 'b'));
    p.label('a').put(A.addiu(R.v0, R.v0, 1), A.sw(R.v0, 0, R.gp), A.sh(R.v0, 6, R.gp), A.jr(R.t9), A.nop());
    p.org(CODE + 0x2000).label('b').put(A.sw(R.v0, 8, R.gp), A.swl(R.v0, 13, R.gp), A.sb(R.v0, 16, R.gp), jmp('a'), A.nop());
    const image = p.image('start');
    const calls = (m: Machine): { n: number } => {
      const count = { n: 0 }, interpret = m.cpu.interpret.bind(m.cpu);
      (m.cpu as { interpret: () => void }).interpret = () => { count.n++; interpret(); };
      return count;
    };
    const alone = twins(image).fast, aloneCalls = calls(alone);
    alone.run(20_000);
    const { fast, ref } = twins(image), pairCalls = calls(fast);
    const r = new Lockstep(fast, ref).run(20_000);
    expect(r.mismatch).toBeUndefined();
    // Alone it interprets the cold turns and the last few cycles; in the pair no more (fewer: the blocks' factories exist, so they compile at once).
    expect(aloneCalls.n).toBeLessThan(20);
    expect(pairCalls.n).toBeLessThanOrEqual(aloneCalls.n);
    expect(r.blocks).toBeGreaterThan(20_000 / 6);
    expectSame(fast, ref);
    expectSame(fast, alone);
  });
});
