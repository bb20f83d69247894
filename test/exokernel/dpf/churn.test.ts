// Filter churn: an insert or remove changes only its part of the trie (were
// the whole trie recompiled each time, 300 insert/remove pairs among 255
// filters of 256 atoms would cost the host thousands of times what they
// cost the guest). These tests count the work
// DPF does (Dpf.work), never the time it takes.

import { describe, expect, it } from 'vitest';
import { CHUNK_DEPTH } from '../../../src/exokernel/dpf/compile.js';
import { type Atom, Dpf } from '../../../src/exokernel/dpf/index.js';
import { Costs } from '../../../src/exokernel/costs.js';
import type { Kernel } from '../../../src/exokernel/kernel.js';
import { dpfWork } from '../../../src/exokernel/net.js';
import { cmp, udpPortFixed, words } from './helpers.js';

const ATOMS = 256;

/** Filter i: UDP to port 1000 + i at the fixed offset, then 253 byte atoms of its own. */
function filter(i: number): Atom[] {
  const a = [cmp(2, 12, 0x0800), cmp(1, 23, 17), cmp(2, 36, 1000 + i)];
  for (let k = 0; a.length < ATOMS; k++) a.push(cmp(1, 40 + k, (k * 7 + i) & 0xff));
  return a;
}

/** The packet filter i accepts. */
function packet(i: number): Uint8Array {
  const p = new Uint8Array(40 + ATOMS);
  p[12] = 0x08; p[23] = 17; p[36] = (1000 + i) >> 8; p[37] = (1000 + i) & 0xff;
  for (let k = 0; k < ATOMS - 3; k++) p[40 + k] = (k * 7 + i) & 0xff;
  return p;
}

/** A Dpf compiling on first use with `n` long filters, each compiled once by a packet. */
function loaded(n: number): Dpf {
  const d = new Dpf(0);
  for (let i = 0; i < n; i++) expect(d.insert(words(filter(i)), { env: i + 1, ring: 0 })).toEqual({ id: i + 1 });
  for (let i = 0; i < n; i++) expect(d.classify(packet(i))?.filter).toBe(i + 1);
  return d;
}

describe('DPF under filter churn', () => {
  it('compiles only the changed filter\'s path after an insert/remove pair, not the trie', () => {
    const N = 64, d = loaded(N);
    const total = d.work.compile.nodes;
    expect(total).toBeGreaterThanOrEqual(N * (ATOMS - 3));
    for (let pair = 0; pair < 40; pair++) {
      const j = (pair * 13) % N, before = d.work;
      expect(d.remove(j + 1, j + 1)).toEqual({ removed: j + 1 });
      expect(d.insert(words(filter(j)), { env: j + 1, ring: 0 })).toEqual({ id: j + 1 });
      for (let i = 0; i < N; i += 7) expect(d.classify(packet(i))).toEqual(d.classifyInterpreted(packet(i)));
      expect(d.classify(packet(j))?.filter).toBe(j + 1);
      const after = d.work;
      const nodes = after.compile.nodes - before.compile.nodes;
      // The path of 256 atoms is compiled again, and the chunk above it with
      // the hash table's switch (a line per port); the other 63 filters'
      // 16,000 nodes are kept.
      expect(nodes).toBeGreaterThanOrEqual(ATOMS - 3);
      expect(nodes).toBeLessThanOrEqual(ATOMS + CHUNK_DEPTH + N);
      expect(after.compile.chunks - before.compile.chunks).toBeLessThanOrEqual(Math.ceil(ATOMS / (CHUNK_DEPTH - 1)) + 2);
      // The trie work: remove walks the path; insert's conflict walk stops
      // where the path leaves the trie (the port's hash table has no entry
      // for it) and walks it again to merge it.
      expect(after.atoms - before.atoms).toBeLessThanOrEqual(2 * (ATOMS + 1) + 8);
      // The other 63 filters leave the path through the port's hash table,
      // on the field this filter reads there: disjoint unseen, none compared.
      expect(after.compared - before.compared).toBe(0);
      // The guest is charged for the two paths made out of date, compiled or not.
      expect(after.changed - before.changed).toBe(2 * (ATOMS + 1));
    }
  });

  it('compiles nothing for a filter that comes and goes before packets reach it often', () => {
    const d = new Dpf();
    for (let i = 0; i < 8; i++) d.insert(words(filter(i)), { env: i + 1, ring: 0 });
    const before = d.work.compile.nodes;
    for (let pair = 0; pair < 20; pair++) {
      d.remove(1, 1);
      d.insert(words(filter(0)), { env: 1, ring: 0 });
      expect(d.classify(packet(0))?.filter).toBe(1);
      expect(d.classify(packet(5))).toEqual(d.classifyInterpreted(packet(5)));
    }
    expect(d.work.compile.nodes).toBe(before);
    for (let k = 0; k < 9; k++) expect(d.classify(packet(0))?.filter).toBe(1);
    expect(d.work.compile.nodes).toBeGreaterThanOrEqual(ATOMS - 3);
  });

  it('charges the guest in proportion to the work: nodes walked, filters compared, code made out of date', () => {
    let charged = 0;
    const k = { dpf: new Dpf(), charge: (c: number) => { charged += c; } } as unknown as Kernel;
    const cost = (f: () => unknown) => { const c0 = charged; f(); return charged - c0; };
    for (let i = 0; i < 10; i++) dpfWork(k, (d) => d.insert(words(filter(i)), { env: i + 1, ring: 0 }));
    const short = cost(() => dpfWork(k, (d) => d.insert(words(udpPortFixed(7)), { env: 20, ring: 0 })));
    const long = cost(() => dpfWork(k, (d) => d.insert(words(filter(10)), { env: 11, ring: 0 })));
    const removal = cost(() => dpfWork(k, (d) => d.remove(12, 11))); // ids: 1..10, then 11 (short), 12 (long)
    // The conflict walk: the root, Ethernet type and IP protocol nodes with
    // their one child each (6), leaving at the port's hash table, whose
    // entries are all disjoint from a new port (none compared); then the
    // path merged and made out of date (four nodes with the root).
    expect(short).toBe((6 + 4) * Costs.DPF_INSERT_ATOM + 0 * Costs.DPF_CONFLICT + 4 * Costs.DPF_COMPILE_NODE);
    expect(long).toBe((6 + ATOMS + 1) * Costs.DPF_INSERT_ATOM + 0 * Costs.DPF_CONFLICT + (ATOMS + 1) * Costs.DPF_COMPILE_NODE);
    // TCP under the same Ethernet type leaves where UDP's protocol atom
    // reads the same field: disjoint unseen. A filter that does not read
    // the protocol there (IPv4 with a 20-byte header) is compared with all
    // twelve under that type (and refused: it may take their packets).
    const tcp = cost(() => dpfWork(k, (d) => d.insert(words([cmp(2, 12, 0x0800), cmp(1, 23, 6)]), { env: 30, ring: 0 })));
    expect(tcp).toBe((2 + 2 + 3) * Costs.DPF_INSERT_ATOM + 0 * Costs.DPF_CONFLICT + 3 * Costs.DPF_COMPILE_NODE);
    const ipv4 = cost(() => dpfWork(k, (d) => d.insert(words([cmp(2, 12, 0x0800), cmp(1, 14, 0x45)]), { env: 31, ring: 0 })));
    expect(ipv4).toBe((2 + 2) * Costs.DPF_INSERT_ATOM + 12 * Costs.DPF_CONFLICT);
    expect(removal).toBe((ATOMS + 1) * (Costs.DPF_INSERT_ATOM + Costs.DPF_COMPILE_NODE));
    expect(cost(() => dpfWork(k, (d) => d.classify(new Uint8Array(60))))).toBe(0);
  });
});
