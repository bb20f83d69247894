// The frames pane: a map of every physical frame by owner, the legend,
// shared and guaranteed frames, and the selected environment's frames.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { FramesView } from '../selectors/frames.js';
import type { Role } from '../theme.js';
import { Line, Lines } from './common.js';

/** The frames pane of `view`, `width` x `height`. */
function FramesPaneImpl({ view, height }: { view: FramesView; width: number; height: number }): ReactNode {
  const legend = view.legend.flatMap((l, i): (readonly [string, Role])[] => [[i ? '  ' : '', 'normal'], [l.sym, l.role], [' ' + l.label, 'dim']]);
  if (view.note) legend.push(['  ' + view.note, 'dim']);
  const rest = Math.max(0, height - view.map.length - 4);
  return h(Box, { flexDirection: 'column', height },
    ...view.map.map((runs, i) => h(Line, { key: `m${i}`, runs: runs.map((r) => [r.text, r.role] as const) })),
    h(Line, { runs: legend }),
    h(Lines, { lines: [[`${view.shared}   ${view.guaranteed}`, 'normal'], [view.env ? `${view.env}'s frames (${view.detailTotal}): G guaranteed, S shared, T in the TLB` : 'no environment selected', 'heading'], [view.detailHeader, 'dim']] }),
    h(Lines, { lines: view.detail.map((d) => [d, 'normal'] as const), height: rest }));
}

/** FramesPane, redrawn only when its view model (or size) changes. */
export const FramesPane = memo(FramesPaneImpl);
