// What a filter demands of a packet, byte by byte: the basis of the conflict
// rule (trie.ts). Compare atoms fix bits of bytes at base + offset. The base
// after k shift atoms depends only on the packet and on those k shift atoms
// (each reads its field relative to the base before it), so two filters
// whose shift atoms agree up to some point have, on every packet, the same
// base there. A base "epoch" is named by the list of shift atoms before it;
// within one epoch, offsets of different filters are comparable.

import { type Atom, DPF_PACKET_MAX } from './filter.js';

/**
 * The rules of one epoch, packed (a filter is kept for as long as it is
 * installed, and its footprint with it): byte offsets ascending, and for
 * each the mask and the value that byte must have.
 */
export interface EpochRules {
  readonly offsets: Int32Array;
  readonly masks: Uint8Array;
  readonly values: Uint8Array;
}

/** Per epoch (its shift atoms, as a key), the rules on bytes by offset from that base. */
export interface Footprint {
  readonly epochs: ReadonlyMap<string, EpochRules>;
}

const BYTE_MASK = 0xff;

/** A shift atom as part of an epoch's name. */
const shiftKey = (a: Atom) => (a.kind === 'shift' ? `${a.width}.${a.offset}.${a.mask}.${a.shift};` : '');

/**
 * The footprint of a filter, or a sentence saying which two atoms demand
 * different bits of the same byte (such a filter accepts no packet).
 */
export function footprint(atoms: readonly Atom[]): Footprint | { readonly contradiction: string } {
  const epochs = new Map<string, EpochRules>();
  const bad = walk(atoms, epochs);
  return bad === undefined ? { epochs } : { contradiction: bad };
}

/**
 * footprint()'s contradiction, or undefined when there is none, without
 * building the footprint (no allocation): an insert needs the footprint
 * only when the conflict rule compares the filter with another, and an
 * installed filter builds its own when first compared (trie.ts, Filter).
 */
export function contradiction(atoms: readonly Atom[]): string | undefined {
  return walk(atoms, undefined);
}

/** Reads the rules of `atoms` epoch by epoch into `epochs` (when given); returns the first contradiction. */
function walk(atoms: readonly Atom[], epochs: Map<string, EpochRules> | undefined): string | undefined {
  let epoch = '';
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i];
    if (a.kind === 'shift') {
      // The base moves: this epoch's rules are complete (an epoch never comes back).
      if (epochs) {
        if (rules.size) epochs.set(epoch, rules.pack());
        epoch += shiftKey(a);
      } else rules.clear();
      continue;
    }
    for (let b = 0; b < a.width; b++) {
      const sh = 8 * (a.width - 1 - b);
      const mask = (a.mask >>> sh) & BYTE_MASK, value = (a.value >>> sh) & BYTE_MASK;
      if (mask === 0) continue;
      const old = rules.add(a.offset + b, mask, value, i);
      if (old >= 0) {
        rules.clear();
        return `Atoms ${old} and ${i} demand different bits of byte ${a.offset + b}${hasShift(atoms, i) ? ' (after the same shifts)' : ''}, so the filter accepts no packet`;
      }
    }
  }
  if (epochs && rules.size) epochs.set(epoch, rules.pack());
  else rules.clear();
  return undefined;
}

/** True when a shift atom comes before atom `i`. */
function hasShift(atoms: readonly Atom[], i: number): boolean {
  for (let k = 0; k < i; k++) if (atoms[k].kind === 'shift') return true;
  return false;
}

/**
 * Scratch for the epoch being built, shared (one footprint is built at a
 * time; insert is on the kernel's hot path, so no Map or growing array per
 * filter): where each byte offset's rule is (index + 1, 0 for none; left
 * all zero), and the rules, in the order their bytes were first named.
 */
const slotOf = new Int32Array(DPF_PACKET_MAX);
const RULES_MAX = DPF_PACKET_MAX;
const ruleAt = new Int32Array(RULES_MAX), ruleMask = new Uint8Array(RULES_MAX), ruleValue = new Uint8Array(RULES_MAX);
const ruleAtom = new Int32Array(RULES_MAX);

/** The rules of one epoch being built, in the shared scratch. */
class Rules {
  size = 0;

  /** Adds (byte & mask) === value at `at` for atom `atom`; returns the atom that first asked for other bits of that byte, else -1. */
  add(at: number, mask: number, value: number, atom: number): number {
    const k = slotOf[at] - 1;
    if (k < 0) {
      ruleAt[this.size] = at;
      ruleMask[this.size] = mask;
      ruleValue[this.size] = value;
      ruleAtom[this.size] = atom;
      slotOf[at] = ++this.size;
      return -1;
    }
    if ((ruleMask[k] & mask & (ruleValue[k] ^ value)) !== 0) return ruleAtom[k];
    ruleMask[k] |= mask;
    ruleValue[k] |= value;
    return -1;
  }

  /** Empties this and the scratch for the next epoch, packing nothing. */
  clear(): void {
    for (let i = 0; i < this.size; i++) slotOf[ruleAt[i]] = 0;
    this.size = 0;
  }

  /** The rules in offset order; empties this (and the scratch) for the next epoch. */
  pack(): EpochRules {
    const n = this.size, offsets = ruleAt.slice(0, n).sort();
    const masks = new Uint8Array(n), values = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = slotOf[offsets[i]] - 1;
      masks[i] = ruleMask[k];
      values[i] = ruleValue[k];
      slotOf[offsets[i]] = 0;
    }
    this.size = 0;
    return { offsets, masks, values };
  }
}

/** The one Rules over the scratch. */
const rules = new Rules();

/**
 * True when no packet can satisfy both footprints: in some epoch both name,
 * some byte must have different bits. Sound but not complete: false means
 * "a packet may match both" (the filters may still be disjoint for reasons
 * that cross epochs, say one fixes the IHL that the other shifts by).
 */
export function disjoint(a: Footprint, b: Footprint): boolean {
  for (const [epoch, ra] of a.epochs) {
    const rb = b.epochs.get(epoch);
    if (rb && clash(ra, rb)) return true;
  }
  return false;
}

/** True when some byte both epochs' rules name must have different bits (a merge of the two offset lists). */
function clash(x: EpochRules, y: EpochRules): boolean {
  let i = 0, j = 0;
  while (i < x.offsets.length && j < y.offsets.length) {
    const d = x.offsets[i] - y.offsets[j];
    if (d < 0) i++;
    else if (d > 0) j++;
    else if ((x.masks[i] & y.masks[j] & (x.values[i] ^ y.values[j])) !== 0) return true;
    else { i++; j++; }
  }
  return false;
}
