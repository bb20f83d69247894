// Time that passes without an environment's instructions: the kernel's own
// deadlines (an epilogue's grace period, a visible revocation's window, a
// net_wait timeout; Aegis paper, sec. 5.3 and 5.4) and the idle wait, when
// nothing on the time-slice vector can run but someone waits for a packet,
// a timeout or a PCT reply (docs/architecture.md, "The exokernel").

import { KN02_IP } from '../emu/index.js';
import { ackClock } from './clock.js';
import { Costs } from './costs.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { wakeNet } from './net.js';
import { abortRevoke } from './revoke.js';
import { graceExpired } from './sched.js';

/**
 * The earliest kernel deadline: an epilogue's grace, a revocation's window,
 * a net_wait's timeout. The machine asks before every stretch of
 * instructions it runs, so the environments are walked by forEach with a
 * function made once (no iterator, no closure per call), which keeps the
 * running minimum in `soonest`.
 */
export function nextDeadline(k: Kernel): number {
  soonest = k.slices.graceDeadline;
  k.envs.forEach(earliest);
  return soonest;
}

let soonest = Infinity;

/** Lowers `soonest` to env's deadlines. */
function earliest(e: Env): void {
  if (e.revoke && e.state !== 'destroyed' && e.revoke.deadline < soonest) soonest = e.revoke.deadline;
  if (e.state === 'waiting' && e.netWaitUntil < soonest) soonest = e.netWaitUntil;
}

/** Settles every deadline that has passed (called inside a kernel entry, or when idle). */
export function handleDeadlines(k: Kernel): void {
  const now = k.now();
  // The environments are copied only when a revocation is due (aborting one may change them).
  let due = false;
  k.envs.forEach((e) => { if (e.revoke && e.state !== 'destroyed' && now >= e.revoke.deadline) due = true; });
  if (due) for (const e of [...k.envs.values()]) if (e.revoke && e.state !== 'destroyed' && now >= e.revoke.deadline) abortRevoke(k, e);
  if (k.slices.phase === 'epilogue' && now >= k.slices.graceDeadline && k.current) graceExpired(k);
  k.envs.forEach((e) => { if (e.state === 'waiting' && now >= e.netWaitUntil) wakeNet(k, e); });
}

/** True when some environment waits (for a packet, a timeout, a PCT reply). */
export function anyWaiting(k: Kernel): boolean {
  for (const e of k.envs.values()) if (e.state === 'waiting') return true;
  return false;
}

/**
 * Nothing can be scheduled, but someone waits: lets time pass with the CPU
 * idle until an interrupt or a deadline makes an environment that holds a
 * slice runnable, or until `end`. A runnable environment without a slice
 * does not end the wait: round robin cannot reach it. Returns true when
 * one can be scheduled, false when nobody waits any more or time ran out.
 */
export function idleWait(k: Kernel, end: number): boolean {
  while (k.now() < end && anyWaiting(k)) {
    k.machine.idleTo(Math.min(end, Math.max(k.now() + 1, k.machine.nextDeviceEvent())));
    idleInterrupts(k);
    for (const e of k.envs.values()) if (k.schedulable(e)) return true;
  }
  return false;
}

/** Interrupts that arrive while the CPU idles: the clock is acknowledged, the network served. */
function idleInterrupts(k: Kernel): void {
  const ip = k.cpu.causeValue;
  if ((ip & KN02_IP.rtc) !== 0) { k.charge(Costs.CLOCK_INTERRUPT); ackClock(k.machine.bus); }
  if ((ip & KN02_IP.io) !== 0) k.netInterrupt();
  handleDeadlines(k);
}
