// Saving a session and reopening it at the same point (docs/architecture.md,
// "Time travel"), and the errors of a file that is not one this version reads.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute, openScenarioDebugger, readSaved, SAVED_VERSION } from '../../src/session/index.js';
import { drive, historyLines, loadBundled, open, shown } from './travel-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'exo-saved-'));

describe('saved sessions', () => {
  it(':save then reopening gives the same session at the same point, the user\'s kill and breakpoints with it', () => {
    const sc = loadBundled('pagefault.yaml');
    const o = open(sc);
    drive(o, 60_000);
    expect(o.s.kill('hello')).toBe(true);
    execute(o.s, { kind: 'break', breakpoint: { kind: 'event', event: 'stlb-miss' } });
    drive(o, 90_000);
    const at = o.s.kernel.now();
    const file = join(dir, 'a.json');
    expect(execute(o.s, { kind: 'save', file }).text).toBe(`Saved at cycle ${at.toLocaleString('en-US')} to ${file} (exoscope tui --load ${file} reopens it here)`);
    const saved = readSaved(file);
    expect(saved).toMatchObject({ format: 'exoscope-session', version: SAVED_VERSION, cycle: at });
    const again = openScenarioDebugger(loadBundled('pagefault.yaml'), { now: () => 0 }, saved);
    expect(again.cycles()).toBe(at);
    const st = again.driver.getState();
    expect(st.breakpoints.map(([, b]) => b)).toEqual([{ kind: 'event', event: 'stlb-miss' }]);
    expect(st.snapshot.envs[0].reason).toBe('killed by the debugger');
    expect(st.snapshot.eventsTotal).toBe(o.s.history.length);
    expect(st.snapshot.events.map((e) => JSON.stringify(e))).toEqual(historyLines(o.s).slice(-st.snapshot.events.length));
    const { stop: _a, ...mine } = (shown(o.s) as { snap: { stop: unknown } }).snap;
    const { stop: _b, ...theirs } = st.snapshot;
    expect(theirs).toEqual({ ...mine, events: theirs.events });
    again.driver.dispose();
  });

  it('a file of another format version, or not a saved session, is refused naming the file and the version', () => {
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ format: 'exoscope-session', version: 0, scenario: 'x', cycle: 1, interventions: [], breakpoints: [] }));
    expect(() => readSaved(old)).toThrow(`Cannot load ${old}: it was saved in format version 0, and this exoscope reads version ${SAVED_VERSION} only`);
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    expect(() => readSaved(other)).toThrow(`Cannot load ${other}: it is not an exoscope saved session`);
    writeFileSync(other, 'not json');
    expect(() => readSaved(other)).toThrow(`Cannot load ${other}: it is not JSON`);
    expect(() => readSaved(join(dir, 'missing.json'))).toThrow(/Cannot load .*missing\.json: ENOENT/);
  });
});
