// The environments pane: one row per environment (the selected one
// highlighted, ">" on the CPU) and the selected one's contexts and counters.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { EnvRow, EnvsView } from '../selectors/envs.js';
import type { Role } from '../theme.js';
import { Lines } from './common.js';

const role = (r: EnvRow): Role => (r.selected ? 'selected' : r.destroyed ? 'dim' : r.current ? 'mine' : 'normal');

/** The environments pane of `view`, `width` x `height`. */
function EnvsPaneImpl({ view, height }: { view: EnvsView; width: number; height: number }): ReactNode {
  return h(Box, { flexDirection: 'column', height },
    h(Lines, { lines: [[view.header, 'dim'], ...view.rows.map((r) => [r.text, role(r)] as const), ...view.detail.map((d) => [d, 'normal'] as const)], height }));
}

/** EnvsPane, redrawn only when its view model (or size) changes. */
export const EnvsPane = memo(EnvsPaneImpl);
