// Packet classification in `exoscope bench --paper`: DPF against the
// classifier it replaced, in emulated cycles (Aegis paper, sec. 5.5: DPF
// 1.5 us, MPF 35 us). Both classify the same packets against the same
// filters: n UDP demultiplexing filters (Ethernet type IP, protocol UDP,
// destination port), one packet to each filter's port. DPF's cost is what
// the kernel charges for it: Costs.DPF_ATOM per atom its walk of the merged
// trie visits (asm/net.S dpf_atoms, one compiled atom), Costs.DPF_HASH per
// hash table and DPF_HASH_ENTRY per entry of its bucket compared
// (asm/dpfhash.S).
// MPF's is asm/mpf.S's: Costs.MPF_MATCH + MPF_FILTER per filter that fails
// + MPF_ATOM per atom interpreted, counted by mpfWork. Host-time figures
// for the same comparison are bench/dpf.mjs's (`npm run bench`).

import { Costs, Dpf, encodeFilter, mpfWork, type Atom } from '../exokernel/index.js';
import { MHZ } from './paper-paths.js';

/** One filter count. Cycles and microseconds are per packet, averaged over one packet to each filter. */
export interface ClassifyRow {
  readonly filters: number;
  readonly dpfVisits: number;
  readonly dpfCycles: number;
  readonly dpfUs: number;
  readonly mpfAtoms: number;
  readonly mpfCycles: number;
  readonly mpfUs: number;
  /** The packet for the last filter installed: every other filter is tried first. */
  readonly mpfWorstUs: number;
  readonly paperDpf: number;
  readonly paperMpf: number;
  /** Both classifiers picked the same filter for every packet. */
  readonly agree: boolean;
}

export const FILTER_COUNTS = [1, 10, 100, 256] as const;
const BASE_PORT = 1000;

const cmp = (width: 1 | 2, offset: number, value: number): Atom => ({ kind: 'compare', width, offset, mask: width === 1 ? 0xff : 0xffff, value });
/** The UDP demultiplexing filter for `port` (a 20-byte IP header). */
const udpFilter = (port: number): Atom[] => [cmp(2, 12, 0x0800), cmp(1, 23, 17), cmp(2, 36, port)];

/** A 64-byte Ethernet/IPv4/UDP frame to `port`. */
function frame(port: number): Uint8Array {
  const p = new Uint8Array(64);
  p[12] = 0x08; p[14] = 0x45; p[23] = 17; p[36] = port >> 8; p[37] = port & 0xff;
  return p;
}

const us = (cycles: number) => Math.round((cycles / MHZ) * 100) / 100;
const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Classifies one packet to each of `n` filters both ways; throws Error if DPF refuses a filter (a bug here). */
export function classifyRow(n: number): ClassifyRow {
  const filters = Array.from({ length: n }, (_, i) => udpFilter(BASE_PORT + i));
  const dpf = new Dpf();
  const ids = filters.map((f, i) => {
    const r = dpf.insert(encodeFilter(f), { env: i + 1, ring: 0 });
    if (!('id' in r)) throw new Error(`DPF refused UDP filter ${i}: ${r.refused}`);
    return r.id;
  });
  const packets = filters.map((_, i) => frame(BASE_PORT + i));
  const work = packets.map((p) => mpfWork(filters, p));
  const mpf = work.map((w) => Costs.MPF_MATCH + w.failed * Costs.MPF_FILTER + w.atoms * Costs.MPF_ATOM + w.shifts);
  const dpfWork = packets.map((p) => dpf.classifyWork(p));
  const visits = dpfWork.map((w) => w.atoms + w.hashes);
  const agree = packets.every((p, i) => dpf.classify(p)?.filter === ids[i] && work[i].accepted === i);
  const dpfCycles = avg(packets.map((p) => dpf.classifyCycles(p))), mpfCycles = avg(mpf);
  return {
    filters: n, dpfVisits: avg(visits), dpfCycles, dpfUs: us(dpfCycles),
    mpfAtoms: avg(work.map((w) => w.atoms)), mpfCycles, mpfUs: us(mpfCycles), mpfWorstUs: us(mpf[n - 1]),
    paperDpf: 1.5, paperMpf: 35.0, agree,
  };
}

/** Every filter count. */
export function runClassifyBench(): ClassifyRow[] {
  return FILTER_COUNTS.map(classifyRow);
}

/** The classification table as ink-table data. */
export function classifyData(rows: readonly ClassifyRow[]): Record<string, string>[] {
  return rows.map((r) => ({
    filters: String(r.filters),
    'DPF atoms visited': r.dpfVisits.toFixed(1),
    'DPF here (us)': r.dpfUs.toFixed(2),
    'MPF atoms': r.mpfAtoms.toFixed(1),
    'MPF here (us)': r.mpfUs.toFixed(2),
    'MPF worst (us)': r.mpfWorstUs.toFixed(2),
    'MPF/DPF here': `${(r.mpfCycles / r.dpfCycles).toFixed(1)}x`,
    'DPF paper (us)': r.paperDpf.toFixed(1),
    'MPF paper (us)': r.paperMpf.toFixed(1),
    'same filter': r.agree ? 'yes' : 'NO',
  }));
}

/** The notes under the classification table. */
export function classifyNotes(): string[] {
  return [
    'Packet classification, emulated cycles per packet (averaged over one 64-byte UDP packet to each filter). n filters: Ethernet',
    'type IP, protocol UDP, destination port 1000+i. DPF: the merged trie the kernel uses, as the kernel charges it: an atom',
    `${Costs.DPF_ATOM} cycles (asm/net.S's compiled atom); the hash table of sibling ports (one visit in "DPF atoms visited")`,
    `${Costs.DPF_HASH} cycles to hash and find the bucket plus ${Costs.DPF_HASH_ENTRY} an entry of its chain compared (asm/dpfhash.S).`,
    `MPF: asm/mpf.S interprets each filter in turn: ${Costs.MPF_ATOM} cycles an atom, ${Costs.MPF_FILTER} a filter that fails,`,
    `${Costs.MPF_MATCH} for the one that accepts (test/exokernel/costs.test.ts). MPF's own associative match on ports is not modelled. The`,
    'paper\'s 1.5 and 35 us are one measurement each (the reference gives no filter count or filter set); they stand beside every',
    'row. Host time for the same comparison: bench/dpf.mjs (npm run bench).',
  ];
}
