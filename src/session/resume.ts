// Where a run resumes from a pc breakpoint (docs/architecture.md, "The
// session"). A run that resumes (not one that carries on a run sliced by
// its budget) goes past the breakpoint at the pc it starts from, as a
// debugger's continue does: the environment stopped there executes that
// instruction once before the breakpoint can stop it again. The CPU's own
// skip (Cpu.skipBreakpoint) covers the usual case; this covers the rest:
// - the environment does not get to execute it at once: a timer interrupt
//   taken at that very boundary, or the instruction traps (a TLB miss the
//   kernel or the library OS refills) and is executed again after the
//   handler returns to it. Its next arrival at the pc is still the
//   resumed execution, not a new hit.
// - it did execute it, and comes round to it again (a loop): that is a new
//   hit, and stops the run. (Keeping the resume point until the run's end
//   made a replay, whose runs last millions of cycles, miss every other hit
//   of a breakpoint in a loop.)
// Only the environment's own kernel entries tell which: every trap passes
// through Kernel.onTrap with the EPC set (R3000 manual, ch. 4: EPC is the
// instruction that caused the exception or was interrupted, or the branch
// before it when it is in a delay slot, with Cause.BD set).

import { Cause } from '../emu/index.js';
import type { Kernel } from '../exokernel/index.js';

/** Cpu.skipBreakpoint when nothing is skipped (as the CPU's own). */
const NO_SKIP = -1;

/** The pc a run resumes from and the environment stopped there; see the file comment. */
export class ResumePoint {
  /** The environment trapped at the pc before executing it: its next arrival there is the resumed execution. */
  private interrupted = false;
  /** The resumed execution happened (or can no longer be told apart): every arrival is a hit. */
  private done = false;
  private readonly unlisten: () => void;

  /** The run resumes environment `env` (undefined: none runs) at `pc` on kernel `k`. */
  constructor(private readonly k: Kernel, private readonly env: number | undefined, private readonly pc: number) {
    this.unlisten = k.onTrap.add(() => this.trapped());
  }

  /** A kernel entry: the environment's, at the pc (not executed yet), or past it (executed). */
  private trapped(): void {
    const k = this.k;
    // Once trapped at the pc, its own handlers' kernel entries (a library
    // OS's page-fault handler making system calls) come before its return.
    if (this.done || this.interrupted || k.current?.id !== this.env) return;
    const cpu = k.cpu, epc = cpu.epc >>> 0;
    const at = epc === this.pc || ((cpu.cause & Cause.BD) !== 0 && ((epc + 4) >>> 0) === this.pc);
    if (!at) { this.finish(); return; }
    // Its return to the pc is to stop at the breakpoint and be told apart
    // here (resumes), not slip past on a skip the CPU may still hold.
    this.interrupted = true;
    if (cpu.skipBreakpoint === (this.pc | 0)) cpu.skipBreakpoint = NO_SKIP;
  }

  /** True when the CPU stopping at `pc` in environment `env` is the resumed execution (the run goes past it, once). */
  resumes(env: number | undefined, pc: number): boolean {
    if (this.done || env !== this.env || pc !== this.pc) return false;
    const yes = this.interrupted;
    this.finish();
    return yes;
  }

  /** Stops listening: the run is over, or the point is settled. */
  finish(): void {
    this.done = true;
    this.unlisten();
  }
}
