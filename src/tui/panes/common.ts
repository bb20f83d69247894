// Building blocks of the panes: styled text by role, a line of styled
// runs, and the frame (border and title line) a pane has in the wide layout.

import { Box, Text } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import { clip } from '../format.js';
import type { CellFrame } from '../layout.js';
import { useTheme, type Role } from '../theme.js';

// Trailing blanks are dropped from text that is not drawn inverse: Ink's
// screen starts blank, and every character written costs render time
// (bench/tui.mjs).
//
// Styled and Line are drawn again only when their text or roles change:
// while the machine runs, the panes' view models are new every frame, but
// many of their lines read the same as in the frame before (a register
// that did not change, the disassembly while the pc stays in a loop). A
// line whose props are equal keeps its Ink nodes as they were, so React
// does not render or commit it and Ink does not lay it out again.

/** `text` in the look of `role`, never wrapped by Ink. */
function StyledImpl({ role = 'normal', children = '' }: { role?: Role; children?: string }): ReactNode {
  const t = useTheme();
  const style = t.text[role];
  return h(Text, { ...style, wrap: 'truncate-end' }, style.inverse ? children : children.trimEnd() || ' ');
}

/** Styled, drawn again only when its text or role changes. */
export const Styled = memo(StyledImpl);

/** One line made of runs of text, each with its role. */
function LineImpl({ runs }: { runs: readonly (readonly [string, Role])[] }): ReactNode {
  const t = useTheme();
  let last = runs.length - 1;
  while (last > 0 && !t.text[runs[last][1]].inverse && !runs[last][0].trim()) last--;
  return h(Text, { wrap: 'truncate-end' }, ...runs.slice(0, last + 1).map(([text, role], i) => {
    const style = t.text[role];
    return h(Text, { key: i, ...style }, i === last && !style.inverse ? text.trimEnd() : text);
  }));
}

type Runs = readonly (readonly [string, Role])[];

/** Whether two lines' runs are the same texts in the same roles. */
export function sameRuns(a: Runs, b: Runs): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  return true;
}

/** Line, drawn again only when its runs read differently (new arrays of the same runs are the same line). */
export const Line = memo(LineImpl, (a, b) => sameRuns(a.runs, b.runs));

/** Lines of text, one role each, in a box `height` lines high (their number by default). */
export function Lines({ lines, height }: { lines: readonly (readonly [string, Role])[]; height?: number }): ReactNode {
  return h(Box, { flexDirection: 'column', height: height ?? lines.length, flexShrink: 0 },
    ...lines.map(([text, role], i) => h(Styled, { key: i, role }, text)));
}

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
