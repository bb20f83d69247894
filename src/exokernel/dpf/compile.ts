// The trie compiled to JavaScript by dynamic code generation (DPF paper,
// sec. 4: the kernel compiles the merged trie to machine code and
// recompiles it on every insert and delete). Each atom becomes an inline
// bounds check and a masked comparison with its constant folded in; each
// hash table becomes a `switch` on the field, whose cases V8 turns into a
// jump table or a binary search; a shift atom becomes a new base variable.
// A subtree that accepts returns the filter id at once, one that fails
// falls through to the next sibling: the walk and the counters are exactly
// those of the interpreter (interp.ts; the rules are in trie.ts).
//
// Long filters are cut into chunks: the subtree below a node at a depth
// that is a multiple of CHUNK_DEPTH is a function of its own, kept across
// recompilations while the node's stamp (trie.ts) is unchanged, as Xok
// regenerates only the atoms an insert or delete touched. Without that, 256
// filters of 256 atoms cost minutes of parsing; filters shorter than
// CHUNK_DEPTH are one function with no calls.

import { type Atom, type Width, widthMax } from './filter.js';
import * as ht from './hash.js';
import type { HashNode, Leaf, Trie, TrieNode } from './trie.js';

/** A compiled classifier: the leaf that takes the packet, or undefined. */
export type Classifier = (packet: Uint8Array) => Leaf | undefined;

/** Generated code: (packet, trie.counts, chunks by node id, base) => filter id, or NO_MATCH. */
type Generated = (p: Uint8Array, H: Float64Array, C: Generated[], base: number) => number;

/** A chunk's function, the node stamp it was made at, and the chunks it calls. */
interface Chunk {
  readonly fn: Generated;
  readonly stamp: number;
  readonly text: string;
  readonly calls: readonly TrieNode[];
}

/** Compiled chunks kept between compilations of one trie. */
export type ChunkCache = WeakMap<TrieNode, Chunk>;

const NO_MATCH = -1;

/** Atoms a chunk holds at most (its subtree's depth). */
export const CHUNK_DEPTH = 16;

/** Indentation stops growing here: a chunk nests CHUNK_DEPTH deep, and spaces cost parse time. */
const INDENT_MAX = 16;

/** The indentation `k` levels (of two spaces) below `ind`, capped at INDENT_MAX. */
const deeper = (ind: string, k = 1) => ' '.repeat(Math.min(INDENT_MAX, ind.length + 2 * k));

/**
 * The classifier for the trie as it is now; `cache` carries unchanged
 * chunks over from the last compilation of the same trie. It counts exactly
 * as the interpreter does. Precondition: the trie is not changed while the
 * classifier is in use (recompile after every insert and remove).
 */
export function compile(trie: Trie, cache: ChunkCache = new WeakMap()): Classifier {
  const chunks: Generated[] = [];
  const main = chunkOf(trie.root, cache, chunks);
  const leaves: Leaf[] = [];
  for (const f of trie.filters.values()) leaves[f.id] = f.leaf;
  return (packet) => {
    const i = main(packet, trie.counts, chunks, 0);
    if (i === NO_MATCH) return undefined;
    trie.leafHits[i]++;
    return leaves[i];
  };
}

/** The generated code, the root's function first, then each chunk's. */
export function source(trie: Trie): string {
  const cache: ChunkCache = new WeakMap(), texts: string[] = [];
  chunkOf(trie.root, cache, []);
  const walk = (n: TrieNode) => { const c = cache.get(n)!; texts.push(c.text); c.calls.forEach(walk); };
  walk(trie.root);
  return texts.join('\n');
}

/**
 * The function for everything below `n` once its atom passed (the root: the
 * whole trie), from the cache when n's stamp is unchanged. Registers it,
 * and every chunk it calls, in `chunks` by node id.
 */
function chunkOf(n: TrieNode, cache: ChunkCache, chunks: Generated[]): Generated {
  let c = cache.get(n);
  if (!c || c.stamp !== n.stamp) {
    const g: Gen = { out: [], calls: [] };
    body(g, n, n.atom ? 'base' : undefined, '', 0);
    g.out.push(`return ${NO_MATCH};`);
    const head = [`// node ${n.id}`, '"use strict";', 'const n = p.length;'];
    if (!n.atom) head.push(`H[${n.id}]++;`);
    const text = [...head, ...g.out].join('\n');
    c = { fn: new Function('p', 'H', 'C', 'base', text) as Generated, stamp: n.stamp, text, calls: g.calls };
    cache.set(n, c);
  }
  chunks[n.id] = c.fn;
  for (const s of c.calls) chunkOf(s, cache, chunks);
  return c.fn;
}

/** Code being generated for one chunk: its lines and the chunks it calls. */
interface Gen {
  readonly out: string[];
  readonly calls: TrieNode[];
}

/** The inside of a passed test at `depth` atoms into the chunk: the children, then the leaf. */
function body(g: Gen, n: TrieNode, base: string | undefined, ind: string, depth: number): void {
  if (depth === CHUNK_DEPTH && n.children.length) {
    g.calls.push(n);
    g.out.push(`${ind}{ const r = C[${n.id}](p, H, C, ${base ?? 0}); if (r !== ${NO_MATCH}) return r; }`);
    return;
  }
  for (const c of n.children) {
    if (c.type === 'hash') hashCode(g, c, base, ind, depth);
    else atomCode(g, c, base, ind, depth);
  }
  if (n.leaf) g.out.push(`${ind}return ${n.leaf.filter};`);
}

/** Code for atom node `n`: its test, its count, then its body. */
function atomCode(g: Gen, n: TrieNode, base: string | undefined, ind: string, depth: number): void {
  const a = n.atom!, out = g.out;
  const value = masked(a, base);
  if (a.kind === 'compare') {
    out.push(`${ind}if (${fits(base, a.offset + a.width)} && ${value} === ${a.value | 0}) {`, `${deeper(ind)}H[${n.id}]++;`);
    body(g, n, base, deeper(ind), depth + 1);
  } else {
    const b = `b${n.id}`;
    const moved = a.width === 4 ? `(${value} >>> 0) * ${2 ** a.shift}` : a.shift ? `(${value} << ${a.shift})` : value;
    out.push(`${ind}if (${fits(base, a.offset + a.width)}) {`);
    out.push(`${deeper(ind)}const ${b} = ${base ? `${base} + ` : ''}${moved};`);
    out.push(`${deeper(ind)}if (${b} < n) {`, `${deeper(ind, 2)}H[${n.id}]++;`);
    body(g, n, b, deeper(ind, 2), depth + 1);
    out.push(`${deeper(ind)}}`);
  }
  out.push(`${ind}}`);
}

/** Code for hash table `h`: a switch on its field, one case per entry. */
function hashCode(g: Gen, h: HashNode, base: string | undefined, ind: string, depth: number): void {
  const out = g.out, inCase = deeper(ind, 3);
  out.push(`${ind}if (${fits(base, h.offset + h.width)}) {`, `${deeper(ind)}H[${h.id}]++;`);
  out.push(`${deeper(ind)}switch (${masked(h, base)}) {`);
  for (const e of ht.entries(h).sort((x, y) => x.key - y.key)) {
    out.push(`${deeper(ind, 2)}case ${e.key | 0}: {`, `${inCase}H[${e.id}]++;`);
    body(g, e, base, inCase, depth + 1);
    if (!e.leaf) out.push(`${inCase}break;`);
    out.push(`${deeper(ind, 2)}}`);
  }
  out.push(`${deeper(ind)}}`, `${ind}}`);
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
