// The time-slice vector pane: the 128 slots by owner (each environment in
// its own color, always with its symbol, so that NO_COLOR loses nothing),
// the running slot drawn inverse and marked, and the CPU shares.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { GridRow, ShareRow, SlicesView, SlotRun } from '../selectors/slices.js';
import { ownerRole, type Role } from '../theme.js';
import { Block } from './common.js';

type Run = readonly [string, Role];

const slotRole = (r: SlotRun): Role => (r.current ? 'current' : r.owner === 0 ? 'free' : ownerRole(r.owner));

function gridLines(rows: readonly GridRow[]): Run[][] {
  return rows.flatMap((r) => {
    const line: Run[] = [[r.label, 'dim'], ...r.runs.map((x): Run => [x.text, slotRole(x)])];
    return r.marker === undefined ? [line] : [line, [[r.marker, 'key']]];
  });
}

function shareLine(r: ShareRow): Run[] {
  const text: Role = r.selected ? 'selected' : r.destroyed || r.owner === 0 ? 'dim' : 'normal';
  return [[r.lead, text], [r.bar, r.owner === 0 ? 'free' : ownerRole(r.owner)], [r.tail, text]];
}

/** The slices pane of `view`, `width` x `height`. */
function SlicesPaneImpl({ view, width, height }: { view: SlicesView; width: number; height: number }): ReactNode {
  const table = [[[view.shareHeader, 'dim']] as Run[], ...view.shares.map(shareLine)];
  const header = [view.header, 'heading'] as const;
  if (view.arrangement === 'side') {
    const tableW = Math.max(1, width - view.gridWidth - 2);
    return h(Box, { flexDirection: 'column', height },
      h(Block, { lines: [header], width }),
      h(Box, { flexDirection: 'row' },
        h(Box, { flexDirection: 'column', width: view.gridWidth + 2, flexShrink: 0 }, h(Block, { lines: gridLines(view.grid), width: view.gridWidth + 2 })),
        h(Box, { flexDirection: 'column', width: tableW }, h(Block, { lines: table, width: tableW }))));
  }
  return h(Box, { flexDirection: 'column', height },
    h(Block, { lines: [header, ...gridLines(view.grid), ...table, ...view.footer.map((f) => [f, 'dim'] as const)], width }));
}

/** SlicesPane, redrawn only when its view model (or size) changes. */
export const SlicesPane = memo(SlicesPaneImpl);
