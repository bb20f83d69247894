// Where a run stops does not depend on how it is sliced: a replay, a
// debugger's run and a reverse search cut the same run into budgets of
// different sizes (replay's SLICE, the debugger's chunks and pace, the
// searches' slices), and a breakpoint reached exactly where one budget
// ends must stop the next run there, not be resumed past as if the user
// had seen it. Both kernels; and reverse-continue and reverse-next on the
// monolithic kernel (travel.ts's Rewindable), landing where a fresh run
// stops.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/index.js';
import { MonoDebugger, MonoSession, monoSnapshotContext, parseScenario, replay, sessionFromScenario, takeMonoSnapshot, type LogLine } from '../../src/session/index.js';
import { waitFor } from '../tui/fixtures/wait.js';

const ROOT = join(import.meta.dirname, '..', '..');
const kernel = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');
const boot = (every = 0) => new MonoSession({ image: kernel, args: ['bench-pipe', '20'], checkpointEvery: every });

/** The log lines of a replay of `text` to cycle `until`, runs of `slice` cycles (default: replay's own). */
function lines(text: string, until: number, slice?: number): string[] {
  const out: LogLine[] = [];
  replay(parseScenario(text, 'scenarios/sliced.yaml'), { until, slice, onLine: (l) => out.push(l) });
  return out.map((l) => JSON.stringify(l));
}

/** The cycles at which a pc breakpoint on `symbol` stops a MonoSession run in budgets of `slice` cycles, to its halt or cycle `until`. */
function monoHits(symbol: string, slice: number, until = Infinity): number[] {
  const s = boot();
  s.addBreakpoint({ kind: 'symbol', symbol });
  const hits: number[] = [];
  let continuing = false;
  while (s.cycle < until) {
    const st = s.run(Math.min(slice, until - s.cycle), continuing);
    if (st.reason === 'breakpoint') hits.push(st.cycle);
    if (st.reason === 'end') break;
    continuing = st.reason !== 'breakpoint';
  }
  return hits;
}

/** Everything a snapshot shows but the stop that led there. */
function seen(s: MonoSession): unknown {
  const { stop: _, ...rest } = takeMonoSnapshot(s, monoSnapshotContext(s), [], { events: 100_000 });
  return rest;
}

describe('slicing', () => {
  it('an exokernel replay logs the same breakpoint stops in runs of 7 cycles as in runs of millions', () => {
    const text = [
      'name: sliced',
      'environments:',
      '  - { name: memwalk, image: exos-memwalk, args: ["64", "2"] }',
      'breakpoints:',
      '  - { pc: exos_upcall, env: memwalk }',
      '',
    ].join('\n');
    const whole = lines(text, 400_000);
    const notes = whole.filter((l) => l.includes('"note"') && l.includes('breakpoint'));
    // Every upcall the kernel dispatches to exos_upcall (0x402530) stops the run there once.
    const upcalls = whole.filter((l) => l.includes('"dispatch"') && l.includes(`"handler":${0x402530}`));
    expect(upcalls.length).toBeGreaterThan(20);
    expect(notes.length).toBe(upcalls.length);
    expect(lines(text, 400_000, 7)).toEqual(whole);
  });

  it('a breakpoint on a load that faults stops once per execution: continuing, the handler runs and the load is executed again without a second stop', () => {
    // memwalk's first pass checks 64 words of each of its 64 fresh pages (src/exos/apps/memwalk.c):
    // the check's load misses on each page's first word, and ExOS's handler maps the page and returns to it.
    const walk = ['name: sliced', 'environments:', '  - { name: memwalk, image: exos-memwalk, args: ["64", "2"] }', ''].join('\n');
    const faults = lines(walk, 2_000_000).map((l) => JSON.parse(l)).filter((l) => l.kind === 'event' && l.event.kind === 'dispatch' && l.event.exc === 'TLBL');
    expect(faults.length).toBe(64);
    const at = faults[0].event.epc;
    expect(faults.every((f) => f.event.epc === at)).toBe(true);
    const text = `${walk}breakpoints:\n  - { pc: ${at}, env: memwalk }\n`;
    expect(lines(text, 2_000_000).filter((l) => l.includes('breakpoint: ')).length).toBe(64 * 64);
    // Sliced, the first part of the walk (a few hundred stops, faults among them) logs the same.
    const part = lines(text, 500_000);
    expect(part.filter((l) => l.includes('"dispatch"')).length).toBeGreaterThan(8);
    expect(lines(text, 500_000, 7)).toEqual(part);
  });

  it('continuing after a step back stops at the same hits as the straight run, and the event history is the same byte for byte', () => {
    const walk = ['name: sliced', 'environments:', '  - { name: memwalk, image: exos-memwalk, args: ["64", "2"] }', ''].join('\n');
    const at = lines(walk, 2_000_000).map((l) => JSON.parse(l)).find((l) => l.kind === 'event' && l.event.kind === 'dispatch')!.event.epc;
    const open = () => {
      const s = sessionFromScenario(parseScenario(walk, 'scenarios/sliced.yaml'), { checkpointEvery: 50_000 });
      s.addBreakpoint({ kind: 'pc', addr: at, env: 'memwalk' });
      return s;
    };
    const straight = open(), hits: number[] = [];
    for (let i = 0; i < 200; i++) hits.push(straight.run(5_000_000).cycle);
    const s = open();
    for (let i = 0; i < 120; i++) s.run(5_000_000);
    expect(s.kernel.now()).toBe(hits[119]);
    // Back a few instructions (before the 120th hit), then on: the 120th again, then the rest as before.
    expect(typeof s.stepBack(3)).toBe('object');
    const again: number[] = [];
    for (let i = 119; i < 200; i++) again.push(s.run(5_000_000).cycle);
    expect(again).toEqual(hits.slice(119));
    const log = (x: typeof s) => x.history.slice(0, x.history.length).map((e) => JSON.stringify(e));
    expect(log(s)).toEqual(log(straight));
  });

  it('a monolithic replay logs the same breakpoint stops in runs of 7 cycles as in runs of millions', () => {
    const text = [
      'name: sliced',
      'kernel: monolithic',
      'program: bench-pipe',
      'args: ["5"]',
      'breakpoints:',
      '  - { pc: sys_write }',
      '',
    ].join('\n');
    const whole = lines(text, 3_000_000);
    // Five round trips: a write each way per trip, and the result line's.
    expect(whole.filter((l) => l.includes('breakpoint: ')).length).toBe(11);
    expect(lines(text, 3_000_000, 7)).toEqual(whole);
  });

  it('a MonoSession stops at the same cycles whatever the budgets, one of which ends exactly at a hit', () => {
    const whole = monoHits('sys_write', 1e9);
    expect(whole.length).toBe(41);
    // The first dozen hits, in budgets of every size down to 3 cycles.
    const until = whole[11] + 1;
    for (const slice of [1_000, 7, 3]) expect(monoHits('sys_write', slice, until), `budgets of ${slice}`).toEqual(whole.slice(0, 12));
    // A budget that ends exactly where the breakpoint is reached: the next run carries on and stops there.
    const s = boot();
    s.addBreakpoint({ kind: 'symbol', symbol: 'sys_write' });
    expect(s.run(whole[0]).reason).toBe('budget');
    expect(s.run(1e9, true)).toMatchObject({ reason: 'breakpoint', cycle: whole[0] });
    // Resumed (not continuing), the same breakpoint is stepped past, as a debugger's continue does.
    expect(s.run(1e9).cycle).toBe(whole[1]);
  });

  it('the monolithic debugger\'s run stops at every hit when its chunks are a few cycles', async () => {
    const whole = monoHits('sys_write', 1e9);
    const s = boot();
    const d = new MonoDebugger(s, { now: () => performance.now(), args: [], chunk: 5 });
    s.addBreakpoint({ kind: 'symbol', symbol: 'sys_write' });
    for (const at of whole.slice(0, 4)) {
      d.execute({ kind: 'continue' });
      await waitFor(() => !d.running, 'the run to stop', () => JSON.stringify(d.getState().status));
      expect(s.cycle).toBe(at);
    }
    d.dispose();
  });

  it('reverse-continue on the monolithic kernel goes back to the last hit before now, the same state as a fresh run stopped there', async () => {
    const whole = monoHits('sys_write', 1e9);
    const s = boot(200_000);
    const d = new MonoDebugger(s, { now: () => performance.now(), args: [] });
    expect(whole[7] - whole[6]).toBeGreaterThan(100);
    s.run(whole[6] + 100);
    s.addBreakpoint({ kind: 'symbol', symbol: 'sys_write' });
    d.execute({ kind: 'reverseContinue' });
    await waitFor(() => !d.running, 'the search to end', () => JSON.stringify(d.getState().status));
    expect(s.cycle).toBe(whole[6]);
    expect(d.getState().status.detail).toMatch(/^reverse-continue: breakpoint 1/);
    const fresh = boot();
    fresh.run(whole[6]);
    fresh.addBreakpoint({ kind: 'symbol', symbol: 'sys_write' });
    expect(seen(s)).toEqual(seen(fresh));
    // Again: the hit before that one.
    d.execute({ kind: 'reverseContinue' });
    await waitFor(() => !d.running, 'the search to end', () => JSON.stringify(d.getState().status));
    expect(s.cycle).toBe(whole[5]);
    d.dispose();
  });

  it('reverse-continue with no breakpoint hit before now says so and stays where it was', async () => {
    const s = boot(200_000);
    const d = new MonoDebugger(s, { now: () => performance.now(), args: [] });
    s.run(300_000);
    const before = seen(s);
    s.addBreakpoint({ kind: 'symbol', symbol: 'sys_write' });
    const said = d.execute({ kind: 'reverseContinue' });
    await waitFor(() => !d.running, 'the search to end', () => JSON.stringify(d.getState().status));
    expect(said?.text ?? d.getState().status.detail).toMatch(/No breakpoint hit before cycle/);
    expect(seen(s)).toEqual(before);
    d.dispose();
  });

  it('reverse-next on the monolithic kernel steps back over a call to the call itself', async () => {
    const s = boot(200_000);
    const d = new MonoDebugger(s, { now: () => performance.now(), args: [] });
    const main = s.addBreakpoint(s.resolveBreakpoint({ kind: 'symbol', symbol: 'main' }) as { kind: 'pc'; addr: number });
    expect(s.run(10_000_000).reason).toBe('breakpoint');
    s.removeBreakpoint(main);
    const isCall = () => {
      const w = s.readWord(s.machine.cpu.pc >>> 0) ?? 0;
      return (w >>> 26) === 3; // jal
    };
    for (let i = 0; i < 1000 && !isCall(); i++) s.step(1);
    expect(isCall()).toBe(true);
    const call = s.machine.cpu.pc >>> 0, atCall = s.instret;
    d.execute({ kind: 'stepOver' });
    await waitFor(() => !d.running, 'the step over to end', () => JSON.stringify(d.getState().status));
    expect(s.machine.cpu.pc >>> 0).toBe((call + 8) >>> 0);
    d.execute({ kind: 'reverseNext' });
    await waitFor(() => !d.running, 'the reverse-next to end', () => JSON.stringify(d.getState().status));
    expect(s.machine.cpu.pc >>> 0).toBe(call);
    expect(s.instret).toBe(atCall);
    d.dispose();
  });
});
