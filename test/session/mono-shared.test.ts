// The monolithic kernel's session on the exokernel session's shared parts
// (docs/architecture.md, "The session" and "Time travel"): the one
// breakpoint table, whose hits are kept by cycle; the one checkpointing
// and its store, through which every point travelled to equals a fresh
// run stopped there; the event history, bounded in memory as the
// exokernel's is; and the LiveDebugger's run loop under the MonoDebugger.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/index.js';
import { MAX_PACE, MonoDebugger, MonoSession, monoSnapshotContext, parsePace, takeMonoSnapshot, type MonoSetup } from '../../src/session/index.js';
import type { MonoEvent } from '../../src/monolithic/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const kernel = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');
const boot = (args: string[], more: Partial<MonoSetup> = {}) => new MonoSession({ image: kernel, args, checkpointEvery: 0, ...more });

/** Everything a snapshot shows but the stop that led there. */
function seen(s: MonoSession): unknown {
  const { stop: _, ...rest } = takeMonoSnapshot(s, monoSnapshotContext(s), [], { events: 100_000 });
  return rest;
}

/** A fresh session (no checkpoints) run to instruction `instret`. */
function freshAt(args: string[], instret: number): MonoSession {
  const f = boot(args);
  f.step(instret);
  return f;
}

describe('MonoSession breakpoints: the one breakpoint table', () => {
  it('counts a hit seen again after travelling back as the same hit, and none of those after the point travelled to', () => {
    const s = boot(['bench-pipe', '5'], { checkpointEvery: 100_000 });
    const id = s.addBreakpoint({ kind: 'event', event: 'syscall' });
    const first = [s.run(10_000_000), s.run(10_000_000), s.run(10_000_000)];
    expect(first.map((r) => r.hit?.id)).toEqual([id, id, id]);
    expect(s.hitCount(id)).toBe(3);
    const back = s.travelNow({ cycle: first[0].cycle + 1 }, 'back');
    expect(typeof back === 'string' ? back : back.cycle).toBeLessThan(first[1].cycle);
    expect(s.hitCount(id)).toBe(1);
    const again = [s.run(10_000_000), s.run(10_000_000)];
    expect(again.map((r) => [r.reason, r.cycle])).toEqual(first.slice(1).map((r) => ['breakpoint', r.cycle]));
    expect(s.hitCount(id)).toBe(3);
  });

  it('a breakpoint on a kernel entry the session watches stops there, and removing it keeps the session\'s own watch: every event is still seen', () => {
    const s = boot(['bench-pipe', '5']);
    const addr = kernel.symbols.find((x) => x.name === 'syscall')!.value >>> 0;
    const id = s.addBreakpoint({ kind: 'symbol', symbol: 'syscall' });
    const hit = s.run(10_000_000);
    expect(hit.reason).toBe('breakpoint');
    expect(s.machine.cpu.pc >>> 0).toBe(addr);
    // The entry was observed at that very boundary, before the stop.
    expect(s.history.at(s.history.length - 1)).toMatchObject({ kind: 'syscall', cycle: hit.cycle });
    s.removeBreakpoint(id);
    expect(s.machine.cpu.breakpoints.has(addr)).toBe(true);
    while (s.run(5_000_000).reason === 'budget');
    const fresh = boot(['bench-pipe', '5']);
    while (fresh.run(5_000_000).reason === 'budget');
    expect(s.history.slice(0)).toEqual(fresh.history.slice(0));
  });
});

describe('MonoSession time travel: the one checkpointing', () => {
  it('thins its checkpoints on the store\'s ladder within its limits, and every step back from a breakpoint equals a fresh run stopped there', () => {
    const args = ['bench-pipe', '20'];
    const s = boot(args, { checkpointEvery: 10_000, checkpointLimits: { maxCount: 6 } });
    const id = s.addBreakpoint({ kind: 'event', event: 'exit' });
    const stop = s.run(10_000_000);
    expect(stop).toMatchObject({ reason: 'breakpoint', hit: { id } });
    // Over 200,000 cycles at a spacing of 10,000, the boot state and at most six others are kept.
    const cycles = s.checkpointCycles();
    expect(cycles[0]).toBe(0);
    expect(cycles.length).toBeLessThanOrEqual(7);
    expect(cycles.length).toBeGreaterThan(2);
    for (const n of [1, 777, 54_321, stop.instret - 3]) {
      const r = s.stepBack(s.instret - (stop.instret - n));
      expect(typeof r === 'string' ? r : r.instret).toBe(stop.instret - n);
      expect(seen(s), `${n} back`).toEqual(seen(freshAt(args, stop.instret - n)));
      expect(s.hitCount(id)).toBe(0);
      s.travelNow({ instret: stop.instret }, 'to the stop');
    }
    // Back at the stop: the hit that stopped there is counted again, the state is the stop's.
    expect(s.hitCount(id)).toBe(1);
    expect(seen(s)).toEqual(seen(freshAt(args, stop.instret)));
  });

  it('goes to cycles back and forward, each the first boundary at or past it, as a fresh run to that cycle shows', () => {
    const args = ['bench-pipe', '10'];
    const s = boot(args, { checkpointEvery: 50_000 });
    for (const cycle of [400_000, 250_000, 520_000, 3, 333_333]) {
      const r = s.travelNow({ cycle }, `at cycle ${cycle}`);
      const fresh = boot(args);
      fresh.run(cycle);
      expect(typeof r === 'string' ? r : r.cycle).toBe(fresh.cycle);
      expect(seen(s), `at cycle ${cycle}`).toEqual(seen(fresh));
    }
  });

  it('a session without checkpoints cannot go back, and nothing goes before boot', () => {
    const s = boot(['bench-pipe', '5']);
    s.run(100_000);
    expect(s.travel({ cycle: 50_000 }, 'back')).toBe('this session keeps no checkpoints');
    expect(s.travel({ instret: -1 }, 'before')).toBe('that is before boot');
  });
});

describe('MonoSession events: a bounded history', () => {
  it('forgets its oldest chunks past the bound of its spill file, and time travel reaches back to the first checkpoint after them', () => {
    const heard: MonoEvent[] = [];
    const s = boot(['bench-pipe', '4000'], { checkpointEvery: 1_000_000, historyLimits: { memoryBytes: 1, spillBytes: 100_000 } });
    s.onEvent((e) => heard.push(e));
    while (s.run(5_000_000).reason === 'budget');
    const h = s.history;
    expect(h.first).toBeGreaterThanOrEqual(4096);
    expect(h.spilled).toBeLessThanOrEqual(100_000);
    expect(h.slice(0)).toEqual(heard.slice(h.first));
    const end = s.cycle;
    expect(s.travelNow({ cycle: 0 }, 'start')).toMatch(/^time travel reaches back to cycle [\d,]+ only/);
    expect(s.cycle).toBe(end);
    const first = s.checkpointCycles()[0];
    expect(heard[h.first].cycle).toBeLessThanOrEqual(first);
    const r = s.travelNow({ cycle: first + 100_000 }, 'back');
    expect(typeof r).not.toBe('string');
    expect(h.slice(0)).toEqual(heard.slice(h.first, h.length));
  });


  it('keeps every event in sealed, deflated chunks, the oldest spilled past its memory bound, all readable, and cut back by travel', () => {
    const heard: MonoEvent[] = [];
    const s = boot(['bench-pipe', '1500'], { checkpointEvery: 1_000_000, historyLimits: { memoryBytes: 1 } });
    s.onEvent((e) => heard.push(e));
    while (s.run(5_000_000).reason === 'budget');
    // More than two chunks of 4,096 events: one sealed chunk stays in memory, the older are in the spill file.
    expect(heard.length).toBeGreaterThan(2 * 4096);
    expect(s.history.length).toBe(heard.length);
    expect(s.history.spilled).toBeGreaterThan(0);
    expect(s.history.bytes).toBeLessThan(JSON.stringify(heard).length / 3);
    expect(s.history.slice(0)).toEqual(heard);
    const snap = takeMonoSnapshot(s, monoSnapshotContext(s), [], { events: 1000 }).mono!;
    expect(snap.eventsTotal).toBe(heard.length);
    expect(snap.events).toEqual(heard.slice(-1000));
    // Back into the first chunk (the replay from the checkpoint is heard again): the history holds what the first run recorded up to there.
    const all = heard.slice();
    s.travelNow({ cycle: all[1000].cycle }, 'back');
    expect(s.history.length).toBe(all.filter((e) => e.cycle < s.cycle).length);
    expect(s.history.slice(0)).toEqual(all.slice(0, s.history.length));
  });

  it('keeps none when told not to (a headless replay), while its listeners hear every event', () => {
    const heard: MonoEvent[] = [];
    const s = boot(['bench-pipe', '100'], { history: false });
    s.onEvent((e) => heard.push(e));
    while (s.run(5_000_000).reason === 'budget');
    expect(heard).toHaveLength(636);
    expect(s.history.length).toBe(0);
  });
});

describe('MonoDebugger: the LiveDebugger\'s run loop', () => {
  /**
   * Runs the debugger flat out for `slices` slices on fake clocks, as
   * test/session/frame-budget.test.ts does the LiveDebugger: a slice costs
   * 2 ms, a frame `draw` ms, of CPU and wall time alike. Returns the
   * frames drawn and the wall time.
   */
  function frames(slices: number, draw: number): { frames: number; wall: number } {
    let wall = 0, n = 0, drawn = false;
    const queue: (() => void)[] = [];
    const s = boot(['bench-pipe', '1000']);
    const runOnce = s.run.bind(s);
    s.run = (cycles: number) => { wall += 2; return runOnce(cycles); };
    const d = new MonoDebugger(s, {
      now: () => wall, sliceMs: 0, chunk: 500, args: [],
      schedule: (fn) => { queue.push(fn); return () => { const i = queue.indexOf(fn); if (i >= 0) queue.splice(i, 1); }; },
    });
    d.execute({ kind: 'continue' });
    d.subscribe(() => { drawn = true; });
    for (let i = 0; i < slices && queue.length; i++) {
      queue.shift()!();
      if (drawn) { n++; wall += draw; drawn = false; }
    }
    expect(d.running).toBe(true);
    d.dispose();
    return { frames: n, wall };
  }

  it('draws cheap frames at most publishHz a second, and expensive ones on the 90 ms grid, about eleven a second', () => {
    const cheap = frames(3000, 0.1);
    expect(cheap.frames / (cheap.wall / 1000)).toBeLessThanOrEqual(15.5);
    expect(cheap.frames / (cheap.wall / 1000)).toBeGreaterThan(12);
    for (const draw of [30, 45]) {
      const dear = frames(3000, draw);
      expect(dear.frames / (dear.wall / 1000)).toBeGreaterThanOrEqual(10);
      expect(dear.frames / (dear.wall / 1000)).toBeLessThan(11.5);
    }
  });
});

describe('MonoDebugger: a run at a pace, as the exokernel debugger\'s', () => {
  it('runs about its pace of emulated cycles per host second, + and - change it while it runs, and every pace runs the same machine', () => {
    // A virtual host clock (test/session/pace.test.ts): every reading moves it 10 µs; a paced wait moves it on by its milliseconds.
    let t = 0;
    const queue: (() => void)[] = [];
    const s = boot(['bench-pipe', '1000']);
    const d = new MonoDebugger(s, {
      now: () => (t += 0.01), pace: parsePace('1/100')!, sliceMs: 0.05, args: [],
      schedule: (fn) => { queue.push(fn); return () => { const i = queue.indexOf(fn); if (i >= 0) queue.splice(i, 1); }; },
      delay: (fn, ms) => { const run = () => { t += ms; fn(); }; queue.push(run); return () => { const i = queue.indexOf(run); if (i >= 0) queue.splice(i, 1); }; },
    });
    const drive = (until: number) => { while (queue.length && t < until) queue.shift()!(); };
    expect(d.getState().pace).toBe('1/100 (250 kHz)');
    d.execute({ kind: 'continue' });
    drive(2000);
    // 250,000 cycles a second for 2 s (a system call may overshoot a little).
    expect(s.cycle).toBeGreaterThan(450_000);
    expect(s.cycle).toBeLessThan(560_000);
    expect(d.execute({ kind: 'pace', delta: -1 })).toEqual({ text: 'Pace: 1/30 (833 kHz)' });
    const c0 = s.cycle, t0 = t;
    drive(t0 + 1000);
    expect(s.cycle - c0).toBeGreaterThan(760_000);
    expect(s.cycle - c0).toBeLessThan(900_000);
    d.execute({ kind: 'pace', index: MAX_PACE });
    expect(d.getState().pace).toBe('max');
    d.pause();
    // The paced run is the same machine a run flat out to that cycle is.
    const fresh = boot(['bench-pipe', '1000']);
    fresh.run(s.cycle);
    expect(fresh.cycle).toBe(s.cycle);
    expect(seen(s)).toEqual(seen(fresh));
    d.dispose();
  });
});

describe('MonoDebugger: the exokernel debugger\'s commands over the shared parts', () => {
  /** Calls `d`'s scheduled slices until it stops (at most `max`). */
  function settle(d: MonoDebugger, queue: (() => void)[], max = 10_000): void {
    for (let i = 0; i < max && d.running && queue.length; i++) queue.shift()!();
  }
  const opened = (more: Partial<MonoSetup> = {}) => {
    const queue: (() => void)[] = [];
    const s = boot(['bench-pipe', '10'], { checkpointEvery: 100_000, ...more });
    const d = new MonoDebugger(s, { now: () => 0, sliceMs: 0, args: [], travelSlice: 50_000, schedule: (fn) => { queue.push(fn); return () => { const i = queue.indexOf(fn); if (i >= 0) queue.splice(i, 1); }; } });
    return { s, d, queue };
  };

  it('replays a long travel in slices, saying how far it has come, to what a fresh run there shows', () => {
    const { s, d, queue } = opened();
    expect(d.execute({ kind: 'goto', cycle: 420_000 })).toBeUndefined();
    expect(d.running).toBe(true);
    queue.shift()!();
    expect(d.getState()).toMatchObject({ running: true, travelling: true, status: { reason: 'running', detail: expect.stringMatching(/^at cycle 420,000: replaying, \d+%$/) } });
    settle(d, queue);
    const fresh = boot(['bench-pipe', '10']);
    fresh.run(420_000);
    expect(d.getState().status).toEqual({ reason: 'step', detail: `at cycle 420,000 (cycle 420,000, instruction ${fresh.instret.toLocaleString('en-US')})` });
    expect(seen(s)).toEqual(seen(fresh));
    d.dispose();
  });

  it('restarts from boot with its breakpoints kept, as the exokernel\'s restart does', () => {
    const { s, d, queue } = opened();
    expect(d.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'sys_fork' } })).toEqual({ text: expect.stringMatching(/^Breakpoint 1: pc 0x[0-9a-f]{8} <sys_fork>$/) });
    d.execute({ kind: 'continue' });
    settle(d, queue);
    expect(d.getState().status).toEqual({ reason: 'breakpoint', detail: 'breakpoint 1' });
    expect(d.execute({ kind: 'breaks' })).toEqual({ popup: { title: 'Breakpoints (:delete <id> removes one)', lines: [expect.stringMatching(/^ {2}1 {2}pc 0x[0-9a-f]{8} <sys_fork> {2}\(hit 1 time\)$/)] } });
    expect(d.execute({ kind: 'restart' })).toEqual({ text: 'Restarted the scenario from the start (breakpoints kept)' });
    expect(d.getState().status).toEqual({ reason: 'step', detail: 'restarted from the start' });
    expect(seen(s)).toEqual(seen(boot(['bench-pipe', '10'])));
    expect(d.execute({ kind: 'breaks' })?.popup?.lines).toEqual([expect.stringMatching(/<sys_fork>$/)]);
    // The event breakpoint's toggle and delete are the exokernel debugger's commands (command.ts).
    expect(d.execute({ kind: 'toggleBreak', breakpoint: { kind: 'event', event: 'exit' } })).toEqual({ text: 'Breakpoint 2: event exit' });
    expect(d.execute({ kind: 'toggleBreak', breakpoint: { kind: 'event', event: 'exit' } })).toEqual({ text: 'Breakpoint 2 removed' });
    expect(d.execute({ kind: 'delete', id: 7 })).toEqual({ text: 'No breakpoint 7', error: true });
    expect(d.execute({ kind: 'delete', id: 'all' })).toEqual({ text: 'Removed breakpoint 1' });
    expect(d.getState().breakpoints).toEqual([]);
    d.dispose();
  });
});
