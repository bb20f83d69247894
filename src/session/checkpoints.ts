// Automatic checkpoints for time travel (docs/architecture.md, "Time
// travel"). RAM is kept as a base copy plus, per checkpoint, the pages
// written since the one before: the bus's per-page dirty bits (CPU stores
// and host writes set them; takeDirty reads and clears them) name them, so
// taking a checkpoint costs the pages written, not a pass over all of RAM.
// The kernel's and the session's own state are packed (packed.ts): a
// checkpoint shares every part that did not change with the one before.
//
// Spacing adapts to the run's length: a geometric ladder, dense near now and
// sparse far back. A checkpoint is dropped (its pages merged into the next
// one) when its neighbours are closer together than `every` or than its age
// over `density`, so a run of N cycles keeps about density * ln(N / every)
// checkpoints. Memory is bounded: past `maxBytes` of page copies the oldest
// is folded into the base. The state at boot is kept apart, always, so
// every point since boot can be reached (from far enough back, by replaying).
//
// The bound: two copies of RAM (boot and base), at most `maxBytes` of pages,
// at most `maxCount` packed states (each shares what did not change).

import { deserialize, serialize } from 'node:v8';
import type { Kernel, KernelState } from '../exokernel/index.js';
import { pack, packedBytes, unpack, type Packed } from './packed.js';

const PAGE = 4096;
/** Frame records a run of the saved frame table holds. */
const FRAME_RUN = 256;

/** One checkpoint: where it was taken and how to get back there. */
interface Checkpoint {
  readonly cycle: number;
  readonly instret: number;
  /** The kernel's state (without RAM and the frame table) and the caller's, packed. */
  readonly state: Packed;
  /** The frame table in runs of FRAME_RUN records, serialized; a run no record of which changed is the previous checkpoint's. */
  readonly frames: readonly Buffer[];
  readonly extra: Packed;
  /** Pages (by number) written since the previous checkpoint, as they were at this one. */
  pages: Map<number, Uint8Array>;
}

/** Limits of a checkpoint store. */
export interface CheckpointLimits {
  /** Most checkpoints kept besides the boot state (default 256). */
  maxCount?: number;
  /** Most bytes of changed pages kept over all checkpoints (default 256 MiB). */
  maxBytes?: number;
  /** Checkpoints kept per factor e of age (default 8). */
  density?: number;
}

/** Where a checkpoint may be restored from: at or before a cycle, or strictly before an instruction count. */
export type CheckpointTarget = { readonly cycle: number } | { readonly instret: number };

/** A bounded series of checkpoints of one kernel. */
export class CheckpointStore {
  private boot: { ram: Uint8Array; cp: Checkpoint } | undefined;
  private base: { ram: Uint8Array; cp: Checkpoint } | undefined;
  private readonly list: Checkpoint[] = [];
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;
  private readonly density: number;

  /** `every` is the spacing near now, in cycles. */
  constructor(private readonly kernel: Kernel, private readonly every: number, limits: CheckpointLimits = {}) {
    this.maxCount = limits.maxCount ?? 256;
    this.maxBytes = limits.maxBytes ?? 256 << 20;
    this.density = limits.density ?? 8;
  }

  /** Number of checkpoints held (the base included, the boot state not). */
  get count(): number {
    return (this.base ? 1 : 0) + this.list.length;
  }

  /** Bytes held: page copies, the base and boot RAM copies, and the packed states (shared parts once). */
  get memory(): number {
    const ram = this.kernel.machine.bus.ramSize;
    const seen = new Set<Buffer>();
    let states = 0;
    for (const cp of this.all()) {
      states += packedBytes(cp.state, seen) + packedBytes(cp.extra, seen);
      for (const b of cp.frames) if (!seen.has(b)) { seen.add(b); states += b.length; }
    }
    return this.bytes + (this.base ? ram : 0) + (this.boot ? ram : 0) + states;
  }

  private all(): Checkpoint[] {
    return [...(this.boot ? [this.boot.cp] : []), ...(this.base && this.base.cp !== this.boot?.cp ? [this.base.cp] : []), ...this.list];
  }

  /** The cycles of the checkpoints held, oldest first (the boot state first). */
  cycles(): number[] {
    return this.all().map((c) => c.cycle);
  }

  /** The latest checkpoint (the one the dirty bits are relative to). */
  private last(): Checkpoint | undefined {
    return this.list.length ? this.list[this.list.length - 1] : this.base?.cp;
  }

  /** Takes a checkpoint now; `extra` is the caller's own state (plain data) to restore with it. */
  take(extra: unknown): void {
    const k = this.kernel;
    const bus = k.machine.bus;
    const prev = this.last();
    const state = pack(k.save(false, false), prev?.state);
    const cp: Checkpoint = { cycle: k.cpu.cycles, instret: k.cpu.instret, state, frames: this.frameRuns(prev), extra: pack(extra, prev?.extra), pages: new Map() };
    const dirty = bus.takeDirty();
    if (!this.base) {
      this.base = { ram: bus.ram8.slice(), cp };
      this.boot ??= { ram: this.base.ram.slice(), cp };
      return;
    }
    const live = bus.ram8;
    for (const p of dirty) {
      const now = live.subarray(p * PAGE, (p + 1) * PAGE);
      // A page written back to what it held costs nothing.
      if (Buffer.compare(now, this.pageAt(p, this.list.length)) === 0) continue;
      cp.pages.set(p, now.slice());
      this.bytes += PAGE;
    }
    this.list.push(cp);
    this.thin(cp.cycle);
    while (this.list.length > 0 && (this.list.length + 1 > this.maxCount || this.bytes > this.maxBytes)) this.foldOldest();
  }

  /** The frame table in runs: those with a changed record saved again, the rest shared with `prev`. */
  private frameRuns(prev: Checkpoint | undefined): Buffer[] {
    const ft = this.kernel.frames;
    const changed = ft.takeChanged();
    const runs = prev ? [...prev.frames] : [];
    const stale = new Set(prev ? changed.map((f) => Math.floor(f / FRAME_RUN)) : []);
    for (let r = 0; r * FRAME_RUN < ft.count; r++) {
      if (prev && !stale.has(r)) continue;
      runs[r] = serialize(ft.save(r * FRAME_RUN, Math.min(ft.count, (r + 1) * FRAME_RUN)));
    }
    return runs;
  }

  /** Page `p` as it was at list[n - 1] (the base when n is 0). */
  private pageAt(p: number, n: number): Uint8Array {
    for (let i = n - 1; i >= 0; i--) {
      const data = this.list[i].pages.get(p);
      if (data) return data;
    }
    return this.base!.ram.subarray(p * PAGE, (p + 1) * PAGE);
  }

  /** The ladder: drops a checkpoint whose neighbours are close for its age (see the file comment). */
  private thin(now: number): void {
    for (let i = this.list.length - 2; i >= 0; i--) {
      const prev = i === 0 ? this.base!.cp.cycle : this.list[i - 1].cycle;
      const gap = this.list[i + 1].cycle - prev;
      if (gap <= Math.max(this.every, (now - prev) / this.density)) this.merge(i);
    }
  }

  /** Drops list[i], giving its pages to list[i + 1] (whose diff was against it). */
  private merge(i: number): void {
    const [gone] = this.list.splice(i, 1);
    const next = this.list[i];
    for (const [p, data] of gone.pages) {
      if (next.pages.has(p)) this.bytes -= PAGE;
      else next.pages.set(p, data);
    }
  }

  private foldOldest(): void {
    const first = this.list.shift()!;
    for (const [p, data] of first.pages) { this.base!.ram.set(data, p * PAGE); this.bytes -= PAGE; }
    this.base = { ram: this.base!.ram, cp: { ...first, pages: new Map() } };
  }

  private at(cp: Checkpoint, t: CheckpointTarget): boolean {
    return 'cycle' in t ? cp.cycle <= t.cycle : cp.instret < t.instret || (t.instret === 0 && cp.instret === 0);
  }

  /**
   * Restores the latest checkpoint at or before `t` (for an instruction
   * count: strictly before it; for a target at or before the session's
   * first point, that point), drops the later
   * ones, and returns its `extra`; undefined when there is none that early.
   */
  restoreBefore(t: CheckpointTarget): unknown {
    if (!this.base || !this.boot) return undefined;
    // Only the pages that changed since the checkpoint are written back
    // (through the bus's host-write choke point, which drops translated
    // code there): those written since the latest checkpoint, and those of
    // the checkpoints dropped.
    const bus = this.kernel.machine.bus;
    const changed = new Set(bus.takeDirty());
    // Likewise the frame table: the runs written since, and those that differ in the checkpoints dropped.
    const runs = new Set(this.kernel.frames.takeChanged().map((f) => Math.floor(f / FRAME_RUN)));
    const last = this.last();
    let cp: Checkpoint;
    if (this.at(this.base.cp, t)) {
      let n = 0;
      while (n < this.list.length && this.at(this.list[n], t)) n++;
      for (const dropped of this.list.slice(n)) for (const p of dropped.pages.keys()) changed.add(p);
      for (const p of changed) bus.hostWrite(p * PAGE, this.pageAt(p, n));
      cp = n === 0 ? this.base.cp : this.list[n - 1];
      for (const dropped of this.list.splice(n)) this.bytes -= dropped.pages.size * PAGE;
    } else {
      // At or before the first point of the session: its first point.
      cp = this.boot.cp;
      bus.hostWrite(0, this.boot.ram);
      this.base = { ram: this.boot.ram.slice(), cp };
      this.list.length = 0;
      this.bytes = 0;
    }
    if (last) last.frames.forEach((b, r) => { if (b !== cp.frames[r]) runs.add(r); });
    if (cp === this.boot.cp) cp.frames.forEach((_, r) => runs.add(r));
    this.kernel.restore({ ...(unpack(cp.state) as KernelState), frames: [] });
    for (const r of runs) this.kernel.frames.restore(deserialize(cp.frames[r]) as KernelState['frames'], r * FRAME_RUN);
    // RAM and the frame table now equal the checkpoint's: nothing changed since it.
    bus.takeDirty();
    this.kernel.frames.takeChanged();
    return unpack(cp.extra);
  }

/** The cycle of the latest checkpoint strictly before `cycle`, or undefined. */
  latestBefore(cycle: number): number | undefined {
    const all = this.cycles().filter((c) => c < cycle);
    return all.length ? all[all.length - 1] : undefined;
  }

  /** The instruction count of the session's first point (the boot state, always kept), or -1: how far back history reaches. */
  firstInstret(): number {
    return this.boot ? this.boot.cp.instret : -1;
  }

  /** The instruction count of the latest checkpoint, or -1. */
  lastInstret(): number {
    return this.list.length ? this.list[this.list.length - 1].instret : this.base ? this.base.cp.instret : -1;
  }
}
