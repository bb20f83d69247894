// The R3000A's translation lookaside buffer (R30xx manual, ch. 6): 64
// fully associative entries, each an EntryHi (VPN 31:12, ASID 11:6) and an
// EntryLo (PFN 31:12, N, D, V, G). Entries 0..7 are "wired": Random never
// selects them. Matching: VPN equal, and ASID equal unless G is set.
//
// This file holds only the array and its search; the CPU decides what a
// match means (refill, TLBL, TLBS, Mod) because that depends on the access.

import { Tlb as F } from './cp0.js';

/** A plain copy of one entry, for snapshots and tests. */
export interface TlbEntry {
  readonly entryHi: number;
  readonly entryLo: number;
}

/** Entries of the soft TLB, a power of two. */
export const SOFT_TLB_ENTRIES = 1024;
/** Soft TLB contexts (CPU ctxF, ctxD) hold Status.KUc in bit 4 and Status.IsC in bit 3 beside EntryHi.ASID. */
const CTX_KU = 0x10, CTX_ISC = 0x08;

/**
 * The soft TLB slot of virtual address `va` in lookup context `ctx`: VPN
 * bits 9:0 XOR the context (ASID, KUc, IsC) shifted down to bits 8:0. Every
 * environment maps its program at the same addresses; indexed by the VPN
 * alone, their pages took the same slots and each address-space switch
 * evicted the last one's. The translator's blocks compute the same index.
 */
export function softIndex(va: number, ctx: number): number {
  return ((va >>> 12) ^ (ctx >>> 3)) & (SOFT_TLB_ENTRIES - 1);
}
/** A soft TLB tag that no lookup matches (lookup keys have bits 5 and 2:0 clear). */
export const SOFT_NO_TAG = -1;
/** Writes the TLB's write log remembers (TlbArray.written), a power of two. */
export const TLB_WRITE_LOG = 64;

/**
 * The soft TLB: a direct-mapped cache of successful translations of RAM
 * pages in front of the architectural TLB, one table per access kind
 * (fetch, load, store), indexed by `softIndex`. A tag is the virtual page
 * (bits 31:12) ORed with the lookup context the CPU computes from EntryHi.ASID
 * (bits 11:6), Status.KUc (bit 4) and, for data, Status.IsC (bit 3), so an
 * address-space or mode change needs no flush. It holds no physical page
 * outside RAM. Entries derived from a TLB entry die when that entry is
 * written (`TlbArray.write`, `dropEntry`); the CPU drops store entries of pages that gain
 * translated code or lose their dirty bit.
 */
export class SoftTlb {
  readonly fTag = new Int32Array(SOFT_TLB_ENTRIES).fill(SOFT_NO_TAG);
  readonly fBase = new Int32Array(SOFT_TLB_ENTRIES);
  readonly lTag = new Int32Array(SOFT_TLB_ENTRIES).fill(SOFT_NO_TAG);
  readonly lBase = new Int32Array(SOFT_TLB_ENTRIES);
  readonly sTag = new Int32Array(SOFT_TLB_ENTRIES).fill(SOFT_NO_TAG);
  readonly sBase = new Int32Array(SOFT_TLB_ENTRIES);

  /** Forgets every translation. */
  clear(): void {
    this.fTag.fill(SOFT_NO_TAG);
    this.lTag.fill(SOFT_NO_TAG);
    this.sTag.fill(SOFT_NO_TAG);
  }

  /**
   * Forgets every translation a TLB entry with EntryHi `hi` may have made
   * or now shadows: its VPN in the four contexts of its ASID (KUc and IsC
   * each set or clear), or, for a global entry (EntryLo.G), in every
   * context (a scan of the tables: user bindings are never global).
   */
  dropEntry(hi: number, global: boolean): void {
    const vpn = hi & F.VPN;
    if (global) {
      for (const t of [this.fTag, this.lTag, this.sTag]) {
        for (let i = 0; i < SOFT_TLB_ENTRIES; i++) if ((t[i] & F.VPN) === vpn) t[i] = SOFT_NO_TAG;
      }
      return;
    }
    const asid = hi & F.ASID;
    this.dropKey(vpn, asid);
    this.dropKey(vpn, asid | CTX_KU);
    this.dropKey(vpn, asid | CTX_ISC);
    this.dropKey(vpn, asid | CTX_KU | CTX_ISC);
  }

  /** Forgets the translations of virtual page `vpn` (bits 31:12) in context `ctx`. */
  private dropKey(vpn: number, ctx: number): void {
    const ix = softIndex(vpn, ctx), key = vpn | ctx;
    if (this.fTag[ix] === key) this.fTag[ix] = SOFT_NO_TAG;
    if (this.lTag[ix] === key) this.lTag[ix] = SOFT_NO_TAG;
    if (this.sTag[ix] === key) this.sTag[ix] = SOFT_NO_TAG;
  }

  /** Forgets every store translation (a page gained code or lost its dirty bit). */
  dropStores(): void {
    this.sTag.fill(SOFT_NO_TAG);
  }
}

/** The 64-entry TLB. */
export class TlbArray {
  readonly hi = new Int32Array(F.ENTRIES);
  readonly lo = new Int32Array(F.ENTRIES);
  /**
   * Bumped on every write, so translation caches can tell they are stale;
   * `clear` and `load`, which change every entry, bump it by more than
   * TLB_WRITE_LOG.
   */
  generation = 0;
  /**
   * The write log: the entry that write number g wrote (g the generation
   * before it) is at g % TLB_WRITE_LOG. From generation g0 to now, when
   * now - g0 <= TLB_WRITE_LOG, these are every entry written, so a reader
   * that remembers g0 looks at those instead of comparing all 64 (the
   * kernel's incremental invariant check).
   */
  readonly written = new Uint8Array(TLB_WRITE_LOG);
  /** The soft TLB in front of this one; kept consistent by `write` and `load`. */
  readonly soft = new SoftTlb();

  /**
   * Returns the index of the entry that maps `vpnBits` (a virtual address's
   * bits 31:12, low bits zero) for `asidBits` (an EntryHi ASID field, bits
   * 11:6), or -1 when none does. A zeroed entry matches page 0 of ASID 0.
   * When several match, the lowest index wins (the chip would set Status.TS).
   */
  find(vpnBits: number, asidBits: number): number {
    const hi = this.hi;
    const lo = this.lo;
    for (let i = 0; i < F.ENTRIES; i++) {
      const h = hi[i];
      if (((h ^ vpnBits) & F.VPN) === 0 && ((lo[i] & F.G) !== 0 || ((h ^ asidBits) & F.ASID) === 0)) {
        return i;
      }
    }
    return -1;
  }

  /** Writes entry `index` (0..63) with the writable bits of hi and lo. */
  write(index: number, entryHi: number, entryLo: number): void {
    // Every soft entry this entry produced has its old VPN and ASID (any ASID if it was global); one it now shadows, its new ones.
    this.soft.dropEntry(this.hi[index], (this.lo[index] & F.G) !== 0);
    this.soft.dropEntry(entryHi, (entryLo & F.G) !== 0);
    this.hi[index] = entryHi & F.HI_MASK;
    this.lo[index] = entryLo & F.LO_MASK;
    this.written[this.generation & (TLB_WRITE_LOG - 1)] = index;
    this.generation++;
  }

  /** Zeroes every entry, as at construction (the generation still moves on, past the write log: every entry changed). */
  clear(): void {
    this.hi.fill(0);
    this.lo.fill(0);
    this.soft.clear();
    this.generation += TLB_WRITE_LOG + 1;
  }

  /** Returns a plain copy of every entry. */
  entries(): TlbEntry[] {
    const out: TlbEntry[] = [];
    for (let i = 0; i < F.ENTRIES; i++) out.push({ entryHi: this.hi[i] >>> 0, entryLo: this.lo[i] >>> 0 });
    return out;
  }

  /** Restores entries saved by `entries()`. */
  load(entries: readonly TlbEntry[]): void {
    for (let i = 0; i < F.ENTRIES; i++) {
      this.hi[i] = entries[i].entryHi | 0;
      this.lo[i] = entries[i].entryLo | 0;
    }
    this.soft.clear();
    this.generation += TLB_WRITE_LOG + 1;
  }
}
