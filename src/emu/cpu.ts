// The R3000A integer unit and its CP0, as the IDT R30xx Family Software
// Reference Manual describes them (ch. 2 "Instruction set", ch. 3
// "Exception management", ch. 6 "Memory management"). MAME's mips1.cpp is the
// model for the structure: one switch on the opcode, a guest exception is a
// state change (EPC, Cause, the KU/IE stack, the vector), never a host throw,
// and a load writes its register only after translation and the bus succeed.
//
// Pipeline effects that software can see are modeled exactly:
// - branch delay slots (the instruction after a branch or jump always runs);
// - the load delay slot: the instruction right after a load or mfc0 still
//   reads the old register value; the loaded value lands after it, unless
//   that instruction itself wrote the register (its write-back is later);
//   lwl/lwr merge with a value still in flight, as the chip forwards it.
//
// This file holds the CPU's state, its exceptions, breakpoints and run
// loop; the interpreter is interp.ts and address translation mmu.ts, both
// methods of `Cpu` set on its prototype.
//
// Speed: RAM accesses are a typed-array index after a one-entry translation
// cache per access kind (fetch, load, store); misses call `translate`, which
// asks the soft TLB (tlb.ts) before the architectural TLB. With a translator
// attached (translate.ts, `useTranslator`), `run` executes hot basic blocks
// as JavaScript functions and the interpreter runs everything else: single
// steps, breakpoints, exceptions and every slow case of a block.

import { Bus } from './bus.js';
import { Cause, Cp0Reg, ExcCode, PRID_R3000A, Status, Tlb, Vector } from './cp0.js';
import * as interp from './interp.js';
import * as isa from './isa.js';
import * as mmu from './mmu.js';
import { NO_TAG } from './mmu.js';
import { primeInterpreter } from './prime.js';
import { TlbArray, type TlbEntry } from './tlb.js';
import type { Translator } from './translate.js';

/** The kind of a memory access, for translation and exception codes. */
export const enum Access { Fetch = 0, Load = 1, Store = 2 }

/** The interpreter's type feedback was primed (prime.ts): done once per process, by the first CPU built. */
let primed = false;
/** Soft TLB context bits: Status.KUc (bit 4) and, for data, Status.IsC (bit 3); see tlb.ts. */
const CTX_KU = 0x10, CTX_ISC = 0x08;

/**
 * Called instead of fetching kseg0 code when the CPU vectors to 0x80000000 or
 * 0x80000080 (docs/architecture.md, "Exception vectors"). On entry EPC, Cause,
 * BadVAddr and Status are set as the chip sets them and `pc` is the vector;
 * the handler must leave `pc` where execution continues (see `Cpu.jump`).
 */
export type ExceptionHook = (cpu: Cpu, vector: number) => void;

/** What a firmware hook did with a fetch. */
export const enum FirmwareResult {
  /** Not a firmware entry point: fetch the word from the bus. */
  NotHandled = 0,
  /** The call is done: continue at `ra`, as `jr ra` would. */
  Returned = 1,
  /** Stay at this pc (the call blocks, or the hook requested a stop). */
  Stay = 2,
}

/**
 * Called when an instruction fetch reaches a physical address outside RAM,
 * with every load in flight landed, so that firmware (the PROM) can be done
 * at high level.
 */
export type FirmwareHook = (paddr: number) => FirmwareResult;

/** The CPU's whole state, for checkpoints. */
export interface CpuState {
  readonly regs: number[];
  readonly hi: number; readonly lo: number; readonly pc: number; readonly npc: number; readonly inDelay: boolean;
  readonly index: number; readonly entryLo: number; readonly context: number; readonly badVAddr: number;
  readonly entryHi: number; readonly status: number; readonly cause: number; readonly epc: number; readonly hwIp: number;
  readonly tlb: readonly TlbEntry[];
  readonly cycles: number; readonly instret: number;
  /** The cycle from which HI/LO hold the last multiply or divide's result (absent in states saved before it was kept: 0). */
  readonly hiloReady?: number;
  readonly ldReg: number; readonly ldVal: number; readonly pendReg: number; readonly pendVal: number;
}

/** Slots of Cpu.i32. */
export const enum I32 { HI = 0, LO = 1, PC = 2, NPC = 3, LD_VAL = 4, PEND_VAL = 5 }
/** Slots of Cpu.f64. */
export const enum F64 { CYCLES = 0, INSTRET = 1, LIMIT = 2, STEP_LIMIT = 3, HILO_READY = 4 }

/** The R3000A: registers, CP0, TLB and the interpreter loop. */
export class Cpu {
  // Hot scalar state lives in typed arrays behind accessors: a field holding
  // a kseg0 pc or a cycle count past 2^30 would box a new heap number on
  // every write (V8 keeps only 31-bit integers unboxed in fields). The
  // translator's blocks index them directly (slots I32 and F64): most blocks
  // never reach optimized code, where an accessor costs a whole call.
  /** HI, LO, pc, npc, ldVal, pendVal (slots I32). */
  readonly i32 = Int32Array.of(0, 0, 0, 4, 0, 0);
  /** cycles, instret, limit, stepLimit, hiloReady (slots F64). */
  readonly f64 = new Float64Array(5);
  // General registers; r0 is forced to zero after every instruction.
  readonly regs = new Int32Array(32);
  get hi(): number { return this.i32[0]; }
  set hi(v: number) { this.i32[0] = v; }
  get lo(): number { return this.i32[1]; }
  set lo(v: number) { this.i32[1] = v; }
  /** Address of the instruction about to execute. */
  get pc(): number { return this.i32[2]; }
  set pc(v: number) { this.i32[2] = v; }
  /** Address of the one after it (differs from pc+4 after a taken branch). */
  get npc(): number { return this.i32[3]; }
  set npc(v: number) { this.i32[3] = v; }
  /** The instruction at `pc` sits in a branch delay slot. */
  inDelay = false;

  // CP0 (R30xx manual, ch. 3 and 6). Cause holds its software-written bits;
  // hardware interrupt lines live in `hwIp` and are ORed in on read.
  index = 0;
  entryLo = 0;
  context = 0;
  badVAddr = 0;
  entryHi = 0;
  status: number = Status.BEV;
  cause = 0;
  epc = 0;
  readonly prid = PRID_R3000A;
  /** Asserted hardware interrupt lines as Cause.IP bits (IP2..IP7). */
  hwIp = 0;
  readonly tlb = new TlbArray();

  /** Cycles since reset (instructions plus any cycles hooks charge). */
  get cycles(): number { return this.f64[0]; }
  set cycles(v: number) { this.f64[0] = v; }
  /** Instructions executed since reset. */
  get instret(): number { return this.f64[1]; }
  set instret(v: number) { this.f64[1] = v; }
  /**
   * The cycle at which the last mult/multu/div/divu's result is in HI/LO:
   * an mfhi or mflo issued before it stalls until it (mul.ts, MULT_LATENCY).
   */
  get hiloReady(): number { return this.f64[F64.HILO_READY]; }
  set hiloReady(v: number) { this.f64[F64.HILO_READY] = v; }

  // Load delay: `ldReg`/`ldVal` is the load the current instruction issued;
  // `pendReg`/`pendVal` the one issued by the previous instruction, which
  // lands after the current one.
  ldReg = 0;
  get ldVal(): number { return this.i32[4]; }
  set ldVal(v: number) { this.i32[4] = v; }
  pendReg = 0;
  get pendVal(): number { return this.i32[5]; }
  set pendVal(v: number) { this.i32[5] = v; }

  // The instruction fields (MIPS RISC Architecture A.2): isa.ts's own
  // extractors, the ones the table, the disassembler and the translator use,
  // set on the prototype below. As methods V8 inlines them with no check
  // (a prototype constant); called through an import or a module constant,
  // optimized-on-entry code (a long run) checks the target at every call:
  // 10% and 4% slower interpreters, measured. rs, rt and rd are *Of here
  // because the decoder's locals carry the field names. (This and the
  // members marked "interp.ts" or "mmu.ts" are the CPU's own, for its files.)
  declare readonly opcode: typeof isa.opcode;
  declare readonly rsOf: typeof isa.rs;
  declare readonly rtOf: typeof isa.rt;
  declare readonly rdOf: typeof isa.rd;
  declare readonly sa: typeof isa.sa;
  declare readonly funct: typeof isa.funct;
  declare readonly imm16: typeof isa.imm16;
  declare readonly simm16: typeof isa.simm16;
  declare readonly target26: typeof isa.target26;

  // The interpreter (interp.ts) and address translation (mmu.ts), methods
  // set on the prototype below, for the same reason: `this.translate(...)`
  // in the interpreter is a call V8 can resolve from the prototype.
  /** Interprets until `cycles` reaches `stepLimit` or a stop (interp.ts). */
  declare readonly interpret: typeof interp.interpret;
  declare readonly hiloIssued: typeof interp.hiloIssued;
  declare readonly hiloWait: typeof interp.hiloWait;
  declare readonly loadWord: typeof interp.loadWord;
  declare readonly storeWord: typeof interp.storeWord;
  declare readonly translateAt: typeof interp.translateAt;
  declare readonly cop0: typeof interp.cop0;
  /** Translates `va` for an access, raising its exception on a fault (mmu.ts). */
  declare readonly translate: typeof mmu.translate;
  /** Translates `va` as a data access would, raising nothing (mmu.ts). */
  declare readonly peek: typeof mmu.peek;
  /** Refills the one-entry fetch cache from the soft TLB; false when it has no entry (mmu.ts). */
  declare readonly refillFetch: typeof mmu.refillFetch;
  declare readonly tlbException: typeof mmu.tlbException;
  declare readonly softLookup: typeof mmu.softLookup;
  declare readonly fill: typeof mmu.fill;

  exceptionHook: ExceptionHook | undefined;
  firmwareHook: FirmwareHook | undefined;

  // One-entry translation caches: tag is the virtual page (low 12 bits 0),
  // base the physical page. Cleared on any change of TLB, ASID or mode.
  // They hold RAM pages only. (fTag/fBase and the contexts are read by the
  // translator's dispatcher; nothing else should touch them.)
  fTag = NO_TAG;
  fBase = 0;
  /** Soft TLB lookup context for fetches and for data (EntryHi.ASID, KUc, IsC). */
  ctxF = 0;
  ctxD = 0;
  lTag = NO_TAG;
  lBase = 0;
  sTag = NO_TAG;
  sBase = 0;
  /** An interrupt is pending and enabled; checked before every instruction. */
  intReady = false;
  /** The run stops when `cycles` reaches it. */
  get limit(): number { return this.f64[2]; }
  set limit(v: number) { this.f64[2] = v; }
  /** The interpreter loop stops when `cycles` reaches it (at most `limit`). */
  get stepLimit(): number { return this.f64[3]; }
  set stepLimit(v: number) { this.f64[3] = v; }
  /** Runs hot code as translated blocks when set (see `useTranslator`). */
  translator: Translator | undefined;
  /** A stop was requested between runs (by a device or a hook outside `run`): the next `run` returns at once. */
  private stopPending = false;
  /** Why the last `run` returned early ("" when it used its budget). */
  stopReason = '';
  /** Instruction breakpoints (virtual addresses): `run` stops before executing one. */
  readonly breakpoints = new Set<number>();
  bpArmed = false;
  /** The next stop at this breakpoint address is skipped once (resuming from it). */
  skipBreakpoint = NO_TAG;
  /**
   * Data watchpoints (virtual address ranges): `run` stops before a load or
   * store that touches one, with reason 'watchpoint' and `watchHit` set,
   * as the R3000's debugger-visible watch would have to (the chip has none;
   * this is the emulator's). Guest memory is never patched.
   */
  private readonly watches: { addr: number; end: number; read: boolean; write: boolean }[] = [];
  /**
   * An instruction or data breakpoint exists: the run loop checks before
   * each instruction, and the translator enters no block that holds one
   * (nor, while a watchpoint exists, a block with a load or store).
   */
  debugArmed = false;
  /** A data watchpoint exists. */
  watchArmed = false;
  /** The next watchpoint stop at this pc is skipped once (resuming from it). */
  skipWatch = NO_TAG;
  /** The access that made the last 'watchpoint' stop. */
  watchHit: { readonly addr: number; readonly size: number; readonly write: boolean } | undefined;

  constructor(readonly bus: Bus) {
    if (!primed) { primed = true; primeInterpreter((b) => new Cpu(b)); }
    bus.addStoreCache(() => { this.sTag = NO_TAG; this.tlb.soft.dropStores(); });
    this.flushTranslations();
  }

  /** Attaches (or with undefined detaches) a block translator used by `run`. */
  useTranslator(t: Translator | undefined): void {
    this.translator = t;
  }

  /**
   * Returns every piece of state to what the constructor gives: registers,
   * HI/LO, pc and the delay-slot flag, both loads in flight, CP0, the TLB
   * (zeroed, as a new TlbArray), the translation caches, the counters, the
   * run limit and any pending stop, breakpoints, watchpoints and both hooks
   * (an attached translator stays: it is wiring, and its blocks are checked
   * against RAM, not CPU state). For a CPU
   * reused by several parties (the ASH sandbox) so that nothing one left
   * behind reaches the next. A test compares every field with a new Cpu's.
   */
  reset(): void {
    this.regs.fill(0);
    this.hi = 0; this.lo = 0;
    this.pc = 0; this.npc = 4; this.inDelay = false;
    this.index = 0; this.entryLo = 0; this.context = 0; this.badVAddr = 0; this.entryHi = 0;
    this.status = Status.BEV; this.cause = 0; this.epc = 0; this.hwIp = 0;
    this.tlb.clear();
    this.cycles = 0; this.instret = 0; this.hiloReady = 0;
    this.ldReg = 0; this.ldVal = 0; this.pendReg = 0; this.pendVal = 0;
    this.exceptionHook = undefined; this.firmwareHook = undefined;
    this.fBase = 0; this.lBase = 0; this.sBase = 0;
    this.flushTranslations();
    this.intReady = false; this.limit = 0; this.stepLimit = 0; this.stopPending = false; this.stopReason = '';
    this.breakpoints.clear(); this.bpArmed = false; this.skipBreakpoint = NO_TAG;
    this.watches.length = 0; this.watchArmed = false; this.debugArmed = false; this.skipWatch = NO_TAG; this.watchHit = undefined;
  }

  /** Starts execution at `addr` (not in a delay slot); loads in flight stay in flight (see commitLoads). */
  jump(addr: number): void {
    this.pc = addr | 0;
    this.npc = (addr + 4) | 0;
    this.inDelay = false;
  }

  /** Makes `run` return before the next instruction, with `reason`. */
  requestStop(reason: string): void {
    this.stopReason = reason;
    this.limit = 0;
    this.stepLimit = 0;
    this.stopPending = true;
  }

  /** Adds (on = true) or removes an instruction breakpoint at virtual address `va`. */
  setBreakpoint(va: number, on: boolean): void {
    if (on) this.breakpoints.add(va >>> 0); else this.breakpoints.delete(va >>> 0);
    this.bpArmed = this.breakpoints.size > 0;
    this.debugArmed = this.bpArmed || this.watches.length > 0;
  }

  /**
   * Adds (on = true) or removes a data watchpoint on the `len` bytes at
   * virtual address `va`, for loads (`read`), stores (`write`) or both.
   * Removing takes away one watchpoint with exactly these fields.
   */
  setWatchpoint(va: number, len: number, read: boolean, write: boolean, on: boolean): void {
    const addr = va >>> 0, end = addr + Math.max(1, len);
    if (on) this.watches.push({ addr, end, read, write });
    else {
      const i = this.watches.findIndex((w) => w.addr === addr && w.end === end && w.read === read && w.write === write);
      if (i >= 0) this.watches.splice(i, 1);
    }
    this.watchArmed = this.watches.length > 0;
    this.debugArmed = this.bpArmed || this.watchArmed;
  }

  /**
   * Whether the instruction at `pc` is a load or store touching a watched
   * range (its address computed as it will be: base register plus offset;
   * lwl/lwr/swl/swr touch their aligned word). Sets `watchHit`. Reads the
   * instruction through the one-entry fetch cache when it holds pc's page
   * (as the fetch after it will), else through `peek`: it changes nothing.
   */
  watched(pc: number): boolean {
    const pa = (pc & 0xfffff003) === this.fTag ? this.fBase | (pc & 0xffc) : this.peek(pc, false);
    if (pa < 0 || pa >= this.bus.ramSize || (pc & 3) !== 0) return false;
    const w = this.bus.ram32[pa >>> 2];
    const op = this.opcode(w);
    if (op < 32 || op > 46 || op === 39 || op === 44 || op === 45) return false;
    const write = op >= 40;
    let va = (this.regs[this.rsOf(w)] + this.simm16(w)) >>> 0;
    let size = (op & 3) === 0 ? 1 : (op & 3) === 1 ? 2 : 4;
    if (op === 34 || op === 38 || op === 42 || op === 46) { va = (va & ~3) >>> 0; size = 4; }
    for (const x of this.watches) {
      if ((write ? x.write : x.read) && va < x.end && va + size > x.addr) { this.watchHit = { addr: va, size, write }; return true; }
    }
    return false;
  }

  /** Ends the current run no later than cycle `c` (a device needs service then). */
  clampLimit(c: number): void {
    if (c < this.limit) this.limit = c;
    if (c < this.stepLimit) this.stepLimit = c;
  }

  /** Drives hardware interrupt lines (a mask of Cause.IP bits 15:10). */
  setHardwareInterrupts(ipBits: number): void {
    this.hwIp = ipBits & 0xfc00;
    this.updateInterrupts();
  }

  /** Recomputes whether an interrupt is to be taken (Status.IEc, IM, Cause.IP). */
  updateInterrupts(): void {
    this.intReady = (this.status & Status.IEc) !== 0 && ((this.cause | this.hwIp) & this.status & Status.IM) !== 0;
  }

  /**
   * Forgets the one-entry translation caches and recomputes the soft TLB's
   * lookup context; call after TLB, EntryHi or Status changes.
   */
  flushTranslations(): void {
    this.fTag = NO_TAG;
    this.lTag = NO_TAG;
    this.sTag = NO_TAG;
    this.updateContexts();
  }

  /** Recomputes the soft TLB lookup contexts from EntryHi and Status. */
  updateContexts(): void {
    this.ctxF = (this.entryHi & Tlb.ASID) | ((this.status & Status.KUc) !== 0 ? CTX_KU : 0);
    this.ctxD = this.ctxF | ((this.status & Status.IsC) !== 0 ? CTX_ISC : 0);
  }

  /** Cause as software reads it: the stored bits with the hardware lines. */
  get causeValue(): number {
    return (this.cause | this.hwIp) >>> 0;
  }

  /** Random as the chip would show it: counts 63 down to 8, once a cycle. */
  get random(): number {
    return Tlb.ENTRIES - 1 - (this.cycles % (Tlb.ENTRIES - Tlb.WIRED));
  }

  /**
   * Takes exception `code` for the instruction at `pc` (R30xx manual, 3.3):
   * lands a load in flight, sets EPC (the branch when in a delay slot) and
   * Cause.BD/CE/ExcCode, pushes the KU/IE stack, and vectors by BEV and
   * `refill`. Calls the exception hook for the two kseg0 vectors.
   */
  raise(code: ExcCode, refill = false, ce = 0): void {
    this.commitLoads();
    this.epc = this.inDelay ? (this.pc - 4) | 0 : this.pc;
    this.cause = (this.cause & Cause.SW) | (this.inDelay ? Cause.BD : 0) | (ce << Cause.CE_SHIFT) | (code << Cause.EXC_SHIFT);
    this.status = (this.status & ~Status.KUIE) | ((this.status << 2) & Status.KUIE);
    this.flushTranslations();
    this.intReady = false;
    const bev = (this.status & Status.BEV) !== 0;
    const vector = refill ? (bev ? Vector.BEV_UTLB : Vector.UTLB) : (bev ? Vector.BEV_GENERAL : Vector.GENERAL);
    this.jump(vector);
    if (!bev && this.exceptionHook) this.exceptionHook(this, vector);
  }

  /**
   * Lands every load still in flight: the one the previous instruction issued
   * and the one the current instruction issued. An exception or a firmware
   * call does this, as the pipeline completes instructions already past MEM.
   */
  commitLoads(): void {
    const r = this.regs;
    if (this.pendReg !== 0) { r[this.pendReg] = this.pendVal; this.pendReg = 0; }
    if (this.ldReg !== 0) { r[this.ldReg] = this.ldVal; this.ldReg = 0; }
    r[0] = 0;
  }

  /** Raises AdEL or AdES for `va` and sets BadVAddr. */
  addressError(va: number, kind: Access): void {
    this.badVAddr = va | 0;
    this.raise(kind === Access.Store ? ExcCode.AdES : ExcCode.AdEL);
  }

  /** The whole CPU state (registers, CP0, TLB, pipeline, counters) as plain data. */
  save(): CpuState {
    return {
      regs: [...this.regs], hi: this.hi, lo: this.lo, pc: this.pc, npc: this.npc, inDelay: this.inDelay,
      index: this.index, entryLo: this.entryLo, context: this.context, badVAddr: this.badVAddr,
      entryHi: this.entryHi, status: this.status, cause: this.cause, epc: this.epc, hwIp: this.hwIp,
      tlb: this.tlb.entries(), cycles: this.cycles, instret: this.instret, hiloReady: this.hiloReady,
      ldReg: this.ldReg, ldVal: this.ldVal, pendReg: this.pendReg, pendVal: this.pendVal,
    };
  }

  /** Restores a state from `save()`; translation caches start empty. */
  restore(s: CpuState): void {
    this.regs.set(s.regs);
    Object.assign(this, {
      hi: s.hi, lo: s.lo, pc: s.pc, npc: s.npc, inDelay: s.inDelay, index: s.index, entryLo: s.entryLo,
      context: s.context, badVAddr: s.badVAddr, entryHi: s.entryHi, status: s.status, cause: s.cause,
      epc: s.epc, hwIp: s.hwIp, cycles: s.cycles, instret: s.instret, hiloReady: s.hiloReady ?? 0, ldReg: s.ldReg, ldVal: s.ldVal,
      pendReg: s.pendReg, pendVal: s.pendVal,
    });
    this.tlb.load(s.tlb);
    this.stopPending = false;
    // A skip once past a breakpoint belonged to the moment left behind.
    this.skipBreakpoint = NO_TAG; this.skipWatch = NO_TAG;
    this.flushTranslations();
    this.updateInterrupts();
  }

  /** Executes one instruction (or takes one interrupt) in the interpreter; returns like `run`. */
  step(): string {
    if (this.stopPending) { this.stopPending = false; return this.stopReason; }
    this.limit = this.stepLimit = this.cycles + 1;
    this.stopReason = '';
    this.interpret();
    this.stopPending = false;
    return this.stopReason;
  }

  /**
   * Runs until `cycles` reaches `limit` or something requests a stop, through
   * the translator when one is attached. Returns the stop reason, "" when the
   * budget ran out.
   */
  run(limit: number): string {
    if (this.stopPending) { this.stopPending = false; return this.stopReason; }
    this.limit = this.stepLimit = limit;
    this.stopReason = '';
    if (this.translator !== undefined) this.translator.run(this);
    else this.interpret();
    this.stopPending = false;
    return this.stopReason;
  }
}

// The field extractors, the interpreter and address translation of `Cpu` (see their declarations).
Object.assign(Cpu.prototype, {
  opcode: isa.opcode, rsOf: isa.rs, rtOf: isa.rt, rdOf: isa.rd, sa: isa.sa, funct: isa.funct,
  imm16: isa.imm16, simm16: isa.simm16, target26: isa.target26,
  interpret: interp.interpret, hiloIssued: interp.hiloIssued, hiloWait: interp.hiloWait, loadWord: interp.loadWord,
  storeWord: interp.storeWord, translateAt: interp.translateAt, cop0: interp.cop0,
  translate: mmu.translate, peek: mmu.peek, refillFetch: mmu.refillFetch, tlbException: mmu.tlbException,
  softLookup: mmu.softLookup, fill: mmu.fill,
});

export { Cp0Reg };
