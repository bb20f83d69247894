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

/** The 64-entry TLB. */
export class TlbArray {
  readonly hi = new Int32Array(F.ENTRIES);
  readonly lo = new Int32Array(F.ENTRIES);
  /** Bumped on every write, so translation caches can tell they are stale. */
  generation = 0;

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
    this.hi[index] = entryHi & F.HI_MASK;
    this.lo[index] = entryLo & F.LO_MASK;
    this.generation++;
  }

  /** Zeroes every entry, as at construction (the generation still moves on, for caches). */
  clear(): void {
    this.hi.fill(0);
    this.lo.fill(0);
    this.generation++;
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
    this.generation++;
  }
}
