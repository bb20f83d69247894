// Guaranteed mappings (docs/architecture.md, "The exokernel"): the mappings
// the kernel keeps for an environment whatever the STLB does, by VPN, each
// with the key presented for it. Every environment's set also counts, per
// frame, the mappings that name it (its record's frame, or its EntryLo's
// when the two differ), in one count the kernel keeps for all of them: a
// frame no guaranteed mapping names is passed over without visiting any
// (breaking a frame's bindings, bindings.ts; the incremental invariant
// check, invariant.ts). The count is kept by the set itself, on every
// set, delete and clear, so it holds whoever changes the set.

/**
 * A mapping the kernel keeps for the environment whatever the STLB does,
 * with the key that was presented for it (0 for the kernel's own read-only
 * pages, which need none): the evidence the invariant checks.
 */
export interface Guaranteed {
  readonly vpn: number;
  readonly entryLo: number;
  readonly frame: number;
  readonly keyLo: number;
  readonly keyHi: number;
}

/** The frame an EntryLo names (bindings.ts has the same). */
const frameOfLo = (entryLo: number): number => (entryLo >>> 12) & 0xfffff;

/** How many guaranteed mappings of all environments name each frame. */
export class GuaranteedCount {
  private readonly perFrame: Uint32Array;
  /** Mappings naming a frame past the table (a forged one: the invariant reports it). */
  private outside = 0;

  constructor(readonly frames: number) {
    this.perFrame = new Uint32Array(frames);
  }

  /** True when some guaranteed mapping may name `frame` (always, while one names a frame past the table). */
  names(frame: number): boolean {
    return this.outside !== 0 || (frame < this.frames && this.perFrame[frame] !== 0);
  }

  /** Counts `g` (by = 1) or uncounts it (by = -1). */
  add(g: Guaranteed, by: number): void {
    this.one(g.frame, by);
    const lo = frameOfLo(g.entryLo);
    if (lo !== g.frame) this.one(lo, by);
  }

  private one(frame: number, by: number): void {
    if (frame >= 0 && frame < this.frames) this.perFrame[frame] += by;
    else this.outside += by;
  }

  /** Forgets every count (before the environments are rebuilt from a checkpoint). */
  clear(): void {
    this.perFrame.fill(0);
    this.outside = 0;
  }
}

/** An environment's guaranteed mappings by VPN, counted in the kernel's GuaranteedCount. */
export class GuaranteedMap extends Map<number, Guaranteed> {
  private readonly count: GuaranteedCount;
  /** The mappings as env.ts saveGuaranteed laid them out, while the set has not changed since (cleared by every change). */
  saved: Float64Array | undefined;

  /** An empty set counted in `count`, then `entries` added. */
  constructor(count: GuaranteedCount, entries: Iterable<Guaranteed> = []) {
    super();
    this.count = count;
    for (const g of entries) this.set(g.vpn, g);
  }

  override set(vpn: number, g: Guaranteed): this {
    // The Map constructor calls set before this class's fields exist; it is never given entries here.
    const old = super.get(vpn);
    if (old !== undefined) this.count.add(old, -1);
    this.saved = undefined;
    super.set(vpn, g);
    this.count.add(g, 1);
    return this;
  }

  override delete(vpn: number): boolean {
    const old = super.get(vpn);
    if (old === undefined) return false;
    this.count.add(old, -1);
    this.saved = undefined;
    return super.delete(vpn);
  }

  override clear(): void {
    super.forEach((g) => this.count.add(g, -1));
    this.saved = undefined;
    super.clear();
  }
}
