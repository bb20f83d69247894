// The memory pane: a hex dump of the selected environment's address space
// (selectors/memory.ts), words changed since the last frame highlighted,
// lines the environment cannot read said unmapped.

import { createElement as h, memo, type ReactNode } from 'react';
import type { MemoryLine, MemoryView } from '../selectors/memory.js';
import type { Role } from '../theme.js';
import { Block } from './common.js';

type Run = readonly [string, Role];

/** A dump line as runs: the address, the words (changed ones marked), their characters. */
function dumpLine(l: MemoryLine): Run[] {
  if (l.unmapped) return [[`${l.addr}  `, 'dim'], ['unmapped', 'dim']];
  return [[`${l.addr} `, 'dim'], ...l.words.map((w): Run => [` ${w.text}`, w.changed ? 'changed' : 'normal']), [`  ${l.chars}`, 'dim']];
}

/** The memory pane of `view`, `width` x `height`. */
function MemoryPaneImpl({ view, width, height }: { view: MemoryView; width: number; height: number }): ReactNode {
  const lines = view.note !== undefined ? [[view.note, 'dim'] as const] : view.lines.map(dumpLine);
  return h(Block, { lines, width, height });
}

/** MemoryPane, redrawn only when its view model (or size) changes. */
export const MemoryPane = memo(MemoryPaneImpl);
