// The TLB pane: the hardware TLB beside (or above) the selected
// environment's STLB, with the STLB counters.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import { clip } from '../format.js';
import { STLB_WIDTH, TLB_WIDTH, type TlbLine, type TlbView } from '../selectors/tlb.js';
import type { Role } from '../theme.js';
import { Lines } from './common.js';

const role = (l: TlbLine): Role => (l.written ? 'written' : l.both ? 'both' : l.mine ? 'mine' : 'normal');

function Table({ title, header, lines, width, rows }: { title: string; header: string; lines: readonly TlbLine[]; width: number; rows: number }): ReactNode {
  return h(Box, { flexDirection: 'column', width },
    h(Lines, { lines: [[clip(title, width), 'heading'], [header, 'dim'], ...lines.map((l): readonly [string, Role] => [l.text, role(l)])], height: rows + 2 }));
}

/** The TLB pane of `view`, `width` x `height`. */
function TlbPaneImpl({ view, width, height }: { view: TlbView; width: number; height: number }): ReactNode {
  const tlbTitle = 'TLB (+ written, = in STLB)';
  const stlbTitle = view.env ? `STLB of ${view.env} (= in TLB)` : 'STLB (no environment)';
  const counters = h(Lines, { lines: [[clip(view.counters, width), 'dim']] });
  if (view.arrangement === 'side') {
    const rows = height - 3;
    return h(Box, { flexDirection: 'column', height },
      counters,
      h(Box, { flexDirection: 'row' },
        h(Table, { title: tlbTitle, header: view.tlbHeader, lines: view.tlb, width: TLB_WIDTH + 3, rows }),
        h(Table, { title: stlbTitle, header: view.stlbHeader, lines: view.stlb, width: Math.max(STLB_WIDTH, width - TLB_WIDTH - 3), rows })));
  }
  const rows = Math.max(0, Math.floor((height - 5) / 2));
  return h(Box, { flexDirection: 'column', height },
    counters,
    h(Table, { title: tlbTitle, header: view.tlbHeader, lines: view.tlb, width, rows }),
    h(Table, { title: stlbTitle, header: view.stlbHeader, lines: view.stlb, width, rows }));
}

/** TlbPane, redrawn only when its view model (or size) changes. */
export const TlbPane = memo(TlbPaneImpl);
