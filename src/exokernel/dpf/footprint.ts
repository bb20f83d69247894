// What a filter demands of a packet, byte by byte: the basis of the conflict
// rule (trie.ts). Compare atoms fix bits of bytes at base + offset. The base
// after k shift atoms depends only on the packet and on those k shift atoms
// (each reads its field relative to the base before it), so two filters
// whose shift atoms agree up to some point have, on every packet, the same
// base there. A base "epoch" is named by the list of shift atoms before it;
// within one epoch, offsets of different filters are comparable.

import type { Atom } from './filter.js';

/** Bits one byte must have: (byte & mask) === value. `atom` says who asked first. */
interface ByteRule {
  mask: number;
  value: number;
  readonly atom: number;
}

/** Per epoch (its shift atoms, as a key), the rules on bytes by offset from that base. */
export interface Footprint {
  readonly epochs: ReadonlyMap<string, ReadonlyMap<number, Readonly<ByteRule>>>;
}

const BYTE_MASK = 0xff;

/** A shift atom as part of an epoch's name. */
const shiftKey = (a: Atom) => (a.kind === 'shift' ? `${a.width}.${a.offset}.${a.mask}.${a.shift};` : '');

/**
 * The footprint of a filter, or a sentence saying which two atoms demand
 * different bits of the same byte (such a filter accepts no packet).
 */
export function footprint(atoms: readonly Atom[]): Footprint | { readonly contradiction: string } {
  const epochs = new Map<string, Map<number, ByteRule>>();
  let epoch = '';
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i];
    if (a.kind === 'shift') { epoch += shiftKey(a); continue; }
    let rules = epochs.get(epoch);
    if (!rules) { rules = new Map(); epochs.set(epoch, rules); }
    for (let b = 0; b < a.width; b++) {
      const sh = 8 * (a.width - 1 - b);
      const mask = (a.mask >>> sh) & BYTE_MASK, value = (a.value >>> sh) & BYTE_MASK;
      if (mask === 0) continue;
      const at = a.offset + b, old = rules.get(at);
      if (!old) { rules.set(at, { mask, value, atom: i }); continue; }
      if ((old.mask & mask & (old.value ^ value)) !== 0) {
        return { contradiction: `Atoms ${old.atom} and ${i} demand different bits of byte ${at}${epoch ? ' (after the same shifts)' : ''}, so the filter accepts no packet` };
      }
      old.mask |= mask;
      old.value |= value;
    }
  }
  return { epochs };
}

/**
 * True when no packet can satisfy both footprints: in some epoch both name,
 * some byte must have different bits. Sound but not complete: false means
 * "a packet may match both" (the filters may still be disjoint for reasons
 * that cross epochs, say one fixes the IHL that the other shifts by).
 */
export function disjoint(a: Footprint, b: Footprint): boolean {
  for (const [epoch, ra] of a.epochs) {
    const rb = b.epochs.get(epoch);
    if (!rb) continue;
    for (const [at, x] of ra) {
      const y = rb.get(at);
      if (y && (x.mask & y.mask & (x.value ^ y.value)) !== 0) return true;
    }
  }
  return false;
}
