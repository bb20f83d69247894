// Property tests, seeded: random filter sets that share prefixes (so the
// trie merges them and builds hash tables), changed one insert or remove at
// a time, and random packets biased to hit them. The compiled classifier
// must give the interpreter's leaf for every packet, and both must agree
// with a plain evaluation of each filter on its own: no leaf only when no
// filter accepts, the winner accepts, every accepting filter belongs to one
// environment (the conflict rule), and no accepting filter extends the
// winner (longest match).

import { describe, expect, it } from 'vitest';
import { CHUNK_DEPTH } from '../../../src/exokernel/dpf/compile.js';
import { type Atom, Dpf, type DpfViewChild, type Width } from '../../../src/exokernel/dpf/index.js';
import { count, scaled, timeoutFor } from '../../scale.js';
import { XorShift, cmp, shift, words } from './helpers.js';

const PORTS = [7, 53, 80, 123, 443, 2049];
const WIDTHS: Width[] = [1, 2, 4];

/** A random atom on the first 48 bytes, values from a small set so packets can hit it. */
function randomAtom(r: XorShift): Atom {
  const width = r.pick(WIDTHS), offset = r.int(48);
  const full = width === 4 ? 0xffffffff : (1 << (8 * width)) - 1;
  const mask = r.chance(0.6) ? full : ((r.next() & full) >>> 0) || 1;
  if (r.chance(0.15)) return shift(width, offset, width === 1 ? mask : mask & 0x1f || 1, r.int(3));
  return cmp(width, offset, ((r.int(4) * 0x41414141 + r.int(3)) & mask) >>> 0, mask);
}

/** A filter: mostly the Ethernet/IP/UDP ladder cut at a random rung, plus random atoms. */
function randomFilter(r: XorShift): Atom[] {
  const ladder: Atom[] = [];
  if (r.chance(0.85)) ladder.push(cmp(2, 12, r.pick([0x0800, 0x0800, 0x0806, 0x86dd])));
  else if (r.chance(0.5)) ladder.push(cmp(1, 12, 0x08));
  ladder.push(r.chance(0.8) ? cmp(1, 23, r.pick([17, 17, 6, 1])) : cmp(1, 14, r.pick([0x40, 0x60]), 0xf0));
  const shifted = r.chance(0.6);
  if (shifted) ladder.push(shift(1, 14, 0x0f, 2));
  ladder.push(cmp(2, shifted ? 16 : 36, r.pick(PORTS)));
  if (r.chance(0.3)) ladder.push(cmp(2, shifted ? 14 : 34, r.pick(PORTS)));
  const atoms = ladder.slice(0, 1 + r.int(ladder.length));
  const extra = r.chance(0.3) ? 1 + r.int(3) : 0;
  for (let i = 0; i < extra; i++) atoms.splice(r.int(atoms.length + 1), 0, randomAtom(r));
  return r.chance(0.05) ? [randomAtom(r), randomAtom(r)] : atoms;
}

/** Reads a big-endian field, or undefined past the end. */
function field(p: Uint8Array, at: number, w: Width): number | undefined {
  if (at + w > p.length) return undefined;
  let v = 0;
  for (let i = 0; i < w; i++) v = v * 256 + p[at + i];
  return v;
}

/** A filter on its own, straight from the atoms' definition (no trie). */
function accepts(atoms: readonly Atom[], p: Uint8Array): boolean {
  let base = 0;
  for (const a of atoms) {
    const v = field(p, base + a.offset, a.width);
    if (v === undefined) return false;
    const m = (v & a.mask) >>> 0;
    if (a.kind === 'compare') { if (m !== a.value) return false; continue; }
    base += m * 2 ** a.shift;
    if (base >= p.length) return false;
  }
  return true;
}

/** Writes the masked bits of `value` into the field at `at`, if it fits. */
function plant(p: Uint8Array, at: number, w: Width, mask: number, value: number): void {
  if (at < 0 || at + w > p.length) return;
  for (let i = 0; i < w; i++) {
    const sh = 8 * (w - 1 - i), m = (mask >>> sh) & 0xff;
    p[at + i] = (p[at + i] & ~m) | ((value >>> sh) & m);
  }
}

/** A packet: random bytes shaped to satisfy `atoms` (if given), then maybe damaged. */
function randomPacket(r: XorShift, atoms: readonly Atom[] | undefined, long = 40): Uint8Array {
  const p = new Uint8Array(r.chance(0.1) ? r.int(long) : long + r.int(100));
  for (let i = 0; i < p.length; i++) p[i] = r.chance(0.5) ? 0 : r.int(256);
  if (p.length > 23) { p[12] = 0x08; p[13] = 0; p[14] = 0x45; p[23] = 17; }
  let base = 0;
  for (const a of atoms ?? []) {
    if (a.kind === 'compare') { plant(p, base + a.offset, a.width, a.mask, a.value); continue; }
    plant(p, base + a.offset, a.width, a.mask, r.int(8));
    const v = field(p, base + a.offset, a.width);
    if (v !== undefined) base += ((v & a.mask) >>> 0) * 2 ** a.shift;
  }
  if (r.chance(0.2)) p[r.int(p.length || 1)] ^= 1 << r.int(8);
  return r.chance(0.05) ? p.subarray(0, r.int(p.length + 1)) : p;
}

/** Runs `steps` random mutations, classifying `perStep` packets after each. */
function run(seed: number, steps: number, perStep: number, check: (d: Dpf, installed: Map<number, { atoms: Atom[]; env: number }>, p: Uint8Array) => void): void {
  const r = new XorShift(seed);
  let d = new Dpf(0);
  const installed = new Map<number, { atoms: Atom[]; env: number }>();
  for (let step = 0; step < steps; step++) {
    if (installed.size > 0 && (r.chance(0.35) || installed.size > 40)) {
      const ids = [...installed.keys()];
      const id = r.pick(ids);
      expect(d.remove(id, installed.get(id)!.env)).toEqual({ removed: id });
      installed.delete(id);
    } else {
      const atoms = randomFilter(r), env = 1 + (r.chance(0.6) ? 0 : r.int(3));
      const res = d.insert(words(atoms), { env, ring: env });
      if ('id' in res) installed.set(res.id, { atoms, env });
    }
    if (r.chance(0.004)) { installed.clear(); d = new Dpf(0); }
    const list = [...installed.values()];
    for (let k = 0; k < perStep; k++) {
      const target = list.length && r.chance(0.8) ? r.pick(list).atoms : undefined;
      check(d, installed, randomPacket(r, target));
    }
  }
}

/** Filter sets of the first property (EXOSCOPE_FUZZ=full: 100,000; test/scale.ts). */
const SETS = scaled(100_000, 5_000);
/** Changes of the trie of long filters (EXOSCOPE_FUZZ=full: 4,000). */
const LONG_STEPS = scaled(4_000, 800);

describe('compiled DPF against the interpreter', () => {
  it(`gives the same leaf for ${count(SETS)} filter sets and ${count(2 * SETS)} packets, and it is the right one`, () => {
    let packets = 0, matched = 0;
    run(0xd1f, SETS, 2, (d, installed, p) => {
      packets++;
      const c = d.classify(p), i = d.classifyInterpreted(p);
      if (c !== i) expect(c).toBe(i);
      const ok = [...installed].filter(([, f]) => accepts(f.atoms, p));
      if (!c) { if (ok.length) expect(ok).toEqual([]); return; }
      matched++;
      const win = installed.get(c.filter)!;
      if (!accepts(win.atoms, p)) expect.fail(`filter ${c.filter} does not accept the packet`);
      for (const [id, f] of ok) {
        if (f.env !== c.env) expect.fail(`filters ${c.filter} (env ${c.env}) and ${id} (env ${f.env}) both accept a packet`);
        const extends_ = f.atoms.length > win.atoms.length && win.atoms.every((a, k) => JSON.stringify(a) === JSON.stringify(f.atoms[k]));
        if (extends_) expect.fail(`filter ${id} extends the winner ${c.filter} and accepts too`);
      }
    });
    expect(packets).toBe(2 * SETS);
    expect(matched).toBeGreaterThan(packets / 4);
  }, timeoutFor(100_000, 10_000, 60_000));

  it.each([0, 3])('keeps the same counters, node by node, compiled and interpreted (changed code compiled after %i quiet packets)', (hot) => {
    const r = new XorShift(77);
    const a = new Dpf(hot), b = new Dpf();
    const installed = new Map<number, { atoms: Atom[]; env: number }>();
    for (let step = 0; step < 3_000; step++) {
      if (installed.size && (r.chance(0.3) || installed.size > 40)) {
        const id = r.pick([...installed.keys()]), env = installed.get(id)!.env;
        expect(a.remove(id, env)).toEqual(b.remove(id, env));
        installed.delete(id);
      } else {
        const atoms = randomFilter(r), env = 1 + r.int(2);
        const res = a.insert(words(atoms), { env, ring: 0 });
        expect(b.insert(words(atoms), { env, ring: 0 })).toEqual(res);
        if ('id' in res) installed.set(res.id, { atoms, env });
      }
      const list = [...installed.values()];
      for (let k = 0; k < 5; k++) {
        const p = randomPacket(r, list.length && r.chance(0.8) ? r.pick(list).atoms : undefined);
        expect(a.classify(p)).toEqual(b.classifyInterpreted(p));
      }
      if (step % 100 === 99) expect(a.save()).toEqual(b.save());
    }
    expect(a.view()).toEqual(b.view());
  }, 120_000);

  it('agrees on filters longer than a compiled chunk, kept and recompiled as the trie changes', () => {
    const r = new XorShift(2024);
    // Each shift moves the base by 0 or 64 bytes, and every epoch's atoms stay in its 64-byte window.
    const spine = Array.from({ length: 3 * CHUNK_DEPTH }, (_, i) =>
      i % 7 === 6 ? shift(1, 62, 0x01, 6) : cmp(1, i % 48, r.int(3)));
    const longFilter = (): Atom[] => {
      const atoms = spine.slice(0, CHUNK_DEPTH - 3 + r.int(2 * CHUNK_DEPTH));
      atoms.push(cmp(1, 48 + r.int(4), r.int(4)));
      for (let k = r.int(CHUNK_DEPTH); k > 0; k--) atoms.push(r.chance(0.9) ? cmp(1, 52 + r.int(10), r.int(2)) : shift(1, 63, 0x01, 6));
      return atoms;
    };
    const d = new Dpf(0);
    const installed = new Map<number, Atom[]>();
    let matched = 0;
    let chunked = false; // the trie was at some point long enough for chunks that call chunks
    for (let step = 0; step < LONG_STEPS; step++) {
      if (step % 100 === 0) chunked ||= d.source().includes('const r = C[');
      if (installed.size && (r.chance(0.4) || installed.size > 30)) {
        const id = r.pick([...installed.keys()]);
        d.remove(id, 1);
        installed.delete(id);
      } else {
        const atoms = longFilter(), res = d.insert(words(atoms), { env: 1, ring: 0 });
        if ('id' in res) installed.set(res.id, atoms);
      }
      const list = [...installed.values()];
      for (let k = 0; k < 4; k++) {
        const p = randomPacket(r, list.length && r.chance(0.9) ? r.pick(list) : undefined, 600);
        const c = d.classify(p);
        if (c !== d.classifyInterpreted(p)) expect(c).toBe(d.classifyInterpreted(p));
        const ok = [...installed].filter(([, atoms]) => accepts(atoms, p)).map(([id]) => id);
        expect(c === undefined).toBe(ok.length === 0);
        if (c) { matched++; expect(ok).toContain(c.filter); }
      }
    }
    expect(matched).toBeGreaterThan(LONG_STEPS);
    expect(chunked).toBe(true);
  }, timeoutFor(4_000, 1_500, 60_000));
});

/** Changes of the incremental-against-rebuilt property (EXOSCOPE_FUZZ=full: 20,000). */
const REBUILD_STEPS = scaled(20_000, 800);

/**
 * The trie as classification sees it, without node ids (a rebuilt trie
 * numbers its nodes afresh) and without hash tables' bucket layout (tables
 * never shrink, so a churned one may have more buckets): each node's atom,
 * hits, filters and leaf, its children in order, a table's entries by key.
 */
function shape(c: DpfViewChild): unknown {
  if (c.kind === 'hash') {
    const entries = c.buckets.flatMap((b) => b.entries).sort((x, y) => (x.atom as { value: number }).value - (y.atom as { value: number }).value);
    return { text: c.text, hits: c.hits, entries: entries.map(shape) };
  }
  return { text: c.text, atom: c.atom, hits: c.hits, filters: c.filters, leaf: c.leaf, children: c.children.map(shape) };
}

describe('DPF changed in place against DPF built from scratch', () => {
  it(`classifies, charges and counts as a trie rebuilt from its filters, over ${count(REBUILD_STEPS)} inserts and removes`, () => {
    const r = new XorShift(0x5eed);
    // Tails of their own make chains of nodes of every length, taken out to the pool and reused for longer or shorter ones.
    const tail = (atoms: Atom[]) => { for (let k = r.chance(0.5) ? r.int(3 * CHUNK_DEPTH) : 0; k > 0; k--) atoms.push(cmp(1, 48 + r.int(16), r.int(3))); return atoms; };
    let d = new Dpf(r.int(4));
    const installed = new Map<number, { atoms: Atom[]; env: number }>();
    for (let step = 0; step < REBUILD_STEPS; step++) {
      if (installed.size && (r.chance(0.45) || installed.size > 30)) {
        const id = r.pick([...installed.keys()]);
        expect(d.remove(id, installed.get(id)!.env)).toEqual({ removed: id });
        installed.delete(id);
      } else if (r.chance(0.02)) {
        const env = 1 + r.int(3);
        for (const id of d.removeEnv(env)) installed.delete(id);
      } else {
        const atoms = tail(randomFilter(r)), env = 1 + r.int(3);
        const res = d.insert(words(atoms), { env, ring: 0 });
        if ('id' in res) installed.set(res.id, { atoms, env });
      }
      const rebuilt = new Dpf(0);
      rebuilt.restore(d.save());
      const list = [...installed.values()];
      for (let k = 0; k < 6; k++) {
        const p = randomPacket(r, list.length && r.chance(0.85) ? r.pick(list).atoms : undefined, 80);
        const { atoms, hashes } = rebuilt.classifyWork(p);
        expect({ atoms: d.classifyWork(p).atoms, hashes: d.classifyWork(p).hashes }).toEqual({ atoms, hashes });
        expect(d.classify(p)).toEqual(rebuilt.classifyInterpreted(p));
      }
      expect(shape(d.view().root)).toEqual(shape(rebuilt.view().root));
      expect(d.view().filters).toEqual(rebuilt.view().filters);
      if (r.chance(0.01)) { d = rebuilt; }
    }
  }, timeoutFor(20_000, 800, 60_000));
});
