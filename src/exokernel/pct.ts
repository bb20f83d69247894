// Protected control transfer (Aegis paper, sec. 5.4; docs/architecture.md,
// "The exokernel"): a call into another environment at the entry point it
// registered, with the general registers as the message. The transfer
// donates the rest of the caller's slice; a synchronous call waits for the
// callee's reply, and a callee that dies releases whoever waits on it.

import { Err, Upcall } from './abi.js';
import { Costs } from './costs.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { inEpilogue, leaveUnsaved, SYSCALL_EXIT } from './sched.js';
import { saveAreaBusy } from './upcall.js';

/**
 * Protected control transfer (paper, sec. 5.4): `call` is PctSync, PctAsync
 * or PctReply; the target id is in v1 and the other general registers but
 * k0/k1, with HI and LO, are the message (abi.ts, PctSync: the ABI). Returns an error for v0, or undefined when control moved. In
 * the caller's epilogue every PCT is refused with Busy: the call donates
 * the rest of the slice (sec. 5.4), and an ended slice has none. Nothing
 * of the caller's is saved (leaveUnsaved): the callee gets the message
 * and no other register of the caller's, and charges Costs.PCT (asm/pct.S).
 */
export function pct(k: Kernel, env: Env, call: 'PctSync' | 'PctAsync' | 'PctReply', callNo: number, pc: number): number | undefined {
  if (inEpilogue(k)) return Err.Busy;
  const regs = k.cpu.regs;
  const target = k.envs.get(regs[3]);
  if (!target || target === env) return Err.Inval;
  if (call === 'PctReply') {
    if (target.state !== 'waiting' || target.waitingOn !== env.id) return Err.Inval;
  } else if (target.state !== 'runnable' || target.upcalls[Upcall.Pct] === 0) return Err.Inval;
  else if (saveAreaBusy(k, target)) return Err.Busy;
  // The message goes straight into the target's registers; the caller (or replier) keeps only its place.
  target.regs.set(regs);
  target.regs[32] = k.cpu.hi;
  target.regs[33] = k.cpu.lo;
  leaveUnsaved(env, pc);
  if (call === 'PctSync') { env.state = 'waiting'; env.waitingOn = target.id; }
  k.emit({ kind: 'pct', cycle: k.now(), env: env.id, to: target.id, call });
  k.charge(Costs.PCT - SYSCALL_EXIT);
  // k0/k1 are the kernel's (MIPS ABI), never the caller's: what asm/pct.S leaves in them, the call number * 4 and where the target goes.
  target.regs[26] = callNo << 2;
  if (call === 'PctReply') {
    target.state = 'runnable';
    target.waitingOn = 0;
    target.regs[2] = 0;
    target.regs[3] = env.id;
    target.regs[27] = target.pc;
  } else {
    target.regs[2] = env.id;
    target.regs[3] = callNo;
    target.pc = target.upcalls[Upcall.Pct];
    target.regs[27] = target.pc;
    target.counters.upcalls++;
    // The call replaces whatever the callee was doing, an epilogue it was preempted in included.
    target.inEpilogue = false;
  }
  k.switchTo(target);
  return undefined;
}

/** Wakes every environment waiting on `dead` with Err.Inval in v0 (its other registers are zero: nothing of it was saved). */
export function releaseWaiters(k: Kernel, dead: Env): void {
  for (const e of k.envs.values()) {
    if (e.state === 'waiting' && e.waitingOn === dead.id) {
      e.state = 'runnable';
      e.waitingOn = 0;
      e.regs[2] = Err.Inval;
    }
  }
}
