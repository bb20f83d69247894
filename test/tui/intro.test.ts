// The first screen (selectors/intro.ts): what the scenario is, the keys,
// and every pane by number, on the smallest terminal too.

import { describe, expect, it } from 'vitest';
import { loadScenario, openScenarioDebugger } from '../../src/session/index.js';
import { selectIntro } from '../../src/tui/selectors/intro.js';

const living = loadScenario('scenarios/living.yaml');
const snapshot = openScenarioDebugger(living, { now: () => 0 }).driver.getState().snapshot;
/** 80x24: the body is 20 lines (status, tab bar, legend), the overlay's border and title take 3. */
const SMALL = { width: 78, height: 17 };

describe('the first screen', () => {
  it('on a big terminal: the title, the whole description, the keys, the environments at boot and all nine panes', () => {
    const lines = selectIntro(living.name, living.description, snapshot, 118, 33).map((l) => l.text);
    expect(lines[0]).toBe('Scenario living');
    expect(lines.join(' ')).toContain('c starts it.');
    expect(lines).toContain('Any other key closes this screen.');
    expect(lines.some((l) => /^7 environments at boot: server, web, fast/.test(l))).toBe(true);
    for (let i = 1; i <= 9; i++) expect(lines.some((l) => l.startsWith(`  ${i} `))).toBe(true);
  });

  it('fits 80x24 whole: every key line unclipped and every pane, the blank lines gone', () => {
    const lines = selectIntro(living.name, living.description, snapshot, SMALL.width, SMALL.height).map((l) => l.text);
    expect(lines.length).toBeLessThanOrEqual(SMALL.height);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(SMALL.width);
    expect(lines[0]).toMatch(/^Scenario living: A machine that keeps busy/);
    expect(lines).toContain('Press c to start; space pauses, s steps, ? lists every key, q quits.');
    expect(lines.some((l) => /any other key closes this screen\.$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {2}0 Memory/);
    for (let i = 0; i <= 9; i++) expect(lines.some((l) => l.startsWith(`  ${i} `))).toBe(true);
    expect(lines).not.toContain('');
  });

  it('cuts a description too long for the room (with …) before it drops a pane', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ').repeat(3);
    const lines = selectIntro('long', long, snapshot, SMALL.width, SMALL.height).map((l) => l.text);
    expect(lines.length).toBe(SMALL.height);
    expect(lines.some((l) => l.endsWith('…'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {2}0 Memory/);
  });
});
