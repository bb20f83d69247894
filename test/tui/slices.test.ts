// The time-slice vector: its selector on snapshots of a real session (ExOS
// hog with one slice, spinners a and b with two and five), and its pane
// rendered by Ink without color, where owners are told by their symbols.

import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { bar, num, percent } from '../../src/tui/format.js';
import { SlicesPane } from '../../src/tui/panes/slices.js';
import { cpuFraction, selectSlices } from '../../src/tui/selectors/slices.js';
import { makeTheme, OWNER_ROLES, ownerRole, ThemeContext } from '../../src/tui/theme.js';
import { spinning } from './fixtures/snapshots.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

const { prev, cur } = spinning();
const byName = (n: string) => cur.envs.find((e) => e.name === n)!;

/** The pane as Ink draws it, without color. */
function draw(env: string, width: number, height: number): string[] {
  const r = render(h(ThemeContext.Provider, { value: makeTheme(false) }, h(SlicesPane, { view: selectSlices(cur, env, width, height), width, height })));
  unmount = r.unmount;
  return (r.lastFrame() ?? '').split('\n');
}

describe('selectSlices', () => {
  it('draws every one of the 128 slots by its owner\'s symbol, free ones as dots', () => {
    const v = selectSlices(cur, 'a', 80, 20);
    const slots = v.grid.map((r) => r.runs.map((x) => x.text).join('')).join('');
    expect(slots).toHaveLength(128);
    expect(slots.slice(0, 8)).toBe(`${byName('hog').id}${byName('a').id.toString().repeat(2)}${byName('b').id.toString().repeat(5)}`);
    expect(slots.slice(8)).toBe('.'.repeat(120));
    expect(v.grid.map((r) => r.label)).toEqual(['  0 ', ' 64 ']);
  });

  it('marks the running slot: a run of its own, a caret under it, and the header names its owner and phase', () => {
    const v = selectSlices(cur, 'a', 80, 20);
    const at = cur.slices.current;
    const runs = v.grid.flatMap((r) => r.runs);
    expect(runs.filter((r) => r.current)).toEqual([{ text: expect.any(String), owner: cur.slices.owner[at], current: true }]);
    const row = v.grid[Math.floor(at / 64)];
    expect(row.marker).toBe(' '.repeat(4 + (at % 64)) + '^');
    const owner = cur.envs.find((e) => e.id === cur.slices.owner[at])!.name;
    expect(v.header).toBe(`slot ${at} of 128: ${owner}, run, ${cur.slices.ticksLeft} of ${cur.slices.sliceTicks} ticks left`);
    expect(v.info).toBe(`8 of 128 slots owned; slot ${at} run`);
  });

  it('cut short on a long run: the live environments and idle first, then the destroyed, latest first', () => {
    // Eight destroyed environments before the live ones, as a long run leaves them; room for a few share rows.
    const a = cur.envs[0];
    const dead = Array.from({ length: 8 }, (_, i) => ({ ...a, id: 100 + i, name: `old${i}`, state: 'destroyed', slots: 0, current: false }));
    const s = { ...cur, envs: [...dead, ...cur.envs] };
    const all = selectSlices(s, 'a', 80, 40);
    expect(all.shares.map((r) => r.owner)).toEqual([...s.envs.map((e) => e.id), 0]);
    const v = selectSlices(s, 'a', 80, 10);
    const live = cur.envs.map((e) => e.id);
    expect(v.shares.length).toBeGreaterThan(live.length);
    expect(v.shares.length).toBeLessThan(s.envs.length + 1);
    expect(v.shares.map((r) => r.owner)).toEqual([...live, 0, 107, 106, 105, 104, 103, 102, 101, 100].slice(0, v.shares.length));
  });

  it('gives each environment its slots, CPU share as a percentage and a bar, overruns, penalty and pending revocation', () => {
    const v = selectSlices(cur, 'a', 80, 20);
    const hog = v.shares.find((r) => r.owner === byName('hog').id)!;
    expect(hog.lead).toBe(`${byName('hog').id} hog         1 ${percent(byName('hog').cpuCycles, cur.cycle).padStart(6)} `);
    expect(hog.tail).toBe(`   0    0 8 frames by ${num(byName('hog').revoke!.deadline)}`);
    const b = v.shares.find((r) => r.owner === byName('b').id)!;
    expect(b.bar.trimEnd()).toBe(bar(cpuFraction(cur, byName('b')), 20));
    expect(b.lead).toMatch(/^\d b +5 +\d+\.\d% $/);
    expect(v.shares.find((r) => r.selected)!.owner).toBe(byName('a').id);
    expect(v.shares.at(-1)!.lead).toMatch(/^ {2}idle +\d+\.\d% $/);
    const total = cur.envs.reduce((n, e) => n + cpuFraction(cur, e), 0);
    // The rest is the kernel's work before any environment ran (creating them: zeroing their frames, copying their images).
    expect(total).toBeGreaterThan(0.95);
    expect(total).toBeLessThanOrEqual(1);
    expect(v.footer).toEqual(['', `slots: ${byName('hog').id} hog 0  ${byName('a').id} a 1-2  ${byName('b').id} b 3-7`]);
  });

  it('puts a 16-slot grid beside the shares when the pane is too short for the table under the grid', () => {
    const v = selectSlices(cur, 'a', 50, 9);
    expect(v.arrangement).toBe('side');
    expect(v.grid).toHaveLength(8);
    expect(v.grid.every((r) => r.marker === undefined)).toBe(true);
    expect(v.shares).toHaveLength(4);
    expect(selectSlices(cur, 'a', 58, 13).arrangement).toBe('stacked');
  });

  it('says what a free running slot and the epilogue phase are', () => {
    expect(selectSlices(prev, undefined, 80, 20).shares.every((r) => !r.selected)).toBe(true);
    const epi = { ...cur, slices: { ...cur.slices, phase: 'epilogue' } };
    expect(selectSlices(epi, 'a', 80, 20).header).toMatch(/, epilogue \(grace period\)$/);
    const free = { ...cur, slices: { ...cur.slices, current: 100 } };
    expect(selectSlices(free, 'a', 80, 20).header).toMatch(/^slot 100 of 128: free, /);
  });
});

describe('SlicesPane', () => {
  it('draws the vector lettered by owner under NO_COLOR, with the caret, the table and the slot list', () => {
    const lines = draw('a', 80, 14);
    expect(lines[0]).toMatch(/^slot \d+ of 128: \w+, run, \d of 2 ticks left$/);
    const owners = ['hog', 'a', 'a', 'b', 'b', 'b', 'b', 'b'].map((n) => byName(n).id).join('');
    expect(lines[1]).toBe(`  0 ${owners}${'.'.repeat(56)}`);
    expect(lines[2]).toMatch(/^ {4} *\^$/);
    expect(lines[3]).toBe(` 64 ${'.'.repeat(64)}`);
    expect(lines[4]).toMatch(/^ {2}env +slot +cpu share +ovr {2}pen revoke$/);
    expect(lines[5]).toMatch(/^\d hog +1 +\d+\.\d% [█▏▎▍▌▋▊▉]* +0 +0 8 frames by [\d,]+$/);
    expect(lines.join('\n')).toMatch(/\n {2}idle +\d+\.\d%/);
    expect(lines).toHaveLength(14);
    expect(lines[10]).toMatch(/^slots: \d hog 0 {2}\d a 1-2 {2}\d b 3-7$/);
  });

  it('draws the side arrangement in a short pane: grid left, shares right', () => {
    const lines = draw('a', 50, 9);
    expect(lines[1]).toMatch(/^ {2}0 \d{8}\.{8} {4}env {4}slot {4}cpu share$/);
    expect(lines[2]).toMatch(/^ 16 \.{16} {2}\d hog +1 +\d+\.\d%/);
    expect(lines[8]).toMatch(/^112 \.{16}$/);
  });
});

describe('owner looks', () => {
  it('give each owner a color, none under NO_COLOR, and repeat after six', () => {
    const color = makeTheme(true).text, plain = makeTheme(false).text;
    expect(new Set(OWNER_ROLES.map((r) => color[r].color)).size).toBe(OWNER_ROLES.length);
    expect(OWNER_ROLES.every((r) => plain[r].color === undefined)).toBe(true);
    expect(ownerRole(1)).toBe('owner1');
    expect(ownerRole(7)).toBe('owner1');
  });
});
