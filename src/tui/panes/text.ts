// A pane of plain lines (selectors/mono.ts's TextView): the monolithic
// kernel's TLB and processes, and the exokernel-only panes' statements.

import { createElement as h, memo, type ReactNode } from 'react';
import type { TextView } from '../selectors/mono.js';
import type { Role } from '../theme.js';
import { Block } from './common.js';

const TONE: Record<TextView['lines'][number]['tone'], Role> = { normal: 'normal', warn: 'warn', error: 'error', dim: 'dim', heading: 'heading' };

/** The pane of `view`, `height` lines. */
function TextPaneImpl({ view, width, height }: { view: TextView; width: number; height: number }): ReactNode {
  return h(Block, { lines: view.lines.map((l) => [l.text, TONE[l.tone]] as const), width, height });
}

/** TextPane, redrawn only when its view model (or size) changes. */
export const TextPane = memo(TextPaneImpl);
