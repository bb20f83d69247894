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

export interface CpuView {
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
 * The CPU view of `cur`; values that differ from `prev` are marked changed
 * (nothing is when there is no previous snapshot). `codeRows` is the number
 * of disassembly rows (labels included) to keep, centred on the pc.
 */
export function selectCpu(cur: Snapshot, prev: Snapshot | undefined, codeRows: number): CpuView {
  const c = cur.cpu, p = prev?.cpu;
  const regs = c.regs.map((v, i) => cell(REG_NAMES[i], v, p?.regs[i]));
  const special = [
    cell('pc', c.pc, p?.pc), cell('hi', c.hi, p?.hi), cell('lo', c.lo, p?.lo),
    ...Object.entries(c.cp0).map(([name, v]) => cell(name, v, p?.cp0[name])),
  ];
  const env = cur.envs.find((e) => e.current);
  return { regs, special, code: codeWindow(cur, codeRows), where: env ? `${env.name} (asid ${env.asid})` : 'kernel (idle)', inDelay: c.inDelay };
}

function codeWindow(s: Snapshot, rows: number): CodeRow[] {
  const all: CodeRow[] = [];
  let at = 0;
  for (const l of s.code) {
    if (l.label) all.push({ kind: 'label', text: `${l.label}:` });
    if (l.current) at = all.length;
    all.push({ kind: 'insn', addr: hex(l.addr), text: l.text, current: l.current, breakpoint: l.breakpoint });
  }
  const n = Math.max(0, rows);
  const start = Math.max(0, Math.min(all.length - n, at - Math.floor(n / 2)));
  return all.slice(start, start + n);
}
