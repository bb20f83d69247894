// The Am7990 LANCE on the wire (lance.ts is the chip as the CPU sees it:
// its registers, SRAM window and ROMs): when the chip polls its transmit
// ring, how long a frame holds the wire, and what happens when a frame
// has left or has fully arrived. Formats of the rings and frames are in
// lance-ring.ts.
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
import type { Clock, IrqLine, TraceSink } from '../device.js';
import {
  addressMatch, crcRegister, descWord, LANCE_SRAM_SIZE, LanceMemory, LanceMode,
  releaseTx, RESET_INIT, scanTx, storeRx, Tmd1, withFcs, type InitBlock, type Ring,
} from './lance-ring.js';
import { zeroStats, type LanceStats } from './lance-state.js';

/** CSR0 bits. */
export const LanceCsr0 = {
  ERR: 0x8000, BABL: 0x4000, CERR: 0x2000, MISS: 0x1000, MERR: 0x0800, RINT: 0x0400, TINT: 0x0200, IDON: 0x0100,
  INTR: 0x0080, INEA: 0x0040, RXON: 0x0020, TXON: 0x0010, TDMD: 0x0008, STOP: 0x0004, STRT: 0x0002, INIT: 0x0001,
} as const;
const C0 = LanceCsr0;
/** The CSR0 bits that make INTR. */
export const INTR_SOURCES = C0.BABL | C0.MISS | C0.MERR | C0.RINT | C0.TINT | C0.IDON;

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
export interface Sending { data: Uint8Array; first: number; count: number; start: number; end: number }
/** A frame arriving: it is complete at `end`; `loop` marks a frame the chip looped back to itself. */
export interface Arrival { frame: Uint8Array; end: number; loop: boolean }

/** The LANCE's state and its side of the wire; Lance (lance.ts) adds the registers the CPU reads and writes. */
export abstract class LanceWire {
  /** Hear every frame the chip sends, without FCS, with the cycle it started on the wire (a Wire listens here). */
  readonly onTransmit = new Listeners<[frame: Uint8Array, cycle: number]>();
  /** Hear each frame as it starts (several machines on one segment use it; see TransmitStart). */
  readonly onTransmitStart = new Listeners<Parameters<TransmitStart>>();
  protected readonly clock: Clock;
  protected readonly irq: IrqLine;
  protected readonly trace: TraceSink;
  private readonly cpuHz: number;
  protected readonly pollCycles: number;
  protected readonly mem = new LanceMemory();
  /** CSR0 (without ERR and INTR, which are computed), CSR1, CSR2, CSR3. */
  protected csr: number[] = [C0.STOP, 0, 0, 0];
  protected init: InitBlock = RESET_INIT;
  protected rx: Ring = { base: 0, len: 1, pos: 0 };
  protected tx: Ring = { base: 0, len: 1, pos: 0 };
  protected sending: Sending | undefined;
  protected arriving: Arrival[] = [];
  /** The cycle the receive side of the wire is free for the next frame. */
  protected wireFree = 0;
  /** The last time the chip looked at the transmit ring; polls follow every pollCycles. */
  protected lastPoll = 0;
  /** The grid point at which the chip will find the descriptor the host handed over, or Infinity. */
  protected pendingPoll = Infinity;
  protected counters: LanceStats = zeroStats();
  protected irqLevel = false;

  /** The chip's wiring: clock, interrupt line, trace, clock rate and the first transmit listener. */
  constructor(opts: LanceOptions) {
    this.clock = opts.clock;
    this.irq = opts.irq;
    this.trace = opts.trace;
    this.cpuHz = opts.cpuHz ?? DEFAULT_CPU_HZ;
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

  /** The next frame end, arrival or transmit poll, or Infinity. */
  nextEvent(): number {
    return Math.min(this.sending?.end ?? Infinity, this.arriving[0]?.end ?? Infinity, this.pendingPoll);
  }

  /** Finishes every transmission, arrival and poll due by `now`. */
  tick(now: number): void {
    this.advance(now);
  }

  /** True when the transmitter is on and idle and its current descriptor is the chip's (or unreachable). */
  protected txWaiting(): boolean {
    if (!(this.csr[0] & C0.TXON) || this.sending) return false;
    const a = descWord(this.tx, this.tx.pos, 1);
    return a + 2 > LANCE_SRAM_SIZE || (this.mem.bytes[a + 1] & (Tmd1.OWN >>> 8)) !== 0;
  }

  /** Looks at the transmit ring at `t` and starts the next frame there, if any. */
  protected poll(t: number): void {
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
  protected memoryError(t: number, address: number, during: string): void {
    this.csr[0] = (this.csr[0] | C0.MERR) & ~(C0.RXON | C0.TXON);
    this.sending = undefined;
    this.pendingPoll = Infinity;
    this.counters.errors++;
    this.trace({ kind: 'lance-merr', cycle: t, address, during });
  }

  /** Runs every event due by `now` in time order (ties: transmit end, arrival, poll), then drives the line. */
  protected advance(now: number): void {
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

  protected updateIrq(): void {
    const level = (this.csr[0] & C0.INEA) !== 0 && (this.csr[0] & INTR_SOURCES) !== 0;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq.set(level);
  }
}
