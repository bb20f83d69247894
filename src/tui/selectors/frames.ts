// The frames pane's view model: a map of physical memory by owner, at a
// scale a person can read (a power of two of frames a character, each map
// row labelled with its first frame, zoomable down to one frame a
// character), the legend, and a table of the selected environment's frames
// with the capabilities that reach them and the pages mapped to them
// (Aegis paper, sec. 5.1: frames are allocated by name and bound through
// capabilities).

import type { Snapshot } from '../../session/index.js';
import { clip, fit, hex, ranges, right, windowOf } from '../format.js';
import { ownerSymbol } from '../palette.js';

/** frameOwners values that are not environments (snapshot.ts). */
const FREE = 0;
const KERNEL = 65535;

/** Kept for the selectors that named it so; the palette is palette.ts's. */
export const envSymbol = ownerSymbol;

/**
 * How a map character looks: an environment's (its palette look; inverse
 * for the selected one), the kernel's, free, or 'partial' (mostly free,
 * some frames used).
 */
export type CellLook = 'env' | 'selected' | 'kernel' | 'free' | 'partial';

/** A run of map characters with one look; `owner` is the environment for 'env' and 'selected'. */
export interface MapRun { readonly text: string; readonly look: CellLook; readonly owner: number }

export interface MapRow { readonly label: string; readonly runs: readonly MapRun[] }

export interface FramesView {
  readonly info: string;
  readonly map: readonly MapRow[];
  /** Frames each map character stands for (a power of two). */
  readonly perCell: number;
  /** The first frame the map shows, and one past the last. */
  readonly from: number;
  readonly to: number;
  readonly frames: number;
  readonly legend: readonly { readonly sym: string; readonly label: string; readonly look: CellLook; readonly owner: number }[];
  readonly shared: string;
  readonly guaranteed: string;
  readonly title: string;
  readonly detailHeader: string;
  readonly detail: readonly string[];
  readonly detailTotal: number;
  readonly offset: number;
  readonly max: number;
}

/** Columns of a map row's label ("8192 "). */
export const MAP_LABEL = 6;
/** Zoom levels: each halves the frames a character. */
export const MAX_ZOOM = 12;

/** The character and look of frames [from, to): their most frequent owner; ":" when mostly free but not all. */
function cellOf(owners: readonly number[], from: number, to: number, selected: number): { sym: string; look: CellLook; owner: number } {
  const counts = new Map<number, number>();
  let best = FREE, most = 0;
  for (let i = from; i < to; i++) {
    const c = (counts.get(owners[i]) ?? 0) + 1;
    counts.set(owners[i], c);
    if (c > most || (c === most && owners[i] !== FREE)) { most = c; best = owners[i]; }
  }
  if (best === FREE) return counts.size > 1 ? { sym: ':', look: 'partial', owner: 0 } : { sym: '.', look: 'free', owner: 0 };
  if (best === KERNEL) return { sym: '#', look: 'kernel', owner: 0 };
  return { sym: ownerSymbol(best), look: best === selected ? 'selected' : 'env', owner: best };
}

function mapRows(owners: readonly number[], from: number, rows: number, perRow: number, perCell: number, selected: number): MapRow[] {
  const out: MapRow[] = [];
  for (let r = 0; r < rows; r++) {
    const start = from + r * perRow * perCell;
    if (start >= owners.length) break;
    const runs: MapRun[] = [];
    for (let c = 0; c < perRow && start + c * perCell < owners.length; c++) {
      const a = start + c * perCell;
      const x = cellOf(owners, a, Math.min(owners.length, a + perCell), selected);
      const last = runs.at(-1);
      if (last && last.look === x.look && last.owner === x.owner) runs[runs.length - 1] = { ...last, text: last.text + x.sym };
      else runs.push({ text: x.sym, look: x.look, owner: x.owner });
    }
    out.push({ label: right(String(start), MAP_LABEL - 1) + ' ', runs });
  }
  return out;
}

/** The smallest power of two of frames a character that fits `frames` in `cells` characters. */
function fitScale(frames: number, cells: number): number {
  let p = 1;
  while (p * cells < frames) p *= 2;
  return p;
}

/** What the map shows: the scale at zoom `zoom`, and the window of frames around `focus`. */
function mapWindow(frames: number, perRow: number, budget: number, zoom: number, focus: number) {
  const fit1 = fitScale(frames, perRow * budget);
  const perCell = Math.max(1, fit1 >> Math.max(0, Math.min(MAX_ZOOM, zoom)));
  const rows = Math.max(1, Math.min(budget, Math.ceil(frames / (perCell * perRow))));
  const span = rows * perRow * perCell;
  const rowSpan = perRow * perCell;
  const from = Math.max(0, Math.min(Math.floor(Math.max(0, focus - span / 4) / rowSpan) * rowSpan, Math.ceil((frames - span) / rowSpan) * rowSpan));
  return { perCell, rows, from, to: Math.min(frames, from + span) };
}

/**
 * The frames view of `s` for environment `envName` (every environment's
 * frames when `all`), fitting `width` x `height`: the map takes at most
 * about half the height; the rest is the frame table, windowed from
 * `scroll`. At `zoom` 0 the map shows all of memory; each level halves
 * the frames a character, and the map then follows the table's top row.
 */
export function selectFrames(s: Snapshot, envName: string | undefined, scroll: number, width: number, height: number, zoom = 0, all = false): FramesView {
  const owners = s.frameOwners;
  const w = Math.max(MAP_LABEL + 8, width);
  const perRow = Math.max(8, Math.floor((w - MAP_LABEL) / 8) * 8);
  const budget = Math.max(1, Math.floor((height - 5) / 2));
  const env = s.envs.find((e) => e.name === envName);
  const rows = frameRows(s, all ? undefined : env?.id ?? -1);
  const tableH = Math.max(0, height - 5 - Math.min(budget, Math.ceil(owners.length / perRow)));
  const win = windowOf(rows, scroll, tableH);
  const focus = win.items[0]?.frame ?? 0;
  const m = mapWindow(owners.length, perRow, budget, zoom, zoom > 0 ? focus : 0);
  const counts = new Map<number, number>();
  for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
  const legend = [
    ...s.envs.filter((e) => counts.has(e.id)).map((e) => ({ sym: ownerSymbol(e.id), label: `${e.name} ${counts.get(e.id)}`, look: (e.id === env?.id ? 'selected' : 'env') as CellLook, owner: e.id })),
    { sym: '#', label: `kernel ${counts.get(KERNEL) ?? 0}`, look: 'kernel' as CellLook, owner: 0 },
    { sym: '.', label: `free ${counts.get(FREE) ?? 0}`, look: 'free' as CellLook, owner: 0 },
    ...(m.perCell > 1 ? [{ sym: ':', label: 'mostly free', look: 'partial' as CellLook, owner: 0 }] : []),
  ];
  const who = all ? 'every environment' : env?.name;
  return {
    info: `${owners.length} frames; ${m.perCell} a character, ${m.from}-${m.to - 1} shown (< > zoom)`,
    map: mapRows(owners, m.from, m.rows, perRow, m.perCell, env?.id ?? -1),
    perCell: m.perCell, from: m.from, to: m.to, frames: owners.length, legend,
    shared: clip(`shared ${s.sharedFrames.length}: ${ranges(s.sharedFrames) || '-'}`, w),
    guaranteed: clip(`guaranteed ${s.guaranteedFrames.length}: ${ranges(s.guaranteedFrames) || '-'}`, w),
    title: clip(who ? `${who}'s frames (${rows.length}): G guaranteed, S shared, T in the TLB` : 'no environment selected', w),
    detailHeader: clip(`frame paddr    GST ${all ? 'owner    ' : ''}caps held by           mapped at (vpn)`, w),
    detail: win.items.map((r) => clip(r.text(all), w)), detailTotal: rows.length, offset: win.offset, max: win.max,
  };
}

/** One frame of the table: its number, and its line (with the owner's name when every environment's frames are listed). */
interface FrameRow { readonly frame: number; readonly text: (withOwner: boolean) => string }

/**
 * The frames environment `id` owns (every environment's when undefined),
 * each with G/S/T flags, the length of its access list, the environments
 * holding a binding of it with their rights, and the pages mapped to it.
 */
function frameRows(s: Snapshot, id: number | undefined): FrameRow[] {
  const names = new Map(s.envs.map((e) => [e.id, e.name]));
  const shared = new Set(s.sharedFrames), guaranteed = new Set(s.guaranteedFrames);
  const access = new Map(s.frameAccess.map((a) => [a.frame, a]));
  const vpns = new Map<number, Set<number>>();
  const inTlb = new Set<number>();
  const add = (pfn: number, vpn: number) => { const set = vpns.get(pfn) ?? new Set(); set.add(vpn); vpns.set(pfn, set); };
  for (const e of s.envs) {
    if (id !== undefined && e.id !== id) continue;
    for (const r of e.stlb) add(r.pfn, r.vpn);
    for (const g of e.guaranteedMappings) add(g.pfn, g.vpn);
    for (const r of s.tlb) if (r.v && r.asid === e.asid && e.state !== 'destroyed') { add(r.pfn, r.vpn); inTlb.add(r.pfn); }
  }
  const out: FrameRow[] = [];
  s.frameOwners.forEach((o, f) => {
    if (id !== undefined ? o !== id : o === FREE || o === KERNEL) return;
    out.push({
      frame: f,
      text: (withOwner) => {
        const fl = `${guaranteed.has(f) ? 'G' : '-'}${shared.has(f) ? 'S' : '-'}${inTlb.has(f) ? 'T' : '-'}`;
        const a = access.get(f);
        const held = (a?.holders ?? []).map((x) => `${names.get(x.env) ?? x.env} ${x.rights & 1 ? 'r' : ''}${x.rights & 2 ? 'w' : ''}`).join(', ');
        const at = [...(vpns.get(f) ?? [])].map((v) => hex(v, 5)).join(' ');
        return `${right(String(f), 5)} ${hex(f * 4096)} ${fl} ${withOwner ? fit(names.get(o) ?? String(o), 8) + ' ' : ''}${right(String(a?.caps ?? 1), 4)} ${fit(held || '-', 17)} ${at}`;
      },
    });
  });
  return out;
}
