// The Am7990 LANCE Ethernet controller on the KN02's built-in PMAD-AA
// (TURBOchannel slot 6, physical 0x1f800000; the window in pmad.ts). Register
// semantics from the Am7990 data sheet ("Control and Status Registers") as
// NetBSD sys/dev/ic/lancereg.h names the bits and MAME's
// src/devices/machine/am79c90.cpp quotes the sheet:
//
//   CSR0  INIT STRT STOP TDMD  read/write with one only; STOP clears every
//                              other bit, INIT and STRT clear STOP
//         INEA                 read/write
//         IDON TINT RINT MERR MISS CERR BABL   read, write one to clear
//         RXON TXON INTR ERR   read only; INTR = BABL|MISS|MERR|RINT|TINT|IDON,
//                              ERR = BABL|CERR|MISS|MERR
//   CSR1  IADR 15:0 (bit 0 ignored)    CSR2  IADR 23:16    CSR3  BSWP ACON BCON
//         (CSR1..3 are written only while STOP is set; otherwise ignored)
//
// The interrupt output is INEA && INTR. The SRAM formats are in lance-ring.ts.
//
// Timing (a decision, deterministic): the wire runs at 10 Mb/s; a frame of
// n bytes (FCS included) holds it for 8 preamble bytes + n bytes + the
// 96-bit interframe gap, (8(n + 8) + 96) bit times of 100 ns: at 25 MHz,
// 20(n + 8) + 240 cycles. Initialization is instantaneous (IDON is set by
// the write of INIT). Transmission starts at once on TDMD or STRT, else at
// the next point of the chip's 1.6 ms polling grid after the host hands a
// descriptor over; the frame reaches `onTransmit` when its last bit has left,
// and its descriptors are given back then. A frame put on the wire by
// `receive` is stored (or missed) when its last bit has arrived; frames queue
// on the wire back to back. Receive and transmit do not share the medium:
// collisions, deferrals and retries (CERR, DEF, ONE, MORE, RTRY) never happen.

import { Listeners } from '../listeners.js';
import type { AccessSize, Clock, Device, IrqLine, TraceSink } from '../device.js';
import {
  addressMatch, crcRegister, descWord, LANCE_SRAM_SIZE, LanceMemory, LanceMode, readInitBlock,
  releaseTx, RESET_INIT, scanTx, storeRx, Tmd1, withFcs, type InitBlock, type Ring,
} from './lance-ring.js';
import { base64, bytes, encodeSram, finite, resetState, zeroStats, type LanceState, type LanceStats } from './lance-state.js';
import { DEFAULT_MAC, macString, optionRomWord, PmadOffset, stationRom } from './pmad.js';

export type { LanceState, LanceStats } from './lance-state.js';

/** CSR0 bits. */
export const LanceCsr0 = {
  ERR: 0x8000, BABL: 0x4000, CERR: 0x2000, MISS: 0x1000, MERR: 0x0800, RINT: 0x0400, TINT: 0x0200, IDON: 0x0100,
  INTR: 0x0080, INEA: 0x0040, RXON: 0x0020, TXON: 0x0010, TDMD: 0x0008, STOP: 0x0004, STRT: 0x0002, INIT: 0x0001,
} as const;
/** CSR3 bits: byte swap, ALE control, byte control (the last two select pin behaviour only). */
export const LanceCsr3 = { BSWP: 0x0004, ACON: 0x0002, BCON: 0x0001 } as const;
const C0 = LanceCsr0;

const W1C = C0.BABL | C0.CERR | C0.MISS | C0.MERR | C0.RINT | C0.TINT | C0.IDON;
const INTR_SOURCES = C0.BABL | C0.MISS | C0.MERR | C0.RINT | C0.TINT | C0.IDON;
const ERR_SOURCES = C0.BABL | C0.CERR | C0.MISS | C0.MERR;

/** Longest frame `receive` takes (without FCS): RMD3's 12-bit count must hold it with the FCS. */
export const LANCE_MAX_FRAME = 4091;
/** Shortest frame the receiver keeps (without FCS); shorter ones are runts. */
export const LANCE_MIN_FRAME = 60;
/** A transmission longer than this, FCS included, is babble (data sheet, CSR0 BABL). */
const BABBLE_BYTES = 1518;
/** FCS register residue after a frame and its correct FCS. */
const FCS_RESIDUE = 0xdebb20e3;
const WIRE_BPS = 10_000_000;
const DEFAULT_CPU_HZ = 25_000_000;

/** Construction options of the LANCE. */
export interface LanceOptions {
  clock: Clock;
  /** The chip's interrupt output (the system CSR's LANCE input, 0x40). */
  irq: IrqLine;
  trace: TraceSink;
  /** CPU cycles per second (default 25 MHz). */
  cpuHz?: number;
  /** The station address in the address ROM (default DEFAULT_MAC). */
  mac?: readonly number[];
  /** Receives every frame the chip sends (without FCS) and the cycle it started on the wire. */
  onTransmit?: (frame: Uint8Array, cycle: number) => void;
}

/**
 * Hears a frame as its first bit goes on the wire: the frame as the host
 * sees it (no FCS), the cycle it starts and the cycle its last bit leaves.
 * Another station on the same segment has it whole at `end`.
 */
export type TransmitStart = (frame: Uint8Array, start: number, end: number) => void;

/** A frame being sent: its data, its descriptors, when it started and when it ends. */
interface Sending { data: Uint8Array; first: number; count: number; start: number; end: number }
/** A frame arriving: it is complete at `end`; `loop` marks a frame the chip looped back to itself. */
interface Arrival { frame: Uint8Array; end: number; loop: boolean }

/** The LANCE and its buffer SRAM and ROMs, as the PMAD-AA presents them. */
export class Lance implements Device {
  readonly name = 'lance';
  /** The station address in the address ROM. */
  readonly mac: readonly number[];
  /** Hear every frame the chip sends, without FCS, with the cycle it started on the wire (a Wire listens here). */
  readonly onTransmit = new Listeners<[frame: Uint8Array, cycle: number]>();
  /** Hear each frame as it starts (several machines on one segment use it; see TransmitStart). */
  readonly onTransmitStart = new Listeners<Parameters<TransmitStart>>();
  private readonly clock: Clock;
  private readonly irq: IrqLine;
  private readonly trace: TraceSink;
  private readonly cpuHz: number;
  private readonly esar: Uint8Array;
  private readonly pollCycles: number;
  private readonly mem = new LanceMemory();
  /** The SRAM's saved text as of `writes` writes (sramText). */
  private sramSaved: { writes: number; text: string | null } = { writes: -1, text: null };
  /** CSR0 (without ERR and INTR, which are computed), CSR1, CSR2, CSR3. */
  private csr = [C0.STOP, 0, 0, 0];
  private rap = 0;
  private init: InitBlock = RESET_INIT;
  private inited = false;
  private rx: Ring = { base: 0, len: 1, pos: 0 };
  private tx: Ring = { base: 0, len: 1, pos: 0 };
  private sending: Sending | undefined;
  private arriving: Arrival[] = [];
  /** The cycle the receive side of the wire is free for the next frame. */
  private wireFree = 0;
  /** The last time the chip looked at the transmit ring; polls follow every pollCycles. */
  private lastPoll = 0;
  /** The grid point at which the chip will find the descriptor the host handed over, or Infinity. */
  private pendingPoll = Infinity;
  private counters: LanceStats = zeroStats();
  private irqLevel = false;

  /** Creates the chip as after RESET: STOP set, interrupts off, the SRAM zeroed. Throws RangeError on a bad MAC. */
  constructor(opts: LanceOptions) {
    this.clock = opts.clock;
    this.irq = opts.irq;
    this.trace = opts.trace;
    this.cpuHz = opts.cpuHz ?? DEFAULT_CPU_HZ;
    this.mac = [...(opts.mac ?? DEFAULT_MAC)];
    this.esar = stationRom(this.mac);
    if (opts.onTransmit) this.onTransmit.add(opts.onTransmit);
    this.pollCycles = Math.round(this.cpuHz * 0.0016);
  }

  /**
   * Puts `frame` (destination first, no FCS) on the wire towards the chip
   * now, behind any frame still arriving. Whether it is stored, missed or
   * dropped is decided when it has fully arrived. Throws RangeError past
   * LANCE_MAX_FRAME bytes.
   */
  receive(frame: Uint8Array): void {
    if (frame.length > LANCE_MAX_FRAME) throw new RangeError(`Frame of ${frame.length} bytes is longer than the LANCE's ${LANCE_MAX_FRAME}`);
    const now = this.clock.now();
    this.advance(now);
    const end = Math.max(now, this.wireFree) + this.wireCycles(frame.length + 4);
    this.wireFree = end;
    this.enqueue({ frame: Uint8Array.from(frame), end, loop: false });
  }

  /**
   * A frame from another station on the segment whose last bit reaches the
   * chip at cycle `end` (its sender's end of transmission: the segment has
   * no propagation delay at this scale), behind any frame still arriving.
   * An `end` already past is taken as now. Throws RangeError past
   * LANCE_MAX_FRAME bytes.
   */
  receiveAt(frame: Uint8Array, end: number): void {
    if (frame.length > LANCE_MAX_FRAME) throw new RangeError(`Frame of ${frame.length} bytes is longer than the LANCE's ${LANCE_MAX_FRAME}`);
    const now = this.clock.now();
    this.advance(now);
    const at = Math.max(end, now, this.wireFree + this.wireCycles(frame.length + 4));
    this.wireFree = at;
    this.enqueue({ frame: Uint8Array.from(frame), end: at, loop: false });
  }

  /** Cycles a frame of `bytes` bytes (FCS included) holds the wire, preamble and interframe gap included. */
  wireCycles(bytes: number): number {
    return Math.ceil((((bytes + 8) * 8 + 96) * this.cpuHz) / WIRE_BPS);
  }

  /** The counters since power-on (a copy). */
  stats(): LanceStats {
    return { ...this.counters };
  }

  /** CSR0..CSR3 and RAP as the CPU would read them (for the debugger). */
  registers(): { csr: number[]; rap: number } {
    return { csr: [this.csr0(), this.csr[1], this.csr[2], this.csr[3]], rap: this.rap };
  }

  /** A copy of `length` SRAM bytes at `offset`, clipped to the SRAM (for the debugger and tests). */
  peekSram(offset: number, length: number): Uint8Array {
    return this.mem.bytes.slice(Math.max(0, offset), Math.min(LANCE_SRAM_SIZE, offset + length));
  }

  /** Reads the SRAM, the register ports or a ROM; anything else reads 0 with an event. */
  read(offset: number, size: AccessSize): number {
    if (offset < PmadOffset.SRAM_WINDOW_END) {
      return offset + size <= LANCE_SRAM_SIZE ? this.readSram(offset, size) : this.unimplemented(offset, size, 'read');
    }
    if (offset < PmadOffset.REG_WINDOW_END) return this.readPort(offset, size);
    if (offset >= PmadOffset.ESAR && offset < PmadOffset.ESAR_END) {
      return lanes(this.esar[((offset - PmadOffset.ESAR) >>> 2) % this.esar.length] * 0x01010101, offset, size);
    }
    if (offset >= PmadOffset.OPTION_ROM) return lanes(optionRomWord(offset - PmadOffset.OPTION_ROM), offset, size);
    return this.unimplemented(offset, size, 'read');
  }

  /** Writes the SRAM or a register port; the ROMs and undecoded space ignore writes with an event. */
  write(offset: number, size: AccessSize, value: number): void {
    if (offset + size <= LANCE_SRAM_SIZE) { this.writeSram(offset, size, value); return; }
    if (offset >= PmadOffset.RDP && offset < PmadOffset.REG_WINDOW_END) { this.writePort(offset, size, value); return; }
    this.unimplemented(offset, size, 'write');
  }

  /** The next frame end, arrival or transmit poll, or Infinity. */
  nextEvent(): number {
    return Math.min(this.sending?.end ?? Infinity, this.arriving[0]?.end ?? Infinity, this.pendingPoll);
  }

  /** Finishes every transmission, arrival and poll due by `now`. */
  tick(now: number): void {
    this.advance(now);
  }

  /** Returns registers, ring state, frames in flight, counters and the SRAM. */
  save(): LanceState {
    const s = this.sending;
    return {
      csr: [...this.csr], rap: this.rap, init: this.init, inited: this.inited, rxPos: this.rx.pos, txPos: this.tx.pos,
      sending: s ? { data: base64(s.data), first: s.first, count: s.count, start: s.start, end: s.end } : null,
      arriving: this.arriving.map((a) => ({ frame: base64(a.frame), end: a.end, loop: a.loop })),
      wireFree: this.wireFree, lastPoll: this.lastPoll, pendingPoll: finite(this.pendingPoll),
      stats: { ...this.counters }, irq: this.irqLevel, sram: this.sramText(),
    };
  }

  /** The SRAM as saved (encodeSram), encoded again only after a write: checkpoints save it often, and it rarely changes. */
  private sramText(): string | null {
    if (this.sramSaved.writes !== this.mem.writes) this.sramSaved = { writes: this.mem.writes, text: encodeSram(this.mem.bytes) };
    return this.sramSaved.text;
  }

  /** Restores a saved state (undefined: the state after RESET) and re-drives the interrupt line. */
  restore(state: unknown): void {
    const s = (state as LanceState | undefined) ?? resetState(C0.STOP);
    this.csr = [...s.csr];
    this.rap = s.rap;
    this.init = s.init;
    this.inited = s.inited;
    this.rx = { base: s.init.rdra, len: s.init.rlen, pos: s.rxPos };
    this.tx = { base: s.init.tdra, len: s.init.tlen, pos: s.txPos };
    this.sending = s.sending ? { ...s.sending, data: bytes(s.sending.data) } : undefined;
    this.arriving = s.arriving.map((a) => ({ frame: bytes(a.frame), end: a.end, loop: a.loop }));
    this.wireFree = s.wireFree;
    this.lastPoll = s.lastPoll;
    this.pendingPoll = s.pendingPoll ?? Infinity;
    this.counters = { ...s.stats };
    this.mem.bytes.fill(0);
    if (s.sram) this.mem.bytes.set(bytes(s.sram).subarray(0, LANCE_SRAM_SIZE));
    this.mem.writes++;
    this.mem.bswp = (this.csr[3] & LanceCsr3.BSWP) !== 0;
    this.irqLevel = s.irq;
    this.irq.set(this.irqLevel);
  }

  private readSram(offset: number, size: AccessSize): number {
    const b = this.mem.bytes;
    if (size === 1) return b[offset];
    if (size === 2) return b[offset] | (b[offset + 1] << 8);
    return (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) >>> 0;
  }

  /** A CPU store into the SRAM; when it hands a transmit descriptor over, the next poll is scheduled. */
  private writeSram(offset: number, size: AccessSize, value: number): void {
    const b = this.mem.bytes;
    this.mem.writes++;
    for (let i = 0; i < size; i++) b[offset + i] = (value >>> (8 * i)) & 0xff;
    if (this.pendingPoll === Infinity && this.txWaiting()) {
      const now = this.clock.now();
      const k = Math.max(1, Math.ceil((now - this.lastPoll) / this.pollCycles));
      this.pendingPoll = this.lastPoll + k * this.pollCycles;
    }
  }

  /** True when the transmitter is on and idle and its current descriptor is the chip's (or unreachable). */
  private txWaiting(): boolean {
    if (!(this.csr[0] & C0.TXON) || this.sending) return false;
    const a = descWord(this.tx, this.tx.pos, 1);
    return a + 2 > LANCE_SRAM_SIZE || (this.mem.bytes[a + 1] & (Tmd1.OWN >>> 8)) !== 0;
  }

  /** RDP or RAP: 16 bits in byte lanes 1:0 of the word; other lanes are not decoded. */
  private readPort(offset: number, size: AccessSize): number {
    if ((offset & 3) !== 0) return this.unimplemented(offset, size, 'read');
    this.advance(this.clock.now());
    const v = (offset & 4) ? this.rap : this.rap === 0 ? this.csr0() : this.csr[this.rap];
    return size === 1 ? v & 0xff : v;
  }

  private writePort(offset: number, size: AccessSize, value: number): void {
    if ((offset & 3) !== 0) { this.unimplemented(offset, size, 'write'); return; }
    const now = this.clock.now();
    this.advance(now);
    const v = value & (size === 1 ? 0xff : 0xffff);
    if (offset & 4) this.rap = v & 3;
    else if (this.rap === 0) this.writeCsr0(v, now);
    else this.writeCsr(this.rap, v, now);
    this.updateIrq();
  }

  /** CSR0 as read: the stored bits with INTR and ERR computed. */
  private csr0(): number {
    const c = this.csr[0];
    return c | ((c & INTR_SOURCES) ? C0.INTR : 0) | ((c & ERR_SOURCES) ? C0.ERR : 0);
  }

  /** CSR0 write: STOP overrides everything; else INEA, the clears, INIT, STRT, TDMD in that order. */
  private writeCsr0(v: number, now: number): void {
    if (v & C0.STOP) { this.stop(now); return; }
    this.csr[0] = ((this.csr[0] & ~C0.INEA) | (v & C0.INEA)) & ~(v & W1C);
    if (v & C0.INIT) this.initialize(now);
    if ((v & C0.STRT) && !(this.csr[0] & C0.STRT)) this.start(now);
    if ((v & C0.TDMD) && (this.csr[0] & C0.TXON)) { this.csr[0] |= C0.TDMD; this.poll(now); }
  }

  /** CSR1..3 take writes only while STOP is set (data sheet); CSR2 keeps IADR 23:16, CSR3 its three bits. */
  private writeCsr(n: number, v: number, now: number): void {
    if (!(this.csr[0] & C0.STOP)) {
      this.trace({ kind: 'lance-csr-ignored', cycle: now, csr: n, value: v, reason: 'STOP is clear' });
      return;
    }
    this.csr[n] = n === 2 ? v & 0xff : n === 3 ? v & (LanceCsr3.BSWP | LanceCsr3.ACON | LanceCsr3.BCON) : v;
    if (n === 3) this.mem.bswp = (v & LanceCsr3.BSWP) !== 0;
  }

  /** STOP: all external activity ends; every CSR0 bit but STOP clears; a frame being sent is abandoned. */
  private stop(now: number): void {
    if (this.sending) this.trace({ kind: 'lance-tx-aborted', cycle: now, length: this.sending.data.length });
    this.csr[0] = C0.STOP;
    this.sending = undefined;
    this.pendingPoll = Infinity;
    this.trace({ kind: 'lance-stop', cycle: now });
  }

  /** INIT: reads the init block at IADR (only while stopped), then IDON; MERR when it is outside the SRAM. */
  private initialize(now: number): void {
    if (!(this.csr[0] & C0.STOP)) {
      this.trace({ kind: 'lance-init-ignored', cycle: now, reason: 'STOP is clear' });
      return;
    }
    const iadr = ((this.csr[2] & 0xff) << 16) | (this.csr[1] & 0xfffe);
    this.mem.fault = -1;
    const ib = readInitBlock(this.mem, iadr);
    if (this.mem.fault >= 0) { this.memoryError(now, this.mem.fault, 'init block'); return; }
    this.init = ib;
    this.inited = true;
    this.rx = { base: ib.rdra, len: ib.rlen, pos: 0 };
    this.tx = { base: ib.tdra, len: ib.tlen, pos: 0 };
    this.csr[0] = (this.csr[0] & ~C0.STOP) | C0.INIT | C0.IDON;
    this.trace({ kind: 'lance-init', cycle: now, iadr, mode: ib.mode, rdra: ib.rdra, rlen: ib.rlen, tdra: ib.tdra, tlen: ib.tlen, padr: macString(ib.padr) });
  }

  /** STRT: the receiver and transmitter come on unless the mode disables them; the transmit ring is polled. */
  private start(now: number): void {
    if (!this.inited) this.trace({ kind: 'lance-start-uninitialized', cycle: now });
    const mode = this.init.mode;
    this.csr[0] = (this.csr[0] & ~C0.STOP) | C0.STRT
      | ((mode & LanceMode.DRX) ? 0 : C0.RXON) | ((mode & LanceMode.DTX) ? 0 : C0.TXON);
    this.trace({ kind: 'lance-start', cycle: now, rxon: !(mode & LanceMode.DRX), txon: !(mode & LanceMode.DTX) });
    this.poll(now);
  }

  /** Looks at the transmit ring at `t` and starts the next frame there, if any. */
  private poll(t: number): void {
    this.csr[0] &= ~C0.TDMD;
    this.lastPoll = t;
    this.pendingPoll = Infinity;
    if (!(this.csr[0] & C0.TXON) || this.sending) return;
    this.mem.fault = -1;
    const r = scanTx(this.mem, this.tx);
    if (r.kind !== 'merr' && r.skipped > 0) this.trace({ kind: 'lance-tx-skipped', cycle: t, descriptors: r.skipped, reason: 'OWN without STP' });
    if (r.kind === 'merr') this.memoryError(t, r.address, 'transmit');
    else if (r.kind === 'buffer-error') {
      this.csr[0] = (this.csr[0] | C0.TINT) & ~C0.TXON;
      this.counters.errors++;
      this.trace({ kind: 'lance-tx-buffer-error', cycle: t, descriptor: r.first, descriptors: r.count });
    } else if (r.kind === 'frame') {
      const wire = r.data.length + ((this.init.mode & LanceMode.DTCR) ? 0 : 4);
      this.sending = { data: r.data, first: r.first, count: r.count, start: t, end: t + this.wireCycles(wire) };
      if (this.onTransmitStart.size !== 0 && !((this.init.mode & LanceMode.LOOP) && (this.init.mode & LanceMode.INTL))) {
        const host = (this.init.mode & LanceMode.DTCR) ? r.data.slice(0, Math.max(0, r.data.length - 4)) : Uint8Array.from(r.data);
        this.onTransmitStart.emit(host, t, this.sending.end);
      }
    }
  }

  /** The frame being sent has left: descriptors back, TINT, the ring is polled again, then the host gets it. */
  private finishTx(t: number): void {
    const s = this.sending!;
    this.sending = undefined;
    this.mem.fault = -1;
    releaseTx(this.mem, this.tx, s.first, s.count);
    if (this.mem.fault >= 0) { this.memoryError(t, this.mem.fault, 'transmit'); return; }
    this.csr[0] |= C0.TINT;
    const frame = this.frameOnWire(s, t);
    this.counters.transmitted++;
    this.trace({ kind: 'lance-tx', cycle: t, start: s.start, length: frame.length, descriptors: s.count });
    const mode = this.init.mode;
    if (mode & LanceMode.LOOP) this.enqueue({ frame: Uint8Array.from(frame), end: t, loop: true });
    this.poll(t);
    if (!((mode & LanceMode.LOOP) && (mode & LanceMode.INTL))) this.onTransmit.emit(frame, s.start);
  }

  /** The frame as the host sees it (no FCS); flags babble and, with DTCR, a wrong host-made FCS. */
  private frameOnWire(s: Sending, t: number): Uint8Array {
    const dtcr = (this.init.mode & LanceMode.DTCR) !== 0;
    const bytes = s.data.length + (dtcr ? 0 : 4);
    if (bytes > BABBLE_BYTES) {
      this.csr[0] |= C0.BABL;
      this.trace({ kind: 'lance-babble', cycle: t, length: bytes });
    }
    if (!dtcr) return s.data;
    if (s.data.length < 4 || crcRegister(s.data) !== FCS_RESIDUE) this.trace({ kind: 'lance-tx-bad-fcs', cycle: t, length: s.data.length });
    return s.data.slice(0, Math.max(0, s.data.length - 4));
  }

  /** A frame has fully arrived: drop, filter, miss or store it (data sheet, "Receive"). */
  private finishRx(t: number): void {
    const a = this.arriving.shift()!;
    const mode = this.init.mode, f = a.frame;
    let drop = '';
    if (!(this.csr[0] & C0.RXON)) drop = 'receiver off';
    else if (!a.loop && (mode & LanceMode.LOOP) && (mode & LanceMode.INTL)) drop = 'internal loopback';
    else if (!a.loop && f.length < LANCE_MIN_FRAME) drop = 'runt';
    if (drop) { this.counters.dropped++; this.trace({ kind: 'lance-rx-dropped', cycle: t, length: f.length, reason: drop }); return; }
    if (!addressMatch(this.init, f)) { this.counters.filtered++; this.trace({ kind: 'lance-rx-filtered', cycle: t, length: f.length }); return; }
    this.mem.fault = -1;
    const r = storeRx(this.mem, this.rx, withFcs(f));
    if (r.kind === 'miss') {
      this.csr[0] |= C0.MISS;
      this.counters.missed++;
      this.trace({ kind: 'lance-miss', cycle: t, length: f.length, descriptor: this.rx.pos });
    } else if (r.kind === 'merr') this.memoryError(t, r.address, 'receive');
    else {
      this.csr[0] |= C0.RINT;
      if (r.kind === 'stored') this.counters.received++; else this.counters.errors++;
      this.trace({ kind: r.kind === 'stored' ? 'lance-rx' : 'lance-rx-buffer-error', cycle: t, length: f.length, descriptors: r.count });
    }
  }

  /** MERR: the chip reached past the SRAM; the receiver and transmitter turn off (data sheet, CSR0 MERR). */
  private memoryError(t: number, address: number, during: string): void {
    this.csr[0] = (this.csr[0] | C0.MERR) & ~(C0.RXON | C0.TXON);
    this.sending = undefined;
    this.pendingPoll = Infinity;
    this.counters.errors++;
    this.trace({ kind: 'lance-merr', cycle: t, address, during });
  }

  /** Runs every event due by `now` in time order (ties: transmit end, arrival, poll), then drives the line. */
  private advance(now: number): void {
    for (;;) {
      const t = this.nextEvent();
      if (t > now) break;
      if (this.sending && this.sending.end === t) this.finishTx(t);
      else if (this.arriving.length > 0 && this.arriving[0].end === t) this.finishRx(t);
      else this.poll(t);
    }
    this.updateIrq();
  }

  /** Inserts an arrival after every one that ends no later. */
  private enqueue(a: Arrival): void {
    let i = this.arriving.length;
    while (i > 0 && this.arriving[i - 1].end > a.end) i--;
    this.arriving.splice(i, 0, a);
  }

  private updateIrq(): void {
    const level = (this.csr[0] & C0.INEA) !== 0 && (this.csr[0] & INTR_SOURCES) !== 0;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq.set(level);
  }

  private unimplemented(offset: number, size: AccessSize, access: 'read' | 'write'): number {
    this.trace({ kind: 'device-unimplemented', cycle: this.clock.now(), device: this.name, offset, size, access });
    return 0;
  }
}

/** Bytes `offset & 3` .. of the aligned word `word`, `size` of them. */
function lanes(word: number, offset: number, size: AccessSize): number {
  const v = word >>> ((offset & 3) * 8);
  return size === 4 ? v >>> 0 : size === 2 ? v & 0xffff : v & 0xff;
}
