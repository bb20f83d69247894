// Where the panes go, as a pure function of the terminal size. The frame is
// rows - 1 high, never the full height (Ink 6.8 clears the whole terminal
// on every frame when output is as tall as the terminal; reference/ink.md).

/** The panes, in focus order; their number is their place here plus one. */
export const PANES = ['cpu', 'tlb', 'envs', 'frames', 'log', 'console', 'slices', 'dpf'] as const;
export type PaneId = (typeof PANES)[number];

export const PANE_TITLES: Readonly<Record<PaneId, string>> = {
  cpu: 'CPU', tlb: 'TLB', frames: 'Frames', envs: 'Envs', log: 'Log', console: 'Console', slices: 'Slices', dpf: 'DPF',
};

/** The smallest terminal the TUI draws in. */
export const MIN_COLS = 80;
export const MIN_ROWS = 24;
/** From this size on, all panes are on screen at once. */
export const WIDE_COLS = 160;
export const WIDE_ROWS = 45;

/** A pane's place: its outer size and whether it has a border and a title line. */
export interface Cell {
  readonly pane: PaneId;
  readonly width: number;
  readonly height: number;
  readonly framed: boolean;
}

export type Layout =
  | { readonly kind: 'small'; readonly cols: number; readonly rows: number }
  | { readonly kind: 'compact' | 'wide'; readonly cols: number; readonly height: number; readonly bodyHeight: number; readonly rows: readonly { readonly height: number; readonly cells: readonly Cell[] }[] };

/** Lines around the body: status line, legend line, and in compact mode the tab bar. */
const CHROME = { compact: 3, wide: 2 } as const;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * The layout for a `cols` x `rows` terminal: 'small' below 80x24, 'wide'
 * from 160x45 on (every pane framed), else 'compact' (the focused pane
 * alone, unframed, under a tab bar). Wide, the resources share the middle
 * row: environments, frames and the time-slice vector, which gets just the
 * width its 16-slot grid and the CPU shares beside it need. The bottom
 * row has the event log, the packet filter's trie and the console.
 */
export function layoutFor(cols: number, rows: number, focus: PaneId): Layout {
  if (cols < MIN_COLS || rows < MIN_ROWS) return { kind: 'small', cols, rows };
  const height = rows - 1;
  if (cols < WIDE_COLS || rows < WIDE_ROWS) {
    const bodyHeight = height - CHROME.compact;
    return { kind: 'compact', cols, height, bodyHeight, rows: [{ height: bodyHeight, cells: [{ pane: focus, width: cols, height: bodyHeight, framed: false }] }] };
  }
  const body = height - CHROME.wide;
  const top = clamp(Math.round(body * 0.4), 16, 24);
  const mid = clamp(Math.round(body * 0.28), 12, 20);
  const bottom = body - top - mid;
  const cpuW = clamp(Math.round(cols * 0.55), 100, 130);
  const slicesW = clamp(Math.round(cols * 0.3), 52, 72);
  const envW = Math.round((cols - slicesW) / 2);
  const logW = Math.round(cols * 0.42);
  const dpfW = Math.round(cols * 0.3);
  const cell = (pane: PaneId, width: number, h: number): Cell => ({ pane, width, height: h, framed: true });
  return {
    kind: 'wide', cols, height, bodyHeight: body, rows: [
      { height: top, cells: [cell('cpu', cpuW, top), cell('tlb', cols - cpuW, top)] },
      { height: mid, cells: [cell('envs', envW, mid), cell('frames', cols - envW - slicesW, mid), cell('slices', slicesW, mid)] },
      { height: bottom, cells: [cell('log', logW, bottom), cell('dpf', dpfW, bottom), cell('console', cols - logW - dpfW, bottom)] },
    ],
  };
}

/** The size inside a cell: without its border and title line when framed. */
export function innerSize(c: Cell): { width: number; height: number } {
  return c.framed ? { width: c.width - 2, height: c.height - 3 } : { width: c.width, height: c.height };
}

/** Every cell of a layout, row by row. */
export function cellsOf(l: Layout): Cell[] {
  return l.kind === 'small' ? [] : l.rows.flatMap((r) => r.cells);
}
