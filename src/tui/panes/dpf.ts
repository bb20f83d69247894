// The packet filter pane: the merged trie, one line per atom, hash table
// and filter end, each with its hit count. A filter's end is drawn in its
// owner's look and names the owner, so that NO_COLOR loses nothing.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { DpfPaneView, DpfRow } from '../selectors/dpf.js';
import { ownerRole, type Role } from '../theme.js';
import { Block, type BlockLine } from './common.js';

function rowRole(r: DpfRow): Role {
  if (r.kind === 'leaf') return ownerRole(r.owner);
  if (r.kind === 'hash') return 'label';
  if (r.kind === 'root') return 'heading';
  return r.hot ? 'normal' : 'dim';
}

/** The DPF pane of `view`, `width` x `height`. */
function DpfPaneImpl({ view, width, height }: { view: DpfPaneView; width: number; height: number }): ReactNode {
  const rows = view.rows.map((r): BlockLine => [[r.text, rowRole(r)], [' ' + r.hits, r.hot ? 'normal' : 'dim']]);
  return h(Box, { flexDirection: 'column', height },
    h(Block, { lines: [[view.header, 'heading'], ...(view.empty && !view.rows.length ? [[view.empty, 'dim'] as const] : rows)], width }));
}

/** DpfPane, redrawn only when its view model (or size) changes. */
export const DpfPane = memo(DpfPaneImpl);
