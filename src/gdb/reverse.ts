// Reverse execution for GDB's `bs` and `bc` packets (GDB manual, E.2
// "Packets": bs, bc; E.3 "Stop Reply Packets": replaylog), built on the
// session's time travel (Session.travel): stepBack(n) restores the
// nearest checkpoint and replays forward to n instructions ago.
// Reverse-continue looks for the last breakpoint hit before now in windows
// of growing size, scanning each window forward with the breakpoints armed.

import type { Session, Stop } from '../session/index.js';
import { IDLE_TID, Signal, type StopInfo } from './target.js';

/** The first window scanned backwards, in instructions; it doubles each time. */
const FIRST_WINDOW = 1_000_000;

function tidOf(s: Session): number {
  return s.kernel.current?.id ?? IDLE_TID;
}

/**
 * The stop at the start of history (replaylog). There, at boot, no
 * environment is on the CPU yet: the stop names the first environment, the
 * thread gdb was most likely in, rather than the idle thread.
 */
function atBeginning(s: Session): StopInfo {
  const first = s.kernel.current?.id ?? Math.min(...s.kernel.envs.keys());
  return { tid: Number.isFinite(first) ? first : IDLE_TID, signal: Signal.TRAP, reason: { kind: 'replaylog' } };
}

/** Moves the session to instruction count `target` (at or after history's start, before now). */
function goTo(s: Session, target: number): boolean {
  const now = s.kernel.cpu.instret;
  return target === now || s.stepBack(now - target) !== undefined;
}

/**
 * Steps the machine back one instruction, whichever environment executed
 * it (the stop names the thread on the CPU there); at the start of
 * history, stays and says so (replaylog).
 */
export function reverseStep(s: Session): StopInfo {
  const stop = s.stepBack(1);
  return stop ? { tid: tidOf(s), signal: Signal.TRAP } : atBeginning(s);
}

/** How the forward scans run the session: Session.run, or the target's wrapper of it. */
export type RunSession = (budget: number, continuing: boolean) => Stop;

/**
 * Runs backwards to the most recent breakpoint hit before now (any of the
 * session's breakpoints), or to the start of history (replaylog). A
 * generator: it yields between chunks of the forward scans (run by `run`),
 * and gives up (SIGINT, at the place it had reached) when `interrupted()`
 * says so.
 */
export function* reverseContinue(s: Session, run: RunSession, interrupted: () => boolean, chunk: number): Generator<undefined, StopInfo> {
  const first = s.historyStart();
  const now = s.kernel.cpu.instret;
  if (first < 0 || first >= now) return atBeginning(s);
  let hi = now, window = FIRST_WINDOW;
  for (;;) {
    const start = Math.max(first, hi - window);
    if (!goTo(s, start)) return atBeginning(s);
    const hits = yield* scan(s, run, hi, interrupted, chunk);
    if (hits === undefined) return { tid: tidOf(s), signal: Signal.INT };
    if (hits.length) {
      goTo(s, hits[hits.length - 1]);
      return { tid: tidOf(s), signal: Signal.TRAP, reason: { kind: 'swbreak' } };
    }
    if (start === first) { goTo(s, first); return atBeginning(s); }
    hi = start;
    window *= 2;
  }
}

/**
 * Runs forward from here to instruction count `end`, and returns the
 * instruction counts at which a breakpoint stopped the run (before `end`);
 * undefined when interrupted.
 */
function* scan(s: Session, run: RunSession, end: number, interrupted: () => boolean, chunk: number): Generator<undefined, number[] | undefined> {
  const hits: number[] = [];
  let continuing = true;
  while (s.kernel.cpu.instret < end) {
    if (interrupted()) return undefined;
    const left = end - s.kernel.cpu.instret;
    // The past again: breakpoints stop the scan but are not counted as new hits (Session.scanning).
    const stop = s.scanning(() => run(Math.min(left, chunk), continuing));
    if (stop.reason === 'breakpoint' && stop.instret < end) hits.push(stop.instret);
    if (stop.reason === 'idle' || stop.reason === 'end') break;
    continuing = stop.reason !== 'breakpoint';
    if (stop.reason === 'budget') yield undefined;
  }
  return hits;
}
