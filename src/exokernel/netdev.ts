// The kernel's driver for the LANCE on the PMAD-AA (the built-in Ethernet of
// the 5000/200). Aegis owns the network device and hands packets to library
// OSes through DPF (paper, sec. 5.4); this is the part below DPF: it reaches
// the chip only with physical loads and stores on the bus, as a driver in
// kseg1 would, and follows the Am7990 data sheet's programming sequence as
// NetBSD's am7990.c / lance.c do (STOP, CSR1..3, INIT, wait for IDON, STRT
// with INEA; acknowledge CSR0 bits by writing them back).
//
// Its layout of the 128 KiB buffer SRAM (LANCE addresses = SRAM offsets):
//
//   0x0000  initialization block (24 bytes)
//   0x0100  receive ring, rxCount descriptors of 8 bytes
//           transmit ring right after it, txCount descriptors
//   0x1000  rxCount receive buffers, then txCount transmit buffers,
//           NET_BUFFER (1536) bytes each: one buffer holds any frame of
//           up to 1514 bytes and its FCS, so only longer frames chain
//
// Ring lengths are powers of two, 1..128 (the init block's 3-bit log2), and
// rxCount + txCount <= 82 so the buffers fit.

import { KN02_MAP, Kn02Csr, Kn02Intr, LANCE_SRAM_SIZE, LanceCsr0 as C0, PMAD_PHYS_BASE, PmadOffset, Rmd1, RMD3_MCNT, Tmd1, type TraceSink } from '../emu/index.js';

/** The driver's SRAM layout (see the table above). */
export const NetLayout = { INIT: 0x0000, RINGS: 0x0100, BUFFERS: 0x1000 } as const;
/** Bytes per buffer: a 1514-byte frame and its FCS fit in one (NetBSD LEBLEN). */
export const NET_BUFFER = 1536;
/** Longest frame `send` takes (Ethernet header and payload, no FCS). */
export const NET_MAX_FRAME = 1514;
/** Frames shorter than this are padded with zeros (60 + FCS = the 64-byte minimum). */
export const NET_MIN_FRAME = 60;
/** CSR0 reads while waiting for IDON before the driver gives up. */
const IDON_POLLS = 1000;
/** The KN02 system CSR, and the byte of it that holds IOINTEN (bits 23:16), where the LANCE's enable bit is. */
const SYSCSR = KN02_MAP.find((row) => row.name === 'syscsr')!.base;
const SYSCSR_IOINTEN_LANE = Kn02Csr.IOINTEN_SHIFT >>> 3;
/**
 * Byte offsets of a message descriptor's four words (Am7990 data sheet,
 * "Receive/Transmit Message Descriptor"): MD0 the buffer address bits 15:0,
 * MD1 the status bits (Rmd1/Tmd1) and address bits 23:16, MD2 the buffer
 * length as -BCNT, MD3 the message count (receive) or error bits (transmit).
 */
const MD0 = 0, MD1 = 2, MD2 = 4, MD3 = 6;
const ACK_BITS = C0.BABL | C0.CERR | C0.MISS | C0.MERR | C0.RINT | C0.TINT | C0.IDON;

/** What the driver needs from the kernel. */
export interface NetDevDeps {
  /** Physical loads and stores (the machine's bus). */
  bus: { read(pa: number, size: 1 | 2 | 4): number; write(pa: number, size: 1 | 2 | 4, value: number): void };
  /** The current cycle. */
  now: () => number;
  /** Where the driver's events go (default: nowhere). */
  trace?: TraceSink;
  /** Physical base of the PMAD-AA (default 0x1f800000). */
  base?: number;
}

/** Counters since construction. */
export interface NetDevStats {
  sent: number; received: number; refused: number; rxErrors: number; txErrors: number; missed: number; restarts: number;
}

/** The driver's state as plain data. */
export interface NetDevState {
  readonly rxCount: number; readonly txCount: number; readonly rxNext: number; readonly txNext: number;
  readonly txReap: number; readonly txBusy: number; readonly chain: number[][] | undefined; readonly running: boolean;
  readonly counters: NetDevStats;
}

/** The LANCE driver: rings in the SRAM, send, and the interrupt service routine. */
export class NetDev {
  /** The station address, read from the address ROM. */
  readonly mac: readonly number[];
  private readonly bus: NetDevDeps['bus'];
  private readonly now: () => number;
  private readonly trace: TraceSink;
  private readonly base: number;
  private rxCount = 0;
  private txCount = 0;
  private rxNext = 0;
  private txNext = 0;
  private txReap = 0;
  private txBusy = 0;
  /** Buffers of a received frame chained over several descriptors, until its ENP. */
  private chain: Uint8Array[] | undefined;
  private running = false;
  private counters: NetDevStats = { sent: 0, received: 0, refused: 0, rxErrors: 0, txErrors: 0, missed: 0, restarts: 0 };

  /** Reads the station address ROM; the chip is left as it is until `init`. */
  constructor(deps: NetDevDeps) {
    this.bus = deps.bus;
    this.now = deps.now;
    this.trace = deps.trace ?? (() => {});
    this.base = deps.base ?? PMAD_PHYS_BASE;
    this.mac = Array.from({ length: 6 }, (_, i) => this.bus.read(this.base + PmadOffset.ESAR + 4 * i, 1));
  }

  /** Counters since construction (a copy). */
  get stats(): NetDevStats {
    return { ...this.counters };
  }

  /**
   * Writes the init block and both rings into the SRAM (every receive
   * buffer given to the chip), initializes and starts the chip with INEA.
   * Returns false (with an event) when the chip never reports IDON.
   * Throws RangeError unless both counts are powers of two in 1..128 whose
   * buffers fit in the SRAM.
   */
  init(rxCount = 16, txCount = 8): boolean {
    for (const n of [rxCount, txCount]) {
      if (!Number.isInteger(n) || n < 1 || n > 128 || (n & (n - 1)) !== 0) throw new RangeError(`Ring length ${n} is not a power of two in 1..128`);
    }
    if (NetLayout.BUFFERS + (rxCount + txCount) * NET_BUFFER > LANCE_SRAM_SIZE) {
      throw new RangeError(`${rxCount} receive and ${txCount} transmit buffers of ${NET_BUFFER} bytes do not fit in the LANCE's ${LANCE_SRAM_SIZE >>> 10} KiB`);
    }
    this.wcsr(0, C0.STOP);
    this.rxCount = rxCount; this.txCount = txCount;
    this.rxNext = this.txNext = this.txReap = this.txBusy = 0;
    this.chain = undefined;
    this.writeInitBlock();
    for (let i = 0; i < rxCount; i++) this.giveRx(i);
    for (let i = 0; i < txCount; i++) this.w16(this.txDesc(i) + 2, 0);
    this.wcsr(3, 0);
    this.wcsr(1, NetLayout.INIT & 0xffff);
    this.wcsr(2, NetLayout.INIT >>> 16);
    this.wcsr(0, C0.INIT);
    let polls = 0;
    while (!(this.rcsr(0) & C0.IDON)) {
      if (++polls === IDON_POLLS) {
        this.trace({ kind: 'netdev-init-failed', cycle: this.now(), csr0: this.rcsr(0) });
        this.running = false;
        return false;
      }
    }
    this.wcsr(0, C0.IDON | C0.INEA | C0.STRT);
    this.running = true;
    this.trace({ kind: 'netdev-up', cycle: this.now(), mac: this.mac.map((b) => b.toString(16).padStart(2, '0')).join(':'), rx: rxCount, tx: txCount });
    return true;
  }

  /** Sets the LANCE's enable bit in the KN02 system CSR, so its interrupt reaches Cause.IP2. */
  enableInterrupt(): void {
    const lane = SYSCSR + SYSCSR_IOINTEN_LANE;
    this.bus.write(lane, 1, this.bus.read(lane, 1) | Kn02Intr.Lance);
  }

  /**
   * Copies `frame` (destination first, no FCS; padded to 60 bytes) into the
   * next transmit buffer, hands its descriptor to the chip and demands a
   * transmission. Returns false, with an event, when the chip is not running,
   * the frame is longer than 1514 bytes, or every transmit buffer is in use.
   */
  send(frame: Uint8Array): boolean {
    const reason = !this.running ? 'not running' : frame.length > NET_MAX_FRAME ? 'too long' : '';
    if (!reason && this.txBusy === this.txCount) this.reapTx();
    const refusal = reason || (this.txBusy === this.txCount ? 'ring full' : '');
    if (refusal) {
      this.counters.refused++;
      this.trace({ kind: 'netdev-send-refused', cycle: this.now(), length: frame.length, reason: refusal });
      return false;
    }
    const i = this.txNext, buf = this.txBuffer(i), len = Math.max(NET_MIN_FRAME, frame.length);
    this.toSram(buf, frame, len);
    const d = this.txDesc(i);
    this.w16(d + MD0, buf & 0xffff);
    this.w16(d + MD2, -len & 0xffff);
    this.w16(d + MD3, 0);
    this.w16(d + MD1, Tmd1.OWN | Tmd1.STP | Tmd1.ENP | (buf >>> 16));
    this.txNext = (i + 1) % this.txCount;
    this.txBusy++;
    this.counters.sent++;
    this.wcsr(0, C0.INEA | C0.TDMD);
    return true;
  }

  /**
   * The interrupt service routine: acknowledges the CSR0 bits it read,
   * returns the frames received since the last call (oldest first, without
   * FCS) after giving their buffers back, reaps finished transmissions, and
   * restarts the chip when a memory error or a buffer error turned it off.
   */
  service(): Uint8Array[] {
    if (!this.running) return [];
    const csr0 = this.rcsr(0);
    if (csr0 & ACK_BITS) this.wcsr(0, (csr0 & ACK_BITS) | C0.INEA);
    if (csr0 & C0.MISS) this.counters.missed++;
    if (csr0 & C0.BABL) { this.counters.txErrors++; this.trace({ kind: 'netdev-babble', cycle: this.now() }); }
    const frames = this.collectRx();
    this.reapTx();
    if ((csr0 & C0.MERR) || (csr0 & (C0.RXON | C0.TXON)) !== (C0.RXON | C0.TXON)) this.restart(csr0);
    return frames;
  }

  /** Re-initializes after the chip stopped itself; frames waiting to be sent are lost. */
  /** The driver's own state (ring positions, a frame being chained, counters), for checkpoints. */
  save(): NetDevState {
    return {
      rxCount: this.rxCount, txCount: this.txCount, rxNext: this.rxNext, txNext: this.txNext, txReap: this.txReap,
      txBusy: this.txBusy, chain: this.chain?.map((c) => [...c]), running: this.running, counters: { ...this.counters },
    };
  }

  /** Restores what `save()` returned (the chip and its SRAM are restored with the machine). */
  restore(s: NetDevState): void {
    Object.assign(this, { rxCount: s.rxCount, txCount: s.txCount, rxNext: s.rxNext, txNext: s.txNext, txReap: s.txReap, txBusy: s.txBusy, running: s.running });
    this.chain = s.chain?.map((c) => Uint8Array.from(c));
    this.counters = { ...s.counters };
  }

  private restart(csr0: number): void {
    this.counters.restarts++;
    this.counters.txErrors += this.txBusy;
    this.trace({ kind: 'netdev-restart', cycle: this.now(), csr0, lost: this.txBusy });
    this.init(this.rxCount, this.txCount);
  }

  /** Takes every receive descriptor the chip gave back, in ring order. */
  private collectRx(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let n = 0; n < this.rxCount; n++) {
      const d = this.rxDesc(this.rxNext);
      const rmd1 = this.r16(d + MD1);
      if (rmd1 & Rmd1.OWN) break;
      const frame = this.takeRx(rmd1, this.r16(d + MD3) & RMD3_MCNT);
      if (frame) out.push(frame);
      this.giveRx(this.rxNext);
      this.rxNext = (this.rxNext + 1) % this.rxCount;
    }
    if (out.length > 0) this.counters.received += out.length;
    return out;
  }

  /** One buffer of a received frame: returns the frame at its ENP, undefined before it or on an error. */
  private takeRx(rmd1: number, mcnt: number): Uint8Array | undefined {
    const buf = this.rxBuffer(this.rxNext);
    if (rmd1 & Rmd1.STP) {
      if (this.chain) this.rxError(rmd1, 'frame without ENP');
      this.chain = [];
    }
    if (!this.chain || (rmd1 & Rmd1.ERR)) { this.rxError(rmd1, this.chain ? 'error bits' : 'buffer without STP'); return undefined; }
    const have = this.chain.reduce((s, p) => s + p.length, 0);
    if (!(rmd1 & Rmd1.ENP)) { this.chain.push(this.fromSram(buf, NET_BUFFER)); return undefined; }
    const last = mcnt - have;
    if (last < 0 || last > NET_BUFFER || mcnt < 4) { this.rxError(rmd1, `message count ${mcnt}`); return undefined; }
    this.chain.push(this.fromSram(buf, last));
    const parts = this.chain;
    this.chain = undefined;
    const frame = new Uint8Array(mcnt);
    let at = 0;
    for (const p of parts) { frame.set(p, at); at += p.length; }
    return frame.subarray(0, mcnt - 4);
  }

  private rxError(rmd1: number, why: string): void {
    this.chain = undefined;
    this.counters.rxErrors++;
    this.trace({ kind: 'netdev-rx-error', cycle: this.now(), rmd1, why });
  }

  /** Counts transmit descriptors the chip has given back. */
  private reapTx(): void {
    while (this.txBusy > 0) {
      const d = this.txDesc(this.txReap);
      const tmd1 = this.r16(d + MD1);
      if (tmd1 & Tmd1.OWN) break;
      if (tmd1 & Tmd1.ERR) {
        this.counters.txErrors++;
        this.trace({ kind: 'netdev-tx-error', cycle: this.now(), tmd1, tmd3: this.r16(d + MD3) });
      }
      this.txReap = (this.txReap + 1) % this.txCount;
      this.txBusy--;
    }
  }

  private writeInitBlock(): void {
    const m = this.mac, rx = this.rxDesc(0), tx = this.txDesc(0);
    const words = [0, m[0] | (m[1] << 8), m[2] | (m[3] << 8), m[4] | (m[5] << 8), 0, 0, 0, 0,
      rx & 0xffff, (log2(this.rxCount) << 13) | (rx >>> 16), tx & 0xffff, (log2(this.txCount) << 13) | (tx >>> 16)];
    words.forEach((v, i) => this.w16(NetLayout.INIT + 2 * i, v));
  }

  /** Hands receive descriptor i back to the chip with its whole buffer. */
  private giveRx(i: number): void {
    const d = this.rxDesc(i), buf = this.rxBuffer(i);
    this.w16(d + MD0, buf & 0xffff);
    this.w16(d + MD2, -NET_BUFFER & 0xffff);
    this.w16(d + MD3, 0);
    this.w16(d + MD1, Rmd1.OWN | (buf >>> 16));
  }

  private rxDesc(i: number): number { return NetLayout.RINGS + 8 * i; }
  private txDesc(i: number): number { return NetLayout.RINGS + 8 * (this.rxCount + i); }
  private rxBuffer(i: number): number { return NetLayout.BUFFERS + NET_BUFFER * i; }
  private txBuffer(i: number): number { return NetLayout.BUFFERS + NET_BUFFER * (this.rxCount + i); }

  /** Copies `frame` to SRAM offset `at`, zero-padded to `len` bytes, a word at a time. */
  private toSram(at: number, frame: Uint8Array, len: number): void {
    const byte = (k: number) => (k < frame.length ? frame[k] : 0);
    for (let k = 0; k < len; k += 4) {
      if (k + 4 <= len) this.bus.write(this.base + at + k, 4, byte(k) | (byte(k + 1) << 8) | (byte(k + 2) << 16) | (byte(k + 3) << 24));
      else for (let j = k; j < len; j++) this.bus.write(this.base + at + j, 1, byte(j));
    }
  }

  /** `len` bytes from SRAM offset `at` (a buffer's start, so word aligned). */
  private fromSram(at: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let k = 0; k < len; k += 4) {
      const w = this.bus.read(this.base + at + k, 4);
      for (let j = 0; j < 4 && k + j < len; j++) out[k + j] = (w >>> (8 * j)) & 0xff;
    }
    return out;
  }

  private w16(off: number, v: number): void { this.bus.write(this.base + off, 2, v & 0xffff); }
  private r16(off: number): number { return this.bus.read(this.base + off, 2); }
  private wcsr(n: number, v: number): void {
    this.bus.write(this.base + PmadOffset.RAP, 2, n);
    this.bus.write(this.base + PmadOffset.RDP, 2, v);
  }
  private rcsr(n: number): number {
    this.bus.write(this.base + PmadOffset.RAP, 2, n);
    return this.bus.read(this.base + PmadOffset.RDP, 2);
  }
}

function log2(n: number): number {
  return 31 - Math.clz32(n);
}
