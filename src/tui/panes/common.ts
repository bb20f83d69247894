// Building blocks of the panes: styled text by role, a line of styled
// runs, and the frame (border and title line) a pane has in the wide layout.

import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { clip } from '../format.js';
import { useTheme, type Role } from '../theme.js';

/** `text` in the look of `role`, never wrapped by Ink. */
export function Styled({ role = 'normal', children }: { role?: Role; children?: string }): ReactNode {
  const t = useTheme();
  return h(Text, { ...t.text[role], wrap: 'truncate-end' }, children);
}

/** One line made of runs of text, each with its role. */
export function Line({ runs }: { runs: readonly (readonly [string, Role])[] }): ReactNode {
  const t = useTheme();
  return h(Text, { wrap: 'truncate-end' }, ...runs.map(([text, role], i) => h(Text, { key: i, ...t.text[role] }, text)));
}

/** Lines of text, one role each, padded to `height` lines so the pane keeps its size. */
export function Lines({ lines, height }: { lines: readonly (readonly [string, Role])[]; height?: number }): ReactNode {
  const pad = Math.max(0, (height ?? lines.length) - lines.length);
  return h(Box, { flexDirection: 'column' },
    ...lines.map(([text, role], i) => h(Styled, { key: i, role }, text || ' ')),
    ...Array.from({ length: pad }, (_, i) => h(Text, { key: `pad${i}` }, ' ')));
}

export interface FrameProps {
  readonly title: string;
  readonly info: string;
  readonly focused: boolean;
  readonly framed: boolean;
  readonly width: number;
  readonly height: number;
  readonly children?: ReactNode;
}

/**
 * A pane's outer box: exactly `width` x `height`. Framed, it has a border
 * (double when focused, so it shows without color) and a title line with
 * the pane's info beside the title.
 */
export function Frame({ title, info, focused, framed, width, height, children }: FrameProps): ReactNode {
  const t = useTheme();
  if (!framed) return h(Box, { width, height, flexDirection: 'column', overflow: 'hidden' }, children);
  const room = width - 2 - title.length - 2;
  return h(Box, { width, height, flexDirection: 'column', borderStyle: focused ? 'double' : 'round', borderColor: t.border(focused), overflow: 'hidden' },
    h(Line, { runs: [[title, focused ? 'focusTitle' : 'title'], [room > 3 ? '  ' + clip(info, room) : '', 'dim']] }),
    h(Box, { flexDirection: 'column', flexGrow: 1, overflow: 'hidden' }, children));
}
