// The frames a LiveDebugger publishes while the machine runs flat out
// (run-loop.ts): about 3% of the CPU (UI_SHARE, measured in CPU time,
// DebuggerOptions.cpuNow) when that still gives ten or more a second, at
// most publishHz a second, and at least ten a second of wall time however
// busy the host is, on a grid of MAX_FRAME_GAP_MS (about eleven a second)
// when frames are expensive.

import { describe, expect, it } from 'vitest';
import { LiveDebugger } from '../../src/session/index.js';
import { fixtureSession } from '../tui/fixtures/programs.js';

/**
 * Runs a debugger for `slices` slices on fake clocks: a slice costs 2 ms of
 * CPU and `share` times that of wall time (the process gets `share` of a
 * CPU); each publish (a frame) costs `drawCpu` ms of CPU and `drawWall` ms
 * of wall time. Returns the frames drawn, the CPU and the wall time spent.
 */
function run(slices: number, drawCpu: number, drawWall: number, share = 1): { frames: number; cpu: number; wall: number } {
  let wall = 0, cpu = 0, frames = 0, drawn = false;
  const queue: (() => void)[] = [];
  const session = fixtureSession();
  const runOnce = session.run.bind(session);
  session.run = (...a: Parameters<typeof session.run>) => { wall += 2 / share; cpu += 2; return runOnce(...a); };
  // Slices of 200 cycles: the fake clocks charge a slice 2 ms whatever it runs.
  const d = new LiveDebugger(session, {
    now: () => wall, cpuNow: () => cpu, sliceMs: 0, chunk: 200,
    schedule: (fn) => { queue.push(fn); return () => { const i = queue.indexOf(fn); if (i >= 0) queue.splice(i, 1); }; },
  });
  d.execute({ kind: 'continue' });
  d.subscribe(() => { drawn = true; });
  for (let i = 0; i < slices && queue.length; i++) {
    queue.shift()!();
    // React and Ink draw after the slice that published returns.
    if (drawn) { frames++; cpu += drawCpu; wall += drawWall; drawn = false; }
  }
  d.dispose();
  return { frames, cpu, wall };
}

describe('the frame budget while running flat out', () => {
  it('gives frames about 3% of the CPU when that makes more than the grid\'s eleven a second', () => {
    // Frames of 2.4 ms: one every 80 ms of CPU, 12.5 a second.
    const { frames, cpu, wall } = run(3000, 2.4, 2.4);
    const share = (frames * 2.4) / cpu;
    expect(share).toBeGreaterThan(0.025);
    expect(share).toBeLessThanOrEqual(0.0315);
    expect(frames / (wall / 1000)).toBeGreaterThan(11.5);
  });

  it('gives frames no more than the grid when 3% of the CPU would give fewer', () => {
    // Frames of 4 ms: 3% of the CPU is 7.5 frames a second; the grid makes eleven.
    const { frames, wall } = run(3000, 4, 4);
    expect(frames / (wall / 1000)).toBeGreaterThanOrEqual(10);
    expect(frames / (wall / 1000)).toBeLessThan(11.5);
  });

  it('draws at least ten frames a wall second when the host gives the process a third of a CPU, or frames cost more', () => {
    for (const [drawCpu, share] of [[5, 1 / 3], [30, 1]]) {
      const { frames, wall } = run(3000, drawCpu, drawCpu / share, share);
      expect(frames / (wall / 1000)).toBeGreaterThanOrEqual(10);
      expect(frames / (wall / 1000)).toBeLessThan(13);
    }
  });

  it('keeps expensive frames to the grid, about eleven a second, however late each comes', () => {
    // Frames of 10 to 40 ms of CPU, 15 to 50 of wall time, slices of 2 to 10 ms of wall time: a frame comes up to a slice late, and its draw takes wall time too.
    for (const [drawCpu, share] of [[15, 1], [40, 1], [10, 1 / 3], [20, 1 / 2], [10, 1 / 5]]) {
      const { frames, wall } = run(6000, drawCpu, drawCpu / share, share);
      const perSecond = frames / (wall / 1000);
      expect(perSecond).toBeGreaterThanOrEqual(10);
      expect(perSecond).toBeLessThan(11.5);
    }
  });

  it('draws no more often than publishHz, however cheap a frame is', () => {
    const { frames } = run(3000, 0.1, 0.1);
    // 3000 slices of 2 ms: 6 s of wall time at 15 frames a second.
    expect(frames).toBeLessThanOrEqual(6 * 15 + 1);
    expect(frames).toBeGreaterThan(6 * 15 * 0.8);
  });
});

describe('the calls of a run at full speed', () => {
  it('runs the machine 100,000 cycles a call by default (fewer calls, each with its own checks, leave more to the emulator)', () => {
    const session = fixtureSession({ checkpointEvery: 0 });
    const budgets: number[] = [];
    const runOnce = session.run.bind(session);
    session.run = (...a: Parameters<typeof session.run>) => { budgets.push(a[0]); return runOnce(...a); };
    const queue: (() => void)[] = [];
    let wall = 0;
    // A slice of 10 ms of wall time: the fake clock moves a millisecond a call.
    const d = new LiveDebugger(session, {
      now: () => (wall += 1), schedule: (fn) => { queue.push(fn); return () => { const i = queue.indexOf(fn); if (i >= 0) queue.splice(i, 1); }; },
    });
    d.execute({ kind: 'continue' });
    for (let i = 0; i < 3 && queue.length; i++) queue.shift()!();
    d.dispose();
    expect(budgets.length).toBeGreaterThan(3);
    expect(new Set(budgets)).toEqual(new Set([100_000]));
  });
});
