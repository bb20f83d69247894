// The scenario pane, the pace on the status line, the wrapped log strip
// and the keys that pace and restart, rendered by Ink from real sessions
// and real scenarios; the checks read the visible text.

import { join, resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { createElement as h, type ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { openScenarioDebugger, parseScenario, type ScenarioView } from '../../src/session/index.js';
import { parseLogFilter } from '../../src/tui/commandline.js';
import { handleKey } from '../../src/tui/input.js';
import { StatusLine } from '../../src/tui/panes/chrome.js';
import { LogPane } from '../../src/tui/panes/log.js';
import { ScenarioPane } from '../../src/tui/panes/scenario.js';
import { selectStatus } from '../../src/tui/selectors/chrome.js';
import { logRows, selectEvents } from '../../src/tui/selectors/events.js';
import { selectScenario } from '../../src/tui/selectors/scenario.js';
import { makeTheme, ThemeContext } from '../../src/tui/theme.js';
import { initialUi, type KeyContext } from '../../src/tui/ui-state.js';
import { paging } from './fixtures/snapshots.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** The text Ink draws for `el`, without color. */
function draw(el: ReactElement): string[] {
  const r = render(h(ThemeContext.Provider, { value: makeTheme(false) }, el));
  unmount = r.unmount;
  return (r.lastFrame() ?? '').split('\n');
}

const ROOT = resolve(import.meta.dirname, '../..');
const sc = parseScenario(`name: two
description: "A memory walker and a hello; the walker must finish."
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["16", "2"] }
  - { name: hi, image: ${join(ROOT, 'src/exos/images/exos-hello.elf')} }
expect:
  - event: { kind: env-destroyed, env: m }
  - no-event: { kind: abort }
  - event: { kind: env-created }
    count: { max: 1 }
`, join(ROOT, 'scenarios/two.yaml'));

describe('the scenario pane', () => {
  it('shows each expectation with its verdict so far, then what the scenario is', () => {
    const { driver, run } = openScenarioDebugger(sc, { now: () => 0 });
    const view = driver.getState().scenario!;
    const text = draw(h(ScenarioPane, { view: selectScenario(view, 0, 70, 12), width: 70, height: 12 }));
    expect(text[0]).toBe('Expectations: 1 hold, 1 pending, 1 failed');
    expect(text[1]).toBe('… pending at least 1 env-destroyed (env = "m"): 0 so far');
    expect(text[2]).toBe('✓ holds   no abort');
    // Two env-created at boot: a count with a maximum can no longer hold.
    expect(text[3]).toBe('✗ failed  0 to 1 env-created: expected 0 to 1 env-created');
    expect(text[4]).toMatch(/^ {10}event\(s\), saw 2 \(/);
    expect(text.join('\n')).toContain('A memory walker and a hello; the walker must finish.');
    expect(text.join('\n')).toContain('It runs to cycle 1,000,000,000.');
    run.dispose();
  });

  it('counts the verdicts in its title, scrolls, and says when there is no scenario', () => {
    const v: ScenarioView = { name: 'x', limit: Infinity, expectations: [{ text: 'no abort', at: 'x.yaml:3', verdict: 'holds' }] };
    const p = selectScenario(v, 0, 50, 2);
    expect(p.info).toBe('x: 1 hold');
    expect(p.max).toBeGreaterThan(0);
    expect(selectScenario(v, 2, 50, 2).lines.map((l) => l.text)).toEqual(['', 'It runs on for as long as you watch (replay checks']);
    expect(selectScenario(undefined, 0, 50, 5).lines[0].text).toBe('This session plays no scenario.');
  });
});

describe('the status line', () => {
  it('shows the pace, and keeps its short form when the line is narrow', () => {
    const s = paging().cur;
    const wide = selectStatus('living', s, { reason: 'running', detail: 'continue' }, true, 100, '1/30 (833 kHz)');
    expect(draw(h(StatusLine, { view: wide }))[0]).toMatch(/^living │ ▶ running \(continue\) · pace 1\/30 \(833 kHz\) +cycle [\d,]+ {2}insn [\d,]+ {2}\w+ @ [0-9a-f]{8}$/);
    const narrow = selectStatus('living', s, { reason: 'running', detail: 'continue' }, true, 80, '1/30 (833 kHz)');
    expect(narrow.left).toContain('pace 1/30');
    expect(narrow.left).not.toContain('833 kHz');
    expect(narrow.left.length + narrow.right.length + 2).toBeLessThanOrEqual(80);
  });
});

describe('the log strip at 80x24', () => {
  it('wraps a long event under itself instead of cutting it where its details begin', () => {
    const rows = logRows('    2,880,888 spin-a   slice-end         slot 6: its ticks ran out, the epilogue upcall runs', 47);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.length <= 47)).toBe(true);
    expect(rows.slice(1).every((r) => r.startsWith('    '))).toBe(true);
    expect(rows.join(' ').replace(/\s+/g, ' ')).toContain('its ticks ran out, the epilogue upcall runs');
    // Wide panes keep one line an event.
    expect(logRows('x '.repeat(60), 100)).toHaveLength(1);
  });

  it('draws the newest rows that fit, each event whole', () => {
    const s = paging().cur;
    const view = selectEvents(s, parseLogFilter(''), 0, 47, 8);
    const text = draw(h(LogPane, { view, width: 47, height: 8 }));
    expect(view.lines).toHaveLength(8);
    expect(text.every((l) => l.length <= 47)).toBe(true);
    expect(text.some((l) => /^ {4}\S/.test(l))).toBe(true);
  });
});

describe('the log strip when it is short', () => {
  it('draws an event a row, in columns only as wide as the events shown need, so six rows show six events', () => {
    const s = paging().cur;
    const view = selectEvents(s, parseLogFilter(''), 0, 46, 6);
    const text = draw(h(LogPane, { view, width: 46, height: 6 }));
    expect(view.lines).toHaveLength(6);
    expect(view.indexes).toHaveLength(6);
    expect(text.every((l) => l.length <= 46 && !/^ {4}\S/.test(l))).toBe(true);
    // The kind starts in the same column on every row, right after the widest environment name.
    const kinds = view.lines.map((l) => l.text.search(/ (syscall|stlb-|tlb-|dispatch|frame-|binding-|slice-|context-|guaranteed-|env-|upcall)/));
    expect(new Set(kinds).size).toBe(1);
    expect(view.lines[0].text).toMatch(/^ +[\d,]+ a +\S/);
  });
});

describe('the keys', () => {
  const ctx: KeyContext = { running: true, envs: ['a'], alive: ['a'], defaultEnv: 'a', menu: [], scrollMax: {}, pageSize: {}, overlayMax: 0, overlayPage: 10 };
  it('+ and = go faster, - slower, r restarts, 9 focuses the scenario pane', () => {
    expect(handleKey(initialUi(), '+', ctx).effects).toEqual([{ kind: 'line', command: { kind: 'pace', delta: -1 } }]);
    expect(handleKey(initialUi(), '=', ctx).effects).toEqual([{ kind: 'line', command: { kind: 'pace', delta: -1 } }]);
    expect(handleKey(initialUi(), '-', ctx).effects).toEqual([{ kind: 'line', command: { kind: 'pace', delta: 1 } }]);
    expect(handleKey(initialUi(), 'r', ctx).effects).toEqual([{ kind: 'line', command: { kind: 'restart' } }]);
    expect(handleKey(initialUi(), '9', ctx).ui.focus).toBe('scenario');
  });
});
