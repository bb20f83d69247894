// Plain state packed for checkpoints (docs/architecture.md, "Time travel"):
// plain objects split by key and short arrays element by element, all the
// way down, with numbers, booleans, null and undefined kept as themselves,
// strings as themselves (immutable: compared, never copied), typed arrays as a copy of
// their bytes, an array longer than CHUNK in runs of CHUNK serialized with
// the structured-clone algorithm (node:v8, what structuredClone uses), and
// anything else (a Map, a class instance) serialized whole. A part equal to
// the same part of the previous packing is that part: the kernel's state is
// mostly the same from one checkpoint to the next (the frame table, the
// STLB, the environments that did not run), so a checkpoint holds only what
// changed, and packing it serializes almost nothing (a serializer's setup
// per leaf, dozens a checkpoint, once cost more than the rest of a
// checkpoint). An array's holes and its named properties are not kept.

import { deserialize, serialize } from 'node:v8';

/** Elements of a long array in one serialized run: one changed frame record costs one run, not the whole table. */
const CHUNK = 256;

/** A packed value: an object by key, a short array by element, a long array in runs, or one serialized leaf. */
export type Packed =
  | { readonly t: 'obj'; readonly keys: readonly string[]; readonly vals: readonly Packed[] }
  | { readonly t: 'list'; readonly items: readonly Packed[] }
  | { readonly t: 'arr'; readonly runs: readonly Buffer[] }
  | { readonly t: 'leaf'; readonly b: Buffer }
  | { readonly t: 'str'; readonly s: string }
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
 * Packs plain data `v` (what structuredClone accepts), sharing every part
 * that equals the same part of `prev`. Throws as structuredClone does for
 * what it cannot copy (functions, symbols).
 */
export function pack(v: unknown, prev?: Packed): Packed {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') {
    return prev?.t === 'val' && Object.is(prev.v, v) ? prev : { t: 'val', v };
  }
  // A string is immutable: kept as itself, and one equal to the string packed before is that part (the LANCE SRAM rarely changes).
  if (typeof v === 'string') return prev?.t === 'str' && prev.s === v ? prev : { t: 'str', s: v };
  if (plain(v)) return packObject(v, prev?.t === 'obj' ? prev : undefined);
  if (Array.isArray(v)) return v.length > CHUNK ? packRuns(v, prev) : packList(v, prev?.t === 'list' ? prev : undefined);
  if (typeof v === 'object') {
    const kind = typedKind(v);
    if (kind !== undefined) return packTyped(v as ArrayBufferView, kind, prev);
  }
  return packLeaf(v, prev);
}

/**
 * A plain object by key; `prev` itself when every key and part is the
 * same. With `prev` of the same keys in the same order (the usual case:
 * a record saved again), a new array of parts is made only from the first
 * part that changed.
 */
function packObject(v: Record<string, unknown>, prev: Extract<Packed, { t: 'obj' }> | undefined): Packed {
  if (prev === undefined) return packObjectByKeys(v, undefined);
  const keys = Object.keys(v), pk = prev.keys, old = prev.vals;
  if (keys.length !== pk.length) return packObjectByKeys(v, prev);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== pk[i]) return packObjectByKeys(v, prev);
  let vals: Packed[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const x = v[keys[i]], o = old[i];
    const p = sameNumber(x, o) ? o : pack(x, o);
    if (vals === undefined && p !== old[i]) vals = old.slice(0, i);
    if (vals !== undefined) vals.push(p);
  }
  return vals === undefined ? prev : { t: 'obj', keys: pk, vals };
}

/** packObject when the keys differ from `prev`'s (or there is none): each part against `prev`'s part of the same key. */
function packObjectByKeys(v: Record<string, unknown>, prev: Extract<Packed, { t: 'obj' }> | undefined): Packed {
  const keys = Object.keys(v);
  const vals = new Array<Packed>(keys.length);
  for (let i = 0; i < keys.length; i++) vals[i] = pack(v[keys[i]], prev?.vals[prev.keys.indexOf(keys[i])]);
  return { t: 'obj', keys, vals };
}

/**
 * True when `x` is a number that `o` packed already (-0 and 0 told apart;
 * NaN is left to pack): most of a kernel's state is numbers, and most of
 * them are as they were, so this is settled before pack's type tests.
 */
function sameNumber(x: unknown, o: Packed): boolean {
  return typeof x === 'number' && o.t === 'val' && o.v === x && (x !== 0 || 1 / x === 1 / o.v);
}

/** A short array by element; `prev` itself when every element is the same (a new array of parts only from the first that changed). */
function packList(v: readonly unknown[], prev: Extract<Packed, { t: 'list' }> | undefined): Packed {
  if (prev === undefined || prev.items.length !== v.length) {
    const items = new Array<Packed>(v.length);
    for (let i = 0; i < v.length; i++) items[i] = pack(v[i], prev?.items[i]);
    return { t: 'list', items };
  }
  const old = prev.items;
  let items: Packed[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const x = v[i], o = old[i];
    const p = sameNumber(x, o) ? o : pack(x, o);
    if (items === undefined && p !== old[i]) items = old.slice(0, i);
    if (items !== undefined) items.push(p);
  }
  return items === undefined ? prev : { t: 'list', items };
}

/** A long array in serialized runs of CHUNK elements, each run equal to `prev`'s shared; `prev` itself when all are. */
function packRuns(v: readonly unknown[], prev: Packed | undefined): Packed {
  const old = prev?.t === 'arr' ? prev.runs : [];
  const runs: Buffer[] = [];
  let unchanged = old.length === Math.ceil(v.length / CHUNK);
  for (let i = 0; i < v.length; i += CHUNK) {
    const run = same(serialize(v.slice(i, i + CHUNK)), old[runs.length]);
    if (run !== old[runs.length]) unchanged = false;
    runs.push(run);
  }
  return unchanged ? prev! : { t: 'arr', runs };
}

/** Anything else, serialized whole; `prev` itself when it holds the same bytes. */
function packLeaf(v: unknown, prev: Packed | undefined): Packed {
  const old = prev?.t === 'leaf' ? prev.b : undefined;
  const b = same(serialize(v), old);
  return b === old ? prev! : { t: 'leaf', b };
}

/** A fresh copy of the value `p` was packed from. */
export function unpack(p: Packed): unknown {
  switch (p.t) {
    case 'obj': return Object.fromEntries(p.keys.map((k, i) => [k, unpack(p.vals[i])]));
    case 'list': return p.items.map(unpack);
    case 'str': return p.s;
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
  if (p.t === 'obj' || p.t === 'list') {
    // A part shared with another packing is counted (and walked) once.
    if (seen.has(p)) return 0;
    seen.add(p);
    for (const v of p.t === 'obj' ? p.vals : p.items) n += packedBytes(v, seen);
  } else if (p.t === 'arr') for (const b of p.runs) add(b, b.length);
  else if (p.t === 'val') add(p, 8);
  else if (p.t === 'str') add(p, 16 + 2 * p.s.length);
  else add(p.b, p.b.length);
  return n;
}
