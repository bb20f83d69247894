// The TLB/STLB pane: one row per mapping with where it lives (hardware TLB
// index, STLB slot, guaranteed), the frame's owner and the capability it is
// reached through, and what changed since the previous frame. The
// environment's name is drawn in its owner look (the same in every pane);
// the rest of the row in the look of its newest change.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { MappingLine, MappingsView } from '../selectors/mappings.js';
import { ownerRole, type Role } from '../theme.js';
import { Block, type BlockLine } from './common.js';

const MARK_ROLE: Readonly<Record<string, Role>> = { written: 'written', refilled: 'ok', 'g-refill': 'ok', evicted: 'warn', removed: 'error', replaced: 'warn' };

function rowRole(l: MappingLine): Role {
  if (l.row.gone) return 'dim';
  const m = l.row.marks[0];
  return m ? MARK_ROLE[m] : 'normal';
}

/** The TLB/STLB pane of `view`, `width` x `height`. */
function TlbPaneImpl({ view, width, height }: { view: MappingsView; width: number; height: number }): ReactNode {
  const n = view.nameWidth;
  const rows = view.lines.map((l): BlockLine => [[l.text.slice(0, n), l.row.env === 0 || l.row.gone ? 'dim' : ownerRole(l.row.env)], [l.text.slice(n), rowRole(l)]]);
  return h(Box, { flexDirection: 'column', height },
    h(Block, { lines: [[view.counters, 'dim'], [view.legend, 'dim'], [view.header, 'heading'], ...(rows.length ? rows : [['no mappings yet (a shows every environment\'s)', 'dim'] as const])], width }));
}

/** TlbPane, redrawn only when its view model (or size) changes. */
export const TlbPane = memo(TlbPaneImpl);
