// Application-specific safe handlers (Wallach, Engler and Kaashoek, SIGCOMM
// 1996; docs/architecture.md, "The exokernel"): MIPS code of the library OS that the
// kernel runs when a packet arrives for it, even when its environment is
// not running. Sandboxed: it runs in user mode in its environment's address
// space on a CPU of its own whose TLB the kernel fills only from that
// environment's bindings, so it can touch nothing else; its only system
// call is net_send, checked as usual; and it is bounded in instructions.
// Anything else aborts it with an event, and the packet goes to the ring.

import { Cause, Cpu, EXC_NAMES, ExcCode, Status, Tlb, Vector, type Bus } from '../emu/index.js';

/** The base of kseg0, the kernel's unmapped segment. */
const KSEG0 = 0x80000000;
import { ASH_BUDGET, ASH_RETURN, Sys } from './abi.js';
import { frameOf, lookup, writeTlb } from './bindings.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';

/** What an ASH run came to. */
export type AshOutcome =
  | { readonly ok: true; readonly consumed: boolean; readonly instructions: number }
  | { readonly ok: false; readonly reason: string; readonly instructions: number };

/** Sends a frame on behalf of an environment; returns the length or a negative error. */
export type AshSend = (env: Env, va: number, len: number) => number;

/** The sandbox CPU, shared by every ASH run (its state is reset each time). */
export class AshRunner {
  private readonly cpu: Cpu;
  private abort: string | undefined;
  private done = false;
  /** Sandbox cycles already charged to the clock in this run. */
  private charged = 0;

  constructor(private readonly k: Kernel, bus: Bus, private readonly send: AshSend) {
    this.cpu = new Cpu(bus);
  }

  /**
   * Runs env's handler at `pc` on the frame at virtual address `frameVa`
   * (`len` bytes). Returns whether it consumed the packet, or why it was
   * aborted. The cycles it used are charged to the clock.
   */
  run(env: Env, pc: number, frameVa: number, len: number): AshOutcome {
    const cpu = this.cpu;
    this.abort = undefined;
    this.done = false;
    this.charged = 0;
    if (env.asid <= 0) return { ok: false, reason: 'the environment has no address space tag yet', instructions: 0 };
    // Nothing of the last run (another environment's, maybe) survives:
    // registers, HI/LO, a load in its delay slot, a branch pending, CP0,
    // the TLB and the translation caches, the counters (Cpu.reset).
    cpu.reset();
    cpu.regs[4] = frameVa | 0;
    cpu.regs[5] = len;
    cpu.regs[31] = ASH_RETURN | 0;
    for (let i = 0; i < Tlb.ENTRIES; i++) cpu.tlb.write(i, (KSEG0 | (i << 12)) | 0, 0); // kernel VPNs: never match a user access
    cpu.entryHi = env.asid << Tlb.ASID_SHIFT;
    cpu.status = Status.KUc | Status.KUp; // user mode, interrupts off
    cpu.flushTranslations();
    cpu.updateInterrupts();
    cpu.exceptionHook = (c, vector) => this.trap(env, c, vector);
    cpu.jump(pc);
    cpu.run(ASH_BUDGET);
    this.k.charge(cpu.cycles - this.charged);
    const instructions = cpu.instret;
    if (this.done) return { ok: true, consumed: cpu.regs[2] === 1, instructions };
    return { ok: false, reason: this.abort ?? `ran past its budget of ${ASH_BUDGET} instructions`, instructions };
  }

  /** The sandbox's exceptions: refills from env's bindings, net_send, the return; all else aborts. */
  private trap(env: Env, cpu: Cpu, vector: number): void {
    const code = (cpu.cause >>> 2) & 31;
    const va = cpu.badVAddr >>> 0;
    if (vector === Vector.UTLB && va === ASH_RETURN && (cpu.epc >>> 0) === ASH_RETURN) {
      this.done = true;
      cpu.requestStop('ash-done');
      return;
    }
    if (vector === Vector.UTLB) {
      const lo = lookup(this.k, env, va >>> 12);
      if (lo !== undefined && frameOf(lo) < this.k.frames.count) {
        writeTlb(cpu, va >>> 12, env.asid, lo);
        this.resume(cpu, cpu.epc);
        return;
      }
      return this.stop(cpu, `touched unmapped memory at 0x${va.toString(16).padStart(8, '0')}`);
    }
    if (code === ExcCode.Sys && (cpu.cause & Cause.BD) === 0) {
      if (cpu.regs[2] !== Sys.NetSend) return this.stop(cpu, `made system call ${cpu.regs[2]}, which an ASH may not`);
      this.k.charge(cpu.cycles - this.charged); // the send happens at the ASH's own time
      this.charged = cpu.cycles;
      cpu.regs[2] = this.send(env, cpu.regs[4], cpu.regs[5]);
      this.resume(cpu, (cpu.epc + 4) | 0);
      return;
    }
    this.stop(cpu, `took ${EXC_NAMES[code] ?? code} at 0x${(cpu.epc >>> 0).toString(16).padStart(8, '0')}${code === ExcCode.AdEL || code === ExcCode.AdES || code === ExcCode.Mod ? ` (address 0x${va.toString(16).padStart(8, '0')})` : ''}`);
  }

  private resume(cpu: Cpu, pc: number): void {
    cpu.status = Status.KUc | Status.KUp;
    cpu.flushTranslations();
    cpu.jump(pc);
  }

  private stop(cpu: Cpu, reason: string): void {
    this.abort = reason;
    cpu.requestStop('ash-abort');
  }
}
