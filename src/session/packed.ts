// Plain state packed for checkpoints (docs/architecture.md, "Time travel"):
// split into leaves, each serialized with the structured-clone algorithm
// (node:v8, what structuredClone uses), and a leaf equal to the same leaf of
// the previous packing shares its buffer. The kernel's state is mostly the
// same from one checkpoint to the next (the frame table, the STLB, device
// buffers), so a checkpoint holds only the leaves that changed.
//
// Objects are split by key down to DEPTH levels; an array longer than CHUNK
// elements is split into runs of CHUNK, so that one changed frame record
// costs one run, not the whole table. A number, boolean, null or undefined
// is kept as itself, and a typed array as a copy of its bytes: serializing
// either costs a serializer's setup per leaf, dozens of them per checkpoint
// (the CPU's registers one by one, the STLB's columns).

import { deserialize, serialize } from 'node:v8';

// Four levels reach a device's fields (kernel state > machine > devices > lance > sram): the
// LANCE's SRAM, saved as one 175 KB string that rarely changes, is then a leaf of its own.
const DEPTH = 4;
const CHUNK = 256;

/** A packed value: an object by key, an array in runs, or one serialized leaf. */
export type Packed =
  | { readonly t: 'obj'; readonly keys: readonly string[]; readonly vals: readonly Packed[] }
  | { readonly t: 'arr'; readonly runs: readonly Buffer[] }
  | { readonly t: 'leaf'; readonly b: Buffer; readonly s?: string }
  | { readonly t: 'val'; readonly v: number | boolean | null | undefined }
  | { readonly t: 'typed'; readonly b: Buffer; readonly kind: TypedKind };

/** The typed arrays kept as their bytes (exactly these classes: a Buffer or a subclass is serialized). */
const TYPED = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array } as const;
type TypedKind = keyof typeof TYPED;

/** The kind of typed array `v` is when it is exactly one of TYPED, else undefined. */
function typedKind(v: object): TypedKind | undefined {
  if (!ArrayBuffer.isView(v)) return undefined;
  const name = Object.getPrototypeOf(v)?.constructor?.name as string | undefined;
  return name !== undefined && name in TYPED && Object.getPrototypeOf(v) === TYPED[name as TypedKind].prototype ? (name as TypedKind) : undefined;
}

/** Typed array `v` of `kind` packed as a copy of its bytes, or `prev` when that holds the same ones. */
function packTyped(v: ArrayBufferView, kind: TypedKind, prev: Packed | undefined): Packed {
  const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (prev?.t === 'typed' && prev.kind === kind && prev.b.length === bytes.length && prev.b.equals(bytes)) return prev;
  return { t: 'typed', b: Buffer.from(bytes), kind };
}

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
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') {
    return prev?.t === 'val' && Object.is(prev.v, v) ? prev : { t: 'val', v };
  }
  if (typeof v === 'object') {
    const kind = typedKind(v);
    if (kind !== undefined) return packTyped(v as ArrayBufferView, kind, prev);
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
    case 'val': return p.v;
    case 'typed': {
      const T = TYPED[p.kind];
      return new T(new Uint8Array(p.b).buffer);
    }
  }
}

/** Adds the buffers (and kept values) of `p` to `seen`; returns the bytes of those not already there. */
export function packedBytes(p: Packed, seen: Set<object>): number {
  let n = 0;
  const add = (b: object, bytes: number) => { if (!seen.has(b)) { seen.add(b); n += bytes; } };
  if (p.t === 'obj') for (const v of p.vals) n += packedBytes(v, seen);
  else if (p.t === 'arr') for (const b of p.runs) add(b, b.length);
  else if (p.t === 'val') add(p, 8);
  else add(p.b, p.b.length);
  return n;
}
