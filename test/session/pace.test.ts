// Pacing (src/session/pace.ts and the LiveDebugger's paced runs): the
// paces and their labels, a paced run going at its pace on the host clock,
// the same machine run at every pace, and restarting from the start.

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PACE, LiveDebugger, MAX_PACE, PACES, paceLabel, paceMoved, parsePace, parseScenario, ScenarioRun, sessionFromScenario,
  type Session,
} from '../../src/session/index.js';
import { fixtureSession } from '../tui/fixtures/programs.js';

/**
 * A debugger on a virtual host clock: slices run when `drive` says, and a
 * paced wait moves the clock on by its milliseconds; every reading of the
 * clock moves it 10 µs, and a slice lasts at most 50 µs (so that a slice
 * at maximum speed ends after a few chunks, of 20,000 cycles: the tests
 * stop the run within about 100,000 cycles of where they look).
 * Nothing waits for real time.
 */
function virtual(s: Session, pace: number) {
  let t = 0;
  const queue: (() => void)[] = [];
  const d = new LiveDebugger(s, {
    now: () => (t += 0.01), pace, sliceMs: 0.05, chunk: 20_000,
    schedule: (fn) => { queue.push(fn); return () => { const i = queue.indexOf(fn); if (i >= 0) queue.splice(i, 1); }; },
    delay: (fn, ms) => { const run = () => { t += ms; fn(); }; queue.push(run); return () => { const i = queue.indexOf(run); if (i >= 0) queue.splice(i, 1); }; },
  });
  /** Runs queued slices until `done` or the queue is empty. */
  const drive = (done: () => boolean) => { while (queue.length && !done()) queue.shift()!(); };
  return { d, drive, clock: () => t };
}

describe('paces', () => {
  it('go from maximum speed through real time to slow motion of a few cycles a frame', () => {
    expect(PACES[MAX_PACE]).toBe(Infinity);
    expect(paceLabel(MAX_PACE, 25_000_000, 15)).toBe('max');
    expect(paceLabel(parsePace('real')!, 25_000_000, 15)).toBe('real time (25 MHz)');
    expect(paceLabel(DEFAULT_PACE, 25_000_000, 15)).toBe('1/30 (833 kHz)');
    expect(paceLabel(PACES.length - 1, 25_000_000, 15)).toBe('1/1,000,000 (~2 cycles a frame)');
    expect(paceMoved(MAX_PACE, -1)).toBe(MAX_PACE);
    expect(paceMoved(PACES.length - 1, 1)).toBe(PACES.length - 1);
    expect(paceMoved(DEFAULT_PACE, -1)).toBe(PACES.indexOf(1 / 10));
  });

  it('are typed as max, real, 1/<n> or <n>; anything else is none', () => {
    expect(parsePace('max')).toBe(MAX_PACE);
    expect(parsePace('1/30')).toBe(DEFAULT_PACE);
    expect(parsePace('30')).toBe(DEFAULT_PACE);
    expect(parsePace('1/1,000')).toBe(PACES.indexOf(1 / 1000));
    expect(parsePace('1/7')).toBeUndefined();
    expect(parsePace('fast')).toBeUndefined();
  });
});

describe('a paced run', () => {
  it('runs about its pace of emulated cycles per host second, and + and - change it while it runs', () => {
    const s = fixtureSession({ checkpointEvery: 0 });
    const { d, drive, clock } = virtual(s, parsePace('1/100')!);
    expect(d.getState().pace).toBe('1/100 (250 kHz)');
    d.run();
    drive(() => clock() >= 2000);
    // 250,000 cycles a second for 2 s (a kernel entry may overshoot a little).
    expect(s.kernel.now()).toBeGreaterThan(450_000);
    expect(s.kernel.now()).toBeLessThan(560_000);
    expect(d.execute({ kind: 'pace', delta: -1 })).toEqual({ text: 'Pace: 1/30 (833 kHz)' });
    const c0 = s.kernel.now(), t0 = clock();
    drive(() => clock() >= t0 + 1000);
    expect(s.kernel.now() - c0).toBeGreaterThan(760_000);
    expect(s.kernel.now() - c0).toBeLessThan(900_000);
    d.execute({ kind: 'pace', index: MAX_PACE });
    expect(d.getState().pace).toBe('max');
    d.pause();
  });

  it('in slow motion draws a few cycles a frame', () => {
    const s = fixtureSession({ checkpointEvery: 0 });
    const { d, drive, clock } = virtual(s, PACES.length - 1);
    const cycles: number[] = [];
    d.subscribe(() => cycles.push(d.getState().snapshot.cycle));
    d.run();
    const c0 = s.kernel.now();
    drive(() => clock() >= 3000);
    // 25 cycles a second: about 75 in 3 s, over dozens of frames.
    expect(s.kernel.now() - c0).toBeLessThan(200);
    expect(cycles.length).toBeGreaterThan(20);
    d.pause();
  });

  it('runs the same machine as a run at maximum speed: the same events at the same cycles', () => {
    const events = (pace: number, until: number) => {
      const s = fixtureSession({ checkpointEvery: 0 });
      const { d, drive } = virtual(s, pace);
      const log: string[] = [];
      s.kernel.log.subscribe((e) => { if (e.cycle < until) log.push(JSON.stringify(e)); });
      d.run();
      drive(() => s.kernel.now() >= until);
      d.pause();
      return log;
    };
    const fast = events(MAX_PACE, 400_000);
    expect(fast.length).toBeGreaterThan(50);
    expect(events(parsePace('1/1000')!, 400_000)).toEqual(fast);
    expect(events(parsePace('1/30')!, 400_000)).toEqual(fast);
  });
});

const ROOT = resolve(import.meta.dirname, '../..');

describe('restart', () => {
  it('takes the scenario back to its start, forgets the kills made, and runs the same again', async () => {
    const sc = parseScenario(`name: restart
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["64", "1000"] }
  - { name: n, image: ${join(ROOT, 'src/exos/images/exos-spinner.elf')}, args: ["100000"] }
timeline:
  - { at: { cycle: 500000 }, do: { kill: n } }
`, join(ROOT, 'scenarios/restart.yaml'));
    const s = sessionFromScenario(sc, { checkpointEvery: 100_000 });
    const run = new ScenarioRun(s, sc, { interactive: true });
    const { d, drive } = virtual(s, MAX_PACE);
    d.run();
    drive(() => s.kernel.now() >= 200_000);
    d.pause();
    expect(d.execute({ kind: 'kill', env: 'm' })).toEqual({ text: 'Killed m' });
    d.run();
    drive(() => s.kernel.now() >= 250_000);
    const state = (name: string) => s.kernel.envs.get(s.envIds.get(name)!)?.state;
    expect([state('m'), state('n')]).toEqual(['destroyed', 'runnable']);
    expect(d.execute({ kind: 'restart' })).toMatchObject({ text: expect.stringMatching(/^Restarted the scenario from the start/) });
    // It was running, so it runs on from the start.
    expect(d.getState().running).toBe(true);
    expect(s.kernel.now()).toBeLessThan(100_000);
    expect([state('m'), state('n')]).toEqual(['runnable', 'runnable']);
    drive(() => s.kernel.now() >= 250_000);
    expect(state('m')).toBe('runnable');
    drive(() => s.kernel.now() >= 600_000);
    // The timeline's kill comes again; the user's kill of m does not.
    expect([state('m'), state('n')]).toEqual(['runnable', 'destroyed']);
    d.pause();
    run.dispose();
  });
});
