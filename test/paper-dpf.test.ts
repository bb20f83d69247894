// bench --paper's classification rows: DPF's merged trie against an
// MPF-style classifier that interprets each filter in turn, in emulated
// cycles from the two MIPS sequences' measured constants.

import { describe, expect, it } from 'vitest';
import { Costs } from '../src/exokernel/costs.js';
import { bucketOf } from '../src/exokernel/dpf/hash.js';
import { FILTER_COUNTS, classifyData, classifyRow, runClassifyBench } from '../src/cli/paper-dpf.js';

describe('bench --paper: DPF against MPF', () => {
  const rows = runClassifyBench();

  it('has a row at 1, 10, 100 and 256 filters, both classifiers choosing the same filter for every packet', () => {
    expect(rows.map((r) => r.filters)).toEqual([...FILTER_COUNTS]);
    for (const r of rows) expect(r.agree, String(r.filters)).toBe(true);
    expect(classifyData(rows)[0]['DPF paper (us)']).toBe('1.5');
    expect(classifyData(rows)[0]['MPF paper (us)']).toBe('35.0');
  });

  it('charges DPF per atom its trie walk visits, and a hash table of the sibling ports as asm/dpfhash.S costs it', () => {
    for (const r of rows) expect(r.dpfVisits).toBe(3); // type, protocol, the port (an atom, or the ports' hash table)
    expect(rows[0].dpfCycles).toBe(3 * Costs.DPF_ATOM); // one filter: no siblings, no table
    for (const r of rows.slice(1)) {
      // The table doubles from 64 buckets while more than 3/4 full (dpf/hash.ts); a bucket of c ports compares 1..c entries.
      let log2 = 6;
      while (r.filters * 4 > 3 << log2) log2++;
      const chains = new Map<number, number>();
      for (let i = 0; i < r.filters; i++) { const b = bucketOf(1000 + i, log2); chains.set(b, (chains.get(b) ?? 0) + 1); }
      const entries = [...chains.values()].reduce((a, c) => a + (c * (c + 1)) / 2, 0) / r.filters;
      expect(r.dpfCycles, String(r.filters)).toBeCloseTo(2 * Costs.DPF_ATOM + Costs.DPF_HASH + entries * Costs.DPF_HASH_ENTRY, 9);
    }
    expect(rows.at(-1)!.dpfCycles).toBeGreaterThan(2 * Costs.DPF_ATOM + Costs.DPF_HASH + Costs.DPF_HASH_ENTRY); // 256 ports: one bucket of two
  });

  it('charges MPF per atom and filter it interprets: a packet for filter i interprets 3i + 3 atoms', () => {
    const one = classifyRow(1);
    expect(one.mpfCycles).toBe(Costs.MPF_MATCH + 3 * Costs.MPF_ATOM);
    // One packet to each of 10 filters: filter i fails i filters first, at their third atom.
    const ten = rows.find((r) => r.filters === 10)!;
    expect(ten.mpfAtoms).toBe(16.5);
    expect(ten.mpfCycles).toBeCloseTo(Costs.MPF_MATCH + 4.5 * Costs.MPF_FILTER + 16.5 * Costs.MPF_ATOM, 6);
    const all = rows.find((r) => r.filters === 256)!;
    expect(all.mpfWorstUs).toBeCloseTo((Costs.MPF_MATCH + 255 * Costs.MPF_FILTER + 768 * Costs.MPF_ATOM) / 25, 2);
    expect(all.mpfCycles / all.dpfCycles).toBeGreaterThan(100);
  });
});
