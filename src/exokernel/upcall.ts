// Upcalls and the save area (Aegis paper, sec. 5.2 and 5.3;
// docs/architecture.md, "The exokernel"): how the kernel enters the library
// OS in user mode at one of its handlers, for an exception (trap.ts) or an
// upcall (a slice's epilogue, a revocation request, a repossession notice:
// dispatchUpcall). EPC, Cause, BadVAddr and the registers the entry
// clobbers go into the environment's save area, whose busy word says it is
// inside a handler. A slice's prologue is an upcall with no saved context
// at all (prologueUpcall); a PCT enters its target's entry point with the
// message in its registers (pct.ts).

import { Save, SAVE_SIZE, Upcall } from './abi.js';
import { Costs } from './costs.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { pinnedPa, readPinned, writePinned } from './usermem.js';

/** Names of the upcall kinds, for events. */
export const UPCALL_NAMES = ['', 'prologue', 'epilogue', 'revoke', 'repossess', 'pct'];

/**
 * Dispatches an upcall the way exceptions are dispatched: `epc` (where the
 * environment was going) and at/a0/a1 into the save area, busy = 1, then
 * a0/a1 as given and at = the save area. The caller checked the handler
 * is registered and the save area is not busy.
 */
export function dispatchUpcall(k: Kernel, env: Env, kind: number, epc: number, a0: number, a1: number): void {
  const pc = env.upcalls[kind];
  const name = UPCALL_NAMES[kind];
  if (enterHandler(k, env, pc, `${name} upcall`, epc, 0, 0, a0, a1)) {
    env.counters.upcalls++;
    k.charge(Costs.UPCALL);
    k.emit({ kind: 'upcall', cycle: k.now(), env: env.id, upcall: name, a0: a0 | 0, a1: a1 | 0 });
  }
}

/**
 * Starts env's slice `slot` in its prologue (Aegis paper, sec. 5.3): it
 * saved its own context in its epilogue, so it gets none back, only
 * a0 = the slot and a1 = the cycles the slice lasts. Nothing goes through
 * the save area. The caller checked the prologue is registered.
 */
export function prologueUpcall(k: Kernel, env: Env, slot: number): void {
  env.regs.fill(0);
  env.regs[4] = slot;
  env.regs[5] = k.slices.ticksLeft * k.cyclesPerTick;
  env.pc = env.upcalls[Upcall.Prologue];
  env.resume = 'kernel';
  env.counters.upcalls++;
  k.emit({ kind: 'upcall', cycle: k.now(), env: env.id, upcall: UPCALL_NAMES[Upcall.Prologue], a0: slot, a1: env.regs[5] });
  k.switchTo(env);
}

/** True when env's save area is set and lies in one page of its guaranteed writable memory. */
function saveAreaUsable(env: Env): boolean {
  const sa = env.saveArea >>> 0;
  return sa !== 0 && pinnedPa(env, sa) >= 0 && (sa & 0xfff) + SAVE_SIZE <= 0x1000;
}

/** The virtual address of word `slot` (Save in abi.ts) of env's save area. */
const saveSlot = (env: Env, slot: number): number => (env.saveArea >>> 0) + 4 * slot;

/** True while env is inside one of its handlers (its save area's busy word is set). */
export function saveAreaBusy(k: Kernel, env: Env): boolean {
  return saveAreaUsable(env) && readPinned(k, env, saveSlot(env, Save.Busy)) !== 0;
}

/**
 * Saves epc/cause/badVAddr and at/a0/a1 and enters `handler` with
 * a0 = arg0, a1 = arg1, at = the save area. Returns false after
 * destroying env when that cannot be done.
 */
export function enterHandler(k: Kernel, env: Env, handler: number, name: string, epc: number, cause: number, badVAddr: number, arg0: number, arg1: number): boolean {
  const cpu = k.cpu;
  if (!saveAreaUsable(env)) { k.destroyEnv(env, `${name} with no guaranteed writable save area (${where(k)})`); return false; }
  if (saveAreaBusy(k, env)) { k.destroyEnv(env, `${name} inside its own handler (${where(k)})`); return false; }
  const save = (slot: number, v: number): void => { writePinned(k, env, saveSlot(env, slot), v); };
  save(Save.EPC, epc);
  save(Save.Cause, cause);
  save(Save.BadVAddr, badVAddr);
  save(Save.AT, cpu.regs[1]);
  save(Save.A0, cpu.regs[4]);
  save(Save.A1, cpu.regs[5]);
  save(Save.Busy, 1);
  cpu.regs[4] = arg0 | 0;
  cpu.regs[5] = arg1 | 0;
  cpu.regs[1] = env.saveArea | 0;
  k.enterUser(handler);
  return true;
}

/** Where the CPU trapped, for the reason an environment is destroyed. */
export function where(k: Kernel): string {
  return `epc=0x${(k.cpu.epc >>> 0).toString(16)} badvaddr=0x${(k.cpu.badVAddr >>> 0).toString(16)}`;
}
