// The log pane's window over the whole history (docs/architecture.md, "The
// session"): the events that pass a filter, by rank, however many there
// are. The front end asks for the rows it shows; nothing copies the
// history into a snapshot.
//
// A filter is a predicate with a key (its text). The indexes of the events
// that pass the current filter are kept in a growing Uint32 list, scanned
// on from where the last scan stopped as the history grows, and cut back
// when time travel truncates the history. Without a filter every event
// passes and rank is index. Ranks count from the first event the history
// still holds: past its spill file's bound it forgets the oldest
// (history.ts `first`), and the indexes of those are dropped here too.

import type { KernelEvent } from '../exokernel/index.js';
import type { History } from './history.js';

/** One event of a log window, with its index in the history (0 is the first since boot). */
export interface LogEntry {
  readonly index: number;
  readonly event: KernelEvent;
}

/** The events that pass a filter, over the whole history (the events it still holds). */
export interface LogSource {
  /** How many events of the whole history (those it still holds) pass the filter. */
  readonly matched: number;
  /** How many passing events come before history index `i` (the rank of event `i` when it passes). */
  rank(i: number): number;
  /** The passing events of ranks `from` (inclusive) to `to` (exclusive), oldest first. */
  range(from: number, to: number): readonly LogEntry[];
}

/** Ranks over the whole history, for one filter at a time (the pane's current one). */
export class HistoryLog {
  private current: { readonly key: string; match: (e: KernelEvent) => boolean; hits: Uint32Array; n: number; scanned: number } | undefined;

  /** Watches `history` for truncation (time travel), cutting the filtered indexes back with it. */
  constructor(private readonly history: History) {
    history.onTruncate((n) => {
      const c = this.current;
      if (!c) return;
      while (c.n > 0 && c.hits[c.n - 1] >= n) c.n--;
      c.scanned = Math.min(c.scanned, n);
    });
  }

  /**
   * The events passing `match` (every event when undefined), scanned up to
   * the history's end. `key` names the filter: the same key reuses what was
   * scanned; a new one scans the whole history again (one pass).
   */
  source(key: string, match: ((e: KernelEvent) => boolean) | undefined): LogSource {
    const h = this.history, first = h.first;
    if (!match) {
      const n = h.length - first;
      return { matched: n, rank: (i) => Math.max(0, Math.min(i - first, n)), range: (from, to) => entries(h, from, Math.min(to, n), (r) => first + r) };
    }
    if (this.current?.key !== key) this.current = { key, match, hits: new Uint32Array(1024), n: 0, scanned: 0 };
    const c = this.current;
    // Events scanned from now on are judged by the newest predicate (it may know environments created since).
    c.match = match;
    // The indexes of events the history has forgotten since go.
    if (c.n > 0 && c.hits[0] < first) {
      let lo = 0, hi = c.n;
      while (lo < hi) { const m = (lo + hi) >>> 1; if (c.hits[m] < first) lo = m + 1; else hi = m; }
      c.hits.copyWithin(0, lo, c.n);
      c.n -= lo;
    }
    for (let i = Math.max(c.scanned, first); i < h.length; i++) {
      if (!c.match(h.at(i))) continue;
      if (c.n === c.hits.length) { const d = new Uint32Array(c.hits.length * 2); d.set(c.hits); c.hits = d; }
      c.hits[c.n++] = i;
    }
    c.scanned = h.length;
    const hits = c.hits, n = c.n;
    return {
      matched: n,
      rank: (i) => { let lo = 0, hi = n; while (lo < hi) { const m = (lo + hi) >>> 1; if (hits[m] < i) lo = m + 1; else hi = m; } return lo; },
      range: (from, to) => entries(h, from, Math.min(n, to), (r) => hits[r]),
    };
  }
}

/** The entries of ranks from..to-1 (`to` at most the source's `matched`), `index` giving each rank's history index. */
function entries(h: History, from: number, to: number, index: (rank: number) => number): LogEntry[] {
  const out: LogEntry[] = [];
  for (let r = Math.max(0, from); r < to; r++) {
    const i = index(r);
    out.push({ index: i, event: h.at(i) });
  }
  return out;
}
