// Saving and restoring DPF: the filters (as ABI words, with their ids,
// sequence numbers and owners) and every counter. Filters are re-inserted
// in sequence order, which rebuilds the same trie (trie.ts: the order of
// children depends only on the installed filters), and each counter is
// found again by a name that survives the rebuild: (the oldest filter
// through the node, the node's depth on that filter's path, whether it is
// the hash table holding the node).

import { decodeFilter, encodeFilter } from './filter.js';
import { contradiction } from './footprint.js';
import * as ht from './hash.js';
import { type Trie, type TrieNode } from './trie.js';

/** One saved filter. */
export interface DpfSavedFilter {
  readonly id: number;
  readonly seq: number;
  readonly words: readonly number[];
  readonly env: number;
  readonly ring: number;
  readonly ash: number;
  readonly hits: number;
}

/** A saved node counter: [filter, depth, 1 for the hash table holding that node else 0, hits]. */
export type DpfSavedCount = readonly [number, number, 0 | 1, number];

/** Everything DPF holds, as plain data. */
export interface DpfState {
  readonly filters: readonly DpfSavedFilter[];
  readonly nextSeq: number;
  readonly packets: number;
  readonly counts: readonly DpfSavedCount[];
}

/**
 * What a save reads besides the counters, which depends only on the
 * installed filters: the filters (without their hits) in sequence order,
 * and per saved counter its name (filter, depth, hash) and node id. Kept
 * per trie until its version moves: checkpoints save DPF every few hundred
 * thousand cycles, and filters change far less often than packets arrive.
 */
interface SavePlan {
  readonly version: number;
  readonly filters: readonly (Omit<DpfSavedFilter, 'hits'>)[];
  /** Quads: filter, depth, hash (0 | 1), node id. */
  readonly counters: readonly number[];
}
const plans = new WeakMap<Trie, SavePlan>();

/** The save plan of `trie` as its filters are now. */
function savePlan(trie: Trie): SavePlan {
  const cached = plans.get(trie);
  if (cached !== undefined && cached.version === trie.version) return cached;
  const filters = [...trie.filters.values()].sort((a, b) => a.seq - b.seq).map((f) => ({
    id: f.id, seq: f.seq, words: Array.from(encodeFilter(f.atoms)), env: f.leaf.env, ring: f.leaf.ring, ash: f.leaf.ash,
  }));
  const counters: number[] = [];
  const walk = (n: TrieNode, depth: number) => {
    for (const c of n.children) {
      const members = c.type === 'hash' ? ht.entries(c) : [c];
      if (c.type === 'hash') {
        const first = members.reduce((x, y) => (y.rank < x.rank ? y : x));
        counters.push(trie.oldest(first).id, depth + 1, 1, c.id);
      }
      for (const m of members) {
        counters.push(trie.oldest(m).id, depth + 1, 0, m.id);
        walk(m, depth + 1);
      }
    }
  };
  walk(trie.root, 0);
  const plan = { version: trie.version, filters, counters };
  plans.set(trie, plan);
  return plan;
}

/** The state of `trie` (whose next sequence number is `nextSeq`). */
export function saveTrie(trie: Trie, nextSeq: number): DpfState {
  const plan = savePlan(trie), q = plan.counters;
  const filters = plan.filters.map((f) => ({ ...f, words: [...f.words], hits: trie.leafHits[f.id] }));
  const counts: DpfSavedCount[] = [];
  for (let i = 0; i < q.length; i += 4) counts.push([q[i], q[i + 1], q[i + 2] as 0 | 1, trie.counts[q[i + 3]]]);
  return { filters, nextSeq, packets: trie.counts[trie.root.id], counts };
}

/**
 * Fills the empty `trie` from `s`. Throws Error when `s` holds a filter
 * that does not decode or a counter that names no node: a state not made
 * by saveTrie is a bug in exoscope, not a guest's doing.
 */
export function restoreTrie(trie: Trie, s: DpfState): void {
  for (const f of [...s.filters].sort((a, b) => a.seq - b.seq)) {
    const d = decodeFilter(f.words);
    if ('error' in d) throw new Error(`Cannot restore DPF filter ${f.id}: ${d.error}`);
    const bad = contradiction(d.atoms);
    if (bad !== undefined) throw new Error(`Cannot restore DPF filter ${f.id}: ${bad}`);
    trie.insert({ id: f.id, seq: f.seq, atoms: d.atoms, leaf: { filter: f.id, env: f.env, ring: f.ring, ash: f.ash } });
    trie.leafHits[f.id] = f.hits;
  }
  trie.counts[trie.root.id] = s.packets;
  for (const [filter, depth, hash, hits] of s.counts) trie.counts[counterId(trie, filter, depth, hash)] = hits;
}

/** The id of the node at `depth` on `filter`'s path, or of the hash table holding it. */
function counterId(trie: Trie, filter: number, depth: number, hash: 0 | 1): number {
  const f = trie.filters.get(filter);
  if (!f || depth < 1 || depth >= f.path.length) throw new Error(`Cannot restore DPF counter: filter ${filter} has no node at depth ${depth}`);
  const parent = f.path[depth - 1], node = f.path[depth];
  if (!hash) return node.id;
  const h = parent.children.find((c) => c.type === 'hash' && ht.lookup(c, node.key) === node);
  if (!h) throw new Error(`Cannot restore DPF counter: node ${depth} of filter ${filter} is in no hash table`);
  return h.id;
}
