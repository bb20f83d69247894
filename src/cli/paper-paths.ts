// What `exoscope bench --paper` reads its windows in: the clock, the name a
// row's program goes by, and the kernel cycles each event stands for, by
// path (src/exokernel/costs.ts, each constant a measured MIPS sequence).
// Shared by paper-bench.ts (rows on one machine) and paper-udp.ts (rows on
// several), which import it and not each other.

import { basename } from 'node:path';
import { Costs, type KernelEvent } from '../exokernel/index.js';

/** The DECstation 5000/200's clock, in MHz: cycles / MHZ = microseconds. */
export const MHZ = 25;

/** The name a row's program goes by in the table: its image without exos- and .elf. */
export const imageName = (path: string) => basename(path).replace(/^exos-/, '').replace(/\.elf$/, '');

/** Kernel cycles an event stands for, by path (costs.ts), one event alone. */
export function pathCost(e: KernelEvent): [string, number] | undefined {
  switch (e.kind) {
    case 'syscall': return ['syscall', Costs.SYSCALL];
    case 'dispatch': return ['dispatch', Costs.DISPATCH];
    case 'upcall': return ['upcall', Costs.UPCALL];
    case 'stlb-hit': return ['stlb refill', Costs.STLB_REFILL];
    case 'guaranteed-hit': return ['guaranteed refill', Costs.GUARANTEED_REFILL];
    case 'context-switch': return ['context switch', Costs.CONTEXT_SWITCH];
    case 'binding-installed': return ['tlb_map', Costs.TLB_MAP];
    case 'packet-sent': return ['net send', Costs.TRANSMIT + Math.ceil(Math.max(60, e.len) / 4) * Costs.RING_COPY_WORD];
    case 'packet-delivered': return ['net receive', Costs.RING_SLOT + Math.ceil(e.len / 4) * Costs.RING_COPY_WORD];
    default: return undefined;
  }
}
