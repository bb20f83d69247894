// The block translator against the interpreter on cases written to break
// it, first the code and its mappings changing under blocks: stores into
// the code being run (later words of the running superblock, its delay
// slot, partial stores, every pair of virtual aliases of the frame, the
// next page, itself), TLB writes and ASID changes that remap the running
// page or the next one, interrupts enabled while pending, and cache
// isolation. Each compares the whole CPU state and RAM with the
// interpreter's after every block (lockstep.ts) and, where the behaviour
// is architectural, checks it against the R30xx manual. The other half:
// translate-adversarial-edges.test.ts.
//
// The emulator models no caches: a store is seen by the next fetch of that
// word in both engines (on the chip software must flush the I-cache after
// writing code, R30xx manual ch. 5), which is what these tests pin.

import { describe, expect, it } from 'vitest';
import type { ProgramImage } from '../../src/emu/index.js';
import { A, R } from './helpers/asm.js';
import { br, excCode, inSlot, jmp, la, li, logged, Placed, type Word } from './helpers/placed.js';
import { selfModifyingProgram } from './helpers/smcprog.js';
import { CODE, compiledAt, D, DATA, G, kseg1, kuseg, lockstep, tlbEntry, USER, V } from './helpers/twins.js';

describe('self-modifying code', () => {
  // Each loop rewrites its code every 8th turn only: in the turns between, the rewritten blocks are entered often
  // enough to be compiled again (a block rewritten every turn would never be, and only the interpreter would run).
  /** Words that skip what follows unless s0 % 8 == 0 (a side branch over it), to label `skip`. */
  const every8 = (skip: string): Word[] => [A.andi(R.t8, R.s0, 7), br((o) => A.bne(R.t8, R.zero, o), skip), A.nop()];
  const spinAt = (p: Placed): Placed => p.label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop());

  // The loop rewrites p1, a later instruction of its own superblock (+1 or +100), and, from the delay slot of the
  // branch that closes it, the branch's target p0; run and stored through every pair of aliases.
  const aliases = { kseg0: (a: number) => a, kseg1, kuseg } as const;
  const program = (run: keyof typeof aliases, store: keyof typeof aliases): ProgramImage => {
    const p = new Placed().org(CODE).label('start').put(
      tlbEntry(0, USER, (CODE & 0x1fffffff) | D | V | G),
      la(R.t2, 'start', aliases[store]),
      li(R.t0, A.addiu(R.v0, R.v0, 1)), li(R.t1, A.addiu(R.v0, R.v0, 100)), li(R.t5, A.addiu(R.v1, R.v1, 1)),
      A.addiu(R.s0, R.zero, 64), la(R.t9, 'loop', aliases[run]), A.jr(R.t9), A.nop(),
    );
    const which = [A.srl(R.t3, R.s0, 3), A.andi(R.t3, R.t3, 1)];
    p.org(CODE + 0x100).label('loop').label('p0').put(A.addiu(R.v1, R.v1, 1), every8('skip'), which,
      br((o) => A.beq(R.t3, R.zero, o), 'even'), A.or(R.t4, R.t0, R.zero), A.or(R.t4, R.t1, R.zero));
    p.label('even').put((pc, at) => A.sw(R.t4, at('p1') - CODE, R.t2));
    p.label('skip').put(A.addiu(R.s1, R.s1, 1)).label('p1').put(A.addiu(R.v0, R.v0, 1), A.addiu(R.s0, R.s0, -1),
      A.andi(R.t8, R.s0, 7), br((o) => A.bne(R.t8, R.zero, o), 'loop'), A.nop(),
      which, A.subu(R.t7, R.zero, R.t3), A.andi(R.t7, R.t7, 99), A.addu(R.t7, R.t7, R.t5),
      br((o) => A.bgtz(R.s0, o), 'loop'), (pc, at) => A.sw(R.t7, at('p0') - CODE, R.t2));
    return spinAt(p).image('start');
  };
  let v0 = 0, v1 = 0;
  for (let s0 = 64, p0 = 1, p1 = 1; s0 > 0;) {
    v1 += p0;
    if ((s0 & 7) === 0) p1 = (s0 >> 3) & 1 ? 100 : 1;
    v0 += p1; s0--;
    if ((s0 & 7) === 0) p0 = (s0 >> 3) & 1 ? 100 : 1;
  }

  for (const run of Object.keys(aliases) as (keyof typeof aliases)[]) {
    it(`a store rewriting a later instruction of the running superblock, and its own branch's target from a delay slot, takes effect at once: run through ${run}, stored through every alias`, () => {
      for (const store of Object.keys(aliases) as (keyof typeof aliases)[]) {
        const ls = lockstep(program(run, store), 6000);
        const cpu = ls.fast.cpu;
        expect([cpu.regs[R.v0], cpu.regs[R.v1], cpu.regs[R.s1]], `${run}/${store}`).toEqual([v0, v1, 64]);
        expect(cpu.translator!.stats.invalidated, `${run}/${store}`).toBeGreaterThan(10);
        expect(cpu.translator!.stats.compiled, `${run}/${store}`).toBeGreaterThan(4);
      }
    });
  }

  it('partial stores (sb, sh, swl, swr) into later instructions of the running block take effect at once', () => {
    // T1..T3 get their immediate (s0 / 8) from sb, sh and swl; swr rewrites T4's opcode half (addiu v0,v0 or addiu v1,v1).
    const p = new Placed().org(CODE).label('start').put(la(R.t2, 'start'), A.addiu(R.s0, R.zero, 64));
    p.label('loop').put(every8('T1'),
      A.srl(R.t3, R.s0, 3), (pc, at) => A.sb(R.t3, at('T1') - CODE, R.t2),
      (pc, at) => A.sh(R.t3, at('T2') - CODE, R.t2),
      A.sll(R.t5, R.t3, 16), (pc, at) => A.swl(R.t5, at('T3') - CODE + 1, R.t2),
      A.andi(R.t6, R.t3, 1), A.sll(R.t7, R.t6, 5), A.addu(R.t7, R.t7, R.t6), A.addiu(R.t7, R.t7, 0x2442),
      (pc, at) => A.swr(R.t7, at('T4') - CODE + 2, R.t2),
    );
    p.label('T1').put(A.addiu(R.s3, R.s3, 0)).label('T2').put(A.addiu(R.s4, R.s4, 0)).label('T3').put(A.addiu(R.s5, R.s5, 0))
      .label('T4').put(A.addiu(R.v0, R.v0, 1), A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop());
    const ls = lockstep(spinAt(p).image('start'), 6000);
    const r = ls.fast.cpu.regs;
    let sum = 0, in0 = 0, in1 = 0;
    for (let s0 = 64, k = 0, odd = 0; s0 > 0; s0--) {
      if ((s0 & 7) === 0) { k = s0 >> 3; odd = k & 1; }
      sum += k; if (odd) in1++; else in0++;
    }
    expect([r[R.s3], r[R.s4], r[R.s5], r[R.v0], r[R.v1]]).toEqual([sum, sum, sum, in0, in1]);
    expect(ls.fast.cpu.translator!.stats.compiled).toBeGreaterThan(4);
  });

  it('a store to the first word of the next page, then falling through into it (a chained successor), runs the new word', () => {
    const p = new Placed().org(CODE).label('start').put(
      la(R.t2, 'start'), li(R.t4, A.addiu(R.v0, R.v0, 1)), li(R.t6, A.addiu(R.v0, R.v0, 1) ^ A.addiu(R.v0, R.v0, 100)),
      A.addiu(R.s0, R.zero, 64), jmp('a'), A.nop());
    p.org(CODE + 0xfe0).label('a').put(every8('x'), (pc, at) => A.sw(R.t4, at('b') - CODE, R.t2), A.xor(R.t4, R.t4, R.t6));
    p.label('x').put(A.addiu(R.s1, R.s1, 1));
    p.org(CODE + 0x1000).label('b').put(A.addiu(R.v0, R.v0, 1), A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), 'a'), A.nop());
    const ls = lockstep(spinAt(p).image('start'), 6000);
    expect(ls.fast.cpu.regs[R.v0]).toBe(32 * 1 + 32 * 100);
    expect(ls.fast.cpu.translator!.stats.invalidated).toBeGreaterThan(5);
    expect(ls.fast.cpu.translator!.stats.compiled).toBeGreaterThan(5);
  });

  it('a store rewriting the last word of its own block (the delay slot of the branch that closes it) takes effect at once', () => {
    const p = new Placed().org(CODE).label('start').put(
      la(R.t2, 'start'), li(R.t4, A.addiu(R.v0, R.v0, 100)), li(R.t6, A.addiu(R.v0, R.v0, 1) ^ A.addiu(R.v0, R.v0, 100)), A.addiu(R.s0, R.zero, 64));
    p.label('loop').put(A.addiu(R.s0, R.s0, -1), every8('k'), (pc, at) => A.sw(R.t4, at('D') - CODE, R.t2), A.xor(R.t4, R.t4, R.t6));
    p.label('k').put(br((o) => A.bgtz(R.s0, o), 'loop')).label('D').put(A.addiu(R.v0, R.v0, 1));
    const ls = lockstep(spinAt(p).image('start'), 6000);
    let v0 = 0;
    for (let s0 = 64, d = 1, t4 = 100; s0 > 0;) { s0--; if ((s0 & 7) === 0) { d = t4; t4 = 101 - t4; } v0 += d; }
    expect(ls.fast.cpu.regs[R.v0]).toBe(v0);
    expect(ls.fast.cpu.translator!.stats.compiled).toBeGreaterThan(4);
  });

  it('one loop run through kseg0 and kseg1 in turn (one frame, two virtual addresses), rewritten through the other alias every 8th turn', () => {
    const p = new Placed().org(CODE).label('start').put(
      li(R.t0, A.addiu(R.v0, R.v0, 1)), li(R.t1, A.addiu(R.v0, R.v0, 100)), li(R.t6, A.addiu(R.v0, R.v0, 1) ^ A.addiu(R.v0, R.v0, 100)),
      li(R.t4, A.addiu(R.v0, R.v0, 100)), A.addiu(R.s0, R.zero, 64));
    p.label('go').put(A.andi(R.t3, R.s0, 1), la(R.t9, 'loop'), la(R.t2, 'start', kseg1), br((o) => A.beq(R.t3, R.zero, o), 'enter'), A.nop(),
      la(R.t9, 'loop', kseg1), la(R.t2, 'start'));
    p.label('enter').put(A.jr(R.t9), A.nop());
    p.label('loop').put(A.addiu(R.s0, R.s0, -1), every8('P'), (pc, at) => A.sw(R.t4, at('P') - CODE, R.t2), A.xor(R.t4, R.t4, R.t6));
    p.label('P').put(A.addiu(R.v0, R.v0, 1), br((o) => A.bgtz(R.s0, o), 'go'), A.nop());
    const ls = lockstep(spinAt(p).image('start'), 8000);
    let v0 = 0;
    for (let s0 = 64, d = 1, t4 = 100; s0 > 0;) { s0--; if ((s0 & 7) === 0) { d = t4; t4 = 101 - t4; } v0 += d; }
    expect(ls.fast.cpu.regs[R.v0]).toBe(v0);
    expect(compiledAt(ls.fast, p.at('go'))).toBe(true);
  });

  it('a store that rewrites itself: the turns after run what it wrote', () => {
    // X is `sw t4, 0(t3)` with t3 = X: it writes `addiu v1, v1, 1` over itself, which then runs every turn until
    // the loop puts the store back (every 8th turn).
    const p = new Placed().org(CODE).label('start').put(la(R.t3, 'X'), li(R.t4, A.addiu(R.v1, R.v1, 1)), li(R.t5, A.sw(R.t4, 0, R.t3)), A.addiu(R.s0, R.zero, 64));
    p.label('loop').put(A.addiu(R.v0, R.v0, 1)).label('X').put(A.sw(R.t4, 0, R.t3), A.addiu(R.s0, R.s0, -1), every8('keep'), A.sw(R.t5, 0, R.t3));
    p.label('keep').put(br((o) => A.bgtz(R.s0, o), 'loop'), A.nop());
    const ls = lockstep(spinAt(p).image('start'), 6000);
    expect([ls.fast.cpu.regs[R.v0], ls.fast.cpu.regs[R.v1]]).toEqual([64, 64 - 8]);
    expect(ls.fast.cpu.translator!.stats.compiled).toBeGreaterThan(5);
  });
  it('random self-modifying programs (stores through three aliases into words of the running loops) run the same, block by block', () => {
    // Three seeds here; EXOSCOPE_LOCKSTEP=big runs two hundred.
    const seeds = process.env.EXOSCOPE_LOCKSTEP === 'big' ? 200 : 3;
    let compiled = 0, invalidated = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const ls = lockstep(selfModifyingProgram(seed), 25_000);
      compiled += ls.fast.cpu.translator!.stats.compiled;
      invalidated += ls.fast.cpu.translator!.stats.invalidated;
      expect(logged(ls.fast).length, `seed ${seed} survived its exceptions`).toBeLessThan(1000);
    }
    expect(compiled).toBeGreaterThan(5 * seeds);
    expect(invalidated).toBeGreaterThan(25 * seeds);
  });
});

describe('TLB and CP0 writes inside blocks', () => {
  /** Virtual page V (kuseg, run in kernel mode) and the frames behind it. */
  const VP = 0x00400000, P1 = 0x20000, P2 = 0x21000, P3 = 0x22000, P4 = 0x23000;
  const k0seg = (pa: number): number => (pa | 0x80000000) >>> 0;
  /** A spin loop at CODE + 0xf00 to end in; placing goes on where it was. */
  const spin = (p: Placed): Placed => { const at = p.here(); return p.org(CODE + 0xf00).label('spin').put(br((o) => A.beq(R.zero, R.zero, o), 'spin'), A.nop()).org(at); };
  /** From mapped code to the spin loop (a j would stay in kuseg's 256 MiB). */
  const toSpin = [...la(R.t9, 'spin'), A.jr(R.t9), A.nop()];

  it('tlbwi remapping the page the block runs from: the next instruction is fetched through the new mapping', () => {
    // Mapped kernel code at VP (TLB entry 1 -> P1, or P2 holding the same loop with other registers); every 8th turn it
    // points entry 1 at the other frame. The word after tlbwi runs from the new frame (its `land` counter).
    const page = (cnt: number, otherLo: number, land: number): Word[] => [
      A.addiu(cnt, cnt, 1), A.addiu(R.s0, R.s0, -1), A.blez(R.s0, 8), A.andi(R.t3, R.s0, 7), A.bne(R.t3, R.zero, -5), A.nop(),
      A.mtc0(otherLo, 2), A.tlbwi(), A.addiu(land, land, 1), A.j(VP), A.nop(), ...toSpin,
    ];
    const p = spin(new Placed().org(CODE).label('start').put(
      tlbEntry(1, VP, P1 | D | V | G), li(R.s2, P2 | V | G), li(R.s3, P1 | V | G), A.addiu(R.s0, R.zero, 64), li(R.t9, VP), A.jr(R.t9), A.nop()));
    p.org(k0seg(P1)).put(page(R.v0, R.s2, R.t4)).org(k0seg(P2)).put(page(R.v1, R.s3, R.t5));
    const ls = lockstep(p.image('start'), 3000);
    const r = ls.fast.cpu.regs;
    expect([r[R.v0], r[R.v1], r[R.t4], r[R.t5]]).toEqual([32, 32, 3, 4]);
    expect(compiledAt(ls.fast, VP + 28), 'the tlbwi ran in a compiled block').toBe(true);
  });

  it('tlbwi in kseg0 changing the mapping of the page a mapped block falls through into: the block after it comes from the new frame', () => {
    // VP + 0xff0 runs four words and falls through into VP + 0x1000 (entry 2), which the kseg0 loop maps to P3 or P4
    // every fourth turn (the turns between run the chain VP + 0xff0 -> VP + 0x1000 with the mapping unchanged).
    const p = spin(new Placed().org(CODE).label('start').put(
      tlbEntry(1, VP, P1 | V | G), tlbEntry(2, VP + 0x1000, P3 | V | G), li(R.s2, P3 | V | G), li(R.s3, P4 | V | G), A.addiu(R.s0, R.zero, 60)));
    p.label('kloop').put(br((o) => A.blez(R.s0, o), 'spin'), A.andi(R.t3, R.s0, 3), br((o) => A.bne(R.t3, R.zero, o), 'go'), A.andi(R.t3, R.s0, 4),
      br((o) => A.beq(R.t3, R.zero, o), 'use3'), A.or(R.t7, R.s2, R.zero), A.or(R.t7, R.s3, R.zero));
    p.label('use3').put(A.mtc0(R.t7, 2), A.tlbwi());
    p.label('go').put(li(R.t9, VP + 0xff0), A.jr(R.t9), A.nop());
    p.org(k0seg(P1 + 0xff0)).put(A.addiu(R.v0, R.v0, 1), A.addiu(R.t5, R.t5, 1), A.addiu(R.t6, R.t6, 1), A.addiu(R.s5, R.s5, 2));
    const back = (cnt: number): Word[] => [A.addiu(cnt, cnt, 1), A.addiu(R.s0, R.s0, -1), ...la(R.t9, 'kloop'), A.jr(R.t9), A.nop()];
    p.org(k0seg(P3)).put(back(R.s6)).org(k0seg(P4)).put(back(R.s7));
    const ls = lockstep(p.image('start'), 6000);
    let in3 = 0;
    for (let s0 = 60, to3 = true; s0 > 0; s0--) { if ((s0 & 3) === 0) to3 = (s0 & 4) === 0; if (to3) in3++; }
    expect([ls.fast.cpu.regs[R.s6], ls.fast.cpu.regs[R.s7], ls.fast.cpu.regs[R.v0]]).toEqual([in3, 60 - in3, 60]);
    expect(in3).toBeGreaterThan(20);
    for (const va of [VP + 0xff0, VP + 0x1000]) expect(compiledAt(ls.fast, va), va.toString(16)).toBe(true);
  });

  it('mtc0 EntryHi in mapped code: the next fetch uses the new ASID (another frame, or a TLB refill exception at that instruction)', () => {
    // VP maps to P1 for ASID 1 and to P2 for ASID 2 (not global); ASID 3 has no mapping. P1 switches to ASID 2: its next
    // word runs from P2. P2 switches to ASID 3: its next fetch misses; the refill vector goes back to ASID 1 and the
    // handler resumes after the missing word, in P1.
    const page = (cnt: number, nextHi: number, land: number): Word[] => [
      A.addiu(cnt, cnt, 1), A.addiu(R.s0, R.s0, -1), A.blez(R.s0, 5), A.nop(), A.mtc0(nextHi, 10), A.addiu(land, land, 1), A.j(VP), A.nop(), ...toSpin,
    ];
    const p = spin(new Placed().org(CODE).label('start').put(
      tlbEntry(1, VP | (1 << 6), P1 | V), tlbEntry(2, VP | (2 << 6), P2 | V),
      li(R.s2, VP | (2 << 6)), li(R.s3, VP | (3 << 6)), li(R.s4, VP | (1 << 6)), A.mtc0(R.s4, 10), A.addiu(R.s0, R.zero, 40), li(R.t9, VP), A.jr(R.t9), A.nop()));
    p.org(k0seg(P1)).put(page(R.v0, R.s2, R.t4)).org(k0seg(P2)).put(page(R.v1, R.s3, R.t5));
    const ls = lockstep(p.image('start', [A.mtc0(R.s4, 10)]), 8000);
    const r = ls.fast.cpu.regs;
    expect([r[R.v0], r[R.v1], r[R.t4], r[R.t5]]).toEqual([20, 20, 0, 20]);
    const log = logged(ls.fast);
    expect(log).toHaveLength(19);
    // A refill for the fetch (TLBL, R30xx manual 6.4): EPC and BadVAddr the word after mtc0, not in a delay slot.
    for (const e of log) expect([e.epc, excCode(e.cause), inSlot(e.cause), e.badVAddr]).toEqual([VP + 20, 2, false, VP + 20]);
    expect(compiledAt(ls.fast, VP + 16)).toBe(true);
  });

  it('an interrupt already pending is taken before the next instruction once mtc0 Status, mtc0 Cause or rfe enables it, with EPC that instruction', () => {
    // Software interrupt 0 (Cause.IP0) held pending while IEc is clear (R30xx manual, 3.2 and 3.4): enabling it by mtc0 Status,
    // by mtc0 Status in a jump's delay slot (taken at the target, not in a slot), by mtc0 Cause with it enabled, and by
    // an rfe in jr's delay slot that copies IEp to IEc.
    const p = spin(new Placed().org(CODE).label('start').put(li(R.t0, 0x100), li(R.t1, 0x10000101), li(R.t2, 0x10000104), A.addiu(R.s0, R.zero, 30)));
    p.label('loop').put(A.mtc0(R.zero, 12), A.mtc0(R.t0, 13), A.addiu(R.s1, R.s1, 1), A.mtc0(R.t1, 12));
    p.label('e1').put(A.addiu(R.s2, R.s2, 1), A.mtc0(R.zero, 12), A.mtc0(R.t0, 13), jmp('e2'), A.mtc0(R.t1, 12), A.addiu(R.s7, R.s7, 1));
    p.label('e2').put(A.addiu(R.s3, R.s3, 1), A.mtc0(R.t0, 13));
    p.label('e3').put(A.addiu(R.s4, R.s4, 1), A.mtc0(R.zero, 12), A.mtc0(R.t0, 13), A.mtc0(R.t2, 12), la(R.t9, 'e4'), A.jr(R.t9), A.rfe());
    p.label('e4').put(A.addiu(R.s5, R.s5, 1), A.addiu(R.s0, R.s0, -1), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop(), jmp('spin'), A.nop());
    const ls = lockstep(p.image('start'), 12_000);
    const r = ls.fast.cpu.regs;
    expect([R.s1, R.s2, R.s3, R.s4, R.s5, R.s7].map((n) => r[n])).toEqual([30, 30, 30, 30, 30, 0]);
    const log = logged(ls.fast);
    expect(log).toHaveLength(120);
    const want = ['e1', 'e2', 'e3', 'e4'].map((l) => p.at(l));
    log.forEach((e, i) => expect([e.epc, excCode(e.cause), inSlot(e.cause)], `interrupt ${i}`).toEqual([want[i % 4], 0, false]));
    for (const l of ['loop', 'e1', 'e3']) expect(compiledAt(ls.fast, p.at(l)), l).toBe(true);
  });

  it('Status.IsC (cache isolation) set by a block: the next blocks\' kseg0 loads read 0 and stores (into code too) are dropped; kseg1 goes to memory', () => {
    // R30xx manual, 5.2: with IsC, cached loads and stores reach only the data cache. The emulator models no cache
    // contents: an isolated load reads 0 and an isolated store changes nothing (cpu.ts translate); uncached kseg1 is not isolated.
    const p = spin(new Placed().org(CODE).label('start').put(li(R.gp, DATA), la(R.t2, 'target'), li(R.t3, 0x10010000), li(R.t4, 0x10000000),
      li(R.t5, A.addiu(R.v1, R.v1, 100)), li(R.t6, kseg1(DATA)), A.addiu(R.s0, R.zero, 30), A.addiu(R.t1, R.zero, 77), A.sw(R.t1, 0, R.gp)));
    p.label('loop').put(A.mtc0(R.t3, 12), A.nop());
    p.label('iso').put(A.lw(R.t7, 0, R.gp), A.sw(R.s0, 4, R.gp), A.sw(R.t5, 0, R.t2), A.lw(R.t8, 0, R.t6), A.sw(R.s0, 8, R.t6), A.addu(R.s1, R.s1, R.t7),
      A.addu(R.s2, R.s2, R.t8), A.mtc0(R.t4, 12));
    p.label('target').put(A.addiu(R.v1, R.v1, 1), A.lw(R.t7, 4, R.gp), A.addiu(R.s0, R.s0, -1), A.addu(R.s3, R.s3, R.t7), br((o) => A.bgtz(R.s0, o), 'loop'), A.nop(), jmp('spin'), A.nop());
    const ls = lockstep(p.image('start'), 8000);
    const r = ls.fast.cpu.regs;
    expect([r[R.s1], r[R.s2], r[R.v1], r[R.s3]]).toEqual([0, 30 * 77, 30, 0]);
    expect(ls.fast.bus.ram32[((DATA & 0x1fffffff) >>> 2) + 2]).toBe(1);
    expect(compiledAt(ls.fast, p.at('iso'))).toBe(true);
  });
});
