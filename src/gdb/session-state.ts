// The registers and memory of a thread, as the GDB stub reads and writes
// them (Target, target.ts) over the kernel: the CPU's for the environment
// on it, the saved context for the others (and the idle loop "at" the
// kernel's entry while an environment runs); memory through the
// environment's own bindings (kseg0/kseg1 directly).

import type { Kernel } from '../exokernel/index.js';
import { INT_REGS, Reg } from './regs.js';
import { IDLE_TID } from './target.js';

/** The general exception vector (R30xx manual, 3.4), the kernel's entry. */
const KERNEL_ENTRY = 0x80000080;

/** The live environment of thread `tid`, unless it is the one on the CPU (or idle). */
function saved(k: Kernel, tid: number) {
  const e = k.envs.get(tid);
  return e && e.state !== 'destroyed' && k.current !== e ? e : undefined;
}

/** Registers 0..37 of thread `tid` (Target.readRegisters). */
export function readRegisters(k: Kernel, tid: number): (number | undefined)[] {
  const out: (number | undefined)[] = new Array(INT_REGS).fill(undefined);
  const e = saved(k, tid);
  if (e) {
    for (let i = 0; i < 32; i++) out[i] = e.regs[i];
    out[Reg.HI] = e.regs[32];
    out[Reg.LO] = e.regs[33];
    out[Reg.PC] = e.pc;
    return out;
  }
  if (tid === IDLE_TID && k.current) {
    // The idle loop is the kernel's, in TypeScript: while an environment
    // runs it is "at" the general exception vector, where the kernel is entered.
    out.fill(0);
    out[Reg.PC] = KERNEL_ENTRY;
    return out;
  }
  if (tid !== (k.current?.id ?? IDLE_TID)) return out;
  const cpu = k.cpu;
  for (let i = 0; i < 32; i++) out[i] = cpu.regs[i];
  Object.assign(out, { [Reg.SR]: cpu.status, [Reg.LO]: cpu.lo, [Reg.HI]: cpu.hi, [Reg.BAD]: cpu.badVAddr, [Reg.CAUSE]: cpu.causeValue, [Reg.PC]: cpu.pc });
  return out;
}

/** Writes register n of thread `tid` (Target.writeRegister). */
export function writeRegister(k: Kernel, tid: number, n: number, value: number): boolean {
  const v = value | 0;
  const e = saved(k, tid);
  if (e) {
    if (n > 0 && n < 32) e.regs[n] = v;
    else if (n === Reg.HI) e.regs[32] = v;
    else if (n === Reg.LO) e.regs[33] = v;
    else if (n === Reg.PC) e.pc = v;
    else return n === 0;
    return true;
  }
  if (tid !== (k.current?.id ?? IDLE_TID)) return false;
  const cpu = k.cpu;
  if (n > 0 && n < 32) cpu.regs[n] = v;
  else if (n === Reg.HI) cpu.hi = v;
  else if (n === Reg.LO) cpu.lo = v;
  else if (n === Reg.PC) cpu.jump(v);
  else return n === 0;
  return true;
}

/** The physical address of `va` for thread `tid`: kseg0/kseg1 directly, kuseg through the environment's bindings; -1 when unmapped. */
function physical(k: Kernel, tid: number, va: number): number {
  const v = va >>> 0;
  if (v >= 0x80000000 && v < 0xc0000000) { const pa = v & 0x1fffffff; return pa < k.machine.bus.ramSize ? pa : -1; }
  const e = k.envs.get(tid);
  return e && e.state !== 'destroyed' ? k.translate(e, v) : -1;
}

/** Thread `tid`'s memory (Target.readMemory). */
export function readMemory(k: Kernel, tid: number, addr: number, length: number): Uint8Array | undefined {
  const ram = k.machine.bus.ram8;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const pa = physical(k, tid, addr + i);
    if (pa < 0) return i === 0 ? undefined : out.subarray(0, i);
    out[i] = ram[pa];
  }
  return out;
}

/** Writes thread `tid`'s memory (Target.writeMemory). */
export function writeMemory(k: Kernel, tid: number, addr: number, bytes: Uint8Array): boolean {
  const pas: number[] = [];
  for (let i = 0; i < bytes.length; i++) { const pa = physical(k, tid, addr + i); if (pa < 0) return false; pas.push(pa); }
  // The bus's host-write choke point: code translated from these bytes is dropped.
  const bus = k.machine.bus;
  pas.forEach((pa, i) => { bus.hostWrite8(pa, bytes[i]); });
  return true;
}
