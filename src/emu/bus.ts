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

/** RAM page size for dirty bits and translated-code tracking: 4 KiB, the TLB's page. */
export const RAM_PAGE_SHIFT = 12;

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
   * Per RAM page: 1 when written since the last `takeDirty` (by a CPU store
   * or a host write). CPUs cache store translations only for dirty pages,
   * so a store to a clean page always reaches the slow path that sets it.
   */
  readonly dirty: Uint8Array;
  /**
   * Per RAM page: 1 once anything wrote it (set with its first dirty bit,
   * never cleared). A page still 0 holds the zeroes RAM started with.
   */
  private readonly written: Uint8Array;
  /** The pages whose dirty bit is set, in the order they were set. */
  private dirtyList: number[] = [];
  /**
   * Per RAM page: nonzero while translated code lives there. CPUs cache no
   * store translation for such a page, so every store to it reaches the slow
   * path, which calls `codeWrite`.
   */
  readonly codePages: Uint8Array;
  /**
   * Told about every write to a page with translated code: the code cache
   * (translate.ts) registers itself. An object with a method, not a
   * closure, so that every machine's bus calls the same function.
   */
  code: { invalidate(pa: number, len: number): void } | undefined;
  /** Called when store translations must be dropped (a page gained code or lost its dirty bit). */
  private readonly storeCaches: (() => void)[] = [];

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
    this.dirty = new Uint8Array(ramSize >>> RAM_PAGE_SHIFT);
    this.written = new Uint8Array(ramSize >>> RAM_PAGE_SHIFT);
    this.codePages = new Uint8Array(ramSize >>> RAM_PAGE_SHIFT);
  }

  /** Registers a CPU's store-cache flush, called by `guardPage` and `takeDirty`. */
  addStoreCache(drop: () => void): void {
    this.storeCaches.push(drop);
  }

  /** Marks RAM page `page` as holding translated code; drops every CPU's store translations. */
  guardPage(page: number): void {
    if (this.codePages[page] !== 0) return;
    this.codePages[page] = 1;
    for (const drop of this.storeCaches) drop();
  }

  /**
   * The slow path of a CPU store (or any write) of `len` bytes at RAM address
   * `pa`: sets the page's dirty bit and invalidates translated code there.
   */
  noteWrite(pa: number, len: number): void {
    const first = pa >>> RAM_PAGE_SHIFT, last = (pa + len - 1) >>> RAM_PAGE_SHIFT;
    let code = false;
    for (let p = first; p <= last; p++) {
      if (this.dirty[p] === 0) this.markDirty(p);
      if (this.codePages[p] !== 0) code = true;
    }
    if (code) this.codeWrite(pa, len);
  }

  /** Invalidates the translated code in [pa, pa + len) (physical RAM): `code`'s. */
  codeWrite(pa: number, len: number): void {
    if (this.code !== undefined) this.code.invalidate(pa, len);
  }

  /**
   * Returns the RAM pages (page numbers, 4 KiB each) written since the last
   * call, ascending, and clears their dirty bits.
   */
  takeDirty(): number[] {
    const out = this.dirtyList.sort((a, b) => a - b);
    for (const p of out) this.dirty[p] = 0;
    this.dirtyList = [];
    for (const drop of this.storeCaches) drop();
    return out;
  }

  /**
   * The pages whose dirty bit is set, in the order they were set, without
   * clearing anything (takeDirty clears them and drops every CPU's store
   * translations; this drops nothing): for an observer that must not change
   * how the CPU runs (lockstep.ts).
   */
  dirtyPages(): readonly number[] {
    return this.dirtyList;
  }

  /** The RAM pages anything ever wrote, ascending: every other page still holds the zeroes RAM started with. */
  writtenPages(): number[] {
    const out: number[] = [];
    for (let p = 0, w = this.written; p < w.length; p++) if (w[p] !== 0) out.push(p);
    return out;
  }

  /** Sets the dirty bit of clean RAM page `page`. */
  markDirty(page: number): void {
    this.dirty[page] = 1;
    this.written[page] = 1;
    this.dirtyList.push(page);
  }

  // ---- Host writes to RAM: the one way anything but a CPU store changes RAM ----

  /**
   * Copies `bytes` into RAM at physical `pa`, as a host (loader, kernel,
   * checkpoint restore, DMA) writes guest memory: marks the pages dirty and
   * invalidates translated code there. Throws RangeError past the end of RAM.
   */
  hostWrite(pa: number, bytes: Uint8Array): void {
    if (pa < 0 || pa + bytes.length > this.ramSize) {
      throw new RangeError(`Cannot write ${bytes.length} bytes at physical 0x${pa.toString(16)}: RAM ends at 0x${this.ramSize.toString(16)}`);
    }
    if (bytes.length === 0) return;
    this.ram8.set(bytes, pa);
    this.noteWrite(pa, bytes.length);
  }

  /**
   * Fills `len` bytes of RAM at `pa` with `byte`, as `hostWrite` does. Zeroes
   * over pages nothing ever wrote change nothing and are skipped: the host
   * does not touch (and fault in) memory it has never used.
   */
  hostFill(pa: number, len: number, byte = 0): void {
    if (pa < 0 || pa + len > this.ramSize) {
      throw new RangeError(`Cannot fill ${len} bytes at physical 0x${pa.toString(16)}: RAM ends at 0x${this.ramSize.toString(16)}`);
    }
    if (len === 0 || (byte === 0 && this.neverWritten(pa, len))) return;
    this.ram8.fill(byte, pa, pa + len);
    this.noteWrite(pa, len);
  }

  /** True when no byte of [pa, pa+len) in RAM was ever written. */
  private neverWritten(pa: number, len: number): boolean {
    for (let p = pa >>> RAM_PAGE_SHIFT, last = (pa + len - 1) >>> RAM_PAGE_SHIFT; p <= last; p++) if (this.written[p] !== 0) return false;
    return true;
  }

  /** Writes the word `v` at RAM address `pa` (4-aligned, inside RAM), as `hostWrite` does. */
  hostWrite32(pa: number, v: number): void {
    this.ram32[pa >>> 2] = v;
    this.noteWrite(pa, 4);
  }

  /** Writes the byte `v` at RAM address `pa` (inside RAM), as `hostWrite` does. */
  hostWrite8(pa: number, v: number): void {
    this.ram8[pa] = v;
    this.noteWrite(pa, 1);
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
      this.noteWrite(pa, size);
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

  /** Copies `bytes` into RAM at physical `pa` (`hostWrite`); throws RangeError past the end of RAM. */
  loadRam(pa: number, bytes: Uint8Array): void {
    this.hostWrite(pa, bytes);
  }
}
