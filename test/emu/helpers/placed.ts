// A small placing assembler for the translator's adversarial tests: words
// put at kseg0 addresses with labels, branches and jumps resolved once
// everything is placed, and a logging exception handler. The program image
// it builds has the handler at both exception vectors (R30xx manual, 3.5:
// 0x80000000 for a user TLB refill, 0x80000080 for everything else, BEV
// clear), which records EPC, Cause, BadVAddr and Status of every exception
// in a ring in RAM (so that a RAM comparison compares them) and resumes:
// after an interrupt at EPC (acknowledging the clock by reading its
// register C and clearing Cause's software bits), after anything else at the
// instruction after the faulting one, or after the branch's delay slot when
// Cause.BD is set.

import type { Machine, ProgramImage } from '../../../src/emu/index.js';
import { A, R } from './asm.js';

/** A word whose value depends on where it is and where labels are. */
export type Fix = (pc: number, at: (label: string) => number) => number;
/** A word to place: known, or resolved later. */
export type Word = number | Fix;

/** Where the handler's ring of records (16 bytes each: EPC, Cause, BadVAddr, Status; 16 KiB) and its pointer are. */
export const LOG = 0x80004000, LOG_PTR = 0x80003000;
const HANDLER = 0x80000200;
/** The clock's register C (MC146818, on the KN02 at physical 0x1fe80000: kn02.ts), read through kseg1. */
const RTC = 0xbfe80000, RTC_C = 12 * 4;

/** Words placed at addresses, with labels. */
export class Placed {
  private pc = 0;
  private readonly words = new Map<number, Word>();
  private readonly labels = new Map<string, number>();

  /** Places what follows at kseg0/kseg1 address `a`. */
  org(a: number): this { this.pc = a >>> 0; return this; }
  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`label ${name} twice`);
    this.labels.set(name, this.pc);
    return this;
  }
  put(...ws: (Word | Word[])[]): this {
    for (const w of ws.flat()) {
      if (this.words.has(this.pc)) throw new Error(`0x${this.pc.toString(16)} placed twice`);
      this.words.set(this.pc, w);
      this.pc = (this.pc + 4) >>> 0;
    }
    return this;
  }
  /** The address a label names. */
  at(name: string): number {
    const a = this.labels.get(name);
    if (a === undefined) throw new Error(`no label ${name}`);
    return a;
  }
  /** Where the next word goes. */
  here(): number { return this.pc; }

  /** The image: every contiguous run of words a segment, the logging handler at both vectors (`utlb` first at the refill vector), and the log's pointer. */
  image(entry: string, utlb: number[] = []): ProgramImage {
    handler(this, utlb);
    const at = (n: string): number => this.at(n);
    const addrs = [...this.words.keys()].sort((a, b) => a - b);
    const segments: { vaddr: number; memsz: number; data: Uint8Array }[] = [];
    let run: number[] = [], start = 0;
    const flush = (): void => {
      if (run.length > 0) segments.push({ vaddr: start, memsz: 4 * run.length, data: new Uint8Array(Uint32Array.from(run, (w) => w >>> 0).buffer) });
      run = [];
    };
    for (const a of addrs) {
      if (run.length === 0 || a !== start + 4 * run.length) { flush(); start = a; }
      const w = this.words.get(a)!;
      run.push(typeof w === 'number' ? w : w(a, at));
    }
    flush();
    return { entry: this.at(entry), segments };
  }
}

/** A branch to `label`: `f` gets the offset in words from the delay slot. */
export const br = (f: (off: number) => number, label: string): Fix => (pc, at) => f((at(label) - pc - 4) / 4);
/** j (or jal) to `label`, or to `label`'s address moved to another alias by `alias`. */
export const jmp = (label: string, alias = (a: number): number => a, link = false): Fix => (_pc, at) => (link ? A.jal : A.j)(alias(at(label)) >>> 0);
/** lui/ori of a 32-bit constant. */
export const li = (rt: number, v: number): number[] => [A.lui(rt, v >>> 16), A.ori(rt, rt, v & 0xffff)];
/** lui/ori of a label's address, moved by `alias`. */
export const la = (rt: number, label: string, alias = (a: number): number => a): Fix[] =>
  [(_pc, at) => A.lui(rt, alias(at(label)) >>> 16), (_pc, at) => A.ori(rt, rt, alias(at(label)) & 0xffff)];

/** The logging handler (see the file header); the UTLB vector runs `utlb` first when given (registers k0/k1 and what it names only). */
function handler(p: Placed, utlb: number[] = []): void {
  p.org(0x80000000).put(utlb, jmp('handler'), A.nop());
  p.org(0x80000080).put(jmp('handler'), A.nop());
  p.org(HANDLER).label('handler').put(
    A.lui(R.k0, 0x8000), A.lw(R.k1, LOG_PTR & 0xffff, R.k0),
    A.mfc0(R.k0, 14), A.nop(), A.sw(R.k0, 0, R.k1),
    A.mfc0(R.k0, 13), A.nop(), A.sw(R.k0, 4, R.k1),
    A.mfc0(R.k0, 8), A.nop(), A.sw(R.k0, 8, R.k1),
    A.mfc0(R.k0, 12), A.nop(), A.sw(R.k0, 12, R.k1),
    // The pointer moves on in its 16 KiB: LOG + ((ptr + 16) & 0x3fff).
    A.addiu(R.k1, R.k1, 16), A.andi(R.k1, R.k1, 0x3fff), A.lui(R.k0, 0x8000), A.addu(R.k1, R.k1, R.k0),
    A.ori(R.k1, R.k1, LOG & 0xffff), A.sw(R.k1, LOG_PTR & 0xffff, R.k0),
    A.mfc0(R.k1, 13), A.mfc0(R.k0, 14), A.andi(R.k1, R.k1, 0x7c),
    br((o) => A.bne(R.k1, R.zero, o), 'h-skip'), A.lui(R.k1, RTC >>> 16),
    // An interrupt: acknowledge the clock, clear the software interrupts, return to EPC.
    A.lw(R.k1, RTC_C, R.k1), A.mtc0(R.zero, 13), A.jr(R.k0), A.rfe(),
  );
  p.label('h-skip').put(A.mfc0(R.k1, 13), A.nop(), br((o) => A.bgez(R.k1, o), 'h-ret'), A.addiu(R.k0, R.k0, 4), A.addiu(R.k0, R.k0, 4));
  p.label('h-ret').put(A.jr(R.k0), A.rfe());
  p.org(LOG_PTR).put(LOG);
}

/** One exception the handler recorded. */
export interface Logged { epc: number; cause: number; badVAddr: number; status: number }

/** The handler's records in `m`'s RAM, oldest first (at most 1024: the ring's size). */
export function logged(m: Machine): Logged[] {
  const ram = m.bus.ram32, ptr = ram[(LOG_PTR & 0x1fffffff) >>> 2] >>> 0, out: Logged[] = [];
  for (let a = LOG; a < ptr; a += 16) {
    const i = (a & 0x1fffffff) >>> 2;
    out.push({ epc: ram[i] >>> 0, cause: ram[i + 1] >>> 0, badVAddr: ram[i + 2] >>> 0, status: ram[i + 3] >>> 0 });
  }
  return out;
}

/** ExcCode of a Cause value. */
export const excCode = (cause: number): number => (cause >>> 2) & 31;
/** Cause.BD: the exception was in a branch delay slot. */
export const inSlot = (cause: number): boolean => (cause >>> 31) !== 0;
