// A session whose event history has forgotten its oldest events (the spill
// file's bound, history.ts): the log reaches back to the first event held,
// time travel to the first checkpoint kept after it, and what it shows
// after travelling equals a fresh run's.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryLog, sessionFromScenario, takeSnapshot, toEvent, type Search, type Session } from '../../src/session/index.js';
import { loadScenario } from '../../src/scenario/index.js';
import { selectEvents } from '../../src/tui/selectors/events.js';
import { parseLogFilter } from '../../src/tui/commandline.js';

/** What a search ends with, run to its end. */
function finished(g: Search): unknown {
  let r = g.next();
  while (!r.done) r = g.next();
  return r.value;
}

const sc = loadScenario(join(import.meta.dirname, '../../scenarios/living.yaml'));
/** A history that keeps one chunk in memory and about two in its file. */
const LIMITS = { memoryBytes: 1, spillBytes: 60_000 };
const RUN = 30_000_000;

function forgetful(): Session {
  const s = sessionFromScenario(sc, { checkpointEvery: 1_000_000, historyLimits: LIMITS });
  s.run(RUN);
  return s;
}

describe('a session whose history forgot its oldest events', () => {
  it('keeps the newest events, and the checkpoints from the first one held on', () => {
    const s = forgetful(), fresh = sessionFromScenario(sc);
    fresh.run(RUN);
    expect(s.kernel.cpu.instret).toBe(fresh.kernel.cpu.instret);
    const h = s.history;
    expect(h.first).toBeGreaterThanOrEqual(8192);
    expect(h.spilled).toBeLessThanOrEqual(LIMITS.spillBytes);
    expect(h.length).toBe(fresh.history.length);
    expect(h.slice(h.first)).toEqual(fresh.history.slice(h.first));
    expect(h.kindCounts()).toEqual(fresh.history.kindCounts());
    // Travel reaches back to the first checkpoint whose events the history holds; before it, a sentence says why not.
    const start = s.historyStart();
    expect(start).toBeGreaterThan(0);
    expect(s.history.at(h.first).cycle).toBeLessThanOrEqual(s.checkpointCycles()[0]);
    const r = s.travelNow({ cycle: 1000 }, 'back');
    expect(r).toMatch(/^time travel reaches back to cycle [\d,]+ only: the event history keeps the newest events/);
    expect(s.restart()).toMatch(/reaches back/);
    expect(s.kernel.cpu.instret).toBe(fresh.kernel.cpu.instret); // refused: nothing moved
    expect(s.stepBack(s.kernel.cpu.instret - start + 1)).toBeUndefined();
  });

  it('travels back to a point it holds and shows what a fresh run stopped there shows', () => {
    const s = forgetful();
    const target = s.checkpointCycles()[0] + 1_234_567;
    const stop = s.travelNow({ cycle: target }, 'back');
    expect(typeof stop).not.toBe('string');
    const fresh = sessionFromScenario(sc, { checkpointEvery: 1_000_000 });
    expect(typeof fresh.travelNow({ cycle: target }, 'there')).not.toBe('string');
    expect(s.kernel.now()).toBe(fresh.kernel.now());
    expect(s.history.length).toBe(fresh.history.length);
    expect(s.history.slice(s.history.first)).toEqual(fresh.history.slice(s.history.first));
    expect(s.kernel.save(false, false)).toEqual(fresh.kernel.save(false, false));
    // Running on from there goes on as the straight run did.
    s.run(RUN - s.kernel.now());
    fresh.run(RUN - fresh.kernel.now());
    expect(s.history.length).toBe(fresh.history.length);
    expect(s.history.at(s.history.length - 1)).toEqual(fresh.history.at(fresh.history.length - 1));
    expect(JSON.stringify(s.history.slice(s.history.first))).toBe(JSON.stringify(fresh.history.slice(s.history.first)));
    // One instruction back and on again: the log the history holds is the straight run's, byte for byte.
    const end = s.kernel.now();
    expect(s.stepBack(1)).toBeDefined();
    s.run(end - s.kernel.now());
    expect(s.kernel.now()).toBe(end);
    expect(JSON.stringify(s.history.slice(s.history.first))).toBe(JSON.stringify(fresh.history.slice(s.history.first)));
  });

  it('logs from the first event held: ranks, filters and going to a forgotten event say so', () => {
    const s = forgetful();
    const h = s.history, log = new HistoryLog(h);
    const all = log.source('', undefined);
    expect(all.matched).toBe(h.length - h.first);
    expect(all.range(0, 1)[0].index).toBe(h.first);
    expect(all.rank(h.first + 10)).toBe(10);
    expect(all.rank(3)).toBe(0);
    const switches = log.source('kind:context-switch', (e) => e.kind === 'context-switch');
    const want = h.slice(h.first).filter((e) => e.kind === 'context-switch').length;
    expect(switches.matched).toBe(want);
    expect(switches.range(0, 1)[0].index).toBeGreaterThanOrEqual(h.first);
    // A filter scanned before the history forgot: its indexes of forgotten events go.
    const s2 = sessionFromScenario(sc, { checkpointEvery: 1_000_000, historyLimits: LIMITS });
    const log2 = new HistoryLog(s2.history), isSwitch = (e: { kind: string }) => e.kind === 'context-switch';
    s2.run(3_000_000);
    expect(s2.history.first).toBe(0);
    expect(log2.source('k', isSwitch).range(0, 1)[0].index).toBeLessThan(4096);
    s2.run(s.kernel.now() - s2.kernel.now());
    expect(s2.kernel.now()).toBe(s.kernel.now());
    const again = log2.source('k', isSwitch);
    expect(again.matched).toBe(want);
    expect(again.range(0, 1)[0].index).toBe(switches.range(0, 1)[0].index);
    const snap = takeSnapshot(s);
    expect(snap.eventsForgotten).toBe(h.first);
    const view = selectEvents(snap, parseLogFilter(''), 0, 100, 10, undefined, all);
    expect(view.info).toMatch(/^newest [\d,]+ of [\d,]+ events since boot \(older ones forgotten\)/);
    expect(view.lines).toHaveLength(10);
    const top = selectEvents(snap, parseLogFilter(''), all.matched, 100, 10, undefined, all);
    expect(top.indexes[0]).toBe(h.first);
    const filtered = selectEvents(snap, parseLogFilter('kind:context-switch'), 0, 100, 10, undefined, switches);
    expect(filtered.info).toMatch(/^[\d,]+ of the newest [\d,]+ events match kind:context-switch \(older ones forgotten\)/);
    expect(finished(toEvent(s, 4, 'event 5'))).toMatch(/^Event 5 was forgotten: the history keeps the newest events, from [\d,]+ on/);
    // An event held, but from before the first checkpoint kept: travel cannot reach it; one after it, it can.
    expect(finished(toEvent(s, h.first + 3, 'x'))).toMatch(/^time travel reaches back to cycle/);
    const later = h.countBefore(s.checkpointCycles()[0]) + 3, was = h.at(later);
    expect(finished(toEvent(s, later, 'x'))).toHaveProperty('reason', 'step');
    expect(s.history.length).toBeGreaterThan(later);
    expect(s.history.at(later)).toEqual(was);
    expect(s.kernel.now()).toBeGreaterThanOrEqual(was.cycle);
  });
});
