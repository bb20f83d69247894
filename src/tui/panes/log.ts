// The event log pane and the console pane: lines from the bottom.

import { createElement as h, memo, type ReactNode } from 'react';
import type { ConsoleView } from '../selectors/console.js';
import type { EventsView, EventTone } from '../selectors/events.js';
import type { Role } from '../theme.js';
import { Block } from './common.js';

const TONE: Record<EventTone, Role> = { normal: 'normal', warn: 'warn', error: 'error', dim: 'dim' };

/** The event log pane of `view`, `height` lines. */
function LogPaneImpl({ view, width, height }: { view: EventsView; width: number; height: number }): ReactNode {
  const lines = view.lines.length ? view.lines.map((l, i) => [l.text, i === view.selected ? 'selected' : TONE[l.tone]] as const) : [[view.filter ? 'no event matches the filter (/ changes it)' : 'no events yet', 'dim'] as const];
  return h(Block, { lines, width, height });
}

/** The console pane of `view`, `height` lines. */
function ConsolePaneImpl({ view, width, height }: { view: ConsoleView; width: number; height: number }): ReactNode {
  const lines = view.lines.length ? view.lines.map((l) => [l, 'normal'] as const) : [[view.env ? `${view.env} has written nothing` : 'no environment selected', 'dim'] as const];
  return h(Block, { lines, width, height });
}

/** LogPane, redrawn only when its view model (or size) changes. */
export const LogPane = memo(LogPaneImpl);
/** ConsolePane, redrawn only when its view model (or size) changes. */
export const ConsolePane = memo(ConsolePaneImpl);
