// The environments pane: one row per environment (the selected one
// highlighted, ">" on the CPU) and the selected one's contexts and counters.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import type { EnvRow, EnvsView } from '../selectors/envs.js';
import { ownerRole, type Role } from '../theme.js';
import { Block, type BlockLine } from './common.js';

const role = (r: EnvRow): Role => (r.selected ? 'selected' : r.destroyed ? 'dim' : r.current ? 'mine' : 'normal');

/** The environments pane of `view`, `width` x `height`. */
function EnvsPaneImpl({ view, width, height }: { view: EnvsView; width: number; height: number }): ReactNode {
  // The id in the environment's palette look, as its symbol is in every pane.
  const row = (r: EnvRow): BlockLine => [[r.text.slice(0, 1), role(r)], [r.text.slice(1, 3), r.destroyed || r.selected ? role(r) : ownerRole(r.id)], [r.text.slice(3), role(r)]];
  return h(Box, { flexDirection: 'column', height },
    h(Block, { lines: [[view.header, 'dim'], ...view.rows.map(row)], width }),
    h(Block, { lines: view.detail.map((d) => [d, 'normal'] as const), width, height: Math.max(0, height - 1 - view.rows.length) }));
}

/** EnvsPane, redrawn only when its view model (or size) changes. */
export const EnvsPane = memo(EnvsPaneImpl);
