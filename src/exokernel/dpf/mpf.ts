// The classifier DPF replaced, for comparison (Aegis paper, sec. 5.5: DPF
// 1.5 us against MPF 35 us): an MPF-style filter that keeps the installed
// filters apart and interprets one after another until one accepts. The
// kernel never runs it; src/exokernel/asm/mpf.S is its MIPS, whose cycles
// test/exokernel/costs.test.ts measures (Costs.MPF_*), and this is the
// same walk counted: which filter accepts, how many failed first, how many
// atoms were interpreted. Its cost is Costs.MPF_MATCH + failed x
// Costs.MPF_FILTER + atoms x Costs.MPF_ATOM (+ one cycle a shift atom),
// exact for atoms whose field lies inside the packet.

import { type Atom, readField } from './filter.js';

/** What interpreting the filters in turn did with one packet. */
export interface MpfWork {
  /** The index of the first filter that accepts, or -1. */
  readonly accepted: number;
  /** Filters tried that failed before it (all of them when none accepts). */
  readonly failed: number;
  /** Atoms interpreted, in every filter tried. */
  readonly atoms: number;
  /** Of them, shift atoms (each a cycle more in mpf.S). */
  readonly shifts: number;
}

/** The walk of asm/mpf.S over `filters`, in order, for `packet`. Pure. */
export function mpfWork(filters: readonly (readonly Atom[])[], packet: Uint8Array): MpfWork {
  let atoms = 0, shifts = 0;
  for (let i = 0; i < filters.length; i++) {
    let base = 0, pass = true;
    for (const a of filters[i]) {
      atoms++;
      const at = base + a.offset;
      if (at + a.width > packet.length) { pass = false; break; }
      const v = (readField(packet, at, a.width) & a.mask) >>> 0;
      if (a.kind === 'shift') { shifts++; base += v * 2 ** a.shift; continue; }
      if (v !== a.value) { pass = false; break; }
    }
    if (pass) return { accepted: i, failed: i, atoms, shifts };
  }
  return { accepted: -1, failed: filters.length, atoms, shifts };
}
