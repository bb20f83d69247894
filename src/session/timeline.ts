// A scenario's timeline in motion: which steps have fired, which are due,
// and the commands they carry out. ScenarioRun (scenario-run.ts) owns one.

import type { KernelEvent } from '../exokernel/index.js';
import { describeBreakpoint, type Breakpoint } from '../scenario/index.js';
import { execute, type Command } from './command.js';
import { matchEvent } from './match.js';
import type { MonoEvent } from '../monolithic/index.js';
import { formatLocation, type Action, type Located, type SourceLocation, type TimelineStep } from '../scenario/index.js';
import type { Session } from './session.js';

/**
 * One line of the replay log: an event, a timeline step, a breakpoint hit.
 * With several machines, an event names the machine it happened on.
 */
export type LogLine =
  | { readonly kind: 'event'; readonly event: KernelEvent; readonly machine?: string }
  | { readonly kind: 'note'; readonly cycle: number; readonly instret: number; readonly text: string }
  /** An event of the monolithic kernel (MONO_EVENTS): of a `kernel: monolithic` scenario, or of the machine `machine` of several. */
  | { readonly kind: 'mono'; readonly event: MonoEvent; readonly machine?: string };

/** The machine a step or expectation is about: undefined for the first (named or not). */
export function machineOf(s: Session, machine: string | undefined): string | undefined {
  return machine === s.machineName ? undefined : machine;
}

/** Whether a step will never fire again: it fired and does not repeat. */
const done = (x: StepState): boolean => x.fired && x.st.every === undefined;

/** A timeline's progress, as Timeline.save returns it. */
export interface TimelineState {
  readonly fired: readonly boolean[];
  /** The cycle each step with a cycle trigger is due at next (a repeating one's moves on). */
  readonly next: readonly number[];
  readonly seen: readonly number[];
  readonly due: readonly number[];
}

interface StepState {
  readonly st: Located<TimelineStep>;
  /** It has fired (at least once, for a repeating step). */
  fired: boolean;
  /** The cycle it is due at next (cycle triggers; Infinity for others). */
  next: number;
  /** Matching events seen so far (event triggers). */
  seen: number;
}

/** The steps of one timeline and which of them have fired. */
export class Timeline {
  private readonly steps: StepState[];
  private due: StepState[] = [];

  /** A timeline over `s` with none of `steps` fired. */
  constructor(private readonly s: Session, steps: readonly Located<TimelineStep>[]) {
    this.steps = steps.map((st) => ({ st, fired: false, next: st.at.kind === 'cycle' ? st.at.cycle : Infinity, seen: 0 }));
  }

  /**
   * Counts event `e` of machine `machine` (undefined: the first) against
   * the event triggers of steps about that machine; returns true when a
   * step became due (replay then pauses the session so that it fires at once).
   */
  observe(e: KernelEvent, machine?: string): boolean {
    let any = false;
    for (let i = 0; i < this.steps.length; i++) {
      const x = this.steps[i];
      const at = x.st.at;
      // The kind first: most events are of no step's kind (every event of a run comes here).
      if (x.fired || at.kind !== 'event' || at.event.kind !== e.kind || machineOf(this.s, x.st.machine) !== machine || !matchEvent(this.s, at.event, e, machine)) continue;
      if (++x.seen === at.count) { x.fired = true; this.due.push(x); any = true; }
    }
    return any;
  }

  /**
   * The steps due now, marked fired: those whose event came (in the order
   * they came), then those whose cycle or instruction count has been
   * reached (in file order). A repeating step (`every`) is due again
   * `every` cycles on, once however far the clock has gone past it.
   */
  take(): Located<TimelineStep>[] {
    const k = this.s.kernel;
    for (const x of this.steps) {
      if (done(x)) continue;
      const at = x.st.at;
      if ((at.kind === 'cycle' && k.now() >= x.next) || (at.kind === 'instructions' && this.instret(x.st) >= at.instructions)) {
        x.fired = true;
        this.due.push(x);
        const every = x.st.every;
        if (every !== undefined) x.next += Math.max(1, Math.ceil((k.now() + 1 - x.next) / every)) * every;
      }
    }
    const out = this.due.map((x) => x.st);
    this.due = [];
    return out;
  }

  /** Instructions executed so far on the machine step `st` is about. */
  private instret(st: TimelineStep): number {
    return (this.s.machine(st.machine)?.kernel ?? this.s.kernel).cpu.instret;
  }

  /** Which steps have fired, how many matching events each has seen, and which are due (for checkpoints). */
  save(): TimelineState {
    return { fired: this.steps.map((x) => x.fired), next: this.steps.map((x) => x.next), seen: this.steps.map((x) => x.seen), due: this.due.map((x) => this.steps.indexOf(x)) };
  }

  /** Restores what save() returned. */
  restore(t: TimelineState): void {
    this.steps.forEach((x, i) => { x.fired = t.fired[i]; x.next = t.next[i]; x.seen = t.seen[i]; });
    this.due = t.due.map((i) => this.steps[i]);
  }

  /** The earliest cycle at which a cycle or instruction trigger may fire (Infinity when none is left). */
  nextTrigger(): number {
    const k = this.s.kernel;
    let t = Infinity;
    for (const x of this.steps) {
      const st = x.st;
      if (done(x)) continue;
      if (st.at.kind === 'cycle') t = Math.min(t, x.next);
      else if (st.at.kind === 'instructions') t = Math.min(t, k.now() + Math.max(1, st.at.instructions - this.instret(st)));
    }
    return t;
  }

  /** The earliest cycle of a cycle trigger that has not fired (Infinity when none is left). */
  nextCycleTrigger(): number {
    let t = Infinity;
    for (const x of this.steps) if (!done(x) && x.st.at.kind === 'cycle') t = Math.min(t, x.next);
    return t;
  }

  /** The steps that have not fired, in file order. */
  unfired(): Located<TimelineStep>[] {
    return this.steps.filter((x) => !x.fired).map((x) => x.st);
  }
}

/**
 * The command a timeline action carries out, or undefined for the steps
 * that are the front end's (`break`, `key`, `pause`).
 */
export function actionCommand(a: Action): Command | undefined {
  switch (a.kind) {
    case 'kill': return { kind: 'kill', env: a.env };
    case 'console': return { kind: 'console', env: a.env, text: a.text };
    case 'revoke': return { kind: 'revoke', env: a.env, what: a.what, count: a.count, window: a.window };
    case 'inject': return { kind: 'inject', packet: a.packet, count: a.count, every: a.every };
    case 'breakpoint': return { kind: 'break', breakpoint: a.breakpoint };
    default: return undefined;
  }
}

/**
 * What the log notes for action `a` before it is carried out, and what it
 * notes when the command fails (undefined: the command's own message).
 */
function actionNote(a: Action): { before: string; failed?: string } {
  switch (a.kind) {
    case 'kill': return { before: `kill ${a.env}`, failed: `${a.env} is not alive` };
    case 'break': return { before: `break: ${a.reason}` };
    case 'key': return { before: `key ${JSON.stringify(a.keys)} (TUI only)` };
    case 'pause': return { before: `pause ${a.ms} ms (TUI only)` };
    case 'console': return { before: `console input to ${a.env}: ${JSON.stringify(a.text)}`, failed: `${a.env} is not alive` };
    case 'revoke': return { before: `revoke ${a.count} ${a.what} from ${a.env} within ${a.window} cycles`, failed: `${a.env} is not alive or has a revocation pending` };
    case 'inject': return { before: `inject ${a.count} frame(s) ${a.packet.kind === 'udp' ? `to ${a.packet.to} port ${a.packet.port}` : 'from hex'}` };
    case 'breakpoint': return { before: '' };
  }
}

/**
 * Carries out one timeline step on the session through execute() and
 * notes it in `out`. `break`, `key` and `pause` are only noted: they are
 * the front end's to carry out. A `breakpoint` that cannot be set (an
 * unknown symbol) goes to `failures`.
 */
export function fireStep(s: Session, st: Located<TimelineStep>, out: (l: LogLine) => void, failures: string[]): void {
  const a: Action = st.action;
  const note = (text: string) => out({ kind: 'note', cycle: s.kernel.now(), instret: s.kernel.cpu.instret, text: `${formatLocation(st.source)}: ${text}` });
  const { before, failed } = actionNote(a);
  const c = actionCommand(a);
  if (a.kind === 'breakpoint') {
    const r = execute(s, c!);
    if (!r.ok) failures.push(breakpointFailure(a.breakpoint, st.source));
    note(`breakpoint set: ${describeBreakpoint(a.breakpoint)}`);
    return;
  }
  if (a.kind === 'inject') {
    const r = execute(s, c!);
    note(`${before}${r.ok ? '' : ': no peer on the wire'}`);
    return;
  }
  note(before);
  if (c && !execute(s, c).ok && failed) note(failed);
}

/** The failure of scenario breakpoint `b` whose symbol is unknown. */
export function breakpointFailure(b: Breakpoint, source: SourceLocation): string {
  return `breakpoint at ${formatLocation(source)}: no symbol ${b.kind === 'symbol' || b.kind === 'symbolWatch' ? b.symbol : ''}${b.env ? ` in ${b.env}` : ''}`;
}
