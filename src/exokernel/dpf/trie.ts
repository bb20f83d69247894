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
// the conflict rule (conflict.ts) order only ever decides between filters
// of one environment.
//
// Hit counts: counts[id] of a node is the number of packets whose walk
// passed its atom (the root: every packet classified); of a hash table, the
// packets that read its field. leafHits[filter] counts packets delivered.
//
// Every insert and remove returns the filter's path: all that changes in the
// trie lies on it, so a node off the path has an unchanged subtree, and its
// compiled code can be kept (compile.ts).

import { DPF_FILTERS_MAX } from '../abi.js';
import { type Atom, type CompareAtom, type ShiftAtom, type Width, sameAtom, sameField } from './filter.js';
import { type Footprint, footprint } from './footprint.js';
import * as ht from './hash.js';
import { ById, Ids } from './tables.js';

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

/** A filter to install. `seq` orders insertions (smaller is older). Its atoms contradict each other nowhere (footprint.ts). */
export interface FilterSpec {
  readonly id: number;
  readonly seq: number;
  readonly atoms: readonly Atom[];
  readonly leaf: Leaf;
}

/**
 * An installed filter: its path through the trie, root first, and its atoms
 * read back from the nodes on it. It keeps no atom objects of its own
 * (every node owns a copy of its atom, newNode()), so an insert leaves
 * behind the filter, its footprint and its path and nothing per atom for
 * the garbage collector to copy or scan. Its footprint is built when the
 * conflict rule first compares it with a new filter (most never are).
 */
export class Filter {
  private fp: Footprint | undefined = undefined;

  constructor(readonly id: number, readonly seq: number, readonly leaf: Leaf, readonly path: readonly TrieNode[]) {}

  /** What the filter demands of a packet (footprint.ts), built at the first call. */
  get footprint(): Footprint {
    return (this.fp ??= footprint(this.atoms) as Footprint);
  }

  /** Copies of the atoms, in order (a pooled node's atom is overwritten when it is reused); for the view, save and restore, not the hot path. */
  get atoms(): Atom[] {
    const a = new Array<Atom>(this.path.length - 1);
    for (let i = 1; i < this.path.length; i++) a[i - 1] = { ...this.path[i].atom! };
    return a;
  }
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
  /** Its place in the entry list of the hash table holding it (hash.ts). */
  slot: number;
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

/** Initial length of the counter array (grown by doubling). */
const COUNTS_MIN = 256;

/** The merged trie of all installed filters, with its counters. */
export class Trie {
  readonly root: TrieNode;
  readonly filters = new ById<Filter>(DPF_FILTERS_MAX);
  counts = new Float64Array(COUNTS_MIN);
  readonly leafHits = new Float64Array(DPF_FILTERS_MAX + 1);
  /** Each installed filter's seq by id (oldest() reads these, not the map). */
  private readonly seqOf = new Float64Array(DPF_FILTERS_MAX + 1);
  private readonly freeIds: number[] = [];
  /** Nodes taken out of the trie, kept with their ids for the next insert (a long filter churned in and out makes no garbage). */
  private readonly pool: TrieNode[] = [];
  private nextId = 0;
  /** Bumped by every insert and remove: what depends only on the installed filters (state.ts's save plan) is stale when it moved. */
  version = 0;
  constructor() {
    this.root = this.newNode(undefined, 0);
  }

  /** The node where a filter of these atoms ends, or undefined when no path matches. */
  find(atoms: readonly Atom[]): TrieNode | undefined {
    let node: TrieNode | undefined = this.root;
    for (let i = 0; i < atoms.length && node; i++) node = this.child(node, atoms[i]);
    return node;
  }

  /**
   * Merges `f` into the trie. Preconditions: the conflict rule
   * (conflict.ts) found nothing, f.id is not installed and f.seq is larger
   * than every installed filter's.
   * Returns the path, root first: every node whose subtree changed.
   */
  insert(f: FilterSpec): TrieNode[] {
    const atoms = f.atoms, path = new Array<TrieNode>(atoms.length + 1);
    this.version++;
    let node = this.root, i = 0;
    node.filters.add(f.id);
    path[0] = node;
    for (let c; i < atoms.length && (c = this.child(node, atoms[i])); i++) {
      node = c;
      node.filters.add(f.id);
      path[i + 1] = node;
    }
    if (i < atoms.length) {
      // The rest of the path is new: a node under the last one found, then
      // a chain, each node the only child of the one before (no lookups: a
      // node from the pool may still list its old child, link() below).
      for (let first = true; i < atoms.length; i++, first = false) {
        node = first ? this.addChild(node, atoms[i], f.seq) : this.link(node, this.newNode(atoms[i], f.seq));
        node.filters.add(f.id);
        path[i + 1] = node;
      }
      if (node.children.length) node.children.length = 0;
    }
    node.leaf = f.leaf;
    this.filters.set(f.id, new Filter(f.id, f.seq, f.leaf, path));
    this.seqOf[f.id] = f.seq;
    this.leafHits[f.id] = 0;
    return path;
  }

  /**
   * Takes filter `id` out, freeing the nodes only it used and re-ranking the
   * rest. Returns the path, root first (freed nodes included): every node
   * whose subtree changed. Precondition: installed. Walks the path insert()
   * kept (no lookups), from the leaf up: a node only this filter used is
   * detached from its parent, a node others share gets the rank of its
   * oldest remaining filter, and a parent that stays is re-sorted only when
   * a child of it left or changed rank.
   */
  remove(id: number): readonly TrieNode[] {
    const f = this.filters.get(id)!, path = f.path;
    this.version++;
    path[path.length - 1].leaf = undefined;
    this.filters.delete(id);
    for (let d = 0; d < path.length; d++) path[d].filters.drop(id);
    for (let d = path.length - 1; d >= 1; d--) {
      const n = path[d], parent = path[d - 1];
      // A node below another this filter alone used stays linked to it: they go to the pool as a chain (recycle()).
      if (n.filters.size === 0 && d > 1 && parent.filters.size === 0) { this.recycle(n); continue; }
      if (n.filters.size === 0) this.detach(parent, n);
      else if (n.rank === f.seq) n.rank = this.seqOf[this.oldestId(n)];
      else continue;
      if (parent.filters.size > 0) this.rerank(parent, f.seq);
    }
    // The root's rank (never compared: the root is nobody's child) is its oldest filter's once a remove set it, else 0.
    const root = this.root;
    if (root.rank === f.seq || root.rank === 0) root.rank = root.filters.size ? this.seqOf[this.oldestId(root)] : 0;
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
    return this.filters.get(this.oldestId(n))!;
  }

  /** The id of the oldest filter through `n`. Precondition: n.filters is not empty. */
  private oldestId(n: TrieNode): number {
    const seqOf = this.seqOf, ids = n.filters;
    let best = ids.at(0);
    for (let i = 1; i < ids.size; i++) {
      const id = ids.at(i);
      if (seqOf[id] < seqOf[best]) best = id;
    }
    return best;
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

  /**
   * Makes `n` the only child of `parent`, a node made by this insert (a new
   * one, or one from the pool that may still list its old child: most often
   * `n` itself, as the pool gives back a chain in order, and then nothing
   * is written). Emptying and refilling a JS array frees and reallocates
   * its room, so a chain reused as it was costs no allocation.
   */
  private link(parent: TrieNode, n: TrieNode): TrieNode {
    const ch = parent.children;
    if (ch.length === 1 && ch[0] === n) return n;
    if (ch.length) ch.length = 0;
    ch.push(n);
    return n;
  }

  /** Unlinks the unused node `n` from `parent`, demoting a hash table left with one entry. */
  private detach(parent: TrieNode, n: TrieNode): void {
    const i = parent.children.findIndex((c) => c === n || (c.type === 'hash' && ht.lookup(c, n.key) === n));
    const c = parent.children[i];
    if (c.type === 'hash') {
      ht.remove(c, n.key);
      if (c.entries === 1) { parent.children[i] = c.list[0]; this.freeId(c.id); }
    } else {
      parent.children.copyWithin(i, i + 1);
      parent.children.pop();
    }
    this.recycle(n);
  }

  /**
   * Sorts `parent`'s children by rank after filter `seq` left: a child's
   * rank changed or a child left. A hash table's rank is its entries'
   * smallest, so it is computed again (a walk of its entries) only when it
   * was `seq`'s: the ranks of the other entries did not move. An insertion
   * sort (stable, as Array.prototype.sort): one child moved, the rest are
   * in order, and it calls no comparator.
   */
  private rerank(parent: TrieNode, seq: number): void {
    const ch = parent.children;
    for (let i = 0; i < ch.length; i++) {
      const c = ch[i];
      if (c.type === 'hash' && c.rank === seq) c.rank = ht.minRank(c);
    }
    for (let i = 1; i < ch.length; i++) {
      const c = ch[i];
      let j = i;
      for (; j > 0 && ch[j - 1].rank > c.rank; j--) ch[j] = ch[j - 1];
      if (j !== i) ch[j] = c;
    }
  }

  /**
   * A node for a copy of `atom`: one from the pool (keeping its id, and its
   * atom object when of the same kind, overwritten), or a new one. The node
   * owns its atom, so the caller's (decoded from the guest's words) dies
   * young, and a pooled node, long in the old generation, gets no pointer
   * to a young object.
   */
  private newNode(atom: Atom | undefined, rank: number): TrieNode {
    const key = atom?.kind === 'compare' ? atom.value : -1;
    const n = this.pool.pop() as Writable<TrieNode> | undefined;
    if (!n) return { type: 'node', id: this.allocId(), atom: atom && { ...atom }, key, children: [], leaf: undefined, filters: new Ids(), rank, slot: -1 };
    const own = n.atom as Writable<Atom>;
    if (atom!.kind !== own.kind) n.atom = { ...atom! };
    else {
      own.width = atom!.width;
      own.offset = atom!.offset;
      own.mask = atom!.mask;
      if (atom!.kind === 'compare') (own as Writable<CompareAtom>).value = atom!.value;
      else (own as Writable<ShiftAtom>).shift = atom!.shift;
    }
    n.key = key;
    n.rank = rank;
    return n;
  }

  /**
   * Puts the unused node `n` in the pool, its counter cleared. Its filters
   * are dropped already; its children are left as they are (remove() pools
   * a filter's own chain of nodes from the end up, each still linking the
   * next, so the pool gives them back top down, in the order insert()
   * links them again), and its arrays keep their room (setting length
   * would free it).
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
