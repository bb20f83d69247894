// The full hardware TLB dump of `:tlb`, one entry a line (the pane
// compares the TLB with the STLB: selectors/mappings.ts).

import type { Snapshot, TlbRow } from '../../session/index.js';
import { fit, hex } from '../format.js';

const flags = (r: TlbRow) => `${r.n ? 'N' : '-'}${r.d ? 'D' : '-'}${r.v ? 'V' : '-'}${r.g ? 'G' : '-'}`;

/** Environment names by ASID (live environments only). */
function asidNames(s: Snapshot): Map<number, string> {
  return new Map(s.envs.filter((e) => e.asid >= 0 && e.state !== 'destroyed').map((e) => [e.asid, e.name]));
}

function tlbText(r: TlbRow, owner: string): string {
  return `${String(r.index).padStart(2)} ${hex(r.vpn, 5)} ${String(r.asid).padStart(2)} ${hex(r.pfn, 5)} ${flags(r)} ${fit(r.g ? '(all)' : owner, 6)}`;
}

/** All 64 hardware TLB entries, one a line, for `:tlb`. */
export function tlbDumpLines(s: Snapshot): string[] {
  const names = asidNames(s);
  return ['ix vpn   as pfn   ndvg env', ...s.tlb.map((r) => tlbText(r, r.v ? names.get(r.asid) ?? '-' : '').trimEnd())];
}
