// Lockstep differential testing: the same program on two machines, one
// running translated blocks (translate.ts) and one only the interpreter
// (cpu.ts), compared after every block the first one runs: the whole CPU
// state (registers, pipeline, CP0, TLB, counters) and every RAM page either
// machine wrote since the last comparison. The interpreter is the reference.
// Whatever drives the machines (a bare-metal run, or an exokernel whose
// kernel entries run inside the machine's run) drives both: `runRef`
// brings the reference forward, and `run` takes the fast one's driver.

import type { Cpu } from './cpu.js';
import type { Machine, StopReason } from './machine.js';

/** Instructions a block is interpreted for before it is compiled in the translating machine of a lockstep pair (translate.ts HOT_DEFAULT). */
export const LOCKSTEP_HOT = 4;
/**
 * The same for `exoscope run --engine lockstep`: a whole program's run, where a short block is interpreted a few times
 * first, so that the blocks the translator plans again from those runs (Translator.compile: branches back that fell
 * through, indirect jumps followed where they went) are compared too; at LOCKSTEP_HOT most compile at their first entry,
 * with no runs to plan from.
 */
export const LOCKSTEP_RUN_HOT = 64;
/** Dirty pages of the translating machine compared after every block before its dirty bits are cleared (ramDiff). */
const FAST_DIRTY_MAX = 16;
/** Blocks between comparisons of all the fast machine's dirty pages (see ramDiff). */
const FULL_EVERY = 64;

/** What a lockstep run found. */
export interface LockstepResult {
  readonly reason: StopReason;
  /** Blocks compared. */
  readonly blocks: number;
  /** The first difference, described; undefined when the machines agreed throughout. */
  readonly mismatch: string | undefined;
}

/** Runs `fast` (translating) and `ref` (interpreting) side by side; see the file header. */
export class Lockstep {
  private blocks = 0;
  /** The fast bus's dirty list the last comparison saw, and how many of its pages it compared. */
  private fastList: readonly number[] = [];
  private fastSeen = 0;
  private mismatch: string | undefined;

  /**
   * Throws TypeError unless `fast` translates and `ref` does not.
   * `runRef(cycles)` runs the reference that many cycles (default: its
   * machine's run; an exokernel's run for a kernel's machine).
   */
  constructor(readonly fast: Machine, readonly ref: Machine, private readonly runRef: (cycles: number) => unknown = (n) => ref.run(n), hot = LOCKSTEP_HOT) {
    if (!fast.cpu.translator || ref.cpu.translator) throw new TypeError('Lockstep needs a translating machine and an interpreting one');
    fast.cpu.translator.afterBlock = () => this.check();
    // Compile blocks early, so that short differential runs test translated code, not the interpreter against itself.
    fast.cpu.translator.hot = hot;
  }

  /**
   * Runs both for `budget` cycles, or until they differ (the run stops
   * there); `runFast(budget)` drives the fast machine (default: its run).
   */
  run<R = StopReason>(budget: number, runFast: (budget: number) => R = (b) => this.fast.run(b) as R): { reason: R; blocks: number; mismatch: string | undefined } {
    const reason = runFast(budget);
    if (this.mismatch === undefined) this.check();
    return { reason, blocks: this.blocks, mismatch: this.mismatch };
  }

  /** Brings the reference to the fast machine's cycle and compares. */
  private check(): void {
    if (this.mismatch !== undefined) return;
    this.blocks++;
    const behind = this.fast.cpu.cycles - this.ref.cpu.cycles;
    if (behind > 0) this.runRef(behind);
    const diff = cpuDiff(this.fast.cpu, this.ref.cpu) ?? this.ramDiff();
    if (diff !== undefined) {
      const va = this.fast.cpu.translator!.lastBlockVa;
      const where = va === undefined ? 'no compiled block has run' : `the last run began at 0x${va.toString(16).padStart(8, '0')}`;
      this.mismatch = `after block ${this.blocks} (${where}; cycle ${this.fast.cpu.cycles}): ${diff}`;
      this.fast.stop();
    }
  }

  /**
   * The first RAM page either machine wrote that differs, described. The
   * reference's written pages are taken (its dirty bits cleared). The fast
   * machine's are only read: clearing them drops its store translations
   * (bus.ts takeDirty), and every block would then leave for the
   * interpreter at its first store after each comparison, so that the
   * comparison changed what it compares and blocks' own stores went
   * untested. A page the fast machine wrote stays dirty until cleared, so
   * its dirty pages hold every page it may have written since; they are
   * cleared (rarely) once there are more than FAST_DIRTY_MAX. Each block
   * compares the pages the reference wrote and those the fast machine
   * dirtied since the last comparison; every FULL_EVERY blocks, and
   * before its pages are cleared, all the fast machine's dirty pages (a
   * stray store to a page it had dirtied before is found then, at most
   * FULL_EVERY blocks late, and never missed).
   */
  private ramDiff(): string | undefined {
    const fastBus = this.fast.bus, fastDirty = fastBus.dirtyPages();
    // takeDirty (a checkpoint's, or ours) starts a new list.
    if (fastDirty !== this.fastList) { this.fastList = fastDirty; this.fastSeen = 0; }
    const all = this.blocks % FULL_EVERY === 0 || fastDirty.length > FAST_DIRTY_MAX;
    const pages = new Set(this.ref.bus.takeDirty());
    for (let i = all ? 0 : this.fastSeen; i < fastDirty.length; i++) pages.add(fastDirty[i]);
    this.fastSeen = fastDirty.length;
    const a = fastBus.ram32, b = this.ref.bus.ram32;
    for (const p of pages) {
      for (let i = p << 10; i < (p + 1) << 10; i++) {
        if (a[i] !== b[i]) return `RAM word 0x${(i * 4).toString(16)}: translated 0x${(a[i] >>> 0).toString(16)}, interpreted 0x${(b[i] >>> 0).toString(16)}`;
      }
    }
    if (fastBus.dirtyPages().length > FAST_DIRTY_MAX) fastBus.takeDirty();
    return undefined;
  }
}

const FIELDS = ['pc', 'npc', 'inDelay', 'hi', 'lo', 'cycles', 'instret', 'hiloReady', 'ldReg', 'ldVal', 'pendReg', 'pendVal', 'index', 'entryLo',
  'context', 'badVAddr', 'entryHi', 'status', 'cause', 'epc', 'hwIp'] as const;

/** The first field where two CPUs' states differ (even a stale ldVal or pendVal: checkpoints hold them), or undefined. */
export function cpuDiff(a: Cpu, b: Cpu): string | undefined {
  const show = (v: unknown): string => (typeof v === 'number' ? `0x${(v >>> 0).toString(16)}` : String(v));
  for (let i = 0; i < 32; i++) if (a.regs[i] !== b.regs[i]) return `r${i}: translated ${show(a.regs[i])}, interpreted ${show(b.regs[i])}`;
  for (const k of FIELDS) if (a[k] !== b[k]) return `${k}: translated ${show(a[k])}, interpreted ${show(b[k])}`;
  for (let i = 0; i < a.tlb.hi.length; i++) {
    if (a.tlb.hi[i] !== b.tlb.hi[i] || a.tlb.lo[i] !== b.tlb.lo[i]) return `TLB entry ${i} differs`;
  }
  return undefined;
}
