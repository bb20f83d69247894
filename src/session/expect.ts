// A scenario's expectations, checked as the events stream by and at the end
// of the run. Each failure names where the expectation was written and why.

import { consoleDroppedNote, type KernelEvent } from '../exokernel/index.js';
import type { MonoEvent } from '../monolithic/index.js';
import { matchEvent } from './match.js';
import { describeMonoExpectation, monoFailure, monoSeen } from './mono-run.js';
import { MonoStation } from './mono-station.js';
import { machineOf } from './timeline.js';
import { formatLocation, type CountRange, type EventPattern, type Expectation, type Located, type TextMatch } from '../scenario/index.js';
import type { Session } from './session.js';

function describe(p: EventPattern): string {
  const fields = Object.entries(p.fields).map(([k, m]) => `${k} ${m.op === 'equals' || m.op === 'env' ? '=' : m.op} ${JSON.stringify(m.value)}`);
  return fields.length ? `${p.kind} (${fields.join(', ')})` : p.kind;
}

const inRange = (n: number, r: CountRange) => n >= r.min && (r.max === undefined || n <= r.max);
const rangeText = (r: CountRange) => (r.max === r.min ? `exactly ${r.min}` : r.max === undefined ? `at least ${r.min}` : `${r.min} to ${r.max}`);

function textOk(text: string, m: TextMatch): boolean {
  if (m.op === 'equals') return text === m.value;
  if (m.op === 'contains') return text.includes(m.value);
  return new RegExp(m.value).test(text);
}

/** An expectation's verdict so far: it may still come true (pending), it holds now, or it can no longer hold (failed). */
export type Verdict = 'pending' | 'holds' | 'failed';

/** One expectation as a front end shows it. */
export interface ExpectationView {
  /** What it expects, in words: "at least 10 packet-sent (env = web)". */
  readonly text: string;
  /** Where it was written: "scenarios/living.yaml:73". */
  readonly at: string;
  readonly verdict: Verdict;
  /** Why it is pending or failed (what was seen so far); absent when it holds. */
  readonly why?: string;
}

/** A scenario as a front end shows it: what it is, and its expectations' verdicts so far. */
export interface ScenarioView {
  readonly name: string;
  readonly description?: string;
  /** The cycle the run stops at (Infinity: it goes on). */
  readonly limit: number;
  readonly expectations: readonly ExpectationView[];
}

/** What an expectation expects, in words. */
export function describeExpectation(x: Expectation): string {
  switch (x.kind) {
    case 'event': return `${rangeText(x.count)} ${describe(x.event)}`;
    case 'no-event': return `no ${describe(x.event)}`;
    case 'order': return `in order: ${x.events.map(describe).join(', then ')}`;
    case 'invariant': return 'the invariant holds (no TLB or STLB entry maps a frame its environment has no capability for)';
    case 'env': {
      const parts = [x.state && `is ${x.state}`, x.console && `console ${x.console.op === 'matches' ? 'matches' : x.console.op === 'equals' ? 'equals' : 'contains'} ${JSON.stringify(x.console.value)}`, x.frames && `owns ${rangeText(x.frames)} frames`];
      return `${x.env} ${parts.filter(Boolean).join(', ')}`;
    }
    case 'mono': return `${x.machine ? `${x.machine}: ` : ''}${describeMonoExpectation(x.check)}`;
  }
}

/** The expectations' progress, as Expectations.save returns it. */
export interface ExpectationsState {
  readonly counts: readonly number[];
  readonly orderPos: readonly number[];
  readonly firstViolation: string | undefined;
}

/** Tracks every expectation of a scenario over one run. */
export class Expectations {
  private readonly counts: number[];
  private readonly orderPos: number[];
  private firstViolation: string | undefined;
  /** The event and no-event expectations by the event kind they count (an event of another kind never matches: matchEvent). */
  private readonly byKind = new Map<string, number[]>();
  /** The order expectations. */
  private readonly orders: number[] = [];

  constructor(private readonly s: Session, private readonly list: readonly Located<Expectation>[]) {
    this.counts = list.map(() => 0);
    this.orderPos = list.map(() => 0);
    list.forEach((x, i) => {
      if (x.kind === 'event' || x.kind === 'no-event') {
        const ids = this.byKind.get(x.event.kind);
        if (ids) ids.push(i); else this.byKind.set(x.event.kind, [i]);
      } else if (x.kind === 'order') this.orders.push(i);
    });
  }

  /** True when some expectation needs the invariant checked after every kernel entry. */
  get wantsInvariant(): boolean {
    return this.list.some((x) => x.kind === 'invariant');
  }

  /** The progress of every expectation (for checkpoints). */
  save(): ExpectationsState {
    return { counts: [...this.counts], orderPos: [...this.orderPos], firstViolation: this.firstViolation };
  }

  /** Restores what save() returned. */
  restore(s: ExpectationsState): void {
    this.counts.splice(0, this.counts.length, ...s.counts);
    this.orderPos.splice(0, this.orderPos.length, ...s.orderPos);
    this.firstViolation = s.firstViolation;
  }

  /** Feeds one event of machine `machine` (undefined: the first) to the expectations about that machine. */
  observe(e: KernelEvent, machine?: string): void {
    // Only the expectations that can match an event of this kind: a replay feeds every event here.
    const ids = this.byKind.get(e.kind);
    if (ids !== undefined) {
      for (let j = 0; j < ids.length; j++) {
        const i = ids[j];
        const x = this.list[i] as Located<Extract<Expectation, { kind: 'event' | 'no-event' }>>;
        if (machineOf(this.s, x.machine) === machine && matchEvent(this.s, x.event, e, machine)) this.counts[i]++;
      }
    }
    for (let j = 0; j < this.orders.length; j++) {
      const i = this.orders[j];
      const x = this.list[i] as Located<Extract<Expectation, { kind: 'order' }>>;
      // A finished order reads nothing past its end (V8 throws optimized code away at a read out of bounds).
      const pos = this.orderPos[i];
      if (pos >= x.events.length) continue;
      const next = x.events[pos];
      // The kind first: most events are not the kind the order waits for.
      if (next.kind === e.kind && machineOf(this.s, x.machine) === machine && matchEvent(this.s, next, e, machine)) this.orderPos[i]++;
    }
  }

  /** Feeds one event of the monolithic kernel on machine `machine` to the expectations about that machine. */
  observeMono(e: MonoEvent, machine: string): void {
    this.list.forEach((x, i) => {
      if (x.kind === 'mono' && x.machine === machine) this.counts[i] = monoSeen(x.check, this.counts[i], e);
    });
  }

  /** Feeds the invariant checker's verdict after a kernel entry. */
  invariant(violations: readonly string[]): void {
    if (violations.length && this.firstViolation === undefined) this.firstViolation = `at cycle ${this.s.kernel.now()}: ${violations[0]}`;
  }

  /** The failures, one sentence each, once the run is over. */
  finish(): string[] {
    const out: string[] = [];
    this.list.forEach((x, i) => {
      const why = this.failure(x, i);
      if (why) out.push(`expectation at ${formatLocation(x.source)} failed: ${why}`);
    });
    return out;
  }

  /**
   * Every expectation's verdict now, with the run still going: a count
   * below its minimum is pending, above its maximum failed; an order not
   * yet complete is pending; an environment's state, console or frames
   * not yet as expected is pending (it is checked for good at the end).
   */
  verdicts(): ExpectationView[] {
    return this.list.map((x, i) => {
      const base = { text: describeExpectation(x), at: formatLocation(x.source) };
      const why = this.failure(x, i);
      if (!why) return { ...base, verdict: 'holds' };
      const n = this.counts[i];
      const c = x.kind === 'mono' ? x.check : x;
      const failed = (c.kind === 'event' && c.count.max !== undefined && n > c.count.max) || c.kind === 'no-event' || c.kind === 'invariant';
      return { ...base, verdict: failed ? 'failed' : 'pending', why: c.kind === 'event' && !failed ? `${n} so far` : why };
    });
  }

  private failure(x: Located<Expectation>, i: number): string | undefined {
    switch (x.kind) {
      case 'event': return inRange(this.counts[i], x.count) ? undefined : `expected ${rangeText(x.count)} ${describe(x.event)} event(s), saw ${this.counts[i]}`;
      case 'no-event': return this.counts[i] === 0 ? undefined : `expected no ${describe(x.event)} event, saw ${this.counts[i]}`;
      case 'order': return this.orderPos[i] === x.events.length ? undefined : `events out of order: ${describe(x.events[this.orderPos[i]])} never came after ${this.orderPos[i] === 0 ? 'the start' : describe(x.events[this.orderPos[i] - 1])}`;
      case 'invariant': return this.firstViolation === undefined ? undefined : `the invariant broke ${this.firstViolation}`;
      case 'env': return this.envFailure(x);
      case 'mono': {
        const st = this.s.stations.find((m) => m.name === x.machine);
        return monoFailure(x.check, this.counts[i], st instanceof MonoStation ? st.console : '');
      }
    }
  }

  private envFailure(x: Extract<Expectation, { kind: 'env' }>): string | undefined {
    const m = this.s.machine(x.machine) ?? this.s;
    const k = m.kernel;
    const env = k.envs.get(m.envIds.get(x.env) ?? -1);
    if (!env) return `environment ${x.env} was never created`;
    if (x.state && env.state !== x.state) return `environment ${x.env} is ${env.state}${env.destroyReason ? ` (${env.destroyReason})` : ''}, expected ${x.state}`;
    if (x.console && !textOk(env.console, x.console)) return `console of ${x.env} does not ${x.console.op === 'matches' ? 'match' : x.console.op === 'equals' ? 'equal' : 'contain'} ${JSON.stringify(x.console.value)}; it ends with ${JSON.stringify(env.console.slice(-200))}${consoleDroppedNote(env.console)}`;
    if (x.frames) {
      const n = k.frames.ownedBy(env.id).length;
      if (!inRange(n, x.frames)) return `environment ${x.env} owns ${n} frames, expected ${rangeText(x.frames)}`;
    }
    return undefined;
  }
}
