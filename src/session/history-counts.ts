// The counts a history keeps (history.ts): events by kind, by environment,
// and by kind and the environments they are about, for a chunk of events
// or for all of them. Counting costs a few map lookups an event, with
// nothing allocated for an event whose (kind, environments) was seen
// before: a run counts every event once, as its chunk is sealed.

import type { KernelEvent } from '../exokernel/index.js';

/** What a history holds: events in cycle order, each of a kind. */
export interface HistoryEvent {
  readonly kind: string;
  readonly cycle: number;
}

type ContextSwitch = Extract<KernelEvent, { kind: 'context-switch' }>;

/** The environment an event is about, if any (for a context switch, the one switched to); none for another kernel's event. */
export function eventEnv(e: HistoryEvent): number | undefined {
  return 'env' in e ? (e.env as number) : e.kind === 'context-switch' ? (e as ContextSwitch).to : undefined;
}

/** The environments an event is about: both sides of a context switch, else its environment (none for a machine-wide event). */
export function eventAbout(e: HistoryEvent): readonly number[] {
  if (e.kind === 'context-switch') { const c = e as ContextSwitch; return c.from === c.to ? [c.to] : [c.from, c.to]; }
  const env = eventEnv(e);
  return env === undefined ? [] : [env];
}

/** How many events of one kind are about exactly these environments (eventAbout), since boot. */
export interface PairCount {
  readonly kind: string;
  readonly envs: readonly number[];
  readonly count: number;
}

interface Pair { readonly kind: string; readonly envs: readonly number[]; count: number }

/** Counts of a run of events: by kind, by environment, by kind and the environments it is about. */
export class Counts {
  readonly kinds = new Map<string, number>();
  readonly envs = new Map<number, number>();
  /** Every (kind, environments) counted, in the order first seen. */
  readonly pairs: Pair[] = [];
  /** The pairs about one environment: by kind, then environment. */
  private readonly one = new Map<string, Map<number, Pair>>();
  /** The context switches between two: by the one switched from, then to. */
  private readonly two = new Map<number, Map<number, Pair>>();

  /** Counts `e` (by = 1) or uncounts it (by = -1). */
  add(e: HistoryEvent, by: number): void {
    const kind = e.kind;
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + by);
    if (kind === 'context-switch') {
      const c = e as ContextSwitch;
      this.envs.set(c.to, (this.envs.get(c.to) ?? 0) + by);
      if (c.from === c.to) this.pairOne(kind, c.to).count += by;
      else this.pairTwo(c.from, c.to).count += by;
      return;
    }
    if (!('env' in e)) return;
    const env = e.env as number;
    this.envs.set(env, (this.envs.get(env) ?? 0) + by);
    this.pairOne(kind, env).count += by;
  }

  /** The record of `kind` about environment `env` alone, made at 0 if new. */
  private pairOne(kind: string, env: number): Pair {
    let byEnv = this.one.get(kind);
    if (byEnv === undefined) this.one.set(kind, (byEnv = new Map()));
    let p = byEnv.get(env);
    if (p === undefined) { p = { kind, envs: [env], count: 0 }; byEnv.set(env, p); this.pairs.push(p); }
    return p;
  }

  /** The record of context switches from `from` to `to` (not the same), made at 0 if new. */
  private pairTwo(from: number, to: number): Pair {
    let byTo = this.two.get(from);
    if (byTo === undefined) this.two.set(from, (byTo = new Map()));
    let p = byTo.get(to);
    if (p === undefined) { p = { kind: 'context-switch', envs: [from, to], count: 0 }; byTo.set(to, p); this.pairs.push(p); }
    return p;
  }

  /** Adds (by = 1) or takes away (by = -1) every count of `c`. */
  merge(c: Counts | ChunkCounts, by: number): void {
    if (c instanceof ChunkCounts) { c.mergeInto(this, by); return; }
    for (const [k, n] of c.kinds) this.kinds.set(k, (this.kinds.get(k) ?? 0) + by * n);
    for (const [k, n] of c.envs) this.envs.set(k, (this.envs.get(k) ?? 0) + by * n);
    for (const p of c.pairs) this.pairOf(p.kind, p.envs[0], p.envs.length === 1 ? -1 : p.envs[1]).count += by * p.count;
  }

  /** The record of `kind` about `a` alone (b < 0) or of the context switches from a to b, made at 0 if new (for ChunkCounts.mergeInto). */
  pairOf(kind: string, a: number, b: number): Pair {
    return b < 0 ? this.pairOne(kind, a) : this.pairTwo(a, b);
  }

  /** Events of kind `kind`. */
  kindCount(kind: string): number {
    return this.kinds.get(kind) ?? 0;
  }

  /** Events about environment `env`. */
  envCount(env: number): number {
    return this.envs.get(env) ?? 0;
  }

  /** Rough bytes held. */
  get bytes(): number {
    return 64 + 40 * (this.kinds.size + this.envs.size) + 80 * this.pairs.length;
  }
}

/**
 * A sealed chunk's counts, compact: what Counts holds as maps and pair
 * records, here in parallel arrays, without the indexes that counting one
 * more event needs. A history keeps one a chunk for as long as it holds
 * the chunk (history.ts). Measured on chunks of living's events (37 KB
 * of body each): 2.4 KB a chunk, where a Counts took 13.6 KB (some 70 MB
 * against 390 MB with a full 1 GiB spill file).
 */
export class ChunkCounts {
  private readonly kindNames: readonly string[];
  private readonly kindNs: Int32Array;
  private readonly envIds: Int32Array;
  private readonly envNs: Int32Array;
  /** Each pair's kind, as its index in kindNames. */
  private readonly pairKinds: Uint16Array;
  /** Two a pair: its environment and -1, or a context switch's from and to. */
  private readonly pairEnvs: Int32Array;
  private readonly pairNs: Int32Array;

  constructor(c: Counts) {
    this.kindNames = [...c.kinds.keys()];
    this.kindNs = Int32Array.from(c.kinds.values());
    this.envIds = Int32Array.from(c.envs.keys());
    this.envNs = Int32Array.from(c.envs.values());
    this.pairKinds = Uint16Array.from(c.pairs, (p) => this.kindNames.indexOf(p.kind));
    this.pairEnvs = new Int32Array(2 * c.pairs.length);
    c.pairs.forEach((p, i) => { this.pairEnvs[2 * i] = p.envs[0]; this.pairEnvs[2 * i + 1] = p.envs.length === 1 ? -1 : p.envs[1]; });
    this.pairNs = Int32Array.from(c.pairs, (p) => p.count);
  }

  /** Events of kind `kind`. */
  kindCount(kind: string): number {
    const i = this.kindNames.indexOf(kind);
    return i < 0 ? 0 : this.kindNs[i];
  }

  /** Events about environment `env`. */
  envCount(env: number): number {
    const i = this.envIds.indexOf(env);
    return i < 0 ? 0 : this.envNs[i];
  }

  /** Adds (by = 1) or takes away (by = -1) these counts to `to` (Counts.merge). */
  mergeInto(to: Counts, by: number): void {
    this.kindNames.forEach((k, i) => to.kinds.set(k, (to.kinds.get(k) ?? 0) + by * this.kindNs[i]));
    this.envIds.forEach((e, i) => to.envs.set(e, (to.envs.get(e) ?? 0) + by * this.envNs[i]));
    for (let i = 0; i < this.pairNs.length; i++) to.pairOf(this.kindNames[this.pairKinds[i]], this.pairEnvs[2 * i], this.pairEnvs[2 * i + 1]).count += by * this.pairNs[i];
  }

  /** Rough bytes held. */
  get bytes(): number {
    return 400 + 12 * (this.kindNames.length + this.envIds.length) + 14 * this.pairNs.length;
  }
}
