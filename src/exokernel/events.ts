// Kernel events: every kernel decision is one typed event with its cycle
// (issue 3, item 7). They go to a bounded ring buffer and to subscribers;
// with nobody subscribed, emitting costs one object and one array store.

/** Why a binding (tlb_map) was refused. */
export type RefusalReason = 'inval' | 'cap' | 'perm' | 'nospc';

/** Every event the kernel emits, by kind. */
export type KernelEvent =
  | { kind: 'env-created'; cycle: number; env: number; name: string; asid: number }
  | { kind: 'env-destroyed'; cycle: number; env: number; reason: string; frames: number }
  | { kind: 'env-create-failed'; cycle: number; name: string; reason: string }
  | { kind: 'asid-recycled'; cycle: number; asid: number; from: number; to: number }
  | { kind: 'dispatch'; cycle: number; env: number; exc: string; epc: number; badvaddr: number; handler: number }
  | { kind: 'stlb-hit'; cycle: number; env: number; vaddr: number }
  | { kind: 'stlb-miss'; cycle: number; env: number; vaddr: number }
  | { kind: 'guaranteed-hit'; cycle: number; env: number; vaddr: number }
  | { kind: 'binding-installed'; cycle: number; env: number; vaddr: number; frame: number; writable: boolean; guaranteed: boolean }
  | { kind: 'binding-refused'; cycle: number; env: number; vaddr: number; frame: number; reason: RefusalReason; detail: string }
  | { kind: 'binding-removed'; cycle: number; env: number; vaddr: number; frame: number; why: string }
  | { kind: 'stlb-evict'; cycle: number; env: number; vaddr: number; by: number }
  | { kind: 'frame-alloc'; cycle: number; env: number; frame: number }
  | { kind: 'frame-free'; cycle: number; env: number; frame: number }
  | { kind: 'frame-grant'; cycle: number; env: number; frame: number; rights: number }
  | { kind: 'frame-rekey'; cycle: number; env: number; frame: number }
  | { kind: 'syscall'; cycle: number; env: number; call: string; result: number }
  | { kind: 'context-switch'; cycle: number; from: number; to: number }
  | { kind: 'console'; cycle: number; env: number; text: string }
  | { kind: 'idle'; cycle: number }
  | { kind: 'slice-start'; cycle: number; env: number; slot: number; cycles: number; upcall: boolean }
  | { kind: 'slice-end'; cycle: number; env: number; slot: number; why: string }
  | { kind: 'slice-skipped'; cycle: number; env: number; slot: number; penalty: number }
  | { kind: 'slice-alloc'; cycle: number; env: number; slot: number }
  | { kind: 'slice-free'; cycle: number; env: number; slot: number }
  | { kind: 'epilogue'; cycle: number; env: number; grace: number }
  | { kind: 'overrun'; cycle: number; env: number; count: number; penalty: number }
  | { kind: 'yield'; cycle: number; env: number; to: number }
  | { kind: 'pct'; cycle: number; env: number; to: number; call: string }
  | { kind: 'upcall'; cycle: number; env: number; upcall: string; a0: number; a1: number }
  | { kind: 'revoke-request'; cycle: number; env: number; what: string; count: number; deadline: number }
  | { kind: 'revoke-honoured'; cycle: number; env: number; what: string; count: number }
  | { kind: 'abort'; cycle: number; env: number; what: string; taken: number }
  | { kind: 'packet-received'; cycle: number; len: number }
  | { kind: 'packet-delivered'; cycle: number; env: number; filter: number; ring: number; len: number }
  | { kind: 'packet-dropped'; cycle: number; env: number; len: number; why: string }
  | { kind: 'packet-sent'; cycle: number; env: number; len: number }
  | { kind: 'filter-inserted'; cycle: number; env: number; filter: number; atoms: number; ring: number; ash: boolean }
  | { kind: 'filter-refused'; cycle: number; env: number; why: string }
  | { kind: 'filter-removed'; cycle: number; env: number; filter: number }
  | { kind: 'ash'; cycle: number; env: number; filter: number; consumed: boolean; instructions: number }
  | { kind: 'ash-abort'; cycle: number; env: number; filter: number; why: string; instructions: number };

/** The kinds, for filters and schemas. */
export type KernelEventKind = KernelEvent['kind'];

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
