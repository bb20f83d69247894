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
// event of theirs is asked for.
//
// The file is bounded too: it is a ring of `spillBytes` (1 GiB by
// default, about a hundred million events). A chunk that would pass its
// end is written at its start, over the oldest chunks, which are then
// forgotten: their events can no longer be read (`first` is the number of
// the first one still held), their counts stay in the totals. A session
// left running keeps the newest events, as the wire's capture keeps the
// newest frames (net/capture.ts); unbounded, a monitor running a chatty
// scenario at full speed wrote about 3 MB a second to the temporary
// directory until the disk was full. A disk that refuses a write (full,
// or no temporary directory) shrinks the ring to what was written, and if
// nothing can be written the oldest chunks are forgotten as they leave
// memory: the session runs on. Time travel cannot reach a point before
// `first` (the session drops those checkpoints: Session.applyHorizon).

import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelEvent } from '../exokernel/index.js';
import { decodeEvents, encodeEvents } from './history-codec.js';
import { ChunkCounts, Counts, eventEnv, type HistoryEvent, type PairCount } from './history-counts.js';

export { eventAbout, eventEnv, type HistoryEvent, type PairCount } from './history-counts.js';

const CHUNK = 4096;
/** Bytes of sealed chunk bodies kept in memory by default; older ones go to the spill file. */
const MEMORY_BYTES = 32 << 20;
/** Bytes of the spill file by default: past them the oldest chunks are forgotten. */
export const SPILL_BYTES = 1 << 30;

/** A sealed chunk: its first cycle, its counts, and its body (history-codec.ts) in memory or in the spill file. */
interface Sealed {
  readonly first: number;
  readonly counts: ChunkCounts;
  body: Buffer | undefined;
  spill: { readonly offset: number; readonly length: number } | undefined;
}

/** Options of a history. */
export interface HistoryOptions {
  /** Bytes of sealed chunk bodies kept in memory (default 32 MiB); older ones are written to a temporary file. */
  readonly memoryBytes?: number;
  /** Bytes of the temporary file (default SPILL_BYTES); past them the oldest chunks are forgotten. */
  readonly spillBytes?: number;
  /** Opens the spill file (default: tempSpillFile); tests give one whose disk fills up. */
  readonly openSpill?: () => SpillFile;
}

/** Where the history writes the chunks that leave memory: a file, written and read at byte offsets. */
export interface SpillFile {
  /** Writes all of `data` at `offset`; throws when it cannot (a full disk). */
  write(data: Uint8Array, offset: number): void;
  /** Reads `into.length` bytes at `offset`. */
  read(into: Uint8Array, offset: number): void;
  close(): void;
}

/** A new file in the temporary directory, deleted as soon as it is opened (so it vanishes with the process). */
export function tempSpillFile(): SpillFile {
  const path = join(tmpdir(), `exoscope-history-${process.pid}-${spillSerial++}.bin`);
  const fd = openSync(path, 'w+');
  unlinkSync(path);
  return fdSpillFile(fd);
}

/** A SpillFile over an open descriptor. */
export function fdSpillFile(fd: number): SpillFile {
  return {
    write: (data, offset) => {
      for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, offset + done);
    },
    // pread may return fewer bytes than asked (a signal, a file system's limit): read on until all are in.
    read: (into, offset) => {
      for (let done = 0; done < into.length;) {
        const n = readSync(fd, into, done, into.length - done, offset + done);
        if (n === 0) throw new Error(`the event history's spill file ends at byte ${offset + done}, inside a chunk written to bytes ${offset} to ${offset + into.length}`);
        done += n;
      }
    },
    close: () => closeSync(fd),
  };
}

/** The spill files, closed when their history is collected. */
const spills = new FinalizationRegistry<SpillFile>((f) => { try { f.close(); } catch { /* already closed */ } });
let spillSerial = 0;

/** Every event since boot, counted and searchable. */
export class History<E extends HistoryEvent = KernelEvent> {
  /** The sealed chunks held: sealed[j] is chunk `gone + j` (events from (gone + j) * CHUNK on). */
  private readonly sealed: Sealed[] = [];
  /** Chunks forgotten from the front (their bodies overwritten in the spill file, or never written). */
  private gone = 0;
  /** The counts of the forgotten chunks' events, together (countBelow). */
  private readonly goneCounts = new Counts();
  private open: E[] = [];
  private n = 0;
  /** The counts of every sealed chunk and of the open chunk's first `openCounted` events (see `totals`). */
  private readonly counts = new Counts();
  private openCounted = 0;
  private cache: { chunk: number; events: E[] } | undefined;
  private readonly cutters: ((n: number) => void)[] = [];
  private readonly memoryBytes: number;
  /** The spill file's size at most (a ring: see the file comment); a write the disk refused lowers it. */
  private spillBytes: number;
  private readonly openSpill: () => SpillFile;
  /** Bytes of bodies in memory; the first chunk (a chunk number) whose body is still in memory. */
  private inMemory = 0;
  private firstInMemory = 0;
  /** The spill file and where the next chunk goes in it. */
  private spill: { file: SpillFile; end: number } | undefined;
  /** Set once nothing could be written (or the file not opened): chunks leaving memory are then forgotten. */
  private spillBroken = false;

  constructor(opts: HistoryOptions = {}) {
    this.memoryBytes = opts.memoryBytes ?? MEMORY_BYTES;
    this.spillBytes = opts.spillBytes ?? SPILL_BYTES;
    this.openSpill = opts.openSpill ?? tempSpillFile;
  }

  /** Number of events since boot (those forgotten included: `first` of them). */
  get length(): number {
    return this.n;
  }

  /** The number of the first event still held: the events before it were forgotten (the spill file's bound), 0 when none was. */
  get first(): number {
    return this.gone * CHUNK;
  }

  /** Sealed chunk `c` (a chunk number; held: gone <= c < gone + sealed.length). */
  private chunk(c: number): Sealed {
    return this.sealed[c - this.gone];
  }

  /** The number of sealed chunks since boot, forgotten ones included. */
  private get chunks(): number {
    return this.gone + this.sealed.length;
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
    this.sealed.push({ first: this.open[0].cycle, counts: new ChunkCounts(counts), body, spill: undefined });
    this.inMemory += body.length;
    this.open = [];
    while (this.inMemory > this.memoryBytes && this.firstInMemory < this.chunks - 1) this.spillOne(this.firstInMemory++);
  }

  /**
   * Moves chunk `c`'s body (the oldest in memory) to the spill file, at the
   * ring's write position (see the file comment): the held chunks in the
   * file, oldest first, are those written before the last wrap (at or past
   * that position) and then those written since (before it). A chunk that
   * does not fit before the file's bound goes at its start, after the ones
   * past the position are forgotten; then every chunk it overwrites is
   * forgotten. Both are the oldest held, so what is held stays the newest.
   */
  private spillOne(c: number): void {
    const body = this.chunk(c).body;
    if (!body) return;
    const len = body.length;
    for (let tries = 0; tries < 2 && !this.spillBroken; tries++) {
      let at = this.spill?.end ?? 0;
      if (at > 0 && at + len > this.spillBytes) {
        while (this.gone < c && this.sealed[0].spill!.offset >= at) this.forgetOldest();
        at = 0;
      }
      while (this.gone < c && this.sealed[0].spill!.offset < at + len && this.sealed[0].spill!.offset + this.sealed[0].spill!.length > at) this.forgetOldest();
      try {
        if (!this.spill) {
          this.spill = { file: this.openSpill(), end: 0 };
          spills.register(this, this.spill.file);
        }
        this.spill.file.write(body, at);
      } catch {
        // The disk refused (full, say): the ring shrinks to what was written (the next try wraps to its
        // start); with nothing written there is no ring, and chunks are forgotten as they leave memory.
        if (at > 0 && this.spill) { this.spillBytes = at; continue; }
        this.spillBroken = true;
        break;
      }
      const s = this.chunk(c);
      s.spill = { offset: at, length: len };
      this.spill!.end = at + len;
      this.inMemory -= len;
      s.body = undefined;
      return;
    }
    // Not written: it and every older chunk held are forgotten (the held chunks stay the newest).
    while (this.gone <= c) this.forgetOldest();
  }

  /** Forgets the oldest held sealed chunk: its body goes, its counts join goneCounts (the totals keep them). */
  private forgetOldest(): void {
    const c = this.sealed.shift()!;
    if (c.body) this.inMemory -= c.body.length;
    this.goneCounts.merge(c.counts, 1);
    if (this.cache?.chunk === this.gone) this.cache = undefined;
    this.gone++;
    this.firstInMemory = Math.max(this.firstInMemory, this.gone);
  }

  /** Keeps the first `n` events only; throws RangeError when `n` is before `first` (those events were forgotten). */
  truncate(n: number): void {
    if (n >= this.n) return;
    if (n < this.first) throw new RangeError(`Cannot cut the event history back to event ${n}: the events before ${this.first} were forgotten`);
    const totals = this.totals;
    const chunk = Math.floor(n / CHUNK);
    if (chunk < this.chunks) {
      const events = this.decode(chunk);
      const dropped = this.sealed.slice(chunk - this.gone);
      for (const gone of dropped.slice(1)) totals.merge(gone.counts, -1);
      for (const e of this.open) totals.add(e, -1);
      for (const e of events.slice(n - chunk * CHUNK)) totals.add(e, -1);
      for (const gone of dropped) if (gone.body) this.inMemory -= gone.body.length;
      // The ring's write position goes back to where the oldest chunk dropped was written (the file comment).
      const spilled = dropped.find((c) => c.spill !== undefined);
      if (spilled && this.spill) this.spill.end = spilled.spill!.offset;
      this.open = events.slice(0, n - chunk * CHUNK);
      this.sealed.length = chunk - this.gone;
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
    const c = this.chunk(chunk);
    let body = c.body;
    if (!body) {
      body = Buffer.alloc(c.spill!.length);
      this.spill!.file.read(body, c.spill!.offset);
    }
    this.cache = { chunk, events: decodeEvents<E>(body) };
    return this.cache.events;
  }

  /** Event number `i` (0 is the first since boot); RangeError when there is none or it was forgotten (before `first`). */
  at(i: number): E {
    if (i < 0 || i >= this.n) throw new RangeError(`No event ${i}: the history holds ${this.n}`);
    if (i < this.first) throw new RangeError(`Event ${i} was forgotten: the history keeps events from ${this.first} on (its spill file is full)`);
    const chunk = Math.floor(i / CHUNK);
    return chunk < this.chunks ? this.decode(chunk)[i - chunk * CHUNK] : this.open[i - chunk * CHUNK];
  }

  /** Events `from` (inclusive) to `to` (exclusive) that are still held (from `first` on), oldest first. */
  slice(from: number, to = this.n): E[] {
    const out: E[] = [];
    for (let i = Math.max(this.first, from); i < Math.min(to, this.n); i++) out.push(this.at(i));
    return out;
  }

  /**
   * How many of the first `before` events `count` gives for a chunk's
   * counts, and `one` for a single event; RangeError when `before` is
   * inside the forgotten events (only their sum is known).
   */
  private countBelow(before: number, count: (c: Counts | ChunkCounts) => number, one: (e: E) => boolean): number {
    const end = Math.min(before, this.n);
    if (end < this.first) throw new RangeError(`Cannot count the events before ${end}: the events before ${this.first} were forgotten`);
    const whole = Math.floor(end / CHUNK);
    let total = this.gone > 0 ? count(this.goneCounts) : 0;
    for (let c = this.gone; c < Math.min(whole, this.chunks); c++) total += count(this.chunk(c).counts);
    for (let i = Math.max(whole * CHUNK, this.first); i < end; i++) if (one(this.at(i))) total++;
    return total;
  }

  /** The number of events of kind `kind` (all kinds when undefined) among the first `before`. */
  countKind(kind: string | undefined, before = this.n): number {
    if (kind === undefined) return Math.min(before, this.n);
    if (before >= this.n) return this.totals.kinds.get(kind) ?? 0;
    return this.countBelow(before, (c) => c.kindCount(kind), (e) => e.kind === kind);
  }

  /** The number of events about environment `env` among the first `before`. */
  countEnv(env: number, before = this.n): number {
    if (before >= this.n) return this.totals.envs.get(env) ?? 0;
    return this.countBelow(before, (c) => c.envCount(env), (e) => eventEnv(e) === env);
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

  /** The index of the latest event of kind `kind` among the first `before` still held (from `first` on), or -1. */
  lastOfKind(kind: string, before = this.n): number {
    let i = Math.min(before, this.n) - 1;
    while (i >= this.first) {
      const chunk = Math.floor(i / CHUNK);
      // A sealed chunk with none of the kind is passed over by its counts.
      if (chunk < this.chunks && i === chunk * CHUNK + CHUNK - 1 && this.chunk(chunk).counts.kindCount(kind) === 0) { i -= CHUNK; continue; }
      if (this.at(i).kind === kind) return i;
      i--;
    }
    return -1;
  }

  /**
   * The number of events whose cycle is below `cycle` (events come in cycle
   * order); at least `first`: the forgotten events are not looked at.
   */
  countBefore(cycle: number): number {
    let lo = 0, hi = this.sealed.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (this.sealed[m].first < cycle) lo = m + 1; else hi = m; }
    // Held chunks before lo start below `cycle`; the answer lies in held chunk lo - 1 or at its end.
    let i = (this.gone + Math.max(0, lo - 1)) * CHUNK;
    while (i < this.n && this.at(i).cycle < cycle) i++;
    return i;
  }

  /** Approximate bytes in memory: sealed bodies held, every chunk's counts, the open chunk at 200 bytes an event. */
  get bytes(): number {
    let b = this.inMemory + this.open.length * 200 + this.totals.bytes + this.goneCounts.bytes;
    for (const c of this.sealed) b += 48 + c.counts.bytes;
    return b;
  }

  /** Bytes of sealed bodies in the spill file (held chunks only: at most the file's bound). */
  get spilled(): number {
    return this.sealed.reduce((n, c) => n + (c.body ? 0 : c.spill?.length ?? 0), 0);
  }
}
