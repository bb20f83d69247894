// The LiveDebugger: the session run in slices for the TUI and the
// recorder, its commands, and the scenario timeline it plays.

import { describe, expect, it } from 'vitest';
import { execute, LiveDebugger, openScenarioDebugger, parseScenario, replay, takeSnapshot, type DebuggerOptions, type Session } from '../../src/session/index.js';
import { tlbDumpLines } from '../../src/tui/selectors/tlb.js';
import { fixtureSession, revokeSession } from '../tui/fixtures/programs.js';
import { waitFor } from '../tui/fixtures/wait.js';

type Driver = LiveDebugger;
const Driver = class extends LiveDebugger {
  constructor(s: Session, o: Partial<DebuggerOptions> = {}) { super(s, { now: () => performance.now(), ...o }); }
};

/** Resolves when the driver publishes a stopped state. */
function stopped(d: Driver): Promise<void> {
  return new Promise((resolve) => {
    if (!d.getState().running) return resolve();
    const off = d.subscribe(() => { if (!d.getState().running) { off(); resolve(); } });
  });
}

/** Waits until `ok` holds (looking every 2 ms, between the driver's slices); fails after 20 s naming `what`, with the status. */
const until = (d: Driver, ok: () => boolean, what: string) => waitFor(ok, what, () => JSON.stringify(d.getState().status));

describe('LiveDebugger', () => {
  it('continue runs in slices until a breakpoint and publishes the stop at once', async () => {
    const d = new Driver(fixtureSession());
    expect(d.execute({ kind: 'break', breakpoint: { kind: 'exception', code: 2, env: 'b' } })).toEqual({ text: 'Breakpoint 1: exception TLBL in b' });
    const seen: boolean[] = [];
    d.subscribe(() => seen.push(d.getState().running));
    d.run();
    expect(d.getState().running).toBe(true);
    await stopped(d);
    expect(d.getState().status).toEqual({ reason: 'breakpoint', detail: expect.stringMatching(/^exception TLBL at epc 0x[0-9a-f]{8} in b$/) });
    expect(seen[0]).toBe(true);
    expect(seen.at(-1)).toBe(false);
    expect(d.getState().previous).toBeDefined();
  });

  it('continue passes the idle gap after every environment ended to the timeline\'s next step, as headless replay does', async () => {
    // hello ends long before cycle 3,000,000, when the timeline puts a datagram on the wire.
    const sc = parseScenario([
      'name: gap', 'environments:', '  - { name: hello, image: exos-hello }', 'timeline:',
      '  - at: { cycle: 3000000 }', '    do: { inject: { udp: { to: "10.0.0.2", port: 7, payload: "late" } } }', 'run:', '  until: 4000000', '',
    ].join('\n'), 'scenarios/gap.yaml');
    const { driver, run } = openScenarioDebugger(sc, { now: () => performance.now() });
    driver.run();
    await stopped(driver);
    expect(driver.getState().status.reason).toBe('idle');
    expect(driver.getState().snapshot.cycle).toBe(3_000_000);
    expect(run.unfired()).toEqual([]);
    expect(driver.getState().snapshot.cycle).toBe(replay(sc).cycles);
  });

  it('checks the invariant and counts the events in every snapshot but the frames drawn while the machine runs (no pane shows them)', async () => {
    const session = fixtureSession({ checkpointEvery: 0 });
    const d = new Driver(session, { chunk: 5_000, sliceMs: 2, publishHz: 1000 });
    const seen: { running: boolean; invariant: readonly string[] | undefined; kinds: object | undefined; pairs: object | undefined }[] = [];
    d.subscribe(() => { const st = d.getState(); seen.push({ running: st.running, invariant: st.snapshot.invariant, kinds: st.snapshot.eventKinds, pairs: st.snapshot.eventPairs }); });
    d.step(400_000);
    await stopped(d);
    // The first publish says the run started (a snapshot of the machine stopped); the frames come after it.
    expect(seen[0]).toMatchObject({ running: true, invariant: [] });
    const frames = seen.slice(1).filter((x) => x.running);
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).toMatchObject({ invariant: undefined, kinds: undefined, pairs: undefined });
    expect(seen.at(-1)).toMatchObject({ running: false, invariant: [] });
    expect(d.getState().snapshot.invariant).toEqual([]);
    expect(d.getState().snapshot.eventKinds).toEqual(takeSnapshot(session).eventKinds);
    expect(Object.values(d.getState().snapshot.eventKinds ?? {}).reduce((a, b) => a + b, 0)).toBe(d.getState().snapshot.eventsTotal);
  });

  it('leaves the event loop free between slices, so a pause arrives', async () => {
    const s = fixtureSession({ checkpointEvery: 0 });
    const d = new Driver(s, { chunk: 5_000, sliceMs: 5 });
    d.run();
    // A timer of this test's runs between slices once the machine moved.
    await until(d, () => s.kernel.now() > 0, 'the machine to run');
    expect(d.getState().running).toBe(true);
    expect(d.pause()).toBeUndefined();
    expect(d.getState()).toMatchObject({ running: false, status: { reason: 'paused', detail: 'paused by you' } });
    expect(d.getState().snapshot.cycle).toBeGreaterThan(0);
  });

  it('hits a pc breakpoint that falls on a slice boundary', async () => {
    const s = fixtureSession({ checkpointEvery: 0 });
    const d = new Driver(s, { chunk: 1 });
    d.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'walk', offset: 0, env: 'b' } });
    d.run();
    await stopped(d);
    expect(d.getState().status.detail).toBe('pc 0x00400054 in b');
    expect(d.getState().snapshot.cpu.pc).toBe(0x00400054);
  });

  it('steps many instructions in slices, exactly', async () => {
    const d = new Driver(fixtureSession({ checkpointEvery: 0 }));
    d.step(50_000);
    expect(d.getState().running).toBe(true);
    await stopped(d);
    expect(d.getState().status).toEqual({ reason: 'step', detail: 'stepped 50000' });
    expect(d.getState().snapshot.instret).toBe(50_000);
    d.step(3);
    expect(d.getState().snapshot.instret).toBe(50_003);
  });

  it('steps over a jal to the instruction after its delay slot', async () => {
    const s = fixtureSession({ checkpointEvery: 0 });
    const d = new Driver(s);
    const jal = s.symbolAddress('walk', 'b')! + 6 * 4;
    d.execute({ kind: 'break', breakpoint: { kind: 'pc', addr: jal, env: 'b' } });
    d.run();
    await stopped(d);
    expect(d.getState().snapshot.code.find((l) => l.current)!.text).toMatch(/^jal\t/);
    d.execute({ kind: 'delete', id: 'all' });
    d.execute({ kind: 'stepOver' });
    await stopped(d);
    expect(d.getState().status).toEqual({ reason: 'step', detail: 'stepped over the call' });
    expect(d.getState().snapshot.cpu.pc).toBe(jal + 8);
    expect(s.listBreakpoints()).toEqual([]);
  });

  it('steps back through a checkpoint', async () => {
    const s = fixtureSession({ checkpointEvery: 5_000 });
    const d = new Driver(s, { chunk: 5_000, sliceMs: 5 });
    d.run();
    await until(d, () => s.checkpointCycles().length >= 2, 'a checkpoint taken on the run');
    d.pause();
    const at = d.getState().snapshot.instret;
    expect(d.execute({ kind: 'stepBack', n: 7 })).toBeUndefined();
    expect(d.getState().snapshot.instret).toBe(at - 7);
    expect(d.getState().status.detail).toBe('stepped back 7');
  });

  it('toggles exception and event breakpoints for every environment', () => {
    const d = new Driver(fixtureSession());
    d.execute({ kind: 'toggleBreak', breakpoint: { kind: 'event', event: 'stlb-miss' } });
    expect(d.getState().breakpoints).toEqual([[1, { kind: 'event', event: 'stlb-miss', env: undefined }]]);
    expect(d.execute({ kind: 'toggleBreak', breakpoint: { kind: 'event', event: 'stlb-miss' } })).toEqual({ text: 'Breakpoint 1 removed' });
    expect(d.getState().breakpoints).toEqual([]);
  });

  it('resolves symbols, examines memory, dumps the TLB and kills', () => {
    const s = fixtureSession();
    const d = new Driver(s);
    s.run(30_000);
    expect(d.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'nope', offset: 0, env: 'b' } })).toEqual({ text: 'No symbol nope in b', error: true });
    expect(d.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'handler', offset: 4, env: 'b' } })!.text).toMatch(/^Breakpoint 1: pc 0x004000a8 in b$/);
    const x = d.execute({ kind: 'examine', env: 'b', at: { kind: 'symbol', name: 'dot', offset: 0 }, n: 2 })!;
    expect(x.popup!.lines).toEqual([expect.stringMatching(/^[0-9a-f]{8} {2}0000002e [0-9a-f]{8} +\.\.\.\./)]);
    expect(d.execute({ kind: 'examine', env: 'b', at: { kind: 'addr', addr: 0x20000000 }, n: 1 })!.popup!.lines[0]).toMatch(/--------/);
    expect(tlbDumpLines(d.getState().snapshot)).toHaveLength(65);
    expect(d.execute({ kind: 'breaks' })!.popup!.lines).toEqual(['  1  pc 0x004000a8 in b']);
    expect(d.execute({ kind: 'kill', env: 'b' })).toEqual({ text: 'Killed b' });
    expect(d.getState().snapshot.envs.find((e) => e.name === 'b')!.state).toBe('destroyed');
    expect(d.execute({ kind: 'kill', env: 'b' })).toEqual({ text: 'No live environment b', error: true });
  });

  it('asks an environment for frames back; hog gives them, and a second request is refused while one is pending', async () => {
    const s = revokeSession({ checkpointEvery: 0 });
    const d = new Driver(s);
    s.run(3_000_000);
    const before = d.getState().snapshot.cycle;
    const asked = d.execute({ kind: 'revoke', env: 'hog', what: 'frames', count: 4, window: 1_000_000 })!;
    expect(asked.text).toMatch(/^Asked hog for 4 frames back by cycle [\d,]+ \(c runs on to see it answer\)$/);
    const hog = () => d.getState().snapshot.envs.find((e) => e.name === 'hog')!;
    expect(hog().revoke).toEqual({ what: 'frames', count: 4, given: 0, deadline: expect.any(Number) });
    expect(d.getState().snapshot.cycle).toBeGreaterThan(before);
    expect(d.execute({ kind: 'revoke', env: 'hog', what: 'slices', count: 1 })).toEqual({ text: expect.stringMatching(/^Cannot revoke from hog: it has a revocation pending \(4 frames by cycle [\d,]+\)$/), error: true });
    d.execute({ kind: 'break', breakpoint: { kind: 'event', event: 'revoke-honoured' } });
    d.run();
    await stopped(d);
    expect(d.getState().status.detail).toBe('event revoke-honoured (hog)');
    expect(hog().revoke).toBeUndefined();
    expect(d.getState().snapshot.events.filter((e) => e.kind.startsWith('revoke')).map((e) => e.kind)).toEqual(['revoke-request', 'revoke-honoured']);
  });

  it('refuses to revoke from an environment that is not alive', () => {
    const d = new Driver(revokeSession({ checkpointEvery: 0 }));
    expect(d.execute({ kind: 'revoke', env: 'nobody', what: 'frames', count: 1 })).toEqual({ text: 'Cannot revoke from nobody: no live environment has that name', error: true });
    d.execute({ kind: 'kill', env: 'a' });
    expect(d.execute({ kind: 'revoke', env: 'a', what: 'slices', count: 1 })).toEqual({ text: 'Cannot revoke from a: no live environment has that name', error: true });
  });
});

describe('LiveDebugger: inject', () => {
  it('puts datagrams on the wire that the filter delivers to the owner, and says so', async () => {
    const { echoSession } = await import('../tui/fixtures/programs.js');
    const s = echoSession({ checkpointEvery: 0 });
    s.run(1_000_000);
    const d = new Driver(s);
    expect(d.execute({ kind: 'inject', packet: { kind: 'udp', to: '10.0.0.2', port: 7, fromPort: 5000, payload: 'hello' }, count: 2 }))
      .toEqual({ text: 'Injected 2 UDP datagrams to 10.0.0.2:7 ("hello"), 100,000 cycles apart (c runs on to see it arrive)' });
    s.run(400_000);
    const delivered = s.kernel.log.recent(1000).filter((e) => e.kind === 'packet-delivered');
    expect(delivered.length).toBeGreaterThanOrEqual(2);
    expect(d.execute({ kind: 'inject', packet: { kind: 'hex', bytes: 'zz' }, count: 1 })).toEqual({ text: expect.stringMatching(/^Cannot inject: Cannot read "zz" as hex bytes/), error: true });
    d.dispose();
  });
});

describe('LiveDebugger time travel', () => {
  it('steps back in slices with progress on the status line, and reverse-continues to the last hit', async () => {
    const s = fixtureSession();
    const d = new Driver(s, { sliceMs: 1, travelSlice: 2_000 });
    d.execute({ kind: 'break', breakpoint: { kind: 'exception', code: 2 } });
    const hits: number[] = [];
    for (let i = 0; i < 3; i++) { d.run(); await stopped(d); hits.push(d.getState().snapshot.cycle); }
    expect(d.getState().status.reason).toBe('breakpoint');
    const details: string[] = [];
    d.subscribe(() => details.push(d.getState().status.detail));
    d.execute({ kind: 'back', cycles: hits[2] - 1 });
    await stopped(d);
    expect(d.getState().snapshot.cycle).toBeLessThan(hits[0]);
    d.execute({ kind: 'goto', cycle: hits[2] });
    await stopped(d);
    expect(d.getState().snapshot.cycle).toBe(hits[2]);
    expect(d.execute({ kind: 'reverseContinue' })!.text).toMatch(/^reverse-continue: exception TLBL/);
    expect(d.getState().snapshot.cycle).toBe(hits[1]);
    expect(d.getState().status.detail).toMatch(/^reverse-continue: exception TLBL/);
    expect(details.some((t) => /replaying/.test(t))).toBe(true);
    d.dispose();
  });

  /** A session 2,000,000 cycles on, `a` long gone, with a breakpoint only `a` hit (its TLB misses). */
  function farBack(): Session {
    const s = fixtureSession({ checkpointEvery: 50_000 });
    s.run(2_000_000);
    s.addBreakpoint({ kind: 'exception', code: 2, env: 'a' });
    return s;
  }

  it('reverse-continue far back runs in slices, says where it searches, and lands where the search at once lands', async () => {
    const once = farBack();
    const want = execute(once, { kind: 'reverseContinue' });
    expect(want.ok).toBe(true);
    const s = farBack();
    const d = new Driver(s, { sliceMs: 0 });
    const details: string[] = [];
    d.subscribe(() => details.push(d.getState().status.detail));
    expect(d.execute({ kind: 'reverseContinue' })).toBeUndefined();
    expect(d.getState()).toMatchObject({ running: true, travelling: true });
    await stopped(d);
    expect(details.some((t) => /^reverse-continue: looking for a breakpoint hit between cycles [\d,]+ and [\d,]+ \(\d+% of the history searched\)/.test(t))).toBe(true);
    expect(d.getState()).toMatchObject({ running: false, travelling: false, status: { reason: 'step', detail: want.text } });
    expect(s.kernel.now()).toBe(once.kernel.now());
    d.dispose();
  });

  it('pausing a reverse search cancels it and travels back to where it began', async () => {
    const s = farBack();
    const here = s.kernel.now();
    const d = new Driver(s, { sliceMs: 0, travelSlice: 20_000 });
    d.execute({ kind: 'reverseContinue' });
    await until(d, () => s.kernel.now() !== here, 'the search to take the machine back');
    expect(d.getState().running).toBe(true);
    expect(d.pause()).toEqual({ text: 'Search cancelled: going back to where it started (space stops there)' });
    await stopped(d);
    expect(s.kernel.now()).toBe(here);
    expect(d.getState().status.detail).toBe(`reverse-continue cancelled: back at cycle ${here}`);
    d.dispose();
  });
});
