// The Dpf facade: merging filters into one trie, hash tables, the conflict
// rule, deletion, shift atoms, match semantics, the view and save/restore.
// Every classification is checked compiled and interpreted.

import { describe, expect, it } from 'vitest';
import { DPF_FILTERS_MAX, Err } from '../../../src/exokernel/abi.js';
import { type Atom, Dpf, type DpfViewChild, type DpfViewHash, type DpfViewNode, HASH_BUCKETS_MIN } from '../../../src/exokernel/dpf/index.js';
import { cmp, ipUdp, shift, udpFrame, udpPort, udpPortFixed, words } from './helpers.js';

/** Installs `atoms` for env (ring = env); fails the test on a refusal. */
function add(d: Dpf, atoms: Atom[], env = 1, ash = 0): number {
  const r = d.insert(words(atoms), { env, ring: env, ash });
  if (!('id' in r)) throw new Error(r.refused);
  return r.id;
}

/** The filter id both classifiers give for `p` (they must agree). */
function who(d: Dpf, p: Uint8Array): number | undefined {
  const a = d.classify(p), b = d.classifyInterpreted(p);
  expect(a).toEqual(b);
  return a?.filter;
}

/** The only child of a view node. */
const only = (n: DpfViewNode): DpfViewChild => { expect(n.children).toHaveLength(1); return n.children[0]; };
const asNode = (c: DpfViewChild) => { expect(c.kind).toBe('node'); return c as DpfViewNode; };
const asHash = (c: DpfViewChild) => { expect(c.kind).toBe('hash'); return c as DpfViewHash; };

describe('merging', () => {
  it('filters share their common prefix: one node per equal atom', () => {
    const d = new Dpf();
    add(d, udpPort(53), 1);
    expect(d.view().nodes).toBe(4);
    add(d, udpPort(80), 2);
    const v = d.view();
    expect(v.nodes).toBe(5);
    const eth = asNode(only(v.root));
    expect(eth.text).toBe('u16[12] == 0x800');
    expect(eth.filters).toBe(2);
    const sh = asNode(only(asNode(only(eth))));
    expect(sh.text).toBe('base += (u8[14] & 0xf) << 2');
  });

  it('siblings comparing the same field against different constants go in one hash table', () => {
    const d = new Dpf();
    const ids = [53, 80, 123].map((port, i) => add(d, udpPort(port), i + 1));
    const sh = asNode(only(asNode(only(asNode(only(d.view().root))))));
    const h = asHash(only(sh));
    expect(h.text).toBe('u16[16] in {0x35, 0x50, 0x7b}');
    expect(h.size).toBe(HASH_BUCKETS_MIN);
    expect(h.entries).toBe(3);
    expect(h.buckets.flatMap((b) => b.entries.map((e) => e.leaf?.filter)).sort()).toEqual(ids);
    expect(d.source()).toContain('switch (');
    expect([53, 80, 123, 7].map((port) => who(d, udpFrame(port)))).toEqual([...ids, undefined]);
  });

  it('siblings on different fields stay a list tried in order', () => {
    const d = new Dpf();
    add(d, [cmp(2, 12, 0x0806)], 1);
    add(d, [cmp(2, 12, 0x0800), cmp(1, 23, 6)], 1);
    add(d, [cmp(1, 0, 0xff)], 1);
    const v = d.view();
    expect(v.root.children.map((c) => c.kind)).toEqual(['hash', 'node']);
    expect(v.hashTables).toBe(1);
  });

  it('a hash table starts at 64 buckets and doubles when three quarters full', () => {
    const d = new Dpf();
    const table = () => asHash(asNode(only(asNode(only(d.view().root)))).children[0]);
    for (let port = 1; port <= 48; port++) add(d, udpPortFixed(port), port % 5);
    expect(table().size).toBe(64);
    add(d, udpPortFixed(49), 1);
    expect(table().size).toBe(128);
    expect(table().entries).toBe(49);
    for (let port = 1; port <= 49; port++) expect(who(d, udpFrame(port))).toBeDefined();
  });
});

describe('the conflict rule', () => {
  it('refuses a filter identical to another environment’s, or to one of its own', () => {
    const d = new Dpf();
    const id = add(d, udpPort(53), 1);
    expect(d.insert(words(udpPort(53)), { env: 2, ring: 0 })).toEqual({ refused: `The filter may accept packets that filter ${id} of environment 1 accepts`, err: Err.Busy });
    expect(d.insert(words(udpPort(53)), { env: 1, ring: 0 })).toEqual({ refused: `The filter is identical to filter ${id}`, err: Err.Busy });
  });

  it('names the oldest colliding filter, as a scan in insertion order would', () => {
    const d = new Dpf();
    const a = add(d, udpPortFixed(53), 1), b = add(d, udpPortFixed(80), 2);
    const refusal = (env: number) => d.insert(words(ipUdp()), { env, ring: 0 });
    expect(refusal(3)).toEqual({ refused: `The filter may accept packets that filter ${a} of environment 1 accepts`, err: Err.Busy });
    expect(d.remove(a, 1)).toEqual({ removed: a });
    add(d, udpPortFixed(53), 1);
    expect(refusal(3)).toEqual({ refused: `The filter may accept packets that filter ${b} of environment 2 accepts`, err: Err.Busy });
  });

  it('skips unseen only filters that read the same field for another value; compares the rest', () => {
    const d = new Dpf();
    for (let port = 1; port <= 20; port++) add(d, udpPortFixed(port), port);
    const compared = () => d.work.compared;
    const c0 = compared();
    add(d, udpPortFixed(21), 21);
    expect(compared() - c0).toBe(0);
    // A source port of 21 reads a field none of the others reads: all 21 are compared, and may overlap it.
    expect(d.insert(words([...ipUdp(), cmp(2, 34, 21)]), { env: 22, ring: 0 })).toMatchObject({ err: Err.Busy });
    expect(compared() - c0).toBe(21);
  });

  it('refuses nested filters of different environments, either way round', () => {
    const d = new Dpf();
    add(d, ipUdp(), 1);
    expect(d.insert(words(udpPort(53)), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
    const e = new Dpf();
    add(e, udpPort(53), 1);
    expect(e.insert(words(ipUdp()), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
  });

  it('lets an environment refine its own filter; the longest match wins', () => {
    const d = new Dpf();
    const all = add(d, ipUdp(), 1);
    const dns = add(d, udpPort(53), 1);
    expect(who(d, udpFrame(53))).toBe(dns);
    expect(who(d, udpFrame(54))).toBe(all);
    expect(who(d, udpFrame(53, { proto: 6 }))).toBeUndefined();
  });

  it('refuses crossing filters that share no prefix but may take the same packet', () => {
    const d = new Dpf();
    add(d, [cmp(2, 12, 0x0800), cmp(2, 36, 53)], 1);
    expect(d.insert(words([cmp(2, 12, 0x0800), cmp(1, 23, 17)]), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
    expect(d.insert(words([cmp(1, 23, 17), cmp(2, 36, 53)]), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
  });

  it('accepts filters that demand different bits of one byte, and refuses ones on different bits', () => {
    const d = new Dpf();
    add(d, [cmp(1, 14, 0x40, 0xf0)], 1);
    expect(d.insert(words([cmp(1, 14, 0x60, 0xf0)]), { env: 2, ring: 0 })).toHaveProperty('id');
    expect(d.insert(words([cmp(1, 14, 0x05, 0x0f)]), { env: 3, ring: 0 })).toMatchObject({ err: Err.Busy });
    expect(d.insert(words([cmp(2, 14, 0x4500, 0xff00)]), { env: 3, ring: 0 })).toMatchObject({ err: Err.Busy });
    expect(d.insert(words([cmp(2, 14, 0x4600, 0xff00)]), { env: 3, ring: 0 })).toMatchObject({ err: Err.Busy });
    expect(d.insert(words([cmp(2, 14, 0x5500, 0xff00)]), { env: 3, ring: 0 })).toHaveProperty('id');
  });

  it('compares ports after the same shift, so UDP demux by port works across environments', () => {
    const d = new Dpf();
    const ids = [53, 80, 443].map((p, i) => add(d, udpPort(p), i + 1));
    expect(ids).toEqual([1, 2, 3]);
  });

  it('is conservative across shifts: a fixed-offset port and a shifted port may collide', () => {
    const d = new Dpf();
    add(d, udpPortFixed(53), 1);
    expect(d.insert(words(udpPort(80)), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
    expect(d.insert(words(udpPortFixed(80)), { env: 2, ring: 0 })).toHaveProperty('id');
  });

  it('checks contradictions epoch by epoch: the same byte after a shift is another byte, and a refusal leaves nothing behind', () => {
    const d = new Dpf(), ihl = shift(1, 14, 0x0f, 2);
    expect(d.insert(words([ihl, cmp(1, 20, 1), cmp(1, 20, 2)]), { env: 1, ring: 0 }))
      .toEqual({ refused: 'Atoms 1 and 2 demand different bits of byte 20 (after the same shifts), so the filter accepts no packet', err: Err.Inval });
    // Byte 20 before and after the shift: no contradiction, and the refused filter's rules are gone.
    const id = add(d, [cmp(1, 20, 2), ihl, cmp(1, 20, 1)]);
    const p = new Uint8Array(64);
    p[14] = 1; p[20] = 2; p[24] = 1;
    expect(who(d, p)).toBe(id);
    // A later filter of another environment is compared with it footprint to footprint: disjoint on byte 20 before the shift.
    expect(d.insert(words([cmp(1, 20, 3)]), { env: 2, ring: 0 })).toHaveProperty('id');
    expect(d.insert(words([cmp(1, 20, 2)]), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
  });

  it('refuses a filter whose own atoms contradict (Inval), and more than DPF_FILTERS_MAX filters (NoSpc)', () => {
    const d = new Dpf();
    expect(d.insert(words([cmp(2, 12, 0x0800), cmp(1, 12, 0x86)]), { env: 1, ring: 0 }))
      .toEqual({ refused: 'Atoms 0 and 1 demand different bits of byte 12, so the filter accepts no packet', err: Err.Inval });
    expect(d.insert([1, 2, 3], { env: 1, ring: 0 })).toMatchObject({ err: Err.Inval });
    for (let i = 0; i < DPF_FILTERS_MAX; i++) add(d, [cmp(2, 100, i)], 1 + (i % 3));
    expect(d.insert(words([cmp(2, 100, 999)]), { env: 1, ring: 0 })).toEqual({ refused: 'All 256 filters are in use', err: Err.NoSpc });
  });
});

describe('deletion', () => {
  it('only the owner may remove a filter, and only an installed one', () => {
    const d = new Dpf();
    const id = add(d, udpPort(53), 1);
    expect(d.remove(id, 2)).toEqual({ refused: `Filter ${id} belongs to environment 1, not 2`, err: Err.Perm });
    expect(d.remove(99, 1)).toEqual({ refused: 'No filter 99 is installed', err: Err.Inval });
    expect(d.remove(id, 1)).toEqual({ removed: id });
    expect(who(d, udpFrame(53))).toBeUndefined();
    expect(d.remove(id, 1)).toMatchObject({ err: Err.Inval });
  });

  it('frees the nodes only the filter used, demotes a hash table left with one entry and reuses the id', () => {
    const d = new Dpf();
    const a = add(d, udpPort(53), 1);
    const before = d.view();
    const b = add(d, udpPort(80), 2);
    const c = add(d, udpPort(123), 3);
    expect(d.view().hashTables).toBe(1);
    d.remove(b, 2);
    d.remove(c, 3);
    expect(d.view().root).toEqual(before.root);
    expect(d.view().nodes).toBe(4);
    expect(add(d, udpPort(80), 2)).toBe(b);
    d.remove(a, 1);
    d.remove(b, 2);
    expect(d.view()).toMatchObject({ nodes: 0, hashTables: 0, filters: [] });
    expect(d.source()).not.toContain('if');
  });

  it('lets a conflicting filter in once the one it collided with is gone', () => {
    const d = new Dpf();
    const id = add(d, ipUdp(), 1);
    expect(d.insert(words(udpPort(53)), { env: 2, ring: 0 })).toMatchObject({ err: Err.Busy });
    d.remove(id, 1);
    expect(d.insert(words(udpPort(53)), { env: 2, ring: 0 })).toHaveProperty('id');
  });

  it('removeEnv takes all of an environment’s filters and no one else’s', () => {
    const d = new Dpf();
    add(d, udpPort(53), 1); add(d, udpPort(80), 2); add(d, udpPort(81), 1);
    expect(d.removeEnv(1)).toEqual([1, 3]);
    expect([53, 80, 81].map((p) => who(d, udpFrame(p)))).toEqual([undefined, 2, undefined]);
  });
});

describe('shift atoms', () => {
  it('find the UDP port after an IP header of any length', () => {
    const d = new Dpf();
    const id = add(d, udpPort(53), 1);
    for (const ihl of [5, 6, 10, 15]) expect(who(d, udpFrame(53, { ihl }))).toBe(id);
    for (const ihl of [5, 6, 15]) expect(who(d, udpFrame(54, { ihl }))).toBeUndefined();
  });

  it('a fixed offset finds it only after a 20-byte header', () => {
    const d = new Dpf();
    const id = add(d, udpPortFixed(53), 1);
    expect(who(d, udpFrame(53, { ihl: 5 }))).toBe(id);
    expect(who(d, udpFrame(53, { ihl: 6 }))).toBeUndefined();
  });

  it('a field past the end of the packet fails its atom, and so does a shift past the end', () => {
    const d = new Dpf();
    add(d, udpPort(53), 1);
    const p = udpFrame(53, { ihl: 15, payload: 0 });
    expect(who(d, p)).toBe(1);
    expect(who(d, p.subarray(0, p.length - 5))).toBeUndefined();
    expect(who(d, p.subarray(0, 14 + 60))).toBeUndefined();
    expect(who(d, new Uint8Array(0))).toBeUndefined();
  });
});

describe('match semantics', () => {
  it('backtracks: a branch that fails deep down hands the packet to the next sibling', () => {
    const d = new Dpf();
    const dns = add(d, udpPortFixed(53), 1);
    const v4 = add(d, [cmp(2, 12, 0x0800), cmp(1, 14, 0x45)], 1);
    expect(who(d, udpFrame(53))).toBe(dns);
    expect(who(d, udpFrame(54))).toBe(v4);
  });

  it('between an environment’s own crossing filters, the oldest one’s branch is tried first, history aside', () => {
    const d = new Dpf();
    const a = add(d, [cmp(1, 23, 17)], 1);
    const b = add(d, [cmp(1, 14, 0x45)], 1);
    const c = add(d, [cmp(1, 23, 17), cmp(1, 0, 0)], 1);
    expect(who(d, udpFrame(1))).toBe(c);
    d.remove(c, 1);
    d.remove(a, 1);
    expect(who(d, udpFrame(1))).toBe(b);
    const a2 = add(d, [cmp(1, 23, 17)], 1);
    expect(who(d, udpFrame(1))).toBe(b);
    d.remove(b, 1);
    expect(who(d, udpFrame(1))).toBe(a2);
  });

  it('reports the owner: environment, ring and ASH', () => {
    const d = new Dpf();
    d.insert(words(udpPort(53)), { env: 7, ring: 2, ash: 0x400100 });
    expect(d.classify(udpFrame(53))).toEqual({ filter: 1, env: 7, ring: 2, ash: 0x400100 });
  });
});

describe('counters, view and save/restore', () => {
  it('counts packets at every node passed, hash table read and leaf taken', () => {
    const d = new Dpf();
    add(d, udpPort(53), 1); add(d, udpPort(80), 2);
    for (const p of [udpFrame(53), udpFrame(53), udpFrame(80), udpFrame(9), udpFrame(53, { proto: 6 })]) who(d, p);
    const v = d.view();
    expect(v.root.hits).toBe(10);
    const eth = asNode(only(v.root));
    expect(eth.hits).toBe(10);
    const sh = asNode(only(asNode(only(eth))));
    expect(sh.hits).toBe(8);
    const h = asHash(only(sh));
    expect(h.hits).toBe(8);
    expect(v.filters.map((f) => [f.filter, f.hits])).toEqual([[1, 4], [2, 2]]);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('restore rebuilds the same trie with the same ids, order and counters', () => {
    const d = new Dpf();
    add(d, [cmp(2, 12, 0x0800), cmp(1, 23, 17)], 1);
    const b = add(d, [cmp(2, 12, 0x0800), cmp(1, 14, 0x45)], 1);
    add(d, udpPort(53), 1);
    add(d, [cmp(2, 12, 0x0806), cmp(1, 21, 1)], 2);
    add(d, [cmp(2, 12, 0x0806), cmp(1, 21, 2)], 2);
    d.remove(1, 1);
    for (const port of [53, 80, 1, 2]) who(d, udpFrame(port));
    who(d, udpFrame(0, { type: 0x0806 }));
    const saved = JSON.parse(JSON.stringify(d.save()));
    const e = new Dpf();
    e.restore(saved);
    // The same picture, ids included: a view numbers nodes by their place, not by the trie's reused numbers.
    expect(e.view()).toEqual(d.view());
    expect(e.save()).toEqual(saved);
    for (const port of [53, 80, 1]) expect(e.classify(udpFrame(port))).toEqual(d.classify(udpFrame(port)));
    expect(who(e, udpFrame(1))).toBe(b);
    expect(add(e, [cmp(2, 12, 0x86dd)], 4)).toBe(1);
  });

  it('recompiles on every insert and remove', () => {
    const d = new Dpf();
    const s0 = d.source();
    const id = add(d, udpPort(53), 1);
    expect(d.source()).not.toBe(s0);
    expect(d.source()).toContain('=== 53');
    d.remove(id, 1);
    expect(d.source()).toBe(s0);
  });

  it('compiles a 256-atom filter and 256 filters', () => {
    const d = new Dpf();
    const long = [cmp(1, 0, 1), ...Array.from({ length: 255 }, (_, i) => cmp(1, 1 + i, i & 0xff))];
    add(d, long, 1);
    const p = new Uint8Array(300);
    p[0] = 1;
    for (let i = 0; i < 255; i++) p[1 + i] = i;
    expect(who(d, p)).toBe(1);
    for (let i = 1; i < DPF_FILTERS_MAX; i++) add(d, [cmp(1, 0, 2), cmp(2, 2, i), shift(1, 1, 0x3, 1), cmp(1, 4, i & 0xff)], 2);
    expect(d.size).toBe(256);
  });
});
