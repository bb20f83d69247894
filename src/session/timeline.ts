// A scenario's timeline in motion: which steps have fired, which are due,
// and the machine actions they carry out. Headless replay and the recorder
// (src/tui/record.ts) both use it; replay notes `key` and `pause` steps and
// goes on, the recorder hands them to the TUI.

import { EXC_NAMES } from '../emu/index.js';
import type { KernelEvent } from '../exokernel/index.js';
import { matchEvent } from './match.js';
import { formatLocation, type Action, type BreakpointSpec, type Located, type TimelineStep } from './scenario.js';
import type { Breakpoint, Session } from './session.js';

/** One line of the replay log: an event, a timeline step, a breakpoint hit. */
export type LogLine = { readonly kind: 'event'; readonly event: KernelEvent } | { readonly kind: 'note'; readonly cycle: number; readonly instret: number; readonly text: string };

interface StepState {
  readonly st: Located<TimelineStep>;
  fired: boolean;
  /** Matching events seen so far (event triggers). */
  seen: number;
}

/** The steps of one timeline and which of them have fired. */
export class Timeline {
  private readonly steps: StepState[];
  private due: StepState[] = [];

  /** A timeline over `s` with none of `steps` fired. */
  constructor(private readonly s: Session, steps: readonly Located<TimelineStep>[]) {
    this.steps = steps.map((st) => ({ st, fired: false, seen: 0 }));
  }

  /**
   * Counts event `e` against the event triggers; returns true when a step
   * became due (replay then pauses the session so that it fires at once).
   */
  observe(e: KernelEvent): boolean {
    let any = false;
    for (const x of this.steps) {
      if (x.fired || x.st.at.kind !== 'event' || !matchEvent(this.s, x.st.at.event, e)) continue;
      if (++x.seen === x.st.at.count) { x.fired = true; this.due.push(x); any = true; }
    }
    return any;
  }

  /**
   * The steps due now, marked fired: those whose event came (in the order
   * they came), then those whose cycle or instruction count has been
   * reached (in file order).
   */
  take(): Located<TimelineStep>[] {
    const k = this.s.kernel;
    for (const x of this.steps) {
      if (x.fired) continue;
      const at = x.st.at;
      if ((at.kind === 'cycle' && k.now() >= at.cycle) || (at.kind === 'instructions' && k.cpu.instret >= at.instructions)) { x.fired = true; this.due.push(x); }
    }
    const out = this.due.map((x) => x.st);
    this.due = [];
    return out;
  }

  /** The earliest cycle at which a cycle or instruction trigger may fire (Infinity when none is left). */
  nextTrigger(): number {
    const k = this.s.kernel;
    let t = Infinity;
    for (const { st, fired } of this.steps) {
      if (fired) continue;
      if (st.at.kind === 'cycle') t = Math.min(t, st.at.cycle);
      else if (st.at.kind === 'instructions') t = Math.min(t, k.now() + Math.max(1, st.at.instructions - k.cpu.instret));
    }
    return t;
  }

  /** The earliest cycle of a cycle trigger that has not fired (Infinity when none is left). */
  nextCycleTrigger(): number {
    let t = Infinity;
    for (const { st, fired } of this.steps) if (!fired && st.at.kind === 'cycle') t = Math.min(t, st.at.cycle);
    return t;
  }

  /** The steps that have not fired, in file order. */
  unfired(): Located<TimelineStep>[] {
    return this.steps.filter((x) => !x.fired).map((x) => x.st);
  }
}

/** Turns a scenario breakpoint into the session's, resolving symbols; undefined when a symbol is unknown. */
export function toBreakpoint(s: Session, b: BreakpointSpec): Breakpoint | undefined {
  if (b.kind !== 'symbol') return b.kind === 'exception' ? { kind: 'exception', code: b.code, env: b.env } : b;
  const addr = s.symbolAddress(b.symbol, b.env);
  return addr === undefined ? undefined : { kind: 'pc', addr, env: b.env };
}

/** Adds scenario breakpoint `b` to `s`; a failure (unknown symbol) goes to `failures`. */
export function addScenarioBreakpoint(s: Session, b: BreakpointSpec, source: { file: string; line: number; column: number }, failures: string[]): void {
  const bp = toBreakpoint(s, b);
  if (bp) s.addBreakpoint(bp);
  else failures.push(`breakpoint at ${formatLocation(source)}: no symbol ${b.kind === 'symbol' ? b.symbol : ''}${b.env ? ` in ${b.env}` : ''}`);
}

/**
 * Carries out one timeline step on the session and notes it in `out`.
 * `key` and `pause` are only noted: they are the TUI's and the recorder's
 * to carry out. A `breakpoint` with an unknown symbol goes to `failures`.
 */
export function fireStep(s: Session, st: Located<TimelineStep>, out: (l: LogLine) => void, failures: string[]): void {
  const a: Action = st.action;
  const note = (text: string) => out({ kind: 'note', cycle: s.kernel.now(), instret: s.kernel.cpu.instret, text: `${formatLocation(st.source)}: ${text}` });
  switch (a.kind) {
    case 'kill': note(`kill ${a.env}`); if (!s.kill(a.env)) note(`${a.env} is not alive`); break;
    case 'break': note(`break: ${a.reason}`); break;
    case 'key': note(`key ${JSON.stringify(a.keys)} (TUI only)`); break;
    case 'pause': note(`pause ${a.ms} ms (TUI only)`); break;
    case 'console': note(`console input to ${a.env}: ${JSON.stringify(a.text)}`); if (!s.consoleInput(a.env, a.text)) note(`${a.env} is not alive`); break;
    case 'revoke': note(`revoke ${a.count} ${a.what} from ${a.env} within ${a.window} cycles`); if (!s.revoke(a.env, a.what, a.count, a.window)) note(`${a.env} is not alive or has a revocation pending`); break;
    case 'inject': {
      const n = s.inject(a.packet, a.count, a.every);
      note(`inject ${a.count} frame(s) ${a.packet.kind === 'udp' ? `to ${a.packet.to} port ${a.packet.port}` : 'from hex'}${n ? '' : ': no peer on the wire'}`);
      break;
    }
    case 'breakpoint': addScenarioBreakpoint(s, a.breakpoint, st.source, failures); note(`breakpoint set: ${describeBreakpoint(a.breakpoint)}`); break;
  }
}

function describeBreakpoint(b: BreakpointSpec): string {
  const env = b.env ? ` in ${b.env}` : '';
  if (b.kind === 'pc') return `pc 0x${b.addr.toString(16).padStart(8, '0')}${env}`;
  if (b.kind === 'symbol') return `${b.symbol}${env}`;
  if (b.kind === 'exception') return `exception ${EXC_NAMES[b.code]}${env}`;
  return `event ${b.event}${env}`;
}
