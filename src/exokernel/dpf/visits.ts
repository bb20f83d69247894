// What the classification of a packet tests: the walk of interp.ts (the
// same order, the same stopping points) without its counters. The kernel
// charges each compare or shift atom tested Costs.DPF_ATOM (asm/net.S
// dpf_atoms, one compiled atom), each hash table visited Costs.DPF_HASH
// (its field loaded, hashed and its bucket found once: asm/dpfhash.S) and
// each entry of that bucket's chain compared Costs.DPF_HASH_ENTRY: an atom
// or entry counts once tested, whether it passes or not.

import { Costs } from '../costs.js';
import { readField } from './filter.js';
import * as ht from './hash.js';
import type { HashNode, Trie, TrieNode } from './trie.js';

/** What a walk tested: atoms, hash tables, and hash entries compared (the chains' keys). */
export interface DpfWork {
  atoms: number;
  hashes: number;
  entries: number;
}

/** What the walk for `packet` tests before it finds its leaf or gives up. */
export function classifyWork(trie: Trie, packet: Uint8Array): DpfWork {
  const n: DpfWork = { atoms: 0, hashes: 0, entries: 0 };
  visit(n, trie.root, packet, 0);
  return n;
}

/** The cycles the kernel charges for `w` (costs.ts, asm/net.S and asm/dpfhash.S). */
export function workCycles(w: DpfWork): number {
  return w.atoms * Costs.DPF_ATOM + w.hashes * Costs.DPF_HASH + w.entries * Costs.DPF_HASH_ENTRY;
}

/** True when a leaf was found below `node`. */
function visit(n: DpfWork, node: TrieNode, p: Uint8Array, base: number): boolean {
  for (const c of node.children) {
    if (c.type === 'hash' ? visitHash(n, c, p, base) : visitAtom(n, c, p, base)) return true;
  }
  return node.leaf !== undefined;
}

function visitAtom(n: DpfWork, node: TrieNode, p: Uint8Array, base: number): boolean {
  n.atoms++;
  const a = node.atom!;
  const at = base + a.offset;
  if (at + a.width > p.length) return false;
  const v = (readField(p, at, a.width) & a.mask) >>> 0;
  if (a.kind === 'compare') return v === a.value && visit(n, node, p, base);
  const moved = base + v * 2 ** a.shift;
  return moved < p.length && visit(n, node, p, moved);
}

/** ht.lookup, counting the chain's entries compared: up to the match, or all of them. */
function visitHash(n: DpfWork, h: HashNode, p: Uint8Array, base: number): boolean {
  n.hashes++;
  const at = base + h.offset;
  if (at + h.width > p.length) return false;
  const key = (readField(p, at, h.width) & h.mask) >>> 0;
  const chain = h.buckets[ht.bucketOf(key, h.log2)];
  for (let i = 0; i < chain.length; i++) {
    n.entries++;
    if (chain[i].key === key) return visit(n, chain[i], p, base);
  }
  return false;
}
