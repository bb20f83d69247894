// DPF's hash tables (DPF paper, sec. 3; docs/reference/exokernel.md: "start at
// 64 buckets"): where sibling atoms compare the same field against
// different constants, the trie keeps one table keyed by the constant
// instead of a list of siblings to try in turn. Chained buckets, a
// multiplicative hash, and doubling when the table is three quarters full.

/** Buckets of a new table (DPF 2.0). */
export const HASH_BUCKETS_MIN = 64;

/** Knuth's multiplicative hashing constant, 2^32 / golden ratio. */
const HASH_MULT = 0x9e3779b1;

/** A table grows when entries * GROW_DEN > buckets * GROW_NUM. */
const GROW_NUM = 3;
const GROW_DEN = 4;

/** An entry: anything keyed by a 32-bit constant, with room for its place in a table's list. */
export interface Keyed {
  readonly key: number;
  slot: number;
}

/**
 * A chained hash table. `log2` is log2(buckets.length). `list` holds the
 * entries again, unordered (entry e at list[e.slot]), so that a walk of
 * them costs the entries, not the buckets.
 */
export interface HashTable<T extends Keyed> {
  buckets: T[][];
  log2: number;
  entries: number;
  readonly list: T[];
}

/** An empty table of HASH_BUCKETS_MIN buckets. */
export function newTable<T extends Keyed>(): HashTable<T> {
  const log2 = Math.log2(HASH_BUCKETS_MIN);
  return { buckets: Array.from({ length: HASH_BUCKETS_MIN }, () => []), log2, entries: 0, list: [] };
}

/** The bucket of `key` in a table of 2^log2 buckets: the top bits of key * HASH_MULT. */
export function bucketOf(key: number, log2: number): number {
  return Math.imul(key, HASH_MULT) >>> (32 - log2);
}

/** The entry with `key`, or undefined. */
export function lookup<T extends Keyed>(t: HashTable<T>, key: number): T | undefined {
  const chain = t.buckets[bucketOf(key, t.log2)];
  for (let i = 0; i < chain.length; i++) if (chain[i].key === key) return chain[i];
  return undefined;
}

/** Adds `e`, doubling the table first if it is too full. Precondition: no entry has e.key. */
export function insert<T extends Keyed>(t: HashTable<T>, e: T): void {
  if ((t.entries + 1) * GROW_DEN > t.buckets.length * GROW_NUM) grow(t);
  t.buckets[bucketOf(e.key, t.log2)].push(e);
  e.slot = t.list.length;
  t.list.push(e);
  t.entries++;
}

/** Removes the entry with `key`; false when there is none. Tables never shrink. */
export function remove<T extends Keyed>(t: HashTable<T>, key: number): boolean {
  const chain = t.buckets[bucketOf(key, t.log2)];
  let i = 0;
  while (i < chain.length && chain[i].key !== key) i++;
  if (i === chain.length) return false;
  const e = chain[i], last = t.list.pop()!;
  if (last !== e) { t.list[e.slot] = last; last.slot = e.slot; }
  chain.copyWithin(i, i + 1);
  chain.pop();
  t.entries--;
  return true;
}

/** Entries that share a bucket with an earlier one. */
export function collisions<T extends Keyed>(t: HashTable<T>): number {
  return t.buckets.reduce((n, c) => n + Math.max(0, c.length - 1), 0);
}

/** The smallest rank of any entry (Infinity for none): a walk of the list, not of the buckets. */
export function minRank<T extends Keyed & { readonly rank: number }>(t: HashTable<T>): number {
  const list = t.list;
  let rank = Infinity;
  for (let i = 0; i < list.length; i++) if (list[i].rank < rank) rank = list[i].rank;
  return rank;
}

/** Every entry, bucket by bucket, in chain order. */
export function entries<T extends Keyed>(t: HashTable<T>): T[] {
  return t.buckets.flat();
}

function grow<T extends Keyed>(t: HashTable<T>): void {
  const old = t.buckets.flat();
  t.log2++;
  t.buckets = Array.from({ length: 1 << t.log2 }, () => []);
  for (const e of old) t.buckets[bucketOf(e.key, t.log2)].push(e);
}
