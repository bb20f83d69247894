// How a session's stop looks to GDB (E.3 "Stop Reply Packets"): the
// signal from what stopped the run (SIGTRAP for a breakpoint or a step,
// SIGSEGV/SIGILL/SIGFPE for the faults, per signalOf), the reason for the
// debugger's own breakpoints and watchpoints, an environment's end as a
// process exit, and the session's words as console text.

import { EXC_NAMES, ExcCode } from '../emu/index.js';
import { watchKind, type Session, type Stop } from '../session/index.js';
import { IDLE_TID, Signal, signalOf, type StopInfo } from './target.js';

/** TLB faults the kernel could not serve itself and dispatched to the environment (the library OS's page faults). */
const TLB_FAULT_NAMES = new Set([EXC_NAMES[ExcCode.Mod], EXC_NAMES[ExcCode.TLBL], EXC_NAMES[ExcCode.TLBS]]);
const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** What toStopInfo needs to know besides the stop. */
export interface StopContext {
  /** The thread on the CPU. */
  readonly tid: number;
  /** The signal to report, when the caller knows it (a step: SIGTRAP; an interrupt: SIGINT). */
  readonly signal?: number;
  /** Whether session breakpoint `id` is one of the debugger's (Z0/Z1): a swbreak. */
  readonly own: (id: number) => boolean;
  /** The debugger's breakpoint on env-destroyed, if any: its hits are process exits. */
  readonly exitBp: number | undefined;
}

/**
 * Environment `env` ended: its process exited with the code it gave
 * exit() (the kernel's reason, syscalls.ts, is "exit(N)"; GDB says so
 * itself), or was killed (SIGKILL), the kernel's reason in the console.
 */
function ended(session: Session, env: number, reason: string): StopInfo {
  const m = /^exit\((-?\d+)\)$/.exec(reason);
  const name = session.envNames.get(env) ?? String(env);
  if (m) return { tid: env, signal: 0, exited: { code: Number(m[1]) & 0xff } };
  return { tid: env, signal: Signal.KILL, exited: { signal: Signal.KILL }, message: `${name} was destroyed: ${reason}` };
}

/** A session Stop as GDB sees it. */
export function toStopInfo(session: Session, s: Pick<Stop, 'reason'> & Partial<Stop>, c: StopContext): StopInfo {
  const tid = c.tid;
  if (s.reason === 'idle') {
    const alive = [...session.kernel.envs.values()].some((e) => e.state !== 'destroyed');
    return alive ? { tid, signal: Signal.TRAP, message: 'no environment is runnable' } : { tid: IDLE_TID, signal: 0, exited: { code: 0 }, message: 'every environment has ended: the machine idles' };
  }
  if (c.signal !== undefined) return { tid, signal: c.signal };
  // A timeline `break` step or the scenario's run limit: said in gdb's console.
  if ((s.reason === 'paused' || s.reason === 'end') && s.detail) return { tid, signal: Signal.TRAP, message: s.detail };
  const hit = s.reason === 'breakpoint' ? s.hit : undefined;
  if (!hit) return { tid, signal: Signal.TRAP };
  const bp = hit.breakpoint, message = s.detail ?? '';
  switch (bp.kind) {
    case 'exception': return { tid, signal: signalOf(bp.code), message };
    case 'pc': return c.own(hit.id) ? { tid, signal: Signal.TRAP, reason: { kind: 'swbreak' } } : { tid, signal: Signal.TRAP, message };
    case 'watch': return { tid, signal: Signal.TRAP, reason: { kind: 'watch', watch: watchKind(bp), addr: hit.access?.addr ?? bp.addr } };
    case 'event': {
      const e = hit.event;
      if (hit.id === c.exitBp && e?.kind === 'env-destroyed') return ended(session, e.env, e.reason);
      if (e?.kind !== 'dispatch') return { tid, signal: Signal.TRAP, message };
      const text = `${session.envNames.get(e.env) ?? e.env} took ${e.exc} at epc ${hex8(e.epc)} (BadVAddr ${hex8(e.badvaddr)}); the kernel dispatched it to its handler`;
      return { tid, signal: TLB_FAULT_NAMES.has(e.exc) ? Signal.SEGV : Signal.TRAP, message: text };
    }
  }
}
