// The DPF trie (DPF paper, sec. 3): every installed filter merged into one
// tree on common prefixes. Equal atoms on the same path are one node; where
// siblings compare the same field against different constants they sit in
// one hash table keyed by the constant. Each filter ends at a node holding
// its leaf (filter id, environment, ring, ASH).
//
// Classification (interp.ts and compile.ts implement the same walk): from
// the root, depth first, a node tries its children in order. A compare atom
// passes when its field lies inside the packet and (field & mask) equals
// its value; a shift atom passes when its field lies inside the packet and
// the moved base is still inside it (as Xok's interpreter). A hash table
// reads its field once and follows the one entry with that value, if any.
// The first child whose subtree accepts gives the answer; when none does,
// the node's own leaf, if it has one. So the longest match wins along a
// path (a filter that extends another takes the packets both accept, as in
// DPF), and the walk backtracks: a packet goes unclaimed only when no
// filter accepts it. Children are ordered by rank, the insertion sequence
// number of the oldest filter through them (a hash table ranks as its
// oldest entry). The order depends only on which filters are installed, not
// on the history of deletions, so restore() rebuilds the same trie. Given
// the conflict rule (conflict() below) order only ever decides between
// filters of one environment.
//
// Hit counts: counts[id] of a node is the number of packets whose walk
// passed its atom (the root: every packet classified); of a hash table, the
// packets that read its field. leafHits[filter] counts packets delivered.
//
// Every insert and remove returns the filter's path: all that changes in the
// trie lies on it, so a node off the path has an unchanged subtree, and its
// compiled code can be kept (compile.ts).

import { DPF_FILTERS_MAX } from '../abi.js';
import { type Atom, type Width, sameAtom, sameField } from './filter.js';
import { type Footprint, disjoint } from './footprint.js';
import * as ht from './hash.js';

/** Who gets a filter's packets: the environment, its ring, its ASH entry pc (0 for none). */
export interface Owner {
  readonly env: number;
  readonly ring: number;
  readonly ash: number;
}

/** The end of a filter in the trie. */
export interface Leaf extends Owner {
  readonly filter: number;
}

/** One installed filter. `seq` orders insertions (smaller is older). */
export interface Filter {
  readonly id: number;
  readonly seq: number;
  readonly atoms: readonly Atom[];
  readonly leaf: Leaf;
  readonly footprint: Footprint;
}

/** An atom node (the root has no atom). `key` is a compare atom's value, its hash key. */
export interface TrieNode {
  readonly type: 'node';
  readonly id: number;
  readonly atom: Atom | undefined;
  readonly key: number;
  readonly children: Child[];
  leaf: Leaf | undefined;
  /** The filters whose path passes through or ends here. */
  readonly filters: Ids;
  rank: number;
}

/** Sibling compare atoms on one field, keyed by their values. */
export interface HashNode extends ht.HashTable<TrieNode> {
  readonly type: 'hash';
  readonly id: number;
  readonly width: Width;
  readonly offset: number;
  readonly mask: number;
  rank: number;
}

export type Child = TrieNode | HashNode;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** What one conflict() call looked at: trie nodes and their children walked, filters compared. */
export interface ConflictWork {
  visited: number;
  compared: number;
}

/** Initial length of the counter array (grown by doubling). */
const COUNTS_MIN = 256;

/** The merged trie of all installed filters, with its counters. */
export class Trie {
  readonly root: TrieNode;
  readonly filters = new Map<number, Filter>();
  counts = new Float64Array(COUNTS_MIN);
  readonly leafHits = new Float64Array(DPF_FILTERS_MAX + 1);
  private readonly freeIds: number[] = [];
  /** Nodes taken out of the trie, kept with their ids for the next insert (a long filter churned in and out makes no garbage). */
  private readonly pool: TrieNode[] = [];
  private nextId = 0;

  constructor() {
    this.root = this.newNode(undefined, 0);
  }

  /**
   * The conflict rule: the installed filter a new filter of `env` with
   * footprint `fp` collides with, and why, or undefined when it may go in.
   *
   * A filter may not take packets another environment's filter claims.
   * Xok's dpf_insert refuses only a filter identical to an installed one
   * (DPF_OVERLAP); with longest-match classification that would let a
   * longer filter ("UDP port 53") under another environment's shorter one
   * ("all UDP") take its packets, and filters that share no trie prefix
   * (one reads the port at a fixed offset, one after a shift) can still
   * accept the same packet. So here a new filter F of environment E is
   * refused when
   *   - some filter G of another environment might accept a packet F
   *     accepts: unless, in some base epoch both use, F and G demand
   *     different bits of the same byte (footprint.ts), they may overlap;
   *     identical, nested (one a prefix of the other in the trie) and
   *     crossing filters are all refused; or
   *   - F is identical to (has the same atoms as) a filter of E itself.
   * An environment may refine or overlap its own filters. Hence every
   * packet is accepted by filters of at most one environment. The rule is
   * conservative: it does not reason across epochs, so it can refuse
   * filters that are in fact disjoint (one fixes IHL = 5 and tests the port
   * at offset 36, the other shifts by IHL and tests the port after it).
   *
   * Not every installed filter is compared (that cost the host ~40
   * classifications per insert with 255 long filters). The walk follows
   * F's atoms down the trie; every filter leaves F's path at exactly one
   * node (or ends on it, or goes on below F's end), and is compared there,
   * footprint to footprint, except where it leaves through a compare atom
   * (or a hash table of them) on the very field F's next atom reads: that
   * demands another value of the same field at the same base (the same
   * shift atoms lie above it), so the two are disjoint by the rule above
   * and are skipped unseen. The refusal names the oldest colliding filter, as a scan of
   * every filter in insertion order would. `work` counts the nodes and
   * children the walk looked at and the filters compared.
   */
  conflict(atoms: readonly Atom[], env: number, fp: Footprint, work: ConflictWork): string | undefined {
    let clash: Filter | undefined;
    const check = (id: number) => {
      const g = this.filters.get(id)!;
      work.compared++;
      if (g.leaf.env === env || (clash && clash.seq < g.seq) || disjoint(fp, g.footprint)) return;
      clash = g;
    };
    let node = this.root, i = 0;
    for (; ; i++) {
      const a: Atom | undefined = atoms[i];
      const next = a && this.child(node, a);
      work.visited += 1 + node.children.length;
      if (node.leaf) check(node.leaf.filter);
      for (const c of node.children) {
        // A compare on the field F's next atom reads (a hash table of them, or one), other than `next`: another value, the same base.
        if (c === next || (a?.kind === 'compare' && sameField(c.type === 'hash' ? c : c.atom!, a) && (c.type === 'hash' || c.atom!.kind === 'compare'))) continue;
        if (c.type === 'node') c.filters.each(check);
        else ht.forEach(c, (e) => e.filters.each(check));
      }
      if (!next) break;
      node = next;
    }
    if (clash) return `The filter may accept packets that filter ${clash.id} of environment ${clash.leaf.env} accepts`;
    // Every atom of F was found: F ends at `node`, whose leaf, if any, is F's own environment's.
    const same = i === atoms.length ? node.leaf : undefined;
    return same ? `The filter is identical to filter ${same.filter}` : undefined;
  }

  /** The node where a filter of these atoms ends, or undefined when no path matches. */
  find(atoms: readonly Atom[]): TrieNode | undefined {
    let node: TrieNode | undefined = this.root;
    for (let i = 0; i < atoms.length && node; i++) node = this.child(node, atoms[i]);
    return node;
  }

  /**
   * Merges `f` into the trie. Preconditions: conflict() found nothing, f.id
   * is not installed and f.seq is larger than every installed filter's.
   * Returns the path, root first: every node whose subtree changed.
   */
  insert(f: Filter): TrieNode[] {
    let node = this.root;
    node.filters.add(f.id);
    const path = new Array<TrieNode>(f.atoms.length + 1);
    path[0] = node;
    for (let i = 0; i < f.atoms.length; i++) {
      node = this.child(node, f.atoms[i]) ?? this.addChild(node, f.atoms[i], f.seq);
      node.filters.add(f.id);
      path[i + 1] = node;
    }
    node.leaf = f.leaf;
    this.filters.set(f.id, f);
    this.leafHits[f.id] = 0;
    return path;
  }

  /**
   * Takes filter `id` out, freeing the nodes only it used and re-ranking the
   * rest. Returns the path, root first (freed nodes included): every node
   * whose subtree changed. Precondition: installed.
   */
  remove(id: number): TrieNode[] {
    const f = this.filters.get(id)!;
    const path = new Array<TrieNode>(f.atoms.length + 1);
    path[0] = this.root;
    for (let i = 0; i < f.atoms.length; i++) path[i + 1] = this.child(path[i], f.atoms[i])!;
    path[path.length - 1].leaf = undefined;
    this.filters.delete(id);
    for (const n of path) n.filters.drop(id);
    for (let d = path.length - 1; d >= 1; d--) {
      const n = path[d], parent = path[d - 1];
      if (n.filters.size === 0) this.detach(parent, n);
      else if (n.rank === f.seq) n.rank = this.oldest(n).seq;
      this.rerank(parent);
    }
    this.root.rank = this.root.filters.size ? this.oldest(this.root).seq : 0;
    return path;
  }

  /** The child of `node` that is atom `a` (through a hash table if need be), or undefined. */
  child(node: TrieNode, a: Atom): TrieNode | undefined {
    for (const c of node.children) {
      if (c.type === 'hash') {
        if (a.kind === 'compare' && sameField(c, a)) return ht.lookup(c, a.value);
      } else if (sameAtom(c.atom!, a)) return c;
    }
    return undefined;
  }

  /** The oldest filter through `n`. Precondition: n.filters is not empty. */
  oldest(n: TrieNode): Filter {
    let best: Filter | undefined;
    n.filters.each((id) => {
      const f = this.filters.get(id)!;
      if (!best || f.seq < best.seq) best = f;
    });
    return best!;
  }

  /** A new node for `a` under `node`, in a hash table when a sibling compares the same field. */
  private addChild(node: TrieNode, a: Atom, seq: number): TrieNode {
    const n = this.newNode(a, seq);
    if (a.kind === 'compare') {
      const i = node.children.findIndex((c) => c.type === 'hash' ? sameField(c, a) : c.atom!.kind === 'compare' && sameField(c.atom!, a));
      if (i >= 0) {
        const c = node.children[i];
        const h = c.type === 'hash' ? c : (node.children[i] = this.newHash(c));
        ht.insert(h, n);
        return n;
      }
    }
    node.children.push(n);
    return n;
  }

  /** Unlinks the unused node `n` from `parent`, demoting a hash table left with one entry. */
  private detach(parent: TrieNode, n: TrieNode): void {
    const i = parent.children.findIndex((c) => c === n || (c.type === 'hash' && ht.lookup(c, n.key) === n));
    const c = parent.children[i];
    if (c.type === 'hash') {
      ht.remove(c, n.key);
      if (c.entries === 1) { parent.children[i] = ht.entries(c)[0]; this.freeId(c.id); }
    } else {
      parent.children.copyWithin(i, i + 1);
      parent.children.pop();
    }
    this.recycle(n);
  }

  /** Sorts `parent`'s children by rank after a hash table's entries changed rank. */
  private rerank(parent: TrieNode): void {
    for (const c of parent.children) {
      if (c.type !== 'hash') continue;
      let rank = Infinity;
      ht.forEach(c, (e) => { rank = Math.min(rank, e.rank); });
      c.rank = rank;
    }
    parent.children.sort((x, y) => x.rank - y.rank);
  }

  /** A node for `atom`: one from the pool (keeping its id), or a new one. */
  private newNode(atom: Atom | undefined, rank: number): TrieNode {
    const key = atom?.kind === 'compare' ? atom.value : -1;
    const n = this.pool.pop() as Writable<TrieNode> | undefined;
    if (!n) return { type: 'node', id: this.allocId(), atom, key, children: [], leaf: undefined, filters: new Ids(), rank };
    n.atom = atom;
    n.key = key;
    n.rank = rank;
    return n;
  }

  /**
   * Puts the detached node `n` in the pool, its counter cleared. It is
   * empty already (its filters dropped, its children detached before it),
   * and its arrays keep their room (setting length would free it).
   */
  private recycle(n: TrieNode): void {
    this.counts[n.id] = 0;
    n.leaf = undefined;
    this.pool.push(n);
  }

  /** A hash table in place of `first`, holding it. */
  private newHash(first: TrieNode): HashNode {
    const { width, offset, mask } = first.atom!;
    const h: HashNode = { type: 'hash', id: this.allocId(), width, offset, mask, rank: first.rank, ...ht.newTable<TrieNode>() };
    ht.insert(h, first);
    return h;
  }

  private allocId(): number {
    const id = this.freeIds.pop() ?? this.nextId++;
    if (id >= this.counts.length) {
      const c = new Float64Array(this.counts.length * 2);
      c.set(this.counts);
      this.counts = c;
    }
    return id;
  }

  private freeId(id: number): void {
    this.counts[id] = 0;
    this.freeIds.push(id);
  }
}

/**
 * A node's filter ids, unordered. Its array never shrinks (a JS array
 * emptied by pop or length = 0 loses its room), so a pooled node taken
 * back costs no allocation: most nodes hold one filter, and churn empties
 * and refills them.
 */
export class Ids {
  private readonly a: number[] = [];
  size = 0;

  add(id: number): void {
    this.a[this.size++] = id;
  }

  /** Removes `id` (the last moved into its place). Precondition: present. */
  drop(id: number): void {
    let i = 0;
    while (this.a[i] !== id) i++;
    this.a[i] = this.a[--this.size];
  }

  each(f: (id: number) => void): void {
    for (let i = 0; i < this.size; i++) f(this.a[i]);
  }
}
