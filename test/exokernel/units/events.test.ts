// The kernel's event log on its own (src/exokernel/events.ts): a bounded
// ring of the last events and the subscribers every emit calls, in the
// order they subscribed.

import { describe, expect, it } from 'vitest';
import { EventLog, type KernelEvent } from '../../../src/exokernel/events.js';

const ev = (cycle: number): KernelEvent => ({ kind: 'slice-alloc', cycle, env: 1, slot: 0 });

describe('EventLog', () => {
  it('calls its subscribers in the order they subscribed, and no more once unsubscribed', () => {
    const log = new EventLog(4);
    const seen: string[] = [];
    const offA = log.subscribe((e) => seen.push(`a${e.cycle}`));
    const offB = log.subscribe((e) => seen.push(`b${e.cycle}`));
    log.emit(ev(1));
    offA();
    log.emit(ev(2));
    offB();
    log.emit(ev(3));
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(log.total).toBe(3);
    expect(log.recent().map((e) => e.cycle)).toEqual([1, 2, 3]);
  });

  it('a subscriber added or removed during an emit changes the later emits only', () => {
    const log = new EventLog(4);
    const seen: string[] = [];
    let offLate: (() => void) | undefined;
    const offC = log.subscribe((e) => seen.push(`c${e.cycle}`));
    log.subscribe((e) => {
      seen.push(`a${e.cycle}`);
      if (e.cycle === 1) offLate = log.subscribe((x) => seen.push(`late${x.cycle}`));
      if (e.cycle === 2) { offC(); offLate!(); }
    });
    log.emit(ev(1));
    log.emit(ev(2));
    log.emit(ev(3));
    expect(seen).toEqual(['c1', 'a1', 'c2', 'a2', 'late2', 'a3']);
  });

  it('keeps the last `capacity` events', () => {
    const log = new EventLog(2);
    for (let c = 1; c <= 5; c++) log.emit(ev(c));
    expect(log.recent().map((e) => e.cycle)).toEqual([4, 5]);
    expect(log.recent(1).map((e) => e.cycle)).toEqual([5]);
  });
});
