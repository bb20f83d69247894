// How many atoms the classification of a packet visits: the walk of
// interp.ts (the same order, the same stopping points) without its
// counters. The kernel charges Costs.DPF_ATOM for each (costs.ts; the MIPS
// one atom compiles to is in src/exokernel/asm/net.S): an atom visited is
// one tested, whether it passes or not; a hash table is one visit (its
// field is loaded and looked up once).

import { readField } from './filter.js';
import * as ht from './hash.js';
import type { HashNode, Trie, TrieNode } from './trie.js';

/** Atoms and hash tables the walk for `packet` tests before it finds its leaf or gives up. */
export function atomsVisited(trie: Trie, packet: Uint8Array): number {
  const n = { visited: 0 };
  visit(n, trie.root, packet, 0);
  return n.visited;
}

/** True when a leaf was found below `node`. */
function visit(n: { visited: number }, node: TrieNode, p: Uint8Array, base: number): boolean {
  for (const c of node.children) {
    if (c.type === 'hash' ? visitHash(n, c, p, base) : visitAtom(n, c, p, base)) return true;
  }
  return node.leaf !== undefined;
}

function visitAtom(n: { visited: number }, node: TrieNode, p: Uint8Array, base: number): boolean {
  n.visited++;
  const a = node.atom!;
  const at = base + a.offset;
  if (at + a.width > p.length) return false;
  const v = (readField(p, at, a.width) & a.mask) >>> 0;
  if (a.kind === 'compare') return v === a.value && visit(n, node, p, base);
  const moved = base + v * 2 ** a.shift;
  return moved < p.length && visit(n, node, p, moved);
}

function visitHash(n: { visited: number }, h: HashNode, p: Uint8Array, base: number): boolean {
  n.visited++;
  const at = base + h.offset;
  if (at + h.width > p.length) return false;
  const e = ht.lookup(h, (readField(p, at, h.width) & h.mask) >>> 0);
  return e !== undefined && visit(n, e, p, base);
}
