// One scenario driver: replay and the live debugger (the TUI's, and the
// recorder's) play a timeline the same way on every step kind: machine
// actions at the same cycles with the same notes, `break` stops the live
// run, `key` and `pause` go to the front end, unknown breakpoints are
// reported by both.

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LiveDebugger, parseScenario, replay, runLimit, ScenarioRun, sessionFromScenario, type LogLine,
} from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const sc = parseScenario(`name: every-step
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["64", "2"] }
breakpoints:
  - { pc: nosuch, env: m }
timeline:
  - { at: { cycle: 100000 }, do: { key: "s" } }
  - { at: { cycle: 150000 }, do: { pause: 500ms } }
  - { at: { event: { kind: dispatch, env: m } }, count: 3, do: { break: third fault } }
  - { at: { cycle: 200000 }, do: { breakpoint: { pc: alsonot } } }
  - { at: { instructions: 250000 }, do: { kill: m } }
`, join(ROOT, 'scenarios/every-step.yaml'));

const notes = (lines: LogLine[]) => lines.flatMap((l) => (l.kind === 'note' ? [`${l.cycle} ${l.text}`] : []));

/** Plays `sc` on a live debugger whose front end notes keys and pauses; continues after each break. */
async function live() {
  const lines: LogLine[] = [];
  const s = sessionFromScenario(sc);
  const run = new ScenarioRun(s, sc, { interactive: true, onLine: (l) => lines.push(l) });
  const seen: string[] = [];
  const d = new LiveDebugger(s, { now: () => performance.now(), scenario: run, frontEnd: {
    key: (k) => { seen.push(`key ${k} at ${s.kernel.now()}`); },
    pause: async (ms) => { seen.push(`pause ${ms} at ${s.kernel.now()}`); await new Promise((r) => setTimeout(r, 5)); },
  } });
  const stops: string[] = [];
  d.begin();
  for (let i = 0; i < 10; i++) {
    d.run();
    await new Promise<void>((r) => { const off = d.subscribe(() => { if (!d.getState().running) { off(); r(); } }); });
    const st = d.getState().status;
    stops.push(`${st.reason}: ${st.detail}`);
    if (st.reason === 'idle') break;
  }
  d.dispose();
  return { lines, seen, stops, failures: run.failures };
}

describe('ScenarioRun under replay and the live debugger', () => {
  it('fires every step kind at the same cycle with the same notes, and reports the same unknown breakpoints', async () => {
    const headless: LogLine[] = [];
    const r = replay(sc, { onLine: (l) => headless.push(l) });
    const l = await live();
    expect(notes(l.lines)).toEqual(notes(headless));
    expect(notes(headless).some((n) => /break: third fault/.test(n))).toBe(true);
    expect(l.failures).toEqual(r.failures.slice(0, 2));
    expect(r.failures.slice(0, 2)).toEqual([
      expect.stringMatching(/^breakpoint at .*every-step\.yaml:5: no symbol nosuch in m$/),
      expect.stringMatching(/^breakpoint at .*every-step\.yaml:10: no symbol alsonot$/),
    ]);
    // The same events, too, in the same order.
    const events = (ls: LogLine[]) => ls.flatMap((x) => (x.kind === 'event' ? [JSON.stringify(x.event)] : []));
    expect(events(l.lines)).toEqual(events(headless));
  });

  it('live: break stops the run with its reason, keys and pauses go to the front end at their cycles', async () => {
    const l = await live();
    expect(l.stops[0]).toBe('paused: third fault');
    expect(l.stops.at(-1)).toMatch(/^idle/);
    expect(l.seen).toEqual([expect.stringMatching(/^key s at 10\d{4}$/), expect.stringMatching(/^pause 500 at 15\d{4}$/)]);
  });
});

describe('a living scenario', () => {
  const hello = join(ROOT, 'src/exos/images/exos-hello.elf');
  const memwalk = join(ROOT, 'src/exos/images/exos-memwalk.elf');
  const repeating = parseScenario(`name: repeating
environments:
  - { name: h, image: ${hello}, every: 300000 }
  - { name: m, image: ${memwalk}, args: ["16", "1000000"] }
timeline:
  - { at: { cycle: 100000 }, every: 250000, do: { console: { env: m, text: "x" } } }
run: { until: 1000000, live: forever }
expect:
  - event: { kind: env-created, env: h }
    count: { min: 3 }
  - no-event: { kind: env-destroyed, env: m }
  - env: m
    state: destroyed
`, join(ROOT, 'scenarios/repeating.yaml'));

  it('fires a step with every at its cycle and each period after, and creates an environment with every again', () => {
    const lines: LogLine[] = [];
    const r = replay(repeating, { onLine: (l) => lines.push(l) });
    const steps = lines.flatMap((l) => (l.kind === 'note' && l.text.includes('console input to m') ? [l.cycle] : []));
    // At the first instruction boundary from its cycle on (an environment created there first may take a while:
    // creation copies its image, asm/copy.S, about 5 cycles a word).
    [100_000, 350_000, 600_000, 850_000].forEach((due, i) => expect(steps[i] - due).toBeGreaterThanOrEqual(0));
    [100_000, 350_000, 600_000, 850_000].forEach((due, i) => expect(steps[i] - due).toBeLessThan(40_000));
    expect(steps).toHaveLength(4);
    const created = lines.flatMap((l) => (l.kind === 'event' && l.event.kind === 'env-created' && l.event.name === 'h' ? [l.event.cycle] : []));
    expect(created.length).toBe(4);
    [300_000, 600_000, 900_000].forEach((due, i) => expect(created[i + 1] - due).toBeLessThan(40_000));
    expect(r.cycles).toBeGreaterThanOrEqual(1_000_000);
    expect(r.cycles).toBeLessThan(1_100_000);
  });

  it('replays to its run limit, and runs on forever only live', () => {
    expect(runLimit(repeating)).toBe(1_000_000);
    expect(runLimit(repeating, { live: true })).toBe(Infinity);
    expect(runLimit({ ...repeating, run: { ...repeating.run, live: 'until' } }, { live: true })).toBe(1_000_000);
  });

  it('travels back over repetitions to the same machine: the same events after as in one straight run', () => {
    const straight = sessionFromScenario(repeating, { checkpointEvery: 100_000 });
    const a = new ScenarioRun(straight, repeating);
    straight.run(1_200_000);
    const travelled = sessionFromScenario(repeating, { checkpointEvery: 100_000 });
    const b = new ScenarioRun(travelled, repeating);
    travelled.run(800_000);
    expect(typeof travelled.travelNow({ cycle: 250_000 }, 'back')).not.toBe('string');
    travelled.run(1_200_000 - travelled.kernel.now());
    const upTo = (s: typeof straight, c: number) => s.history.slice(0, s.history.length).filter((e) => e.cycle < c).map((e) => JSON.stringify(e));
    expect(upTo(travelled, 1_150_000)).toEqual(upTo(straight, 1_150_000));
    a.dispose();
    b.dispose();
  });

  it('gives each expectation a verdict as it runs: pending, holds, failed and why', () => {
    const s = sessionFromScenario(repeating);
    const run = new ScenarioRun(s, repeating);
    const verdicts = () => run.view().expectations.map((x) => [x.verdict, x.why ?? '']);
    expect(run.view()).toMatchObject({ name: 'repeating', limit: 1_000_000 });
    expect(verdicts()).toEqual([['pending', '1 so far'], ['holds', ''], ['pending', 'environment m is runnable, expected destroyed']]);
    expect(run.view().expectations[0]).toMatchObject({ text: 'at least 3 env-created (env = "h")', at: expect.stringMatching(/scenarios\/repeating\.yaml:9$/) });
    s.run(700_000);
    expect(verdicts()[0]).toEqual(['holds', '']);
    s.kill('m');
    expect(verdicts().slice(1)).toEqual([['failed', 'expected no env-destroyed (env = "m") event, saw 1'], ['holds', '']]);
    run.dispose();
  });
});
