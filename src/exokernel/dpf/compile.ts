// The trie compiled to JavaScript by dynamic code generation (DPF paper,
// sec. 4: the kernel compiles the merged trie to machine code). Each atom
// becomes an inline bounds check and a masked comparison with its constant
// folded in; a hash table becomes a `switch` on the field (V8 turns its
// cases into a jump table or a binary search); a shift atom becomes a new
// base variable. A subtree
// that accepts returns the filter id at once, one that fails falls through
// to the next sibling: the walk and the counters are exactly those of the
// interpreter (interp.ts; the rules are in trie.ts).
//
// The code is cut into chunks, each a function of its own, called through
// the table C by node id: the subtree below a node CHUNK_DEPTH atoms into
// its chunk, every child of a node with several children, and every entry
// of a hash table that has children. So a chunk holds one branch of at
// most CHUNK_DEPTH atoms, and at its end the calls (one line each) of the
// chunks below. An insert or a remove changes only the
// nodes on its filter's path (trie.ts), so only the chunks on that path are
// invalidated, and each is compiled again once packets reach it (lazily;
// Xok likewise regenerates only the code an insert or delete touched): the
// host cost of a change is proportional to the filter's length and the
// fan-out along its path, not to the size of the trie. Until `hot` packets
// have been classified since the last change, a stale chunk is interpreted
// in its place (same walk, same counters) down to the chunks it calls,
// whose code runs as before, so filters that come and go between a few
// packets are never compiled at all, and a packet to an unchanged filter
// is interpreted only through the stale chunks above it.

import { type Atom, type Width, readField, widthMax } from './filter.js';
import * as ht from './hash.js';
import type { HashNode, Leaf, Trie, TrieNode } from './trie.js';

/** Generated code: (packet, trie.counts, chunks by node id, base) => filter id, or NO_MATCH. */
type Generated = (p: Uint8Array, H: Float64Array, C: Generated[], base: number) => number;

const NO_MATCH = -1;

/** Atoms a chunk holds at most along one path. */
export const CHUNK_DEPTH = 16;

/** Packets classified after a change before stale chunks are compiled (Dpf's default). */
export const COMPILE_AFTER = 8;

/** Indentation stops growing here: a chunk nests CHUNK_DEPTH deep, and spaces cost parse time. */
const INDENT_MAX = 16;

/** The indentation `k` levels (of two spaces) below `ind`, capped at INDENT_MAX. */
const deeper = (ind: string, k = 1) => ' '.repeat(Math.min(INDENT_MAX, ind.length + 2 * k));

/** What compiling has cost so far: chunks generated and the trie nodes in them. */
export interface CompileWork {
  chunks: number;
  nodes: number;
}

/**
 * The compiled classifier of one trie, kept up to date chunk by chunk:
 * after each change of the trie, invalidate() the nodes on the changed
 * path; their chunks are generated again when a packet next reaches them.
 */
export class Compiled {
  /** Chunk functions by node id: compiled, or a stub (see stub()). */
  private readonly C: Generated[] = [];
  /** Stubs by node id, made once: a node keeps its id for as long as the trie lives (trie.ts pools them). */
  private readonly stubs: Generated[] = [];
  /** Packets classified since the last change. */
  private quiet = 0;
  /**
   * `work` counts the chunks and nodes compiled (for the cost model and the
   * tests); stale chunks are interpreted until `hot` packets have been
   * classified since the last change, then compiled when next reached (0:
   * compiled for the first packet).
   */
  constructor(private readonly trie: Trie, readonly work: CompileWork = { chunks: 0, nodes: 0 }, private readonly hot = COMPILE_AFTER) {
    this.invalidate([trie.root]);
  }

  /**
   * Marks the chunks of the first `count` of `nodes` (the path an insert or
   * remove changed; the nodes a remove freed need not be: no chunk calls
   * theirs, and an insert that takes them back marks them) stale.
   */
  invalidate(nodes: readonly TrieNode[], count = nodes.length): void {
    this.quiet = 0;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      this.C[n.id] = this.stubs[n.id] ??= this.stub(n);
    }
  }

  /** The leaf that takes `packet`, or undefined; counts exactly as the interpreter does. */
  classify(packet: Uint8Array): Leaf | undefined {
    const t = this.trie;
    this.quiet++;
    const i = this.C[t.root.id](packet, t.counts, this.C, 0);
    if (i === NO_MATCH) return undefined;
    t.leafHits[i]++;
    return t.filters.get(i)!.leaf;
  }

  /** A stand-in for n's chunk: the interpreter while the trie changed recently, else the chunk compiled and installed. */
  private stub(n: TrieNode): Generated {
    return (p, H, C, base) => {
      if (this.quiet <= this.hot) {
        if (!n.atom) H[n.id]++;
        return this.interpret(n, p, base, 0);
      }
      const fn = this.build(n);
      C[n.id] = fn;
      return fn(p, H, C, base);
    };
  }

  /**
   * What n's chunk would return, interpreted: the walk of interp.ts, but
   * where the chunk would call another chunk (generate()'s cuts), that
   * chunk is called, compiled or stub. So a stale chunk costs the
   * interpretation of its own nodes only; the unchanged code below it runs.
   * `depth`: atoms into the chunk, as body()'s.
   */
  private interpret(n: TrieNode, p: Uint8Array, base: number, depth: number): number {
    // Down a chain of lone atom children inside the chunk in a loop (a churned filter's own nodes): when the walk
    // below fails, the deepest leaf passed on the way answers, as the recursion would return it.
    let fallback = NO_MATCH;
    for (let c; n.children.length === 1 && depth + 1 < CHUNK_DEPTH && (c = n.children[0]).type === 'node'; depth++) {
      if (n.leaf) fallback = n.leaf.filter;
      const b = this.pass(c, p, base);
      if (b < 0) return fallback;
      this.trie.counts[c.id]++;
      n = c;
      base = b;
    }
    const cut = depth + 1 >= CHUNK_DEPTH || n.children.length > 1;
    for (const c of n.children) {
      const r = c.type === 'hash' ? this.interpretHash(c, p, base) : this.interpretAtom(c, p, base, depth, cut);
      if (r !== NO_MATCH) return r;
    }
    return n.leaf ? n.leaf.filter : fallback;
  }

  /** atomCode() interpreted: the test, the count, then the body inline or the chunk called. */
  private interpretAtom(c: TrieNode, p: Uint8Array, base: number, depth: number, cut: boolean): number {
    const b = this.pass(c, p, base);
    if (b < 0) return NO_MATCH;
    this.trie.counts[c.id]++;
    return cut && c.children.length ? this.chunk(c)(p, this.trie.counts, this.C, b) : this.interpret(c, p, b, depth + 1);
  }

  /** The base after atom node c's test when it passes (moved by a shift atom), else -1. */
  private pass(c: TrieNode, p: Uint8Array, base: number): number {
    const a = c.atom!, at = base + a.offset;
    if (at + a.width > p.length) return -1;
    const v = (readField(p, at, a.width) & a.mask) >>> 0;
    if (a.kind === 'compare') return v === a.value ? base : -1;
    const b = base + v * 2 ** a.shift;
    return b < p.length ? b : -1;
  }

  /** hashCode() interpreted: the count, the entry the field selects, its chunk or its leaf. */
  private interpretHash(h: HashNode, p: Uint8Array, base: number): number {
    const at = base + h.offset, H = this.trie.counts;
    if (at + h.width > p.length) return NO_MATCH;
    H[h.id]++;
    const e = ht.lookup(h, (readField(p, at, h.width) & h.mask) >>> 0);
    if (!e) return NO_MATCH;
    H[e.id]++;
    if (e.children.length) {
      const r = this.chunk(e)(p, H, this.C, base);
      if (r !== NO_MATCH) return r;
    }
    return e.leaf ? e.leaf.filter : NO_MATCH;
  }

  /** The code of n's chunk: compiled, or its stub (made now if n never had one: after restore(), below the root). */
  private chunk(n: TrieNode): Generated {
    return this.C[n.id] ??= this.stubs[n.id] ??= this.stub(n);
  }

  /** Generates n's chunk; every chunk it calls gets a stub unless it has code already. */
  private build(n: TrieNode): Generated {
    const g = generate(n);
    for (const c of g.calls) this.chunk(c);
    this.work.chunks++;
    this.work.nodes += g.nodes;
    return new Function('p', 'H', 'C', 'base', g.text) as Generated;
  }
}

/** The generated code of every chunk, the root's first (for the TUI and the tests). */
export function source(trie: Trie): string {
  const texts: string[] = [];
  const walk = (n: TrieNode) => { const g = generate(n); texts.push(g.text); g.calls.forEach(walk); };
  walk(trie.root);
  return texts.join('\n');
}

/** Code being generated for one chunk: its lines, the chunks it calls, and how many trie nodes it holds. */
interface Gen {
  readonly out: string[];
  readonly calls: TrieNode[];
  nodes: number;
}

/** The chunk for everything below `n` once its atom passed (the root: the whole trie). */
function generate(n: TrieNode): { text: string; calls: TrieNode[]; nodes: number } {
  const g: Gen = { out: [], calls: [], nodes: 1 };
  body(g, n, n.atom ? 'base' : undefined, '', 0);
  g.out.push(`return ${NO_MATCH};`);
  const head = [`// node ${n.id}`, '"use strict";', 'const n = p.length;'];
  if (!n.atom) head.push(`H[${n.id}]++;`);
  return { text: [...head, ...g.out].join('\n'), calls: g.calls, nodes: g.nodes };
}

/** A call of the chunk of `n` (its atom passed), returning what it accepts. */
function call(g: Gen, n: TrieNode, base: string | undefined, ind: string): void {
  g.calls.push(n);
  g.out.push(`${ind}{ const r = C[${n.id}](p, H, C, ${base ?? 0}); if (r !== ${NO_MATCH}) return r; }`);
}

/** The inside of a passed test at `depth` atoms into the chunk: the children, then the leaf. */
function body(g: Gen, n: TrieNode, base: string | undefined, ind: string, depth: number): void {
  const cut = depth + 1 >= CHUNK_DEPTH || n.children.length > 1;
  for (const c of n.children) {
    if (c.type === 'hash') hashCode(g, c, base, ind);
    else atomCode(g, c, base, ind, depth, cut);
  }
  if (n.leaf) g.out.push(`${ind}return ${n.leaf.filter};`);
}

/** Code for atom node `n`: its test, its count, then its body or a call of its chunk. */
function atomCode(g: Gen, n: TrieNode, base: string | undefined, ind: string, depth: number, cut: boolean): void {
  const a = n.atom!, out = g.out;
  const value = masked(a, base);
  const inside = (b: string | undefined, i: string) => {
    if (cut && n.children.length) call(g, n, b, i);
    else { g.nodes++; body(g, n, b, i, depth + 1); }
  };
  if (a.kind === 'compare') {
    out.push(`${ind}if (${fits(base, a.offset + a.width)} && ${value} === ${a.value | 0}) {`, `${deeper(ind)}H[${n.id}]++;`);
    inside(base, deeper(ind));
  } else {
    const b = `b${n.id}`;
    const moved = a.width === 4 ? `(${value} >>> 0) * ${2 ** a.shift}` : a.shift ? `(${value} << ${a.shift})` : value;
    out.push(`${ind}if (${fits(base, a.offset + a.width)}) {`);
    out.push(`${deeper(ind)}const ${b} = ${base ? `${base} + ` : ''}${moved};`);
    out.push(`${deeper(ind)}if (${b} < n) {`, `${deeper(ind, 2)}H[${n.id}]++;`);
    inside(b, deeper(ind, 2));
    out.push(`${deeper(ind)}}`);
  }
  out.push(`${ind}}`);
}

/**
 * Code for hash table `h`: its count, then a switch on its field, one case
 * per entry (V8 makes it a jump table or a binary search). An entry that
 * only ends filters returns at once; one with children calls its chunk, so
 * the case is one line whatever lies below.
 */
function hashCode(g: Gen, h: HashNode, base: string | undefined, ind: string): void {
  const out = g.out, inCase = deeper(ind, 3);
  out.push(`${ind}if (${fits(base, h.offset + h.width)}) {`, `${deeper(ind)}H[${h.id}]++;`);
  out.push(`${deeper(ind)}switch (${masked(h, base)}) {`);
  for (const e of ht.entries(h).sort((x, y) => x.key - y.key)) {
    g.nodes++;
    out.push(`${deeper(ind, 2)}case ${e.key | 0}: {`, `${inCase}H[${e.id}]++;`);
    if (e.children.length) call(g, e, base, inCase);
    if (e.leaf) out.push(`${inCase}return ${e.leaf.filter};`);
    else out.push(`${inCase}break;`);
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
