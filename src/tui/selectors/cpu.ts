// The CPU pane's view model: registers and CP0 with what changed since the
// previous snapshot, and the disassembly around the pc.

import type { Snapshot } from '../../session/index.js';
import { hex } from '../format.js';
import { REG_NAMES } from '../names.js';
import { monoWhere } from './mono.js';

export interface RegCell {
  readonly name: string;
  readonly value: string;
  readonly changed: boolean;
}

export type CodeRow =
  | { readonly kind: 'label'; readonly text: string }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'insn'; readonly addr: string; readonly text: string; readonly symbol: string; readonly current: boolean; readonly breakpoint: boolean; readonly cursor: boolean };

/** Columns of a general register cell and of a pc/hi/lo/CP0 cell, separators included. */
export const REG_CELL = 15;
export const SPECIAL_CELL = 19;
/** Narrowest disassembly column beside the registers. */
const CODE_MIN = 42;
/** Fewest disassembly lines worth showing under the registers; with less room the pane shows a few registers only. */
const CODE_FEW = 6;

export interface CpuView {
  /** What the pane's title line says beside the title. */
  readonly info: string;
  /**
   * Registers left of the code ('side'), above it ('stacked'), or only the
   * registers an exception and a call use, above it ('brief').
   */
  readonly arrangement: 'side' | 'stacked' | 'brief';
  readonly regsPerRow: number;
  readonly specialPerRow: number;
  /** The general registers shown (all 32, or the brief few). */
  readonly regs: readonly RegCell[];
  /** pc, hi, lo, then CP0 as the snapshot names them (the brief few: pc and the exception's CP0 registers). */
  readonly special: readonly RegCell[];
  readonly code: readonly CodeRow[];
  /** The environment on the CPU, or "kernel idle". */
  readonly where: string;
  readonly inDelay: boolean;
  /** Instructions the cursor is from the pc, after clamping; and how far it can go each way. */
  readonly scroll: number;
  readonly max: number;
  /** The address of the instruction under the cursor (the pc's until j/k move it; u runs to it), if there is code. */
  readonly cursor: number | undefined;
}

const cell = (name: string, v: number, was: number | undefined): RegCell => ({ name, value: hex(v), changed: was !== undefined && was !== v });

/** The general registers a call and an exception handler are read by, for the brief arrangement. */
const BRIEF_REGS = ['v0', 'a0', 'a1', 'a2', 'a3', 'sp', 'ra'];
const BRIEF_SPECIAL = ['pc', 'EPC', 'Cause', 'BadVAddr', 'Status', 'EntryHi'];

/**
 * The CPU view of `cur` for a `width` x `height` pane; values that differ
 * from `prev` are marked changed (nothing is without a previous snapshot).
 * The disassembly keeps as many rows (labels included) as fit, centred on
 * the pc and moved `scroll` lines down (up when negative). Registers go
 * beside the code when the pane is wide enough, above it when it is tall
 * enough, else only the few a call and an exception use go above it.
 */
export function selectCpu(cur: Snapshot, prev: Snapshot | undefined, width: number, height: number, scroll = 0): CpuView {
  const c = cur.cpu, p = prev?.cpu;
  const regs = c.regs.map((v, i) => cell(REG_NAMES[i], v, p?.regs[i]));
  const special = [
    cell('pc', c.pc, p?.pc), cell('hi', c.hi, p?.hi), cell('lo', c.lo, p?.lo),
    ...Object.entries(c.cp0).map(([name, v]) => cell(name, v, p?.cp0[name])),
  ];
  const env = cur.envs.find((e) => e.current);
  const regRows = Math.ceil(regs.length / 4);
  const side = width >= 4 * REG_CELL + CODE_MIN && height >= regRows + Math.ceil(special.length / 3);
  const perRow = Math.max(1, Math.min(special.length, Math.floor((width + 2) / SPECIAL_CELL)));
  const stacked = !side && height - regRows - Math.ceil(special.length / perRow) >= CODE_FEW;
  const arrangement = side ? 'side' : stacked ? 'stacked' : 'brief';
  const shown = arrangement === 'brief'
    ? { regs: regs.filter((r) => BRIEF_REGS.includes(r.name)), special: BRIEF_SPECIAL.flatMap((n) => special.filter((r) => r.name === n)) }
    : { regs, special };
  const specialPerRow = side ? 3 : arrangement === 'brief' ? Math.max(1, Math.floor((width + 2) / SPECIAL_CELL)) : perRow;
  const regsPerRow = arrangement === 'brief' ? Math.max(1, Math.floor((width + 1) / REG_CELL)) : 4;
  const codeRows = side ? height : height - Math.ceil(shown.regs.length / regsPerRow) - Math.ceil(shown.special.length / specialPerRow);
  const code = codeWindow(cur, codeRows, scroll);
  // On the monolithic kernel, who is on the CPU is its current process (or the kernel itself).
  const where = cur.mono ? monoWhere(cur, cur.mono) : env ? `${env.name} (asid ${env.asid})` : undefined;
  return {
    info: `${where ?? 'idle'}${c.inDelay ? ', in a delay slot' : ' on the CPU'}${code.offset ? `; cursor ${code.offset > 0 ? '+' : ''}${code.offset} from pc (u runs to it, g: back)` : ''}`,
    arrangement, regsPerRow, specialPerRow,
    regs: shown.regs, special: shown.special, code: code.rows,
    where: where ?? 'kernel (idle)', inDelay: c.inDelay,
    scroll: code.offset, max: code.max, cursor: code.cursor,
  };
}

/** "lw\tt1,0(t3)" as "lw      t1,0(t3)": the mnemonic in a column of 8. */
function expandTab(text: string): string {
  const i = text.indexOf('\t');
  return i < 0 ? text : text.slice(0, i).padEnd(Math.max(8, i + 1)) + text.slice(i + 1).replace(/\t/g, ' ');
}

/**
 * The R3000's exception vectors in kseg0 (IDT R30xx manual, ch. 4,
 * "Exception vectors"). The exokernel installs its handlers there as host
 * code (docs/architecture.md, "Exception vectors"), so no MIPS word is fetched.
 */
const VECTORS: ReadonlyMap<number, string> = new Map([
  [0x80000000, 'UTLB miss vector: the exokernel\'s TLB refill (STLB, then the environment\'s handler) runs here'],
  [0x80000080, 'general exception vector: the exokernel\'s dispatch (syscalls, interrupts, upcalls) runs here'],
]);

/** What a code line says: its instruction, or what runs at a kernel vector instead of "(unmapped)". */
function insnText(addr: number, text: string, word: number | undefined): string {
  const v = VECTORS.get(addr); // only for unmapped words: the monolithic kernel's own vectors are MIPS code and disassemble
  return word === undefined && v ? v : expandTab(text);
}

/**
 * The disassembly rows that fit in `rows` lines, around the cursor: the
 * instruction `scroll` instructions from the pc (labels are not counted),
 * marked when it is not the pc's, kept as near the middle as the code
 * allows. Its offset from the pc after clamping, how far it can go either
 * way, and its address.
 */
function codeWindow(s: Snapshot, rows: number, scroll: number): { rows: CodeRow[]; offset: number; max: number; cursor: number | undefined } {
  const n = Math.max(0, rows);
  if (!s.mono && !s.envs.some((e) => e.current) && s.cpu.pc === 0) {
    const idle: CodeRow = { kind: 'note', text: 'No environment is on the CPU: the kernel is idle (or not started; c runs).' };
    return { rows: [idle].slice(0, n), offset: 0, max: 0, cursor: undefined };
  }
  const insns: number[] = []; // row index of each instruction
  let pcInsn = -1;
  for (const l of s.code) {
    if (l.current) pcInsn = insns.length;
    insns.push(0);
  }
  if (!insns.length) return { rows: [], offset: 0, max: 0, cursor: undefined };
  const at = pcInsn < 0 ? Math.floor(insns.length / 2) : pcInsn;
  const cur = Math.max(0, Math.min(insns.length - 1, at + scroll));
  const all: CodeRow[] = [];
  s.code.forEach((l, i) => {
    if (l.label) all.push({ kind: 'label', text: `${l.label}:` });
    insns[i] = all.length;
    all.push({ kind: 'insn', addr: hex(l.addr), text: insnText(l.addr, l.text, l.word), symbol: l.symbol && !l.label ? `<${l.symbol}>` : '', current: l.current, breakpoint: l.breakpoint, cursor: i === cur && cur !== at });
  });
  const start = Math.max(0, Math.min(all.length - n, insns[cur] - Math.floor(n / 2)));
  return { rows: all.slice(start, start + n), offset: cur - at, max: Math.max(at, insns.length - 1 - at), cursor: s.code[cur].addr >>> 0 };
}
