// Multiplexing the processor (Aegis paper, sec. 5.3 and 5.4): round robin
// over the time-slice vector driven by the clock, prologue and epilogue
// upcalls with a bounded grace period, overrun punished then fatal, yield,
// directed yield and protected control transfer (which donate the rest of
// the slice). The library OS chooses how to use its slices; the kernel only
// decides whose they are.

import { Err, OVERRUN_LIMIT, Upcall } from './abi.js';
import { Costs } from './costs.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { dispatchUpcall, saveAreaBusy } from './trap.js';

/** Names of the upcall kinds, for events. */
export const UPCALL_NAMES = ['', 'prologue', 'epilogue', 'revoke', 'repossess', 'pct'];

const runnable = (k: Kernel) => (id: number) => k.envs.get(id)?.state === 'runnable';

/** A clock tick: the running slice loses a tick; at zero it ends. */
export function onTick(k: Kernel): void {
  const v = k.slices;
  if (v.phase !== 'run' || !k.current) return;
  if (--v.ticksLeft <= 0) endSlice(k, 'its ticks ran out');
}

/**
 * The running slice ends. An environment with an epilogue gets the upcall
 * and a grace period to save itself and yield (never while it is inside a
 * handler: then the kernel saves it); any other is saved by the kernel.
 */
export function endSlice(k: Kernel, why: string): void {
  const env = k.current!;
  const v = k.slices;
  k.emit({ kind: 'slice-end', cycle: k.now(), env: env.id, slot: v.current, why });
  const epilogue = env.upcalls[Upcall.Epilogue];
  if (epilogue && !saveAreaBusy(k, env)) {
    v.phase = 'epilogue';
    v.graceDeadline = k.now() + k.epilogueGrace;
    env.inEpilogue = true;
    k.emit({ kind: 'epilogue', cycle: k.now(), env: env.id, grace: k.epilogueGrace });
    dispatchUpcall(k, env, Upcall.Epilogue, k.cpu.epc, k.epilogueGrace, 0);
    k.reschedule();
    return;
  }
  k.saveContext(env, k.cpu.epc);
  k.charge(Costs.CONTEXT_SAVE);
  env.resume = 'kernel';
  advance(k);
}

/** The epilogue's grace period ran out: preempt, count the overrun, punish or destroy. */
export function graceExpired(k: Kernel): void {
  const env = k.current!;
  const v = k.slices;
  v.phase = 'run';
  v.graceDeadline = Infinity;
  env.overruns++;
  env.counters.overruns++;
  env.penalty += k.sliceTicks;
  k.emit({ kind: 'overrun', cycle: k.now(), env: env.id, count: env.overruns, penalty: env.penalty });
  if (env.overruns >= OVERRUN_LIMIT) {
    k.destroyEnv(env, `overran its epilogue ${env.overruns} times in a row`);
    return;
  }
  k.saveContext(env, k.cpu.epc);
  k.charge(Costs.CONTEXT_SAVE);
  env.resume = 'kernel';
  advance(k);
}

/**
 * Starts the next slice whose owner is runnable; a slice its owner's
 * penalty swallows whole is skipped. Idles when no slot has a runnable
 * owner. Charges asm/switch.S's ctx_next: SLICE_NEXT for the slot taken,
 * SLICE_SKIP for each skipped, SLICE_PROBE (and SLICE_WAITING) for each
 * slot probed before them (none when nobody can run: that is idle time).
 */
export function advance(k: Kernel): void {
  const v = k.slices;
  v.phase = 'run';
  v.graceDeadline = Infinity;
  for (let tries = 0; tries < 2 * v.owner.length; tries++) {
    const slot = v.next(runnable(k));
    if (slot < 0) break;
    k.charge(probeCycles(v.owner, v.current, slot));
    v.current = slot;
    const env = k.envs.get(v.owner[slot])!;
    const deducted = Math.min(env.penalty, k.sliceTicks);
    env.penalty -= deducted;
    if (deducted === k.sliceTicks) {
      k.charge(Costs.SLICE_SKIP);
      k.emit({ kind: 'slice-skipped', cycle: k.now(), env: env.id, slot, penalty: deducted });
      continue;
    }
    k.charge(Costs.SLICE_NEXT);
    v.ticksLeft = k.sliceTicks - deducted;
    env.counters.slices++;
    k.idleAnnounced = false;
    startEnv(k, env, slot);
    return;
  }
  k.goIdle();
}

/** ctx_next's cycles for the slots after `from` it probes before `to` (asm/switch.S): free ones, and ones whose owner cannot run. */
function probeCycles(owner: ArrayLike<number>, from: number, to: number): number {
  let cycles = 0;
  for (let i = (from + 1) % owner.length; i !== to; i = (i + 1) % owner.length) {
    cycles += Costs.SLICE_PROBE + (owner[i] !== 0 ? Costs.SLICE_WAITING : 0);
  }
  return cycles;
}

/**
 * Puts `env` on the CPU for the rest of the running slice: through its
 * prologue when it saved its own context, else from the kernel's copy.
 */
export function startEnv(k: Kernel, env: Env, slot = k.slices.current, donated = false): void {
  const prologue = env.upcalls[Upcall.Prologue];
  const upcall = env.resume === 'upcall' && prologue !== 0;
  // A directed yield into the prologue, or into a target that left by
  // yield_to or PCT itself (its registers are only cleared), is all in
  // Costs.YIELD (asm/yield.S); a slice start enters the prologue
  // (SLICE_PROLOGUE); anything else restores a saved context (asm/switch.S).
  if (!(donated && (upcall || env.resume === 'unsaved'))) k.charge(upcall ? Costs.SLICE_PROLOGUE : Costs.CONTEXT_RESTORE);
  k.emit({ kind: 'slice-start', cycle: k.now(), env: env.id, slot, cycles: k.slices.ticksLeft * k.cyclesPerTick, upcall });
  if (!upcall) {
    if (env.inEpilogue) {
      // Preempted in its epilogue last time: it has only a grace period to finish it.
      k.slices.phase = 'epilogue';
      k.slices.graceDeadline = k.now() + k.epilogueGrace;
    }
    k.switchTo(env);
    return;
  }
  env.regs.fill(0);
  env.regs[4] = slot;
  env.regs[5] = k.slices.ticksLeft * k.cyclesPerTick;
  env.pc = prologue;
  env.resume = 'kernel';
  env.counters.upcalls++;
  k.emit({ kind: 'upcall', cycle: k.now(), env: env.id, upcall: 'prologue', a0: slot, a1: env.regs[5] });
  k.switchTo(env);
}

/**
 * True while the running environment is in its epilogue: its slice has
 * ended and the processor is being taken back (paper, sec. 5.3), so there
 * is no rest of a slice to give anyone. Only the environment whose slice
 * ended is ever on the CPU in this phase (yield_to and PCT are refused in
 * it), so the grace deadline and the overrun are always its own.
 */
function inEpilogue(k: Kernel): boolean {
  return k.slices.phase === 'epilogue';
}

/**
 * sys_yield: the caller gives up the rest of its slice. Its registers are
 * saved in every phase, so it resumes after the call when it has no
 * prologue; from its epilogue it has saved itself and is owed a prologue.
 */
export function yieldSlice(k: Kernel, env: Env, pc: number): void {
  const v = k.slices;
  k.cpu.regs[2] = 0;
  k.saveContext(env, pc);
  k.charge(Costs.CONTEXT_SAVE);
  env.resume = 'kernel';
  if (v.phase === 'epilogue') {
    env.resume = 'upcall';
    env.overruns = 0;
    env.inEpilogue = false;
  }
  k.emit({ kind: 'yield', cycle: k.now(), env: env.id, to: 0 });
  if (v.phase === 'run') k.emit({ kind: 'slice-end', cycle: k.now(), env: env.id, slot: v.current, why: 'yield' });
  advance(k);
}

/** Of Costs.SYSCALL (charged at entry), the exit through sys_call: a PCT or directed yield never takes it. */
const SYSCALL_EXIT = Costs.SYSCALL - Costs.SYSCALL_ENTRY;

/**
 * The caller of a directed yield or PCT leaves the CPU with nothing saved
 * (Aegis paper, sec. 5.4; asm/pct.S, asm/yield.S): the kernel keeps only
 * where it resumes, after its syscall, and it resumes there with v0 = 0
 * and every other register zero (abi.ts, YieldTo). What it needs across
 * the call its library OS saved itself, in user mode.
 */
function leaveUnsaved(env: Env, pc: number): void {
  env.regs.fill(0);
  env.pc = pc;
  env.resume = 'unsaved';
}

/**
 * sys_yield_to: donate the rest of the slice to `targetId`. Returns an
 * error for v0 (Busy in the caller's epilogue: nothing is left to donate),
 * or undefined when switched. Nothing of the caller's is saved
 * (leaveUnsaved); the target starts through its prologue, with no
 * register of the caller's, or from the context the kernel saved of it.
 */
export function yieldTo(k: Kernel, env: Env, targetId: number, pc: number): number | undefined {
  if (inEpilogue(k)) return Err.Busy;
  const target = k.envs.get(targetId);
  if (!target || target === env || target.state !== 'runnable') return Err.Inval;
  leaveUnsaved(env, pc);
  k.emit({ kind: 'yield', cycle: k.now(), env: env.id, to: target.id });
  k.charge(Costs.YIELD - SYSCALL_EXIT);
  startEnv(k, target, k.slices.current, true);
  return undefined;
}

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
