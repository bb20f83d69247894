// The time-slice vector's view model (Aegis paper, sec. 5.3): the 128
// slots by owner with the running one marked, the phase of the slice, and
// each environment's slots, share of the CPU, overruns, penalty and
// pending revocation. Owners are told by the frames pane's symbols (1-9,
// A-Z, a-z: palette.ts), which the pane also colors.

import type { EnvView, Snapshot } from '../../session/index.js';
import { bar, clip, fit, num, percent, ranges, right } from '../format.js';
import { envSymbol } from './frames.js';

/** Consecutive slots of a grid row with one owner (0: free), the running slot alone. */
export interface SlotRun { readonly text: string; readonly owner: number; readonly current: boolean }

/** One row of the vector: the number of its first slot, its runs, and, under the running slot's row, a line marking it. */
export interface GridRow { readonly label: string; readonly runs: readonly SlotRun[]; readonly marker: string | undefined }

/** An environment's line of the share table; `bar` is drawn in its owner's look. */
export interface ShareRow {
  /** The environment's id; 0 for the cycles no environment had. */
  readonly owner: number;
  readonly lead: string;
  readonly bar: string;
  readonly tail: string;
  readonly selected: boolean;
  readonly destroyed: boolean;
}

export interface SlicesView {
  readonly info: string;
  /** The running slot, its owner and the phase, in words. */
  readonly header: string;
  /** The grid above the share table, or a 16-slot grid beside it. */
  readonly arrangement: 'stacked' | 'side';
  /** Columns the grid takes (label included). */
  readonly gridWidth: number;
  readonly grid: readonly GridRow[];
  readonly shareHeader: string;
  readonly shares: readonly ShareRow[];
  /** Under the table when there is room: which slots each environment owns. */
  readonly footer: readonly string[];
}

/** Slots in the vector (abi.ts SLICES). */
const SLOTS = 128;
/** "112 " before each grid row. */
const LABEL = 4;
/** Slots a row of the grid can hold, widest first; beside the shares it is 16. */
const ROW_SLOTS = [128, 64, 32, 16] as const;
const SIDE_SLOTS = 16;
/** Narrowest share table beside the grid. */
const SIDE_SHARES = 26;

/** The share of all cycles since boot that environment `e` has had the CPU, as a fraction. */
export function cpuFraction(s: Snapshot, e: EnvView): number {
  return s.cycle > 0 ? e.cpuCycles / s.cycle : 0;
}

/** What a pending revocation asks for, in a few words ("8 frames by 5,051,100"), or "-". */
export function revokeText(e: EnvView): string {
  const r = e.revoke;
  return r ? `${r.count - r.given} ${r.what} by ${num(r.deadline)}` : '-';
}

/** The vector as rows of `perRow` slots, runs of one owner each; `markers`: a caret line under the running slot. */
function gridRows(owners: readonly number[], perRow: number, current: number, markers: boolean): GridRow[] {
  const rows: GridRow[] = [];
  for (let start = 0; start < owners.length; start += perRow) {
    const runs: SlotRun[] = [];
    for (let i = start; i < Math.min(owners.length, start + perRow); i++) {
      const o = owners[i], cur = i === current, last = runs.at(-1);
      const sym = o === 0 ? '.' : envSymbol(o);
      if (last && !cur && !last.current && last.owner === o) runs[runs.length - 1] = { ...last, text: last.text + sym };
      else runs.push({ text: sym, owner: o, current: cur });
    }
    const here = current >= start && current < start + perRow;
    rows.push({ label: right(String(start), LABEL - 1) + ' ', runs, marker: markers && here ? ' '.repeat(LABEL + current - start) + '^' : undefined });
  }
  return rows;
}

/** "slot 17 of 128: a, run, 1 of 2 ticks left", or "..., epilogue (grace period)". */
function headerText(s: Snapshot, names: ReadonlyMap<number, string>): string {
  const v = s.slices;
  const owner = v.owner[v.current] ?? 0;
  const who = owner ? names.get(owner) ?? `#${owner}` : 'free';
  const phase = v.phase === 'epilogue' ? 'epilogue (grace period)' : `run, ${v.ticksLeft} of ${v.sliceTicks} ticks left`;
  return `slot ${v.current} of ${SLOTS}: ${who}, ${phase}`;
}

/** "slots: 1 hog 0  2 a 1-2  3 b 3-7": the slots of every environment that owns some. */
function slotList(s: Snapshot, width: number): string {
  const slots = new Map<number, number[]>();
  s.slices.owner.forEach((o, i) => { if (o) slots.set(o, [...(slots.get(o) ?? []), i]); });
  const names = new Map(s.envs.map((e) => [e.id, e.name]));
  return clip(`slots: ${[...slots].map(([o, list]) => `${envSymbol(o)} ${names.get(o) ?? `#${o}`} ${ranges(list)}`).join('  ') || 'none owned'}`, width);
}

/** The share table's rows: every environment, then the cycles none of them had (idle). */
function shareRows(s: Snapshot, selected: string | undefined, width: number, side: boolean): { header: string; rows: ShareRow[] } {
  const nameW = side ? 6 : 8;
  const lead = (sym: string, name: string, slots: string, pct: string) => `${sym} ${fit(name, nameW)} ${right(slots, 4)} ${right(pct, 6)} `;
  const leadW = lead('', '', '', '').length + 1;
  const tailW = side ? 0 : 26;
  const barW = Math.max(3, Math.min(20, width - leadW - tailW));
  const tail = (e: EnvView) => (side ? '' : ` ${right(String(e.overruns), 3)} ${right(String(e.penalty), 4)} ${revokeText(e)}`);
  const rows: ShareRow[] = s.envs.map((e) => ({
    owner: e.id, lead: lead(envSymbol(e.id), e.name, String(e.slots), percent(e.cpuCycles, s.cycle)),
    bar: bar(cpuFraction(s, e), barW).padEnd(barW), tail: tail(e), selected: e.name === selected, destroyed: e.state === 'destroyed',
  }));
  const rest = Math.max(0, s.cycle - s.envs.reduce((n, e) => n + e.cpuCycles, 0));
  rows.push({ owner: 0, lead: lead(' ', 'idle', '', percent(rest, s.cycle)), bar: bar(s.cycle ? rest / s.cycle : 0, barW).padEnd(barW), tail: '', selected: false, destroyed: false });
  const header = lead(' ', 'env', 'slot', 'cpu') + fit('share', barW) + (side ? '' : ' ovr  pen revoke');
  return { header: clip(header, width), rows: rows.map((r) => ({ ...r, tail: clip(r.tail, Math.max(0, width - r.lead.length - barW)) })) };
}

/**
 * The share table's rows that fit `room`: all, in id order, when they do;
 * else the live environments (id order), the idle line, then the
 * destroyed ones, latest first (on a long run the destroyed outnumber the
 * live, and in id order they pushed the live ones and idle out of view).
 */
function fitShares(rows: readonly ShareRow[], room: number): ShareRow[] {
  if (rows.length <= room) return [...rows];
  const envs = rows.filter((r) => r.owner !== 0);
  return [...envs.filter((r) => !r.destroyed), ...rows.filter((r) => r.owner === 0), ...envs.filter((r) => r.destroyed).reverse()].slice(0, room);
}

/**
 * The slices view for a `width` x `height` pane, `selected` highlighted in
 * the share table. Stacked (grid rows as wide as fit, the table under
 * them) when the whole table fits under the grid; else a 16-slot grid with
 * the shares beside it when the pane is wide enough; else stacked, the
 * table cut to the height. Besides being drawn inverse, the running slot
 * gets a "^" under it when there is a line to spare, and the slot list
 * goes under the table when there are two.
 */
export function selectSlices(s: Snapshot, selected: string | undefined, width: number, height: number): SlicesView {
  const names = new Map(s.envs.map((e) => [e.id, e.name]));
  const v = s.slices;
  const perRow = ROW_SLOTS.find((n) => LABEL + n <= width) ?? SIDE_SLOTS;
  const rows = Math.ceil(v.owner.length / perRow);
  const tableLines = 1 + s.envs.length + 1;
  const side = 1 + rows + tableLines > height && width >= LABEL + SIDE_SLOTS + 2 + SIDE_SHARES && height >= 1 + SLOTS / SIDE_SLOTS;
  const per = side ? SIDE_SLOTS : perRow;
  const gridW = LABEL + per;
  const marker = !side && 1 + rows + 1 + tableLines <= height;
  const grid = gridRows(v.owner, per, v.current, marker);
  const table = shareRows(s, selected, side ? width - gridW - 2 : width, side);
  const room = Math.max(0, height - 1 - (side ? 0 : grid.length + (marker ? 1 : 0)) - 1);
  const owned = v.owner.filter((o) => o !== 0).length;
  const shares = fitShares(table.rows, room);
  const used = 1 + grid.length + (marker ? 1 : 0) + 1 + shares.length;
  return {
    info: `${owned} of ${SLOTS} slots owned; slot ${v.current} ${v.phase}`,
    header: clip(headerText(s, names), width),
    arrangement: side ? 'side' : 'stacked', gridWidth: gridW,
    grid: side ? grid : grid.slice(0, Math.max(0, height - 1)),
    shareHeader: table.header,
    shares,
    footer: !side && height - used >= 2 ? ['', slotList(s, width)] : [],
  };
}
