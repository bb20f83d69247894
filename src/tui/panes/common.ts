// Building blocks of the panes: styled text by role, a line of styled
// runs, and the frame (border and title line) a pane has in the wide layout.

import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { clip } from '../format.js';
import type { CellFrame } from '../layout.js';
import { useTheme, type Role } from '../theme.js';

// Trailing blanks are dropped from text that is not drawn inverse: Ink's
// screen starts blank, and every character written costs render time
// (bench/tui.mjs).

/** `text` in the look of `role`, never wrapped by Ink. */
export function Styled({ role = 'normal', children = '' }: { role?: Role; children?: string }): ReactNode {
  const t = useTheme();
  const style = t.text[role];
  return h(Text, { ...style, wrap: 'truncate-end' }, style.inverse ? children : children.trimEnd() || ' ');
}

/** One line made of runs of text, each with its role. */
export function Line({ runs }: { runs: readonly (readonly [string, Role])[] }): ReactNode {
  const t = useTheme();
  let last = runs.length - 1;
  while (last > 0 && !t.text[runs[last][1]].inverse && !runs[last][0].trim()) last--;
  return h(Text, { wrap: 'truncate-end' }, ...runs.slice(0, last + 1).map(([text, role], i) => {
    const style = t.text[role];
    return h(Text, { key: i, ...style }, i === last && !style.inverse ? text.trimEnd() : text);
  }));
}

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
