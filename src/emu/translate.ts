// The block translator: runs hot MIPS basic blocks as JavaScript functions
// (blockgen.ts writes them) and the interpreter (cpu.ts) for everything
// else, with results identical to the interpreter's, cycle for cycle.
//
// A block starts at any instruction of a RAM page and runs on through
// forward conditional branches (leaving at the target when one is taken,
// or jumping there inside the block when the target is further on in it:
// fewer dispatches; the spinner's checks are one block, not twenty). It
// follows jumps, calls, returns and closing branches to elsewhere on its
// page, and in kseg0 and kseg1 on the pages beside it (`plan`); planned
// again when compiled, it runs on through branches back that fell through
// in most of its interpreted runs, and follows an indirect jump (jr, jalr)
// to where most of them went (`compile`); when they went to several places,
// the blocks there become further parts of its function, which goes from
// part to part without returning to the dispatcher (`withParts`). It
// ends after any other branch and its delay slot, at the page's end, after an instruction that must be
// last (syscall, break, mtc0, rfe: blockgen.ts Shape.End), or before an
// instruction blocks do not hold. A syscall or break, which always leaves,
// is last only when no side exit before it jumps past it: gcc guards every
// division by a register that way (bnez divisor, 1f; divu; break 7; 1:),
// and a loop that divides stays one block. Blocks are found by physical address and checked against the
// virtual pc (branch targets are virtual). The dispatcher enters a compiled
// block only when the interpreter would run all of it: no interrupt ready,
// not in a delay slot, the fetch translation cached (so the page is mapped
// and the mode may fetch it; the one-entry cache is refilled from the soft
// TLB as the interpreter's fetch would), the whole block inside the cycle limit (its
// instructions and the most its mfhi/mflo can stall: mul.ts), no
// breakpoint inside it (nor, while a data watchpoint is set, a load or
// store). A load in flight from the instruction before the
// block lands first unless the block's first instruction reads its register
// (then the interpreter takes that instruction).
//
// Code invalidation has one choke point: the bus (bus.ts) calls `invalidate`
// for every write to a page holding blocks: CPU stores reach it through the
// store slow path (no store translation is cached for such a page) and host
// writes through `Bus.hostWrite*`.
//
// What the translator keeps is bounded, whatever the guest runs: a block
// holds at most MAX_WORDS instructions; a planned block keeps its length
// and a hash, not its words (compile reads them from RAM, which no write
// has changed since: the write would have dropped the block); a
// translator keeps at most `maxBlocks` blocks and `maxSource` bytes of
// compiled blocks' source, and past either it drops every block and plans
// again, as QEMU flushes its whole translation cache when its code buffer
// is full (tb_flush); the compiled factories and each translator's
// closures are bounded in number and in source bytes. Unbounded, a guest
// that called into every word of pages of nops (a block at each, and a
// key holding its words) took 6.4 MiB of host heap a page: 128 pages
// 825 MiB, and the 3,000 frames an environment may hold would have run
// the host out of memory.

import type { Bus } from './bus.js';
import { Cpu, F64, I32 } from './cpu.js';
import { type BlockPlan, blockSource, branchTarget, destOf, FACTORY_PARAMS, hiloStallMax, issuesHiLo, readsOf, Shape, shapeOf, unmappedVa } from './blockgen.js';
import type { ExcCode } from './cp0.js';
import { cp0Read, cp0Write, rfe, tlbp, tlbr, tlbwi, tlbwrAt } from './cp0ops.js';
import { funct, opcode, rd, rs, rt, simm16 } from './isa.js';
import { div, divu, hilo, mult, multu } from './mul.js';
import { primeDispatcher } from './prime.js';
import { lwlMerge, lwrMerge, swlMerge, swrMerge } from './unaligned.js';

/**
 * Instructions a block runs in the interpreter before it is compiled, by
 * default: it is compiled at the entry that brings its entries times its
 * length to this (a long block sooner, a short one later). Compiling one
 * (writing its source, V8 parsing it, then warming it up through V8's
 * tiers) costs about what interpreting tens of thousands of instructions
 * does, and a block of two or three instructions saves little over
 * interpreting them. Measured headless on living and scavenger from boot
 * (interleaved runs, main-thread CPU): 8192 compiled half the blocks of a
 * fixed 256 entries and ran 7-10% faster, 2048 slower; with the
 * interpreter primed (prime.ts), 16384 ran living 5% and scavenger 3-10%
 * faster than 8192, 32768 like 16384, and the bare-metal cpubench and
 * cpubench-small alike. Before, as entries: 4 compiled three times as
 * many blocks as 256-1024 and replayed the bundled scenarios 30-50%
 * slower. Cold code stays interpreted. A block whose factory exists
 * already (the same code at the same address, compiled before) is
 * compiled on its first entry: that costs one closure (Block.need).
 */
export const HOT_DEFAULT = 16384;
/** Jumps a block follows (to elsewhere on its page), at most. */
const MAX_FOLLOWS = 8;
/** Words (to a branch's delay slot) a block follows a call, a return or a conditional branch into, at most (shortRun). */
const FOLLOW_SHORT = 8;
/**
 * The same for a call: a function's prologue saves registers before its
 * first branch, and a call site is not a loop that many blocks branch
 * into. 24 against 8: cpumix 479 MIPS against 451, the unseen benchmark
 * built -O0 374 against 344 (interleaved medians); attacker.yaml, the
 * replay that compiles most, compiles 14% more source and took 357 ms
 * against 342 (medians of 9, whole processes), the others as before.
 */
const FOLLOW_CALL = 24;
/**
 * A block's final indirect jump is followed to the target most of its interpreted runs went to when the vote for it
 * (Block.votes: runs there less runs elsewhere, about) is at least 1 / PREDICT_VOTES of its entries: about three runs
 * in four went there, or more. 5 (three in five) ran CoreMark built -Os 8% slower (interleaved medians of 7: 405 MIPS
 * against 444), 2 as fast as without predictions; both ran calls through function pointers and Dhrystone faster.
 */
const PREDICT_VOTES = 2;
/**
 * Further parts a compiled block whose final indirect jump was not followed takes, at most: the blocks at the places
 * it went to most (blockgen.ts BlockPlan.parts; Translator.missed). Its function then goes on from one part to
 * another without returning to the dispatcher, as a call through a table of function pointers goes from the loop to
 * one of the functions, and that function's return (followed: PREDICT_VOTES) back into the loop and up to the call.
 */
const MAX_PARTS = 4;
/**
 * Such a block is compiled again with further parts once its successor was not the one chained (Block.link) `hot`
 * / PART_MISS_SHARE times (8,192 by default): only code that runs long enough pays for compiling its parts (each
 * part's code is compiled again in every function that holds it). Given them at its first compile, from its
 * interpreted runs, attacker.yaml's random system calls (a switch whose cases jump to four places) compiled 83% more
 * source (205 KB against 112), and its replay, a short run, took longer; after 4,096 misses 35% more (two blocks
 * with parts), after 8,192 as much as without parts (one).
 */
const PART_MISS_SHARE = 2;
/** Block.parts of a compiled block considered for further parts that got none (Translator.missed): not considered again. */
const NO_PARTS: readonly Block[] = [];
/** Conditional branches a block runs on through, at most. */
const MAX_SIDES = 40;
/** Instructions in a block, at most: a longer run of code is several blocks (the first ends at its last word and leaves for the next address). */
export const MAX_WORDS = 192;
/** Blocks a translator keeps planned by default (Translator.maxBlocks): a block is about 150 bytes. */
export const MAX_BLOCKS = 1 << 16;
/**
 * Bytes of compiled source kept by default: by a translator's live blocks
 * (Translator.maxSource), by its closures, and by the process's factories.
 * The bundled scenarios compile 40 to 100 KiB; a block's source is about
 * 170 bytes an instruction, and V8 keeps it beside the function's code.
 */
export const MAX_SOURCE = 8 << 20;
/** A block without conditional branches run on through (shared: most blocks have none). */
const NO_SIDES: readonly number[] = [];
/** Block.targets of a block without a final indirect jump (never written: the dispatcher counts only where `jump` is set). */
const NO_TARGETS: number[] = [];

/** syscall or break: an instruction that always takes its exception (R30xx manual, 3.3). */
function traps(w: number): boolean {
  return opcode(w) === 0 && (funct(w) === 12 || funct(w) === 13);
}

/**
 * Whether the code at word index `q` (at virtual address `delta` + 4 q) is a loop's
 * head: a block planned from it (running on through forward branches, as
 * `plan` does) would end with a branch back to `q`. A block does not follow
 * a jump there: from its own start that loop is a JS loop (a spinner's
 * checks, a copy loop), and a block that took it in would leave it at
 * every turn.
 */
function loopHead(ram32: Int32Array, q: number, end: number, delta: number, unmapped: boolean): boolean {
  const head = (delta + (q << 2)) | 0;
  for (let p = q; p < end && p - q < MAX_WORDS; p++) {
    const w = ram32[p], shape = shapeOf(w, unmapped);
    if (shape === Shape.Stop || shape === Shape.End) return false;
    if (shape !== Shape.Branch) continue;
    const pc = (delta + (p << 2)) | 0;
    if (forward(w) || skipTo(w, pc, p, end) !== -1) { p++; continue; } // run on through it, past its delay slot
    return branchTarget(w, pc) === head; // jr, jalr (-1): anywhere
  }
  return false;
}

/** The target of `w` when it is an unconditional direct jump at `pc` (j, or b: beq with rs = rt, bgez $zero); else -1. */
function jumpTarget(w: number, pc: number): number {
  const op = opcode(w);
  return op === 2 || (op === 4 && rs(w) === rt(w)) || (op === 1 && rs(w) === 0 && rt(w) === 1) ? branchTarget(w, pc) : -1;
}

/** Whether `w` is a direct call (jal, or bal: bgezal $zero). */
const isCall = (w: number): boolean => opcode(w) === 3 || (opcode(w) === 1 && rs(w) === 0 && rt(w) === 0x11);

/**
 * Whether the code at word index `q` reaches a branch or jump (its delay
 * slot included) within `most` words (FOLLOW_SHORT, or FOLLOW_CALL for a
 * call) before `end`: code short enough for a block to take a copy of
 * where it follows a call, a return or a conditional branch. Longer code stays a block of its own: every block
 * that followed into it would compile it again (in attacker.yaml four
 * two-word blocks that branch into one loop became four 26-word blocks,
 * and the replay compiled a third more source).
 */
function shortRun(ram32: Int32Array, q: number, end: number, unmapped: boolean, most = FOLLOW_SHORT): boolean {
  for (let p = q; p < end && p - q < most; p++) {
    const shape = shapeOf(ram32[p], unmapped);
    if (shape === Shape.Branch) return p + 1 - q < most;
    if (shape !== Shape.Simple) return false;
  }
  return false;
}

/** Whether `w` writes $ra (r31): the return address a block predicts for `jr $ra` is then unknown. */
function writesRa(w: number): boolean {
  const op = opcode(w);
  return destOf(w) === 31 || (((op >= 32 && op <= 38) || (op === 16 && rs(w) === 0)) && rt(w) === 31); // loads, mfc0
}

/** jr $ra: a return. */
const isReturn = (w: number): boolean => opcode(w) === 0 && funct(w) === 8 && rs(w) === 31;

/** The target of `w` when it is a conditional branch at `pc` (bltz, bgez, bltzal, bgezal, beq, bne, blez, bgtz; not bc0f/bc0t); else -1. */
function condTarget(w: number, pc: number): number {
  const op = opcode(w);
  return (op === 1 && (rt(w) & 0x0e) === 0) || (op >= 4 && op <= 7) ? branchTarget(w, pc) : -1;
}

/**
 * The physical word index of the target of `w`, an unconditional direct
 * jump at `pc` (word index p), when it is past the jump's delay slot and
 * before `limit` (the end of the block's window, or of its room; the
 * window is where the physical index follows from the address: plan);
 * otherwise -1.
 */
function skipTo(w: number, pc: number, p: number, limit: number): number {
  const target = jumpTarget(w, pc);
  if (target === -1) return -1;
  const t = p + ((target - pc) >> 2);
  return t > p + 1 && t < limit ? t : -1;
}

/**
 * Whether branch word `w` is conditional (not j, jal, jr, jalr, nor beq
 * with rs = rt) and forward: one a block runs on through. A backward branch
 * is a loop, taken most times: the block ends there (and is a JS loop when
 * it goes back to its own start).
 */
function forward(w: number): boolean {
  const op = opcode(w);
  if (op !== 1 && !(op >= 5 && op <= 7) && !(op === 4 && rs(w) !== rt(w))) return false;
  return simm16(w) >= 0; // the target is past the delay slot
}

/** Words per RAM page. */
const PAGE_WORDS = 1024;
/**
 * RAM pages on each side of its first word's page that a block in kseg0 or
 * kseg1 may hold words of (plan: its window). cpumix's fib lies across a
 * page boundary: 68% of its block runs ended at a jump, call, return or
 * page end that crossed it.
 */
const WINDOW_PAGES = 1;
/** Compiled factories kept across machines (the same image compiles once per process). */
const MAX_FACTORIES = 20000;

type Factory = (...args: unknown[]) => () => boolean;
/** A compiled factory and the length of its source. */
interface FactoryEntry { readonly make: Factory; readonly bytes: number }
const factories = new Map<string, FactoryEntry>();
/** The hashes (Block.hash) of the plans `factories` holds: a plan with one compiles at its first entry (a collision only compiles a block early). */
const factoryHashes = new Set<number>();
/** The source bytes of `factories`. */
let factoryBytes = 0;

/** The process's compiled factories: how many, and their source bytes (for tests). */
export function factoryCache(): { readonly count: number; readonly bytes: number } {
  return { count: factories.size, bytes: factoryBytes };
}
/** The dispatcher's type feedback was primed (prime.ts primeDispatcher): done once per process, by the first translator built. */
let primed = false;

/**
 * Takes exception `code` for the instruction at cpu.pc (syscall, break), a
 * block having left with the state before it: what the interpreter does
 * for it (cpu.ts interpret: the cycle and the instruction counted, the load
 * in flight moved to pending, then `raise`, which lands both).
 */
function trap(cpu: Cpu, code: ExcCode): void {
  cpu.cycles++;
  cpu.instret++;
  const p = cpu.ldReg;
  if (p !== 0) { cpu.pendReg = p; cpu.pendVal = cpu.ldVal; cpu.ldReg = 0; }
  cpu.raise(code);
}

/** One basic block: where it is, what it reads first, its compiled function once hot. */
interface Block {
  readonly va: number;
  readonly pa: number;
  /** Its instructions (RAM words from pa on, or as `runs` places them; unchanged while it is live). */
  readonly len: number;
  /**
   * When the block follows a jump (its words are then not one run from pa:
   * `plan`), where each run of its words starts: pairs of the first word's
   * index in the block and its physical word index; else undefined. At
   * most MAX_FOLLOWS + 1 pairs: what a block keeps stays small whatever
   * a guest's jumps (`indicesOf` expands it).
   */
  readonly runs: Int32Array | undefined;
  /** The virtual address its end leaves for when it ends without a branch (blockgen.ts BlockPlan.next). */
  readonly next: number;
  /** The physical bytes its words lie in, [lo, hi) (its page, and in kseg0 or kseg1 those beside it: plan's window): what invalidation and breakpoints check. */
  readonly lo: number;
  readonly hi: number;
  readonly branches: boolean;
  /** Delay slots of the conditional branches inside the block (blockgen.ts BlockPlan.sides). */
  readonly sides: readonly number[];
  reads0: number;
  /** Holds a load or store (a data watchpoint may need to stop before it). */
  mem: boolean;
  /** The most cycles the HI/LO interlock can add to it (blockgen.ts hiloStallMax). */
  stall: number;
  /** It multiplies or divides (blockgen.ts issuesHiLo); else it stalls only while HI/LO's ready cycle is ahead of the clock. */
  issues: boolean;
  /** A hash of its address and plan (what names its factory): Block.need's guess that the factory exists. */
  readonly hash: number;
  /** The source bytes of its compiled function (0 until compiled): Translator.sourceBytes counts them. */
  bytes: number;
  /**
   * Entries before it is compiled: the translator's `hot` over its length, or 1 when its
   * factory exists already (the same code compiled before, in another
   * environment's copy of the image or before its page was reloaded): then
   * compiling is one closure, cheaper than interpreting it.
   */
  readonly need: number;
  hits: number;
  /**
   * Where its final branch falls through to, when that is a conditional branch the block does not run on through
   * (back, mostly: `plan`); else -1. `falls` counts the interpreted runs that went there, before it is compiled.
   */
  readonly fall: number;
  falls: number;
  /**
   * The physical word index of its final branch when that is an indirect jump (jr, jalr) the block does not follow;
   * else -1. `seen` and `votes` pick the target its interpreted runs went to most (a majority vote: `votes` rises
   * when a run went to `seen`, falls when it went elsewhere, and another target takes `seen` at 0).
   */
  readonly jump: number;
  seen: number;
  votes: number;
  /** Planned again from its interpreted runs (Translator.compile): not planned again. */
  readonly replanned: boolean;
  /**
   * Compiled, the places its final indirect jump went to when that was not its chained successor (`link`), and how
   * many times each, in pairs: at most MAX_PARTS (Translator.missed). Shared and empty (NO_TARGETS) for a block
   * without one: only `jump` says whether to count. `misses` counts those times.
   */
  readonly targets: number[];
  misses: number;
  /** The blocks its function goes on to (blockgen.ts BlockPlan.parts: Translator.missed); NO_PARTS once it was considered and got none; else undefined. */
  parts: readonly Block[] | undefined;
  fn: (() => boolean) | undefined;
  /** The block that ran right after this one last time (chaining: the dispatcher tries it before looking up). */
  link: Block | undefined;
  /** False once invalidated or replaced: a link to it is stale. */
  live: boolean;
}

/** The blocks of one RAM page: by first word, and all of them. */
interface PageBlocks {
  readonly slots: (Block | undefined)[];
  list: Block[];
}

/** A live block as `Translator.blocks` lists it. */
export interface BlockView {
  readonly va: number;
  readonly pa: number;
  readonly words: readonly number[];
  /** The virtual address of each of its words (not one run when it follows a jump). */
  readonly addrs: readonly number[];
  /** Delay slots of the conditional branches it runs on through. */
  readonly sides: readonly number[];
  /** It ends with a branch and its delay slot. */
  readonly branches: boolean;
  readonly compiled: boolean;
  /** Planned again from its runs in the interpreter (Translator.compile): its branches back as side exits, or its final indirect jump followed. */
  readonly replanned: boolean;
  /** The first address of each further part its function goes on to (Translator.withParts; `words` and `addrs` hold theirs after its own). */
  readonly parts: readonly number[];
}

/** Counters for the bench and tests. */
export interface TranslatorStats {
  compiled: number;
  invalidated: number;
  /** Blocks planned and live now. */
  planned: number;
  /** Times every block was dropped because the translator held too many blocks or too much source. */
  flushed: number;
  /** Source bytes of the live compiled blocks now. */
  sourceBytes: number;
}

/** The physical word index of each word of `b`, in the order it runs them, when it follows a jump; else undefined. */
function indicesOf(b: Block): number[] | undefined {
  const runs = b.runs;
  if (runs === undefined) return undefined;
  const out: number[] = [];
  for (let r = 0; r < runs.length; r += 2) {
    const end = r + 2 < runs.length ? runs[r + 2] : b.len;
    for (let k = runs[r]; k < end; k++) out.push(runs[r + 1] + (k - runs[r]));
  }
  return out;
}

/** The virtual address of each word of `b`, in the order it runs them, when it follows a jump; else undefined. */
function addrsOf(b: Block): number[] | undefined {
  const at = indicesOf(b);
  return at === undefined ? undefined : at.map((q) => (b.va - b.pa + (q << 2)) | 0);
}

/** A block translator bound to one CPU; it owns its bus's code invalidation. */
export class Translator {
  private readonly bus: Bus;
  private readonly pages: (PageBlocks | undefined)[];
  readonly stats: TranslatorStats = { compiled: 0, invalidated: 0, planned: 0, flushed: 0, sourceBytes: 0 };
  /** Instructions a block is interpreted for before it is compiled (HOT_DEFAULT; lockstep.ts lowers it so short runs compile). */
  hot = HOT_DEFAULT;
  /** Blocks kept planned, at most (MAX_BLOCKS; tests lower it). */
  maxBlocks = MAX_BLOCKS;
  /** Source bytes of live compiled blocks kept, at most (MAX_SOURCE; tests lower it); also the bound of `fns`. */
  maxSource = MAX_SOURCE;
  /** Called after every block that ran (and the slow case it left for), with the CPU state exact (lockstep.ts). */
  afterBlock: (() => void) | undefined;
  /** The virtual address of the block that ran last, kept only while `afterBlock` is set (lockstep.ts names it); undefined before the first. */
  get lastBlockVa(): number | undefined {
    return this.lastBlock === undefined ? undefined : this.lastBlock.va >>> 0;
  }

  /** The block that ran last, kept only while `afterBlock` is set (an object: the field never changes representation). */
  private lastBlock: Block | undefined = undefined;
  /** The words of the page `plan` is planning a block on that the block holds (those marked `planId`), once it follows a jump. */
  private readonly held = new Uint32Array((2 * WINDOW_PAGES + 1) * PAGE_WORDS);
  private planId = 0;
  /** Block functions made for this CPU, by plan (compile's key): one closure per plan, and its source bytes. */
  private readonly fns = new Map<string, { readonly fn: () => boolean; readonly bytes: number }>();
  /** The source bytes of `fns`. */
  private fnBytes = 0;

  constructor(private readonly cpu: Cpu) {
    this.bus = cpu.bus;
    this.pages = new Array<PageBlocks | undefined>(this.bus.ramSize >>> 12).fill(undefined);
    this.bus.code = this;
    if (!primed) {
      primed = true;
      primeDispatcher((bus) => {
        const c = new Cpu(bus), t = new Translator(c);
        t.hot = 1;
        c.useTranslator(t);
        return c;
      });
    }
  }

  /**
   * Runs `cpu` (this translator's) until its limit or a stop; see the file
   * header. The loop reads the counters and the pc from the CPU's typed
   * slots, not through its accessors (cpu.ts explains why).
   */
  run(cpu: Cpu): void {
    cpu.updateContexts();
    const r = cpu.regs, pages = this.pages, f64 = cpu.f64, i32 = cpu.i32;
    let last: Block | undefined; // the compiled block that ran just before, when nothing else ran since
    while (f64[F64.CYCLES] < f64[F64.LIMIT]) {
      if (cpu.intReady || cpu.inDelay) { this.interpret(cpu, 1); last = undefined; continue; }
      const pc = i32[I32.PC];
      // A fetch page the one-entry cache does not hold: the soft TLB's entry, else the interpreter's fetch (a refill, a fault).
      if ((pc & 0xfffff003) !== cpu.fTag && !cpu.refillFetch(pc)) { this.interpret(cpu, 1); last = undefined; continue; }
      const pa = cpu.fBase | (pc & 0xffc);
      // Chaining: the block that followed `last` the time before, when it is still live and at this address.
      let b = last === undefined ? undefined : last.link;
      if (b === undefined || b.pa !== pa || b.va !== pc || !b.live) {
        if (last !== undefined && last.jump !== -1 && last.parts === undefined) this.missed(last, pc);
        const page = pages[pa >>> 12];
        b = page === undefined ? undefined : page.slots[(pa >>> 2) & (PAGE_WORDS - 1)];
        if (b === undefined || b.va !== pc) b = this.plan(pa, pc);
        if (last !== undefined) last.link = b;
      }
      last = undefined;
      let n = b.len;
      if (b.fn === undefined) {
        if (n === 0 || ++b.hits < b.need) {
          this.interpret(cpu, n === 0 ? 1 : n);
          const to = i32[I32.PC];
          if (to === b.fall) b.falls++;
          if (b.jump !== -1) {
            if (to === b.seen) b.votes++;
            else if (b.votes === 0) { b.seen = to; b.votes = 1; } else b.votes--;
          }
          continue;
        }
        b = this.compile(b);
        n = b.len;
      }
      if (f64[F64.CYCLES] + n + this.stallBound(b) > f64[F64.LIMIT] || (cpu.debugArmed && this.debugIn(cpu, b))) { this.interpret(cpu, n); continue; }
      // reads0 is read whether or not a load is in flight, and stallBound reads all it needs always: V8 then optimizes this loop with
      // type feedback for every access in it (an access first reached by optimized code throws that code away).
      const p = cpu.ldReg, reads0 = b.reads0;
      if (p !== 0) {
        if (((reads0 >>> p) & 1) !== 0) { this.interpret(cpu, 1); continue; }
        r[p] = i32[I32.PEND_VAL] = i32[I32.LD_VAL]; // as the interpreter would move it, then land it
        cpu.ldReg = 0;
      }
      if (b.fn!()) this.interpret(cpu, 1); // it left before a slow case: the interpreter takes it
      else last = b;
      if (this.afterBlock !== undefined) { this.lastBlock = b; this.afterBlock(); }
    }
  }

  /**
   * The most cycles the HI/LO interlock can add to `b` run now: its bound
   * (0 without mfhi/mflo), unless it cannot move HI/LO's ready cycle and
   * the clock has reached it (then none of its mfhi/mflo waits: cpu.ts
   * hiloWait). Reads every field for every block (see `run`).
   */
  private stallBound(b: Block): number {
    const f64 = this.cpu.f64, stall = b.stall, issues = b.issues, waiting = f64[F64.HILO_READY] > f64[F64.CYCLES];
    return issues || waiting ? stall : 0;
  }

  /** Interprets up to `n` instructions (never past the run's limit). */
  private interpret(cpu: Cpu, n: number): void {
    const f64 = cpu.f64;
    f64[F64.STEP_LIMIT] = Math.min(f64[F64.LIMIT], f64[F64.CYCLES] + n);
    cpu.interpret();
  }

  /**
   * Whether the interpreter must run `b` to stop where the debugger asks:
   * a breakpoint inside it, or a watchpoint set and a load or store in it
   * (whose address is known only when it runs).
   */
  private debugIn(cpu: Cpu, b: Block): boolean {
    if (cpu.watchArmed && b.mem) return true;
    if (!cpu.bpArmed) return false;
    // The virtual bytes its words lie in (a followed jump's gap included: the interpreter then takes a block that need not stop).
    const start = (b.va - b.pa + b.lo) >>> 0, bytes = b.hi - b.lo;
    for (const a of cpu.breakpoints) if (((a - start) >>> 0) < bytes) return true;
    return false;
  }

  /**
   * Scans the block at physical `pa` (virtual `va`) and files it under its
   * page, first dropping every block when the translator holds `maxBlocks`.
   */
  private plan(pa: number, va: number, backSides = false, predict = -1, predictAt = -1): Block {
    if (this.stats.planned >= this.maxBlocks) this.flush();
    const ram32 = this.bus.ram32, unmapped = unmappedVa(va);
    // Word indices: the page's first; the block's window, [wlo, end): its page, or in kseg0 and kseg1 (where no TLB
    // state changes what an address fetches, and the mode cannot change inside a block: Shape.End) also the
    // WINDOW_PAGES pages of RAM on each side, so that a function across a page boundary, or a call to the next page,
    // is one block. The word at index q is at virtual address delta + 4 q.
    const page = (pa >>> 2) & ~(PAGE_WORDS - 1), delta = (va - pa) | 0;
    const wlo = unmapped ? Math.max(0, page - WINDOW_PAGES * PAGE_WORDS) : page;
    const end = unmapped ? Math.min(ram32.length, page + (WINDOW_PAGES + 1) * PAGE_WORDS) : page + PAGE_WORDS;
    /** The word index of virtual address `a` when it is in the window, else -1. */
    const inWindow = (a: number): number => { const q = ((a - delta) | 0) >>> 2; return (a & 3) === 0 && q >= wlo && q < end ? q : -1; };
    /** `held`'s index of word q (the window starts at most WINDOW_PAGES pages before the page). */
    const mark = (q: number): number => q - page + WINDOW_PAGES * PAGE_WORDS;
    const sides: number[] = [];
    let branches = false, len = 0;
    // The words' physical indices, once the block has followed a jump (until then they are one run from pa).
    let at: number[] | undefined, follows = 0;
    /** Adds word q to `at` and marks it held (only once the block has followed a jump). */
    const hold = (q: number): void => { if (at !== undefined) { at.push(q); this.held[mark(q)] = this.planId; } };
    // The farthest word a side exit so far targets (a physical index): past a syscall or break, the block goes on when one jumps there.
    let reach = -1;
    // Where `jr $ra` returns to, as far as the plan knows: after the delay slot of the last call (jal, bal) it followed, until a word writes $ra; else -1.
    let ret = -1;
    // The block's length right after the delay slot of the last jump it followed.
    let followEnd = -1;
    // Where a final conditional branch falls through to (Block.fall); the word index of a final indirect jump (Block.jump).
    let fall = -1, jump = -1;
    // FNV-1a over the words (Block.hash), the address first.
    let h = Math.imul(0x811c9dc5 ^ va, 0x01000193);
    // The word the block's end leaves for (when it ends without a branch): where the plan stopped, or after an End word.
    let i = 0, p = pa >>> 2, after = -1;
    for (; i < MAX_WORDS && p < end; i++, p++) {
      // After a followed jump, the code runs on into words the block holds already: it ends there (and leaves for them).
      if (at !== undefined && this.held[mark(p)] === this.planId) break;
      const w = ram32[p], shape = shapeOf(w, unmapped);
      if (shape === Shape.Stop) break;
      if (shape === Shape.Branch) {
        // The delay slot must be in the block's room (on this page, within MAX_WORDS) and be no branch (nor a stop).
        const d = i + 1 < MAX_WORDS && p + 1 < end ? shapeOf(ram32[p + 1], unmapped) : Shape.Stop;
        if (d !== Shape.Simple && d !== Shape.End) break;
        h = Math.imul(Math.imul(h ^ w, 0x01000193) ^ ram32[p + 1], 0x01000193);
        len += 2;
        hold(p);
        hold(p + 1);
        const pc = (delta + (p << 2)) | 0, raGone = writesRa(w) || writesRa(ram32[p + 1]);
        // Past a conditional branch the block goes on (leaving when it is taken): fewer, longer blocks to dispatch.
        // Past an unconditional one too (j, b) when its target is further on in the block's room: the jump is then
        // inside the block (blockgen.ts innerJumps), as gcc's jumps over an else part and to a loop's test are.
        const t = forward(w) ? p + 1 + simm16(w) : skipTo(w, pc, p, Math.min(end, p + MAX_WORDS - i));
        if (d === Shape.Simple && t > p && sides.length < MAX_SIDES) {
          if (raGone) ret = -1;
          sides.push(++i);
          p++;
          reach = Math.max(reach, t);
          continue;
        }
        // A j, b, jal or bal to another place on the page that the block does not hold yet: the block goes on there
        // (the jump is followed: blockgen.ts BlockPlan.addrs), as a loop's body jumps back to its test, a case to its
        // switch, and a call to a function. So does a conditional branch back (or forward, past MAX_SIDES), as if
        // taken, the way a loop's closing branch mostly is: it is then a side exit that leaves when the branch is
        // not taken (blockgen.ts: a side goes on at the next word's address, whatever it is). Not to a loop's head,
        // though (a block from there would branch back to its own start: a JS loop of its own).
        // A return (jr $ra) after a call the block followed goes on at the call's return address, as a side that leaves
        // when $ra holds another: a call to a short function on the page (and its return) is then inside the block.
        // The guard is needed: a branch inside the block may jump past the call into the callee (a test does).
        // Planned again with `predict` (compile: the indirect jump at word `predictAt` went there in most of the block's
        // interpreted runs, as a return mostly goes to one caller, and a switch's jump after one case mostly to one
        // other), that jump is followed there the same way, as a side that leaves when its register says otherwise.
        const guess = p === predictAt ? predict : -1;
        const room = d === Shape.Simple && i + 2 < MAX_WORDS && follows < MAX_FOLLOWS;
        const call = isCall(w) || (guess !== -1 && funct(w) === 9 && rd(w) === 31), j = !room || guess !== -1 ? -1 : call ? branchTarget(w, pc) : jumpTarget(w, pc);
        const c = room && j === -1 && sides.length < MAX_SIDES ? (guess !== -1 ? guess : isReturn(w) ? ret : condTarget(w, pc)) : -1;
        const f = j !== -1 ? j : c;
        if (raGone) ret = -1;
        const fq = f === -1 ? -1 : inWindow(f);
        if (fq !== -1 && !loopHead(ram32, fq, end, delta, unmapped) && ((j !== -1 && !call) || shortRun(ram32, fq, end, unmapped, call || guess !== -1 ? FOLLOW_CALL : FOLLOW_SHORT))) {
          const q = fq;
          if (at === undefined) {
            at = [];
            if (++this.planId === 0) { this.held.fill(0); this.planId = 1; } // a new mark for this plan (a wrap clears the old ones)
            for (let k = 0; k < len; k++) hold((pa >>> 2) + k);
          }
          if (this.held[mark(q)] !== this.planId && (c !== -1 || q !== p + 2 || sides.length < MAX_SIDES)) {
            h = Math.imul(h ^ q, 0x01000193); // where it went: the layout is part of the plan
            follows++;
            // Its delay slot: leave there unless the branch was taken. A call to the word after its delay slot is one too:
            // the words are then one run, and only a side marks the slot as a delay slot (blockgen.ts `followed`).
            if (c !== -1 || q === p + 2) sides.push(i + 1);
            if (call) ret = writesRa(ram32[p + 1]) ? -1 : (pc + 8) | 0; // its return address, unless its delay slot loads or sets $ra
            followEnd = len;
            i++;
            p = q - 1; // the loop's p++ makes it q
            continue;
          }
        }
        // Planned again with `backSides` (compile: its final branch fell through in most of its interpreted runs), any
        // other conditional branch back is a side exit too, the block going on at its fall-through, as a state
        // machine's tests branch back to other states' code one after another (CoreMark's core_state_transition).
        // Not to its own start: that is a JS loop.
        const back = condTarget(w, pc);
        if (backSides && d === Shape.Simple && back !== -1 && back !== (va | 0) && i + 2 < MAX_WORDS && sides.length < MAX_SIDES) {
          sides.push(++i);
          p++;
          continue;
        }
        if (back !== -1) fall = (pc + 8) | 0;
        if (opcode(w) === 0 && guess === -1) jump = p; // jr, jalr
        branches = true;
        break;
      }
      h = Math.imul(h ^ w, 0x01000193);
      len++;
      hold(p);
      if (writesRa(w)) ret = -1;
      // A syscall or break always leaves (blockgen.ts): the block goes on past one only when a side exit before it jumps
      // beyond it, as gcc guards a division (bnez divisor, 1f; divu; break 7; 1: mflo): the loop stays one block.
      if (shape === Shape.End && !(traps(w) && reach > p)) { after = p + 1; break; }
    }
    // After a followed jump's delay slot the next word is the jump's target, not the slot's neighbour: the plan says where.
    const next = (delta + ((after >= 0 ? after : p) << 2)) | 0;
    // A block whose last branch was a side exit ends after its delay slot, at the fall-through.
    if (!branches && sides.length > 0 && sides[sides.length - 1] === len - 1) { sides.pop(); branches = true; }
    // So does one that followed a jump and then held nothing at its target (a word blocks do not hold, or no room): the
    // jump is its last branch, and its slot a delay slot (BD and EPC for a fault there). Found by the random programs.
    if (!branches && len > 0 && followEnd === len) branches = true;
    h = Math.imul(h ^ (branches ? 1 : 2), 0x01000193);
    for (let j = 0; j < sides.length; j++) h = Math.imul(h ^ sides[j], 0x01000193);
    const need = factoryHashes.has(h) ? 1 : Math.max(1, Math.ceil(this.hot / Math.max(1, len)));
    // A block that followed no jump keeps no index list (most do not).
    const followed = at !== undefined && at.some((q, k) => q !== (pa >>> 2) + k);
    let runs: Int32Array | undefined, lo = pa, hi = pa + 4 * Math.max(1, len);
    if (followed) {
      const starts: number[] = [];
      at!.forEach((q, k) => { if (k === 0 || q !== at![k - 1] + 1) starts.push(k, q); });
      runs = Int32Array.from(starts);
      lo = 4 * Math.min(...at!);
      hi = 4 * Math.max(...at!) + 4;
    }
    // reads0, mem, stall and issues are the dispatcher's for a compiled block: compile sets them (most blocks planned are never compiled).
    const b: Block = {
      va: va | 0, pa, len, runs, next, lo, hi, branches, sides: sides.length === 0 ? NO_SIDES : sides, reads0: 0, mem: false, stall: 0, issues: false,
      hash: h, bytes: 0, need, hits: 0, fall, falls: 0, jump, seen: -1, votes: 0, replanned: backSides || predictAt !== -1,
      targets: jump === -1 ? NO_TARGETS : [], misses: 0, parts: undefined, fn: undefined, link: undefined, live: true,
    };
    this.file(b);
    return b;
  }

  /** Files block `b` under its page (replacing the block that started at its address, if any) and guards the page. */
  private file(b: Block): void {
    const home = b.pa >>> 12, slot = (b.pa >>> 2) & (PAGE_WORDS - 1), old = this.pages[home]?.slots[slot];
    if (old !== undefined) {
      old.live = false;
      this.unlist(old, -1);
      this.stats.planned--;
      this.stats.sourceBytes -= old.bytes;
    }
    // Listed under every page its words lie in (a block in kseg0 or kseg1 may reach the pages beside its own: plan),
    // each guarded, so that a write to any of them finds it; found by its first word on its own page only.
    for (let pn = b.lo >>> 12; pn <= (b.hi - 1) >>> 12; pn++) {
      let page = this.pages[pn];
      if (page === undefined) page = this.pages[pn] = { slots: new Array<Block | undefined>(PAGE_WORDS).fill(undefined), list: [] };
      if (pn === home) page.slots[slot] = b;
      page.list.push(b);
      this.bus.guardPage(pn);
    }
    this.stats.planned++;
  }

  /**
   * Takes dropped block `b` off the lists of the pages its words lie in,
   * but page `skip` (one the caller is rebuilding the list of); a page left
   * with no block is forgotten and unguarded (its slots hold only blocks
   * its list holds). A list never keeps a dead block: a guest that plans
   * blocks across a page again and again (from kseg0 and kseg1 in turn, or
   * rewriting one of its pages) cannot grow another page's list.
   */
  private unlist(b: Block, skip: number): void {
    for (let pn = b.lo >>> 12; pn <= (b.hi - 1) >>> 12; pn++) {
      const page = this.pages[pn];
      if (pn === skip || page === undefined) continue;
      page.list = page.list.filter((x) => x !== b);
      if (page.list.length === 0) { this.pages[pn] = undefined; this.bus.codePages[pn] = 0; }
    }
  }

  /**
   * Drops every block (each page then unguarded), as QEMU's tb_flush
   * empties its translation cache: what a guest can make the translator
   * keep stays bounded. The closures (`fns`) and factories stay: a hot
   * block planned again compiles at its first entry.
   */
  private flush(): void {
    for (let pn = 0; pn < this.pages.length; pn++) {
      const page = this.pages[pn];
      if (page === undefined) continue;
      for (const b of page.list) b.live = false;
      this.pages[pn] = undefined;
      this.bus.codePages[pn] = 0;
    }
    this.stats.planned = 0;
    this.stats.sourceBytes = 0;
    this.stats.flushed++;
  }

  /**
   * Gives `b` its function: the one this translator made for the same plan
   * before (another environment's copy of the code, or the page reloaded),
   * else a new closure of the plan's factory. Sharing it shares V8's type
   * feedback and optimized code: a closure made apart from the others
   * warms up from Ignition again (each has its own feedback vector, as the
   * factory, called a few times, never gets one to share). The block's
   * words are read from RAM: unchanged since it was planned, or it would
   * have been dropped. When the live blocks' source would pass `maxSource`,
   * every block is dropped first and `b` filed again alone.
   *
   * The block's interpreted runs are its profile. One whose final
   * conditional branch fell through in at least half of them is first
   * planned again with its branches back as side exits (`plan`'s
   * backSides); one whose final indirect jump went to one target in about
   * three runs in four or more (Block.votes) is planned again to follow it
   * there (`predict`); that block is compiled instead (returned).
   * Only then: a branch back is mostly a loop's, taken, and a block that
   * ran on past every one compiled code that seldom runs (in the unseen
   * benchmark, 20% slower: V8 threw away optimized code at the first run
   * of each such part); and a prediction that fails often leaves through
   * a side exit, dearer than a block's end (CoreMark built -Os ran 8%
   * slower with predictions from about three runs in five).
   */
  private compile(b: Block): Block {
    return this.build(this.replan(b));
  }

  /**
   * Compiled block `b`'s final indirect jump went to `pc`, which is not its chained successor (Block.link): counts it
   * (Block.targets), and at the `hot` / PART_MISS_SHARE-th such time compiles `b` again with the blocks at the
   * places it went to most as further parts (`withParts`); a block that gets none is not considered again.
   */
  private missed(b: Block, pc: number): void {
    const tg = b.targets;
    let k = 0;
    while (k < tg.length && tg[k] !== pc) k += 2;
    if (k < tg.length) tg[k + 1]++;
    else if (k < 2 * MAX_PARTS) tg.push(pc, 1);
    if (++b.misses < Math.max(1, this.hot / PART_MISS_SHARE)) return;
    const m = this.withParts(b);
    if (m === b) b.parts = NO_PARTS;
    else this.build(m);
  }

  /** Gives planned block `b` its function (see `compile`). */
  private build(b: Block): Block {
    // Its plan and its further parts', each read from RAM once.
    const plans = [b, ...(b.parts ?? [])].map((x): BlockPlan => ({ va: x.va, words: this.partWords(x), branches: x.branches, sides: x.sides, reads0: 0, addrs: addrsOf(x), next: x.next }));
    const words = plans.flatMap((x) => x.words);
    // The source is a function of the plan alone (reads0 is the first word's): the plan names the factory, so a block compiled again (its page reloaded with the same code) writes no source.
    const key = plans.map((x) => `${x.va}${x.branches ? 'b' : 'f'}${x.sides!.join(',')}${x.addrs === undefined ? '' : `@${x.addrs.join(',')}`}>${x.next}:${x.words.join(',')}`).join('|');
    b.reads0 = readsOf(words[0]);
    b.mem = words.some((w) => opcode(w) >= 32 && opcode(w) <= 46);
    b.stall = hiloStallMax(words);
    b.issues = issuesHiLo(words);
    let made = this.fns.get(key);
    if (made === undefined) {
      let f = factories.get(key);
      if (f === undefined) {
        const src = blockSource({ ...plans[0], reads0: b.reads0, parts: plans.slice(1) });
        if (factories.size >= MAX_FACTORIES || factoryBytes + src.length > MAX_SOURCE) { factories.clear(); factoryHashes.clear(); factoryBytes = 0; }
        f = { make: new Function(...FACTORY_PARAMS, src) as Factory, bytes: src.length };
        factories.set(key, f);
        factoryHashes.add(b.hash);
        factoryBytes += f.bytes;
      }
      const cpu = this.cpu, bus = this.bus;
      const fn = f.make(cpu, cpu.regs, bus.ram8, bus.ram16, bus.ram32, cpu.tlb.soft, hilo, mult, multu, div, divu, cpu.i32, cpu.f64,
        cp0Read, cp0Write, rfe, lwlMerge, lwrMerge, swlMerge, swrMerge, trap, tlbr, tlbwi, tlbwrAt, tlbp);
      if (this.fns.size >= MAX_FACTORIES || this.fnBytes + f.bytes > this.maxSource) { this.fns.clear(); this.fnBytes = 0; }
      made = { fn, bytes: f.bytes };
      this.fns.set(key, made);
      this.fnBytes += made.bytes;
    }
    if (this.stats.sourceBytes + made.bytes > this.maxSource) {
      this.flush();
      b.live = true;
      b.link = undefined;
      this.file(b);
    }
    b.fn = made.fn;
    b.bytes = made.bytes;
    this.stats.sourceBytes += made.bytes;
    this.stats.compiled++;
    return b;
  }

  /**
   * `b` planned again from its interpreted runs when they say so (once: a block planned again is not): one whose
   * final conditional branch fell through in at least half of them with its branches back as side exits
   * (`plan`'s backSides), one whose final indirect jump went to one target in about three runs in four or more
   * (Block.votes) following it there (`predict`). Else `b`.
   */
  private replan(b: Block): Block {
    if (b.replanned) return b;
    const widen = b.fall !== -1 && 2 * b.falls >= b.hits, predict = b.jump !== -1 && PREDICT_VOTES * b.votes >= b.hits;
    return widen || predict ? this.plan(b.pa, b.va, widen, predict ? b.seen : -1, predict ? b.jump : -1) : b;
  }

  /**
   * Compiled block `b`, whose final indirect jump went to several places (Block.targets), with the blocks
   * there as further parts of its function (MAX_PARTS, those most runs went to first; blockgen.ts BlockPlan.parts),
   * filed in its place: its function goes on from any part to any other, as the code does, without returning to
   * the dispatcher. A part is a block the dispatcher planned there (each run went on to one), planned again as
   * `replan` says (a function's return followed back to its one caller) unless compiled, and in the window a
   * block may hold words in (`plan`: in kseg0 and kseg1 the pages beside b's own, else b's own page, whose
   * mapping the dispatcher checked entering b and nothing in a block changes), so that b's physical range,
   * which invalidation and breakpoints read, covers its parts' words. Else `b` as it is.
   */
  private withParts(b: Block): Block {
    const delta = (b.va - b.pa) | 0, unmapped = unmappedVa(b.va), home = b.pa >>> 12;
    const tg: number[][] = [];
    for (let k = 0; k < b.targets.length; k += 2) tg.push([b.targets[k], b.targets[k + 1]]);
    tg.sort((x, y) => y[1] - x[1]);
    const parts: Block[] = [];
    let lo = b.lo, hi = b.hi;
    for (const [t] of tg) {
      const pa = (t - delta) | 0, pn = pa >>> 12;
      if (t === b.va || (t & 3) !== 0 || pa < 0 || pa >= this.bus.ram32.length * 4 || (t >>> 29) !== (b.va >>> 29)) continue;
      if (unmapped ? Math.abs(pn - home) > WINDOW_PAGES : pn !== home) continue;
      let x = this.pages[pn]?.slots[(pa >>> 2) & (PAGE_WORDS - 1)];
      if (x === undefined || x.va !== t || !x.live || x.len === 0) continue;
      if (x.fn === undefined) x = this.replan(x);
      if (!b.live) return b; // planning `x` again dropped every block (maxBlocks): b is planned again when next reached
      if (unmapped ? (x.lo >>> 12) < home - WINDOW_PAGES || ((x.hi - 1) >>> 12) > home + WINDOW_PAGES : (x.lo >>> 12) !== home || ((x.hi - 1) >>> 12) !== home) continue;
      parts.push(x);
      lo = Math.min(lo, x.lo);
      hi = Math.max(hi, x.hi);
      if (parts.length === MAX_PARTS) break;
    }
    if (parts.length === 0) return b;
    let h = b.hash;
    for (const x of parts) h = Math.imul(h ^ x.hash, 0x01000193);
    // Every field in plan's order (one object shape for every block: the dispatcher's accesses stay monomorphic).
    const m: Block = {
      va: b.va, pa: b.pa, len: b.len, runs: b.runs, next: b.next, lo, hi, branches: b.branches, sides: b.sides, reads0: 0, mem: false, stall: 0, issues: false,
      hash: h, bytes: 0, need: 1, hits: 0, fall: b.fall, falls: 0, jump: b.jump, seen: -1, votes: 0, replanned: b.replanned,
      targets: NO_TARGETS, misses: 0, parts, fn: undefined, link: undefined, live: true,
    };
    this.file(m);
    return m;
  }

  /** The words of `b`, in the order it runs them: its own, then its further parts' (Block.parts). */
  private wordsOf(b: Block): number[] {
    const own = this.partWords(b);
    return b.parts === undefined ? own : own.concat(...b.parts.map((x) => this.partWords(x)));
  }

  /** The words of `b` itself, in the order it runs them (not its further parts'). */
  private partWords(b: Block): number[] {
    const ram32 = this.bus.ram32, first = b.pa >>> 2;
    const at = indicesOf(b);
    return at === undefined ? Array.from(ram32.subarray(first, first + b.len)) : at.map((q) => ram32[q]);
  }

  /** The live blocks, page by page, with their words (read from RAM: unchanged while a block is live), for tests and tools. */
  blocks(): BlockView[] {
    const out: BlockView[] = [];
    for (let pn = 0; pn < this.pages.length; pn++) {
      const page = this.pages[pn];
      if (page === undefined) continue;
      for (const b of page.list) {
        if (b.pa >>> 12 !== pn) continue; // a block is listed under each of its pages: once here, from its own
        const addrs = [b, ...(b.parts ?? [])].flatMap((x) => addrsOf(x) ?? Array.from({ length: x.len }, (_, k) => (x.va + 4 * k) | 0));
        out.push({
          va: b.va, pa: b.pa, words: this.wordsOf(b), addrs, sides: b.sides, branches: b.branches, compiled: b.fn !== undefined, replanned: b.replanned,
          parts: (b.parts ?? []).map((x) => x.va),
        });
      }
    }
    return out;
  }

  /**
   * Drops every block with an instruction in [pa, pa + len) (physical RAM);
   * a page left without blocks is no longer guarded. Called by the bus.
   */
  invalidate(pa: number, len: number): void {
    const end = pa + len;
    for (let pn = pa >>> 12; pn <= (end - 1) >>> 12; pn++) {
      const page = this.pages[pn];
      if (page === undefined) continue;
      const keep: Block[] = [];
      for (const b of page.list) {
        if (b.lo < end && b.hi > pa) {
          const home = this.pages[b.pa >>> 12], slot = (b.pa >>> 2) & (PAGE_WORDS - 1);
          if (home !== undefined && home.slots[slot] === b) home.slots[slot] = undefined;
          b.live = false;
          this.unlist(b, pn);
          this.stats.invalidated++;
          this.stats.planned--;
          this.stats.sourceBytes -= b.bytes;
        } else keep.push(b);
      }
      page.list = keep;
      if (keep.length === 0) { this.pages[pn] = undefined; this.bus.codePages[pn] = 0; }
    }
  }
}
