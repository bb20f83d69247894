// The conflict rule of the DPF trie (trie.ts): whether a new filter may go
// in beside the installed ones, so that every packet is accepted by the
// filters of at most one environment. Why it is stricter than Xok's and
// which filters it compares is told at ConflictRule.conflict below.

import { type Atom, sameField } from './filter.js';
import { type Footprint, disjoint, footprint } from './footprint.js';
import type { Ids } from './tables.js';
import type { Filter, Trie } from './trie.js';

/** What one conflict() call looked at: trie nodes and their children walked, filters compared. */
export interface ConflictWork {
  visited: number;
  compared: number;
}

const NO_ATOMS: readonly Atom[] = [];

/** The conflict rule, with the state of the call under way kept between calls (a check allocates nothing). */
export class ConflictRule {
  /** The conflict() call under way: the trie, the new filter, its owner, the counters, the oldest clash so far, its footprint once built. */
  private readonly query: { trie: Trie | undefined; atoms: readonly Atom[]; env: number; work: ConflictWork; clash: Filter | undefined; fp: Footprint | undefined } =
    { trie: undefined, atoms: NO_ATOMS, env: 0, work: { visited: 0, compared: 0 }, clash: undefined, fp: undefined };

  /**
   * The installed filter of `trie` that a new filter of `env` with atoms
   * `atoms` collides with, and why, or undefined when it may go in.
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
  conflict(trie: Trie, atoms: readonly Atom[], env: number, work: ConflictWork): string | undefined {
    const q = this.query;
    q.trie = trie; q.atoms = atoms; q.env = env; q.work = work; q.clash = undefined; q.fp = undefined;
    let node = trie.root, i = 0;
    for (; ; i++) {
      const a: Atom | undefined = atoms[i];
      const next = a && trie.child(node, a);
      work.visited += 1 + node.children.length;
      if (node.leaf) this.check(node.leaf.filter);
      for (const c of node.children) {
        // A compare on the field F's next atom reads (a hash table of them, or one), other than `next`: another value, the same base.
        if (c === next || (a?.kind === 'compare' && sameField(c.type === 'hash' ? c : c.atom!, a) && (c.type === 'hash' || c.atom!.kind === 'compare'))) continue;
        if (c.type === 'node') this.checkAll(c.filters);
        else for (let k = 0; k < c.list.length; k++) this.checkAll(c.list[k].filters);
      }
      if (!next) break;
      node = next;
    }
    const clash = q.clash as Filter | undefined; // set by check(), which TypeScript does not see
    q.trie = undefined; q.atoms = NO_ATOMS; q.clash = undefined; q.fp = undefined;
    if (clash) return `The filter may accept packets that filter ${clash.id} of environment ${clash.leaf.env} accepts`;
    // Every atom of F was found: F ends at `node`, whose leaf, if any, is F's own environment's.
    const same = i === atoms.length ? node.leaf : undefined;
    return same ? `The filter is identical to filter ${same.filter}` : undefined;
  }

  /** conflict()'s check of every filter in `ids` (the order does not matter: the oldest clash wins). */
  private checkAll(ids: Ids): void {
    for (let k = 0; k < ids.size; k++) this.check(ids.at(k));
  }

  /** conflict()'s check of installed filter `id` against the query: the oldest colliding one so far is kept. */
  private check(id: number): void {
    const q = this.query, g = q.trie!.filters.get(id)!;
    q.work.compared++;
    if (g.leaf.env === q.env || (q.clash && q.clash.seq < g.seq)) return;
    // Precondition (Dpf.insert): the atoms contradict each other nowhere, so this is a footprint.
    q.fp ??= footprint(q.atoms) as Footprint;
    if (disjoint(q.fp, g.footprint)) return;
    q.clash = g;
  }
}
