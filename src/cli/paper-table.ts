// The tables and notes of `exoscope bench --paper`: the comparison (ours on
// both kernels beside the paper's two columns and both ratios), where each
// side's cycles go, and the notes that say what every window holds.

import type { PaperResult } from './paper-bench.js';

/** Short names of the exokernel's kernel paths, for the table. */
const PATH_SHORT: Readonly<Record<string, string>> = {
  syscall: 'sys', dispatch: 'disp', upcall: 'upc', 'stlb refill': 'stlb', 'guaranteed refill': 'gref', 'context switch': 'ctx', tlb_map: 'map',
  'net send': 'tx', 'net receive': 'rx',
};

const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? undefined : v.toFixed(digits));
const ratioText = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}x`);

/** The comparison: ExOS and the monolithic kernel measured here, the paper's ExOS and Ultrix, and the two ratios. */
export function tableData(results: readonly PaperResult[]): Record<string, string>[] {
  return results.map((r) => ({
    operation: r.operation,
    'ExOS here (us)': r.us.toFixed(2),
    'mono here (us)': fixed(r.monolithic, 2) ?? 'no equivalent',
    'ratio here': ratioText(r.ratio),
    'ExOS paper (us)': fixed(r.exos, 1) ?? (r.ultrix === undefined ? 'no paper figure' : 'n/a'),
    'Ultrix paper (us)': fixed(r.ultrix, 1) ?? 'n/a',
    'ratio paper': ratioText(r.paperRatio),
    checked: r.ok ? 'ok' : 'BAD',
  }));
}

/** Where each side's cycles go, per operation: the exokernel's events and charges, the monolithic kernel's own counters. */
export function whereData(results: readonly PaperResult[]): Record<string, string>[] {
  return results.map((r) => {
    const m = r.mono;
    return {
      operation: r.operation,
      'ExOS cycles': String(r.cyclesPerOp),
      'insns (own)': `${Math.round(r.userInstructions)} (${Math.round(r.ownInstructions)})`,
      entries: String(r.kernelEntries),
      switches: String(r.contextSwitches),
      copied: String(r.copyBytes),
      'kernel cycles by path': Object.entries(r.kernel).filter(([, v]) => Math.round(v) > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${PATH_SHORT[k] ?? k} ${Math.round(v)}`).join(' '),
      stall: String(Math.round(r.stalls)),
      wait: String(Math.round(r.wait)),
      'mono cycles': m ? String(m.cyclesPerOp) : '-',
      'in kernel': m ? String(Math.round(m.kernelCycles)) : '-',
      'mono stall': m ? String(Math.round(m.stalls)) : '-',
      'mono entries': m ? String(m.kernelEntries) : '-',
      syscalls: m ? String(m.syscalls) : '-',
      'mono switches': m ? String(m.contextSwitches) : '-',
      'mono copied': m ? String(m.copyBytes) : '-',
    };
  });
}

/** The notes under the tables: the model, the columns, and exactly what each row's window holds. */
export function paperNotes(results: readonly PaperResult[]): string[] {
  return [
    'Emulated microseconds at 25 MHz. ExOS here: our ExOS on our exokernel; mono here: the monolithic kernel (src/mono) running',
    'the same benchmark program (src/bench-common) on the same emulated machine; the paper: DECstation 5000, ExOS on Aegis and',
    'Ultrix (docs/reference/exokernel.md). Ratios are monolithic over ExOS (ours) and Ultrix over ExOS (the paper\'s).',
    'Each figure is the cycles between two null system calls of its program, over its iterations. The cost model, the same for',
    'both kernels and for user code: one cycle an instruction, and mfhi/mflo wait until 12 cycles after a multiply or 35 after',
    'a divide issued (the R3000\'s interlock); the exokernel\'s kernel paths (TypeScript) are charged the cycles their MIPS',
    'sequences take (src/exokernel/asm, costs.ts), the monolithic kernel\'s are its own',
    'instructions as they run. Not modelled, for either: caches, the write buffer, TLB-miss timing beyond the refill code.',
    'Wire time is real (10 Mb/s) and the peer host answers after 100 us.',
    'Where the cycles go, per operation. ExOS: guest instructions (every environment\'s; the measured program\'s own), kernel',
    'entries, context switches, bytes the kernel copied (network frames), kernel cycles by path (events in the window x',
    'costs.ts: sys, disp, upc upcall, stlb/gref refill, ctx context switch, map tlb_map, tx/rx network; interrupt entries and',
    'DPF are charged too, see --explain), stall (cycles mfhi/mflo waited for a multiply or divide), wait (the machine idle,',
    'waiting on the wire). mono: cycles, of them in the kernel (vector to rfe, its idle loop included), stall, and the',
    'kernel\'s own counters read from its memory: exceptions, system calls, context switches, copyin and copyout bytes.',
    'Windows:',
    ...results.map((r) => `  ${r.operation}: ${r.window}.${r.monolithicNone ? ` No monolithic figure: ${r.monolithicNone}.` : ''}`),
    '* Echoed by the simulated peer host on the wire (a fixed 100 us), not a DECstation; the "2 machines" rows are app to app',
    '  on two emulated DECstations in one session, as the paper measured (src/cli/paper-udp.ts).',
    'Appel-Li rows: the reference has no paper figures for them ("no paper figure"); prot100/unprot100 are per 100 pages.',
  ];
}
