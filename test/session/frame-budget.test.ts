// The share of the CPU that frames take while the machine runs flat out
// (LiveDebugger's UI_SHARE): measured in CPU time (DebuggerOptions.cpuNow),
// so that time the process spends descheduled on a busy host is not
// taken for drawing.

import { describe, expect, it } from 'vitest';
import { LiveDebugger } from '../../src/session/index.js';
import { fixtureSession } from '../tui/fixtures/programs.js';

/**
 * Runs a debugger for `slices` slices on fake clocks: a slice costs 2 ms of
 * CPU and of wall time; each publish (a frame) costs `drawCpu` ms of CPU and
 * `drawWall` ms of wall time. Returns the frames drawn and the CPU spent.
 */
function run(slices: number, drawCpu: number, drawWall: number): { frames: number; cpu: number } {
  let wall = 0, cpu = 0, frames = 0, drawn = false;
  const queue: (() => void)[] = [];
  const session = fixtureSession();
  const runOnce = session.run.bind(session);
  session.run = (...a: Parameters<typeof session.run>) => { wall += 2; cpu += 2; return runOnce(...a); };
  const d = new LiveDebugger(session, {
    now: () => wall, cpuNow: () => cpu, sliceMs: 0, chunk: 2000,
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
  return { frames, cpu };
}

describe('the frame budget while running flat out', () => {
  it('gives frames about a tenth of the CPU, however long the process waited between slices', () => {
    for (const drawWall of [5, 50]) {
      const { frames, cpu } = run(3000, 5, drawWall);
      const share = (frames * 5) / cpu;
      expect(share).toBeGreaterThan(0.07);
      expect(share).toBeLessThanOrEqual(0.105);
    }
  });

  it('draws no more often than publishHz, however cheap a frame is', () => {
    const { frames } = run(3000, 0.1, 0.1);
    // 3000 slices of 2 ms: 6 s of wall time at 15 frames a second.
    expect(frames).toBeLessThanOrEqual(6 * 15 + 1);
    expect(frames).toBeGreaterThan(6 * 15 * 0.8);
  });
});
