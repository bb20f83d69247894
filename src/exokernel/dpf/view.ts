// A plain, serializable picture of the merged trie for the TUI's DPF pane:
// nodes with their atoms, hash tables with their buckets, leaves with their
// owners, and every hit count. Read-only data; no references into the trie.
// A node's or table's `id` is its place in the picture (pre-order: the
// root 0, then each node before its children), not the trie's own number
// for it: the trie reuses the numbers of removed nodes, so its numbers
// tell the order of past inserts and removes, and a trie restored from a
// checkpoint (state.ts: its filters inserted again) numbers the same
// nodes otherwise. Time travel must show what a fresh run shows.

import { type Atom, formatAtom, formatField } from './filter.js';
import * as ht from './hash.js';
import type { Child, HashNode, Trie, TrieNode } from './trie.js';

/** A filter's end: who gets its packets, and how many it got. */
export interface DpfViewLeaf {
  readonly filter: number;
  readonly env: number;
  readonly ring: number;
  readonly ash: number;
  readonly hits: number;
}

/** An atom node (the root has no atom and the text "root"). */
export interface DpfViewNode {
  readonly kind: 'node';
  readonly id: number;
  readonly atom: Atom | undefined;
  readonly text: string;
  readonly hits: number;
  /** Filters whose path passes through or ends here. */
  readonly filters: number;
  readonly leaf: DpfViewLeaf | undefined;
  readonly children: readonly DpfViewChild[];
}

/** One non-empty bucket of a hash table, its chain in order. */
export interface DpfViewBucket {
  readonly index: number;
  readonly entries: readonly DpfViewNode[];
}

/** A hash table on one field: its size, load and non-empty buckets. */
export interface DpfViewHash {
  readonly kind: 'hash';
  readonly id: number;
  readonly width: number;
  readonly offset: number;
  readonly mask: number;
  readonly text: string;
  readonly hits: number;
  readonly size: number;
  readonly entries: number;
  readonly collisions: number;
  readonly buckets: readonly DpfViewBucket[];
}

export type DpfViewChild = DpfViewNode | DpfViewHash;

/** An installed filter in a flat list. */
export interface DpfViewFilter extends DpfViewLeaf {
  readonly atoms: readonly string[];
}

/** The whole trie. `nodes` counts atom nodes without the root. */
export interface DpfView {
  readonly filters: readonly DpfViewFilter[];
  readonly nodes: number;
  readonly hashTables: number;
  readonly root: DpfViewNode;
}

/** The view of `trie` now. */
export function viewOf(trie: Trie): DpfView {
  const tally = { nodes: 0, hashTables: 0, next: 0 };
  const root = nodeView(trie, trie.root, tally);
  const filters = [...trie.filters.values()]
    .sort((a, b) => a.id - b.id)
    .map((f) => ({ ...f.leaf, hits: trie.leafHits[f.id], atoms: f.atoms.map(formatAtom) }));
  return { filters, nodes: tally.nodes - 1, hashTables: tally.hashTables, root };
}

/** Counts while a view is made; `next` is the id the next node or table gets. */
type Tally = { nodes: number; hashTables: number; next: number };

function nodeView(trie: Trie, n: TrieNode, tally: Tally): DpfViewNode {
  tally.nodes++;
  const id = tally.next++;
  const leaf = n.leaf && { ...n.leaf, hits: trie.leafHits[n.leaf.filter] };
  return {
    kind: 'node', id, atom: n.atom && { ...n.atom }, text: n.atom ? formatAtom(n.atom) : 'root',
    hits: trie.counts[n.id], filters: n.filters.size, leaf,
    children: n.children.map((c: Child) => (c.type === 'hash' ? hashView(trie, c, tally) : nodeView(trie, c, tally))),
  };
}

function hashView(trie: Trie, h: HashNode, tally: Tally): DpfViewHash {
  tally.hashTables++;
  const id = tally.next++;
  const buckets = h.buckets.flatMap((chain, index) => chain.length ? [{ index, entries: chain.map((e) => nodeView(trie, e, tally)) }] : []);
  return {
    kind: 'hash', id, width: h.width, offset: h.offset, mask: h.mask,
    text: `${formatField(h.width, h.offset, h.mask)} in {${ht.entries(h).map((e) => e.key).sort((a, b) => a - b).map((k) => `0x${k.toString(16)}`).join(', ')}}`,
    hits: trie.counts[h.id], size: h.buckets.length, entries: h.entries, collisions: ht.collisions(h), buckets,
  };
}
