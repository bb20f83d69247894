// Dynamic packet filters (Engler and Kaashoek, SIGCOMM 1996; Aegis paper,
// sec. 3.2 and 6): the kernel's packet demultiplexer. Library OSes download
// filters (Sys.DpfInsert, DpfAtom layout in ../abi.ts); all of them are
// merged into one trie (trie.ts, where the match semantics are; who may
// install what is the conflict rule, conflict.ts), compiled to JavaScript
// (compile.ts: after a change, only the code on the changed path, when a
// packet next reaches it) and checked against a plain interpreter
// (interp.ts). Pure logic: no machine, no clock.

import { DPF_FILTERS_MAX, Err } from '../abi.js';
import { COMPILE_AFTER, Compiled, type CompileWork, source } from './compile.js';
import { ConflictRule } from './conflict.js';
import { decodeScratch } from './filter.js';
import { contradiction } from './footprint.js';
import { classify as interpret } from './interp.js';
import { type DpfState, restoreTrie, saveTrie } from './state.js';
import { type Leaf, Trie } from './trie.js';
import { classifyWork as walkWork, type DpfWork, workCycles } from './visits.js';
import { type DpfView, viewOf } from './view.js';

export type { Atom, CompareAtom, Decoded, ShiftAtom, Width } from './filter.js';
export { DPF_PACKET_MAX, DPF_SHIFT_MAX, decodeFilter, encodeFilter, formatAtom } from './filter.js';
export { HASH_BUCKETS_MIN } from './hash.js';
export { mpfWork, type MpfWork } from './mpf.js';
export type { DpfWork } from './visits.js';
export type { DpfSavedCount, DpfSavedFilter, DpfState } from './state.js';
export type { DpfView, DpfViewBucket, DpfViewChild, DpfViewFilter, DpfViewHash, DpfViewLeaf, DpfViewNode } from './view.js';

/** Who installs a filter: its environment, the ring for its packets, its ASH entry pc (0 or absent for none). */
export interface DpfOwner {
  readonly env: number;
  readonly ring: number;
  readonly ash?: number;
}

/** Where a packet goes: the filter that took it and that filter's owner. */
export type DpfMatch = Leaf;

/** A refused request: why (a sentence), and the ABI error code for the guest. */
export interface DpfRefusal {
  readonly refused: string;
  readonly err: number;
}

/** The packet filters of one kernel. */
export class Dpf {
  private trie = new Trie();
  /** Who may install what (the state of its walk is reused: an insert allocates nothing). */
  private readonly rule = new ConflictRule();
  /** Chunks and nodes compiled since construction (kept across restore()). */
  private readonly compileWork: CompileWork = { chunks: 0, nodes: 0 };
  private compiled: Compiled;
  private nextSeq = 1;
  /** 1 where a filter id is installed (insert() takes the lowest free one without a lookup per id). */
  private used = new Uint8Array(DPF_FILTERS_MAX + 2);
  /** Trie nodes (and their children) walked, made or freed by inserts and removes, since construction. */
  private atoms = 0;
  /** Installed filters the conflict rule compared new ones with (those its walk could not rule out), since construction. */
  private compared = 0;
  /** Nodes on the paths inserts and removes changed, whose code is out of date, since construction. */
  private changed = 0;
  /** What one conflict walk looked at (reused: an insert allocates no counter object). */
  private readonly seen = { visited: 0, compared: 0 };

  /**
   * The work done so far: trie nodes inserts and removes walked (made or
   * freed), filters the conflict rule compared, nodes whose code they made
   * out of date (the kernel's cost model charges these three, as if the
   * changed code were generated at once, as Xok does), and the chunks and
   * nodes the host did compile (later, when packets came: not charged, so
   * that the guest's time does not depend on when the host compiles, nor
   * on checkpoints).
   */
  get work(): { readonly atoms: number; readonly compared: number; readonly changed: number; readonly compile: Readonly<CompileWork> } {
    return { atoms: this.atoms, compared: this.compared, changed: this.changed, compile: { ...this.compileWork } };
  }

  /**
   * An empty filter set. `compileAfter`: how many packets after a change
   * the interpreter classifies through the changed part of the trie before
   * it is compiled (compile.ts; 0 compiles it for the first packet, as the
   * tests of the compiled code want).
   */
  constructor(private readonly compileAfter = COMPILE_AFTER) {
    this.compiled = new Compiled(this.trie, this.compileWork, compileAfter);
  }

  /** Number of installed filters. */
  get size(): number {
    return this.trie.filters.size;
  }

  /**
   * Installs the filter `words` encode (DpfAtom layout) for `owner`; the
   * code on its path is compiled again at the next classification. Returns its id (1..DPF_FILTERS_MAX, the lowest free), or a
   * refusal: Err.Inval (malformed, or its atoms contradict each other),
   * Err.NoSpc (DPF_FILTERS_MAX installed), Err.Busy (the conflict rule,
   * conflict.ts: it may take another environment's packets, or it is
   * identical to one of the owner's own).
   */
  insert(words: Uint32Array | readonly number[], owner: DpfOwner): { readonly id: number } | DpfRefusal {
    // Shared atoms, overwritten by the next insert: the trie copies them into its nodes.
    const atoms = decodeScratch(words);
    if (typeof atoms === 'string') return { refused: atoms, err: Err.Inval };
    const bad = contradiction(atoms);
    if (bad !== undefined) return { refused: bad, err: Err.Inval };
    if (this.size >= DPF_FILTERS_MAX) return { refused: `All ${DPF_FILTERS_MAX} filters are in use`, err: Err.NoSpc };
    const seen = this.seen;
    seen.visited = seen.compared = 0;
    const clash = this.rule.conflict(this.trie, atoms, owner.env, seen);
    this.compared += seen.compared;
    this.atoms += seen.visited;
    if (clash) return { refused: clash, err: Err.Busy };
    let id = 1;
    while (this.used[id]) id++;
    this.used[id] = 1;
    const leaf = { filter: id, env: owner.env, ring: owner.ring, ash: owner.ash ?? 0 };
    const path = this.trie.insert({ id, seq: this.nextSeq++, atoms, leaf });
    this.changed += path.length;
    this.atoms += path.length;
    this.compiled.invalidate(path);
    return { id };
  }

  /**
   * Removes filter `id` on behalf of environment `env` (the code on its
   * path is compiled again at the next classification).
   * Refusals: Err.Inval (no such filter), Err.Perm (another environment's).
   */
  remove(id: number, env: number): { readonly removed: number } | DpfRefusal {
    const f = this.trie.filters.get(id);
    if (!f) return { refused: `No filter ${id} is installed`, err: Err.Inval };
    if (f.leaf.env !== env) return { refused: `Filter ${id} belongs to environment ${f.leaf.env}, not ${env}`, err: Err.Perm };
    this.drop(id);
    return { removed: id };
  }

  /** Removes every filter of `env` (it is being destroyed); returns their ids, ascending. */
  removeEnv(env: number): number[] {
    const ids = [...this.trie.filters.values()].filter((f) => f.leaf.env === env).map((f) => f.id).sort((a, b) => a - b);
    for (const id of ids) this.drop(id);
    return ids;
  }

  /** Takes installed filter `id` out of the trie; its path's code is out of date. */
  private drop(id: number): void {
    const path = this.trie.remove(id);
    this.used[id] = 0;
    this.changed += path.length;
    this.atoms += path.length;
    // The nodes still in the trie: a prefix of the path (a node some filter passes has ancestors).
    let kept = 1;
    while (kept < path.length && path[kept].filters.size > 0) kept++;
    this.compiled.invalidate(path, kept);
  }

  /** Where `packet` goes (compiled code), or undefined when no filter accepts it. Counts hits. */
  classify(packet: Uint8Array): DpfMatch | undefined {
    return this.compiled.classify(packet);
  }

  /** The atoms, hash tables and hash entries classifying `packet` tests (visits.ts). Counts nothing. */
  classifyWork(packet: Uint8Array): DpfWork {
    return walkWork(this.trie, packet);
  }

  /** What the kernel charges for classifying `packet`: classifyWork() in Costs.DPF_ATOM, DPF_HASH, DPF_HASH_ENTRY. Counts nothing. */
  classifyCycles(packet: Uint8Array): number {
    return workCycles(this.classifyWork(packet));
  }

  /** The same as classify(), by the interpreter (the oracle). Counts hits the same way. */
  classifyInterpreted(packet: Uint8Array): DpfMatch | undefined {
    return interpret(this.trie, packet);
  }

  /** A plain description of the merged trie and its counters, for the TUI. */
  view(): DpfView {
    return viewOf(this.trie);
  }

  /** The JavaScript the trie is compiled to now (the body of the classifier). */
  source(): string {
    return source(this.trie);
  }

  /** The filters and every counter, as plain data. */
  save(): DpfState {
    return saveTrie(this.trie, this.nextSeq);
  }

  /**
   * Replaces everything with what save() returned: filters re-inserted with
   * their ids, owners and order, counters kept. Throws Error on a state
   * save() could not have produced.
   */
  restore(s: DpfState): void {
    const trie = new Trie();
    restoreTrie(trie, s);
    this.trie = trie;
    this.nextSeq = s.nextSeq;
    this.used = new Uint8Array(DPF_FILTERS_MAX + 2);
    for (const id of trie.filters.keys()) this.used[id] = 1;
    this.compiled = new Compiled(trie, this.compileWork, this.compileAfter);
  }
}
