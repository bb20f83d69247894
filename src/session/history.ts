// The whole history of a session: every kernel event since boot, in order,
// with counts by kind, by environment and by both, and a search by cycle
// (docs/architecture.md, "The session"). The exokernel's events by default;
// the monolithic kernel's session keeps its own events in one the same way
// (their kinds counted, no environment). Time travel truncates it to the
// point travelled to, so it never holds events of an abandoned future.
//
// Compact and bounded: events are kept as objects only in the open chunk;
// a full chunk of CHUNK events is sealed: encoded (history-codec.ts: about
// 10 bytes an event, decoding to what their JSON would) with its own counts
// by kind, environment and pair beside it (history-counts.ts).
// Nothing is kept per event outside a chunk, so what memory holds per
// sealed chunk is its counts (well under a kilobyte) and, while the sealed
// chunks' bodies fit in `memoryBytes`, the body; past that the oldest
// bodies go to a temporary file (deleted as soon as it is opened, so it
// vanishes with the process) and are read back a chunk at a time when an
// event of theirs is asked for. Every event stays reachable for the log,
// filters, searches and travel.

import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelEvent } from '../exokernel/index.js';
import { decodeEvents, encodeEvents } from './history-codec.js';
import { Counts, eventEnv, type HistoryEvent, type PairCount } from './history-counts.js';

export { eventAbout, eventEnv, type HistoryEvent, type PairCount } from './history-counts.js';

const CHUNK = 4096;
/** Bytes of sealed chunk bodies kept in memory by default; older ones go to the spill file. */
const MEMORY_BYTES = 32 << 20;

/** A sealed chunk: its first cycle, its counts, and its body (history-codec.ts) in memory or in the spill file. */
interface Sealed {
  readonly first: number;
  readonly counts: Counts;
  body: Buffer | undefined;
  spill: { readonly offset: number; readonly length: number } | undefined;
}

/** Options of a history. */
export interface HistoryOptions {
  /** Bytes of sealed chunk bodies kept in memory (default 32 MiB); older ones are written to a temporary file. */
  readonly memoryBytes?: number;
}

/** The spill files' descriptors, closed when their history is collected. */
const spills = new FinalizationRegistry<number>((fd) => { try { closeSync(fd); } catch { /* already closed */ } });
let spillSerial = 0;

/** Every event since boot, counted and searchable. */
export class History<E extends HistoryEvent = KernelEvent> {
  private readonly sealed: Sealed[] = [];
  private open: E[] = [];
  private n = 0;
  /** The counts of every sealed chunk and of the open chunk's first `openCounted` events (see `totals`). */
  private readonly counts = new Counts();
  private openCounted = 0;
  private cache: { chunk: number; events: E[] } | undefined;
  private readonly cutters: ((n: number) => void)[] = [];
  private readonly memoryBytes: number;
  /** Bytes of bodies in memory; the first chunk whose body is still in memory. */
  private inMemory = 0;
  private firstInMemory = 0;
  private spill: { fd: number; end: number } | undefined;

  constructor(opts: HistoryOptions = {}) {
    this.memoryBytes = opts.memoryBytes ?? MEMORY_BYTES;
  }

  /** Number of events held. */
  get length(): number {
    return this.n;
  }

  /** Calls `fn` with the new length whenever the history is truncated (time travel). */
  onTruncate(fn: (n: number) => void): void {
    this.cutters.push(fn);
  }

  /**
   * The counts of every event held. The open chunk's events are counted
   * when someone asks, or when the chunk is sealed: a run nobody queries
   * (a replay) counts each event once, for its chunk.
   */
  private get totals(): Counts {
    for (; this.openCounted < this.open.length; this.openCounted++) this.counts.add(this.open[this.openCounted], 1);
    return this.counts;
  }

  /** Appends one event. */
  push(e: E): void {
    this.open.push(e);
    this.n++;
    if (this.open.length === CHUNK) this.seal();
  }

  /** Seals the open chunk; spills the oldest bodies in memory past the bound. */
  private seal(): void {
    const counts = new Counts();
    for (const e of this.open) counts.add(e, 1);
    if (this.openCounted === 0) this.counts.merge(counts, 1);
    else for (let i = this.openCounted; i < this.open.length; i++) this.counts.add(this.open[i], 1);
    this.openCounted = 0;
    const body = encodeEvents(this.open);
    this.sealed.push({ first: this.open[0].cycle, counts, body, spill: undefined });
    this.inMemory += body.length;
    this.open = [];
    while (this.inMemory > this.memoryBytes && this.firstInMemory < this.sealed.length - 1) this.spillOne(this.sealed[this.firstInMemory++]);
  }

  /** Moves one chunk's body to the spill file. */
  private spillOne(c: Sealed): void {
    if (!c.body) return;
    if (!this.spill) {
      const path = join(tmpdir(), `exoscope-history-${process.pid}-${spillSerial++}.bin`);
      const fd = openSync(path, 'w+');
      unlinkSync(path);
      this.spill = { fd, end: 0 };
      spills.register(this, fd);
    }
    writeSync(this.spill.fd, c.body, 0, c.body.length, this.spill.end);
    c.spill = { offset: this.spill.end, length: c.body.length };
    this.spill.end += c.body.length;
    this.inMemory -= c.body.length;
    c.body = undefined;
  }

  /** Keeps the first `n` events only. */
  truncate(n: number): void {
    if (n >= this.n) return;
    const totals = this.totals;
    const chunk = Math.floor(n / CHUNK);
    if (chunk < this.sealed.length) {
      const events = this.decode(chunk);
      for (const gone of this.sealed.slice(chunk + 1)) totals.merge(gone.counts, -1);
      for (const e of this.open) totals.add(e, -1);
      for (const e of events.slice(n - chunk * CHUNK)) totals.add(e, -1);
      for (const gone of this.sealed.slice(chunk)) {
        if (gone.body) this.inMemory -= gone.body.length;
        if (gone.spill && this.spill) this.spill.end = Math.min(this.spill.end, gone.spill.offset);
      }
      this.open = events.slice(0, n - chunk * CHUNK);
      this.sealed.length = chunk;
      this.firstInMemory = Math.min(this.firstInMemory, chunk);
    } else {
      for (const e of this.open.slice(n - chunk * CHUNK)) totals.add(e, -1);
      this.open.length = n - chunk * CHUNK;
    }
    this.openCounted = this.open.length;
    this.n = n;
    this.cache = undefined;
    for (const fn of this.cutters) fn(n);
  }

  /** The events of sealed chunk `chunk` (from memory or the spill file; the last one decoded is cached). */
  private decode(chunk: number): E[] {
    if (this.cache?.chunk === chunk) return this.cache.events;
    const c = this.sealed[chunk];
    let body = c.body;
    if (!body) {
      body = Buffer.alloc(c.spill!.length);
      readSync(this.spill!.fd, body, 0, body.length, c.spill!.offset);
    }
    this.cache = { chunk, events: decodeEvents<E>(body) };
    return this.cache.events;
  }

  /** Event number `i` (0 is the first since boot). */
  at(i: number): E {
    if (i < 0 || i >= this.n) throw new RangeError(`No event ${i}: the history holds ${this.n}`);
    const chunk = Math.floor(i / CHUNK);
    return chunk < this.sealed.length ? this.decode(chunk)[i - chunk * CHUNK] : this.open[i - chunk * CHUNK];
  }

  /** Events `from` (inclusive) to `to` (exclusive), oldest first. */
  slice(from: number, to = this.n): E[] {
    const out: E[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.n); i++) out.push(this.at(i));
    return out;
  }

  /** How many of the first `before` events `count` gives for a chunk's counts, and `one` for a single event. */
  private countBelow(before: number, count: (c: Counts) => number, one: (e: E) => boolean): number {
    const end = Math.min(before, this.n);
    const whole = Math.floor(end / CHUNK);
    let total = 0;
    for (let c = 0; c < Math.min(whole, this.sealed.length); c++) total += count(this.sealed[c].counts);
    for (let i = whole * CHUNK; i < end; i++) if (one(this.at(i))) total++;
    return total;
  }

  /** The number of events of kind `kind` (all kinds when undefined) among the first `before`. */
  countKind(kind: string | undefined, before = this.n): number {
    if (kind === undefined) return Math.min(before, this.n);
    if (before >= this.n) return this.totals.kinds.get(kind) ?? 0;
    return this.countBelow(before, (c) => c.kinds.get(kind) ?? 0, (e) => e.kind === kind);
  }

  /** The number of events about environment `env` among the first `before`. */
  countEnv(env: number, before = this.n): number {
    if (before >= this.n) return this.totals.envs.get(env) ?? 0;
    return this.countBelow(before, (c) => c.envs.get(env) ?? 0, (e) => eventEnv(e) === env);
  }

  /** The number of events of each kind, over the whole history. */
  kindCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, n] of this.totals.kinds) if (n) out[k] = n;
    return out;
  }

  /** The number of events about each environment, over the whole history. */
  envCounts(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const [e, n] of this.totals.envs) if (n) out[e] = n;
    return out;
  }

  /** The number of events of each kind about each set of environments, over the whole history (for combined filters). */
  pairCounts(): PairCount[] {
    return this.totals.pairs.filter((p) => p.count).map((p) => ({ kind: p.kind, envs: p.envs, count: p.count }));
  }

  /** The index of the latest event of kind `kind` among the first `before`, or -1. */
  lastOfKind(kind: string, before = this.n): number {
    let i = Math.min(before, this.n) - 1;
    while (i >= 0) {
      const chunk = Math.floor(i / CHUNK);
      // A sealed chunk with none of the kind is passed over by its counts.
      if (chunk < this.sealed.length && i === chunk * CHUNK + CHUNK - 1 && !this.sealed[chunk].counts.kinds.get(kind)) { i -= CHUNK; continue; }
      if (this.at(i).kind === kind) return i;
      i--;
    }
    return -1;
  }

  /** The number of events whose cycle is below `cycle` (events come in cycle order). */
  countBefore(cycle: number): number {
    let lo = 0, hi = this.sealed.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (this.sealed[m].first < cycle) lo = m + 1; else hi = m; }
    // Chunks before lo start below `cycle`; the answer lies in chunk lo - 1 or at its end.
    let i = Math.max(0, lo - 1) * CHUNK;
    while (i < this.n && this.at(i).cycle < cycle) i++;
    return i;
  }

  /** Approximate bytes in memory: sealed bodies held, every chunk's counts, the open chunk at 200 bytes an event. */
  get bytes(): number {
    let b = this.inMemory + this.open.length * 200 + this.totals.bytes;
    for (const c of this.sealed) b += 48 + c.counts.bytes;
    return b;
  }

  /** Bytes of sealed bodies in the spill file. */
  get spilled(): number {
    return this.sealed.reduce((n, c) => n + (c.body ? 0 : c.spill?.length ?? 0), 0);
  }
}
