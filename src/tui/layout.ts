// Where the panes go, as a pure function of the terminal size, the focused
// pane and the zoom. The frame is rows - 1 high, never the full height (Ink
// 6.8 clears the whole terminal on every frame when output is as tall as
// the terminal; docs/reference/ink.md).

/** The panes, in focus order; their number is their place here plus one, the tenth's 0 (paneNumber). */
export const PANES = ['cpu', 'tlb', 'envs', 'frames', 'log', 'console', 'slices', 'dpf', 'scenario', 'memory'] as const;
export type PaneId = (typeof PANES)[number];

export const PANE_TITLES: Readonly<Record<PaneId, string>> = {
  cpu: 'CPU', tlb: 'TLB/STLB', frames: 'Frames', envs: 'Envs', log: 'Log', console: 'Console', slices: 'Slices', dpf: 'DPF', scenario: 'Scenario', memory: 'Memory',
};

/** The number a pane is focused by and shown with: 1 to 9, and 0 for the tenth. */
export function paneNumber(p: PaneId): number {
  return (PANES.indexOf(p) + 1) % 10;
}

/** The smallest terminal the TUI draws in. */
export const MIN_COLS = 80;
export const MIN_ROWS = 24;
/** From this size on, CPU, TLB, environments, slices and the log are on screen together. */
export const MEDIUM_COLS = 120;
export const MEDIUM_ROWS = 36;
/** From this size on, all panes are on screen at once. */
export const WIDE_COLS = 160;
export const WIDE_ROWS = 45;

/**
 * How a cell is drawn: 'box' with a border and a title line inside it;
 * 'title' with a title line and a blank column on its right, no border
 * (where rows are scarce).
 */
export type CellFrame = 'box' | 'title';

/** A pane's place: its outer size and how it is framed. */
export interface Cell {
  readonly pane: PaneId;
  readonly width: number;
  readonly height: number;
  readonly frame: CellFrame;
}

export interface LayoutRow { readonly height: number; readonly cells: readonly Cell[] }

/**
 * 'compact': the focused pane over the log strip and one more pane;
 * 'medium': CPU (or the focused pane), TLB, environments, log and slices;
 * 'wide': every pane; 'zoom': the focused pane alone.
 */
export type Layout =
  | { readonly kind: 'small'; readonly cols: number; readonly rows: number }
  | { readonly kind: 'compact' | 'medium' | 'wide' | 'zoom'; readonly cols: number; readonly height: number; readonly bodyHeight: number; readonly rows: readonly LayoutRow[] };

export type DrawnLayout = Exclude<Layout, { kind: 'small' }>;

/** Lines around the body: status line and legend line, and the tab bar unless every pane is on screen. */
export function chromeLines(kind: DrawnLayout['kind']): number {
  return kind === 'wide' ? 2 : 3;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
const cell = (pane: PaneId, width: number, height: number, frame: CellFrame): Cell => ({ pane, width, height, frame });

/**
 * The layout for a `cols` x `rows` terminal with `focus` focused: 'small'
 * below 80x24; with `zoom`, the focused pane alone; else 'wide' from
 * 160x45, 'medium' from 120x36, 'compact' below. Every layout fills
 * exactly rows - 1 lines and every column.
 */
export function layoutFor(cols: number, rows: number, focus: PaneId, zoom = false, mono = false): Layout {
  if (cols < MIN_COLS || rows < MIN_ROWS) return { kind: 'small', cols, rows };
  const height = rows - 1;
  const kind = zoom ? 'zoom' : cols >= WIDE_COLS && rows >= WIDE_ROWS ? 'wide' : cols >= MEDIUM_COLS && rows >= MEDIUM_ROWS ? 'medium' : 'compact';
  const body = height - chromeLines(kind);
  const rowsOf = kind === 'zoom' ? zoomRows : kind === 'wide' ? wideRows : kind === 'medium' ? mediumRows : compactRows;
  return { kind, cols, height, bodyHeight: body, rows: rowsOf(cols, body, focus, mono) };
}

function zoomRows(cols: number, body: number, focus: PaneId): LayoutRow[] {
  return [{ height: body, cells: [cell(focus, cols, body, 'box')] }];
}

/**
 * Compact: the focused pane across the top; under it the event log and a
 * second pane (the environments, or the slices while the environments are
 * the focused pane). Focusing the log puts the CPU on top.
 */
function compactRows(cols: number, body: number, focus: PaneId): LayoutRow[] {
  const strip = clamp(Math.round(body * 0.36), 6, 14);
  const top = body - strip;
  const second: PaneId = focus === 'envs' ? 'slices' : 'envs';
  const main: PaneId = focus === 'log' ? 'cpu' : focus;
  const secondW = clamp(Math.round(cols * 0.4), 32, 60);
  return [
    { height: top, cells: [cell(main, cols, top, 'title')] },
    { height: strip, cells: [cell('log', cols - secondW, strip, 'title'), cell(second, secondW, strip, 'title')] },
  ];
}

/**
 * Panes the medium layout always shows; another focused pane takes the
 * CPU's place on top. On the monolithic kernel the console is shown in the
 * place of the time slices, which are exokernel-only.
 */
const MEDIUM_FIXED: readonly PaneId[] = ['tlb', 'envs', 'log', 'slices'];
const MEDIUM_FIXED_MONO: readonly PaneId[] = ['tlb', 'envs', 'log', 'console'];

/**
 * Medium: the CPU across the top (registers beside the disassembly need
 * 13 lines), the TLB against the STLB beside the environments, the event
 * log beside the time-slice vector. The memory pane, focused, takes the
 * TLB's place under the CPU (three words a line there).
 */
function mediumRows(cols: number, body: number, focus: PaneId, mono = false): LayoutRow[] {
  const fixed = mono ? MEDIUM_FIXED_MONO : MEDIUM_FIXED;
  const main: PaneId = fixed.includes(focus) || focus === 'memory' ? 'cpu' : focus;
  const top = clamp(Math.round(body * 0.4), 14, 20);
  const mid = clamp(Math.round((body - top) * 0.55), 8, 24);
  const bottom = body - top - mid;
  const envW = clamp(Math.round(cols * 0.5), 50, 78);
  const slicesW = clamp(Math.round(cols * 0.4), 50, 72);
  return [
    { height: top, cells: [cell(main, cols, top, 'title')] },
    { height: mid, cells: [cell(focus === 'memory' ? 'memory' : 'tlb', cols - envW, mid, 'title'), cell('envs', envW, mid, 'title')] },
    { height: bottom, cells: [cell('log', cols - slicesW, bottom, 'title'), cell(fixed[3], slicesW, bottom, 'title')] },
  ];
}

/** Columns the CPU pane needs: registers (61) beside at least 42 of disassembly, and its border. */
const CPU_MIN = 2 + 61 + 42;
const CPU_MAX = 2 + 61 + 64;

/**
 * Wide, every pane framed. Top: the CPU, given what its registers and
 * disassembly use, and the TLB/STLB comparison the rest. Middle: the
 * environments (their table is 70 columns), the frames and the time-slice
 * vector (its 16-slot grid and the shares beside it). Bottom: the event
 * log, the scenario's expectations, the packet filter's trie and the
 * console. The memory pane, focused (0), takes the TLB's place beside the
 * CPU: a hex dump beside the code, as in gdb's TUI; every other pane has
 * its own place.
 */
function wideRows(cols: number, body: number, focus: PaneId): LayoutRow[] {
  const top = clamp(Math.round(body * 0.38), 16, 26);
  const mid = clamp(Math.round((body - top) * 0.5), 11, 22);
  const bottom = body - top - mid;
  const cpuW = clamp(cols - 58, CPU_MIN, CPU_MAX);
  const envW = clamp(Math.round(cols * 0.44), 72, 82);
  const slicesW = clamp(Math.round(cols * 0.3), 52, 72);
  const logW = Math.round(cols * 0.4);
  const scW = clamp(Math.round(cols * 0.22), 36, 60);
  const dpfW = clamp(Math.round(cols * 0.19), 30, 56);
  return [
    { height: top, cells: [cell('cpu', cpuW, top, 'box'), cell(focus === 'memory' ? 'memory' : 'tlb', cols - cpuW, top, 'box')] },
    { height: mid, cells: [cell('envs', envW, mid, 'box'), cell('frames', cols - envW - slicesW, mid, 'box'), cell('slices', slicesW, mid, 'box')] },
    { height: bottom, cells: [cell('log', logW, bottom, 'box'), cell('scenario', scW, bottom, 'box'), cell('dpf', dpfW, bottom, 'box'), cell('console', cols - logW - scW - dpfW, bottom, 'box')] },
  ];
}

/** The size inside a cell: without its border and title line, or its title line and gutter column. */
export function innerSize(c: Cell): { width: number; height: number } {
  return c.frame === 'box' ? { width: c.width - 2, height: c.height - 3 } : { width: c.width - 1, height: c.height - 1 };
}

/** Every cell of a layout, row by row. */
export function cellsOf(l: Layout): Cell[] {
  return l.kind === 'small' ? [] : l.rows.flatMap((r) => r.cells);
}

/**
 * Whether a layout shows every pane but the memory pane, which takes the
 * TLB's place when focused (then no tab bar is needed: each pane's title
 * carries its number).
 */
export function showsAll(l: Layout): boolean {
  return l.kind === 'wide';
}
