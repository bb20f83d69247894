// Upcalls and the save area (Aegis paper, sec. 5.2 and 5.3;
// docs/architecture.md, "The exokernel"): how the kernel enters the library
// OS in user mode at one of its handlers, for an exception (trap.ts) or an
// upcall (a slice's epilogue, a revocation, a repossession, a PCT).
// EPC, Cause, BadVAddr and the registers the entry clobbers go into the
// environment's save area, whose busy word says it is inside a handler.

import { Tlb } from '../emu/index.js';
import { Save, SAVE_SIZE } from './abi.js';
import { Costs } from './costs.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';

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

/** The physical word index of env's save area, or -1 when it is not a guaranteed writable mapping. */
function saveBase(env: Env): number {
  const sa = env.saveArea >>> 0;
  const g = sa === 0 ? undefined : env.guaranteed.get(sa >>> 12);
  if (!g || (g.entryLo & Tlb.D) === 0 || (sa & 0xfff) + SAVE_SIZE > 0x1000) return -1;
  return ((g.frame << 12) | (sa & 0xfff)) >>> 2;
}

/** True while env is inside one of its handlers (its save area's busy word is set). */
export function saveAreaBusy(k: Kernel, env: Env): boolean {
  const base = saveBase(env);
  return base >= 0 && k.machine.bus.ram32[base + Save.Busy] !== 0;
}

/**
 * Saves epc/cause/badVAddr and at/a0/a1 and enters `handler` with
 * a0 = arg0, a1 = arg1, at = the save area. Returns false after
 * destroying env when that cannot be done.
 */
export function enterHandler(k: Kernel, env: Env, handler: number, name: string, epc: number, cause: number, badVAddr: number, arg0: number, arg1: number): boolean {
  const cpu = k.cpu;
  const base = saveBase(env);
  if (base < 0) { k.destroyEnv(env, `${name} with no guaranteed writable save area (${where(k)})`); return false; }
  const ram32 = k.machine.bus.ram32;
  if (ram32[base + Save.Busy] !== 0) { k.destroyEnv(env, `${name} inside its own handler (${where(k)})`); return false; }
  const save = (slot: number, v: number): void => k.machine.bus.hostWrite32(4 * (base + slot), v);
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
