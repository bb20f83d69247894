// The sliced work a LiveDebugger (debugger.ts) hands its run loop
// (run-loop.ts): a run through the scenario's timeline, a long step, a time
// travel's replay, a reverse search. Each is a function called again and
// again until it returns a stop; what it is doing goes to the status line.

import { travelled } from './command.js';
import type { Work } from './run-loop.js';
import type { Session, Stop } from './session.js';
import type { Reverse, Search } from './travel.js';

/** What the work needs of its debugger. */
export interface WorkHost {
  readonly session: Session;
  /** Cycles the run's pace allows now (RunLoop.allowance). */
  allowance(): number;
  /** Carries out the timeline's front-end steps that fired. */
  takeHeld(): void;
  /** Says on the status line, from the next frame, what the work is doing. */
  progress(detail: string): void;
}

/**
 * A run until a breakpoint, idle or the end of the scenario: `chunk`
 * cycles a call at most, as many as the pace allows. Through idle gaps
 * time passes to the timeline's next step, as in headless replay, up to
 * `limit` (the scenario's run limit).
 */
export function runWork(h: WorkHost, chunk: number, limit: number): Work {
  let continuing = false;
  return () => {
    const s = h.session.run(Math.max(1, Math.min(chunk, h.allowance())), continuing);
    continuing = true;
    // Steps can fire in a run that stopped for another reason (the
    // event a breakpoint stops at may trigger them too): they happen all
    // the same, on the stopped machine.
    h.takeHeld();
    if (s.reason === 'timeline') return undefined;
    if (s.reason === 'end') return { ...s, reason: 'paused' };
    if (s.reason === 'idle' && h.session.idleGap(Math.min(h.session.kernel.now() + h.allowance(), limit))) return undefined;
    return s.reason === 'budget' ? undefined : s;
  };
}

/** `n` instructions stepped, `slice` a call. */
export function stepWork(h: WorkHost, n: number, slice: number): Work {
  let left = n;
  return () => {
    const before = h.session.lastStop.instret;
    const s = h.session.step(Math.min(left, slice));
    h.takeHeld();
    left -= s.instret - before;
    if (s.reason !== 'step') return s;
    return left <= 0 ? { ...s, detail: `stepped ${n}` } : undefined;
  };
}

/** A travel's replay (Session.travel), `slice` cycles a call, its progress (`said` of the percentage done) on the status line. */
export function replayWork(h: WorkHost, job: { advance(cycles: number): Pick<Stop, 'reason' | 'detail'> | undefined; fraction(): number }, slice: number, said: (pct: number) => string): Work {
  return () => {
    const stop = job.advance(slice);
    if (!stop) h.progress(said(Math.floor(100 * job.fraction())));
    return stop;
  };
}

/** The rest of a reverse search (travel.ts) that `what` names; where it searches on the status line. */
export function searchWork(h: Pick<WorkHost, 'progress'>, work: Search<Reverse>, cannot: string, what: string): Work {
  return () => {
    const n = work.next();
    if (!n.done) { h.progress(`${what}: ${n.value}`); return undefined; }
    const o = travelled(n.value, cannot);
    return { reason: o.ok ? 'step' : 'paused', detail: o.text };
  };
}
