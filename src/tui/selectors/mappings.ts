// The TLB against the STLB, compared: one row per mapping (environment,
// virtual page) with where it lives (hardware TLB slot, STLB slot, the
// environment's guaranteed set), who owns the frame and through which
// capability the environment reaches it, and what happened to it since the
// previous snapshot (refilled from the STLB, written by the library OS,
// evicted). The hardware TLB is tagged by ASID (R3000 manual, ch. 6,
// "EntryHi"); the STLB and the guaranteed set are the kernel's, kept per
// environment (Aegis paper, sec. 5.1 and 5.2).

import type { EnvView, Snapshot } from '../../session/index.js';
import { clip, fit, hex, num, right, windowOf } from '../format.js';

/** What happened to a mapping since the previous snapshot, newest cause first. */
export type MappingMark =
  | 'written'   // the library OS installed it (a secure binding, checked against its capability)
  | 'refilled'  // a TLB miss the STLB served: the kernel put it into the TLB
  | 'g-refill'  // a TLB miss a guaranteed mapping served
  | 'evicted'   // the STLB slot went to another mapping
  | 'removed'   // the binding was broken (freed, revoked, rekeyed)
  | 'replaced'; // the hardware TLB slot went to another mapping

export interface MappingRow {
  /** The environment's id (0 for a global TLB entry or an ASID no live environment has). */
  readonly env: number;
  readonly envName: string;
  readonly vpn: number;
  readonly pfn: number;
  /** Hardware TLB index, STLB slot, in the guaranteed set. */
  readonly tlb: number | undefined;
  readonly stlb: number | undefined;
  readonly guaranteed: boolean;
  readonly writable: boolean;
  /** The frame's owner (0 free, 65535 kernel). */
  readonly owner: number;
  readonly ownerName: string;
  /** "own" (the owner's capability), "r"/"rw" (bound through a granted one), "kern", or "?" (no binding recorded). */
  readonly cap: string;
  readonly marks: readonly MappingMark[];
  /** Gone since the previous snapshot: shown once, from the previous snapshot. */
  readonly gone: boolean;
}

export interface MappingLine { readonly text: string; readonly row: MappingRow }

export interface MappingsView {
  readonly info: string;
  readonly counters: string;
  readonly legend: string;
  readonly header: string;
  /** Columns of the environment's name at the start of each line (drawn in its owner's look). */
  readonly nameWidth: number;
  readonly lines: readonly MappingLine[];
  readonly total: number;
  readonly offset: number;
  readonly max: number;
}

const KERNEL = 65535;
/** Rights bits of a binding (abi.ts Rights). */
const READ = 1, WRITE = 2;

/** A mapping's key: environment and virtual page in one number (a VPN has 20 bits, an id at most 16). */
type Key = number;
const keyOf = (env: number, vpn: number): Key => env * 0x100000 + vpn;

/** Environment ids by ASID (live environments only: a destroyed one's ASID may be another's now). */
function asidOwners(s: Snapshot): Map<number, EnvView> {
  return new Map(s.envs.filter((e) => e.asid >= 0 && e.state !== 'destroyed').map((e) => [e.asid, e]));
}

interface Place { env: number; vpn: number; pfn: number; tlb?: number; stlb?: number; guaranteed?: boolean; writable: boolean }

/** mappingPlaces of each snapshot, worked out once: a frame's snapshot is the next frame's previous one. */
const placesOf = new WeakMap<Snapshot, ReadonlyMap<Key, Place>>();

/** Every mapping of `s` by (environment, vpn): hardware TLB, STLB and guaranteed sets merged (one map for each snapshot, never changed). */
export function mappingPlaces(s: Snapshot): ReadonlyMap<Key, Place> {
  let out = placesOf.get(s);
  if (!out) placesOf.set(s, (out = placesAfresh(s)));
  return out;
}

function placesAfresh(s: Snapshot): Map<Key, Place> {
  const out = new Map<Key, Place>();
  // Each place is made here and changed only while this map is built (a snapshot's map is never changed after).
  const put = (env: number, vpn: number, pfn: number, writable: boolean): Place => {
    const k = keyOf(env, vpn);
    let p = out.get(k);
    if (!p) out.set(k, (p = { env, vpn, pfn, writable }));
    else p.writable ||= writable;
    return p;
  };
  const owners = asidOwners(s);
  for (const r of s.tlb) if (r.v) put(r.g ? 0 : owners.get(r.asid)?.id ?? 0, r.vpn, r.pfn, r.d).tlb = r.index;
  for (const e of s.envs) {
    for (const r of e.stlb) put(e.id, r.vpn, r.pfn, r.d).stlb = r.slot;
    for (const g of e.guaranteedMappings) put(e.id, g.vpn, g.pfn, g.d).guaranteed = true;
  }
  return out;
}

/** The events of `cur` that happened after `prev` was taken (all it carries when more happened). */
export function eventsSince(cur: Snapshot, prev: Snapshot | undefined): Snapshot['events'] {
  if (!prev) return [];
  const n = cur.eventsTotal - prev.eventsTotal;
  return n <= 0 ? [] : cur.events.slice(Math.max(0, cur.events.length - n));
}

/** Marks by mapping from the events since the previous snapshot and the hardware TLB's changes. */
function marksSince(cur: Snapshot, prev: Snapshot | undefined, now: ReadonlyMap<Key, Place>, before: ReadonlyMap<Key, Place>): Map<Key, MappingMark[]> {
  const marks = new Map<Key, MappingMark[]>();
  const add = (k: Key, m: MappingMark) => { const l = marks.get(k) ?? []; if (!l.includes(m)) l.unshift(m); marks.set(k, l); };
  for (const e of eventsSince(cur, prev)) {
    if (e.kind === 'binding-installed') add(keyOf(e.env, e.vaddr >>> 12), 'written');
    else if (e.kind === 'stlb-hit') add(keyOf(e.env, e.vaddr >>> 12), 'refilled');
    else if (e.kind === 'guaranteed-hit') add(keyOf(e.env, e.vaddr >>> 12), 'g-refill');
    else if (e.kind === 'stlb-evict') add(keyOf(e.env, e.vaddr >>> 12), 'evicted');
    else if (e.kind === 'binding-removed') add(keyOf(e.env, e.vaddr >>> 12), 'removed');
  }
  if (prev) {
    for (const [k, p] of before) {
      if (p.tlb === undefined) continue;
      const q = now.get(k);
      if (q?.tlb === undefined && !marks.get(k)?.some((m) => m === 'evicted' || m === 'removed')) add(k, 'replaced');
    }
  }
  return marks;
}

/** The capability environment `env` reaches frame `pfn` through, in a word. */
function capOf(s: Snapshot, access: Map<number, Snapshot['frameAccess'][number]>, env: number, pfn: number): string {
  const owner = s.frameOwners[pfn];
  if (owner === KERNEL) return 'kern';
  if (owner === env) return 'own';
  const held = access.get(pfn)?.holders.find((h) => h.env === env);
  if (!held) return '?';
  return `${held.rights & READ ? 'r' : ''}${held.rights & WRITE ? 'w' : ''}` || '-';
}

/**
 * Every mapping row of `cur`, with marks for what changed since `prev`;
 * mappings gone since `prev` stay one snapshot, marked. Only environment
 * `env`'s rows (and global TLB entries) when `env` is given; sorted by
 * environment, then virtual page.
 */
export function selectMappingRows(cur: Snapshot, prev: Snapshot | undefined, env: number | undefined): MappingRow[] {
  const now = mappingPlaces(cur);
  const before: ReadonlyMap<Key, Place> = prev ? mappingPlaces(prev) : new Map<Key, Place>();
  const marks = marksSince(cur, prev, now, before);
  const names = new Map(cur.envs.map((e) => [e.id, e.name]));
  const nameOf = (id: number) => (id === 0 ? '-' : id === KERNEL ? 'kernel' : names.get(id) ?? `env ${id}`);
  const access = new Map(cur.frameAccess.map((a) => [a.frame, a]));
  const rows: MappingRow[] = [];
  const push = (p: Place, gone: boolean) => {
    if (env !== undefined && p.env !== env && p.env !== 0) return;
    const owner = cur.frameOwners[p.pfn] ?? 0;
    rows.push({
      env: p.env, envName: p.env === 0 ? '(all)' : nameOf(p.env), vpn: p.vpn, pfn: p.pfn,
      tlb: gone ? undefined : p.tlb, stlb: gone ? undefined : p.stlb, guaranteed: !gone && p.guaranteed === true, writable: p.writable,
      owner, ownerName: owner === 0 ? 'free' : nameOf(owner), cap: capOf(cur, access, p.env, p.pfn),
      marks: marks.get(keyOf(p.env, p.vpn)) ?? [], gone,
    });
  };
  for (const p of now.values()) push(p, false);
  for (const [k, p] of before) if (!now.has(k) && marks.has(k)) push(p, true);
  return rows.sort((a, b) => a.env - b.env || a.vpn - b.vpn);
}

/** Column widths of a row, by the pane's width: names widen when there is room. */
function columns(width: number): { name: number; mark: number } {
  return width >= 72 ? { name: 10, mark: 16 } : width >= 60 ? { name: 8, mark: 10 } : { name: 7, mark: 8 };
}

const MARK_WORDS: Readonly<Record<MappingMark, string>> = {
  written: 'written', refilled: 'refilled', 'g-refill': 'g-refill', evicted: 'evicted', removed: 'removed', replaced: 'replaced',
};

/** One mapping as a line of `width` columns. */
export function mappingText(r: MappingRow, width: number): string {
  const c = columns(width);
  const tlb = r.tlb === undefined ? '-' : String(r.tlb);
  const stlb = r.stlb === undefined ? '-' : hex(r.stlb, 3);
  const flags = `${r.guaranteed ? 'G' : '-'}${r.writable ? 'D' : '-'}`;
  const mark = r.gone ? `gone: ${r.marks.join(',')}` : r.marks.map((m) => MARK_WORDS[m]).join(',');
  return clip(`${fit(r.envName, c.name)} ${hex(r.vpn, 5)} ${hex(r.pfn, 5)} ${right(tlb, 2)} ${right(stlb, 3)} ${flags} ${fit(r.ownerName, c.name)} ${fit(r.cap, 4)} ${mark}`, width).trimEnd();
}

/** The column header for `width`. */
function headerText(width: number): string {
  const c = columns(width);
  return clip(`${fit('env', c.name)} vpn   pfn   ix stl GD ${fit('owner', c.name)} cap  since last`, width);
}

/**
 * The TLB/STLB pane's view for `width` x `height`: environment `envName`'s
 * mappings (every environment's when `all`), windowed from `scroll`, under
 * the counters, a legend and the column header.
 */
export function selectMappings(cur: Snapshot, prev: Snapshot | undefined, envName: string | undefined, all: boolean, scroll: number, width: number, height: number): MappingsView {
  const e = cur.envs.find((x) => x.name === envName);
  const rows = selectMappingRows(cur, prev, all ? undefined : e?.id ?? -1);
  const win = windowOf(rows, scroll, Math.max(0, height - 3));
  const k = cur.stlbCounters;
  const valid = cur.tlb.filter((r) => r.v).length;
  const where = all ? 'every environment' : e ? e.name : '(none)';
  const changed = rows.filter((r) => r.marks.length).length;
  return {
    info: `${where}: ${rows.length} mappings, ${changed} changed; TLB ${valid}/64 valid (a: ${all ? 'selected only' : 'all'})`,
    counters: clip(`STLB hits ${num(k.hits)}  misses ${num(k.misses)}  evictions ${num(k.evictions)}` + (e ? `  | ${e.name}: hits ${num(e.counters.stlbHits ?? 0)} misses ${num(e.counters.stlbMisses ?? 0)}` : ''), width),
    legend: clip('ix TLB index, stl STLB slot, G guaranteed, D writable; cap: own, r/rw granted, kern', width),
    header: headerText(width), nameWidth: columns(width).name,
    lines: win.items.map((row) => ({ text: mappingText(row, width), row })),
    total: rows.length, offset: win.offset, max: win.max,
  };
}
