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
// The wire side (polling, frame timing, transmit and receive) is
// lance-wire.ts.

import type { AccessSize, Device } from '../device.js';
import { LANCE_SRAM_SIZE, LanceMode, readInitBlock, SRAM_CHUNK } from './lance-ring.js';
import { base64, bytes, decodeSram, encodeChunk, finite, resetState, type LanceState, type SramChunks } from './lance-state.js';
import { INTR_SOURCES, LanceCsr0, LanceWire, type LanceOptions } from './lance-wire.js';
import { DEFAULT_MAC, macString, optionRomWord, PmadOffset, stationRom } from './pmad.js';

/** CSR3 bits: byte swap, ALE control, byte control (the last two select pin behaviour only). */
export const LanceCsr3 = { BSWP: 0x0004, ACON: 0x0002, BCON: 0x0001 } as const;
const C0 = LanceCsr0;

const W1C = C0.BABL | C0.CERR | C0.MISS | C0.MERR | C0.RINT | C0.TINT | C0.IDON;
const ERR_SOURCES = C0.BABL | C0.CERR | C0.MISS | C0.MERR;

/** The LANCE and its buffer SRAM and ROMs, as the PMAD-AA presents them. */
export class Lance extends LanceWire implements Device {
  readonly name = 'lance';
  /** The station address in the address ROM. */
  readonly mac: readonly number[];
  private readonly esar: Uint8Array;
  /** The SRAM's chunks as last saved (sramChunks), and each one's `mem.chunkWrites` then (-1: never saved). */
  private readonly sramSaved: SramChunks = new Array<string | null>(LANCE_SRAM_SIZE / SRAM_CHUNK).fill(null);
  private readonly sramSavedAt = new Float64Array(LANCE_SRAM_SIZE / SRAM_CHUNK).fill(-1);
  private rap = 0;
  private inited = false;

  /** Creates the chip as after RESET: STOP set, interrupts off, the SRAM zeroed. Throws RangeError on a bad MAC. */
  constructor(opts: LanceOptions) {
    super(opts);
    this.mac = [...(opts.mac ?? DEFAULT_MAC)];
    this.esar = stationRom(this.mac);
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

  /** Returns registers, ring state, frames in flight, counters and the SRAM. */
  save(): LanceState {
    const s = this.sending;
    return {
      csr: [...this.csr], rap: this.rap, init: this.init, inited: this.inited, rxPos: this.rx.pos, txPos: this.tx.pos,
      sending: s ? { data: base64(s.data), first: s.first, count: s.count, start: s.start, end: s.end } : null,
      arriving: this.arriving.map((a) => ({ frame: base64(a.frame), end: a.end, loop: a.loop })),
      wireFree: this.wireFree, lastPoll: this.lastPoll, pendingPoll: finite(this.pendingPoll),
      stats: { ...this.counters }, irq: this.irqLevel, sram: this.sramChunks(),
    };
  }

  /**
   * The SRAM as saved (SramChunks), null while all of it is zero: a chunk
   * is encoded again only after a write to it (checkpoints save the state
   * often, and a LANCE in use writes a few chunks in between). A new array
   * each time, of the same strings for the chunks not written.
   */
  private sramChunks(): SramChunks | null {
    const mem = this.mem, at = mem.chunkWrites, saved = this.sramSaved, savedAt = this.sramSavedAt;
    let any = false;
    for (let c = 0; c < saved.length; c++) {
      if (savedAt[c] !== at[c]) { saved[c] = encodeChunk(mem.bytes, c * SRAM_CHUNK); savedAt[c] = at[c]; }
      if (saved[c] !== null) any = true;
    }
    return any ? saved.slice() : null;
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
    decodeSram(s.sram, this.mem.bytes);
    this.mem.touch(0, LANCE_SRAM_SIZE);
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
    this.mem.touch(offset, size);
    for (let i = 0; i < size; i++) b[offset + i] = (value >>> (8 * i)) & 0xff;
    if (this.pendingPoll === Infinity && this.txWaiting()) {
      const now = this.clock.now();
      const k = Math.max(1, Math.ceil((now - this.lastPoll) / this.pollCycles));
      this.pendingPoll = this.lastPoll + k * this.pollCycles;
    }
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
