// The TUI's own state, apart from the machine's: the input mode, the focused
// pane, the selected environment, scroll offsets, the log filter and the
// last message. Plain data changed only by pure functions (input.ts).

import type { AddrSpec, Breakpoint } from '../session/index.js';
import { parseLogFilter, type LogFilter } from './commandline.js';
import { PANES, type PaneId } from './layout.js';
import type { InjectForm } from './inject.js';
import type { RevokeForm } from './revoke.js';

/** Prompts of the bottom line. */
export type PromptKind = 'command' | 'filter' | 'break';

/** What keys mean right now. */
export type Mode =
  | { readonly kind: 'normal' }
  /** `recall`: the entry of the prompt's history shown (↑/↓), with `draft` the text typed before. */
  | { readonly kind: 'prompt'; readonly prompt: PromptKind; readonly text: string; readonly recall?: number; readonly draft?: string }
  | { readonly kind: 'menu'; readonly cursor: number }
  | { readonly kind: 'confirm'; readonly action: 'kill' | 'quit'; readonly env?: string }
  | { readonly kind: 'revoke'; readonly form: RevokeForm }
  | { readonly kind: 'inject'; readonly form: InjectForm }
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'intro' }
  | { readonly kind: 'popup'; readonly title: string; readonly lines: readonly string[]; readonly scroll: number };

export interface UiState {
  readonly mode: Mode;
  readonly focus: PaneId;
  /** The focused pane fills the body (z). */
  readonly zoom: boolean;
  /** The TLB/STLB and frames panes show every environment, not only the selected one (a). */
  readonly allEnvs: boolean;
  /** The frame map's zoom: 0 shows all of memory, each level halves the frames a character (< >). */
  readonly mapZoom: number;
  /** The selected environment's name; undefined follows the one on the CPU. */
  readonly env: string | undefined;
  /** Per pane: lines from the top, from the bottom for the log and the console (0 follows), from the pc for the CPU. */
  readonly scroll: Readonly<Record<PaneId, number>>;
  readonly filter: LogFilter;
  /** Where the memory pane's window starts (:mem); undefined: the selected environment's sp. */
  readonly memAt: AddrSpec | undefined;
  /** The event selected in the log, by its index in the history (0 is the first since boot); undefined: none, the log follows the newest. */
  readonly logCursor: number | undefined;
  readonly message: { readonly text: string; readonly error: boolean } | undefined;
  /** What was entered at each prompt, oldest first (↑ and ↓ recall it), at most HISTORY_MAX each. */
  readonly lineHistory: Readonly<Record<PromptKind, readonly string[]>>;
}

/** Lines each prompt's history keeps. */
export const HISTORY_MAX = 100;

/**
 * How j and k move a pane: scroll from the top, from the bottom, select an
 * environment, or scroll either way from where the pane centres itself
 * (the disassembly, on the pc).
 */
export const ANCHOR: Readonly<Record<PaneId, 'top' | 'bottom' | 'select' | 'centre'>> = {
  cpu: 'centre', tlb: 'top', frames: 'top', envs: 'select', log: 'bottom', console: 'bottom', slices: 'select', dpf: 'top', scenario: 'top', memory: 'centre',
};

/** A row of the break-on menu (`e`). */
export interface MenuItem {
  readonly spec: Breakpoint;
  readonly label: string;
  readonly what: string;
  readonly on: boolean;
  /** The first row of a section carries its heading. */
  readonly heading?: string;
}

/** What the keys see of the world: all plain data, so handleKey stays pure. */
export interface KeyContext {
  readonly running: boolean;
  /** Environment names in id order. */
  readonly envs: readonly string[];
  /** Those of them not destroyed, in id order. */
  readonly alive: readonly string[];
  /** The environment the selection falls back to (on the CPU, else the first). */
  readonly defaultEnv: string | undefined;
  /** Largest useful scroll offset and page size of each visible pane. */
  readonly scrollMax: Partial<Record<PaneId, number>>;
  readonly pageSize: Partial<Record<PaneId, number>>;
  readonly menu: readonly MenuItem[];
  /** The history indexes of the events the log can select (those passing the filter), oldest first, when `log` is not given. */
  readonly logIndexes?: readonly number[];
  /** The events the log can select over the whole history (those passing the filter), by rank. */
  readonly log?: LogNav;
  /** A time travel or reverse search is running in slices (Esc and Ctrl-C cancel it). */
  readonly travelling?: boolean;
  /** Lines the help overlay and a popup can scroll by. */
  readonly overlayMax: number;
  readonly overlayPage: number;
  /** The address under the CPU pane's disassembly cursor, when the CPU pane is on screen (u runs to it). */
  readonly cpuCursor?: number;
  /** The event kinds a log filter may name, when not the exokernel's (the monolithic kernel's). */
  readonly eventKinds?: readonly string[];
  /** Symbol names of an environment's image (every environment's when undefined; the kernel's on the monolithic kernel), for Tab completion. */
  readonly symbols?: (env?: string) => readonly string[];
}

/** The state at start: CPU focused, nothing filtered; with `intro`, the first screen shown. */
export function initialUi(intro = false): UiState {
  return {
    mode: intro ? { kind: 'intro' } : { kind: 'normal' },
    focus: 'cpu',
    zoom: false,
    allEnvs: false,
    mapZoom: 0,
    env: undefined,
    scroll: Object.fromEntries(PANES.map((p) => [p, 0])) as Record<PaneId, number>,
    filter: parseLogFilter(''),
    logCursor: undefined,
    memAt: undefined,
    message: undefined,
    lineHistory: { command: [], filter: [], break: [] },
  };
}

/** The selected environment: the chosen one if it still exists, else the context's default. */
export function selectedEnv(ui: UiState, envs: readonly string[], dflt: string | undefined): string | undefined {
  return ui.env !== undefined && envs.includes(ui.env) ? ui.env : dflt;
}

/** `ui` in normal mode with `message` shown (or none). */
export function normal(ui: UiState, message?: string, error = false): UiState {
  return { ...ui, mode: { kind: 'normal' }, message: message === undefined ? undefined : { text: message, error } };
}

/** `ui` with pane `p` scrolled to `offset` clamped into [0, max]. */
export function scrolled(ui: UiState, p: PaneId, offset: number, max: number): UiState {
  return { ...ui, scroll: { ...ui.scroll, [p]: Math.max(0, Math.min(max, offset)) } };
}

/** `ui` with environment `delta` places after the selected one selected (wrapping). */
export function envMoved(ui: UiState, ctx: KeyContext, delta: number): UiState {
  if (!ctx.envs.length) return ui;
  const cur = selectedEnv(ui, ctx.envs, ctx.defaultEnv);
  const i = cur === undefined ? 0 : ctx.envs.indexOf(cur);
  const n = ctx.envs.length;
  const env = ctx.envs[(((i + delta) % n) + n) % n];
  // The per-environment panes start over at their top (or tail).
  return { ...ui, env, scroll: { ...ui.scroll, frames: 0, console: 0, tlb: 0 } };
}

/** The log's selectable events by rank (oldest first): how many, the rank of a history index, the history index of a rank. */
export interface LogNav {
  readonly matched: number;
  /** How many selectable events come before history index `i`. */
  rank(i: number): number;
  /** The history index of the event of rank `r` (0 <= r < matched). */
  indexAt(r: number): number;
}

/** A LogNav over a list of history indexes, oldest first. */
export function navOf(indexes: readonly number[]): LogNav {
  return {
    matched: indexes.length,
    rank: (i) => { let lo = 0, hi = indexes.length; while (lo < hi) { const m = (lo + hi) >>> 1; if (indexes[m] < i) lo = m + 1; else hi = m; } return lo; },
    indexAt: (r) => indexes[r],
  };
}
