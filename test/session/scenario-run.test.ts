// One scenario driver: replay and the live debugger (the TUI's, and the
// recorder's) play a timeline the same way on every step kind: machine
// actions at the same cycles with the same notes, `break` stops the live
// run, `key` and `pause` go to the front end, unknown breakpoints are
// reported by both.

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LiveDebugger, parseScenario, replay, ScenarioRun, sessionFromScenario, type LogLine,
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
