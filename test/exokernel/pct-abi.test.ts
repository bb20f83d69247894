// PCT and directed yield save nothing in the kernel (docs/protection.md; Aegis paper,
// sec. 5.4; asm/pct.S, asm/yield.S; the ABI is abi.ts, PctSync and
// YieldTo): the callee gets the message registers and no other register of
// the caller's, k0/k1 hold the kernel's values, and the caller comes back
// with v0 = 0 and every other register zero, its library OS having kept
// what it needs. The registers are read at the kernel's exits, as the CPU
// holds them when the callee's (or the caller's) first instruction runs.

import { describe, expect, it } from 'vitest';
import { A, Prog, R, checkedKernel } from './helpers.js';
import { Sys, Upcall } from '../../src/exokernel/abi.js';
import type { Kernel } from '../../src/exokernel/index.js';

/** The value a caller puts in register n (and 32, 33 for HI, LO) before the call. */
const pattern = (n: number) => (0x5ec00000 + n * 0x101) | 0;

/** The general registers the ABI names as the message: at, a0-a3, t0-t9, s0-s7, gp, sp, fp, ra. */
const MESSAGE = [1, ...Array.from({ length: 22 }, (_, i) => 4 + i), 28, 29, 30, 31];

/** Sets every register but zero, v0 and v1 to its pattern (k0/k1 too), HI and LO as well. */
function fill(p: Prog): Prog {
  p.li(R.t0, pattern(32)).emit(A.mthi(R.t0)).li(R.t0, pattern(33)).emit(A.mtlo(R.t0));
  for (let n = 1; n < 32; n++) if (n !== 2 && n !== 3) p.li(n, pattern(n));
  return p;
}

/** The CPU's registers (and HI, LO) at every kernel exit into `env` at `pc`: the first is returned. */
function registersAt(k: Kernel, env: () => number, pc: () => number): () => number[] | undefined {
  let seen: number[] | undefined;
  k.onKernelExit.add(() => {
    if (!seen && k.current?.id === env() && k.cpu.pc === pc()) seen = [...k.cpu.regs, k.cpu.hi, k.cpu.lo];
  });
  return () => seen;
}

/** A server whose PCT entry spins (so its registers stay as they came), idling in yields until called. */
function server(): { prog: Prog; entry: number } {
  const p = new Prog();
  p.emit(A.addiu(R.a0, R.zero, Upcall.Pct)).la(R.a1, 'entry').sys(Sys.SetUpcall);
  p.label('idle').sys(Sys.Yield).branch(A.beq(R.zero, R.zero, 0), 'idle').emit(A.nop());
  const entry = p.pc;
  p.label('entry').branch(A.beq(R.zero, R.zero, 0), 'entry').emit(A.nop());
  return { prog: p, entry };
}

describe('PCT and directed yield save no register in the kernel', () => {
  it('a PCT callee gets the message registers, the kernel\'s k0/k1, and nothing else of the caller\'s', () => {
    const { k, violations } = checkedKernel();
    const s = server();
    const srv = k.createEnv(s.prog.image(), 'server');
    const c = fill(new Prog()).emit(A.addiu(R.v1, R.zero, srv.id)).sys(Sys.PctAsync);
    const resume = c.pc;
    c.label('done').branch(A.beq(R.zero, R.zero, 0), 'done').emit(A.nop());
    const caller = k.createEnv(c.image(), 'caller');
    const atEntry = registersAt(k, () => srv.id, () => s.entry);
    const atResume = registersAt(k, () => caller.id, () => resume);
    for (let i = 0; i < 40 && !(atEntry() && atResume()); i++) k.run(50_000);
    const callee = atEntry()!, back = atResume()!;
    for (const n of [...MESSAGE, 32, 33]) expect(callee[n], `register ${n} of the message`).toBe(pattern(n));
    expect(callee[R.v0]).toBe(caller.id);
    expect(callee[R.v1]).toBe(Sys.PctAsync);
    // k0/k1 are the kernel's: the call number * 4 and the entry pc (asm/pct.S), not the caller's patterns.
    expect([callee[26], callee[27] >>> 0]).toEqual([Sys.PctAsync << 2, s.entry]);
    // The caller comes back after its syscall with nothing: v0 = 0 and every other register zero.
    expect(back).toEqual(new Array(34).fill(0));
    expect(violations).toEqual([]);
  });

  it('a directed yield hands the target none of the caller\'s registers and gives the caller back zeros', () => {
    const { k, violations } = checkedKernel();
    const t = new Prog();
    t.label('spin').emit(A.addiu(R.s0, R.s0, 1)).branch(A.beq(R.zero, R.zero, 0), 'spin').emit(A.nop());
    const target = k.createEnv(t.image(), 'target');
    const c = fill(new Prog()).emit(A.addiu(R.a0, R.zero, target.id)).sys(Sys.YieldTo);
    const resume = c.pc;
    c.label('done').branch(A.beq(R.zero, R.zero, 0), 'done').emit(A.nop());
    const caller = k.createEnv(c.image(), 'caller');
    let donated = false;
    k.log.subscribe((e) => { if (e.kind === 'yield' && e.env === caller.id && e.to === target.id) donated = true; });
    const atTarget = registersAt(k, () => (donated ? target.id : -1), () => k.cpu.pc);
    const atResume = registersAt(k, () => caller.id, () => resume);
    for (let i = 0; i < 40 && !(atTarget() && atResume()); i++) k.run(50_000);
    // The target resumes from the context the kernel saved of it at a clock interrupt: its own counter, none of the caller's values.
    const caught = atTarget()!, patterns = new Set(Array.from({ length: 34 }, (_, n) => pattern(n)));
    expect(caught.filter((v) => patterns.has(v))).toEqual([]);
    expect(caught[R.s0]).toBeGreaterThan(0);
    expect(atResume()).toEqual(new Array(34).fill(0));
    expect(violations).toEqual([]);
  });
});
