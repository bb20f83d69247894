// Step out (gdb's `finish`) and run to an address (gdb's `until`/`advance`),
// both a temporary breakpoint that a run stops at only in the right
// environment and frame. MIPS code keeps no frame pointer a debugger can
// rely on, so the frame of the function the pc is in is found as gdb's
// mips32_scan_prologue does: the function's start from the symbol table,
// then its prologue read for `addiu sp,sp,-N` (the frame's size) and
// `sw ra,off(sp)` (where the return address is kept); the MIPS calling
// convention keeps the return address in ra until the prologue saves it
// (MIPS R3000 manual, ch. 3, jal/jalr link into r31).

import { funct, opcode, rs, rt, simm16, type ElfSymbol } from '../emu/index.js';
import type { Work } from './run-loop.js';

/** Registers by number (MIPS o32 names). */
const SP = 29;
const RA = 31;
/** Opcodes of the prologue's instructions (R3000 manual, app. A). */
const OP_ADDIU = 0x09;
const OP_SW = 0x2b;
/** How far into a function the prologue is looked for (gdb scans at most this far too, about 200 bytes). */
const PROLOGUE_MAX = 50;

/** What a function's prologue does: its frame's size and where it saves ra, with the addresses of those instructions. */
export interface Prologue {
  /** Bytes the prologue takes off sp (0 for a function that makes no frame). */
  readonly frame: number;
  /** The address of the `addiu sp,sp,-frame` (undefined when there is none). */
  readonly frameAt: number | undefined;
  /** The offset from the new sp where ra is saved (undefined when ra is not saved: a leaf). */
  readonly raOffset: number | undefined;
  /** The address of the `sw ra,raOffset(sp)`. */
  readonly raAt: number | undefined;
}


/**
 * Reads the prologue of the function at `start` (words from `read`), up to
 * PROLOGUE_MAX instructions, a `jr`, or an unreadable word: the first
 * `addiu sp,sp,-N` and the first `sw ra,off(sp)`. Never fails: a function
 * with neither has a frame of 0 and keeps ra in its register.
 */
export function scanPrologue(read: (va: number) => number | undefined, start: number): Prologue {
  let frame = 0, frameAt: number | undefined, raOffset: number | undefined, raAt: number | undefined;
  for (let i = 0; i < PROLOGUE_MAX; i++) {
    const at = (start + 4 * i) >>> 0, w = read(at);
    if (w === undefined) break;
    if (frameAt === undefined && opcode(w) === OP_ADDIU && rs(w) === SP && rt(w) === SP && simm16(w) < 0) { frame = -simm16(w); frameAt = at; }
    if (raAt === undefined && opcode(w) === OP_SW && rs(w) === SP && rt(w) === RA) { raOffset = simm16(w); raAt = at; }
    // jr (SPECIAL, funct 8) ends the function: a leaf without a frame.
    if (opcode(w) === 0 && funct(w) === 8) break;
    if (frameAt !== undefined && raAt !== undefined) break;
  }
  return { frame, frameAt, raOffset, raAt };
}

/** The function symbol whose code holds `pc`: the nearest function (or text) symbol at or before it, within its size when it has one. */
export function functionAt(symbols: readonly ElfSymbol[], pc: number): ElfSymbol | undefined {
  let best: ElfSymbol | undefined;
  for (const s of symbols) {
    const v = s.value >>> 0;
    if (!s.name || v > pc || (s.type !== 'func' && !(s.type === 'notype' && s.section === '.text'))) continue;
    if (!best || v > best.value >>> 0 || (v === best.value >>> 0 && s.type === 'func' && best.type !== 'func')) best = s;
  }
  if (!best) return undefined;
  return best.size > 0 && pc >= (best.value >>> 0) + best.size ? undefined : best;
}

/** Where a run stops to finish a function, or to reach an address: a temporary breakpoint and what it needs to be the right stop. */
export interface RunTarget {
  readonly addr: number;
  /** The environment it must be reached in (undefined: any, as on the monolithic kernel). */
  readonly env: string | undefined;
  /** The lowest sp of the frame it must be reached in (a deeper frame is a recursive call returning): finish only. */
  readonly minSp?: number;
  /** What the status line says once there ("run till exit from fact", ...). */
  readonly detail: string;
  /** What the status line says while it runs. */
  readonly running: string;
}

/** What finishing needs to know of the machine now. */
export interface FrameState {
  readonly pc: number;
  readonly sp: number;
  readonly ra: number;
  /** The environment on the CPU (undefined: none, or one address space). */
  readonly env: string | undefined;
  readonly read: (va: number) => number | undefined;
  /** The symbols of the code at pc. */
  readonly symbols: readonly ElfSymbol[];
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/**
 * Where the function the pc is in returns to, as a RunTarget: the return
 * address from the stack slot once the prologue saved it, else from ra;
 * the caller's sp (sp plus the frame once the prologue made it), which the
 * return must reach. A string says why it cannot: no function symbol
 * covers the pc, or the return address is 0 (an entry point, which has no
 * caller).
 */
export function finishTarget(f: FrameState): RunTarget | string {
  const fn = functionAt(f.symbols, f.pc >>> 0);
  if (!fn) return `Cannot finish: the pc ${hex8(f.pc)} is not in a function (no function symbol covers it)`;
  const start = fn.value >>> 0, p = scanPrologue(f.read, start);
  const made = p.frameAt !== undefined && p.frameAt < f.pc >>> 0;
  const saved = p.raAt !== undefined && p.raAt < f.pc >>> 0;
  const ret = saved ? f.read((f.sp + (p.raOffset ?? 0)) >>> 0) : f.ra >>> 0;
  if (ret === undefined) return `Cannot finish ${fn.name}: its frame's return address slot (sp+${p.raOffset}) is unmapped`;
  if (ret === 0) return `Cannot finish ${fn.name}: its return address is 0 (an entry point has no caller)`;
  const callerSp = made ? (f.sp + p.frame) >>> 0 : f.sp >>> 0;
  return { addr: ret >>> 0, env: f.env, minSp: callerSp, detail: `finished ${fn.name}: back in its caller at ${hex8(ret)}`, running: `finishing ${fn.name}` };
}

/**
 * Whether a run's breakpoint stop is `t`'s, with `id` its temporary
 * breakpoint: 'stop' when the pc, environment and frame are right; 'pass'
 * when only `id` was hit but in another environment (a process, on the
 * monolithic kernel, whose breakpoints know no environment) or a deeper
 * frame (a recursive call of the function returning), so the run goes on; 'other' when another
 * breakpoint stopped it too.
 */
export function targetReached(t: RunTarget, id: number, hit: readonly number[], at: { pc: number; env: string | undefined; sp: number }): 'stop' | 'pass' | 'other' {
  if (hit.some((h) => h !== id) || at.pc >>> 0 !== t.addr) return 'other';
  if (t.env !== undefined && at.env !== t.env) return 'pass';
  return t.minSp === undefined || at.sp >>> 0 >= t.minSp ? 'stop' : 'pass';
}

/** What targetWork reads of the session after a breakpoint stop. */
export interface TargetHost {
  lastHit(): readonly number[];
  at(): { pc: number; env: string | undefined; sp: number };
}

/**
 * Sliced work that runs (a new `run()` each time it resumes, so a run
 * passing the breakpoint in a deeper frame resumes past it) until `t` is
 * reached (a 'step' stop saying t.detail) or the run stops for another
 * reason. `id` is t's temporary breakpoint; its caller removes it however
 * the work ends.
 */
export function targetWork(run: () => Work, h: TargetHost, t: RunTarget, id: number): Work {
  let w = run();
  return () => {
    const s = w();
    if (!s || s.reason !== 'breakpoint') return s;
    const v = targetReached(t, id, h.lastHit(), h.at());
    if (v === 'pass') { w = run(); return undefined; }
    return v === 'stop' ? { reason: 'step', detail: t.detail } : s;
  };
}
