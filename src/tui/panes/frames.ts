// The frames pane: a map of physical memory by owner (each environment in
// its palette look and symbol, the selected one inverse), each row
// labelled with its first frame; the legend; shared and guaranteed frames;
// and the table of the selected environment's frames.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { CellLook, FramesView } from '../selectors/frames.js';
import { ownerRole, type Role } from '../theme.js';
import { Block } from './common.js';

function lookRole(look: CellLook, owner: number): Role {
  switch (look) {
    case 'env': return ownerRole(owner);
    case 'selected': return 'selected';
    case 'kernel': return 'kernel';
    case 'free': return 'free';
    case 'partial': return 'dim';
  }
}

/** The frames pane of `view`, `width` x `height`. */
function FramesPaneImpl({ view, width, height }: { view: FramesView; width: number; height: number }): ReactNode {
  const legend = view.legend.flatMap((l, i): (readonly [string, Role])[] => [[i ? '  ' : '', 'normal'], [l.sym, lookRole(l.look, l.owner)], [' ' + l.label, 'dim']]);
  const rest = Math.max(0, height - view.map.length - 5);
  return h(Box, { flexDirection: 'column', height },
    h(Block, {
      lines: [
        ...view.map.map((r) => [[r.label, 'dim'], ...r.runs.map((x) => [x.text, lookRole(x.look, x.owner)] as const)] as const),
        legend,
        [`${view.shared}   ${view.guaranteed}`, 'normal'], [view.title, 'heading'], [view.detailHeader, 'dim'],
      ],
      width,
    }),
    h(Block, { lines: view.detail.map((d) => [d, 'normal'] as const), width, height: rest }));
}

/** FramesPane, redrawn only when its view model (or size) changes. */
export const FramesPane = memo(FramesPaneImpl);
