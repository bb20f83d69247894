// The trie compiled to JavaScript by dynamic code generation (DPF paper,
// sec. 4: the kernel compiles the merged trie to machine code and
// recompiles it on every insert and delete). Each atom becomes an inline
// bounds check and a masked comparison with its constant folded in; each
// hash table becomes a `switch` on the field, whose cases V8 turns into a
// jump table or a binary search; a shift atom becomes a new base variable.
// A subtree that accepts returns the filter id at once, one that fails
// falls through to the next sibling: the walk and the counters are exactly
// those of the interpreter (interp.ts; the rules are in trie.ts).

import { type Atom, type Width, widthMax } from './filter.js';
import * as ht from './hash.js';
import type { HashNode, Leaf, Trie, TrieNode } from './trie.js';

/** A compiled classifier: the leaf that takes the packet, or undefined. */
export type Classifier = (packet: Uint8Array) => Leaf | undefined;

/** Generated code: (p = packet, H = trie.counts) => filter id, or -1. */
type Generated = (p: Uint8Array, H: Float64Array) => number;

const NO_MATCH = -1;

/**
 * The classifier for the trie as it is now. It counts exactly as the
 * interpreter does. Precondition: the trie is not changed while the
 * classifier is in use (recompile after every insert and remove).
 */
export function compile(trie: Trie): Classifier {
  const fn = new Function('p', 'H', source(trie)) as Generated;
  const leaves: Leaf[] = [];
  for (const f of trie.filters.values()) leaves[f.id] = f.leaf;
  return (packet) => {
    const i = fn(packet, trie.counts);
    if (i === NO_MATCH) return undefined;
    trie.leafHits[i]++;
    return leaves[i];
  };
}

/** The body of the generated function, for compile() and for reading. */
export function source(trie: Trie): string {
  const out = ['"use strict";', 'const n = p.length;', `H[${trie.root.id}]++;`];
  children(out, trie.root, undefined, '');
  out.push(`return ${trie.root.leaf?.filter ?? NO_MATCH};`);
  return out.join('\n');
}

/** Code trying every child of `node` in order, then nothing (the caller returns the leaf). */
function children(out: string[], node: TrieNode, base: string | undefined, ind: string): void {
  for (const c of node.children) {
    if (c.type === 'hash') hashCode(out, c, base, ind);
    else atomCode(out, c, base, ind);
  }
}

/** Code for atom node `n`: its test, then its subtree, then its leaf. */
function atomCode(out: string[], n: TrieNode, base: string | undefined, ind: string): void {
  const a = n.atom!;
  const value = masked(a, base);
  if (a.kind === 'compare') {
    out.push(`${ind}if (${fits(base, a.offset + a.width)} && ${value} === ${a.value | 0}) {`);
    body(out, n, base, ind + '  ');
  } else {
    const b = `b${n.id}`;
    const moved = a.width === 4 ? `(${value} >>> 0) * ${2 ** a.shift}` : a.shift ? `(${value} << ${a.shift})` : value;
    out.push(`${ind}if (${fits(base, a.offset + a.width)}) {`);
    out.push(`${ind}  const ${b} = ${base ? `${base} + ` : ''}${moved};`);
    out.push(`${ind}  if (${b} < n) {`);
    body(out, n, b, ind + '    ');
    out.push(`${ind}  }`);
  }
  out.push(`${ind}}`);
}

/** Code for hash table `h`: a switch on its field, one case per entry. */
function hashCode(out: string[], h: HashNode, base: string | undefined, ind: string): void {
  out.push(`${ind}if (${fits(base, h.offset + h.width)}) {`);
  out.push(`${ind}  H[${h.id}]++;`);
  out.push(`${ind}  switch (${masked(h, base)}) {`);
  for (const e of ht.entries(h).sort((x, y) => x.key - y.key)) {
    out.push(`${ind}    case ${e.key | 0}: {`);
    body(out, e, base, ind + '      ');
    if (!e.leaf) out.push(`${ind}      break;`);
    out.push(`${ind}    }`);
  }
  out.push(`${ind}  }`, `${ind}}`);
}

/** The inside of a passed test: count, try the children, return the leaf if any. */
function body(out: string[], n: TrieNode, base: string | undefined, ind: string): void {
  out.push(`${ind}H[${n.id}]++;`);
  children(out, n, base, ind);
  if (n.leaf) out.push(`${ind}return ${n.leaf.filter};`);
}

/** `n >= end`, or `base + end <= n`: the field ends inside the packet. */
function fits(base: string | undefined, end: number): string {
  return base ? `${base} + ${end} <= n` : `n >= ${end}`;
}

/** The field at base + offset, masked: an int32 (signed for 4-byte fields). */
function masked(f: Pick<Atom, 'width' | 'offset' | 'mask'>, base: string | undefined): string {
  const e = field(f.width, f.offset, base);
  return f.mask === widthMax(f.width) ? e : `(${e} & ${f.mask | 0})`;
}

/** The big-endian field of `width` bytes at base + offset. */
function field(width: Width, offset: number, base: string | undefined): string {
  const byte = (k: number) => `p[${base ? `${base} + ${offset + k}` : offset + k}]`;
  if (width === 1) return byte(0);
  if (width === 2) return `(${byte(0)} << 8 | ${byte(1)})`;
  return `(${byte(0)} << 24 | ${byte(1)} << 16 | ${byte(2)} << 8 | ${byte(3)})`;
}
