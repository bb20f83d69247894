// A set of listeners for one notification of the machine or the kernel
// (a kernel entry, a frame on the wire): several parties may listen at once
// (the debugger, a test, a benchmark), and none displaces another.

/** Listeners called in the order they were added, each with the same arguments. */
export class Listeners<A extends unknown[]> {
  /** Replaced, never mutated, so a listener may add or remove listeners while being called. */
  private list: readonly ((...args: A) => void)[] = [];

  /** Adds `fn` (again, if it is already there); returns a function that removes it. */
  add(fn: (...args: A) => void): () => void {
    this.list = [...this.list, fn];
    return () => this.remove(fn);
  }

  /** Removes one registration of `fn`; does nothing when it is not there. */
  remove(fn: (...args: A) => void): void {
    const i = this.list.indexOf(fn);
    if (i >= 0) this.list = [...this.list.slice(0, i), ...this.list.slice(i + 1)];
  }

  /** How many listeners there are. */
  get size(): number {
    return this.list.length;
  }

  /** Calls every listener with `args`, in the order they were added. */
  emit(...args: A): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) list[i](...args);
  }
}
