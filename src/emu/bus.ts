// The physical bus: RAM in one typed array at physical 0, and device
// regions claimed as half-open ranges [base, base+size). An access that no
// region claims is a bus error for the guest and a trace event, never a host
// exception (STYLE rule 3; v86's io.js logs unclaimed ports the same way).

import type { AccessSize, Device, TraceSink } from './device.js';

/** One claimed range of physical addresses. */
export interface Region {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly device: Device;
}

/** Granularity of the region lookup table: 64 KiB. */
const PAGE_SHIFT = 16;
/** Physical addresses are 29 bits on the R3000 (kseg0/kseg1 strip 3). */
const PHYS_LIMIT = 0x20000000;

/** RAM plus device regions; every CPU load and store below the TLB lands here. */
export class Bus {
  readonly ramSize: number;
  readonly ram8: Uint8Array;
  readonly ram16: Uint16Array;
  readonly ram32: Int32Array;
  readonly regions: Region[] = [];
  private readonly lookup: (Region | undefined)[] = new Array(PHYS_LIMIT >>> PAGE_SHIFT);
  /** Set by `read` and `write` when the address was unclaimed. */
  fault = false;

  /**
   * Creates a bus with `ramSize` bytes of zeroed RAM (a multiple of 64 KiB).
   * Throws RangeError when the size is not one; the host must be little-endian.
   */
  constructor(ramSize: number, private readonly trace: TraceSink, private readonly now: () => number) {
    if (ramSize <= 0 || ramSize % (1 << PAGE_SHIFT) !== 0 || ramSize > 0x1e000000) {
      throw new RangeError(`RAM size ${ramSize} is not a positive multiple of 64 KiB below 480 MiB`);
    }
    this.ramSize = ramSize;
    const buf = new ArrayBuffer(ramSize);
    this.ram8 = new Uint8Array(buf);
    this.ram16 = new Uint16Array(buf);
    this.ram32 = new Int32Array(buf);
  }

  /** Claims [base, base+size) for `device`; throws RangeError on overlap or misalignment. */
  attach(name: string, base: number, size: number, device: Device): void {
    if (base % (1 << PAGE_SHIFT) !== 0 || size % (1 << PAGE_SHIFT) !== 0) {
      throw new RangeError(`Region ${name} at 0x${base.toString(16)} is not 64 KiB aligned`);
    }
    if (base < this.ramSize || base + size > PHYS_LIMIT) {
      throw new RangeError(`Region ${name} at 0x${base.toString(16)} overlaps RAM or leaves the bus`);
    }
    const region: Region = { name, base, size, device };
    for (let p = base >>> PAGE_SHIFT; p < (base + size) >>> PAGE_SHIFT; p++) {
      if (this.lookup[p]) throw new RangeError(`Region ${name} overlaps ${this.lookup[p]!.name}`);
      this.lookup[p] = region;
    }
    this.regions.push(region);
  }

  /** Returns the region holding physical address `pa`, if any. */
  regionAt(pa: number): Region | undefined {
    return this.lookup[pa >>> PAGE_SHIFT];
  }

  /**
   * Reads `size` bytes at physical `pa` (naturally aligned), zero-extended.
   * On an unclaimed address sets `fault`, emits a bus-error event, returns 0.
   */
  read(pa: number, size: AccessSize): number {
    if (pa < this.ramSize) return this.readRam(pa, size);
    const r = this.lookup[pa >>> PAGE_SHIFT];
    if (r === undefined) return this.unclaimed(pa, size, 'read');
    return r.device.read(pa - r.base, size) >>> 0;
  }

  /** Writes the low `size` bytes of `value` at physical `pa`; `fault` as for read. */
  write(pa: number, size: AccessSize, value: number): void {
    if (pa < this.ramSize) {
      if (size === 4) this.ram32[pa >>> 2] = value;
      else if (size === 2) this.ram16[pa >>> 1] = value;
      else this.ram8[pa] = value;
      return;
    }
    const r = this.lookup[pa >>> PAGE_SHIFT];
    if (r === undefined) { this.unclaimed(pa, size, 'write'); return; }
    r.device.write(pa - r.base, size, value);
  }

  private readRam(pa: number, size: AccessSize): number {
    if (size === 4) return this.ram32[pa >>> 2] >>> 0;
    if (size === 2) return this.ram16[pa >>> 1];
    return this.ram8[pa];
  }

  private unclaimed(pa: number, size: AccessSize, access: 'read' | 'write'): number {
    this.fault = true;
    this.trace({ kind: 'bus-error', cycle: this.now(), paddr: pa >>> 0, size, access });
    return 0;
  }

  /** Copies `bytes` into RAM at physical `pa`; throws RangeError past the end of RAM. */
  loadRam(pa: number, bytes: Uint8Array): void {
    if (pa < 0 || pa + bytes.length > this.ramSize) {
      throw new RangeError(`Cannot load ${bytes.length} bytes at physical 0x${pa.toString(16)}: RAM ends at 0x${this.ramSize.toString(16)}`);
    }
    this.ram8.set(bytes, pa);
  }
}
