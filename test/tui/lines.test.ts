// Line, Styled and Block (src/tui/panes/common.ts) are drawn again only
// when what they show changes: a pane's view model is new every frame
// while the machine runs, and a line that reads the same must cost
// nothing. Rendered by Ink; a theme that counts its reads tells which
// lines were rendered. A Block (one Ink Text for many lines, styled by
// hand) draws exactly what a Styled or a Line a line draws.

import chalk from 'chalk';
import { Box, renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { createElement as h, type ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Block, blockText, Line, Lines, sameRuns, Styled, type BlockLine } from '../../src/tui/panes/common.js';
import { makeTheme, ThemeContext, type Role } from '../../src/tui/theme.js';

type Runs = readonly (readonly [string, Role])[];

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** A theme whose role styles count how often a component looks one up (once per run of a Line, once per Styled, each render). */
function countingTheme(): { theme: ReturnType<typeof makeTheme>; reads: () => number } {
  const base = makeTheme(false);
  let n = 0;
  const text = new Proxy(base.text, { get: (t, k) => { n++; return t[k as Role]; } });
  return { theme: { ...base, text }, reads: () => n };
}

/** `make()` rendered, then rendered again with each of `next`'s elements; the frames drawn and the role look-ups of each render. */
function renders(make: ReactElement, next: ReactElement[]): { frames: string[]; reads: number[] } {
  const { theme, reads } = countingTheme();
  const wrap = (el: ReactElement) => h(ThemeContext.Provider, { value: theme }, el);
  const r = render(wrap(make));
  unmount = r.unmount;
  const frames = [r.lastFrame() ?? ''], counts = [reads()];
  for (const el of next) {
    r.rerender(wrap(el));
    frames.push(r.lastFrame() ?? '');
    counts.push(reads() - counts.reduce((a, b) => a + b, 0));
  }
  return { frames, reads: counts };
}

const runs = (cycle: number): Runs => [['cycle ', 'dim'], [String(cycle), 'changed'], ['  pc 00400054', 'normal']];

describe('lines drawn again only when they change', () => {
  it('sameRuns compares texts and roles, not arrays', () => {
    expect(sameRuns(runs(1), runs(1))).toBe(true);
    expect(sameRuns(runs(1), runs(2))).toBe(false);
    expect(sameRuns([['a', 'dim']], [['a', 'normal']])).toBe(false);
    expect(sameRuns([['a', 'dim']], [['a', 'dim'], ['', 'dim']])).toBe(false);
  });

  it('a Line given new arrays of the same runs is not rendered again; one whose text or role changed is, and shows it', () => {
    const { frames, reads } = renders(h(Line, { runs: runs(1) }), [
      h(Line, { runs: runs(1) }),
      h(Line, { runs: runs(2) }),
      h(Line, { runs: [['cycle ', 'dim'], ['2', 'normal'], ['  pc 00400054', 'normal']] }),
    ]);
    expect(frames[0]).toBe('cycle 1  pc 00400054');
    expect(reads[0]).toBeGreaterThan(0);
    expect(reads[1]).toBe(0);
    expect(frames[1]).toBe(frames[0]);
    expect(reads[2]).toBeGreaterThan(0);
    expect(frames[2]).toBe('cycle 2  pc 00400054');
    expect(reads[3]).toBeGreaterThan(0);
  });

  it('of a pane\'s Lines, only those that changed are rendered again', () => {
    const pane = (texts: string[]) => h(Lines, { lines: texts.map((t) => [t, 'normal'] as const) });
    const { frames, reads } = renders(pane(['r1 00000001', 'r2 00000002', 'r3 00000003']), [
      pane(['r1 00000001', 'r2 00000002', 'r3 00000003']),
      pane(['r1 00000001', 'r2 000000ff', 'r3 00000003']),
    ]);
    expect(reads[0]).toBe(3);
    expect(reads[1]).toBe(0);
    expect(reads[2]).toBe(1);
    expect(frames[2].split('\n')).toEqual(['r1 00000001', 'r2 000000ff', 'r3 00000003']);
  });

  it('a Styled is rendered again when its role changes, with the same text', () => {
    const { reads } = renders(h(Styled, { role: 'dim' }, 'x'), [h(Styled, { role: 'dim' }, 'x'), h(Styled, { role: 'warn' }, 'x')]);
    expect(reads).toEqual([1, 0, 1]);
  });
});

/** Lines of every kind a pane draws: one role or runs, inverse and not, trailing blanks, empty texts and runs, box drawing and arrows. */
const MIXED: BlockLine[] = [
  ['  r1 00000001  ', 'normal'],
  ['', 'dim'],
  ['', 'current'],
  [' >  0040002c  lw t0, 0(a0)   ', 'current'],
  [[' 1', 'owner1'], ['', 'dim'], ['  busy ▶ → │ ─ █▏ · …', 'changed'], ['   ', 'dim']],
  [['cycle ', 'dim'], ['1,234', 'changed'], ['  ', 'selected']],
  [['', 'normal']],
  ['heading', 'heading'],
  [['a', 'breakpoint'], ['b', 'focusTab'], ['c', 'warn'], [' ', 'error']],
];

/** `tree` drawn by Ink at `columns`, with colors (chalk's level set for the call: Ink styles with the same chalk). */
function drawn(tree: ReactElement, columns: number, color: boolean): string {
  const level = chalk.level;
  chalk.level = 1;
  try {
    return renderToString(h(ThemeContext.Provider, { value: makeTheme(color) }, tree), { columns });
  } finally { chalk.level = level; }
}

/** The lines as Styled and Line elements, one a line (what the panes drew before Blocks). */
const perLine = (lines: readonly BlockLine[]) => h(Box, { flexDirection: 'column', height: lines.length, flexShrink: 0 },
  ...lines.map((l, i) => (typeof l[0] === 'string' ? h(Styled, { key: i, role: l[1] as Role }, l[0]) : h(Line, { key: i, runs: l as Runs }))));

describe('a Block draws what a Styled or a Line a line draws', () => {
  for (const color of [true, false]) {
    it(`the same screen, styles and all, as one Text (${color ? 'in color' : 'NO_COLOR'})`, () => {
      const width = 40;
      expect(blockText(makeTheme(color), MIXED, width)).toBeDefined();
      const block = drawn(h(Block, { lines: MIXED, width }), width, color);
      expect(block).toBe(drawn(perLine(MIXED), width, color));
      expect(block).toContain('\x1b[');
      expect(block.split('\n')).toHaveLength(MIXED.length);
    });
  }

  it('a line wider than its width, or with a character Ink measures otherwise, makes it draw a line an element: Ink cuts it as before', () => {
    const t = makeTheme(true);
    const wide: BlockLine[] = [['short', 'dim'], ['a line much wider than the block is', 'changed']];
    const odd: BlockLine[] = [[['✓ holds', 'ok']], ['宽字', 'normal']];
    expect(blockText(t, wide, 20)).toBeUndefined();
    expect(blockText(t, odd, 20)).toBeUndefined();
    expect(blockText(t, wide, 40)).toBeDefined();
    for (const lines of [wide, odd]) {
      const block = drawn(h(Box, { width: 20 }, h(Block, { lines, width: 20 })), 20, true);
      expect(block).toBe(drawn(h(Box, { width: 20 }, perLine(lines)), 20, true));
    }
    expect(drawn(h(Box, { width: 20 }, h(Block, { lines: wide, width: 20 })), 20, true)).toContain('…');
  });

  it('a Block given new arrays of the same lines is not rendered again; one whose line changed is, and shows it', () => {
    const block = (cycle: number, role: Role = 'changed') => h(Block, { lines: [['header', 'heading'], [['cycle ', 'dim'], [String(cycle), role]]], width: 30 });
    const { frames, reads } = renders(block(1), [block(1), block(2), block(2, 'normal')]);
    expect(reads[0]).toBeGreaterThan(0);
    expect(reads[1]).toBe(0);
    expect(frames[1]).toBe(frames[0]);
    expect(reads[2]).toBeGreaterThan(0);
    expect(frames[2].split('\n')).toEqual(['header', 'cycle 2']);
    expect(reads[3]).toBeGreaterThan(0);
  });
});
