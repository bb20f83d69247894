// Everything around the panes: status line, tab bar, bottom line, and the
// overlays that take the body's place (help, break-on menu, popups), and
// the message for a terminal too small to draw in.

import { Box, Text } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import { clip, fit, windowOf } from '../format.js';
import { MIN_COLS, MIN_ROWS } from '../layout.js';
import type { BottomView, MenuRow, StatusView, Tab } from '../selectors/chrome.js';
import type { IntroLine } from '../selectors/intro.js';
import type { RevokeLineKind, RevokeView } from '../selectors/revoke.js';
import type { Role } from '../theme.js';
import { Line, Lines } from './common.js';

/** The status line: run state and stop reason, then cycle, instructions and pc. */
export const StatusLine = memo(function StatusLine({ view }: { view: StatusView }): ReactNode {
  return h(Line, { runs: [[view.left, view.running ? 'running' : view.state === 'breakpoint' ? 'breakpoint' : 'title'], [view.right ? '  ' + view.right : '', 'dim']] });
});

/**
 * The tab bar of the layouts that do not show every pane: the focused
 * pane inverse, those on screen plain, the others dim; the keys after it.
 */
export const TabBar = memo(function TabBar({ tabs, width }: { tabs: readonly Tab[]; width: number }): ReactNode {
  const runs: [string, Role][] = tabs.map((t): [string, Role] => [` ${t.label} `, t.focused ? 'focusTab' : t.shown ? 'normal' : 'dim']);
  const used = runs.reduce((n, [s]) => n + s.length, 0);
  const hint = '│ digit focuses, z zooms';
  if (width - used >= hint.length + 1) runs.push([' ' + hint, 'dim']);
  return h(Line, { runs });
});

const BOTTOM_ROLE: Record<BottomView['kind'], Role> = { legend: 'dim', message: 'ok', error: 'error', prompt: 'key', question: 'warn', hint: 'dim' };

/** The bottom line: the key legend, a message, a prompt or a question. */
export const BottomLine = memo(function BottomLine({ view }: { view: BottomView }): ReactNode {
  return h(Lines, { lines: [[view.text, BOTTOM_ROLE[view.kind]]] });
});

/** A titled box filling the body: help, the break-on menu, a popup. */
function Overlay({ title, width, height, children }: { title: string; width: number; height: number; children?: ReactNode }): ReactNode {
  return h(Box, { width, height, flexDirection: 'column', borderStyle: 'round', overflowY: 'hidden' },
    h(Lines, { lines: [[clip(title, width - 2), 'title']] }),
    children);
}

/** Scrollable text lines in an overlay; `heading` lines are emphasised. */
export const TextOverlay = memo(function TextOverlay({ title, lines, scroll, width, height }: { title: string; lines: readonly { text: string; heading?: boolean }[]; scroll: number; width: number; height: number }): ReactNode {
  const win = windowOf(lines, scroll, height - 3);
  const more = win.max > 0 ? ` (${win.offset + 1}-${win.offset + win.items.length} of ${lines.length})` : '';
  return h(Overlay, { title: title + more, width, height },
    h(Lines, { lines: win.items.map((l) => [clip(l.text, width - 2), l.heading ? 'heading' : 'normal'] as const) }));
});

/** The break-on menu. */
export const MenuOverlay = memo(function MenuOverlay({ rows, width, height }: { rows: readonly MenuRow[]; width: number; height: number }): ReactNode {
  return h(Overlay, { title: 'Break on (for every environment; :break exc|event <name> <env> for one)', width, height },
    h(Lines, { lines: rows.map((r) => [fit(r.text, width - 2), r.kind === 'heading' ? 'heading' : r.cursor ? 'cursor' : r.on ? 'breakpoint' : 'normal'] as const) }));
});

const REVOKE_ROLE: Record<RevokeLineKind, Role> = { text: 'normal', field: 'normal', cursor: 'cursor', note: 'dim', error: 'error', question: 'warn' };

/** The revocation dialog. */
export const RevokeOverlay = memo(function RevokeOverlay({ view, width, height }: { view: RevokeView; width: number; height: number }): ReactNode {
  return h(Overlay, { title: view.title, width, height },
    h(Lines, { lines: view.lines.slice(0, Math.max(0, height - 3)).map((l) => [l.kind === 'cursor' ? fit(l.text, width - 2) : l.text, REVOKE_ROLE[l.kind]] as const) }));
});

const INTRO_ROLE: Readonly<Record<IntroLine['kind'], Role>> = { title: 'heading', text: 'normal', heading: 'title', key: 'key' };

/** The first screen: the scenario, the panes by number, the key that starts it. */
export const IntroOverlay = memo(function IntroOverlay({ lines, width, height }: { lines: readonly IntroLine[]; width: number; height: number }): ReactNode {
  return h(Overlay, { title: 'exoscope: an exokernel (Aegis) and its library OSes (ExOS) on an emulated DECstation 5000/200', width, height },
    h(Lines, { lines: lines.slice(0, Math.max(0, height - 3)).map((l) => [l.text, INTRO_ROLE[l.kind]] as const) }));
});

/** What a too small terminal shows instead of the panes. */
export function TooSmall({ cols, rows }: { cols: number; rows: number }): ReactNode {
  return h(Box, { flexDirection: 'column' },
    h(Text, { bold: true }, 'exoscope needs a bigger terminal'),
    h(Text, {}, `This one is ${cols}x${rows}; make it at least ${MIN_COLS}x${MIN_ROWS}.`),
    h(Text, {}, 'q quits.'));
}
