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
// Speed: RAM accesses are a typed-array index after a one-entry translation
// cache per access kind (fetch, load, store); misses call `translate`, which
// asks the soft TLB (tlb.ts) before the architectural TLB. With a translator
// attached (translate.ts, `useTranslator`), `run` executes hot basic blocks
// as JavaScript functions and this interpreter runs everything else: single
// steps, breakpoints, exceptions and every slow case of a block.

import { Bus } from './bus.js';
import { Cause, Cp0Reg, ExcCode, PRID_R3000A, Status, Tlb, Vector } from './cp0.js';
import { DIV_LATENCY, MULT_LATENCY, div, divu, hilo, mult, multu } from './mul.js';
import { cp0Read, cp0Write, rfe, tlbp, tlbr, tlbwi, tlbwr } from './cp0ops.js';
import * as isa from './isa.js';
import { softIndex, TlbArray, type TlbEntry } from './tlb.js';
import type { Translator } from './translate.js';
import { lwlMerge, lwrMerge, swlMerge, swrMerge } from './unaligned.js';
import { primeInterpreter } from './prime.js';

/** The kind of a memory access, for translation and exception codes. */
export const enum Access { Fetch = 0, Load = 1, Store = 2 }

/** Returned by `translate` when the access raised an exception. */
const FAULT = -1;
/** Returned by `translate` for a cached access while Status.IsC isolates the cache. */
const ISOLATED = -2;
/** A translation-cache tag that no address matches. */
const NO_TAG = -1;
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
  // because the decoder's locals carry the field names.
  declare private readonly opcode: typeof isa.opcode;
  declare private readonly rsOf: typeof isa.rs;
  declare private readonly rtOf: typeof isa.rt;
  declare private readonly rdOf: typeof isa.rd;
  declare private readonly sa: typeof isa.sa;
  declare private readonly funct: typeof isa.funct;
  declare private readonly imm16: typeof isa.imm16;
  declare private readonly simm16: typeof isa.simm16;
  declare private readonly target26: typeof isa.target26;

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
  private lTag = NO_TAG;
  private lBase = 0;
  private sTag = NO_TAG;
  private sBase = 0;
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
   * instruction through `peek`, so it changes nothing.
   */
  private watched(pc: number): boolean {
    const pa = this.peek(pc, false);
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

  /** Raises a TLB exception for `va`: BadVAddr, Context.BadVPN, EntryHi.VPN. */
  private tlbException(va: number, code: ExcCode, refill: boolean): void {
    this.badVAddr = va | 0;
    this.context = (this.context & Tlb.CTX_PTEBASE) | (((va >>> 12) << 2) & Tlb.CTX_BADVPN);
    this.entryHi = (va & Tlb.VPN) | (this.entryHi & Tlb.ASID);
    this.raise(code, refill);
  }

  /**
   * Refills the one-entry fetch cache (fTag, fBase) for word-aligned `pc`
   * from the soft TLB, as the interpreter's fetch first tries (`translate`:
   * softLookup); nothing else changes. False when the soft TLB has no entry
   * (or `pc` is misaligned): then only the interpreter's fetch can go on.
   */
  refillFetch(pc: number): boolean {
    return (pc & 3) === 0 && this.softLookup(pc, Access.Fetch) >= 0;
  }

  /**
   * Translates virtual `va` for an access of `kind` (R30xx manual, 6.2).
   * Returns the physical address, ISOLATED for a cached data access while
   * Status.IsC is set, or FAULT after raising the exception.
   */
  translate(va: number, kind: Access): number {
    const hit = this.softLookup(va, kind);
    if (hit >= 0) return hit;
    const seg = va >>> 29;
    let pa: number;
    if (seg >= 4) {
      if ((this.status & Status.KUc) !== 0) { this.addressError(va, kind); return FAULT; }
      if (seg < 6) {
        pa = va & 0x1fffffff;
        if (kind !== Access.Fetch && seg === 4 && (this.status & Status.IsC) !== 0) return ISOLATED;
        this.fill(va, pa, kind);
        return pa;
      }
    }
    const i = this.tlb.find(va & Tlb.VPN, this.entryHi);
    const store = kind === Access.Store;
    if (i < 0) { this.tlbException(va, store ? ExcCode.TLBS : ExcCode.TLBL, seg < 4); return FAULT; }
    const lo = this.tlb.lo[i];
    if ((lo & Tlb.V) === 0) { this.tlbException(va, store ? ExcCode.TLBS : ExcCode.TLBL, false); return FAULT; }
    if (store && (lo & Tlb.D) === 0) { this.tlbException(va, ExcCode.Mod, false); return FAULT; }
    pa = ((lo & Tlb.PFN) | (va & 0xfff)) >>> 0;
    if (kind !== Access.Fetch && (this.status & Status.IsC) !== 0 && (lo & Tlb.N) === 0) return ISOLATED;
    this.fill(va, pa, kind);
    return pa;
  }

  /**
   * Translates `va` as a data access would, without raising anything or
   * touching CP0: for firmware and the debugger. Returns the physical
   * address, or -1 when the access would fault (or hit the isolated cache).
   */
  peek(va: number, write: boolean): number {
    const seg = va >>> 29;
    if (seg >= 4 && seg < 6) return (this.status & Status.KUc) !== 0 ? -1 : va & 0x1fffffff;
    if (seg >= 4 && (this.status & Status.KUc) !== 0) return -1;
    const i = this.tlb.find(va & Tlb.VPN, this.entryHi);
    if (i < 0) return -1;
    const lo = this.tlb.lo[i];
    if ((lo & Tlb.V) === 0 || (write && (lo & Tlb.D) === 0)) return -1;
    return ((lo & Tlb.PFN) | (va & 0xfff)) >>> 0;
  }

  /** The soft TLB's translation of `va` for `kind` (refilling the one-entry cache), or -1. */
  private softLookup(va: number, kind: Access): number {
    this.updateContexts(); // live: a host may have set Status or EntryHi without a flush
    const soft = this.tlb.soft, tag = va & 0xfffff000;
    if (kind === Access.Fetch) {
      const fx = softIndex(va, this.ctxF);
      if (soft.fTag[fx] !== (tag | this.ctxF)) return -1;
      this.fTag = tag; this.fBase = soft.fBase[fx];
      return this.fBase | (va & 0xfff);
    }
    const ix = softIndex(va, this.ctxD);
    if (kind === Access.Load) {
      if (soft.lTag[ix] !== (tag | this.ctxD)) return -1;
      this.lTag = tag; this.lBase = soft.lBase[ix];
      return this.lBase | (va & 0xfff);
    }
    if (soft.sTag[ix] !== (tag | this.ctxD)) return -1;
    this.sTag = tag; this.sBase = soft.sBase[ix];
    return this.sBase | (va & 0xfff);
  }

  /**
   * Caches a successful translation of a RAM page in the one-entry cache and
   * the soft TLB. A store marks its page dirty; a page with translated code
   * gets no store translation, so that every store to it reaches the slow
   * path that invalidates the code (bus.ts, `codePages`).
   */
  private fill(va: number, pa: number, kind: Access): void {
    if (pa >= this.bus.ramSize) return; // devices: always the slow path
    const tag = va & 0xfffff000, base = pa & 0xfffff000, soft = this.tlb.soft;
    if (kind === Access.Fetch) {
      const fx = softIndex(va, this.ctxF);
      this.fTag = tag; this.fBase = base;
      soft.fTag[fx] = tag | this.ctxF; soft.fBase[fx] = base;
      return;
    }
    const ix = softIndex(va, this.ctxD);
    if (kind === Access.Load) {
      this.lTag = tag; this.lBase = base;
      soft.lTag[ix] = tag | this.ctxD; soft.lBase[ix] = base;
    } else {
      const page = pa >>> 12;
      if (this.bus.dirty[page] === 0) this.bus.markDirty(page);
      if (this.bus.codePages[page] !== 0) return;
      this.sTag = tag; this.sBase = base;
      soft.sTag[ix] = tag | this.ctxD; soft.sBase[ix] = base;
    }
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

  /**
   * A multiply or divide issued this cycle (`cycles` already counts it): its
   * result (hilo) goes to HI/LO, ready `latency` cycles after it issued.
   */
  private hiloIssued(latency: number): void {
    this.hi = hilo[0]; this.lo = hilo[1];
    this.hiloReady = this.cycles - 1 + latency;
  }

  /** An mfhi/mflo issued this cycle: stalls (cycles, not instructions) until the result is ready. */
  private hiloWait(): void {
    if (this.cycles - 1 < this.hiloReady) this.cycles = this.hiloReady + 1;
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

  /**
   * Interprets until `cycles` reaches `stepLimit` or a stop; the translator
   * sets `stepLimit` to run a few instructions here. A breakpoint stops the
   * whole run (limit 0, reason "breakpoint").
   *
   * The loop indexes the i32/f64 slots itself instead of going through the
   * accessors (pc, npc, cycles...): V8 inlines every call here from one
   * shared budget of bytecode per function, and spent on accessors and
   * field extractors it leaves mult/multu as calls (--trace-turbo-inlining).
   */
  interpret(): void {
    const r = this.regs, i32 = this.i32, f64 = this.f64;
    const bus = this.bus;
    const ram32 = bus.ram32, ram16 = bus.ram16, ram8 = bus.ram8;
    const ramSize = bus.ramSize;
    while (f64[F64.CYCLES] < f64[F64.STEP_LIMIT]) {
      if (this.intReady) { this.raise(ExcCode.Int); continue; }
      const pc = i32[I32.PC];
      if (this.debugArmed) {
        if (this.bpArmed && this.breakpoints.has(pc >>> 0)) {
          if (this.skipBreakpoint === pc) this.skipBreakpoint = NO_TAG;
          else { this.stopReason = 'breakpoint'; this.limit = this.stepLimit = 0; break; }
        }
        if (this.watchArmed && this.watched(pc)) {
          if (this.skipWatch === pc) this.skipWatch = NO_TAG;
          else { this.stopReason = 'watchpoint'; this.limit = this.stepLimit = 0; break; }
        }
      }
      let pa: number;
      if ((pc & 0xfffff003) === this.fTag) pa = this.fBase | (pc & 0xffc);
      else if ((pc & 3) !== 0) { f64[F64.CYCLES]++; this.addressError(pc, Access.Fetch); continue; }
      else { pa = this.translate(pc, Access.Fetch); if (pa < 0) { f64[F64.CYCLES]++; continue; } }
      let w: number;
      if (pa < ramSize) w = ram32[pa >>> 2];
      else {
        if (this.firmwareHook) {
          this.commitLoads();
          const fr = this.firmwareHook(pa);
          if (fr === FirmwareResult.Returned) { f64[F64.CYCLES]++; f64[F64.INSTRET]++; this.jump(r[31]); continue; }
          if (fr === FirmwareResult.Stay) { f64[F64.CYCLES]++; continue; }
        }
        w = bus.read(pa, 4) | 0;
        if (bus.fault) { bus.fault = false; f64[F64.CYCLES]++; this.raise(ExcCode.IBE); continue; }
      }
      f64[F64.CYCLES]++;
      f64[F64.INSTRET]++;
      const pendReg = this.ldReg;
      if (pendReg !== 0) { this.pendReg = pendReg; i32[I32.PEND_VAL] = i32[I32.LD_VAL]; this.ldReg = 0; }
      const next = i32[I32.NPC];
      i32[I32.NPC] = (next + 4) | 0;
      let branched = false;
      const op = this.opcode(w);
      const rs = this.rsOf(w), rt = this.rtOf(w);
      let dest = 0;
      switch (op) {
        case 0: { // SPECIAL
          const rd = this.rdOf(w);
          switch (this.funct(w)) {
            case 0: r[rd] = r[rt] << this.sa(w); dest = rd; break; // sll
            case 2: r[rd] = r[rt] >>> this.sa(w); dest = rd; break; // srl
            case 3: r[rd] = r[rt] >> this.sa(w); dest = rd; break; // sra
            case 4: r[rd] = r[rt] << (r[rs] & 31); dest = rd; break; // sllv
            case 6: r[rd] = r[rt] >>> (r[rs] & 31); dest = rd; break; // srlv
            case 7: r[rd] = r[rt] >> (r[rs] & 31); dest = rd; break; // srav
            case 8: i32[I32.NPC] = r[rs]; branched = true; break; // jr
            case 9: { const t = r[rs]; r[rd] = (pc + 8) | 0; dest = rd; i32[I32.NPC] = t; branched = true; break; } // jalr
            case 12: this.raise(ExcCode.Sys); continue; // syscall
            case 13: this.raise(ExcCode.Bp); continue; // break
            case 16: this.hiloWait(); r[rd] = i32[I32.HI]; dest = rd; break; // mfhi
            case 17: i32[I32.HI] = r[rs]; break; // mthi
            case 18: this.hiloWait(); r[rd] = i32[I32.LO]; dest = rd; break; // mflo
            case 19: i32[I32.LO] = r[rs]; break; // mtlo
            case 24: mult(r[rs], r[rt]); this.hiloIssued(MULT_LATENCY); break; // mult
            case 25: multu(r[rs], r[rt]); this.hiloIssued(MULT_LATENCY); break; // multu
            case 26: div(r[rs], r[rt]); this.hiloIssued(DIV_LATENCY); break; // div
            case 27: divu(r[rs], r[rt]); this.hiloIssued(DIV_LATENCY); break; // divu
            case 32: { const s = r[rs] + r[rt]; if (s > 0x7fffffff || s < -0x80000000) { this.raise(ExcCode.Ov); continue; } r[rd] = s; dest = rd; break; } // add
            case 33: r[rd] = (r[rs] + r[rt]) | 0; dest = rd; break; // addu
            case 34: { const s = r[rs] - r[rt]; if (s > 0x7fffffff || s < -0x80000000) { this.raise(ExcCode.Ov); continue; } r[rd] = s; dest = rd; break; } // sub
            case 35: r[rd] = (r[rs] - r[rt]) | 0; dest = rd; break; // subu
            case 36: r[rd] = r[rs] & r[rt]; dest = rd; break; // and
            case 37: r[rd] = r[rs] | r[rt]; dest = rd; break; // or
            case 38: r[rd] = r[rs] ^ r[rt]; dest = rd; break; // xor
            case 39: r[rd] = ~(r[rs] | r[rt]); dest = rd; break; // nor
            case 42: r[rd] = r[rs] < r[rt] ? 1 : 0; dest = rd; break; // slt
            case 43: r[rd] = (r[rs] >>> 0) < (r[rt] >>> 0) ? 1 : 0; dest = rd; break; // sltu
            default: this.raise(ExcCode.RI); continue;
          }
          break;
        }
        case 1: { // REGIMM: bltz bgez bltzal bgezal (rt bit 0: ge; rt bit 4: link)
          if ((rt & 0x0e) !== 0) { this.raise(ExcCode.RI); continue; }
          const v = r[rs];
          if ((rt & 0x10) !== 0) { r[31] = (pc + 8) | 0; dest = 31; }
          if ((rt & 1) !== 0 ? v >= 0 : v < 0) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0;
          branched = true;
          break;
        }
        case 2: i32[I32.NPC] = (next & 0xf0000000) | (this.target26(w) << 2); branched = true; break; // j
        case 3: r[31] = (pc + 8) | 0; dest = 31; i32[I32.NPC] = (next & 0xf0000000) | (this.target26(w) << 2); branched = true; break; // jal
        case 4: if (r[rs] === r[rt]) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // beq
        case 5: if (r[rs] !== r[rt]) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // bne
        case 6: if (r[rs] <= 0) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // blez
        case 7: if (r[rs] > 0) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // bgtz
        case 8: { const s = r[rs] + this.simm16(w); if (s > 0x7fffffff || s < -0x80000000) { this.raise(ExcCode.Ov); continue; } r[rt] = s; dest = rt; break; } // addi
        case 9: r[rt] = (r[rs] + this.simm16(w)) | 0; dest = rt; break; // addiu
        case 10: r[rt] = r[rs] < this.simm16(w) ? 1 : 0; dest = rt; break; // slti
        case 11: r[rt] = (r[rs] >>> 0) < (this.simm16(w) >>> 0) ? 1 : 0; dest = rt; break; // sltiu
        case 12: r[rt] = r[rs] & this.imm16(w); dest = rt; break; // andi
        case 13: r[rt] = r[rs] | this.imm16(w); dest = rt; break; // ori
        case 14: r[rt] = r[rs] ^ this.imm16(w); dest = rt; break; // xori
        case 15: r[rt] = this.imm16(w) << 16; dest = rt; break; // lui
        case 16: { // COP0
          if ((this.status & (Status.KUc | Status.CU0)) === Status.KUc) { this.raise(ExcCode.CpU, false, 0); continue; }
          const res = this.cop0(w, rs, rt, next);
          if (res < 0) continue;
          if (res === 1) branched = true;
          break;
        }
        case 17: case 18: case 19: // COP1..COP3: no coprocessor is modeled
          this.raise(ExcCode.CpU, false, op - 16); continue;
        case 32: case 33: case 35: case 36: case 37: { // lb lh lw lbu lhu
          const va = (r[rs] + this.simm16(w)) | 0;
          const size = op & 3; // 0 byte, 1 half, 3 word
          if ((va & size) !== 0) { this.addressError(va, Access.Load); continue; }
          if ((va & 0xfffff000) === this.lTag) pa = this.lBase | (va & 0xfff);
          else { pa = this.translate(va, Access.Load); if (pa === FAULT) continue; }
          let v: number;
          if (pa < 0) v = 0; // isolated cache: the data cache's contents are not modeled
          else if (pa < ramSize) v = size === 3 ? ram32[pa >>> 2] : size === 1 ? ram16[pa >>> 1] : ram8[pa];
          else {
            v = bus.read(pa, size === 3 ? 4 : size === 1 ? 2 : 1);
            if (bus.fault) { bus.fault = false; this.raise(ExcCode.DBE); continue; }
          }
          if (op === 32) v = (v << 24) >> 24; else if (op === 33) v = (v << 16) >> 16;
          if (rt !== 0) { this.ldReg = rt; i32[I32.LD_VAL] = v | 0; }
          break;
        }
        case 34: case 38: { // lwl lwr
          const va = (r[rs] + this.simm16(w)) | 0;
          const v = this.loadWord(va & ~3, va);
          if (v === undefined) continue;
          const old = this.pendReg === rt ? i32[I32.PEND_VAL] : r[rt];
          if (rt !== 0) { this.ldReg = rt; i32[I32.LD_VAL] = op === 34 ? lwlMerge(old, v, va & 3) : lwrMerge(old, v, va & 3); }
          break;
        }
        case 40: case 41: case 43: { // sb sh sw
          const va = (r[rs] + this.simm16(w)) | 0;
          const size = op & 3;
          if ((va & size) !== 0) { this.addressError(va, Access.Store); continue; }
          if ((va & 0xfffff000) === this.sTag) pa = this.sBase | (va & 0xfff);
          else {
            pa = this.translate(va, Access.Store);
            if (pa === FAULT) continue;
            if (pa >= 0 && pa < ramSize && bus.codePages[pa >>> 12] !== 0) bus.codeWrite(pa, size + 1);
          }
          if (pa < 0) break; // isolated cache: the store stays in the cache
          const v = r[rt];
          if (pa < ramSize) {
            if (size === 3) ram32[pa >>> 2] = v; else if (size === 1) ram16[pa >>> 1] = v; else ram8[pa] = v;
          } else {
            bus.write(pa, size === 3 ? 4 : size === 1 ? 2 : 1, size === 3 ? v : size === 1 ? v & 0xffff : v & 0xff);
            if (bus.fault) { bus.fault = false; this.raise(ExcCode.DBE); continue; }
          }
          break;
        }
        case 42: case 46: { // swl swr
          const va = (r[rs] + this.simm16(w)) | 0;
          const aligned = va & ~3;
          const m = this.loadWord(aligned, va, Access.Store);
          if (m === undefined) continue;
          const v = op === 42 ? swlMerge(m, r[rt], va & 3) : swrMerge(m, r[rt], va & 3);
          if (!this.storeWord(aligned, v)) continue;
          break;
        }
        case 49: case 50: case 51: case 57: case 58: case 59: // lwcz swcz
          this.raise(ExcCode.CpU, false, op & 3); continue;
        default:
          this.raise(ExcCode.RI); continue;
      }
      r[0] = 0;
      if (pendReg !== 0) {
        const p = this.pendReg;
        if (p !== 0 && dest !== p) r[p] = i32[I32.PEND_VAL];
        this.pendReg = 0;
      }
      this.inDelay = branched;
      i32[I32.PC] = next;
    }
  }

  /**
   * Reads the aligned word at `aligned` for lwl/lwr/swl/swr (whose address
   * `va` needs no alignment). Returns undefined after raising an exception.
   */
  private loadWord(aligned: number, va: number, kind: Access = Access.Load): number | undefined {
    const pa = this.translateAt(aligned, va, kind);
    if (pa === FAULT) return undefined;
    if (pa === ISOLATED) return 0;
    const v = this.bus.read(pa, 4) | 0;
    if (this.bus.fault) { this.bus.fault = false; this.raise(ExcCode.DBE); return undefined; }
    return v;
  }

  /** Writes the aligned word for swl/swr; false after raising an exception. */
  private storeWord(aligned: number, v: number): boolean {
    const pa = this.translateAt(aligned, aligned, Access.Store);
    if (pa === FAULT) return false;
    if (pa === ISOLATED) return true;
    this.bus.write(pa, 4, v);
    if (this.bus.fault) { this.bus.fault = false; this.raise(ExcCode.DBE); return false; }
    return true;
  }

  /** Translates `aligned`, reporting faults against the unaligned `va`. */
  private translateAt(aligned: number, va: number, kind: Access): number {
    const pa = this.translate(aligned, kind);
    if (pa === FAULT && (this.badVAddr | 0) === (aligned | 0)) this.badVAddr = va | 0;
    return pa;
  }

  /**
   * Executes a COP0 instruction. Returns -1 after raising an exception, 1 for
   * a branch (bc0f/bc0t), 0 otherwise.
   */
  private cop0(w: number, rs: number, rt: number, next: number): number {
    if ((rs & 0x10) !== 0) {
      switch (this.funct(w)) {
        case 1: tlbr(this); return 0;
        case 2: tlbwi(this); return 0;
        case 6: tlbwr(this); return 0;
        case 8: tlbp(this); return 0;
        case 16: rfe(this); return 0;
        default: this.raise(ExcCode.RI); return -1;
      }
    }
    switch (rs) {
      case 0: { // mfc0: delayed like a load
        const v = cp0Read(this, this.rdOf(w));
        if (rt !== 0) { this.ldReg = rt; this.ldVal = v | 0; }
        return 0;
      }
      case 4: cp0Write(this, this.rdOf(w), this.regs[rt]); return 0; // mtc0
      case 8: { // bc0f / bc0t: CpCond0 reads true (the write buffer is always empty)
        if ((rt & 0x1e) !== 0) { this.raise(ExcCode.RI); return -1; }
        if ((rt & 1) !== 0) this.npc = (next + (this.simm16(w) << 2)) | 0;
        return 1;
      }
      default: this.raise(ExcCode.RI); return -1;
    }
  }
}

// The field extractors of `Cpu` (see their declarations).
Object.assign(Cpu.prototype, {
  opcode: isa.opcode, rsOf: isa.rs, rtOf: isa.rt, rdOf: isa.rd, sa: isa.sa, funct: isa.funct,
  imm16: isa.imm16, simm16: isa.simm16, target26: isa.target26,
});

export { Cp0Reg };
