// The processor half of Aegis with small hand-assembled programs: the
// time-slice vector, prologue and epilogue upcalls, overruns, yield,
// directed yield, protected control transfer and revocation.

import { describe, expect, it } from 'vitest';
import { A, Prog, R, checkedKernel } from './helpers.js';
import { Err, Info, Layout, Save, Sys, Upcall } from '../../src/exokernel/abi.js';

const spinner = () => { const p = new Prog(); p.label('l').emit(A.addiu(R.s0, R.s0, 1)).branch(A.beq(R.zero, R.zero, 0), 'l').emit(A.nop()); return p.image(); };

/** Registers the save area `save` and upcall `kind` at `label`. */
const upcall = (p: Prog, kind: number, label: string) => p.emit(A.addiu(R.a0, R.zero, kind)).la(R.a1, label).sys(Sys.SetUpcall);
const saveArea = (p: Prog) => p.la(R.a0, 'save').sys(Sys.SetSaveArea);
/** Returns from an upcall through the save area: busy = 0, reload a0/a1/at, jump to EPC. */
const ret = (p: Prog) => p.la(R.k1, 'save').emit(A.sw(R.zero, 4 * Save.Busy, R.k1), A.lw(R.k0, 4 * Save.EPC, R.k1), A.lw(R.a0, 4 * Save.A0, R.k1), A.lw(R.a1, 4 * Save.A1, R.k1), A.lw(R.at, 4 * Save.AT, R.k1), A.jr(R.k0), A.nop());

describe('the time-slice vector', () => {
  it('environments get CPU in proportion to their slices, within 1%', () => {
    const { k } = checkedKernel({ sliceTicks: 1 });
    const envs = [1, 2, 3].map((n) => k.createEnv(spinner(), `s${n}`, [], { slices: n * 2 }));
    k.run(60_000_000);
    const used = envs.map((e) => e.cpuCycles + (k.current === e ? k.now() - e.lastRun : 0));
    const total = used.reduce((a, b) => a + b, 0);
    used.forEach((u, i) => expect(Math.abs(u / total - (i + 1) / 6)).toBeLessThan(0.01));
  });

  it('slice_alloc hands out slots by position: a named slot, adjacent and spread runs', () => {
    const { k } = checkedKernel();
    const p = new Prog();
    const out = (i: number) => p.la(R.t0, 'out').emit(A.sw(R.v0, 4 * i, R.t0));
    p.emit(A.addiu(R.a0, R.zero, 100), A.addiu(R.a1, R.zero, 1), A.addiu(R.a2, R.zero, 0)).sys(Sys.SliceAlloc); out(0);
    p.emit(A.addiu(R.a0, R.zero, 100), A.addiu(R.a1, R.zero, 1), A.addiu(R.a2, R.zero, 1)).sys(Sys.SliceAlloc); out(1);
    p.emit(A.addiu(R.a0, R.zero, 10), A.addiu(R.a1, R.zero, 4), A.addiu(R.a2, R.zero, 1)).sys(Sys.SliceAlloc); out(2);
    p.emit(A.addiu(R.a0, R.zero, 40), A.addiu(R.a1, R.zero, 4), A.addiu(R.a2, R.zero, 16)).sys(Sys.SliceAlloc); out(3);
    p.la(R.a0, 'out').emit(A.addiu(R.a1, R.zero, 16)).sys(Sys.Cputs).sys(Sys.Exit);
    p.data('out', new Uint8Array(16));
    const env = k.createEnv(p.image(), 'alloc', [], { slices: 0 });
    k.slices.owner[0] = env.id; // one slice to run in
    k.run(1_000_000);
    const b = Buffer.from(env.console, 'latin1');
    expect([0, 4, 8, 12].map((o) => b.readInt32LE(o))).toEqual([100, Err.Busy, 10, 40]);
    expect(k.log.recent().filter((e) => e.kind === 'slice-alloc' && e.env === env.id).map((e) => (e as { slot: number }).slot))
      .toEqual([100, 10, 11, 12, 13, 40, 56, 72, 88]);
  });
});

describe('prologue and epilogue', () => {
  /** A program whose epilogue saves nothing and yields, and whose prologue resumes the loop. */
  function polite(spinInEpilogue: boolean) {
    const p = new Prog();
    saveArea(p); upcall(p, Upcall.Epilogue, 'epi'); upcall(p, Upcall.Prologue, 'pro');
    p.label('loop').emit(A.addiu(R.s0, R.s0, 1)).branch(A.beq(R.zero, R.zero, 0), 'loop').emit(A.nop());
    p.label('epi');
    if (spinInEpilogue) p.label('spin').branch(A.beq(R.zero, R.zero, 0), 'spin').emit(A.nop());
    p.la(R.k1, 'save').emit(A.sw(R.zero, 4 * Save.Busy, R.k1)).sys(Sys.Yield);
    p.label('pro').branch(A.beq(R.zero, R.zero, 0), 'loop').emit(A.nop());
    p.data('save', new Uint8Array(32));
    return p.image();
  }

  it('an epilogue that yields in time is followed by a prologue upcall, never an overrun', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(polite(false), 'polite');
    k.createEnv(spinner(), 'other');
    k.run(3_000_000);
    const mine = k.log.recent().filter((e) => 'env' in e && e.env === env.id);
    expect(mine.filter((e) => e.kind === 'epilogue').length).toBeGreaterThan(10);
    expect(mine.filter((e) => e.kind === 'upcall' && e.upcall === 'prologue').length).toBeGreaterThan(10);
    expect(mine.filter((e) => e.kind === 'overrun')).toEqual([]);
    expect(env.state).toBe('runnable');
    expect(violations).toEqual([]);
  });

  it('an epilogue overrun is punished (its next slice is skipped) and then fatal', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(polite(true), 'rogue');
    const other = k.createEnv(spinner(), 'other');
    k.run(20_000_000);
    const kinds = k.log.recent().filter((e) => 'env' in e && e.env === env.id).map((e) => e.kind);
    expect(kinds.filter((x) => x === 'overrun')).toHaveLength(3);
    expect(kinds.filter((x) => x === 'slice-skipped').length).toBeGreaterThanOrEqual(2);
    expect(env.destroyReason).toBe('overran its epilogue 3 times in a row');
    expect(other.state).toBe('runnable');
    expect(violations).toEqual([]);
  });
});

describe('yield, directed yield and PCT', () => {
  it('a directed yield donates the rest of the slice to the named environment', () => {
    const { k } = checkedKernel();
    const p = new Prog();
    p.label('l').emit(A.addiu(R.a0, R.zero, 2)).sys(Sys.YieldTo).branch(A.beq(R.zero, R.zero, 0), 'l').emit(A.nop());
    const donor = k.createEnv(p.image(), 'donor');
    const taker = k.createEnv(spinner(), 'taker', [], { slices: 0 });
    k.run(2_000_000);
    expect(k.log.recent().some((e) => e.kind === 'yield' && e.env === donor.id && e.to === taker.id)).toBe(true);
    expect(taker.cpuCycles).toBeGreaterThan(donor.cpuCycles * 10);
  });

  it('a synchronous PCT round trip carries the message in registers and returns the answer', () => {
    const { k, violations } = checkedKernel();
    const server = new Prog();
    upcall(server, Upcall.Pct, 'entry');
    server.label('idle').sys(Sys.Yield).branch(A.beq(R.zero, R.zero, 0), 'idle').emit(A.nop());
    // entry: a0 = a0 + a1, a1 = a0 * a1 (low), reply to the caller (v0).
    server.label('entry').emit(A.addu(R.t0, R.a0, R.a1), A.mult(R.a0, R.a1), A.mflo(R.a1), A.addu(R.a0, R.t0, R.zero), A.addu(R.v1, R.v0, R.zero)).sys(Sys.PctReply);
    server.branch(A.beq(R.zero, R.zero, 0), 'idle').emit(A.nop());
    const s = k.createEnv(server.image(), 'server');
    const client = new Prog();
    client.emit(A.addiu(R.s0, R.zero, 0), A.addiu(R.s1, R.zero, 0));
    client.label('loop').emit(A.addiu(R.a0, R.s0, 3), A.addiu(R.a1, R.s0, 4), A.addiu(R.v1, R.zero, s.id)).sys(Sys.PctSync);
    // check a0 == 2*s0+7 and a1 == (s0+3)(s0+4); count the right answers in s1
    client.emit(A.sll(R.t0, R.s0, 1), A.addiu(R.t0, R.t0, 7)).branch(A.bne(R.t0, R.a0, 0), 'bad').emit(A.nop());
    client.emit(A.addiu(R.t1, R.s0, 3), A.addiu(R.t2, R.s0, 4), A.mult(R.t1, R.t2), A.mflo(R.t1)).branch(A.bne(R.t1, R.a1, 0), 'bad').emit(A.nop());
    client.emit(A.addiu(R.s1, R.s1, 1));
    client.label('bad').emit(A.addiu(R.s0, R.s0, 1), A.addiu(R.t3, R.zero, 50)).branch(A.bne(R.s0, R.t3, 0), 'loop').emit(A.nop());
    client.emit(A.addu(R.a0, R.s1, R.zero)).sys(Sys.Exit);
    const c = k.createEnv(client.image(), 'client');
    let calls = 0;
    k.log.subscribe((e) => { if (e.kind === 'pct' && e.env === c.id && e.call === 'PctSync') calls++; });
    while (c.state !== 'destroyed' && k.now() < 20_000_000) k.run(100_000);
    expect(c.destroyReason).toBe('exit(50)');
    expect(calls).toBe(50);
    expect(s.state).toBe('runnable');
    expect(violations).toEqual([]);
  });

  it('a PCT to an environment without an entry fails cleanly', () => {
    const { k } = checkedKernel();
    const p = new Prog();
    p.emit(A.addiu(R.v1, R.zero, 2)).sys(Sys.PctSync).emit(A.addu(R.a0, R.v0, R.zero)).sys(Sys.Exit);
    const c = k.createEnv(p.image(), 'client');
    k.createEnv(spinner(), 'plain');
    k.run(2_000_000);
    expect(c.destroyReason).toBe(`exit(${Err.Inval})`);
  });
});

describe('the epilogue belongs to the environment whose slice ended', () => {
  /** An epilogue that clears busy, tries `call` on environment `target` `times` times (results summed in s3), then yields and returns to the loop. */
  function donorInEpilogue(call: number, target: number) {
    const p = new Prog();
    saveArea(p); upcall(p, Upcall.Epilogue, 'epi');
    if (call === Sys.PctSync) upcall(p, Upcall.Prologue, 'pro');
    p.label('loop').emit(A.addiu(R.s0, R.s0, 1)).branch(A.beq(R.zero, R.zero, 0), 'loop').emit(A.nop());
    p.label('epi').la(R.k1, 'save').emit(A.sw(R.zero, 4 * Save.Busy, R.k1));
    p.emit(A.addiu(R.a0, R.zero, target), A.addiu(R.v1, R.zero, target)).sys(call).emit(A.addu(R.s3, R.s3, R.v0));
    p.sys(Sys.Yield).emit(A.addiu(R.s2, R.s2, 1));
    ret(p);
    p.label('pro').branch(A.beq(R.zero, R.zero, 0), 'loop').emit(A.nop());
    p.data('save', new Uint8Array(32));
    return p.image();
  }

  for (const call of [Sys.YieldTo, Sys.PctAsync, Sys.PctSync]) {
    it(`${['yield_to', 'pct_async', 'pct_sync'][[Sys.YieldTo, Sys.PctAsync, Sys.PctSync].indexOf(call)]} made in an epilogue is refused with Busy and the target is never charged`, () => {
      const { k, violations } = checkedKernel();
      // The target: a PCT entry that spins, and an epilogue that spins too (it would overrun any grace it ran under).
      const t = new Prog();
      saveArea(t); upcall(t, Upcall.Pct, 'spin'); upcall(t, Upcall.Epilogue, 'spin');
      t.label('spin').branch(A.beq(R.zero, R.zero, 0), 'spin').emit(A.nop());
      t.data('save', new Uint8Array(32));
      const target = k.createEnv(t.image(), 'target', [], { slices: 0 });
      const thief = k.createEnv(donorInEpilogue(call, target.id), 'thief');
      k.run(5_000_000);
      const refused = k.log.recent().filter((e) => e.kind === 'syscall' && e.env === thief.id && e.result === Err.Busy);
      expect(refused.length).toBeGreaterThan(20);
      expect(k.log.recent().filter((e) => e.kind === 'overrun')).toEqual([]);
      expect(target.state).toBe('runnable');
      expect(target.cpuCycles).toBe(0);
      expect(thief.state).toBe('runnable');
      expect(violations).toEqual([]);
    });
  }

  it('a yield in the epilogue saves the registers: without a prologue the environment goes on after the call', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(donorInEpilogue(Sys.Null, 0), 'noprologue');
    k.createEnv(spinner(), 'other');
    k.run(5_000_000);
    const regs = k.current === env ? k.cpu.regs : env.regs;
    const epilogues = k.log.recent().filter((e) => e.kind === 'epilogue' && e.env === env.id).length;
    expect(epilogues).toBeGreaterThan(20);
    // s2 counts the returns from the epilogue's yield; s0 keeps counting in the loop it returns to.
    expect(Math.abs(regs[R.s2] - epilogues)).toBeLessThanOrEqual(1);
    expect(regs[R.s0]).toBeGreaterThan(1000);
    expect(k.log.recent().filter((e) => e.kind === 'overrun')).toEqual([]);
    expect(violations).toEqual([]);
  });
});

describe('revocation', () => {
  /** Allocates `n` frames into a table; its revoke upcall frees as many as asked (a1) from the end. */
  function giver(n: number, honour: boolean) {
    const p = new Prog();
    saveArea(p);
    if (honour) upcall(p, Upcall.Revoke, 'revoke');
    p.li(R.t9, Layout.INFO).la(R.s1, 'table').emit(A.addiu(R.s0, R.zero, 0));
    p.label('alloc').emit(A.addiu(R.a0, R.zero, -1), A.lw(R.a1, Info.KEY_LO, R.t9), A.lw(R.a2, Info.KEY_HI, R.t9)).sys(Sys.FrameAlloc);
    p.emit(A.sll(R.t0, R.s0, 2), A.addu(R.t0, R.t0, R.s1), A.sw(R.v0, 0, R.t0), A.addiu(R.s0, R.s0, 1), A.addiu(R.t1, R.zero, n)).branch(A.bne(R.s0, R.t1, 0), 'alloc').emit(A.nop());
    p.label('spin').branch(A.beq(R.zero, R.zero, 0), 'spin').emit(A.nop());
    // revoke: free a1 frames from the top of the table (s0 counts down)
    p.label('revoke').emit(A.addu(R.s2, R.a1, R.zero));
    p.label('free').emit(A.addiu(R.s0, R.s0, -1), A.sll(R.t0, R.s0, 2), A.addu(R.t0, R.t0, R.s1), A.lw(R.a0, 0, R.t0), A.nop()).sys(Sys.FrameFree);
    p.emit(A.addiu(R.s2, R.s2, -1)).branch(A.bne(R.s2, R.zero, 0), 'free').emit(A.nop());
    ret(p);
    p.data('save', new Uint8Array(32));
    p.data('table', new Uint8Array(4 * n));
    return p.image();
  }

  it('a visible revocation is honoured: the library OS chooses and gives back in time', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(giver(8, true), 'giver');
    k.run(500_000);
    const owned = k.frames.ownedBy(env.id).length;
    expect(k.revoke(env, 'frames', 3, 100_000)).toBe(true);
    k.run(500_000);
    const kinds = k.log.recent().filter((e) => 'env' in e && e.env === env.id).map((e) => e.kind);
    expect(kinds).toContain('revoke-honoured');
    expect(kinds).not.toContain('abort');
    expect(k.frames.ownedBy(env.id).length).toBe(owned - 3);
    expect(violations).toEqual([]);
  });

  it('the abort protocol takes frames by force, records them and never takes guaranteed ones', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(giver(8, false), 'rogue');
    k.run(500_000);
    const guaranteed = k.frames.ownedBy(env.id).filter((f) => k.frames.frames[f].guaranteed);
    expect(k.revoke(env, 'frames', 5, 50_000)).toBe(true);
    k.run(500_000);
    const abort = k.log.recent().find((e) => e.kind === 'abort' && e.env === env.id);
    expect(abort).toMatchObject({ what: 'frames', taken: 5 });
    const repo = (off: number) => k.machine.bus.ram32[((env.repoFrame << 12) + off) >>> 2];
    expect(repo(20)).toBe(5); // TAKEN_COUNT
    expect(k.frames.ownedBy(env.id).filter((f) => k.frames.frames[f].guaranteed)).toEqual(guaranteed);
    expect(violations).toEqual([]);
  });
});
