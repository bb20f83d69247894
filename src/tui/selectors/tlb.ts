// The TLB pane's view model: the hardware TLB beside the selected
// environment's STLB, with the entries in both and those written since the
// previous snapshot marked; and the full TLB dump of `:tlb`.

import type { Snapshot, StlbRow, TlbRow } from '../../session/index.js';
import { fit, hex, num, windowOf } from '../format.js';

export interface TlbLine {
  readonly text: string;
  /** The entry belongs to the selected environment (its ASID). */
  readonly mine: boolean;
  /** The same mapping is in the selected environment's STLB (or TLB, for STLB lines). */
  readonly both: boolean;
  /** Written since the previous snapshot. */
  readonly written: boolean;
}

export interface TlbView {
  /** The two tables side by side, or the STLB under the TLB. */
  readonly arrangement: 'side' | 'stacked';
  readonly info: string;
  readonly env: string | undefined;
  readonly counters: string;
  readonly tlbHeader: string;
  readonly stlbHeader: string;
  readonly tlb: readonly TlbLine[];
  readonly stlb: readonly TlbLine[];
  readonly tlbValid: number;
  readonly stlbCount: number;
  readonly offset: number;
  readonly max: number;
}

/** Columns of a hardware TLB line and an STLB line. */
export const TLB_WIDTH = 31;
export const STLB_WIDTH = 19;

const flags = (r: TlbRow) => `${r.n ? 'N' : '-'}${r.d ? 'D' : '-'}${r.v ? 'V' : '-'}${r.g ? 'G' : '-'}`;
const sameTlb = (a: TlbRow, b: TlbRow | undefined) => !!b && a.vpn === b.vpn && a.asid === b.asid && a.pfn === b.pfn && flags(a) === flags(b);

/** Environment names by ASID (live environments only). */
function asidNames(s: Snapshot): Map<number, string> {
  return new Map(s.envs.filter((e) => e.asid >= 0 && e.state !== 'destroyed').map((e) => [e.asid, e.name]));
}

function tlbText(r: TlbRow, owner: string, mark: string): string {
  return `${String(r.index).padStart(2)} ${hex(r.vpn, 5)} ${String(r.asid).padStart(2)} ${hex(r.pfn, 5)} ${flags(r)} ${fit(r.g ? '(all)' : owner, 6)} ${mark}`;
}

const stlbText = (r: StlbRow, mark: string) => `${hex(r.slot, 3)} ${hex(r.vpn, 5)} ${hex(r.pfn, 5)} ${r.d ? 'D' : '-'} ${mark}`;
const mark = (both: boolean, written: boolean) => (written ? '+' : both ? '=' : ' ');

/** Lines of the pane that are not table rows: counters, table titles, column headers. */
const TLB_CHROME = 3;

/**
 * The TLB view of a `width` x `height` pane for environment `envName`
 * (undefined: none selected): valid TLB entries and the environment's STLB
 * entries, each windowed from `scroll`.
 */
export function selectTlb(cur: Snapshot, prev: Snapshot | undefined, envName: string | undefined, scroll: number, width: number, height: number): TlbView {
  const env = cur.envs.find((e) => e.name === envName);
  const names = asidNames(cur);
  const asid = env && env.state !== 'destroyed' ? env.asid : -2;
  const stlbOf = new Map((env?.stlb ?? []).map((r) => [r.vpn, r]));
  const valid = cur.tlb.filter((r) => r.v);
  const tlb = valid.map((r) => {
    const mine = r.asid === asid;
    const both = mine && stlbOf.get(r.vpn)?.pfn === r.pfn;
    const written = prev !== undefined && !sameTlb(r, prev.tlb[r.index]);
    return { text: tlbText(r, names.get(r.asid) ?? '-', mark(both, written)), mine, both, written };
  });
  const inTlb = new Set(valid.filter((r) => r.asid === asid).map((r) => `${r.vpn}:${r.pfn}`));
  const before = new Set((prev?.envs.find((e) => e.name === envName)?.stlb ?? []).map((r) => `${r.slot}:${r.vpn}:${r.pfn}`));
  const stlb = (env?.stlb ?? []).map((r) => {
    const both = inTlb.has(`${r.vpn}:${r.pfn}`);
    const written = prev !== undefined && !before.has(`${r.slot}:${r.vpn}:${r.pfn}`);
    return { text: stlbText(r, mark(both, written)), mine: true, both, written };
  });
  const side = width >= TLB_WIDTH + STLB_WIDTH + 3;
  const h = Math.max(0, side ? height - TLB_CHROME : Math.floor((height - 1 - 2 * (TLB_CHROME - 1)) / 2));
  const a = windowOf(tlb, scroll, h), b = windowOf(stlb, scroll, h);
  const k = cur.stlbCounters;
  const ec = env?.counters ?? {};
  return {
    arrangement: side ? 'side' : 'stacked',
    info: `${valid.length}/64 valid, STLB of ${env?.name ?? '(none)'}: ${stlb.length}`,
    env: env?.name,
    counters: `STLB hits ${num(k.hits)} misses ${num(k.misses)} evictions ${num(k.evictions)}` +
      (env ? ` | ${env.name}: hits ${num(ec.stlbHits ?? 0)} misses ${num(ec.stlbMisses ?? 0)}` : ''),
    tlbHeader: fit(`ix vpn   as pfn   ndvg env`, TLB_WIDTH),
    stlbHeader: fit(`slt vpn   pfn   d`, STLB_WIDTH),
    tlb: a.items, stlb: b.items, tlbValid: valid.length, stlbCount: stlb.length,
    offset: Math.min(scroll, Math.max(a.max, b.max)), max: Math.max(a.max, b.max),
  };
}

/** All 64 hardware TLB entries, one a line, for `:tlb`. */
export function tlbDumpLines(s: Snapshot): string[] {
  const names = asidNames(s);
  return ['ix vpn   as pfn   ndvg env', ...s.tlb.map((r) => tlbText(r, r.v ? names.get(r.asid) ?? '-' : '', '').trimEnd())];
}
