// Plain state packed for checkpoints (docs/architecture.md, "Time travel"):
// split into leaves, each serialized with the structured-clone algorithm
// (node:v8, what structuredClone uses), and a leaf equal to the same leaf of
// the previous packing shares its buffer. The kernel's state is mostly the
// same from one checkpoint to the next (the frame table, the STLB, device
// buffers), so a checkpoint holds only the leaves that changed.
//
// Objects are split by key down to DEPTH levels; an array longer than CHUNK
// elements is split into runs of CHUNK, so that one changed frame record
// costs one run, not the whole table.

import { deserialize, serialize } from 'node:v8';

const DEPTH = 3;
const CHUNK = 256;

/** A packed value: an object by key, an array in runs, or one serialized leaf. */
export type Packed =
  | { readonly t: 'obj'; readonly keys: readonly string[]; readonly vals: readonly Packed[] }
  | { readonly t: 'arr'; readonly runs: readonly Buffer[] }
  | { readonly t: 'leaf'; readonly b: Buffer; readonly s?: string };

const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** `b`, or `old` when it holds the same bytes (so the two packings share it). */
function same(b: Buffer, old: Buffer | undefined): Buffer {
  return old !== undefined && old.length === b.length && old.equals(b) ? old : b;
}

/**
 * Packs plain data `v` (what structuredClone accepts), sharing every leaf
 * that equals the same leaf of `prev`. Throws as structuredClone does for
 * what it cannot copy (functions, symbols).
 */
export function pack(v: unknown, prev?: Packed, depth = 0): Packed {
  if (depth < DEPTH && plain(v)) {
    const keys = Object.keys(v);
    const old = prev?.t === 'obj' ? prev : undefined;
    const vals = keys.map((k, i) => pack(v[k], old && old.keys[i] === k ? old.vals[i] : old?.vals[old.keys.indexOf(k)], depth + 1));
    return { t: 'obj', keys, vals };
  }
  if (Array.isArray(v) && v.length > CHUNK) {
    const old = prev?.t === 'arr' ? prev.runs : [];
    const runs: Buffer[] = [];
    for (let i = 0; i < v.length; i += CHUNK) runs.push(same(serialize(v.slice(i, i + CHUNK)), old[runs.length]));
    return { t: 'arr', runs };
  }
  // A string (immutable) equal to the one packed before is that leaf, unserialized: a device's saved memory (the LANCE SRAM) rarely changes.
  if (typeof v === 'string') return prev?.t === 'leaf' && prev.s === v ? prev : { t: 'leaf', b: same(serialize(v), prev?.t === 'leaf' ? prev.b : undefined), s: v };
  return { t: 'leaf', b: same(serialize(v), prev?.t === 'leaf' ? prev.b : undefined) };
}

/** A fresh copy of the value `p` was packed from. */
export function unpack(p: Packed): unknown {
  switch (p.t) {
    case 'obj': return Object.fromEntries(p.keys.map((k, i) => [k, unpack(p.vals[i])]));
    case 'arr': return p.runs.flatMap((b) => deserialize(b) as unknown[]);
    case 'leaf': return deserialize(p.b);
  }
}

/** Adds the buffers of `p` to `seen`; returns the bytes of those not already there. */
export function packedBytes(p: Packed, seen: Set<Buffer>): number {
  let n = 0;
  const add = (b: Buffer) => { if (!seen.has(b)) { seen.add(b); n += b.length; } };
  if (p.t === 'obj') for (const v of p.vals) n += packedBytes(v, seen);
  else if (p.t === 'arr') p.runs.forEach(add);
  else add(p.b);
  return n;
}
