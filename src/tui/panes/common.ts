// Building blocks of the panes: styled text by role, a line of styled
// runs, a block of such lines, and the frame (border and title line) a
// pane has in the wide layout.

import chalk from 'chalk';
import { Box, Text } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import { clip } from '../format.js';
import { plain } from '../ink-rows.js';
import type { CellFrame } from '../layout.js';
import { useTheme, type Role, type TextStyle, type Theme } from '../theme.js';

// Trailing blanks are dropped from text that is not drawn inverse: Ink's
// screen starts blank, and every character written costs render time
// (bench/tui.mjs).
//
// Styled, Line and Block are drawn again only when their text or roles
// change: while the machine runs, the panes' view models are new every
// frame, but many of their lines read the same as in the frame before (a
// register that did not change, the disassembly while the pc stays in a
// loop). Equal props keep the Ink nodes as they were, so React does not
// render or commit them and Ink does not lay them out again.
//
// A Line's runs are styled here, as Ink's Text would style them (its
// transform: chalk, in Ink's order), and handed to one Text as one
// string: Ink squashes a Text's nested Texts into exactly that string, so
// the screen is the same, without a React element, an Ink node and a
// transform per run. A Block does the same for many lines at once: one
// Text (one layout node) for lines that would each have been a Line or a
// Styled, when each fits its width (then Ink cuts none of them).

/** `text` in the look of `role`, never wrapped by Ink. */
function StyledImpl({ role = 'normal', children = '' }: { role?: Role; children?: string }): ReactNode {
  const t = useTheme();
  const style = t.text[role];
  return h(Text, { ...style, wrap: 'truncate-end' }, style.inverse ? children : children.trimEnd() || ' ');
}

/** Styled, drawn again only when its text or role changes. */
export const Styled = memo(StyledImpl);

/** A line's runs of text, each with its role. */
export type Runs = readonly (readonly [string, Role])[];

/** Ink's Text transform for `style` (Ink 6.8, components/Text.js: dim, color, bold, underline, inverse, in that order), kept per style. */
const transforms = new WeakMap<TextStyle, (s: string) => string>();

/** The colors Ink's colorize passes to chalk by name (the theme's are all such names). */
const named = (c: string): c is 'red' => c in chalk;

function transformOf(style: TextStyle): (s: string) => string {
  let f = transforms.get(style);
  if (!f) {
    const { dimColor, color, bold, underline, inverse } = style;
    if (color !== undefined && !named(color)) throw new Error(`theme color ${color} is not one of chalk's names`);
    f = (s: string) => {
      if (dimColor) s = chalk.dim(s);
      if (color) s = chalk[color as 'red'](s);
      if (bold) s = chalk.bold(s);
      if (underline) s = chalk.underline(s);
      if (inverse) s = chalk.inverse(s);
      return s;
    };
    transforms.set(style, f);
  }
  return f;
}

/** The runs a Line draws: trailing blank runs dropped unless inverse, the last one's trailing blanks too. */
function shownRuns(t: Theme, runs: Runs): { last: number; text: (i: number) => string } {
  let last = runs.length - 1;
  while (last > 0 && !t.text[runs[last][1]].inverse && !runs[last][0].trim()) last--;
  return { last, text: (i) => (i === last && !t.text[runs[i][1]].inverse ? runs[i][0].trimEnd() : runs[i][0]) };
}

/** What Ink squashes a Line's nested Texts into: each run's text in its style (an empty run adds nothing). */
export function lineText(t: Theme, runs: Runs): string {
  const { last, text } = shownRuns(t, runs);
  let out = '';
  for (let i = 0; i <= last; i++) {
    const s = text(i);
    if (s) out += transformOf(t.text[runs[i][1]])(s);
  }
  return out;
}

/** One line made of runs of text, each with its role, as one Text. */
function LineImpl({ runs }: { runs: Runs }): ReactNode {
  return h(Text, { wrap: 'truncate-end' }, lineText(useTheme(), runs));
}

/** Whether two lines' runs are the same texts in the same roles. */
export function sameRuns(a: Runs, b: Runs): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  return true;
}

/** Line, drawn again only when its runs read differently (new arrays of the same runs are the same line). */
export const Line = memo(LineImpl, (a, b) => sameRuns(a.runs, b.runs));

/** Lines of text, one role each, in a box `height` lines high (their number by default), each line a Styled. */
export function Lines({ lines, height }: { lines: readonly (readonly [string, Role])[]; height?: number }): ReactNode {
  return h(Box, { flexDirection: 'column', height: height ?? lines.length, flexShrink: 0 },
    ...lines.map(([text, role], i) => h(Styled, { key: i, role }, text)));
}

/** A line of a Block: one text in one role (drawn as Styled draws it), or runs (as Line draws them). */
export type BlockLine = readonly [string, Role] | Runs;

const isStyled = (l: BlockLine): l is readonly [string, Role] => typeof l[0] === 'string';

/** Columns `s` takes when each of its characters is plain (ink-rows.ts: one column, a grapheme of its own); undefined when one is not. */
function plainWidth(s: string): number | undefined {
  for (let i = 0; i < s.length; i++) if (!plain(s.charCodeAt(i))) return undefined;
  return s.length;
}

/**
 * A Block's lines as one string (a line each, styled as Styled or Line
 * would have Ink style it; none for a line with no text, which Ink lays
 * out zero rows high, so the lines after it move up), or undefined when a
 * line does not certainly fit in `width` columns: Ink would cut it, and
 * cuts a line of a Styled before styling it, so the Block draws each line
 * as its own element.
 */
export function blockText(t: Theme, lines: readonly BlockLine[], width: number): string | undefined {
  const out: string[] = [];
  for (const l of lines) {
    if (isStyled(l)) {
      const style = t.text[l[1]];
      const text = style.inverse ? l[0] : l[0].trimEnd() || ' ';
      const w = plainWidth(text);
      if (w === undefined || w > width) return undefined;
      if (text) out.push(transformOf(style)(text));
    } else {
      const { last, text } = shownRuns(t, l);
      let w = 0;
      for (let i = 0; i <= last; i++) {
        const n = plainWidth(text(i));
        if (n === undefined) return undefined;
        w += n;
      }
      if (w > width) return undefined;
      const drawn = lineText(t, l);
      if (drawn) out.push(drawn);
    }
  }
  return out.join('\n');
}

/** Whether two blocks' lines read the same in the same roles. */
function sameLines(a: readonly BlockLine[], b: readonly BlockLine[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (isStyled(x) !== isStyled(y)) return false;
    if (isStyled(x) ? x[0] !== y[0] || x[1] !== y[1] : !sameRuns(x, y as Runs)) return false;
  }
  return true;
}

interface BlockProps {
  readonly lines: readonly BlockLine[];
  /** The columns the block is laid out in (its box's inner width). */
  readonly width: number;
  /** Its height (the number of lines by default). */
  readonly height?: number;
}

/**
 * Lines, each drawn as a Styled or a Line would draw it, in a box `height`
 * lines high: one Text when every line fits in `width` (see blockText),
 * else one element a line.
 */
function BlockImpl({ lines, width, height }: BlockProps): ReactNode {
  const t = useTheme();
  const box = { flexDirection: 'column', height: height ?? lines.length, flexShrink: 0 } as const;
  const text = blockText(t, lines, width);
  if (text !== undefined) return h(Box, box, h(Text, { wrap: 'truncate-end' }, text));
  return h(Box, box, ...lines.map((l, i) => (isStyled(l) ? h(Styled, { key: i, role: l[1] }, l[0]) : h(Line, { key: i, runs: l }))));
}

/** Block, drawn again only when its lines read differently or its size changes. */
export const Block = memo(BlockImpl, (a, b) => a.width === b.width && a.height === b.height && sameLines(a.lines, b.lines));

export interface FrameProps {
  readonly title: string;
  readonly info: string;
  readonly focused: boolean;
  readonly frame: CellFrame;
  readonly width: number;
  readonly height: number;
  readonly children?: ReactNode;
}

/**
 * A pane's outer box: exactly `width` x `height`, with a title line that
 * has the pane's info beside the title. 'box' has a border (double when
 * focused, so it shows without color); 'title' has none, and its title is
 * drawn inverse when focused.
 */
export function Frame({ title, info, focused, frame, width, height, children }: FrameProps): ReactNode {
  const t = useTheme();
  const boxed = frame === 'box';
  const inner = boxed ? width - 2 : width - 1;
  const room = inner - title.length - 2;
  const head = h(Line, { runs: [[boxed ? title : ` ${title} `, focused ? (boxed ? 'focusTitle' : 'focusTab') : boxed ? 'title' : 'tab'], [room > 3 ? '  ' + clip(info, room - (boxed ? 0 : 2)) : '', 'dim']] });
  const body = h(Box, { flexDirection: 'column', flexGrow: 1, overflowY: 'hidden' }, children);
  if (!boxed) return h(Box, { width, height, flexDirection: 'column', overflowY: 'hidden', paddingRight: 1 }, head, body);
  return h(Box, { width, height, flexDirection: 'column', borderStyle: focused ? 'double' : 'round', borderColor: t.border(focused), overflowY: 'hidden' }, head, body);
}
