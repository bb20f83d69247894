// Code generation for the block translator (translate.ts): one MIPS I basic
// block becomes the source of one JavaScript function. The function keeps
// the registers it uses in locals, resolves the load delay slot at
// translation time (a loaded value lands after the next instruction, unless
// that instruction wrote the register: cpu.ts's rule), and turns a block
// whose branch goes back to its own start, or whose end or one of whose
// side exits leaves for it, into a JS loop that checks the cycle limit
// every iteration; a block with further parts (BlockPlan.parts) is a
// switch on the part inside that loop, and a part's end or side exit that
// leaves for another part's start goes on there the same way. Loads and
// stores remember the last page the soft TLB gave them (Gen.access): a run
// of accesses to one page checks one tag. A branch inside the block
// (BlockPlan.sides) leaves it after its delay slot when it went elsewhere
// than the block's next word (the fall-through, or the target of a branch,
// call or return the block follows: translate.ts), with the state exact there.
//
// A block never touches a device, and raises only the exceptions syscall
// and break always raise (R30xx manual, 3.3), last in the block or skipped
// by a jump inside it (translate.ts plans past them then): every slow
// case (a soft TLB miss, an address error, an overflow, a store to a page
// with translated code, a coprocessor-unusable COP0 instruction) leaves the
// function with the CPU exactly as the interpreter would have it before that
// instruction, and the interpreter re-executes it. syscall and break leave
// the same way and then take their exception as the interpreter does
// (`trap`). An instruction that changes what later instructions see (mtc0
// of Status or Cause, rfe: the mode, interrupts) or always traps ends its
// block (shape End; a trap that a jump inside the block skips need not); so do the TLB writes, tlbr and mtc0 of EntryHi in
// mapped code (they may remap the block's own page), which a block in
// kseg0/kseg1 holds anywhere: they go through cp0ops.ts as the
// interpreter's do, and a TLB write drops the soft TLB entries it makes
// stale (tlb.ts), which the block's later loads and stores read. bc0f and
// bc0t are branches (CpCond0 is always true: cpu.ts). Instructions a block
// cannot hold (COP1-3, reserved) end the block before them.

import { Cp0Reg, ExcCode, Status, Tlb } from './cp0.js';
import { Cop0Funct } from './cp0ops.js';
import { F64, I32 } from './cpu.js';
import { funct, imm16, opcode, rd, rs, rt, sa, simm16, target26 } from './isa.js';
import { DIV_LATENCY, MULT_LATENCY } from './mul.js';
import { SOFT_TLB_ENTRIES } from './tlb.js';

/** What the translator needs to know about a block before compiling it. */
export interface BlockPlan {
  /** Virtual address of the first instruction. */
  readonly va: number;
  /** The instruction words, in order (the delay slot included). */
  readonly words: readonly number[];
  /** The last two words are a branch and its delay slot. */
  readonly branches: boolean;
  /**
   * The delay slots of the conditional branches before the last (a block
   * runs on through branches not taken: a superblock); when such a branch
   * is taken the block ends after its delay slot, at the target.
   */
  readonly sides?: readonly number[];
  /** Registers the first instruction reads, as a bit mask. */
  readonly reads0: number;
  /**
   * The virtual address of each word, when the block follows a jump, a
   * call, a return or a branch (translate.ts): the word after its delay
   * slot is at its target, not 4 further on. Absent: word i is at va + 4i.
   */
  readonly addrs?: readonly number[];
  /**
   * Where the block's end leaves for when it has no final branch: the
   * address after its last word, or, when that word is the delay slot of
   * a jump it followed, the jump's target. Absent: the address after the
   * last word.
   */
  readonly next?: number;
  /**
   * Further parts of the same function: blocks (each a plan of its own,
   * without parts) that a part's end, or a side exit, goes on to without
   * returning to the dispatcher when it leaves for one's first address
   * with no load in flight and the cycle limit has room for that part, as
   * a block's end goes round its own JS loop. translate.ts gives a block
   * whose final indirect jump went to several places the blocks there.
   * Every part starts with no load in flight.
   */
  readonly parts?: readonly BlockPlan[];
}

/**
 * The target of branch or jump `w` at `pc`: j and jal in the delay slot's
 * 256 MiB region, the others relative to the delay slot; -1 for jr and
 * jalr (a register's).
 */
export function branchTarget(w: number, pc: number): number {
  const op = opcode(w);
  if (op === 2 || op === 3) return (((pc + 4) & 0xf0000000) | (target26(w) << 2)) | 0;
  return op === 0 ? -1 : (pc + 4 + (simm16(w) << 2)) | 0;
}

/** The virtual address of word i of `plan`. */
const addrOf = (plan: BlockPlan, i: number): number => (plan.addrs === undefined ? (plan.va + 4 * i) | 0 : plan.addrs[i] | 0);

/** Whether word i of `plan` is the delay slot of a jump the block follows (the next word is at its target). */
const followed = (plan: BlockPlan, i: number): boolean => plan.addrs !== undefined && i + 1 < plan.words.length && (plan.addrs[i + 1] | 0) !== ((plan.addrs[i] + 4) | 0);

/**
 * How the translator treats an instruction word: one a block holds
 * anywhere, a branch or jump, one a block holds only as its last
 * instruction (the delay slot included), or one that ends a block before it.
 */
export const enum Shape { Simple = 0, Branch = 1, Stop = 2, End = 3 }

/** Whether virtual address `va` is in kseg0 or kseg1, where no TLB state changes what is fetched (R30xx manual, 6.1). */
export function unmappedVa(va: number): boolean {
  const seg = va >>> 29;
  return seg === 4 || seg === 5;
}

/** Classifies `w` (see Shape), in a block at an unmapped address when `unmapped`. */
export function shapeOf(w: number, unmapped = false): Shape {
  const op = opcode(w);
  switch (op) {
    case 0:
      switch (funct(w)) {
        case 8: case 9: return Shape.Branch; // jr jalr
        case 0: case 2: case 3: case 4: case 6: case 7: case 16: case 17: case 18: case 19:
        case 24: case 25: case 26: case 27: case 32: case 33: case 34: case 35: case 36:
        case 37: case 38: case 39: case 42: case 43: return Shape.Simple;
        case 12: case 13: return Shape.End; // syscall break
        default: return Shape.Stop; // reserved
      }
    case 1: return (rt(w) & 0x0e) === 0 ? Shape.Branch : Shape.Stop;
    case 2: case 3: case 4: case 5: case 6: case 7: return Shape.Branch;
    case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15:
    case 32: case 33: case 34: case 35: case 36: case 37: case 38:
    case 40: case 41: case 42: case 43: case 46: return Shape.Simple;
    case 16: return cop0Shape(w, unmapped);
    default: return Shape.Stop;
  }
}

/**
 * COP0 (cpu.ts cop0): mfc0 and tlbp anywhere; rfe, and mtc0 of Status or
 * Cause, last; tlbr, tlbwi, tlbwr and mtc0 of EntryHi anywhere in
 * unmapped code and last in mapped code; other mtc0 anywhere; bc0f/bc0t
 * as branches; reserved encodings not at all.
 */
function cop0Shape(w: number, unmapped: boolean): Shape {
  const r = rs(w);
  const remaps = unmapped ? Shape.Simple : Shape.End;
  if ((r & 0x10) !== 0) {
    switch (funct(w)) {
      case Cop0Funct.RFE: return Shape.End;
      case Cop0Funct.TLBP: return Shape.Simple;
      case Cop0Funct.TLBR: case Cop0Funct.TLBWI: case Cop0Funct.TLBWR: return remaps;
      default: return Shape.Stop;
    }
  }
  switch (r) {
    case 0: return Shape.Simple; // mfc0
    case 4: { // mtc0
      const n = rd(w);
      return n === Cp0Reg.Status || n === Cp0Reg.Cause ? Shape.End : n === Cp0Reg.EntryHi ? remaps : Shape.Simple;
    }
    case 8: return (rt(w) & 0x1e) === 0 ? Shape.Branch : Shape.Stop; // bc0f bc0t
    default: return Shape.Stop;
  }
}

/** The registers `w` reads as sources (bit n for register n), for a block's first instruction. */
export function readsOf(w: number): number {
  const s = 1 << rs(w), t = 1 << rt(w);
  switch (opcode(w)) {
    case 0:
      switch (funct(w)) {
        case 0: case 2: case 3: return t;
        case 8: case 9: case 17: case 19: return s;
        case 12: case 13: case 16: case 18: return 0;
        default: return s | t;
      }
    case 1: case 6: case 7: return s;
    case 2: case 3: case 15: return 0;
    // lwl/lwr merge with rt's old value; stores read rt.
    case 4: case 5: case 34: case 38: case 40: case 41: case 42: case 43: case 46: return s | t;
    case 16: return rs(w) === 4 ? t : 0; // mtc0 reads rt; mfc0, rfe nothing
    default: return s;
  }
}

/** The register the interpreter's `dest` names for `w` (0 when none): the write that discards a load landing. */
export function destOf(w: number): number {
  switch (opcode(w)) {
    case 0: {
      const f = funct(w);
      if (f === 8 || f === 17 || f === 19 || (f >= 24 && f <= 27)) return 0;
      return rd(w);
    }
    case 1: return (rt(w) & 0x10) !== 0 ? 31 : 0;
    case 3: return 31;
    case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15: return rt(w);
    default: return 0;
  }
}

/**
 * The most cycles the HI/LO interlock can add to one run of a block: each
 * mfhi/mflo (funct 16, 18) waits at most DIV_LATENCY - 1 cycles. The
 * dispatcher enters a block only when its instructions and this fit in the
 * cycle limit, so a block never crosses the limit the interpreter stops at.
 */
export function hiloStallMax(words: readonly number[]): number {
  let n = 0;
  for (const w of words) if (opcode(w) === 0 && (funct(w) === 16 || funct(w) === 18)) n++;
  return n * (DIV_LATENCY - 1);
}

/**
 * Whether `words` hold a mult, multu, div or divu. A block without one
 * cannot move HI/LO's ready cycle: once the clock has reached it (the
 * CPU's hiloReady), none of the block's mfhi/mflo can stall, and the
 * bound hiloStallMax need not be kept free below the cycle limit.
 */
export function issuesHiLo(words: readonly number[]): boolean {
  return words.some((w) => opcode(w) === 0 && funct(w) >= 24 && funct(w) <= 27);
}

/**
 * The parameters of every generated factory, in order (I and F: the CPU's
 * i32 and f64 state, slots I32 and F64; cp0r, cp0w, rfe, tlbr, tlbwi,
 * tlbwrAt, tlbp: cp0ops.ts; the
 * unaligned merges: unaligned.ts; trap: translate.ts `trap`).
 */
export const FACTORY_PARAMS = ['cpu', 'R', 'ram8', 'ram16', 'ram32', 'soft', 'hilo', 'mult', 'multu', 'div', 'divu', 'I', 'F',
  'cp0r', 'cp0w', 'rfe', 'lwlM', 'lwrM', 'swlM', 'swrM', 'trap', 'tlbr', 'tlbwi', 'tlbwrAt', 'tlbp'];

/** A COP0 instruction in user mode (Status.KUc) without Status.CU0 raises CpU (R30xx manual, 3.3; cpu.ts). */
const KU_CU0 = Status.KUc | Status.CU0, KU = Status.KUc;
/** Random (cpu.ts `random`): ENTRIES - 1 - cycles % (ENTRIES - WIRED), read shifted into Index's field. */
const TLB_TOP = Tlb.ENTRIES - 1, TLB_RANDOM = Tlb.ENTRIES - Tlb.WIRED, TLB_INDEX_SHIFT = Tlb.INDEX_SHIFT;

/** The soft TLB's slot mask; a block indexes it as tlb.ts softIndex does, `h` being its context shifted down. */
const SOFT_MASK = SOFT_TLB_ENTRIES - 1;

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const reg = (n: number): string => (n === 0 ? '0' : `r${n}`);

/** The register of the load in flight that `ld` ("t,var") names; 0 for none. */
const ldRegOf = (ld: string): number => (ld === '' ? 0 : Number(ld.split(',')[0]));

/**
 * Stands, in a loop's test, for the stall cycles so far and those the next turn may add (`source` replaces it: whether
 * the block keeps the interlock's clock is known only once every instruction is generated).
 */
const STALL = '/*stall*/';

/** Per-exit facts: where the interpreter resumes (pc, unless a side exit was taken: its target) and what is in flight. */
interface Exit { k: number; pc: number; inDelay: boolean; ld: string; trap?: ExcCode; taken?: boolean; end?: boolean }

/** Emits the body of a block; see the file header. */
class Gen {
  /** The part being generated (source: each in turn), `jumps` its inner jumps and `now` its index. */
  private plan: BlockPlan;
  private jumps: ReadonlyMap<number, number>;
  private now = 0;
  /** The first address of each part, and their lengths (a transition's room). */
  private readonly vas: number[];
  private readonly lens: number[];
  private readonly lines: string[] = [];
  private readonly exits: Exit[] = [];
  private readonly used = new Set<number>();
  private readonly written = new Set<number>();
  private usesHiLo = false;
  /** The part being generated ends with an instruction of shape End: it never goes round, nor on to another part. */
  private ends = false;
  /** The block multiplies, divides or reads HI/LO: it keeps the interlock's clock (st, hr). */
  private timed = false;
  /** The block looks the soft TLB up (`access`, lwl/lwr/swl/swr) or changes its context: it keeps ctx, h and the remembered pages. */
  private paged = false;
  /** The block issues a delayed load (a load or mfc0): it keeps the load-delay values lv and pv. */
  private loads = false;
  /** An end or a side exit goes round the JS loop, or on to another part (part, leaveIfTaken): the block keeps `lim`. */
  private loops = false;
  /** The block's words, all parts' (the interlock's bound covers any of them). */
  private readonly all: number[];

  /** The load in flight after instruction i: "t,var" or "". */
  private ld = '';
  /** The load in flight after each instruction (this.ld then), by index: where a jump inside the block may go; one list a part. */
  readonly ldAfter: string[][] = [];
  private ldNow: string[] = [];

  /**
   * `parts`: the block's plan, then its further parts (BlockPlan.parts); `jumps`: for each, the side exits that jump
   * forward inside it instead (delay slot index to target index; innerJumps).
   */
  constructor(private readonly parts: readonly BlockPlan[], private readonly jumpsOf: readonly ReadonlyMap<number, number>[]) {
    this.plan = parts[0];
    this.jumps = jumpsOf[0];
    this.vas = parts.map((p) => p.va | 0);
    this.lens = parts.map((p) => p.words.length);
    this.all = parts.flatMap((p) => p.words);
  }

  source(): string {
    const multi = this.parts.length > 1;
    const body: string[] = [];
    for (let p = 0; p < this.parts.length; p++) {
      this.plan = this.parts[p];
      this.jumps = this.jumpsOf[p];
      this.now = p;
      this.ld = '';
      this.ends = false;
      this.ldNow = [];
      this.ldAfter.push(this.ldNow);
      this.lines.length = 0;
      this.part(p);
      if (multi) body.push(`case ${p}: {`, ...this.lines, '}');
      else body.push(...this.lines);
    }
    const loops = this.loops;
    const regs = [...this.used].sort((a, b) => a - b);
    const head = [
      ...regs.map((i) => `let r${i} = R[${i}];`),
      this.usesHiLo ? `let hi = I[${I32.HI}], lo = I[${I32.LO}];` : '',
      this.timed ? `const cy0 = F[${F64.CYCLES}]; let st = 0, tq = 0, hr = F[${F64.HILO_READY}];` : '',
      // Only what the block uses: V8's lower tiers, where a block runs until TurboFan's code for it lands, pay for every bytecode of every call.
      this.paged ? 'let ctx = cpu.ctxD | 0, h = ctx >>> 3, lpg = -1, lbs = 0, spg = -1, sbs = 0;' : '',
      loops ? `const lim = Math.min(F[${F64.LIMIT}] - F[${F64.CYCLES}], 0x3fffffff) | 0;` : '',
      'let c = 0, x = 0, tgt = 0, va = 0, ix = 0, s = 0, ld0 = 0, ld1 = 0;',
      multi ? 'let pt = 0;' : '',
      this.loads ? `let lv = I[${I32.LD_VAL}], pv = I[${I32.PEND_VAL}];` : '',
    ];
    // The stalls so far and those the next turn may add (STALL): none once the clock is past HI/LO's ready cycle, when no instruction here moves it (issuesHiLo).
    const max = hiloStallMax(this.all);
    const stall = !this.timed ? '' : max === 0 || issuesHiLo(this.all) ? ` + st + ${max}` : ` + st + (hr > cy0 + c + st ? ${max} : 0)`;
    const back = [
      ...[...this.written].sort((a, b) => a - b).map((i) => `R[${i}] = r${i};`),
      this.usesHiLo ? `I[${I32.HI}] = hi; I[${I32.LO}] = lo;` : '',
    ];
    return [
      "'use strict';", // a name the generator forgot to declare is an error, not a global
      'const lTag = soft.lTag, lBase = soft.lBase, sTag = soft.sTag, sBase = soft.sBase;',
      ...(this.exits.length === 1 ? [] : this.exitTables()),
      // Parenthesized, so that V8 compiles it with the factory instead of preparsing it now and parsing it again at its first call.
      'return (function block() {', ...head,
      multi ? 'L: for (;;) { switch (pt) {' : 'L: for (;;) {',
      ...body.map((l) => l.replaceAll(STALL, stall)),
      multi ? '} }' : '}',
      ...back,
      this.exits.length === 1 ? this.endCode() : this.exitCode(),
      '});',
    ].join('\n');
  }

  /** Emits part p (this.plan): its words, then its end: round its own loop, on to another part, or out. */
  private part(p: number): void {
    const { words, branches } = this.plan;
    const n = words.length;
    const sides = this.plan.sides ?? [];
    // A jump to instruction t breaks out of the labelled block J<p>_<t> that closes just before it; all open at the top, the farthest outermost.
    const targets = [...new Set(this.jumps.values())].sort((a, b) => b - a);
    this.lines.push(...targets.map((t) => `J${p}_${t}: {`));
    for (let i = 0; i < n; i++) {
      if (targets.includes(i)) this.lines.push('}');
      const side = sides.includes(i);
      this.insn(i, words[i], addrOf(this.plan, i), (branches && i === n - 1) || side || followed(this.plan, i));
      if (side) this.leaveIfTaken(i, addrOf(this.plan, i));
      this.ldNow.push(this.ld);
    }
    // Where the end leaves for when the block has no final branch; a block that follows a loop's closing branch may leave for its own start.
    const next = (this.plan.next ?? addrOf(this.plan, n - 1) + 4) | 0;
    if (this.ld === '' && !this.ends) {
      // Round its own loop (a self-loop), or on to another part: with a final branch where it went (one of two places
      // unless the branch is jr or jalr), else where the end leaves for.
      const bt = branches ? branchTarget(words[n - 2], addrOf(this.plan, n - 2)) : -1, fall = (addrOf(this.plan, n - 2) + 8) | 0;
      for (let q = 0; q < this.parts.length; q++) {
        if (branches ? bt !== -1 && bt !== this.vas[q] && fall !== this.vas[q] : next !== this.vas[q]) continue;
        this.loops = true;
        const go = q === p ? '' : ` pt = ${q};`;
        this.lines.push(`if (${branches ? `tgt === ${this.vas[q]} && ` : ''}c${STALL} + ${n + this.lens[q]} <= lim) { c += ${n};${go} continue; }`);
      }
    }
    // The end is the part's last exit: after a branch at its target (flag 2), else at the next address (flag 4: no slow case there).
    this.exits.push({ k: n, pc: branches ? 0 : next, inDelay: false, ld: this.ld, taken: branches, end: !branches });
    this.lines.push(`x = ${this.exits.length}; break L;`);
  }

  /** The interlock's stall cycles, added to the cycles (never to instret) at an exit. */
  private st(): string { return this.timed ? ' + st' : ''; }
  private hr(): string { return this.timed ? `F[${F64.HILO_READY}] = hr; ` : ''; }

  /**
   * The exits as a constant table of the factory, five words an exit (exit
   * x at 5 (x - 1)): the resume pc, the instructions run before it, flags
   * (1 in a delay slot, npc the branch target; 2 a side exit taken or the
   * final branch, pc the target; 4 the end of a block without a final
   * branch), the register of the load in flight (0 for none) and the
   * exception to take there (-1 for none). One exit path reads it, the
   * block's end included: a block's source holds no code per exit, V8
   * compiles a third less of it, and the path has type feedback from the
   * block's first run (optimized code that met an exit path for the first
   * time was thrown away). One Int32Array, not five arrays (where a pc
   * past 2^30 made doubles): a run of short blocks reads fewer objects,
   * 5 to 9% faster on cpumix's kernels (interleaved runs).
   */
  private exitTables(): string[] {
    const ex = this.exits;
    return [
      `const X = new Int32Array([${ex.map((e) => [e.pc, e.k, (e.inDelay ? 1 : 0) | (e.taken ? 2 : 0) | (e.end ? 4 : 0), ldRegOf(e.ld), e.trap ?? -1].join(', ')).join(', ')}]);`,
    ];
  }

  /**
   * The one exit path (exitTables): leaves the state the interpreter has
   * before the instruction its table names, after a side exit taken, or at the end.
   * Returns true only before a slow case. It reads every table and stores
   * inDelay and ldReg whatever the exit (the dispatcher enters a block only
   * with both clear): an access that only some exits reached had no type
   * feedback until one of them was taken, and TurboFan's code for the
   * block was thrown away there ("insufficient type feedback").
   */
  private exitCode(): string {
    return [
      `const e = 5 * x - 5, xp = X[e], k = X[e + 1], fl = X[e + 2], xl = X[e + 3], xt = X[e + 4], at = (fl & 2) !== 0 ? tgt : xp;`,
      `I[${I32.PC}] = at; I[${I32.NPC}] = (fl & 1) !== 0 ? tgt : (at + 4) | 0; cpu.inDelay = (fl & 1) !== 0;`,
      `${this.count('c + k')} cpu.ldReg = xl;`,
      'if (xt >= 0) { trap(cpu, xt); return false; }',
      'return (fl & 6) === 0;',
    ].join('\n');
  }

  /**
   * The exit path of a block whose only exit is its end (no slow case, no
   * side exit: most short blocks): exitCode with the one exit's facts as
   * constants. A block run costs about 40% less with no tables to read
   * (a chain of three-instruction blocks, each jumping to the next:
   * tables are five arrays a block, and a run of blocks reads them all).
   */
  private endCode(): string {
    const e = this.exits[0];
    const at = e.taken ? 'tgt' : `(${hex(e.pc)} | 0)`;
    return [
      `I[${I32.PC}] = ${at}; I[${I32.NPC}] = (${at} + 4) | 0; cpu.inDelay = false;`,
      `${this.count(`c + ${e.k}`)} cpu.ldReg = ${ldRegOf(e.ld)};`,
      'return false;',
    ].join('\n');
  }

  /** Code that adds `n` (and the HI/LO stalls) to the cycle and instruction counters and stores the load-delay values and the interlock back. */
  private count(n: string): string {
    return `F[${F64.CYCLES}] += ${n}${this.st()}; F[${F64.INSTRET}] += ${n}; ${this.hr()}${this.loads ? `I[${I32.LD_VAL}] = lv; I[${I32.PEND_VAL}] = pv;` : ''}`;
  }

  /** Code that leaves the block before instruction i (at `pc`); with `trap`, to take that exception there. */
  private bail(i: number, pc: number, inDelay: boolean, trap?: ExcCode): string {
    this.exits.push({ k: i, pc: pc | 0, inDelay, ld: this.ld, trap });
    return `{ x = ${this.exits.length}; break L; }`;
  }

  /**
   * After the delay slot i (at `pc`) of a branch inside the block: the
   * block goes on at the next word's address (the fall-through, or the
   * target of a branch it follows as if taken: translate.ts); when the
   * branch went elsewhere, leave for there, or jump there when it is
   * further on in the block (`jumps`). The jump takes from `c` the
   * instructions it skips, so that `c` plus an instruction's index stays
   * the count run before it.
   */
  private leaveIfTaken(i: number, pc: number): void {
    const on = i + 1 < this.plan.words.length ? addrOf(this.plan, i + 1) : pc + 4;
    const t = this.jumps.get(i);
    if (t !== undefined) {
      this.lines.push(`if (tgt !== (${hex(on)} | 0)) { c -= ${t - (i + 1)}; break J${this.now}_${t}; }`);
      return;
    }
    this.exits.push({ k: i + 1, pc: 0, inDelay: false, ld: this.ld, taken: true });
    // A side exit that may go to the block's own start goes round the JS loop instead, as the end of a self-loop does
    // (`source`): gcc -Os tests a loop at its top and jumps back to the test from the body's end (b top; top: bnez a0,
    // body; jr ra), so a block planned from the body follows the jump and ends its turn at this side exit. With no load
    // in flight there only: a turn starts with none.
    const w = this.plan.words[i - 1], bt = branchTarget(w, addrOf(this.plan, i - 1));
    const other = bt === (on | 0) ? (addrOf(this.plan, i - 1) + 8) | 0 : bt;
    // So does one to another part's start (BlockPlan.parts), on to that part.
    const p = this.now, q = bt === -1 || this.ld !== '' ? -1 : this.vas.indexOf(other);
    if (q !== -1) this.loops = true;
    const round = q === -1 ? '' : `if (tgt === ${other} && c${STALL} + ${i + 1 + this.lens[q]} <= lim) { c += ${i + 1};${q === p ? '' : ` pt = ${q};`} continue; } `;
    this.lines.push(`if (tgt !== (${hex(on)} | 0)) { ${round}x = ${this.exits.length}; break L; }`);
  }

  /** A COP0 instruction's check: in user mode without CU0 the interpreter raises CpU. */
  private cop0Usable(bail: () => string): void {
    this.lines.push(`if ((cpu.status & ${hex(KU_CU0)}) === ${KU}) ${bail()}`);
  }

  /** mfhi/mflo at instruction i: stall until the multiply or divide's result is ready (cpu.ts hiloWait). */
  private wait(i: number): void {
    this.timed = true;
    this.lines.push(`tq = cy0 + c + ${i} + st; if (tq < hr) st += hr - tq;`);
  }

  private use(n: number): string { if (n !== 0) this.used.add(n); return reg(n); }
  private def(n: number): string { if (n !== 0) { this.used.add(n); this.written.add(n); } return reg(n); }

  /**
   * Random at instruction i: it counts down once a cycle, so it is computed
   * from the cycle the instruction runs in (cpu.ts `random`, which reads
   * the cycles with this instruction already counted).
   */
  private random(i: number): string {
    this.timed = true;
    return `(${TLB_TOP} - ((cy0 + c + ${i + 1} + st) % ${TLB_RANDOM}))`;
  }

  /**
   * COP0 at instruction i (shapeOf): mfc0 is delayed like a load (returns
   * the load it issued); an instruction of shape End in this block ends it;
   * one that changes EntryHi (mtc0, tlbr) refreshes the data context `ctx`
   * the later loads and stores look up the soft TLB with.
   */
  private cop0(i: number, w: number, bail: () => string, loadVar: string): string {
    this.cop0Usable(bail);
    const r = rs(w), t = rt(w);
    const last = (): void => { if (shapeOf(w, unmappedVa(this.plan.va)) === Shape.End) this.ends = true; };
    if ((r & 0x10) !== 0) {
      last();
      switch (funct(w)) {
        case Cop0Funct.RFE: this.lines.push('rfe(cpu);'); break;
        case Cop0Funct.TLBP: this.lines.push('tlbp(cpu);'); break;
        case Cop0Funct.TLBR: this.lines.push(`tlbr(cpu); ctx = cpu.ctxD | 0; h = ctx >>> 3;${this.forget()}`); break;
        case Cop0Funct.TLBWI: this.lines.push(`tlbwi(cpu);${this.forget()}`); break;
        case Cop0Funct.TLBWR: this.lines.push(`tlbwrAt(cpu, ${this.random(i)});${this.forget()}`); break;
        default: throw new Error(`blockgen: 0x${(w >>> 0).toString(16)} is not a block instruction`);
      }
      return '';
    }
    if (r === 4) {
      last();
      this.lines.push(`cp0w(cpu, ${rd(w)}, ${this.use(t)});${rd(w) === Cp0Reg.EntryHi ? ` ctx = cpu.ctxD | 0; h = ctx >>> 3;${this.forget()}` : ''}`);
      return '';
    }
    if (r === 8) { // bc0f bc0t: CpCond0 reads true (cpu.ts cop0)
      const target = branchTarget(w, addrOf(this.plan, i));
      this.lines.push(`tgt = ${hex((t & 1) !== 0 ? target : addrOf(this.plan, i) + 8)} | 0;`);
      return '';
    }
    if (t === 0) return '';
    if (rd(w) === Cp0Reg.Random) {
      this.lines.push(`${loadVar} = ${this.random(i)} << ${TLB_INDEX_SHIFT};`);
    } else this.lines.push(`${loadVar} = cp0r(cpu, ${rd(w)}) | 0;`);
    this.lines.push(`lv = ${loadVar};`);
    this.use(t); this.written.add(t);
    return `${t},${loadVar}`;
  }

  /** Code that forgets the pages `access` remembers (after an instruction that changes the TLB or EntryHi). */
  private forget(): string {
    this.paged = true;
    return ' lpg = -1; spg = -1;';
  }

  /**
   * The soft TLB lookup of a load ('l') or store ('s') of 2^size bytes
   * (size 0, 1 or 3) at `va`; returns the expression of its physical
   * address. The block remembers the last page each table gave it (lpg,
   * lbs; spg, sbs) and looks up only when `va` leaves that page: a run of
   * accesses to one page (a register save area, a loop over an array)
   * checks one tag. The comparison keeps va's misaligned low bits, which
   * neither a remembered page nor a tag has (tags: bits 2:0 clear), so a
   * misaligned address, like a page the soft TLB does not hold, leaves the
   * block before the instruction (the interpreter raises AdEL/AdES or takes
   * the TLB's slow path). Nothing in a block changes the soft TLB but the
   * TLB writes and EntryHi (cop0: they forget the pages).
   */
  private access(table: 'l' | 's', size: number, bail: () => string): string {
    const mask = -4096 | size, pg = `${table}pg`, bs = `${table}bs`;
    this.paged = true;
    this.lines.push(`if ((va & ${mask}) !== ${pg}) { ix = ((va >>> 12) ^ h) & ${SOFT_MASK}; if (${table}Tag[ix] !== ((va & ${mask}) | ctx)) ${bail()} ${pg} = va & -4096; ${bs} = ${table}Base[ix]; }`);
    return `(${bs} | (va & 4095))`;
  }

  /** Emits instruction i; lands the previous load after it, as cpu.ts does. */
  private insn(i: number, w: number, pc: number, inDelay: boolean): void {
    const pending = this.ld;
    const out = this.lines;
    const bail = (): string => this.bail(i, pc, inDelay);
    const loadVar = `ld${i & 1}`;
    let issued = '';
    const op = opcode(w);
    const S = this.use(rs(w)), T = this.use(rt(w));
    const set = (n: number, expr: string): void => { if (n !== 0) out.push(`${this.def(n)} = ${expr};`); };
    const branchTo = (cond: string, target: number): void => {
      out.push(`tgt = (${cond}) ? ${hex(target)} | 0 : ${hex(pc + 8)} | 0;`);
    };
    const btarget = (pc + 4 + (simm16(w) << 2)) | 0;
    switch (op) {
      case 0: {
        const D = rd(w);
        switch (funct(w)) {
          case 0: set(D, `${T} << ${sa(w)}`); break;
          case 2: set(D, `(${T} >>> ${sa(w)}) | 0`); break;
          case 3: set(D, `${T} >> ${sa(w)}`); break;
          case 4: set(D, `${T} << (${S} & 31)`); break;
          case 6: set(D, `(${T} >>> (${S} & 31)) | 0`); break;
          case 7: set(D, `${T} >> (${S} & 31)`); break;
          case 8: out.push(`tgt = ${S};`); break;
          // Always leaves; only a jump inside the block reaches what follows (translate.ts plans past it for that).
          case 12: this.ends ||= i === this.plan.words.length - 1; out.push(this.bail(i, pc, inDelay, ExcCode.Sys)); break;
          case 13: this.ends ||= i === this.plan.words.length - 1; out.push(this.bail(i, pc, inDelay, ExcCode.Bp)); break;
          case 9: out.push(`tgt = ${S};`); set(D, `${hex(pc + 8)} | 0`); break;
          case 16: this.usesHiLo = true; this.wait(i); set(D, 'hi'); break;
          case 17: this.usesHiLo = true; out.push(`hi = ${S};`); break;
          case 18: this.usesHiLo = true; this.wait(i); set(D, 'lo'); break;
          case 19: this.usesHiLo = true; out.push(`lo = ${S};`); break;
          case 24: case 25: case 26: case 27: {
            this.usesHiLo = true; this.timed = true;
            const f = ['mult', 'multu', 'div', 'divu'][funct(w) - 24];
            const latency = funct(w) < 26 ? MULT_LATENCY : DIV_LATENCY;
            // Issued at cycle cy0 + c + i + st (cpu.ts hiloIssued): ready `latency` later.
            out.push(`${f}(${S}, ${T}); hi = hilo[0]; lo = hilo[1]; hr = cy0 + c + ${i} + st + ${latency};`);
            break;
          }
          case 32: out.push(`s = ${S} + ${T}; if (s > 0x7fffffff || s < -0x80000000) ${bail()}`); set(D, 's'); break;
          case 33: set(D, `(${S} + ${T}) | 0`); break;
          case 34: out.push(`s = ${S} - ${T}; if (s > 0x7fffffff || s < -0x80000000) ${bail()}`); set(D, 's'); break;
          case 35: set(D, `(${S} - ${T}) | 0`); break;
          case 36: set(D, `${S} & ${T}`); break;
          case 37: set(D, `${S} | ${T}`); break;
          case 38: set(D, `${S} ^ ${T}`); break;
          case 39: set(D, `~(${S} | ${T})`); break;
          case 42: set(D, `${S} < ${T} ? 1 : 0`); break;
          case 43: set(D, `(${S} >>> 0) < (${T} >>> 0) ? 1 : 0`); break;
          default: throw new Error(`blockgen: 0x${(w >>> 0).toString(16)} is not a block instruction`);
        }
        break;
      }
      case 1: {
        const link = (rt(w) & 0x10) !== 0;
        out.push(`s = ${S};`);
        if (link) set(31, `${hex(pc + 8)} | 0`);
        branchTo((rt(w) & 1) !== 0 ? 's >= 0' : 's < 0', btarget);
        break;
      }
      case 2: case 3: {
        const target = ((pc + 4) & 0xf0000000) | (target26(w) << 2);
        if (op === 3) set(31, `${hex(pc + 8)} | 0`);
        out.push(`tgt = ${hex(target)} | 0;`);
        break;
      }
      case 4: branchTo(`${S} === ${T}`, btarget); break;
      case 5: branchTo(`${S} !== ${T}`, btarget); break;
      case 6: branchTo(`${S} <= 0`, btarget); break;
      case 7: branchTo(`${S} > 0`, btarget); break;
      case 8: out.push(`s = ${S} + ${simm16(w)}; if (s > 0x7fffffff || s < -0x80000000) ${bail()}`); set(rt(w), 's'); break;
      case 9: set(rt(w), `(${S} + ${simm16(w)}) | 0`); break;
      case 10: set(rt(w), `${S} < ${simm16(w)} ? 1 : 0`); break;
      case 11: set(rt(w), `(${S} >>> 0) < ${simm16(w) >>> 0} ? 1 : 0`); break;
      case 12: set(rt(w), `${S} & ${imm16(w)}`); break;
      case 13: set(rt(w), `${S} | ${imm16(w)}`); break;
      case 14: set(rt(w), `${S} ^ ${imm16(w)}`); break;
      case 15: set(rt(w), `${imm16(w) << 16}`); break;
      case 32: case 33: case 35: case 36: case 37: {
        const size = op & 3;
        out.push(`va = (${S} + ${simm16(w)}) | 0;`);
        const pa = this.access('l', size, bail);
        const read = size === 3 ? `ram32[${pa} >>> 2]` : size === 1 ? `ram16[${pa} >>> 1]` : `ram8[${pa}]`;
        const ext = op === 32 ? `(${read} << 24) >> 24` : op === 33 ? `(${read} << 16) >> 16` : read;
        if (rt(w) !== 0) { out.push(`${loadVar} = ${ext}; lv = ${loadVar};`); issued = `${rt(w)},${loadVar}`; this.use(rt(w)); this.written.add(rt(w)); }
        break;
      }
      case 16: issued = this.cop0(i, w, bail, loadVar); break;
      case 34: case 38: {
        // lwl/lwr: the aligned word, merged with rt as the previous instruction left it in flight (cpu.ts).
        this.paged = true;
        out.push(`va = (${S} + ${simm16(w)}) | 0;`);
        out.push(`ix = ((va >>> 12) ^ h) & ${SOFT_MASK}; if (lTag[ix] !== ((va & -4096) | ctx)) ${bail()}`, 's = ram32[(lBase[ix] | (va & 4092)) >>> 2];');
        if (rt(w) !== 0) {
          const [pt, pvar] = pending === '' ? ['', ''] : pending.split(',');
          const old = Number(pt) === rt(w) ? pvar : T;
          out.push(`${loadVar} = ${op === 34 ? 'lwlM' : 'lwrM'}(${old}, s, va & 3); lv = ${loadVar};`);
          issued = `${rt(w)},${loadVar}`; this.written.add(rt(w));
        }
        break;
      }
      case 42: case 46: {
        this.paged = true;
        out.push(`va = (${S} + ${simm16(w)}) | 0;`);
        out.push(`ix = ((va >>> 12) ^ h) & ${SOFT_MASK}; if (sTag[ix] !== ((va & -4096) | ctx)) ${bail()}`, 'ix = (sBase[ix] | (va & 4092)) >>> 2;');
        out.push(`ram32[ix] = ${op === 42 ? 'swlM' : 'swrM'}(ram32[ix], ${T}, va & 3);`);
        break;
      }
      case 40: case 41: case 43: {
        const size = op & 3;
        out.push(`va = (${S} + ${simm16(w)}) | 0;`);
        const pa = this.access('s', size, bail);
        out.push(size === 3 ? `ram32[${pa} >>> 2] = ${T};` : size === 1 ? `ram16[${pa} >>> 1] = ${T};` : `ram8[${pa}] = ${T};`);
        break;
      }
      default: throw new Error(`blockgen: 0x${(w >>> 0).toString(16)} is not a block instruction`);
    }
    if (pending !== '') {
      // The interpreter moved the load in flight to pendVal as this instruction
      // started (an exit above still shows the state before it) and lands it now.
      const [t, v] = pending.split(',');
      out.push(`pv = ${v};`);
      if (destOf(w) !== Number(t)) out.push(`r${t} = ${v};`);
    }
    if (issued !== '') this.loads = true;
    this.ld = issued;
  }
}

/**
 * The source of a factory (parameters FACTORY_PARAMS) that returns the
 * block's function. The function returns true when it left early: the
 * instruction at cpu.pc is a slow case for the interpreter.
 */
export function blockSource(plan: BlockPlan): string {
  const parts = [plan, ...(plan.parts ?? [])];
  const jumps = parts.map(innerJumps);
  for (;;) {
    const gen = new Gen(parts, jumps);
    const src = gen.source();
    // Both ways into a target must leave no load in flight (the load delay is resolved at translation time).
    let bad = false;
    jumps.forEach((js, p) => {
      for (const [d, t] of js) if (gen.ldAfter[p][d] !== '' || gen.ldAfter[p][t - 1] !== '') { js.delete(d); bad = true; }
    });
    if (!bad) return src;
  }
}

/**
 * The side exits of `plan` whose target is further on in the block: delay
 * slot index to target index. Taken, such a branch jumps there inside the
 * function instead of leaving it (a loop whose body skips ahead to its
 * closing branch stays one JS loop). The target must not be a delay slot.
 */
function innerJumps(plan: BlockPlan): Map<number, number> {
  const { words, va } = plan, n = words.length, out = new Map<number, number>();
  for (const d of plan.sides ?? []) {
    if (followed(plan, d)) continue; // a branch the block follows as if taken: its target is the next word, and it leaves when not taken
    const target = branchTarget(words[d - 1], addrOf(plan, d - 1));
    // The first word after the slot at the target's address (a block that follows jumps holds each address once).
    let t = -1;
    for (let k = d + 1; k < n; k++) if (addrOf(plan, k) === target) { t = k; break; }
    if (t > d && shapeOf(words[t - 1], unmappedVa(va)) !== Shape.Branch) out.set(d, t);
  }
  return out;
}
