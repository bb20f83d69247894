// `exoscope bench --paper --explain`: which assumption of the cost model
// drives each row. A row's exokernel cycles are a sum of parts, each resting
// on one assumption: guest instructions (one cycle each), each kernel path
// (the cycles its MIPS sequence takes, costs.ts, by constant name), other
// kernel charges (interrupt entries, DPF atoms and hash tables, ring copies), the
// multiply/divide interlock's stalls in guest code, and wait (the
// wire and the peer host, not the CPU). The monolithic kernel's cycles are
// instructions, its own and its processes', and interlock stalls. The table gives each part's
// share and what a 10% error in the largest assumption would do to the row
// and to the measured ratio, so a reader sees which assumption moves it.

import type { PaperResult } from './paper-bench.js';
import { MHZ } from './paper-paths.js';

/** The costs.ts constant behind each kernel path (paper-bench.ts pathCost). */
const PATH_CONSTANT: Readonly<Record<string, string>> = {
  syscall: 'SYSCALL', dispatch: 'DISPATCH', upcall: 'UPCALL', 'stlb refill': 'STLB_REFILL', 'guaranteed refill': 'GUARANTEED_REFILL',
  'context switch': 'CONTEXT_SWITCH', pct: 'PCT', yield_to: 'YIELD', tlb_map: 'TLB_MAP', 'net send': 'TRANSMIT+RING_COPY_WORD', 'net receive': 'RING_SLOT+RING_COPY_WORD',
};

/** The part no CPU assumption moves. */
const WAIT = 'wait (wire)';

/** One part of a row's cycles per operation and the assumption it rests on. */
export interface Part {
  readonly assumption: string;
  readonly cycles: number;
}

/**
 * The exokernel side's cycles per operation split by assumption, largest
 * first: instructions, each path's constant, the rest of the kernel's
 * charges, wait. The parts sum to the row's cycles (up to rounding).
 */
export function exosParts(r: PaperResult): Part[] {
  // Two machines (paper-udp.ts): the row is the client's timeline, on which the echo machine's work and the wire are waiting.
  if ('server' in r) {
    return [
      { assumption: 'insns at 1 cycle (client)', cycles: r.ownInstructions },
      { assumption: 'mul/div interlock', cycles: r.stalls },
      { assumption: 'kernel charges (client)', cycles: r.charged },
      { assumption: `${WAIT} (the echo machine and the wire)`, cycles: r.wait },
    ].filter((p) => Math.abs(p.cycles) >= 0.005 * r.cyclesPerOp).sort((a, b) => b.cycles - a.cycles);
  }
  const paths = Object.entries(r.kernel).map(([p, c]) => ({ assumption: PATH_CONSTANT[p] ?? p, cycles: c }));
  const named = paths.reduce((a, p) => a + p.cycles, 0);
  return [
    { assumption: 'insns at 1 cycle', cycles: r.userInstructions },
    { assumption: 'mul/div interlock', cycles: r.stalls },
    ...paths,
    { assumption: 'other charges', cycles: Math.round((r.charged - named) * 10) / 10 },
    { assumption: WAIT, cycles: r.wait },
  ].filter((p) => Math.abs(p.cycles) >= 0.005 * r.cyclesPerOp).sort((a, b) => b.cycles - a.cycles);
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** The sensitivity table: each side's shares, and what +10% of the exokernel side's largest assumption does. */
export function explainData(results: readonly PaperResult[]): Record<string, string>[] {
  return results.map((r) => {
    const parts = exosParts(r), top = parts.find((p) => p.assumption !== WAIT)!;
    const dUs = (0.1 * top.cycles) / MHZ;
    const ratioAfter = r.monolithic === null ? null : r.monolithic / (r.us + dUs);
    const m = r.mono;
    return {
      operation: r.operation,
      'ExOS cycles by assumption': parts.slice(0, 3).map((p) => `${p.assumption} ${pct(p.cycles, r.cyclesPerOp)}`).join(' · '),
      'largest CPU assumption +10%': `${top.assumption.replace(/ \(.*/, '')}: +${dUs.toFixed(2)} us${ratioAfter === null ? '' : `, ratio ${r.ratio!.toFixed(2)} -> ${ratioAfter.toFixed(2)}`}`,
      'mono cycles': m ? `user ${pct(m.cyclesPerOp - m.kernelCycles, m.cyclesPerOp)} · kernel ${pct(m.kernelCycles, m.cyclesPerOp)} (interlock ${pct(m.stalls, m.cyclesPerOp)})` : 'no equivalent',
    };
  });
}

/** The notes under the sensitivity table. */
export function explainNotes(): string[] {
  return [
    'Sensitivity: each ExOS row\'s cycles per operation split by the assumption they rest on (shares of the row; the three',
    'largest). "insns at 1 cycle" is the cost model itself (no caches, no write buffer); "mul/div interlock" the cycles mfhi/mflo',
    'waited (12 after a multiply, 35 after a divide); a path\'s constant is the cycle count of its MIPS sequence (costs.ts,',
    'measured by test/exokernel/costs.test.ts and switch-costs.test.ts); "other charges" the kernel\'s',
    'remaining charges (interrupt entries, DPF_ATOM and DPF_HASH, ...); wait is the wire and the peer host, which no CPU assumption moves.',
    '"largest CPU assumption +10%": the row and the measured ratio if its largest part but wait were 10% more. mono: its',
    'cycles in user mode and in the kernel (its idle loop included, while it waits on the wire), and of all, the interlock\'s.',
    'Every monolithic cycle is an instruction or a stall, so a uniform change of cycles per instruction scales both kernels',
    'alike (the exokernel\'s constants are instruction counts too) and moves a ratio only through the wait; what would move a',
    'ratio is an assumption one side leans on more: caches (not modelled), which would',
    'cost the larger kernel\'s longer paths more.',
  ];
}
