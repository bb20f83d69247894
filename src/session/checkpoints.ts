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
// is folded into the base. The state at boot is kept apart, so every point
// since boot can be reached (from far enough back, by replaying), until the
// session's event history forgets the events after it (history.ts): then
// dropBefore drops it and the checkpoints before what the history holds.
//
// The bound: two copies of the RAM pages ever written (boot and base, each
// a RamImage; one while the base has not moved from the boot state: they
// share it until a fold first writes the base), at most `maxBytes` of
// pages, at most `maxCount` packed states (each shares what did not
// change).
//
// A session of several machines (lockstep.ts) keeps one store over all their
// machines: each checkpoint holds every machine's part (state, frame table,
// changed pages), taken at the same moment, and restoring one restores them
// all. A machine is a Checkpointed: an exokernel (its state and frame
// table) or anything else with a machine and a state of its own (the
// monolithic kernel's, mono-station.ts, has no frame table). The first
// machine's clock names the checkpoint; the bound is per machine's RAM.

import type { Bus, Machine } from '../emu/index.js';
import { Kernel, type FrameTable, type KernelState } from '../exokernel/index.js';
import { packFrameRun, unpackFrameRun } from './checkpoints-frames.js';
import { pack, packedBytes, unpack, type Packed } from './packed.js';

/** One machine as a checkpoint store keeps it: its RAM (through its bus), its state without RAM, and an exokernel's frame table. */
export interface Checkpointed {
  readonly machine: Machine;
  /** The state without RAM and frame table, as plain data. */
  saveState(): unknown;
  /** Restores what saveState returned; RAM and the frame table are the store's to put back. */
  restoreState(state: unknown): void;
  /** The exokernel's frame table, saved in runs of changed records (none for another kernel). */
  readonly frames?: FrameTable;
}

/** An exokernel as a Checkpointed. */
export function kernelCheckpointed(k: Kernel): Checkpointed {
  return {
    machine: k.machine, frames: k.frames,
    saveState: () => k.save(false, false),
    restoreState: (st) => k.restore({ ...(st as KernelState), frames: [] }),
  };
}

const PAGE = 4096;
/** A page nothing wrote. */
const ZERO_PAGE = new Uint8Array(PAGE);

/**
 * RAM as its written pages, by page number, each a copy; a page not in it
 * holds zeroes (Bus.writtenPages: RAM starts zeroed and a page nothing
 * wrote still is). The base and boot copies are kept so: a 32 MiB machine
 * whose images fill a few hundred pages copies those, not 32 MiB, at its
 * first checkpoint, and a restore to boot writes back only them.
 */
type RamImage = Map<number, Uint8Array>;

/** `bus`'s RAM as a RamImage. */
function ramImage(bus: Bus): RamImage {
  const img: RamImage = new Map();
  for (const p of bus.writtenPages()) img.set(p, bus.ram8.slice(p * PAGE, (p + 1) * PAGE));
  return img;
}
/**
 * Frame records a run of the saved frame table holds. A checkpoint saves
 * again every run with a changed record, and the frames that change
 * between two are few and scattered (living.yaml: about 4 a checkpoint):
 * runs of 32 save a quarter of the records runs of 256 did.
 */
const FRAME_RUN = 32;

/** One kernel's share of a checkpoint. */
interface Part {
  /** The kernel's state (without RAM and the frame table), packed. */
  readonly state: Packed;
  /** The frame table in runs of FRAME_RUN records, packed (checkpoints-frames.ts); a run no record of which changed is the previous checkpoint's. */
  readonly frames: readonly Float64Array[];
  /** Pages (by number) written since the previous checkpoint, as they were at this one. */
  pages: Map<number, Uint8Array>;
}

/** One checkpoint: where it was taken and how to get back there. */
interface Checkpoint {
  readonly cycle: number;
  readonly instret: number;
  /** Every kernel's part, the first kernel's first. */
  readonly parts: readonly Part[];
  /** The caller's own state, packed. */
  readonly extra: Packed;
}

/** The page copies a checkpoint holds, over every kernel. */
const pageCount = (cp: Checkpoint): number => cp.parts.reduce((n, p) => n + p.pages.size, 0);

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

/** A bounded series of checkpoints of one kernel, or of several in step. */
export class CheckpointStore {
  /** Per kernel, RAM as it was at the boot checkpoint and at the base (the same maps until the base is first written: foldOldest). */
  private boot: { ram: RamImage[]; cp: Checkpoint } | undefined;
  private base: { ram: RamImage[]; cp: Checkpoint } | undefined;
  private readonly list: Checkpoint[] = [];
  private readonly kernels: readonly Checkpointed[];
  /**
   * Per kernel, the newest copy of each page the list holds one of (merge
   * moves a copy to a later checkpoint, never past a newer one; foldOldest
   * and restoreBefore keep it right): a checkpoint compares each dirty page
   * with what the one before had without walking back through the list.
   */
  private readonly newest: Map<number, Uint8Array>[];
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;
  private readonly density: number;

  /** `every` is the spacing near now, in cycles; with several machines, the first one's clock names the checkpoints. */
  constructor(kernel: Kernel | readonly (Kernel | Checkpointed)[], private readonly every: number, limits: CheckpointLimits = {}) {
    const list: readonly (Kernel | Checkpointed)[] = kernel instanceof Kernel ? [kernel] : kernel;
    this.kernels = list.map((k) => (k instanceof Kernel ? kernelCheckpointed(k) : k));
    this.newest = this.kernels.map(() => new Map());
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
    const seen = new Set<object>();
    let ram = 0;
    for (const img of [...(this.base?.ram ?? []), ...(this.boot?.ram ?? [])]) {
      for (const page of img.values()) if (!seen.has(page)) { seen.add(page); ram += PAGE; }
    }
    let states = 0;
    for (const cp of this.all()) {
      states += packedBytes(cp.extra, seen);
      for (const part of cp.parts) {
        states += packedBytes(part.state, seen);
        for (const b of part.frames) if (!seen.has(b)) { seen.add(b); states += b.byteLength; }
      }
    }
    return this.bytes + ram + states;
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
    const k = this.kernels[0];
    const prev = this.last();
    const parts = this.kernels.map((x, i): Part => ({
      state: pack(x.saveState(), prev?.parts[i].state),
      frames: this.frameRuns(x, prev?.parts[i]),
      pages: new Map(),
    }));
    const cp: Checkpoint = { cycle: k.machine.cpu.cycles, instret: k.machine.cpu.instret, parts, extra: pack(extra, prev?.extra) };
    const dirty = this.kernels.map((x) => x.machine.bus.takeDirty());
    if (!this.base) {
      this.base = { ram: this.kernels.map((x) => ramImage(x.machine.bus)), cp };
      this.boot ??= { ram: this.base.ram, cp };
      return;
    }
    this.kernels.forEach((x, i) => {
      const live = x.machine.bus.ram8;
      for (const p of dirty[i]) {
        const now = live.subarray(p * PAGE, (p + 1) * PAGE);
        // A page written back to what it held costs nothing.
        if (Buffer.compare(now, this.newestPage(i, p)) === 0) continue;
        const copy = now.slice();
        parts[i].pages.set(p, copy);
        this.newest[i].set(p, copy);
        this.bytes += PAGE;
      }
    });
    this.list.push(cp);
    this.thin(cp.cycle);
    while (this.list.length > 0 && (this.list.length + 1 > this.maxCount || this.bytes > this.maxBytes)) this.foldOldest();
  }

  /** The frame table in runs: those with a changed record saved again, the rest shared with `prev`; none without one. */
  private frameRuns(kernel: Checkpointed, prev: Part | undefined): Float64Array[] {
    const ft = kernel.frames;
    if (!ft) return [];
    const changed = ft.takeChanged();
    const run = (r: number): Float64Array => packFrameRun(ft, r * FRAME_RUN, Math.min(ft.count, (r + 1) * FRAME_RUN));
    if (!prev) return Array.from({ length: Math.ceil(ft.count / FRAME_RUN) }, (_, r) => run(r));
    // The changed frames come in ascending order: each run with one is saved once, without a pass over all runs.
    const runs = prev.frames.slice();
    for (let j = 0, last = -1; j < changed.length; j++) {
      const r = Math.floor(changed[j] / FRAME_RUN);
      if (r !== last) { runs[r] = run(r); last = r; }
    }
    return runs;
  }

  /** Kernel k's page `p` as the latest checkpoint has it (pageAt(k, p, list.length), without walking the list). */
  private newestPage(k: number, p: number): Uint8Array {
    return this.newest[k].get(p) ?? this.base!.ram[k].get(p) ?? ZERO_PAGE;
  }

  /** Kernel k's page `p` as it was at list[n - 1] (the base when n is 0). */
  private pageAt(k: number, p: number, n: number): Uint8Array {
    for (let i = n - 1; i >= 0; i--) {
      const data = this.list[i].parts[k].pages.get(p);
      if (data) return data;
    }
    return this.base!.ram[k].get(p) ?? ZERO_PAGE;
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
    gone.parts.forEach((part, k) => {
      for (const [p, data] of part.pages) {
        if (next.parts[k].pages.has(p)) this.bytes -= PAGE;
        else next.parts[k].pages.set(p, data);
      }
    });
  }

  private foldOldest(): void {
    // The base's RAM is the boot state's until written here first: the boot state keeps the copy.
    const base = this.base!;
    if (base.ram === this.boot?.ram) this.base = { ram: base.ram.map((r) => new Map(r)), cp: base.cp };
    const first = this.list.shift()!;
    first.parts.forEach((part, k) => {
      for (const [p, data] of part.pages) {
        this.base!.ram[k].set(p, data);
        this.bytes -= PAGE;
        // The base holds it now (its only copy: a later one would be the newest).
        if (this.newest[k].get(p) === data) this.newest[k].delete(p);
      }
    });
    this.base = { ram: this.base!.ram, cp: { ...first, parts: first.parts.map((part) => ({ ...part, pages: new Map() })) } };
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
    const buses = this.kernels.map((x) => x.machine.bus);
    const changed = buses.map((bus) => new Set(bus.takeDirty()));
    // Likewise the frame table: the runs written since, and those that differ in the checkpoints dropped.
    const runs = this.kernels.map((x) => new Set((x.frames?.takeChanged() ?? []).map((f) => Math.floor(f / FRAME_RUN))));
    const last = this.last();
    let cp: Checkpoint;
    if (this.at(this.base.cp, t)) {
      let n = 0;
      while (n < this.list.length && this.at(this.list[n], t)) n++;
      for (const dropped of this.list.slice(n)) dropped.parts.forEach((part, k) => { for (const p of part.pages.keys()) changed[k].add(p); });
      buses.forEach((bus, k) => { for (const p of changed[k]) bus.hostWrite(p * PAGE, this.pageAt(k, p, n)); });
      cp = n === 0 ? this.base.cp : this.list[n - 1];
      for (const dropped of this.list.splice(n)) this.bytes -= pageCount(dropped) * PAGE;
    } else {
      // At or before the first point of the session: its first point.
      cp = this.boot.cp;
      // Every page anything wrote since boot, back to the boot state's (zeroes where it had none).
      buses.forEach((bus, k) => { for (const p of bus.writtenPages()) bus.hostWrite(p * PAGE, this.boot!.ram[k].get(p) ?? ZERO_PAGE); });
      this.base = { ram: this.boot.ram, cp };
      this.list.length = 0;
      this.bytes = 0;
    }
    this.newest.forEach((m, k) => {
      m.clear();
      for (const c of this.list) for (const [p, data] of c.parts[k].pages) m.set(p, data);
    });
    this.kernels.forEach((x, k) => {
      const part = cp.parts[k];
      if (last) last.parts[k].frames.forEach((b, r) => { if (b !== part.frames[r]) runs[k].add(r); });
      if (cp === this.boot!.cp) part.frames.forEach((_, r) => runs[k].add(r));
      x.restoreState(unpack(part.state));
      if (x.frames) for (const r of runs[k]) x.frames.restore(unpackFrameRun(part.frames[r]), r * FRAME_RUN);
      // RAM and the frame table now equal the checkpoint's: nothing changed since it.
      buses[k].takeDirty();
      x.frames?.takeChanged();
    });
    return unpack(cp.extra);
  }

/** The cycle of the latest checkpoint strictly before `cycle`, or undefined. */
  latestBefore(cycle: number): number | undefined {
    const all = this.cycles().filter((c) => c < cycle);
    return all.length ? all[all.length - 1] : undefined;
  }

  /** The instruction count of the session's first point (the boot state, kept unless dropBefore dropped it), or -1: how far back history reaches. */
  firstInstret(): number {
    return this.boot ? this.boot.cp.instret : -1;
  }

  /**
   * Drops every checkpoint whose `extra` fails `keep`, oldest first (those
   * that fail come first: the event history forgot what came before them,
   * history.ts), the boot state too: the oldest that passes becomes the
   * first point. With none passing the store is empty, and the next
   * checkpoint taken is its first point. Returns whether it dropped any.
   */
  dropBefore(keep: (extra: unknown) => boolean): boolean {
    if (!this.boot || !this.base || keep(unpack(this.boot.cp.extra))) return false;
    while (this.list.length > 0 && !keep(unpack(this.base.cp.extra))) this.foldOldest();
    if (keep(unpack(this.base.cp.extra))) {
      // The base is the first point now; its RAM copy is the boot state's (foldOldest copies it before writing the base).
      this.boot = this.base;
      return true;
    }
    this.boot = undefined;
    this.base = undefined;
    this.list.length = 0;
    this.bytes = 0;
    for (const m of this.newest) m.clear();
    return true;
  }

  /** The instruction count of the latest checkpoint, or -1. */
  lastInstret(): number {
    return this.list.length ? this.list[this.list.length - 1].instret : this.base ? this.base.cp.instret : -1;
  }
}
