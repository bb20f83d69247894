// The frames pane's view model: who owns which frame as a compact map (one
// character for a group of frames), shared and guaranteed frames, and a
// table of the selected environment's frames.

import type { Snapshot } from '../../session/index.js';
import { clip, hex, ranges, windowOf } from '../format.js';

/** frameOwners values that are not environments (snapshot.ts). */
const FREE = 0;
const KERNEL = 65535;

export type CellRole = 'free' | 'kernel' | 'env' | 'selected';

/** A run of map characters with one look. */
export interface MapRun { readonly text: string; readonly role: CellRole }

export interface FramesView {
  readonly info: string;
  /** Map rows, each a list of runs. */
  readonly map: readonly (readonly MapRun[])[];
  /** Frames each map character stands for. */
  readonly perCell: number;
  readonly frames: number;
  readonly legend: readonly { readonly sym: string; readonly label: string; readonly role: CellRole }[];
  /** Said after the legend when a character stands for several frames and there is room. */
  readonly note: string;
  readonly shared: string;
  readonly guaranteed: string;
  readonly env: string | undefined;
  readonly detailHeader: string;
  readonly detail: readonly string[];
  readonly detailTotal: number;
  readonly offset: number;
  readonly max: number;
}

/** The map character of environment `id`: 1-9, then A-Z, then "?". */
export function envSymbol(id: number): string {
  if (id >= 1 && id <= 9) return String(id);
  if (id >= 10 && id < 36) return String.fromCharCode(55 + id);
  return '?';
}

const NOTE = '(a character shows its main owner)';
const legendWidth = (l: readonly { sym: string; label: string }[]) => l.reduce((n, x, i) => n + (i ? 2 : 0) + x.sym.length + 1 + x.label.length, 0);

const symOf = (owner: number) => (owner === FREE ? '.' : owner === KERNEL ? '#' : envSymbol(owner));

/** The owner a group of frames is drawn as: its most frequent non-free owner, else free. */
function groupOwner(owners: readonly number[], from: number, to: number): number {
  const counts = new Map<number, number>();
  let best = FREE, most = 0;
  for (let i = from; i < to; i++) {
    const o = owners[i];
    if (o === FREE) continue;
    const c = (counts.get(o) ?? 0) + 1;
    counts.set(o, c);
    if (c > most) { most = c; best = o; }
  }
  return best;
}

function mapRows(owners: readonly number[], width: number, perCell: number, selected: number): MapRun[][] {
  const cells = Math.ceil(owners.length / perCell);
  const rows: MapRun[][] = [];
  for (let r = 0; r * width < cells; r++) {
    const runs: MapRun[] = [];
    for (let c = r * width; c < Math.min(cells, (r + 1) * width); c++) {
      const o = groupOwner(owners, c * perCell, Math.min(owners.length, (c + 1) * perCell));
      const role: CellRole = o === FREE ? 'free' : o === KERNEL ? 'kernel' : o === selected ? 'selected' : 'env';
      const last = runs.at(-1);
      if (last && last.role === role) runs[runs.length - 1] = { text: last.text + symOf(o), role };
      else runs.push({ text: symOf(o), role });
    }
    rows.push(runs);
  }
  return rows;
}

/**
 * The frames view of `s` for environment `envName`, fitting `width` x
 * `height`: the map takes at most about half the height; the rest is the
 * detail table, windowed from `scroll`.
 */
export function selectFrames(s: Snapshot, envName: string | undefined, scroll: number, width: number, height: number): FramesView {
  const owners = s.frameOwners;
  const w = Math.max(1, width);
  const mapBudget = Math.max(1, Math.min(Math.ceil(owners.length / w), Math.floor((height - 4) / 2)));
  const perCell = Math.max(1, Math.ceil(owners.length / (w * mapBudget)));
  const env = s.envs.find((e) => e.name === envName);
  const map = mapRows(owners, w, perCell, env?.id ?? -1);
  const counts = new Map<number, number>();
  for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
  const legend = [
    ...s.envs.filter((e) => counts.has(e.id)).map((e) => ({ sym: envSymbol(e.id), label: `${e.name} ${counts.get(e.id)}`, role: (e.id === env?.id ? 'selected' : 'env') as CellRole })),
    { sym: '#', label: `kernel ${counts.get(KERNEL) ?? 0}`, role: 'kernel' as CellRole },
    { sym: '.', label: `free ${counts.get(FREE) ?? 0}`, role: 'free' as CellRole },
  ];
  const detail = env ? envFrames(s, env.id, w) : [];
  const rest = Math.max(0, height - map.length - 4);
  const win = windowOf(detail, scroll, rest);
  return {
    info: `${owners.length} frames, ${perCell} per character`,
    note: perCell > 1 && legendWidth(legend) + NOTE.length + 2 <= w ? NOTE : '',
    map, perCell, frames: owners.length, legend,
    shared: clip(`shared ${s.sharedFrames.length}: ${ranges(s.sharedFrames) || '-'}`, w),
    guaranteed: clip(`guaranteed ${s.guaranteedFrames.length}: ${ranges(s.guaranteedFrames) || '-'}`, w),
    env: env?.name,
    detailHeader: clip(`frame paddr    flags mapped at (vpn)`, w),
    detail: win.items, detailTotal: detail.length, offset: win.offset, max: win.max,
  };
}

/** One line for each frame environment `id` owns: number, address, G/S/T flags, pages mapped to it. */
function envFrames(s: Snapshot, id: number, width: number): string[] {
  const env = s.envs.find((e) => e.id === id)!;
  const shared = new Set(s.sharedFrames), guaranteed = new Set(s.guaranteedFrames);
  const vpns = new Map<number, Set<number>>();
  const add = (pfn: number, vpn: number) => { const set = vpns.get(pfn) ?? new Set(); set.add(vpn); vpns.set(pfn, set); };
  for (const r of env.stlb) add(r.pfn, r.vpn);
  const inTlb = new Set<number>();
  for (const r of s.tlb) if (r.v && r.asid === env.asid && env.state !== 'destroyed') { add(r.pfn, r.vpn); inTlb.add(r.pfn); }
  const out: string[] = [];
  s.frameOwners.forEach((o, f) => {
    if (o !== id) return;
    const fl = `${guaranteed.has(f) ? 'G' : '-'}${shared.has(f) ? 'S' : '-'}${inTlb.has(f) ? 'T' : '-'}`;
    const at = [...(vpns.get(f) ?? [])].map((v) => hex(v, 5)).join(' ');
    out.push(clip(`${String(f).padStart(5)} ${hex(f * 4096)} ${fl}   ${at}`, width));
  });
  return out;
}
