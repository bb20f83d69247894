// Multiplexing the processor (Aegis paper, sec. 5.3 and 5.4): round robin
// over the time-slice vector driven by the clock, prologue and epilogue
// upcalls with a bounded grace period, overrun punished then fatal, yield
// and directed yield (which donates the rest of the slice, as protected
// control transfer does: pct.ts). The library OS chooses how to use its
// slices; the kernel only decides whose they are.

import { Err, OVERRUN_LIMIT, Upcall } from './abi.js';
import { Costs } from './costs.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { dispatchUpcall, prologueUpcall, saveAreaBusy } from './upcall.js';

/**
 * The next slot after the running one whose owner is runnable (SliceVector.next
 * with that test), or -1. An owner's state is looked up once for a run of
 * its slots: nothing changes while the vector is scanned.
 */
function nextRunnable(k: Kernel): number {
  let lastId = 0, lastOk = false;
  return k.slices.next((id) => {
    if (id !== lastId) { lastId = id; lastOk = k.envs.get(id)?.state === 'runnable'; }
    return lastOk;
  });
}

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
    const slot = nextRunnable(k);
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
  prologueUpcall(k, env, slot);
}

/**
 * True while the running environment is in its epilogue: its slice has
 * ended and the processor is being taken back (paper, sec. 5.3), so there
 * is no rest of a slice to give anyone. Only the environment whose slice
 * ended is ever on the CPU in this phase (yield_to and PCT are refused in
 * it), so the grace deadline and the overrun are always its own.
 */
export function inEpilogue(k: Kernel): boolean {
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
export const SYSCALL_EXIT = Costs.SYSCALL - Costs.SYSCALL_ENTRY;

/**
 * The caller of a directed yield or PCT leaves the CPU with nothing saved
 * (Aegis paper, sec. 5.4; asm/pct.S, asm/yield.S): the kernel keeps only
 * where it resumes, after its syscall, and it resumes there with v0 = 0
 * and every other register zero (abi.ts, YieldTo). What it needs across
 * the call its library OS saved itself, in user mode.
 */
export function leaveUnsaved(env: Env, pc: number): void {
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
