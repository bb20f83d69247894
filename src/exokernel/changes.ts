// Which entries of a table changed since someone last looked: a mark per
// entry and the list of marked ones, so taking the changes costs what
// changed, not the table's size. The incremental invariant check
// (invariant.ts) reads the frame table's and the STLB's.

/** The changed entries of a table of `size` entries, or "all of them". */
export class ChangeSet {
  private readonly marked: Uint8Array;
  private readonly list: number[] = [];
  /** Everything changed (a restore): the next reader must look at the whole table. */
  private everything = true;

  constructor(readonly size: number) {
    this.marked = new Uint8Array(size);
  }

  /** Notes that entry `i` changed. */
  add(i: number): void {
    if (this.marked[i] === 0) { this.marked[i] = 1; this.list.push(i); }
  }

  /** Notes that every entry may have changed. */
  addAll(): void {
    this.everything = true;
  }

  /** True when entry `i` is marked (or everything is). */
  has(i: number): boolean {
    return this.everything || this.marked[i] !== 0;
  }

  /** True when nothing changed. */
  get empty(): boolean {
    return !this.everything && this.list.length === 0;
  }

  /** True when everything may have changed. */
  get all(): boolean {
    return this.everything;
  }

  /** The marked entries (meaningless when `all`). */
  entries(): readonly number[] {
    return this.list;
  }

  /** Forgets every change. */
  clear(): void {
    // pop, not `length = 0`: setting an array's length is a call into V8's runtime, and this runs after every kernel entry.
    const list = this.list;
    while (list.length !== 0) this.marked[list.pop()!] = 0;
    this.everything = false;
  }
}
