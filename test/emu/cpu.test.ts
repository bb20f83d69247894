import { describe, expect, it } from 'vitest';
import { A, R, li } from './helpers/asm.js';
import { bare, CODE } from './helpers/bare.js';
import { ExcCode, Status, Cause } from '../../src/emu/cp0.js';

const exc = (cause: number) => (cause >>> 2) & 31;

describe('ALU', () => {
  it('addu wraps and add traps on overflow leaving the destination unchanged', () => {
    const m = bare([...li(R.t0, 0x7fffffff), A.addiu(R.t2, R.zero, 7), A.addu(R.t1, R.t0, R.t0), A.add(R.t2, R.t0, R.t0)]);
    m.run(5);
    expect(m.reg(R.t1)).toBe(0xfffffffe);
    expect(m.reg(R.t2)).toBe(7);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.Ov);
    expect(m.cpu.epc >>> 0).toBe(CODE + 16);
    expect(m.cpu.pc >>> 0).toBe(0x80000080);
  });

  it('addi traps on overflow, addiu does not', () => {
    const m = bare([...li(R.t0, 0x7fffffff), A.addiu(R.t1, R.t0, 1), A.addi(R.t2, R.t0, 1)]);
    m.run(4);
    expect(m.reg(R.t1)).toBe(0x80000000);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.Ov);
    expect(m.reg(R.t2)).toBe(0);
  });

  it('sub traps for 0 - 0x80000000 and not for -1 - 0x80000000', () => {
    const m = bare([...li(R.t0, 0x80000000), A.addiu(R.t1, R.zero, -1), A.sub(R.t2, R.t1, R.t0), A.sub(R.t3, R.zero, R.t0)]);
    m.run(5);
    expect(m.reg(R.t2)).toBe(0x7fffffff);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.Ov);
    expect(m.cpu.epc >>> 0).toBe(CODE + 16);
  });

  it('slt and sltu compare signed and unsigned; sltiu sign-extends its immediate', () => {
    const m = bare([A.addiu(R.t0, R.zero, -1), A.addiu(R.t1, R.zero, 1), A.slt(R.t2, R.t0, R.t1), A.sltu(R.t3, R.t0, R.t1), A.sltiu(R.t4, R.t1, -1)]);
    m.run(5);
    expect([m.reg(R.t2), m.reg(R.t3), m.reg(R.t4)]).toEqual([1, 0, 1]);
  });

  it('variable shifts use the low five bits of rs', () => {
    const m = bare([A.addiu(R.t0, R.zero, 33), A.addiu(R.t1, R.zero, -16), A.sllv(R.t2, R.t1, R.t0), A.srav(R.t3, R.t1, R.t0), A.srlv(R.t4, R.t1, R.t0)]);
    m.run(5);
    expect([m.reg(R.t2), m.reg(R.t3), m.reg(R.t4)]).toEqual([0xffffffe0, 0xfffffff8, 0x7ffffff8]);
  });

  it('writes to r0 are discarded', () => {
    const m = bare([A.addiu(R.zero, R.zero, 5), A.addu(R.t0, R.zero, R.zero)]);
    m.run(2);
    expect(m.reg(0)).toBe(0);
    expect(m.reg(R.t0)).toBe(0);
  });
});

describe('HI/LO', () => {
  it('mult gives the signed 64-bit product and multu the unsigned one', () => {
    const m = bare([A.addiu(R.t0, R.zero, -3), A.addiu(R.t1, R.zero, 5), A.mult(R.t0, R.t1), A.mfhi(R.t2), A.mflo(R.t3), A.multu(R.t0, R.t1), A.mfhi(R.t4), A.mflo(R.t5)]);
    m.run(100);
    expect([m.reg(R.t2), m.reg(R.t3)]).toEqual([0xffffffff, 0xfffffff1]);
    expect([m.reg(R.t4), m.reg(R.t5)]).toEqual([4, 0xfffffff1]);
  });

  it('div 0x80000000 / -1 gives lo = 0x80000000 and hi = 0', () => {
    const m = bare([...li(R.t0, 0x80000000), A.addiu(R.t1, R.zero, -1), A.div(R.t0, R.t1), A.mfhi(R.t2), A.mflo(R.t3)]);
    m.run(100);
    expect([m.reg(R.t2), m.reg(R.t3)]).toEqual([0, 0x80000000]);
  });

  it('div rounds toward zero with the remainder taking the dividend sign', () => {
    const m = bare([A.addiu(R.t0, R.zero, -7), A.addiu(R.t1, R.zero, 2), A.div(R.t0, R.t1), A.mfhi(R.t2), A.mflo(R.t3), A.divu(R.t0, R.t1), A.mfhi(R.t4), A.mflo(R.t5)]);
    m.run(100);
    expect([m.reg(R.t2), m.reg(R.t3)]).toEqual([0xffffffff, 0xfffffffd]);
    expect([m.reg(R.t4), m.reg(R.t5)]).toEqual([1, 0x7ffffffc]);
  });
});

describe('the HI/LO interlock (mul.ts: multiply 12 cycles, divide 35)', () => {
  /** Steps `words` to their end; the cycles and instructions it took. */
  const time = (words: number[]) => {
    const m = bare(words);
    for (let i = 0; i < words.length; i++) m.cpu.step();
    return { cycles: m.cpu.cycles, instret: m.cpu.instret, m };
  };
  const nops = (n: number) => Array.from({ length: n }, () => A.nop());

  it('mflo right after mult waits until 12 cycles after the mult issued; instret counts instructions only', () => {
    const r = time([A.addiu(R.t0, R.zero, 6), A.addiu(R.t1, R.zero, 7), A.mult(R.t0, R.t1), A.mflo(R.t2)]);
    expect(r.m.reg(R.t2)).toBe(42);
    expect(r.instret).toBe(4);
    expect(r.cycles).toBe(2 + 12 + 1);   // the mult issues at cycle 2, mflo at 14
  });

  it('instructions between hide the latency: eleven cover a multiply, none is left to wait', () => {
    expect(time([A.mult(R.t0, R.t1), ...nops(11), A.mflo(R.t2)]).cycles).toBe(13);
    expect(time([A.mult(R.t0, R.t1), ...nops(5), A.mfhi(R.t2)]).cycles).toBe(13);
    expect(time([A.multu(R.t0, R.t1), ...nops(20), A.mflo(R.t2)]).cycles).toBe(22);
  });

  it('mfhi after div waits 35 cycles; a new multiply starts the unit over', () => {
    expect(time([A.addiu(R.t1, R.zero, 3), A.div(R.t0, R.t1), A.mfhi(R.t2)]).cycles).toBe(1 + 35 + 1);
    expect(time([A.addiu(R.t1, R.zero, 3), A.divu(R.t0, R.t1), A.mult(R.t0, R.t1), A.mflo(R.t2)]).cycles).toBe(2 + 12 + 1);
  });

  it('mthi/mtlo and other instructions never wait', () => {
    expect(time([A.mult(R.t0, R.t1), A.mthi(R.t0), A.mtlo(R.t0), A.addu(R.t2, R.t0, R.t1)]).cycles).toBe(4);
  });
});

describe('delay slots', () => {
  it('the branch delay slot executes and a taken branch skips the rest', () => {
    const m = bare([A.beq(R.zero, R.zero, 2), A.addiu(R.t0, R.zero, 1), A.addiu(R.t1, R.zero, 1), A.addiu(R.t2, R.zero, 1)]);
    m.run(3);
    expect([m.reg(R.t0), m.reg(R.t1), m.reg(R.t2)]).toEqual([1, 0, 1]);
  });

  it('bltzal links even when not taken', () => {
    const m = bare([A.bltzal(R.zero, 4), A.nop(), A.addiu(R.t0, R.zero, 1)]);
    m.run(3);
    expect(m.reg(R.ra)).toBe(CODE + 8);
    expect(m.reg(R.t0)).toBe(1);
  });

  it('jalr links to rd and jumps to rs read before the link is written', () => {
    const m = bare([...li(R.t0, CODE + 0x20), A.jalr(R.t0, R.t0), A.nop()]);
    m.run(4);
    expect(m.cpu.pc >>> 0).toBe(CODE + 0x20);
    expect(m.reg(R.t0)).toBe(CODE + 16);
  });

  it('an exception in a delay slot sets EPC to the branch and Cause.BD', () => {
    const m = bare([A.beq(R.zero, R.zero, 4), A.syscall()]);
    m.run(2);
    expect(m.cpu.epc >>> 0).toBe(CODE);
    expect(m.cpu.causeValue & Cause.BD).not.toBe(0);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.Sys);
  });
});

describe('load delay slot', () => {
  it('the instruction after lw sees the old value, the next one the new', () => {
    const m = bare([...li(R.t0, 0x80002000), A.addiu(R.t1, R.zero, 1), A.lw(R.t1, 0, R.t0), A.addu(R.t2, R.t1, R.zero), A.addu(R.t3, R.t1, R.zero)]);
    m.bus.ram32[0x2000 >>> 2] = 42;
    m.run(6);
    expect([m.reg(R.t2), m.reg(R.t3)]).toEqual([1, 42]);
  });

  it('a write to the loaded register in the delay slot wins over the load', () => {
    const m = bare([...li(R.t0, 0x80002000), A.lw(R.t1, 0, R.t0), A.addiu(R.t1, R.zero, 9), A.nop()]);
    m.bus.ram32[0x2000 >>> 2] = 42;
    m.run(5);
    expect(m.reg(R.t1)).toBe(9);
  });

  it('lwl then lwr of the same register merge through the load in flight', () => {
    const m = bare([...li(R.t0, 0x80002001), A.lwl(R.t1, 3, R.t0), A.lwr(R.t1, 0, R.t0), A.nop(), A.nop()]);
    m.bus.ram32[0x2000 >>> 2] = 0x44332211;
    m.bus.ram32[0x2004 >>> 2] = 0x88776655;
    m.run(6);
    expect(m.reg(R.t1)).toBe(0x55443322);
  });

  it('mfc0 is delayed like a load', () => {
    const m = bare([A.addiu(R.t1, R.zero, 1), A.mfc0(R.t1, 15), A.addu(R.t2, R.t1, R.zero), A.addu(R.t3, R.t1, R.zero)]);
    m.run(4);
    expect([m.reg(R.t2), m.reg(R.t3)]).toEqual([1, 0x230]);
  });
});

describe('loads and stores', () => {
  it('lb and lh sign-extend, lbu and lhu do not', () => {
    const m = bare([...li(R.t0, 0x80002000), A.lb(R.t1, 3, R.t0), A.lbu(R.t2, 3, R.t0), A.lh(R.t3, 2, R.t0), A.lhu(R.t4, 2, R.t0), A.nop()]);
    m.bus.ram32[0x2000 >>> 2] = 0x80ff0000 | 0;
    m.run(7);
    expect([m.reg(R.t1), m.reg(R.t2), m.reg(R.t3), m.reg(R.t4)]).toEqual([0xffffff80, 0x80, 0xffff80ff, 0x80ff]);
  });

  it('swl and swr store the right bytes at every offset', () => {
    const code: number[] = [...li(R.t0, 0x80002000), ...li(R.t1, 0xaabbccdd)];
    for (let b = 0; b < 4; b++) code.push(A.swl(R.t1, 16 * b + b, R.t0), A.swr(R.t1, 16 * b + 8 + b, R.t0));
    const m = bare(code);
    for (let i = 0; i < 16; i++) m.bus.ram32[(0x2000 >>> 2) + i] = 0x11223344;
    m.run(code.length);
    const got = [0, 1, 2, 3].map((b) => [m.word(0x2000 + 16 * b), m.word(0x2008 + 16 * b)]);
    expect(got).toEqual([
      [0x112233aa, 0xaabbccdd],
      [0x1122aabb, 0xbbccdd44],
      [0x11aabbcc, 0xccdd3344],
      [0xaabbccdd, 0xdd223344],
    ]);
  });

  it('a misaligned lw raises AdEL with BadVAddr', () => {
    const m = bare([...li(R.t0, 0x80002002), A.lw(R.t1, 0, R.t0)]);
    m.run(3);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.AdEL);
    expect(m.cpu.badVAddr >>> 0).toBe(0x80002002);
  });

  it('a load from an unclaimed physical address raises DBE and emits a bus-error event', () => {
    const m = bare([...li(R.t0, 0xbe000000), A.lw(R.t1, 0, R.t0)]);
    m.run(3);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.DBE);
    expect(m.events[0]).toMatchObject({ kind: 'bus-error', paddr: 0x1e000000 });
  });

  it('a jump to a misaligned address raises AdEL on the fetch', () => {
    const m = bare([...li(R.t0, 0x80002002), A.jr(R.t0), A.nop(), A.nop()]);
    m.run(5);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.AdEL);
    expect(m.cpu.badVAddr >>> 0).toBe(0x80002002);
    expect(m.cpu.epc >>> 0).toBe(0x80002002);
  });
});

describe('exceptions and modes', () => {
  it('taking an exception pushes the KU/IE stack and rfe pops it leaving KUo/IEo', () => {
    const m = bare([A.syscall()]);
    m.cpu.status = 0x3d; // KUo IEo KUp IEp IEc... 111101
    m.run(1);
    expect(m.cpu.status & 0x3f).toBe(0x34);
    m.bus.ram32[0x80 >>> 2] = A.rfe();
    m.run(1);
    expect(m.cpu.status & 0x3f).toBe(0x3d);
  });

  it('user mode may not touch kseg0, nor use COP0 without CU0, nor COP1 without CU1', () => {
    const m = bare([A.nop()]);
    m.cpu.status = Status.KUc;
    m.cpu.tlb.write(8, 0x00400000, 0x00001000 | 0x200 | 0x100);
    m.bus.ram32[0x1000 >>> 2] = A.lw(R.t0, 0, R.zero);
    m.cpu.jump(0x00400000);
    m.cpu.regs[R.zero] = 0;
    m.bus.ram32[0x1000 >>> 2] = A.lui(R.t0, 0x8000);
    m.bus.ram32[0x1004 >>> 2] = A.lw(R.t1, 0, R.t0);
    m.run(2);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.AdEL);
    m.cpu.status = Status.KUc;
    m.bus.ram32[0x1008 >>> 2] = A.mfc0(R.t1, 12);
    m.cpu.jump(0x00400008);
    m.run(1);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.CpU);
    expect((m.cpu.causeValue >>> 28) & 3).toBe(0);
    m.cpu.status = Status.KUc | Status.CU0;
    m.bus.ram32[0x100c >>> 2] = A.cop1();
    m.cpu.jump(0x0040000c);
    m.run(1);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.CpU);
    expect((m.cpu.causeValue >>> 28) & 3).toBe(1);
  });

  it('an interrupt is taken only when IEc and the IM bit are set', () => {
    const m = bare([A.nop(), A.nop(), A.nop()]);
    m.cpu.status = 0x0800;
    m.cpu.setHardwareInterrupts(0x800);
    m.run(1);
    expect(m.cpu.pc >>> 0).toBe(CODE + 4);
    m.cpu.status = 0x0801;
    m.cpu.updateInterrupts();
    m.run(1);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.Int);
    expect(m.cpu.causeValue & 0xff00).toBe(0x800);
    expect(m.cpu.epc >>> 0).toBe(CODE + 4);
  });
});

describe('TLB', () => {
  it('a kuseg miss refills through the UTLB vector with Context and EntryHi set', () => {
    const m = bare([...li(R.t0, 0x00403004), A.lw(R.t1, 0, R.t0)]);
    m.cpu.entryHi = 5 << 6;
    m.cpu.context = 0xffe00000 | 0;
    for (let i = 0; i < 64; i++) m.cpu.tlb.write(i, 0x80000000 + i * 0x1000, 0);
    m.run(3);
    expect(m.cpu.pc >>> 0).toBe(0x80000000);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.TLBL);
    expect(m.cpu.context >>> 0).toBe(0xffe00000 + (0x403 << 2));
    expect(m.cpu.entryHi >>> 0).toBe(0x00403000 | (5 << 6));
  });

  it('an invalid entry goes to the general vector and a clean page raises Mod', () => {
    const m = bare([...li(R.t0, 0x00403000), A.lw(R.t1, 0, R.t0)]);
    m.cpu.tlb.write(10, 0x00403000, 0x00005000);
    m.run(3);
    expect(m.cpu.pc >>> 0).toBe(0x80000080);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.TLBL);
    const s = bare([...li(R.t0, 0x00403000), A.sw(R.t1, 0, R.t0)]);
    s.cpu.tlb.write(10, 0x00403000, 0x00005000 | 0x200);
    s.run(3);
    expect(exc(s.cpu.causeValue)).toBe(ExcCode.Mod);
  });

  it('a kseg2 miss goes to the general vector', () => {
    const m = bare([...li(R.t0, 0xc0001000), A.lw(R.t1, 0, R.t0)]);
    m.run(3);
    expect(m.cpu.pc >>> 0).toBe(0x80000080);
    expect(exc(m.cpu.causeValue)).toBe(ExcCode.TLBL);
  });

  it('ASIDs must match unless G is set', () => {
    const m = bare([...li(R.t0, 0x00403000), A.lw(R.t1, 0, R.t0), A.nop()]);
    m.cpu.entryHi = 3 << 6;
    m.cpu.tlb.write(10, 0x00403000 | (4 << 6), 0x00005000 | 0x200);
    m.run(3);
    expect(m.cpu.pc >>> 0).toBe(0x80000000);
    const g = bare([...li(R.t0, 0x00403000), A.lw(R.t1, 0, R.t0), A.nop()]);
    g.bus.ram32[0x5000 >>> 2] = 77;
    g.cpu.entryHi = 3 << 6;
    g.cpu.tlb.write(10, 0x00403000 | (4 << 6), 0x00005000 | 0x200 | 0x100);
    g.run(4);
    expect(g.reg(R.t1)).toBe(77);
  });

  it('tlbwr writes within [8,63] and tlbp finds the entry', () => {
    const m = bare([...li(R.t0, 0x00777000), A.mtc0(R.t0, 10), A.mtc0(R.zero, 2), A.tlbwr(), A.tlbp(), A.mfc0(R.t1, 0), A.nop()]);
    m.run(8);
    const idx = (m.reg(R.t1) >>> 8) & 63;
    expect(idx).toBeGreaterThanOrEqual(8);
    expect(m.cpu.tlb.hi[idx] >>> 0).toBe(0x00777000);
    expect(m.reg(R.t1) & 0x80000000).toBe(0);
  });

  it('tlbp sets Index.P when no entry matches', () => {
    const m = bare([...li(R.t0, 0x00777000), A.mtc0(R.t0, 10), A.tlbp(), A.mfc0(R.t1, 0), A.nop()]);
    m.run(6);
    expect(m.reg(R.t1) >>> 31).toBe(1);
  });
});

describe('the exception hook', () => {
  it('is called at the kseg0 vector instead of fetching code there', () => {
    const m = bare([A.syscall(), A.addiu(R.t0, R.zero, 3)]);
    const seen: number[] = [];
    m.cpu.exceptionHook = (cpu, vector) => { seen.push(vector); cpu.jump((cpu.epc + 4) | 0); };
    m.run(2);
    expect(seen).toEqual([0x80000080]);
    expect(m.reg(R.t0)).toBe(3);
  });
});

describe('breakpoints', () => {
  it('run stops before a breakpoint and resumes past it when told to skip it once', () => {
    const m = bare([A.addiu(R.t0, R.zero, 1), A.addiu(R.t1, R.zero, 2), A.addiu(R.t2, R.zero, 3), A.nop()]);
    m.cpu.setBreakpoint(CODE + 4, true);
    expect(m.cpu.run(100)).toBe('breakpoint');
    expect(m.cpu.pc >>> 0).toBe(CODE + 4);
    expect(m.reg(R.t1)).toBe(0);
    m.cpu.skipBreakpoint = m.cpu.pc;
    m.cpu.run(m.cpu.cycles + 2);
    expect(m.reg(R.t2)).toBe(3);
  });
});

describe('data watchpoints', () => {
  // Data at kseg0 0x80008000 (physical 0x8000); t0 holds its address.
  const DATA = 0x80008000;
  const prog = () => bare([...li(R.t0, DATA), A.addiu(R.t1, R.zero, 7), A.lw(R.t2, 8, R.t0), A.sw(R.t1, 4, R.t0), A.sb(R.t1, 13, R.t0), A.nop()]);

  it('run stops before a store that touches a write watchpoint, with the access in watchHit', () => {
    const m = prog();
    m.cpu.setWatchpoint(DATA + 4, 4, false, true, true);
    expect(m.cpu.run(100)).toBe('watchpoint');
    expect(m.word(0x8004)).toBe(0);
    expect(m.cpu.watchHit).toEqual({ addr: DATA + 4, size: 4, write: true });
    expect(m.reg(R.t2)).toBe(0);
  });

  it('a read watchpoint stops before the load, not the store; skipWatch resumes past it', () => {
    const m = prog();
    m.cpu.setWatchpoint(DATA + 8, 4, true, false, true);
    m.cpu.setWatchpoint(DATA + 12, 2, true, false, true);
    expect(m.cpu.run(100)).toBe('watchpoint');
    expect(m.cpu.watchHit).toEqual({ addr: DATA + 8, size: 4, write: false });
    m.cpu.skipWatch = m.cpu.pc;
    expect(m.cpu.run(100)).toBe('');
    expect(m.word(0x8004)).toBe(7);
    expect(m.word(0x800c)).toBe(0x700);
  });

  it('an access watchpoint catches a byte store inside its range; removing it runs free', () => {
    const m = prog();
    m.cpu.setWatchpoint(DATA + 12, 4, true, true, true);
    expect(m.cpu.run(100)).toBe('watchpoint');
    expect(m.cpu.watchHit).toEqual({ addr: DATA + 13, size: 1, write: true });
    m.cpu.setWatchpoint(DATA + 12, 4, true, true, false);
    expect(m.cpu.run(100)).toBe('');
    expect(m.word(0x800c)).toBe(0x700);
  });
});
