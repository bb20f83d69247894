import { describe, expect, it } from 'vitest';
import { A, Prog, R, checkedKernel, pager } from './helpers.js';
import { Err, Info, Layout, Save, Sys } from '../../src/exokernel/abi.js';
import { checkInvariant } from '../../src/exokernel/index.js';

/** exit(status) */
const exit = (p: Prog, status = 0) => p.emit(A.addiu(R.a0, R.zero, status)).sys(Sys.Exit);

describe('environments', () => {
  it('a program writes to its console and exits; everything it held is freed', () => {
    const { k, violations } = checkedKernel();
    const free0 = k.frames.freeCount();
    const p = new Prog();
    p.la(R.a0, 'msg').emit(A.addiu(R.a1, R.zero, 6)).sys(Sys.Cputs);
    exit(p, 7);
    p.data('msg', 'hello\n');
    const env = k.createEnv(p.image(), 'hello');
    expect(k.frames.freeCount()).toBeLessThan(free0);
    expect(k.run(1_000_000)).toBe('idle');
    expect(env.console).toBe('hello\n');
    expect(env.state).toBe('destroyed');
    expect(env.destroyReason).toBe('exit(7)');
    expect(k.frames.freeCount()).toBe(free0);
    expect(violations).toEqual([]);
    expect(checkInvariant(k)).toEqual([]);
  });

  it('the info page holds the id, the key and argv, read-only', () => {
    const { k, violations } = checkedKernel();
    const p = new Prog();
    p.li(R.t0, Layout.INFO).emit(A.lw(R.a0, Info.ARGV + 4, R.t0), A.nop(), A.addiu(R.a1, R.zero, 5)).sys(Sys.Cputs);
    // A store to the info page is a Mod; with no handler the environment dies.
    p.emit(A.sw(R.zero, 0, R.t0));
    exit(p);
    const env = k.createEnv(p.image(), 'info', ['argv1']);
    k.run(1_000_000);
    expect(env.console).toBe('argv1');
    expect(env.destroyReason).toMatch(/^no handler for Mod/);
    expect(violations).toEqual([]);
  });

  it('an unknown system call returns NoSys and a bad pointer Fault', () => {
    const { k, violations } = checkedKernel();
    const p = new Prog();
    p.sys(99).la(R.t0, 'out').emit(A.sw(R.v0, 0, R.t0));
    p.li(R.a0, 0x80000000).emit(A.addiu(R.a1, R.zero, 4)).sys(Sys.Cputs).la(R.t0, 'out').emit(A.sw(R.v0, 4, R.t0));
    p.li(R.a0, 0x12345000).emit(A.addiu(R.a1, R.zero, 4)).sys(Sys.Cputs).la(R.t0, 'out').emit(A.sw(R.v0, 8, R.t0));
    p.la(R.a0, 'out').emit(A.addiu(R.a1, R.zero, 12)).sys(Sys.Cputs);
    p.emit(A.break());
    p.data('out', new Uint8Array(12));
    const env = k.createEnv(p.image(), 'bad');
    k.run(1_000_000);
    const b = Buffer.from(env.console, 'latin1');
    expect([0, 4, 8].map((o) => b.readInt32LE(o))).toEqual([Err.NoSys, Err.Fault, Err.Fault]);
    expect(env.destroyReason).toMatch(/^no handler for Bp/);
    expect(violations).toEqual([]);
  });
});

describe('exception dispatch and secure bindings', () => {

  it('a miss the STLB cannot serve goes to the library OS, which binds the page and returns by itself', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(pager(3).image(), 'pager');
    k.run(2_000_000);
    expect(env.destroyReason).toBe('exit(0)');
    expect(Buffer.from(env.console, 'latin1').readUInt32LE(0)).toBe(0 + 1 + 2);
    const kinds = k.log.recent().map((e) => e.kind);
    expect(kinds.filter((x) => x === 'dispatch')).toHaveLength(3);
    expect(kinds.filter((x) => x === 'binding-installed').length).toBeGreaterThan(2);
    expect(violations).toEqual([]);
  });

  it('a miss on a page the STLB holds is served by the kernel without the library OS', () => {
    const { k, violations } = checkedKernel();
    // 100 pages do not fit in the 56 TLB entries Random replaces, so the
    // second pass misses in the hardware TLB and the STLB serves it.
    const env = k.createEnv(pager(100).image(), 'pager');
    k.run(20_000_000);
    expect(env.destroyReason).toBe('exit(0)');
    expect(Buffer.from(env.console, 'latin1').readUInt32LE(0)).toBe((99 * 100) / 2);
    expect(env.counters.dispatches).toBe(100);
    expect(env.counters.stlbHits).toBeGreaterThan(20);
    expect(k.stlb.hits).toBe(env.counters.stlbHits);
    expect(violations).toEqual([]);
  });

  it('refuses a binding without a capability, with write rights from a read key, and with G', () => {
    const { k, violations } = checkedKernel();
    const p = new Prog();
    const results = ['r0', 'r1', 'r2', 'r3'];
    // frame_alloc(-1, key 1:2); grant read key 3:4
    p.emit(A.addiu(R.a0, R.zero, -1), A.addiu(R.a1, R.zero, 1), A.addiu(R.a2, R.zero, 2)).sys(Sys.FrameAlloc).emit(A.addu(R.s0, R.v0, R.zero));
    p.emit(A.addu(R.a0, R.s0, R.zero), A.addiu(R.a1, R.zero, 1), A.addiu(R.a2, R.zero, 3), A.addiu(R.a3, R.zero, 4)).sys(Sys.FrameGrant);
    const map = (key: [number, number], lo: number, out: string) => {
      p.li(R.a0, Layout.HEAP).emit(A.sll(R.a1, R.s0, 12), A.ori(R.a1, R.a1, lo), A.addiu(R.a2, R.zero, key[0]), A.addiu(R.a3, R.zero, key[1])).sys(Sys.TlbMap);
      p.la(R.t0, out).emit(A.sw(R.v0, 0, R.t0));
    };
    map([9, 9], 0x200, 'r0'); // forged key
    map([3, 4], 0x600, 'r1'); // read key, D set
    map([1, 2], 0x300, 'r2'); // G set
    map([3, 4], 0x200, 'r3'); // read key, read-only: fine
    p.la(R.a0, 'r0').emit(A.addiu(R.a1, R.zero, 16)).sys(Sys.Cputs);
    exit(p);
    for (const r of results) p.data(r, new Uint8Array(4));
    const env = k.createEnv(p.image(), 'refused');
    k.run(1_000_000);
    const b = Buffer.from(env.console, 'latin1');
    expect([0, 4, 8, 12].map((o) => b.readInt32LE(o))).toEqual([Err.Cap, Err.Perm, Err.Inval, 0]);
    const refused = k.log.recent().filter((e) => e.kind === 'binding-refused');
    expect(refused.map((e) => (e as { reason: string }).reason)).toEqual(['cap', 'perm', 'inval']);
    expect(violations).toEqual([]);
  });

  it('an exception inside a handler destroys the environment with the reason', () => {
    const { k, violations } = checkedKernel();
    const p = new Prog();
    p.la(R.a0, 'save').sys(Sys.SetSaveArea).emit(A.addiu(R.a0, R.zero, 9)).la(R.a1, 'h').sys(Sys.SetHandler);
    p.emit(A.break());
    p.label('h').emit(A.break());
    p.data('save', new Uint8Array(32));
    const env = k.createEnv(p.image(), 'nested');
    k.run(1_000_000);
    expect(env.destroyReason).toMatch(/^Bp inside its own handler/);
    expect(violations).toEqual([]);
  });

  it('a save area that is not a guaranteed mapping is a defined death', () => {
    const { k } = checkedKernel();
    const p = new Prog();
    p.li(R.a0, Layout.HEAP).sys(Sys.SetSaveArea).emit(A.addiu(R.a0, R.zero, 9)).la(R.a1, 'h').sys(Sys.SetHandler);
    p.emit(A.break());
    p.label('h').emit(A.nop());
    const env = k.createEnv(p.image(), 'nosave');
    k.run(1_000_000);
    expect(env.destroyReason).toMatch(/^Bp with no guaranteed writable save area/);
  });
});

describe('kernel checkpoints', () => {
  it('restoring and running again gives the same events and the same end state', () => {
    const { k } = checkedKernel();
    k.createEnv(pager(80).image(), 'a');
    k.createEnv(pager(40).image(), 'b');
    k.run(20_000);
    const cp = k.save();
    const mark = k.log.total;
    k.run(50_000_000);
    const events = () => k.log.recent(k.log.total - mark).map((e) => JSON.stringify(e));
    const first = { events: events(), envs: [...k.envs.values()].map((e) => [e.state, e.destroyReason, e.console]) };
    expect(first.events.length).toBeGreaterThan(100);
    k.restore(cp);
    const mark2 = k.log.total;
    k.run(50_000_000);
    const second = k.log.recent(k.log.total - mark2).map((e) => JSON.stringify(e));
    expect(second).toEqual(first.events);
    expect([...k.envs.values()].map((e) => [e.state, e.destroyReason, e.console])).toEqual(first.envs);
    expect(checkInvariant(k)).toEqual([]);
  });
});

describe('ASIDs', () => {
  it('more environments than ASIDs: ASIDs are recycled with the TLB and STLB flushed, and all finish', () => {
    const { k, violations } = checkedKernel();
    const make = () => {
      const p = new Prog();
      // Touch a data word, yield, touch it again, five times; then exit.
      p.emit(A.addiu(R.s0, R.zero, 5)).la(R.s1, 'word');
      p.label('loop').emit(A.lw(R.t0, 0, R.s1), A.nop(), A.addiu(R.t0, R.t0, 1), A.sw(R.t0, 0, R.s1)).sys(Sys.Yield);
      p.emit(A.addiu(R.s0, R.s0, -1)).branch(A.bne(R.s0, R.zero, 0), 'loop').emit(A.nop());
      p.emit(A.lw(R.a0, 0, R.s1), A.nop()).sys(Sys.Exit);
      p.data('word', new Uint8Array(4));
      return p.image();
    };
    const envs = Array.from({ length: 70 }, (_, i) => k.createEnv(make(), `e${i}`));
    expect(k.run(200_000_000)).toBe('idle');
    expect(envs.map((e) => e.destroyReason)).toEqual(envs.map(() => 'exit(5)'));
    const recycled = k.log.recent().filter((e) => e.kind === 'asid-recycled');
    expect(recycled.length).toBeGreaterThan(7);
    expect(violations).toEqual([]);
  });
});
