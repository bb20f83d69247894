// The CPU pane's view model: registers and CP0 with what changed since the
// previous snapshot, and the disassembly around the pc.

import type { Snapshot } from '../../session/index.js';
import { hex } from '../format.js';
import { REG_NAMES } from '../names.js';

export interface RegCell {
  readonly name: string;
  readonly value: string;
  readonly changed: boolean;
}

export type CodeRow =
  | { readonly kind: 'label'; readonly text: string }
  | { readonly kind: 'insn'; readonly addr: string; readonly text: string; readonly current: boolean; readonly breakpoint: boolean };

/** Columns of a general register cell and of a pc/hi/lo/CP0 cell, separators included. */
export const REG_CELL = 15;
export const SPECIAL_CELL = 19;
/** Narrowest disassembly column beside the registers. */
const CODE_MIN = 42;

export interface CpuView {
  /** What the pane's title line says beside the title. */
  readonly info: string;
  /** Registers left of the code ('side') or above it ('stacked'). */
  readonly arrangement: 'side' | 'stacked';
  readonly regsPerRow: number;
  readonly specialPerRow: number;
  /** The 32 general registers. */
  readonly regs: readonly RegCell[];
  /** pc, hi, lo, then CP0 as the snapshot names them. */
  readonly special: readonly RegCell[];
  readonly code: readonly CodeRow[];
  /** The environment on the CPU, or "kernel idle". */
  readonly where: string;
  readonly inDelay: boolean;
}

const cell = (name: string, v: number, was: number | undefined): RegCell => ({ name, value: hex(v), changed: was !== undefined && was !== v });

/**
 * The CPU view of `cur` for a `width` x `height` pane; values that differ
 * from `prev` are marked changed (nothing is without a previous snapshot).
 * The disassembly keeps as many rows (labels included) as fit, centred on
 * the pc.
 */
export function selectCpu(cur: Snapshot, prev: Snapshot | undefined, width: number, height: number): CpuView {
  const c = cur.cpu, p = prev?.cpu;
  const regs = c.regs.map((v, i) => cell(REG_NAMES[i], v, p?.regs[i]));
  const special = [
    cell('pc', c.pc, p?.pc), cell('hi', c.hi, p?.hi), cell('lo', c.lo, p?.lo),
    ...Object.entries(c.cp0).map(([name, v]) => cell(name, v, p?.cp0[name])),
  ];
  const env = cur.envs.find((e) => e.current);
  const regRows = Math.ceil(regs.length / 4);
  const side = width >= 4 * REG_CELL + CODE_MIN && height >= regRows + Math.ceil(special.length / 3);
  const specialPerRow = side ? 3 : Math.max(1, Math.min(special.length, Math.floor((width + 2) / SPECIAL_CELL)));
  const codeRows = side ? height : height - regRows - Math.ceil(special.length / specialPerRow);
  return {
    info: `${env ? `${env.name} (asid ${env.asid})` : 'idle'}${c.inDelay ? ', in a delay slot' : ' on the CPU'}`,
    arrangement: side ? 'side' : 'stacked', regsPerRow: 4, specialPerRow,
    regs, special, code: codeWindow(cur, codeRows),
    where: env ? `${env.name} (asid ${env.asid})` : 'kernel (idle)', inDelay: c.inDelay,
  };
}

/** "lw\tt1,0(t3)" as "lw      t1,0(t3)": the mnemonic in a column of 8. */
function expandTab(text: string): string {
  const i = text.indexOf('\t');
  return i < 0 ? text : text.slice(0, i).padEnd(Math.max(8, i + 1)) + text.slice(i + 1).replace(/\t/g, ' ');
}

function codeWindow(s: Snapshot, rows: number): CodeRow[] {
  const all: CodeRow[] = [];
  let at = 0;
  for (const l of s.code) {
    if (l.label) all.push({ kind: 'label', text: `${l.label}:` });
    if (l.current) at = all.length;
    all.push({ kind: 'insn', addr: hex(l.addr), text: expandTab(l.text), current: l.current, breakpoint: l.breakpoint });
  }
  const n = Math.max(0, rows);
  const start = Math.max(0, Math.min(all.length - n, at - Math.floor(n / 2)));
  return all.slice(start, start + n);
}
