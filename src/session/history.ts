// The whole history of a session: every kernel event since boot, in order,
// with an index by kind, by environment and by cycle (docs/architecture.md,
// "The session"). Time travel truncates it to the point travelled to, so it
// never holds events of an abandoned future.
//
// Compact: events are kept as objects only in the open chunk; a full chunk
// of CHUNK events is sealed into one JSON string (about 60-90 bytes an event)
// and decoded again on demand, a chunk at a time. The indexes are typed
// arrays: 8 bytes of cycle and 4 of each posting per event.

import type { KernelEvent } from '../exokernel/index.js';

const CHUNK = 4096;

/** A growable Uint32 array. */
class U32List {
  data = new Uint32Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) { const d = new Uint32Array(this.data.length * 2); d.set(this.data); this.data = d; }
    this.data[this.length++] = v;
  }
  /** Drops every value >= n (the list is increasing). */
  cut(n: number): void {
    while (this.length > 0 && this.data[this.length - 1] >= n) this.length--;
  }
  /** The number of values < n. */
  below(n: number): number {
    let lo = 0, hi = this.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (this.data[m] < n) lo = m + 1; else hi = m; }
    return lo;
  }
  get bytes(): number { return this.data.byteLength; }
}

/** The environment an event is about, if any (for a context switch, the one switched to). */
export function eventEnv(e: KernelEvent): number | undefined {
  return 'env' in e ? (e.env as number) : e.kind === 'context-switch' ? e.to : undefined;
}

/** The environments an event is about: both sides of a context switch, else its environment (none for a machine-wide event). */
export function eventAbout(e: KernelEvent): readonly number[] {
  if (e.kind === 'context-switch') return e.from === e.to ? [e.to] : [e.from, e.to];
  const env = eventEnv(e);
  return env === undefined ? [] : [env];
}

/** How many events of one kind are about exactly these environments (eventAbout), since boot. */
export interface PairCount {
  readonly kind: string;
  readonly envs: readonly number[];
  readonly count: number;
}

/** Every event since boot, indexed. */
export class History {
  private sealed: string[] = [];
  private open: KernelEvent[] = [];
  private cycles = new Float64Array(1024);
  private n = 0;
  private readonly byKind = new Map<string, U32List>();
  private readonly byEnv = new Map<number, U32List>();
  /** By kind and the environments the event is about together: combined filters count over it exactly. */
  private readonly byPair = new Map<string, { kind: string; envs: readonly number[]; list: U32List }>();
  private cache: { chunk: number; events: KernelEvent[] } | undefined;

  /** Number of events held. */
  get length(): number {
    return this.n;
  }

  /** Appends one event. */
  push(e: KernelEvent): void {
    if (this.n === this.cycles.length) { const c = new Float64Array(this.cycles.length * 2); c.set(this.cycles); this.cycles = c; }
    this.cycles[this.n] = e.cycle;
    let k = this.byKind.get(e.kind);
    if (!k) this.byKind.set(e.kind, (k = new U32List()));
    k.push(this.n);
    const env = eventEnv(e);
    if (env !== undefined) {
      let l = this.byEnv.get(env);
      if (!l) this.byEnv.set(env, (l = new U32List()));
      l.push(this.n);
    }
    const about = eventAbout(e);
    if (about.length) {
      const key = `${e.kind} ${about.join(' ')}`;
      let p = this.byPair.get(key);
      if (!p) this.byPair.set(key, (p = { kind: e.kind, envs: about, list: new U32List() }));
      p.list.push(this.n);
    }
    this.open.push(e);
    this.n++;
    if (this.open.length === CHUNK) { this.sealed.push(JSON.stringify(this.open)); this.open = []; }
  }

  /** Keeps the first `n` events only. */
  truncate(n: number): void {
    if (n >= this.n) return;
    const chunk = Math.floor(n / CHUNK);
    if (chunk < this.sealed.length) {
      this.open = this.decode(chunk).slice(0, n - chunk * CHUNK);
      this.sealed.length = chunk;
    } else this.open.length = n - chunk * CHUNK;
    this.n = n;
    for (const l of this.byKind.values()) l.cut(n);
    for (const l of this.byEnv.values()) l.cut(n);
    for (const p of this.byPair.values()) p.list.cut(n);
    this.cache = undefined;
  }

  private decode(chunk: number): KernelEvent[] {
    if (this.cache?.chunk !== chunk) this.cache = { chunk, events: JSON.parse(this.sealed[chunk]) as KernelEvent[] };
    return this.cache.events;
  }

  /** Event number `i` (0 is the first since boot). */
  at(i: number): KernelEvent {
    if (i < 0 || i >= this.n) throw new RangeError(`No event ${i}: the history holds ${this.n}`);
    const chunk = Math.floor(i / CHUNK);
    return chunk < this.sealed.length ? this.decode(chunk)[i - chunk * CHUNK] : this.open[i - chunk * CHUNK];
  }

  /** Events `from` (inclusive) to `to` (exclusive), oldest first. */
  slice(from: number, to = this.n): KernelEvent[] {
    const out: KernelEvent[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.n); i++) out.push(this.at(i));
    return out;
  }

  /** The number of events of kind `kind` (all kinds when undefined) among the first `before`. */
  countKind(kind: string | undefined, before = this.n): number {
    if (kind === undefined) return Math.min(before, this.n);
    return this.byKind.get(kind)?.below(before) ?? 0;
  }

  /** The number of events about environment `env` among the first `before`. */
  countEnv(env: number, before = this.n): number {
    return this.byEnv.get(env)?.below(before) ?? 0;
  }

  /** The number of events of each kind, over the whole history. */
  kindCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, l] of this.byKind) if (l.length) out[k] = l.length;
    return out;
  }

  /** The number of events about each environment, over the whole history. */
  envCounts(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const [e, l] of this.byEnv) if (l.length) out[e] = l.length;
    return out;
  }

  /** The number of events of each kind about each set of environments, over the whole history (for combined filters). */
  pairCounts(): PairCount[] {
    return [...this.byPair.values()].filter((p) => p.list.length).map((p) => ({ kind: p.kind, envs: p.envs, count: p.list.length }));
  }

  /** The indexes of the events of kind `kind`, oldest first. */
  ofKind(kind: string): readonly number[] {
    const l = this.byKind.get(kind);
    return l ? Array.from(l.data.subarray(0, l.length)) : [];
  }

  /** The indexes of the events about environment `env`, oldest first. */
  ofEnv(env: number): readonly number[] {
    const l = this.byEnv.get(env);
    return l ? Array.from(l.data.subarray(0, l.length)) : [];
  }

  /** The index of the latest event of kind `kind` among the first `before`, or -1. */
  lastOfKind(kind: string, before = this.n): number {
    const l = this.byKind.get(kind);
    if (!l) return -1;
    const i = l.below(before);
    return i > 0 ? l.data[i - 1] : -1;
  }

  /** The number of events whose cycle is below `cycle` (events come in cycle order). */
  countBefore(cycle: number): number {
    let lo = 0, hi = this.n;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (this.cycles[m] < cycle) lo = m + 1; else hi = m; }
    return lo;
  }

  /** Approximate bytes held (chunks as one byte a character, the indexes, the open chunk at 200 bytes an event). */
  get bytes(): number {
    let b = this.cycles.byteLength + this.open.length * 200;
    for (const s of this.sealed) b += s.length;
    for (const l of this.byKind.values()) b += l.bytes;
    for (const l of this.byEnv.values()) b += l.bytes;
    for (const p of this.byPair.values()) b += p.list.bytes;
    return b;
  }
}
