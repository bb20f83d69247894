// Automatic checkpoints for stepping back. The kernel's
// state without RAM is small; RAM is kept as a base copy plus, per
// checkpoint, the pages that changed since the one before (found by
// comparing with a shadow copy, a native memcmp per page). Memory is bounded:
// past `maxBytes` of page copies or `maxCount` checkpoints the oldest is
// folded into the base.

import type { Kernel, KernelState } from '../exokernel/index.js';

const PAGE = 4096;

/** One checkpoint: where it was taken and how to get back there. */
interface Checkpoint {
  readonly cycle: number;
  readonly instret: number;
  readonly state: KernelState;
  /** Pages (by number) whose contents differ from the previous checkpoint. */
  readonly pages: Map<number, Uint8Array>;
  readonly extra: unknown;
}

/** Limits of a checkpoint store. */
export interface CheckpointLimits {
  /** Most checkpoints kept (default 64). */
  maxCount?: number;
  /** Most bytes of changed pages kept over all checkpoints (default 64 MiB). */
  maxBytes?: number;
}

/** A bounded series of checkpoints of one kernel. */
export class CheckpointStore {
  private base: { ram: Uint8Array; cp: Checkpoint } | undefined;
  private readonly list: Checkpoint[] = [];
  private shadow: Uint8Array | undefined;
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;

  constructor(private readonly kernel: Kernel, limits: CheckpointLimits = {}) {
    this.maxCount = limits.maxCount ?? 64;
    this.maxBytes = limits.maxBytes ?? 64 << 20;
  }

  /** Number of checkpoints held (the base included). */
  get count(): number {
    return (this.base ? 1 : 0) + this.list.length;
  }

  /** Takes a checkpoint now; `extra` is the caller's own state to restore with it. */
  take(extra: unknown): void {
    const k = this.kernel;
    const live = k.machine.bus.ram8;
    const cp = { cycle: k.cpu.cycles, instret: k.cpu.instret, state: structuredClone(k.save(false)), extra: structuredClone(extra), pages: new Map<number, Uint8Array>() };
    if (!this.base || !this.shadow) {
      this.base = { ram: live.slice(), cp };
      this.shadow = live.slice();
      return;
    }
    for (let off = 0; off < live.length; off += PAGE) {
      const now = live.subarray(off, off + PAGE);
      if (Buffer.compare(now, this.shadow.subarray(off, off + PAGE)) !== 0) {
        cp.pages.set(off / PAGE, now.slice());
        this.shadow.set(now, off);
        this.bytes += PAGE;
      }
    }
    this.list.push(cp);
    while (this.list.length + 1 > this.maxCount || (this.bytes > this.maxBytes && this.list.length > 0)) this.foldOldest();
  }

  private foldOldest(): void {
    const first = this.list.shift()!;
    for (const [p, data] of first.pages) { this.base!.ram.set(data, p * PAGE); this.bytes -= PAGE; }
    this.base = { ram: this.base!.ram, cp: { ...first, pages: new Map() } };
  }

  /**
   * Restores the latest checkpoint taken at or before instruction count
   * `instret`, drops the later ones, and returns its `extra`; undefined when
   * there is none that early.
   */
  restoreBefore(instret: number): unknown {
    if (!this.base || this.base.cp.instret > instret) return undefined;
    let n = 0;
    while (n < this.list.length && this.list[n].instret <= instret) n++;
    const ram = this.base.ram.slice();
    for (let i = 0; i < n; i++) for (const [p, data] of this.list[i].pages) ram.set(data, p * PAGE);
    const cp = n === 0 ? this.base.cp : this.list[n - 1];
    for (const dropped of this.list.splice(n)) this.bytes -= dropped.pages.size * PAGE;
    this.kernel.machine.bus.hostWrite(0, ram);
    this.shadow = ram;
    this.kernel.restore(structuredClone(cp.state));
    return structuredClone(cp.extra);
  }

  /** The instruction count of the earliest checkpoint still held (the base), or -1: how far back history reaches. */
  firstInstret(): number {
    return this.base ? this.base.cp.instret : -1;
  }

  /** The instruction count of the latest checkpoint, or -1. */
  lastInstret(): number {
    return this.list.length ? this.list[this.list.length - 1].instret : this.base ? this.base.cp.instret : -1;
  }
}
