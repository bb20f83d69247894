// Kernel events: every kernel decision is one typed event with its cycle
// (docs/architecture.md, "Events"); the kinds are the catalogue in
// event-table.ts. They go to a bounded ring buffer and to subscribers;
// with nobody subscribed, emitting costs one object and one array store.

import type { KernelEvent } from './event-table.js';

export type { KernelEvent, KernelEventKind, RefusalReason } from './event-table.js';

/** A bounded ring buffer of events with subscribers. */
export class EventLog {
  private readonly ring: (KernelEvent | undefined)[];
  private next = 0;
  /** Events emitted since boot (also those the ring has dropped). */
  total = 0;
  private readonly subscribers = new Set<(e: KernelEvent) => void>();

  /** A log keeping the last `capacity` events (at least 1). */
  constructor(readonly capacity = 65536) {
    this.ring = new Array(Math.max(1, capacity));
  }

  /** Records an event and hands it to every subscriber. */
  emit(e: KernelEvent): void {
    this.ring[this.next] = e;
    this.next = (this.next + 1) % this.ring.length;
    this.total++;
    if (this.subscribers.size !== 0) for (const s of this.subscribers) s(e);
  }

  /** Calls `fn` with every later event; returns the unsubscribe function. */
  subscribe(fn: (e: KernelEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** The last `n` events still in the ring, oldest first. */
  recent(n = this.ring.length): KernelEvent[] {
    const out: KernelEvent[] = [];
    const len = this.ring.length;
    const count = Math.min(n, this.total, len);
    for (let i = count; i > 0; i--) out.push(this.ring[(this.next - i + len) % len]!);
    return out;
  }
}

/** One event as a JSON line (keys in emission order, so the text is deterministic). */
export function eventJson(e: KernelEvent): string {
  return JSON.stringify(e);
}
