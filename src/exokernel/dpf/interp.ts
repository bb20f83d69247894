// The plain DPF interpreter: walks the trie for each packet, as Xok's
// sys/dpf/interp.c does. It is the oracle the compiled classifier
// (compile.ts) must agree with; the walk's rules are in trie.ts.

import { readField } from './filter.js';
import * as ht from './hash.js';
import type { HashNode, Leaf, Trie, TrieNode } from './trie.js';

/**
 * The leaf of the filter that takes `packet`, or undefined when none
 * accepts it. Counts the packet at the root, at every node and hash table
 * its walk passes, and at the leaf. Never reads outside the packet.
 */
export function classify(trie: Trie, packet: Uint8Array): Leaf | undefined {
  trie.counts[trie.root.id]++;
  const leaf = visit(trie.counts, trie.root, packet, 0);
  if (leaf) trie.leafHits[leaf.filter]++;
  return leaf;
}

/**
 * The first leaf below `node` (its own last), the base being `base`; counts
 * as classify() does below node.
 */
export function visit(counts: Float64Array, node: TrieNode, p: Uint8Array, base: number): Leaf | undefined {
  for (const c of node.children) {
    const leaf = c.type === 'hash' ? visitHash(counts, c, p, base) : visitAtom(counts, c, p, base);
    if (leaf) return leaf;
  }
  return node.leaf;
}

/** The first leaf below atom node `n`, or undefined when its atom fails. */
function visitAtom(counts: Float64Array, n: TrieNode, p: Uint8Array, base: number): Leaf | undefined {
  const a = n.atom!;
  const at = base + a.offset;
  if (at + a.width > p.length) return undefined;
  const v = (readField(p, at, a.width) & a.mask) >>> 0;
  if (a.kind === 'compare') {
    if (v !== a.value) return undefined;
    counts[n.id]++;
    return visit(counts, n, p, base);
  }
  const moved = base + v * 2 ** a.shift;
  if (moved >= p.length) return undefined;
  counts[n.id]++;
  return visit(counts, n, p, moved);
}

/** The first leaf below the entry of `h` the packet's field selects. */
function visitHash(counts: Float64Array, h: HashNode, p: Uint8Array, base: number): Leaf | undefined {
  const at = base + h.offset;
  if (at + h.width > p.length) return undefined;
  counts[h.id]++;
  const e = ht.lookup(h, (readField(p, at, h.width) & h.mask) >>> 0);
  if (!e) return undefined;
  counts[e.id]++;
  return visit(counts, e, p, base);
}
