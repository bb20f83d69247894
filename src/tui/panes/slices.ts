// The time-slice vector pane: the 128 slots by owner (each environment in
// its own color, always with its symbol, so that NO_COLOR loses nothing),
// the running slot drawn inverse and marked, and the CPU shares.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { GridRow, ShareRow, SlicesView, SlotRun } from '../selectors/slices.js';
import { ownerRole, type Role } from '../theme.js';
import { Line, Lines } from './common.js';

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
  const lines = (runs: readonly Run[][], key: string) => runs.map((r, i) => h(Line, { key: `${key}${i}`, runs: r }));
  const header = h(Lines, { lines: [[view.header, 'heading']] });
  if (view.arrangement === 'side') {
    return h(Box, { flexDirection: 'column', height },
      header,
      h(Box, { flexDirection: 'row' },
        h(Box, { flexDirection: 'column', width: view.gridWidth + 2, flexShrink: 0 }, ...lines(gridLines(view.grid), 'g')),
        h(Box, { flexDirection: 'column', width: Math.max(1, width - view.gridWidth - 2) }, ...lines(table, 's'))));
  }
  return h(Box, { flexDirection: 'column', height },
    header,
    ...lines(gridLines(view.grid), 'g'),
    ...lines(table, 's'),
    h(Lines, { lines: view.footer.map((f) => [f, 'dim'] as const) }));
}

/** SlicesPane, redrawn only when its view model (or size) changes. */
export const SlicesPane = memo(SlicesPaneImpl);
