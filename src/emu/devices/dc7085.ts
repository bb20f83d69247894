// The DC7085 four-line serial controller (a DZ11 on a chip) of the KN02 at
// physical 0x1fe00000; line 3 is the console. Register and bit layout from
// NetBSD sys/dev/dec/dcreg.h (after Sprite's dc7085.h); behaviour after
// GXemul src/devices/dev_dc7085.cc and the DZ11 description in
// Linux drivers/tty/serial/dz.h:
//
//   +0x00  CSR       TRDY 0x8000, TIE 0x4000, TLINE 9:8, RDONE 0x80, RIE 0x40,
//                    MSE 0x20, CLR 0x10, MAINT 0x08
//   +0x08  RBUF (r)  DVAL 0x8000, OERR 0x4000, FERR, PERR, line 9:8, char 7:0
//          LPR (w)   RXENAB 0x1000, speed 11:8, parity, stop, length, line 1:0
//   +0x10  TCR       line enables 3:0, DTR/RTS of lines 2 and 3
//   +0x18  MSR (r)   modem status of lines 2 and 3; TDR (w) character 7:0
//
// Registers are 16 bits wide, 8 bytes apart (NetBSD declares them u_short
// with padding and accesses them as halfwords; GXemul decodes the offset and
// ignores the width). Here a 2- or 4-byte access at the register's offset
// reads the 16-bit value zero-extended; a byte access reaches the low
// (offset +0) or high (+1) byte. The 32-byte window repeats.
//
// Timing (a decision, kept deterministic): a character takes the time its
// line's LPR speed and format give, 10 bit times for 9600 8N1, about 26,042
// cycles at 25 MHz. A byte written to TDR reaches `onTransmit` at once; its
// line's transmitter stays busy for one character time, and TRDY comes back
// for it after that, so a guest that polls TRDY or takes TIE interrupts
// sees a real line's pace. Host input to `input()` goes onto the line's
// "wire" and enters the silo one character time apart, so a pasted line
// does not overrun a 64-entry silo unless the guest stops reading.

import type { AccessSize, Clock, Device, IrqLine, TraceSink } from '../device.js';

/** Register offsets. */
export const DcReg = { CSR: 0x00, RBUF: 0x08, LPR: 0x08, TCR: 0x10, MSR: 0x18, TDR: 0x18 } as const;
/** CSR bits. */
export const DcCsr = {
  TRDY: 0x8000, TIE: 0x4000, TLINE: 0x0300, TLINE_SHIFT: 8,
  RDONE: 0x0080, RIE: 0x0040, MSE: 0x0020, CLR: 0x0010, MAINT: 0x0008,
} as const;
/** RBUF bits. */
export const DcRbuf = { DVAL: 0x8000, OERR: 0x4000, FERR: 0x2000, PERR: 0x1000, LINE_SHIFT: 8, CHAR: 0x00ff } as const;
/** LPR bits. */
export const DcLpr = {
  RXENAB: 0x1000, SPEED: 0x0f00, SPEED_SHIFT: 8, B9600: 0x0e00, ODDPAR: 0x0080,
  PARENB: 0x0040, STOP2: 0x0020, LEN: 0x0018, LEN_SHIFT: 3, LEN8: 0x0018, LINE: 0x0003,
} as const;
/** TCR bits. */
export const DcTcr = { EN0: 0x01, EN1: 0x02, EN2: 0x04, EN3: 0x08, DTR3: 0x100, RTS3: 0x200, DTR2: 0x400, RTS2: 0x800 } as const;
/** MSR bits. */
export const DcMsr = { CTS3: 0x01, DSR3: 0x02, CD3: 0x04, RI3: 0x08, CTS2: 0x100, DSR2: 0x200, CD2: 0x400, RI2: 0x800 } as const;

/** The console line of the 5000/200. */
export const DC_CONSOLE_LINE = 3;
/** Number of lines. */
export const DC_LINES = 4;
/** Entries in the receive silo (FIFO). */
export const DC_SILO_SIZE = 64;
/** Bytes of address space the chip decodes; the window repeats. */
export const DC_WINDOW = 0x20;

/** Line speeds by LPR speed code, in half-baud so that 134.5 is an integer. */
const HALF_BAUD = [100, 150, 220, 269, 300, 600, 1200, 2400, 3600, 4000, 4800, 7200, 9600, 14400, 19200, 38400];
/** MSR as GXemul reports it: data set ready and carrier on lines 2 and 3. */
const MSR_VALUE = DcMsr.DSR2 | DcMsr.CD2 | DcMsr.DSR3 | DcMsr.CD3;
/** CSR bits the guest writes. */
const CSR_WRITABLE = DcCsr.TIE | DcCsr.RIE | DcCsr.MSE | DcCsr.MAINT;
const DEFAULT_CPU_HZ = 25_000_000;

/** Construction options of the serial controller. */
export interface Dc7085Options {
  clock: Clock;
  /** The chip's interrupt output (the system CSR's serial input, 0x80). */
  irq: IrqLine;
  trace: TraceSink;
  /** Receives every byte written to TDR, with its line (3 = console). */
  onTransmit: (line: number, byte: number) => void;
  /** CPU cycles per second (default 25 MHz). */
  cpuHz?: number;
  /** Fixed cycles per character on every line, overriding the LPR speed; 0 = instantaneous. */
  charCycles?: number;
}

/** Bytes waiting on one line's wire and the cycle the first one arrives. */
interface Wire { bytes: number[]; next: number }

/** Saved state of the serial controller. */
export interface Dc7085State {
  csr: number; txReady: boolean; txLine: number; scan: number;
  lpr: number[]; tcr: number; silo: number[]; busyUntil: number[];
  wires: Wire[]; irq: boolean;
}

/** The DC7085: four lines, a shared 64-entry receive silo, one interrupt. */
export class Dc7085 implements Device {
  readonly name = 'dc7085';
  private readonly clock: Clock;
  private readonly irq: IrqLine;
  private readonly trace: TraceSink;
  private readonly onTransmit: (line: number, byte: number) => void;
  private readonly cpuHz: number;
  private readonly fixedCharCycles: number | undefined;
  /** TIE | RIE | MSE | MAINT as written. */
  private csr = 0;
  /** TRDY, and the line it was raised for (TLINE), latched until TDR or TCR is written. */
  private txReady = false;
  private txLine = 0;
  /** Where the transmit scanner looks next (round robin, as the DZ11 scans). */
  private scan = 0;
  private lpr = [0, 0, 0, 0];
  private tcr = 0;
  private silo: number[] = [];
  private busyUntil = [0, 0, 0, 0];
  private wires: Wire[] = [0, 1, 2, 3].map(() => ({ bytes: [], next: 0 }));
  private irqLevel = false;

  /**
   * Creates the chip as the PROM leaves it: scanning (MSE), line 3 at 9600 8N1
   * with its receiver and transmitter enabled, interrupts disabled.
   */
  constructor(opts: Dc7085Options) {
    this.clock = opts.clock;
    this.irq = opts.irq;
    this.trace = opts.trace;
    this.onTransmit = opts.onTransmit;
    this.cpuHz = opts.cpuHz ?? DEFAULT_CPU_HZ;
    this.fixedCharCycles = opts.charCycles;
    this.csr = DcCsr.MSE;
    this.lpr[DC_CONSOLE_LINE] = DcLpr.RXENAB | DcLpr.B9600 | DcLpr.LEN8 | DC_CONSOLE_LINE;
    this.tcr = DcTcr.EN3;
    this.refresh(this.clock.now());
  }

  /**
   * Puts `bytes` on `line`'s wire; they enter the silo one character time
   * apart. Throws RangeError for a line outside 0..3.
   */
  input(line: number, bytes: Uint8Array | readonly number[] | string): void {
    if (!Number.isInteger(line) || line < 0 || line >= DC_LINES) throw new RangeError(`DC7085 has no line ${line}`);
    const now = this.clock.now();
    this.refresh(now);
    const w = this.wires[line];
    if (w.bytes.length === 0) w.next = now + this.charCycles(line);
    const list = typeof bytes === 'string' ? Array.from(bytes, (ch) => ch.charCodeAt(0)) : Array.from(bytes);
    for (const b of list) w.bytes.push(b & 0xff);
    this.refresh(now);
    this.updateIrq();
  }

  /**
   * Returns the oldest received byte of `line` from the silo and removes it,
   * or -1 when there is none (the PROM's getchar polls the chip like this).
   */
  pollReceive(line: number): number {
    this.refresh(this.clock.now());
    const i = this.silo.findIndex((e) => ((e >>> DcRbuf.LINE_SHIFT) & 3) === line);
    if (i < 0) return -1;
    const [entry] = this.silo.splice(i, 1);
    this.updateIrq();
    return entry & DcRbuf.CHAR;
  }

  /** Reads a register (see the table above); RBUF reads pop the silo. */
  read(offset: number, size: AccessSize): number {
    const off = offset % DC_WINDOW, lane = off & 7, reg = off & 0x18;
    if (lane > 1 || (lane === 1 && size !== 1)) return this.unimplemented(offset, size, 'read');
    this.refresh(this.clock.now());
    let v: number;
    if (reg === DcReg.CSR) v = this.csrValue();
    else if (reg === DcReg.RBUF) v = lane === 0 ? this.popSilo() : (this.silo[0] ?? 0);
    else if (reg === DcReg.TCR) v = this.tcr;
    else v = MSR_VALUE;
    this.updateIrq();
    return lane === 1 ? (v >>> 8) & 0xff : size === 1 ? v & 0xff : v;
  }

  /**
   * Writes a register. A byte write keeps the other byte of CSR and TCR; the
   * write-only LPR and TDR take 0 there (a byte write to TDR+1 sends nothing).
   */
  write(offset: number, size: AccessSize, value: number): void {
    const off = offset % DC_WINDOW, lane = off & 7, reg = off & 0x18;
    if (lane > 1 || (lane === 1 && size !== 1)) { this.unimplemented(offset, size, 'write'); return; }
    const now = this.clock.now();
    this.refresh(now);
    const keep = (old: number) => (lane === 1 ? (old & 0xff) | ((value & 0xff) << 8)
      : size === 1 ? (old & 0xff00) | (value & 0xff) : value & 0xffff);
    if (reg === DcReg.CSR) this.writeCsr(keep(this.csrValue()));
    else if (reg === DcReg.LPR) { const v = keep(0); this.lpr[v & DcLpr.LINE] = v; }
    else if (reg === DcReg.TCR) { this.tcr = keep(this.tcr); this.txReady = false; }
    else if (lane === 0) this.transmit(value & 0xff, now); // TDR; break bits 11:8 are not modeled
    this.refresh(now);
    this.updateIrq();
  }

  /**
   * The next cycle that can raise the interrupt: a character arriving while
   * RIE is set, or a busy enabled transmitter freeing up while TIE is set.
   */
  nextEvent(): number {
    if (!(this.csr & DcCsr.MSE)) return Infinity;
    let next = Infinity;
    if (this.csr & DcCsr.RIE) {
      for (const w of this.wires) if (w.bytes.length > 0) next = Math.min(next, w.next);
    }
    if ((this.csr & DcCsr.TIE) && !this.txReady) {
      for (let l = 0; l < DC_LINES; l++) if (this.tcr & (1 << l)) next = Math.min(next, this.busyUntil[l]);
    }
    return next;
  }

  /** Delivers arrivals and runs the transmit scanner up to `now`. */
  tick(now: number): void {
    this.refresh(now);
    this.updateIrq();
  }

  /** Returns every register, the silo, the wires and the transmitters' timers. */
  save(): Dc7085State {
    return {
      csr: this.csr, txReady: this.txReady, txLine: this.txLine, scan: this.scan,
      lpr: [...this.lpr], tcr: this.tcr, silo: [...this.silo], busyUntil: [...this.busyUntil],
      wires: this.wires.map((w) => ({ bytes: [...w.bytes], next: w.next })), irq: this.irqLevel,
    };
  }

  /** Restores a saved state and re-drives the interrupt line to match it. */
  restore(state: unknown): void {
    const s = state as Dc7085State;
    this.csr = s.csr; this.txReady = s.txReady; this.txLine = s.txLine; this.scan = s.scan;
    this.lpr = [...s.lpr]; this.tcr = s.tcr; this.silo = [...s.silo]; this.busyUntil = [...s.busyUntil];
    this.wires = s.wires.map((w) => ({ bytes: [...w.bytes], next: w.next }));
    this.irqLevel = s.irq;
    this.irq.set(this.irqLevel);
  }

  /** Cycles one character takes on `line` at its LPR speed and format. */
  charCycles(line: number): number {
    if (this.fixedCharCycles !== undefined) return this.fixedCharCycles;
    const lpr = this.lpr[line];
    const dataBits = 5 + ((lpr & DcLpr.LEN) >> DcLpr.LEN_SHIFT);
    const bits = 1 + dataBits + ((lpr & DcLpr.PARENB) ? 1 : 0) + ((lpr & DcLpr.STOP2) ? 2 : 1);
    return Math.ceil((this.cpuHz * bits * 2) / HALF_BAUD[(lpr & DcLpr.SPEED) >> DcLpr.SPEED_SHIFT]);
  }

  private csrValue(): number {
    const mse = (this.csr & DcCsr.MSE) !== 0;
    return this.csr
      | (mse && this.txReady ? DcCsr.TRDY : 0)
      | (this.txLine << DcCsr.TLINE_SHIFT)
      | (mse && this.silo.length > 0 ? DcCsr.RDONE : 0);
  }

  /** CLR is a master clear: silo, line parameters, TCR and CSR return to zero. */
  private writeCsr(v: number): void {
    if (v & DcCsr.CLR) {
      this.csr = 0; this.silo = []; this.lpr = [0, 0, 0, 0]; this.tcr = 0;
      this.txReady = false; this.scan = 0; this.busyUntil = [0, 0, 0, 0];
      return;
    }
    this.csr = v & CSR_WRITABLE;
    if (!(this.csr & DcCsr.MSE)) this.txReady = false;
  }

  /** TDR: sends on TLINE. Without TRDY the byte still goes out (as GXemul does), with an event. */
  private transmit(byte: number, now: number): void {
    const line = this.txLine;
    if (!this.txReady) {
      this.trace({ kind: 'dc7085-tdr-not-ready', cycle: now, line, byte });
    }
    this.onTransmit(line, byte);
    this.busyUntil[line] = now + this.charCycles(line);
    this.txReady = false;
    this.scan = (line + 1) % DC_LINES;
  }

  private popSilo(): number {
    return this.silo.shift() ?? 0;
  }

  /** Moves arrivals up to `now` into the silo in time order, then scans for TRDY. */
  private refresh(now: number): void {
    for (;;) {
      let line = -1;
      for (let l = 0; l < DC_LINES; l++) {
        const w = this.wires[l];
        if (w.bytes.length > 0 && w.next <= now && (line < 0 || w.next < this.wires[line].next)) line = l;
      }
      if (line < 0) break;
      const w = this.wires[line];
      this.arrive(line, w.bytes.shift()!, w.next);
      w.next += this.charCycles(line);
    }
    this.scanTransmitters(now);
  }

  /**
   * One character reaches the receiver. It is lost when the scanner is off
   * or the line's receiver disabled; when the silo is full it is lost and
   * OERR is set on the newest entry in the silo (our choice of where the
   * DZ11's overrun flag lands).
   */
  private arrive(line: number, byte: number, at: number): void {
    if (!(this.csr & DcCsr.MSE) || !(this.lpr[line] & DcLpr.RXENAB)) {
      this.trace({ kind: 'dc7085-rx-dropped', cycle: at, line, byte, reason: 'receiver disabled' });
      return;
    }
    if (this.silo.length >= DC_SILO_SIZE) {
      this.silo[this.silo.length - 1] |= DcRbuf.OERR;
      this.trace({ kind: 'dc7085-rx-dropped', cycle: at, line, byte, reason: 'silo overrun' });
      return;
    }
    this.silo.push(DcRbuf.DVAL | (line << DcRbuf.LINE_SHIFT) | byte);
  }

  /** Raises TRDY for the next enabled line whose transmitter is idle. */
  private scanTransmitters(now: number): void {
    if (this.txReady || !(this.csr & DcCsr.MSE)) return;
    for (let i = 0; i < DC_LINES; i++) {
      const l = (this.scan + i) % DC_LINES;
      if ((this.tcr & (1 << l)) && this.busyUntil[l] <= now) {
        this.txReady = true;
        this.txLine = l;
        return;
      }
    }
  }

  private updateIrq(): void {
    const v = this.csrValue();
    const level = ((v & DcCsr.TRDY) !== 0 && (v & DcCsr.TIE) !== 0)
      || ((v & DcCsr.RDONE) !== 0 && (v & DcCsr.RIE) !== 0);
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq.set(level);
  }

  private unimplemented(offset: number, size: AccessSize, access: 'read' | 'write'): number {
    this.trace({ kind: 'device-unimplemented', cycle: this.clock.now(), device: this.name, offset, size, access });
    return 0;
  }
}
