// The software TLB (Aegis paper, sec. 5.3; docs/architecture.md, "The
// exokernel"): 4096 entries, direct-mapped on ASID and VPN, that keep bindings
// across context switches and serve hardware TLB misses without the library
// OS. On the DECstation it lives in unmapped memory; here it is a table the
// kernel owns, with the same shape and the same collisions.

import { ChangeSet } from './changes.js';

/** Number of STLB entries. */
export const STLB_SIZE = 4096;

/** The slot for (asid, vpn): VPN low bits mixed with the ASID, as a hash. */
export function stlbSlot(asid: number, vpn: number): number {
  return ((vpn ^ (asid * 0x9e5)) & (STLB_SIZE - 1)) >>> 0;
}

/** A plain copy of one valid entry, for snapshots. */
export interface StlbEntry {
  readonly slot: number;
  readonly asid: number;
  readonly vpn: number;
  readonly entryLo: number;
  readonly env: number;
  /** The key presented when the binding was made (the invariant's evidence). */
  readonly keyLo: number;
  readonly keyHi: number;
}

const NO_ENTRIES: readonly StlbEntry[] = Object.freeze([]);

/** The STLB and its counters. */
export class Stlb {
  /** Tag: (asid << 20 | vpn) + 1, 0 for an empty slot. */
  private readonly tag = new Float64Array(STLB_SIZE);
  private readonly lo = new Int32Array(STLB_SIZE);
  private readonly owner = new Int32Array(STLB_SIZE);
  private readonly keyLo = new Uint32Array(STLB_SIZE);
  private readonly keyHi = new Uint32Array(STLB_SIZE);
  hits = 0;
  misses = 0;
  evictions = 0;
  /** Slots written or emptied (what the incremental invariant check rechecks). */
  readonly changed = new ChangeSet(STLB_SIZE);
  /** Per frame (EntryLo bits 31..12): the valid entries that map it, so removeFrame passes over frames none maps. */
  private readonly perFrame = new Uint16Array(1 << 20);
  /**
   * The valid entries of each frame as a doubly linked list of slots (slot
   * + 1; 0 ends it): the first per frame (frames no entry maps are absent),
   * the next and previous per slot. removeFrame and vpnOf visit a frame's
   * entries, not the table.
   */
  private readonly firstOf = new Map<number, number>();
  private readonly nextOf = new Int32Array(STLB_SIZE);
  private readonly prevOf = new Int32Array(STLB_SIZE);
  /**
   * The tables `save` made last, while no slot changed since: a checkpoint
   * every few hundred thousand cycles mostly finds the STLB as it was, and
   * then shares them instead of making new ones.
   */
  private saved: Pick<ReturnType<Stlb['save']>, 'slots' | 'tag' | 'lo' | 'owner' | 'keyLo' | 'keyHi'> | undefined;

  /** The EntryLo held for (asid, vpn), or undefined. Counts a hit or a miss. */
  lookup(asid: number, vpn: number): number | undefined {
    const i = stlbSlot(asid, vpn);
    if (this.tag[i] === asid * 0x100000 + vpn + 1) { this.hits++; return this.lo[i]; }
    this.misses++;
    return undefined;
  }

  /** The EntryLo held for (asid, vpn) without counting, or undefined. */
  peek(asid: number, vpn: number): number | undefined {
    const i = stlbSlot(asid, vpn);
    return this.tag[i] === asid * 0x100000 + vpn + 1 ? this.lo[i] : undefined;
  }

  /** The key recorded with (asid, vpn)'s binding, or undefined when there is none. */
  keyOf(asid: number, vpn: number): { lo: number; hi: number } | undefined {
    const i = stlbSlot(asid, vpn);
    return this.tag[i] === asid * 0x100000 + vpn + 1 ? { lo: this.keyLo[i], hi: this.keyHi[i] } : undefined;
  }

  /**
   * Inserts a binding for environment `env`, made with the key (keyLo,
   * keyHi). Returns the entry it displaced (another page in the same
   * slot), if any; that counts as an eviction.
   */
  insert(asid: number, vpn: number, entryLo: number, env: number, keyLo: number, keyHi: number): StlbEntry | undefined {
    const i = stlbSlot(asid, vpn);
    const t = asid * 0x100000 + vpn + 1;
    let evicted: StlbEntry | undefined;
    if (this.tag[i] !== 0 && this.tag[i] !== t) {
      evicted = this.entryAt(i);
      this.evictions++;
    }
    if (this.tag[i] !== 0) { this.perFrame[this.lo[i] >>> 12]--; this.unlink(i); }
    this.tag[i] = t;
    this.changed.add(i);
    this.saved = undefined;
    this.lo[i] = entryLo;
    this.perFrame[entryLo >>> 12]++;
    this.link(i);
    this.owner[i] = env;
    this.keyLo[i] = keyLo;
    this.keyHi[i] = keyHi;
    return evicted;
  }

  /** Removes the binding for (asid, vpn); true when there was one. */
  remove(asid: number, vpn: number): boolean {
    const i = stlbSlot(asid, vpn);
    if (this.tag[i] !== asid * 0x100000 + vpn + 1) return false;
    this.empty(i);
    return true;
  }

  /** Removes every entry `pred` selects; returns them. */
  removeWhere(pred: (e: StlbEntry) => boolean): StlbEntry[] {
    const out: StlbEntry[] = [];
    for (let i = 0; i < STLB_SIZE; i++) {
      if (this.tag[i] === 0) continue;
      const e = this.entryAt(i);
      if (pred(e)) { this.empty(i); out.push(e); }
    }
    return out;
  }

  /**
   * Removes every entry made under `asid`; returns how many. removeWhere
   * with the ASID read from the tag: no entry object for the slots it
   * keeps (an ASID is flushed at every hand-over and destruction).
   */
  removeAsid(asid: number): number {
    // Tags of `asid` are asid * 2^20 + vpn + 1 for vpn in 0..2^20-1.
    const lo = asid * 0x100000 + 1, hi = lo + 0xfffff;
    let n = 0;
    for (let i = 0; i < STLB_SIZE; i++) {
      const t = this.tag[i];
      if (t >= lo && t <= hi) { this.empty(i); n++; }
    }
    return n;
  }

  /** True when slot `i` holds a valid entry (at(i) without building it). */
  valid(i: number): boolean {
    return this.tag[i] !== 0;
  }

  /**
   * Removes every entry that maps `frame` for an environment `pred` accepts;
   * returns them (one shared empty list when no entry maps the frame: a
   * destruction asks for each of its frames, most in no STLB entry).
   */
  removeFrame(frame: number, pred: (env: number) => boolean): readonly StlbEntry[] {
    if (!(this.perFrame[frame] > 0)) return NO_ENTRIES;
    const out: StlbEntry[] = [];
    for (const i of this.slotsOf(frame)) {
      if (!pred(this.owner[i])) continue;
      out.push(this.entryAt(i));
      this.empty(i);
    }
    return out;
  }

  /** The slots of the valid entries that map `frame` (below 2^20), ascending. */
  private slotsOf(frame: number): number[] {
    const out: number[] = [];
    for (let s = this.firstOf.get(frame) ?? 0; s !== 0; s = this.nextOf[s - 1]) out.push(s - 1);
    return out.sort((a, b) => a - b);
  }

  /** Puts valid slot `i` on its frame's list. */
  private link(i: number): void {
    const f = this.lo[i] >>> 12, head = this.firstOf.get(f) ?? 0;
    this.nextOf[i] = head;
    this.prevOf[i] = 0;
    if (head !== 0) this.prevOf[head - 1] = i + 1;
    this.firstOf.set(f, i + 1);
  }

  /** Takes valid slot `i` off its frame's list. */
  private unlink(i: number): void {
    const p = this.prevOf[i], n = this.nextOf[i];
    if (p !== 0) this.nextOf[p - 1] = n;
    else if (n !== 0) this.firstOf.set(this.lo[i] >>> 12, n);
    else this.firstOf.delete(this.lo[i] >>> 12);
    if (n !== 0) this.prevOf[n - 1] = p;
  }

  /**
   * The VPN of the first entry (by slot) environment `env` holds for
   * `frame`, or -1: entries() and a search, without an object per entry.
   */
  vpnOf(env: number, frame: number): number {
    if (!(this.perFrame[frame] > 0)) return -1;
    for (const i of this.slotsOf(frame)) if (this.owner[i] === env) return (this.tag[i] - 1) % 0x100000;
    return -1;
  }

  /** Empties valid slot `i`. */
  private empty(i: number): void {
    this.tag[i] = 0;
    this.changed.add(i);
    this.saved = undefined;
    this.perFrame[this.lo[i] >>> 12]--;
    this.unlink(i);
  }

  /** The valid entry in slot `i`, or undefined. */
  at(i: number): StlbEntry | undefined {
    return this.tag[i] === 0 ? undefined : this.entryAt(i);
  }

  /** The slots of valid entries whose frame (EntryLo bits 31..12) `frames` marks. */
  slotsOfFrames(frames: ChangeSet): number[] {
    const out: number[] = [];
    if (!frames.all && frames.entries().every((f) => this.perFrame[f] === 0)) return out;
    for (let i = 0; i < STLB_SIZE; i++) if (this.tag[i] !== 0 && frames.has(this.lo[i] >>> 12)) out.push(i);
    return out;
  }

  private entryAt(i: number): StlbEntry {
    const t = this.tag[i] - 1;
    // t is below 2^26 (a 6-bit ASID over a 20-bit VPN): integer shifts, not float division.
    return { slot: i, asid: t >>> 20, vpn: t & 0xfffff, entryLo: this.lo[i] >>> 0, env: this.owner[i], keyLo: this.keyLo[i], keyHi: this.keyHi[i] };
  }

  /**
   * The STLB's valid entries and its counters, for checkpoints: per entry
   * its slot and the slot's fields, in slot order (an empty slot's fields
   * are never read: restore leaves them zero). The tables are made again
   * only after a slot changed; saves share them meanwhile (`saved`): like
   * every saved state, read them, never write them. A table of the valid
   * entries, not of all 4,096 slots: a checkpoint compares and keeps a few
   * hundred bytes where a copy of the slots was 96 KiB.
   */
  save(): { readonly slots: Int32Array; readonly tag: Float64Array; readonly lo: Int32Array; readonly owner: Int32Array; readonly keyLo: Uint32Array; readonly keyHi: Uint32Array; hits: number; misses: number; evictions: number } {
    this.saved ??= this.validTables();
    return { ...this.saved, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }

  /** The valid entries' slots and fields, as save() keeps them. */
  private validTables(): NonNullable<Stlb['saved']> {
    let n = 0;
    for (let i = 0; i < STLB_SIZE; i++) if (this.tag[i] !== 0) n++;
    const out = { slots: new Int32Array(n), tag: new Float64Array(n), lo: new Int32Array(n), owner: new Int32Array(n), keyLo: new Uint32Array(n), keyHi: new Uint32Array(n) };
    for (let i = 0, j = 0; i < STLB_SIZE; i++) {
      if (this.tag[i] === 0) continue;
      out.slots[j] = i; out.tag[j] = this.tag[i]; out.lo[j] = this.lo[i]; out.owner[j] = this.owner[i]; out.keyLo[j] = this.keyLo[i]; out.keyHi[j] = this.keyHi[i];
      j++;
    }
    return out;
  }

  /** Restores what `save()` returned. */
  restore(s: ReturnType<Stlb['save']>): void {
    for (let i = 0; i < STLB_SIZE; i++) if (this.tag[i] !== 0) { this.perFrame[this.lo[i] >>> 12]--; this.unlink(i); }
    this.tag.fill(0); this.lo.fill(0); this.owner.fill(0); this.keyLo.fill(0); this.keyHi.fill(0);
    for (let j = 0; j < s.slots.length; j++) {
      const i = s.slots[j];
      this.tag[i] = s.tag[j]; this.lo[i] = s.lo[j]; this.owner[i] = s.owner[j]; this.keyLo[i] = s.keyLo[j]; this.keyHi[i] = s.keyHi[j];
      this.perFrame[this.lo[i] >>> 12]++;
      this.link(i);
    }
    this.changed.addAll();
    this.saved = undefined;
    this.hits = s.hits;
    this.misses = s.misses;
    this.evictions = s.evictions;
  }

  /** Every valid entry, by slot. */
  entries(): StlbEntry[] {
    const out: StlbEntry[] = [];
    for (let i = 0; i < STLB_SIZE; i++) if (this.tag[i] !== 0) out.push(this.entryAt(i));
    return out;
  }
}
