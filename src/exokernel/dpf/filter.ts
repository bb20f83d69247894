// DPF's filter language (Engler and Kaashoek, "DPF: Fast, Flexible Message
// Demultiplexing using Dynamic Code Generation", SIGCOMM 1996; the wire
// layout is DpfAtom in ../abi.ts). A filter is a conjunction of atoms. A
// compare atom reads a big-endian field of 1, 2 or 4 bytes at an offset from
// the current base, masks it and compares it with a constant. A shift atom
// reads a field the same way and moves the base forward by
// (field & mask) << shift bytes: that is how a filter steps over a header
// whose length is in the packet (the IP header's IHL). The base starts at
// the first byte of the Ethernet frame.

import { DPF_ATOMS_MAX, DpfAtom, DpfKind } from '../abi.js';

/** Field widths in bytes. */
export type Width = 1 | 2 | 4;

/** (field & mask) === value, the field at base + offset. */
export interface CompareAtom {
  readonly kind: 'compare';
  readonly width: Width;
  readonly offset: number;
  readonly mask: number;
  readonly value: number;
}

/** base += (field & mask) << shift, the field at base + offset. */
export interface ShiftAtom {
  readonly kind: 'shift';
  readonly width: Width;
  readonly offset: number;
  readonly mask: number;
  readonly shift: number;
}

export type Atom = CompareAtom | ShiftAtom;

/** The longest frame DPF classifies: Ethernet's 1514 bytes (net_send's limit). */
export const DPF_PACKET_MAX = 1514;

/**
 * The largest shift a shift atom may ask for: with 11 or more, any nonzero
 * field moves the base past the longest packet.
 */
export const DPF_SHIFT_MAX = 10;

/** Words per atom in the ABI layout. */
const ATOM_WORDS = DpfAtom.SIZE / 4;
const WIDTH_FIELD_MASK = 0xff;

/** A decoded filter, or why the words are not one. */
export type Decoded = { readonly atoms: readonly Atom[] } | { readonly error: string };

/** The largest unsigned value a field of `width` bytes holds. */
export function widthMax(width: Width): number {
  return width === 4 ? 0xffffffff : (1 << (8 * width)) - 1;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/**
 * Decodes the ABI's four-words-per-atom layout. Fails (with a sentence
 * naming the atom and the reason) on an empty or ragged filter, more than
 * DPF_ATOMS_MAX atoms, a word that is not a 32-bit integer, or any atom
 * decodeAtom refuses. Does not look at conflicts between atoms (footprint
 * does).
 */
export function decodeFilter(words: Uint32Array | readonly number[]): Decoded {
  const bad = checkWords(words);
  if (bad !== undefined) return { error: bad };
  const atoms: Atom[] = [];
  for (let i = 0; i < words.length / ATOM_WORDS; i++) {
    const at = i * ATOM_WORDS, a = decodeAtom(words[at] >>> 0, words[at + 1] >>> 0, words[at + 2] >>> 0, words[at + 3] >>> 0);
    if (typeof a === 'string') return { error: `Atom ${i}: ${a}` };
    atoms.push(a);
  }
  return { atoms };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** decodeScratch's atoms: per index one compare and one shift atom, and per length one array, made when first needed. */
const scratchCompare: Mutable<CompareAtom>[] = [], scratchShift: Mutable<ShiftAtom>[] = [];
const scratchLists: Atom[][] = [];

/**
 * decodeFilter's answer without allocating: the atoms (and the array
 * holding them) are shared, and overwritten by the next call, so the
 * caller must copy what it keeps (Dpf.insert: the trie copies each atom
 * into its node) and not hold them past its own return.
 */
export function decodeScratch(words: Uint32Array | readonly number[]): readonly Atom[] | string {
  const bad = checkWords(words);
  if (bad !== undefined) return bad;
  const n = words.length / ATOM_WORDS, atoms = (scratchLists[n] ??= new Array<Atom>(n));
  for (let i = 0; i < n; i++) {
    const at = i * ATOM_WORDS, w0 = words[at] >>> 0, mask = words[at + 1] >>> 0, w2 = words[at + 2] >>> 0;
    const wrong = atomError(w0, mask, w2, words[at + 3] >>> 0);
    if (wrong !== undefined) return `Atom ${i}: ${wrong}`;
    const width = ((w0 >>> DpfAtom.WIDTH_SHIFT) & WIDTH_FIELD_MASK) as Width, offset = w0 >>> DpfAtom.OFFSET_SHIFT;
    if ((w0 & DpfAtom.KIND_MASK) === DpfKind.Compare) {
      const a = (scratchCompare[i] ??= { kind: 'compare', width, offset, mask, value: w2 });
      a.width = width; a.offset = offset; a.mask = mask; a.value = w2;
      atoms[i] = a;
    } else {
      const a = (scratchShift[i] ??= { kind: 'shift', width, offset, mask, shift: w2 });
      a.width = width; a.offset = offset; a.mask = mask; a.shift = w2;
      atoms[i] = a;
    }
  }
  return atoms;
}

/** Why `words` are no filter (decodeFilter's sentence) before any atom is looked at, or undefined. */
function checkWords(words: Uint32Array | readonly number[]): string | undefined {
  if (words.length === 0) return 'A filter needs at least one atom';
  if (words.length % ATOM_WORDS !== 0) return `A filter of ${words.length} words is not whole atoms (${ATOM_WORDS} words each)`;
  const n = words.length / ATOM_WORDS;
  if (n > DPF_ATOMS_MAX) return `A filter of ${n} atoms is longer than ${DPF_ATOMS_MAX}`;
  // A Uint32Array (the kernel's copy of guest memory) holds nothing else.
  if (!(words instanceof Uint32Array)) for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!Number.isInteger(w) || w < -0x80000000 || w > 0xffffffff) return `Word ${i} (${w}) is not a 32-bit integer`;
  }
  return undefined;
}

/**
 * Decodes one atom's four words; returns the atom or the reason it is
 * malformed (atomError).
 */
export function decodeAtom(w0: number, mask: number, w2: number, w3: number): Atom | string {
  const bad = atomError(w0, mask, w2, w3);
  if (bad !== undefined) return bad;
  const width = ((w0 >>> DpfAtom.WIDTH_SHIFT) & WIDTH_FIELD_MASK) as Width, offset = w0 >>> DpfAtom.OFFSET_SHIFT;
  if ((w0 & DpfAtom.KIND_MASK) === DpfKind.Compare) return { kind: 'compare', width, offset, mask, value: w2 };
  return { kind: 'shift', width, offset, mask, shift: w2 };
}

/**
 * Why one atom's four words are malformed, or undefined: an unknown kind,
 * a width other than 1, 2 or 4, a field ending past DPF_PACKET_MAX, a zero
 * mask, a mask wider than the field, a compare value with bits outside the
 * mask (it could never match), a shift beyond DPF_SHIFT_MAX, or a nonzero
 * word 3.
 */
function atomError(w0: number, mask: number, w2: number, w3: number): string | undefined {
  const kind = w0 & DpfAtom.KIND_MASK;
  const width = (w0 >>> DpfAtom.WIDTH_SHIFT) & WIDTH_FIELD_MASK;
  const offset = w0 >>> DpfAtom.OFFSET_SHIFT;
  if (kind !== DpfKind.Compare && kind !== DpfKind.Shift) {
    return `kind ${kind} is neither Compare (${DpfKind.Compare}) nor Shift (${DpfKind.Shift})`;
  }
  if (width !== 1 && width !== 2 && width !== 4) return `width ${width} is not 1, 2 or 4 bytes`;
  if (offset + width > DPF_PACKET_MAX) {
    return `a ${width}-byte field at offset ${offset} ends past the longest packet (${DPF_PACKET_MAX} bytes)`;
  }
  if (mask === 0) return 'the mask is zero, so the atom reads nothing';
  if (mask > widthMax(width)) return `mask ${hex(mask)} is wider than ${width} byte${width > 1 ? 's' : ''}`;
  if (w3 !== 0) return `word 3 is ${hex(w3)}; it must be zero`;
  if (kind === DpfKind.Compare) {
    if ((w2 & ~mask) !== 0) return `value ${hex(w2)} has bits outside mask ${hex(mask)}, so it can never match`;
    return undefined;
  }
  if (w2 > DPF_SHIFT_MAX) return `shift ${w2} is more than ${DPF_SHIFT_MAX}`;
  return undefined;
}

/**
 * The ABI words of `atoms` (the inverse of decodeFilter). Precondition:
 * every field is in range (offset 0..65535, width 1, 2 or 4); the result is
 * not validated.
 */
export function encodeFilter(atoms: readonly Atom[]): Uint32Array {
  const out = new Uint32Array(atoms.length * ATOM_WORDS);
  atoms.forEach((a, i) => {
    const kind = a.kind === 'compare' ? DpfKind.Compare : DpfKind.Shift;
    out[i * ATOM_WORDS] = ((a.offset << DpfAtom.OFFSET_SHIFT) | (a.width << DpfAtom.WIDTH_SHIFT) | kind) >>> 0;
    out[i * ATOM_WORDS + 1] = a.mask >>> 0;
    out[i * ATOM_WORDS + 2] = (a.kind === 'compare' ? a.value : a.shift) >>> 0;
  });
  return out;
}

/** True when two atoms are the same test (the trie merges them into one node). */
export function sameAtom(a: Atom, b: Atom): boolean {
  if (!sameField(a, b) || a.kind !== b.kind) return false;
  return a.kind === 'compare' ? a.value === (b as CompareAtom).value : a.shift === (b as ShiftAtom).shift;
}

/** What an atom reads: `width` bytes at base + `offset`, masked. */
export interface Field {
  readonly width: Width;
  readonly offset: number;
  readonly mask: number;
}

/** True when two atoms (or hash tables) read the same field. */
export function sameField(a: Field, b: Field): boolean {
  return a.width === b.width && a.offset === b.offset && a.mask === b.mask;
}

/**
 * The unsigned big-endian field of `width` bytes at `at`. Precondition:
 * at + width <= p.length.
 */
export function readField(p: Uint8Array, at: number, width: Width): number {
  if (width === 1) return p[at];
  if (width === 2) return (p[at] << 8) | p[at + 1];
  return ((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0;
}

/** The field an atom reads, as text: `u16[12]`, `u8[14] & 0x0f`. */
export function formatField(width: Width, offset: number, mask: number): string {
  const f = `u${8 * width}[${offset}]`;
  return mask === widthMax(width) ? f : `${f} & ${hex(mask)}`;
}

/** An atom as one line of text: `u16[12] == 0x800`, `base += (u8[14] & 0xf) << 2`. */
export function formatAtom(a: Atom): string {
  const f = formatField(a.width, a.offset, a.mask);
  if (a.kind === 'compare') return `${f} == ${hex(a.value)}`;
  return `base += ${a.mask === widthMax(a.width) ? f : `(${f})`}${a.shift ? ` << ${a.shift}` : ''}`;
}
