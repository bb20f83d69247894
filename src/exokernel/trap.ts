// Kernel entry: what Aegis does at the two exception vectors. A TLB refill
// the STLB or the guaranteed set can serve is served here, without the
// library OS (paper, sec. 5.3); a system call is handled here; a clock
// interrupt switches environments; everything else is dispatched to the
// environment's own handler in user mode, the Aegis way (paper, sec. 5.2).

import { Cause, EXC_NAMES, ExcCode, KN02_IP, Vector } from '../emu/index.js';
import { bindTlb } from './bindings.js';
import { ackClock } from './clock.js';
import { Costs } from './costs.js';
import { handleDeadlines } from './deadlines.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { syscall } from './syscalls.js';
import { onTick } from './sched.js';
import { deliverPending } from './revoke.js';
import { enterHandler, where } from './upcall.js';


/** The exception hook: called with the CPU at `vector` and EPC/Cause/BadVAddr set. */
export function enterKernel(k: Kernel, vector: number): void {
  const env = k.current;
  const code = (k.cpu.cause >>> 2) & 31;
  if (k.onTrap.size !== 0) k.onTrap.emit(code, vector);
  if (!env) {
    // No environment runs (only between a destroy and a schedule); nothing to do.
    k.machine.stop();
    return;
  }
  if (code === ExcCode.Int) interrupt(k, env);
  else if (vector === Vector.UTLB) refill(k, env, code);
  else if (code === ExcCode.Sys) syscallEntry(k, env);
  else dispatch(k, env, code);
  deliverPending(k);
  if (k.onKernelExit.size !== 0) k.onKernelExit.emit();
}

/**
 * A kuseg address missed in the hardware TLB: serve it from the guaranteed
 * set or the STLB and return to the faulting instruction, or dispatch the
 * miss to the library OS.
 */
function refill(k: Kernel, env: Env, code: number): void {
  const cpu = k.cpu;
  const va = cpu.badVAddr >>> 0, vpn = va >>> 12;
  const g = env.guaranteed.get(vpn);
  if (g) {
    bindTlb(k, vpn, env.asid, g.entryLo, { lo: g.keyLo, hi: g.keyHi });
    env.counters.guaranteedHits++;
    k.charge(Costs.GUARANTEED_REFILL);
    k.emit({ kind: 'guaranteed-hit', cycle: k.now(), env: env.id, vaddr: va });
    k.enterUser(cpu.epc);
    return;
  }
  const lo = k.stlb.lookup(env.asid, vpn);
  if (lo !== undefined) {
    bindTlb(k, vpn, env.asid, lo, k.stlb.keyOf(env.asid, vpn)!);
    env.counters.stlbHits++;
    k.charge(Costs.STLB_REFILL);
    k.emit({ kind: 'stlb-hit', cycle: k.now(), env: env.id, vaddr: va });
    k.enterUser(cpu.epc);
    return;
  }
  env.counters.stlbMisses++;
  k.charge(Costs.STLB_REFILL);
  k.emit({ kind: 'stlb-miss', cycle: k.now(), env: env.id, vaddr: va });
  dispatch(k, env, code);
}

/**
 * An interrupt: the clock (acknowledged by reading REGC) advances the
 * running slice; the kernel's deadline timer settles epilogue grace periods
 * and revocation deadlines. Otherwise the environment resumes where it was.
 */
function interrupt(k: Kernel, env: Env): void {
  const cpu = k.cpu;
  const before = k.current;
  k.enterUser(cpu.epc); // unless something below moves the CPU elsewhere
  if ((cpu.causeValue & KN02_IP.rtc) !== 0) {
    k.charge(Costs.CLOCK_INTERRUPT);
    ackClock(k.machine.bus);
    if (k.current === before) onTick(k);
  }
  if ((cpu.causeValue & KN02_IP.io) !== 0) k.netInterrupt();
  if (k.current === before && before === env) handleDeadlines(k);
}

function syscallEntry(k: Kernel, env: Env): void {
  const cpu = k.cpu;
  if ((cpu.cause & Cause.BD) !== 0) {
    k.destroyEnv(env, `syscall in a branch delay slot at 0x${((cpu.epc + 4) >>> 0).toString(16)}`);
    return;
  }
  k.charge(Costs.SYSCALL);
  env.counters.syscalls++;
  const pc = (cpu.epc + 4) | 0;
  const result = syscall(k, env, pc);
  if (result === undefined || env.state === 'destroyed' || k.current !== env) return;
  cpu.regs[2] = result;
  k.enterUser(pc);
}

/**
 * Dispatches exception `code` to env's handler (abi.ts): EPC, Cause,
 * BadVAddr, at, a0, a1 into the save area, busy = 1, a0 = Cause,
 * a1 = BadVAddr, at = save area, user mode at the handler. Destroys the
 * environment when it has no handler, no usable save area, or is already
 * inside its handler.
 */
export function dispatch(k: Kernel, env: Env, code: number): void {
  const cpu = k.cpu;
  const name = EXC_NAMES[code] ?? `exception ${code}`;
  const handler = env.handlers[code] ?? 0;
  if (handler === 0) { k.destroyEnv(env, `no handler for ${name} (${where(k)})`); return; }
  const bad = faultAddress(k, code);
  if (enterHandler(k, env, handler, name, cpu.epc, cpu.causeValue | 0, bad, cpu.causeValue | 0, bad)) {
    env.counters.dispatches++;
    k.charge(Costs.DISPATCH);
    k.emit({ kind: 'dispatch', cycle: k.now(), env: env.id, exc: name, epc: cpu.epc >>> 0, badvaddr: cpu.badVAddr >>> 0, handler });
  }
}

/**
 * BadVAddr as the environment may see it: the R3000 sets it only for TLB
 * and address-error exceptions (Mod, TLBL, TLBS, AdEL, AdES: R3000 manual,
 * "BadVAddr register"); for any other exception it still holds the last
 * such address, possibly another environment's, so the kernel passes 0.
 */
function faultAddress(k: Kernel, code: number): number {
  return code >= ExcCode.Mod && code <= ExcCode.AdES ? k.cpu.badVAddr : 0;
}
