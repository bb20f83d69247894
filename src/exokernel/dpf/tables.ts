// The trie's tables of filter ids (trie.ts): a node's filters, and the
// installed filters by id. Both are plain arrays that never shrink, so
// churning filters in and out allocates nothing in them.

/** An installed filter's id: 1..max. */
type Id = number;

/**
 * A node's filter ids, unordered. Its array never shrinks (a JS array
 * emptied by pop or length = 0 loses its room), so a pooled node taken
 * back costs no allocation: most nodes hold one filter, and churn empties
 * and refills them.
 */
export class Ids {
  private readonly a: number[] = [];
  size = 0;

  add(id: number): void {
    this.a[this.size++] = id;
  }

  /** Removes `id` (the last moved into its place). Precondition: present. */
  drop(id: number): void {
    if (this.size === 1) { this.size = 0; return; }
    let i = 0;
    while (this.a[i] !== id) i++;
    this.a[i] = this.a[--this.size];
  }

  /** The i-th id (0 <= i < size). */
  at(i: number): number {
    return this.a[i];
  }
}

/**
 * The installed filters by id (1..max), as Map's get, set, delete, size,
 * keys and values, over an array indexed by id: an insert or remove writes
 * one slot (a Map rehashes as deleted keys pile up). Iteration is in id
 * order.
 */
export class ById<T> {
  private readonly a: (T | undefined)[];
  size = 0;

  constructor(max: Id) {
    this.a = new Array<T | undefined>(max + 1).fill(undefined);
  }

  get(id: Id): T | undefined {
    return this.a[id];
  }

  /** Precondition: id is in 1..max and free. */
  set(id: Id, v: T): void {
    this.a[id] = v;
    this.size++;
  }

  /** Precondition: id is installed. */
  delete(id: Id): void {
    this.a[id] = undefined;
    this.size--;
  }

  *keys(): IterableIterator<Id> {
    for (let id = 0; id < this.a.length; id++) if (this.a[id] !== undefined) yield id;
  }

  *values(): IterableIterator<T> {
    for (const v of this.a) if (v !== undefined) yield v;
  }
}
