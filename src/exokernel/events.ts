// Kernel events: every kernel decision is one typed event with its cycle
// (docs/architecture.md, "Events"); the kinds are the catalogue in
// event-table.ts. They go to a bounded ring buffer and to subscribers;
// with nobody subscribed, emitting costs one object and one array store.
// Subscribers sit in an array that emit walks by index: no iterator per event.

import type { KernelEvent } from './event-table.js';

export type { KernelEvent, KernelEventKind, RefusalReason } from './event-table.js';

/** A bounded ring buffer of events with subscribers. */
export class EventLog {
  private readonly ring: (KernelEvent | undefined)[];
  private next = 0;
  /** Events emitted since boot (also those the ring has dropped). */
  total = 0;
  /** Events the ring holds (after a rewind, maybe fewer than total and capacity). */
  private held = 0;
  /** The subscribers, in the order they subscribed (an array: emit walks it without an iterator). */
  private subscribers: readonly ((e: KernelEvent) => void)[] = [];

  /** A log keeping the last `capacity` events (at least 1). */
  constructor(readonly capacity = 65536) {
    this.ring = new Array(Math.max(1, capacity));
  }

  /** Records an event and hands it to every subscriber. */
  emit(e: KernelEvent): void {
    this.ring[this.next] = e;
    this.next = (this.next + 1) % this.ring.length;
    this.total++;
    if (this.held < this.ring.length) this.held++;
    const subs = this.subscribers;
    for (let i = 0; i < subs.length; i++) subs[i](e);
  }

  /**
   * Goes back in time (the debugger's time travel): `total` events since
   * boot, of which `recent` are the last. Subscribers are not told.
   */
  rewind(total: number, recent: readonly KernelEvent[]): void {
    this.ring.fill(undefined);
    this.next = 0;
    const keep = recent.slice(-this.ring.length);
    for (const e of keep) { this.ring[this.next] = e; this.next = (this.next + 1) % this.ring.length; }
    this.total = total;
    this.held = keep.length;
  }

  /** Calls `fn` with every later event; returns the unsubscribe function. */
  subscribe(fn: (e: KernelEvent) => void): () => void {
    // Copied on change: an emit calls those subscribed when it began.
    if (!this.subscribers.includes(fn)) this.subscribers = [...this.subscribers, fn];
    return () => { this.subscribers = this.subscribers.filter((s) => s !== fn); };
  }

  /** The last `n` events still in the ring, oldest first. */
  recent(n = this.ring.length): KernelEvent[] {
    const out: KernelEvent[] = [];
    const len = this.ring.length;
    const count = Math.min(n, this.held, len);
    for (let i = count; i > 0; i--) out.push(this.ring[(this.next - i + len) % len]!);
    return out;
  }
}

/** One event as a JSON line (keys in emission order, so the text is deterministic). */
export function eventJson(e: KernelEvent): string {
  return JSON.stringify(e);
}
