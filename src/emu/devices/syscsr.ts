// The KN02 system control and status register (DECstation 5000/200, "3MAX"),
// one 32-bit word at physical 0x1ff00000. Bit layout from NetBSD
// sys/arch/pmax/pmax/kn02.h ("DECstation 5000/200 KN02 System Module
// Functional Specification", 1990); behaviour after GXemul
// src/devices/dev_kn02.cc and Linux arch/mips/dec/kn02-irq.c:
//
//   bits 31:28  read as zero
//   bits 27:24  read-only status (NRMMOD 0x01000000 diag jumper in normal
//               mode, REFEVEN, PRSVNVR, PSWARN); writes must be zero
//   bits 23:16  IOINTEN: one enable bit per interrupt source below
//   bits 15:8   control (BAUD38, DIAGDN, BNK32M, TXDIS, LEDIAG, CORRECT, ECCMD)
//   bits  7:0   read: IOINT, one pending bit per source (level of its line);
//               write: the eight diagnostic LEDs (write-only)
//
// The output line (CPU IP2) is asserted while (IOINT & IOINTEN) != 0.
// Pending bits follow their input lines' levels; they cannot be written
// (GXemul keeps them apart from the LED bits the same way).

import type { AccessSize, Clock, Device, IrqLine, TraceSink } from '../device.js';

/** IOINT / IOINTEN bit of each KN02 interrupt source (NetBSD kn02.h KN02_IP_*). */
export const Kn02Intr = {
  Serial: 0x80,
  Lance: 0x40,
  Scsi: 0x20,
  Slot2: 0x04,
  Slot1: 0x02,
  Slot0: 0x01,
} as const;

/** Field masks of the system CSR (NetBSD kn02.h KN02_CSR_*). */
export const Kn02Csr = {
  IOINT: 0x000000ff,
  LEDS: 0x000000ff,
  CONTROL: 0x0000ff00,
  IOINTEN: 0x00ff0000,
  IOINTEN_SHIFT: 16,
  NRMMOD: 0x01000000,
  STATUS: 0x0f000000,
} as const;

/** Size in bytes of the CSR's register window (GXemul maps 0x1000 bytes). */
export const SYSCSR_SIZE = 0x1000;

/** Construction options for the system CSR. */
export interface SysCsrOptions {
  clock: Clock;
  /** The line to the CPU (Cause.IP2). */
  irq: IrqLine;
  trace: TraceSink;
}

/** Saved state of the system CSR. */
export interface SysCsrState {
  control: number;
  enable: number;
  leds: number;
  pending: number;
}

/** The KN02 system CSR: the interrupt concentrator for IP2 and the LEDs. */
export class SysCsr implements Device {
  readonly name = 'syscsr';
  private readonly clock: Clock;
  private readonly irq: IrqLine;
  private readonly trace: TraceSink;
  /** Bits 15:8 as last written. */
  private control = 0;
  /** IOINTEN, bits 7:0 of the value (bits 23:16 of the register). */
  private enable = 0;
  /** The diagnostic LEDs, as last written to bits 7:0. */
  private leds = 0;
  /** IOINT: the current level of each input line. */
  private pending = 0;
  /** Level last driven on the output line. */
  private asserted = false;

  /** Creates the CSR with all sources disabled and the output released. */
  constructor(opts: SysCsrOptions) {
    this.clock = opts.clock;
    this.irq = opts.irq;
    this.trace = opts.trace;
  }

  /**
   * Returns the IrqLine a device drives for source `bit` (one of Kn02Intr).
   * Throws RangeError when `bit` is not a single bit of 7:0.
   */
  input(bit: number): IrqLine {
    if (bit <= 0 || bit > 0x80 || (bit & (bit - 1)) !== 0) {
      throw new RangeError(`System CSR input 0x${bit.toString(16)} is not one bit of IOINT 7:0`);
    }
    return new CsrInput(this, bit);
  }

  /** The whole register as the CPU reads it. */
  value(): number {
    return (Kn02Csr.NRMMOD | (this.enable << Kn02Csr.IOINTEN_SHIFT) | this.control | this.pending) >>> 0;
  }

  /** The diagnostic LED bits last written (for the debugger). */
  ledBits(): number {
    return this.leds;
  }

  /** Reads byte lanes of the CSR word at offset 0; other offsets read 0. */
  read(offset: number, size: AccessSize): number {
    if (offset >= 4) return this.unimplemented(offset, size, 'read');
    const shift = (offset & 3) * 8;
    return ((this.value() >>> shift) & laneMask(size)) >>> 0;
  }

  /** Writes byte lanes of the CSR word; writes elsewhere are ignored. */
  write(offset: number, size: AccessSize, value: number): void {
    if (offset >= 4) { this.unimplemented(offset, size, 'write'); return; }
    const shift = (offset & 3) * 8;
    const mask = (laneMask(size) << shift) >>> 0;
    const v = ((value << shift) & mask) >>> 0;
    if (mask & Kn02Csr.LEDS) this.setLeds(v & Kn02Csr.LEDS);
    if (mask & Kn02Csr.CONTROL) this.control = (this.control & ~mask) | (v & Kn02Csr.CONTROL);
    if (mask & Kn02Csr.IOINTEN) {
      const enMask = (mask & Kn02Csr.IOINTEN) >>> Kn02Csr.IOINTEN_SHIFT;
      this.enable = (this.enable & ~enMask) | ((v >>> Kn02Csr.IOINTEN_SHIFT) & enMask);
    }
    this.update();
  }

  /** The CSR never needs time. */
  nextEvent(): number {
    return Infinity;
  }

  /** Nothing to do. */
  tick(_now: number): void {}

  /** Returns the registers and input levels. */
  save(): SysCsrState {
    return { control: this.control, enable: this.enable, leds: this.leds, pending: this.pending };
  }

  /** Restores a saved state and re-drives the output line to match it. */
  restore(state: unknown): void {
    const s = state as SysCsrState;
    this.control = s.control & Kn02Csr.CONTROL;
    this.enable = s.enable & 0xff;
    this.leds = s.leds & 0xff;
    this.pending = s.pending & 0xff;
    this.asserted = (this.pending & this.enable) !== 0;
    this.irq.set(this.asserted);
  }

  /** Drives input `bit` (CsrInput, the IrqLine `input` returns). */
  setPending(bit: number, level: boolean): void {
    this.pending = level ? this.pending | bit : this.pending & ~bit;
    this.update();
  }

  private setLeds(v: number): void {
    if (v === this.leds) return;
    this.leds = v;
    this.trace({ kind: 'syscsr-leds', cycle: this.clock.now(), leds: v });
  }

  /** Drives the output when (IOINT & IOINTEN) changes between zero and non-zero. */
  private update(): void {
    const level = (this.pending & this.enable) !== 0;
    if (level === this.asserted) return;
    this.asserted = level;
    this.irq.set(level);
  }

  private unimplemented(offset: number, size: AccessSize, access: 'read' | 'write'): number {
    this.trace({ kind: 'device-unimplemented', cycle: this.clock.now(), device: this.name, offset, size, access });
    return 0;
  }
}

/** Mask of the low `size` bytes. */
function laneMask(size: AccessSize): number {
  return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
}

/**
 * One input of the System CSR (`SysCsr.input`): a class, not a closure, so
 * that every machine's devices call the same `set` (machine.ts explains).
 */
class CsrInput implements IrqLine {
  constructor(private readonly csr: SysCsr, private readonly bit: number) {}
  set(level: boolean): void { this.csr.setPending(this.bit, level); }
}
