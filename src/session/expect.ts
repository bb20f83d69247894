// A scenario's expectations, checked as the events stream by and at the end
// of the run. Each failure names where the expectation was written and why.

import type { KernelEvent } from '../exokernel/index.js';
import { matchEvent } from './match.js';
import { machineOf } from './timeline.js';
import { formatLocation, type CountRange, type EventPattern, type Expectation, type Located, type TextMatch } from './scenario.js';
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

  constructor(private readonly s: Session, private readonly list: readonly Located<Expectation>[]) {
    this.counts = list.map(() => 0);
    this.orderPos = list.map(() => 0);
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
    this.list.forEach((x, i) => {
      if (machineOf(this.s, x.machine) !== machine) return;
      if (x.kind === 'event' || x.kind === 'no-event') { if (matchEvent(this.s, x.event, e, machine)) this.counts[i]++; }
      else if (x.kind === 'order' && this.orderPos[i] < x.events.length && matchEvent(this.s, x.events[this.orderPos[i]], e, machine)) this.orderPos[i]++;
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

  private failure(x: Located<Expectation>, i: number): string | undefined {
    switch (x.kind) {
      case 'event': return inRange(this.counts[i], x.count) ? undefined : `expected ${rangeText(x.count)} ${describe(x.event)} event(s), saw ${this.counts[i]}`;
      case 'no-event': return this.counts[i] === 0 ? undefined : `expected no ${describe(x.event)} event, saw ${this.counts[i]}`;
      case 'order': return this.orderPos[i] === x.events.length ? undefined : `events out of order: ${describe(x.events[this.orderPos[i]])} never came after ${this.orderPos[i] === 0 ? 'the start' : describe(x.events[this.orderPos[i] - 1])}`;
      case 'invariant': return this.firstViolation === undefined ? undefined : `the invariant broke ${this.firstViolation}`;
      case 'env': return this.envFailure(x);
    }
  }

  private envFailure(x: Extract<Expectation, { kind: 'env' }>): string | undefined {
    const m = this.s.machine(x.machine) ?? this.s;
    const k = m.kernel;
    const env = k.envs.get(m.envIds.get(x.env) ?? -1);
    if (!env) return `environment ${x.env} was never created`;
    if (x.state && env.state !== x.state) return `environment ${x.env} is ${env.state}${env.destroyReason ? ` (${env.destroyReason})` : ''}, expected ${x.state}`;
    if (x.console && !textOk(env.console, x.console)) return `console of ${x.env} does not ${x.console.op === 'matches' ? 'match' : x.console.op === 'equals' ? 'equal' : 'contain'} ${JSON.stringify(x.console.value)}; it ends with ${JSON.stringify(env.console.slice(-200))}`;
    if (x.frames) {
      const n = k.frames.ownedBy(env.id).length;
      if (!inRange(n, x.frames)) return `environment ${x.env} owns ${n} frames, expected ${rangeText(x.frames)}`;
    }
    return undefined;
  }
}
