// Automatic checkpoints for time travel (docs/architecture.md, "Time
// travel"). The kernel's state without RAM is small; RAM is kept as a base
// copy plus, per checkpoint, the pages that changed since the one before
// (found by comparing with a shadow copy, a native memcmp per page).
//
// Spacing adapts to the run's length: a geometric ladder, dense near now and
// sparse far back. A checkpoint is dropped (its pages merged into the next
// one) when its neighbours are closer together than `every` or than its age
// over `density`, so a run of N cycles keeps about density * ln(N / every)
// checkpoints. Memory is bounded: past `maxBytes` of page copies the oldest
// is folded into the base. The state at boot is kept apart, always, so
// every point since boot can be reached (from far enough back, by replaying).
//
// A session of several machines (lockstep.ts) keeps one store over all their
// kernels: each checkpoint holds every kernel's state and changed pages,
// taken at the same moment, and restoring one restores them all. The first
// kernel's clock names the checkpoint.

import type { Kernel, KernelState } from '../exokernel/index.js';

const PAGE = 4096;

/** One checkpoint: where it was taken and how to get back there. */
interface Checkpoint {
  readonly cycle: number;
  readonly instret: number;
  /** Every kernel's state, the first kernel's first. */
  readonly states: readonly KernelState[];
  /** Per kernel, the pages (by number) whose contents differ from the previous checkpoint. */
  pages: Map<number, Uint8Array>[];
  readonly extra: unknown;
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

/** The pages of a checkpoint: none changed, for each of `n` kernels. */
const noPages = (n: number) => Array.from({ length: n }, () => new Map<number, Uint8Array>());
const pageCount = (cp: Checkpoint) => cp.pages.reduce((n, m) => n + m.size, 0);

/** A bounded series of checkpoints of one kernel, or of several taken together. */
export class CheckpointStore {
  /** RAM copies are per kernel. */
  private boot: { ram: Uint8Array[]; cp: Checkpoint } | undefined;
  private base: { ram: Uint8Array[]; cp: Checkpoint } | undefined;
  private readonly list: Checkpoint[] = [];
  private shadow: Uint8Array[] | undefined;
  private readonly kernels: readonly Kernel[];
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;
  private readonly density: number;

  /** `every` is the spacing near now, in cycles; with several kernels, the first one's clock names the checkpoints. */
  constructor(kernel: Kernel | readonly Kernel[], private readonly every: number, limits: CheckpointLimits = {}) {
    this.kernels = Array.isArray(kernel) ? kernel : [kernel as Kernel];
    this.maxCount = limits.maxCount ?? 256;
    this.maxBytes = limits.maxBytes ?? 256 << 20;
    this.density = limits.density ?? 8;
  }

  /** Number of checkpoints held (the base included, the boot state not). */
  get count(): number {
    return (this.base ? 1 : 0) + this.list.length;
  }

  /** Bytes held: page copies, the base, boot and shadow RAM copies. */
  get memory(): number {
    const ram = this.kernels.reduce((n, k) => n + k.machine.bus.ramSize, 0);
    return this.bytes + (this.base ? ram : 0) + (this.boot ? ram : 0) + (this.shadow ? ram : 0);
  }

  /** The cycles of the checkpoints held, oldest first (the boot state first). */
  cycles(): number[] {
    return [...(this.boot ? [this.boot.cp.cycle] : []), ...(this.base && this.base.cp !== this.boot?.cp ? [this.base.cp.cycle] : []), ...this.list.map((c) => c.cycle)];
  }

  /** Takes a checkpoint now; `extra` is the caller's own state to restore with it. */
  take(extra: unknown): void {
    const k = this.kernels[0];
    const states = this.kernels.map((x) => structuredClone(x.save(false)));
    const cp: Checkpoint = { cycle: k.cpu.cycles, instret: k.cpu.instret, states, extra: structuredClone(extra), pages: noPages(this.kernels.length) };
    if (!this.base || !this.shadow) {
      this.base = { ram: this.kernels.map((x) => x.machine.bus.ram8.slice()), cp };
      this.boot ??= { ram: this.base.ram.map((r) => r.slice()), cp };
      this.shadow = this.kernels.map((x) => x.machine.bus.ram8.slice());
      return;
    }
    this.kernels.forEach((x, i) => {
      const live = x.machine.bus.ram8, shadow = this.shadow![i];
      for (let off = 0; off < live.length; off += PAGE) {
        const now = live.subarray(off, off + PAGE);
        if (Buffer.compare(now, shadow.subarray(off, off + PAGE)) !== 0) {
          cp.pages[i].set(off / PAGE, now.slice());
          shadow.set(now, off);
          this.bytes += PAGE;
        }
      }
    });
    this.list.push(cp);
    this.thin(cp.cycle);
    while (this.list.length > 0 && (this.list.length + 1 > this.maxCount || this.bytes > this.maxBytes)) this.foldOldest();
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
    gone.pages.forEach((pages, k) => {
      for (const [p, data] of pages) {
        if (next.pages[k].has(p)) this.bytes -= PAGE;
        else next.pages[k].set(p, data);
      }
    });
  }

  private foldOldest(): void {
    const first = this.list.shift()!;
    first.pages.forEach((pages, k) => { for (const [p, data] of pages) { this.base!.ram[k].set(data, p * PAGE); this.bytes -= PAGE; } });
    this.base = { ram: this.base!.ram, cp: { ...first, pages: noPages(this.kernels.length) } };
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
    // Written into each machine's RAM (through the bus's host-write choke
    // point, which drops translated code) and the shadow in place: no 32 MiB allocations.
    const buses = this.kernels.map((k) => k.machine.bus);
    let cp: Checkpoint;
    if (this.at(this.base.cp, t)) {
      let n = 0;
      while (n < this.list.length && this.at(this.list[n], t)) n++;
      buses.forEach((bus, k) => {
        bus.hostWrite(0, this.base!.ram[k]);
        for (let i = 0; i < n; i++) for (const [p, data] of this.list[i].pages[k]) bus.hostWrite(p * PAGE, data);
      });
      cp = n === 0 ? this.base.cp : this.list[n - 1];
      for (const dropped of this.list.splice(n)) this.bytes -= pageCount(dropped) * PAGE;
    } else {
      // At or before the first point of the session: its first point.
      cp = this.boot.cp;
      buses.forEach((bus, k) => bus.hostWrite(0, this.boot!.ram[k]));
      this.base = { ram: this.boot.ram.map((r) => r.slice()), cp };
      this.list.length = 0;
      this.bytes = 0;
    }
    buses.forEach((bus, k) => { if (this.shadow) this.shadow[k].set(bus.ram8); });
    this.shadow ??= buses.map((bus) => bus.ram8.slice());
    this.kernels.forEach((k, i) => k.restore(structuredClone(cp.states[i])));
    return structuredClone(cp.extra);
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
