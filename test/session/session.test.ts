import { describe, expect, it } from 'vitest';
import { describeBreakpoint, Session, takeSnapshot } from '../../src/session/index.js';
import { Layout } from '../../src/exokernel/abi.js';
import { pager } from '../exokernel/helpers.js';

const setup = (checkpointEvery = 5_000) => ({
  ramSize: 8 << 20,
  checkpointEvery,
  envs: [{ name: 'a', image: pager(60).image() }, { name: 'b', image: pager(30).image() }],
});

/** The parts of the state that must agree after going back and forth. */
const state = (s: Session) => {
  const c = s.kernel.cpu.save();
  return { c, envs: [...s.kernel.envs.values()].map((e) => [e.state, e.console, e.counters]), ram: Buffer.from(s.kernel.machine.bus.ram8).toString('base64').length };
};

describe('Session', () => {
  it('runs to idle and the environments finish', () => {
    const s = new Session(setup());
    expect(s.run(100_000_000).reason).toBe('idle');
    const snap = takeSnapshot(s);
    expect(snap.envs.map((e) => [e.name, e.state, e.reason])).toEqual([['a', 'destroyed', 'exit(0)'], ['b', 'destroyed', 'exit(0)']]);
    expect(snap.invariant).toEqual([]);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('step executes exactly n instructions', () => {
    const s = new Session(setup());
    s.step(1000);
    expect(s.kernel.cpu.instret).toBe(1000);
  });

  it('stepping back n then forward n lands on the same state', () => {
    const s = new Session(setup());
    s.run(200_000); // about 3,400 instructions: most of pager's time is the kernel zeroing and claiming frames
    expect(s.kernel.cpu.instret).toBeGreaterThan(2000);
    const before = state(s);
    const at = s.kernel.cpu.instret;
    for (let i = 0; i < 5; i++) s.stepBack(1);
    expect(s.kernel.cpu.instret).toBe(at - 5);
    s.step(5);
    expect(state(s)).toEqual(before);
    s.stepBack(2000);
    expect(s.kernel.cpu.instret).toBe(at - 2000);
    s.step(2000);
    expect(state(s)).toEqual(before);
  });

  it('stops on an exception breakpoint, an event breakpoint and a pc breakpoint in the named environment', () => {
    const s = new Session(setup(0));
    s.addBreakpoint({ kind: 'exception', code: 2, env: 'b' });
    const stop = s.run(100_000_000);
    expect(stop.reason).toBe('breakpoint');
    expect(stop.detail).toMatch(/^exception TLBL at epc 0x[0-9a-f]{8} in b$/);
    const t = new Session(setup(0));
    t.addBreakpoint({ kind: 'event', event: 'env-destroyed' });
    // b (30 pages) finishes in its first slice; a (60) needs a second one.
    expect(t.run(100_000_000).detail).toBe('event env-destroyed (b)');
    const u = new Session(setup(0));
    u.addBreakpoint({ kind: 'pc', addr: 0x00400000, env: 'b' });
    const pstop = u.run(100_000_000);
    expect(pstop.detail).toBe('pc 0x00400000 in b');
    expect(u.kernel.cpu.pc >>> 0).toBe(0x00400000);
    const next = u.run(100_000_000);
    expect(next.detail).toBe('no environment is runnable');
  });

  it('a stop at a breakpoint says which one it hit (Stop.hit): the breakpoint, its id, and the event', () => {
    const s = new Session(setup(0));
    const id = s.addBreakpoint({ kind: 'exception', code: 2, env: 'b' });
    expect(s.run(100_000_000).hit).toEqual({ id, breakpoint: { kind: 'exception', code: 2, env: 'b' } });
    const t = new Session(setup(0));
    const ev = t.addBreakpoint({ kind: 'event', event: 'env-destroyed' });
    const stop = t.run(100_000_000);
    expect(stop.hit).toMatchObject({ id: ev, breakpoint: { kind: 'event', event: 'env-destroyed' }, event: { kind: 'env-destroyed', env: t.envIds.get('b') } });
    const u = new Session(setup(0));
    const pc = u.addBreakpoint({ kind: 'pc', addr: 0x00400000, env: 'b' });
    expect(u.run(100_000_000).hit).toEqual({ id: pc, breakpoint: { kind: 'pc', addr: 0x00400000, env: 'b' } });
    expect(u.step(1).hit).toBeUndefined();
  });

  it('a watch breakpoint stops before the store, then before the load, of the environment named; removed, it stops nothing', () => {
    const s = new Session(setup(0));
    // pager writes i at page i of its heap, then reads every page back.
    const addr = Layout.HEAP + 0x2000;
    const hex = addr.toString(16).padStart(8, '0');
    const write = { kind: 'watch', addr, len: 4, read: false, write: true, env: 'b' } as const;
    const w = s.addBreakpoint(write);
    expect(describeBreakpoint(write)).toBe(`watch write 0x${hex} (4 bytes) in b`);
    const stored = s.run(100_000_000);
    expect(stored.detail).toBe(`watchpoint write 0x${hex} in b`);
    expect(stored.hit).toEqual({ id: w, breakpoint: write, access: { addr, size: 4, write: true } });
    expect(s.kernel.cpu.regs[10]).toBe(2); // t2, the value about to be stored
    expect(s.readWord(addr, 'b')).toBeUndefined(); // before the store: its page fault (and mapping) is still to come
    s.removeBreakpoint(w);
    const r = s.addBreakpoint({ kind: 'watch', addr: addr + 2, len: 1, read: true, write: false, env: 'a' });
    const loaded = s.run(100_000_000);
    expect(loaded.detail).toBe(`watchpoint read 0x${hex} in a`);
    expect(loaded.hit?.access).toEqual({ addr, size: 4, write: false });
    expect(s.listBreakpoints().map(([id, b]) => [id, b.kind])).toEqual([[r, 'watch']]);
    s.removeBreakpoint(r);
    expect(s.run(100_000_000).reason).toBe('idle');
  });

  it('kill destroys an environment and the other runs on', () => {
    const s = new Session(setup(0));
    s.run(10_000);
    expect(s.kill('a')).toBe(true);
    expect(s.run(100_000_000).reason).toBe('idle');
    const snap = takeSnapshot(s);
    expect(snap.envs.map((e) => e.reason)).toEqual(['killed by the debugger', 'exit(0)']);
    expect(snap.invariant).toEqual([]);
  });
});


describe('Session with the network', () => {
  it('stepping back and forth across UDP traffic lands on the same state as running', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseElf } = await import('../../src/emu/index.js');
    const { join, resolve } = await import('node:path');
    const f = join(resolve(import.meta.dirname, '../..'), 'src/exos/images/exos-udp-ping.elf');
    const mk = (every: number) => new Session({ ramSize: 16 << 20, checkpointEvery: every, envs: [{ name: 'ping', image: parseElf(new Uint8Array(readFileSync(f)), f), args: ['10.0.0.2', '10.0.0.1', '7', '30'] }] });
    const s = mk(50_000);
    s.run(400_000);
    // At an instruction boundary (a budget may end while the CPU idles, waiting on the wire, where no step lands).
    s.step(1);
    expect(s.wire.capture.length).toBeGreaterThan(4);
    const before = state(s);
    s.stepBack(2000);
    s.step(2000);
    expect(state(s)).toEqual(before);
    // Stepping one instruction at a time from boot reaches the same state as running.
    const t = mk(0);
    while (t.kernel.cpu.instret < s.kernel.cpu.instret) t.step(1);
    expect(state(t)).toEqual(before);
    expect(s.run(50_000_000).reason).toBe('idle');
    expect(s.kernel.envs.get(1)!.console).toMatch(/udp-ping ok 30/);
  });
});

describe('a timeline played through a ScenarioRun attached to the session', () => {
  const scenario = async () => {
    const { parseScenario } = await import('../../src/session/index.js');
    const { join, resolve } = await import('node:path');
    const img = (n: string) => join(resolve(import.meta.dirname, '../..'), 'src/exos/images', `exos-${n}.elf`);
    return parseScenario(`name: t
environments:
  - { name: echo, image: ${img('udp-echo')}, args: ["10.0.0.2", "7", "3"] }
  - { name: spin, image: ${img('spinner')}, args: ["100000"] }
timeline:
  - { at: { cycle: 0 }, do: { key: "c" } }
  - { at: { cycle: 300000 }, do: { inject: { udp: { to: "10.0.0.2", port: 7, payload: "x" }, count: 3, every: 100000 } } }
  - { at: { event: { kind: env-destroyed, env: echo } }, do: { kill: spin } }
`, join(resolve(import.meta.dirname, '../..'), 'scenarios/t.yaml'));
  };

  it('fires kill and inject steps inside Session.run when their triggers come, and (headless) only notes keys', async () => {
    const { ScenarioRun, sessionFromScenario } = await import('../../src/session/index.js');
    const sc = await scenario();
    const s = sessionFromScenario(sc);
    new ScenarioRun(s, sc);
    expect(s.run(200_000_000).reason).toBe('idle');
    const envs = [...s.kernel.envs.values()];
    expect(envs[0].console).toMatch(/udp-echo ok/);
    expect(envs[1].destroyReason).toBe('killed by the debugger');
  });

  it('interactive: a key step makes the run return (reason timeline) and waits in held()', async () => {
    const { ScenarioRun, sessionFromScenario } = await import('../../src/session/index.js');
    const sc = await scenario();
    const s = sessionFromScenario(sc);
    const run = new ScenarioRun(s, sc, { interactive: true });
    const boot = s.kernel.now();
    expect(s.run(200_000_000)).toMatchObject({ reason: 'timeline', cycle: boot });
    expect(run.held()).toEqual([{ kind: 'key', keys: 'c', source: expect.stringMatching(/t\.yaml:6$/) }]);
    expect(s.run(200_000_000, true).reason).toBe('idle');
    expect([...s.kernel.envs.values()][1].destroyReason).toBe('killed by the debugger');
  });
});
