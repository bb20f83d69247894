// The Am7990 LANCE's view of the PMAD-AA buffer SRAM: the initialization
// block, the receive and transmit descriptor rings, buffer data, the address
// filter and the frame check sequence. Formats from the Am7990 data sheet
// ("Initialization Block", "Receive/Transmit Message Descriptor") as NetBSD
// sys/dev/ic/am7990reg.h and lancereg.h spell them; the chaining and error
// rules (BUFF, UFLO, OFLO, MISS) after the data sheet as MAME's
// src/devices/machine/am79c90.cpp quotes it.
//
// On the PMAD-AA the SRAM is contiguous: LANCE address a is SRAM byte a, the
// same offset the CPU uses from the board's base (NetBSD sys/dev/tc/if_le_tc.c
// attaches it with the lance_copy*_contig routines; sys/dev/dec/if_le_dec.c
// says "contiguous (for the 3max and turbochannel option card)"). The gap2 and
// gap16 layouts belong to the IOASIC LANCE of later models. The LANCE drives
// 24 address bits; an address at or past the 128 KiB of SRAM gets no READY
// on the board, which the chip reports as MERR (data sheet, CSR0 MERR).

/** Size of the PMAD-AA buffer SRAM: 128 KiB. */
export const LANCE_SRAM_SIZE = 0x20000;
/** The SRAM is saved in chunks of this many bytes (lance-state.ts): a checkpoint encodes again only those written since. */
export const SRAM_CHUNK_SHIFT = 12, SRAM_CHUNK = 1 << SRAM_CHUNK_SHIFT;
/** The LANCE's address space: 24 bits. */
const ADDR_MASK = 0xffffff;

/** Receive message descriptor word 1 (RMD1): status bits and the buffer's address bits 23:16. */
export const Rmd1 = { OWN: 0x8000, ERR: 0x4000, FRAM: 0x2000, OFLO: 0x1000, CRC: 0x0800, BUFF: 0x0400, STP: 0x0200, ENP: 0x0100, HADR: 0x00ff } as const;
/** Transmit message descriptor word 1 (TMD1). */
export const Tmd1 = { OWN: 0x8000, ERR: 0x4000, MORE: 0x1000, ONE: 0x0800, DEF: 0x0400, STP: 0x0200, ENP: 0x0100, HADR: 0x00ff } as const;
/** Transmit message descriptor word 3 (TMD3): error bits and the TDR count. */
export const Tmd3 = { BUFF: 0x8000, UFLO: 0x4000, LCOL: 0x1000, LCAR: 0x0800, RTRY: 0x0400, TDR: 0x03ff } as const;
/** RMD3: the message byte count, 12 bits. */
export const RMD3_MCNT = 0x0fff;
/** Init block MODE bits (data sheet, "Mode Register"). */
export const LanceMode = { PROM: 0x8000, INTL: 0x0040, DRTY: 0x0020, COLL: 0x0010, DTCR: 0x0008, LOOP: 0x0004, DTX: 0x0002, DRX: 0x0001 } as const;

/** The initialization block as the chip read it (data sheet, "Initialization Block"). */
export interface InitBlock {
  readonly mode: number;
  /** The physical (station) address, byte 0 first on the wire. */
  readonly padr: readonly number[];
  /** The logical address filter, four 16-bit words, LADRF[15:0] first. */
  readonly ladrf: readonly number[];
  /** Ring base addresses (quadword aligned: bits 2:0 are ignored) and lengths (1..128). */
  readonly rdra: number;
  readonly rlen: number;
  readonly tdra: number;
  readonly tlen: number;
}

/** The configuration before any initialization: rings of one descriptor at 0. */
export const RESET_INIT: InitBlock = { mode: 0, padr: [0, 0, 0, 0, 0, 0], ladrf: [0, 0, 0, 0], rdra: 0, rlen: 1, tdra: 0, tlen: 1 };

/**
 * The SRAM as the chip reaches it. An access outside the SRAM reads 0, writes
 * nothing and records its address in `fault` (sticky until cleared), the way
 * the CPU's bus keeps `fault`.
 */
export class LanceMemory {
  readonly bytes = new Uint8Array(LANCE_SRAM_SIZE);
  /** LANCE address of the first access outside the SRAM since `fault` was last reset, or -1. */
  fault = -1;
  /** CSR3.BSWP: buffer data (never descriptors) is byte-swapped within 16-bit words. */
  bswp = false;
  /** Writes to `bytes` so far (here and by the chip's owner, each through `touch`): what chunkWrites records. */
  private writes = 0;
  /** Per SRAM_CHUNK bytes of `bytes`, the count of writes at its last write: a save encodes again only the chunks written since. */
  readonly chunkWrites = new Float64Array(LANCE_SRAM_SIZE / SRAM_CHUNK);

  /** Notes a write to [a, a + n) of `bytes` (inside the SRAM), before or after making it. */
  touch(a: number, n: number): void {
    const w = ++this.writes;
    for (let c = a >>> SRAM_CHUNK_SHIFT, last = (a + Math.max(1, n) - 1) >>> SRAM_CHUNK_SHIFT; c <= last; c++) this.chunkWrites[c] = w;
  }

  /** The 16-bit word at LANCE address `a` (bit 0 ignored). */
  rd16(a: number): number {
    const w = (a & ADDR_MASK) & ~1;
    if (w + 2 > LANCE_SRAM_SIZE) { this.miss(w); return 0; }
    return this.bytes[w] | (this.bytes[w + 1] << 8);
  }

  /** Writes the 16-bit word at LANCE address `a` (bit 0 ignored). */
  wr16(a: number, v: number): void {
    const w = (a & ADDR_MASK) & ~1;
    if (w + 2 > LANCE_SRAM_SIZE) { this.miss(w); return; }
    this.touch(w, 2);
    this.bytes[w] = v & 0xff;
    this.bytes[w + 1] = (v >>> 8) & 0xff;
  }

  /** True when [a, a+n) lies inside the SRAM; records a fault otherwise. */
  span(a: number, n: number): boolean {
    const s = a & ADDR_MASK;
    if (s + n > LANCE_SRAM_SIZE) { this.miss(Math.max(s, LANCE_SRAM_SIZE)); return false; }
    return true;
  }

  /** Copies n buffer bytes at LANCE address a into out[at..]; the caller checked `span`. */
  readData(a: number, n: number, out: Uint8Array, at: number): void {
    const s = a & ADDR_MASK, swap = this.bswp ? 1 : 0;
    if (!swap) { out.set(this.bytes.subarray(s, s + n), at); return; }
    for (let i = 0; i < n; i++) out[at + i] = this.bytes[(s + i) ^ swap];
  }

  /** Copies n bytes of `data` from `from` into the buffer at LANCE address a; the caller checked `span`. */
  writeData(a: number, data: Uint8Array, from: number, n: number): void {
    const s = a & ADDR_MASK, swap = this.bswp ? 1 : 0;
    this.touch(s, n);
    if (!swap) { this.bytes.set(data.subarray(from, from + n), s); return; }
    for (let i = 0; i < n; i++) this.bytes[(s + i) ^ swap] = data[from + i];
  }

  private miss(a: number): void {
    if (this.fault < 0) this.fault = a;
  }
}

/** Reads the initialization block at IADR; check `mem.fault` afterwards. */
export function readInitBlock(mem: LanceMemory, iadr: number): InitBlock {
  const w = (i: number) => mem.rd16(iadr + 2 * i);
  const padr: number[] = [];
  for (let i = 1; i <= 3; i++) padr.push(w(i) & 0xff, w(i) >>> 8);
  return {
    mode: w(0), padr, ladrf: [w(4), w(5), w(6), w(7)],
    rdra: (((w(9) & 0xff) << 16) | w(8)) & ~7, rlen: 1 << ((w(9) >>> 13) & 7),
    tdra: (((w(11) & 0xff) << 16) | w(10)) & ~7, tlen: 1 << ((w(11) >>> 13) & 7),
  };
}

/** A descriptor ring: base address, length, and the chip's current index. */
export interface Ring { base: number; len: number; pos: number }

/** The LANCE address of word `word` of descriptor `i` of `ring`. */
export function descWord(ring: Ring, i: number, word: number): number {
  return (ring.base + 8 * (i % ring.len) + 2 * word) & ADDR_MASK;
}

/** A buffer's byte count from descriptor word 2: the two's complement of BCNT, 1..4096. */
export function byteCount(word2: number): number {
  return 0x1000 - (word2 & 0xfff);
}

/** A descriptor's buffer address: word 0 and the HADR bits of word 1. */
function bufferAddress(word0: number, word1: number): number {
  return ((word1 & 0xff) << 16) | word0;
}

/** What a transmit ring scan found. */
export type TxScan =
  | { readonly kind: 'idle'; readonly skipped: number }
  | { readonly kind: 'frame'; readonly data: Uint8Array; readonly first: number; readonly count: number; readonly skipped: number }
  | { readonly kind: 'buffer-error'; readonly first: number; readonly count: number; readonly skipped: number }
  | { readonly kind: 'merr'; readonly address: number };

/**
 * Scans the transmit ring from its current index: owned descriptors without
 * STP are given back (OWN cleared) and skipped; from an owned STP
 * descriptor the frame is gathered through ENP. Leaves OWN set on the
 * frame's descriptors (the chip gives them back when the frame is sent).
 * A chain that reaches a descriptor the chip does not own (or runs round the
 * whole ring) is a buffer error: those descriptors are given back at once,
 * the last with ERR and TMD3 BUFF|UFLO (data sheet, TMD3 BUFF).
 */
export function scanTx(mem: LanceMemory, ring: Ring): TxScan {
  let skipped = 0;
  let w1 = mem.rd16(descWord(ring, ring.pos, 1));
  while ((w1 & Tmd1.OWN) && !(w1 & Tmd1.STP) && skipped < ring.len) {
    mem.wr16(descWord(ring, ring.pos, 1), w1 & ~Tmd1.OWN);
    ring.pos = (ring.pos + 1) % ring.len;
    skipped++;
    w1 = mem.rd16(descWord(ring, ring.pos, 1));
  }
  if (mem.fault >= 0) return { kind: 'merr', address: mem.fault };
  if (!(w1 & Tmd1.OWN) || !(w1 & Tmd1.STP)) return { kind: 'idle', skipped };
  const parts: Uint8Array[] = [];
  const first = ring.pos;
  for (let count = 1; ; count++) {
    const i = first + count - 1;
    const w0 = mem.rd16(descWord(ring, i, 0)), n = byteCount(mem.rd16(descWord(ring, i, 2)));
    const a = bufferAddress(w0, w1);
    if (mem.fault >= 0 || !mem.span(a, n)) return { kind: 'merr', address: mem.fault };
    const part = new Uint8Array(n);
    mem.readData(a, n, part, 0);
    parts.push(part);
    if (w1 & Tmd1.ENP) return { kind: 'frame', data: concat(parts), first, count, skipped };
    w1 = count < ring.len ? mem.rd16(descWord(ring, i + 1, 1)) : 0;
    if (mem.fault >= 0) return { kind: 'merr', address: mem.fault };
    if (!(w1 & Tmd1.OWN) || count === ring.len) {
      releaseTx(mem, ring, first, count, Tmd1.ERR, Tmd3.BUFF | Tmd3.UFLO);
      return { kind: 'buffer-error', first, count, skipped };
    }
  }
}

/**
 * Gives back `count` transmit descriptors from `first` (OWN and the status
 * bits cleared) and writes `status1` into the last one's TMD1 and `tmd3` into
 * its TMD3; moves the ring's index past them.
 */
export function releaseTx(mem: LanceMemory, ring: Ring, first: number, count: number, status1 = 0, tmd3 = 0): void {
  const keep = Tmd1.STP | Tmd1.ENP | Tmd1.HADR;
  for (let k = 0; k < count; k++) {
    const a = descWord(ring, first + k, 1);
    const last = k === count - 1;
    mem.wr16(a, (mem.rd16(a) & keep) | (last ? status1 : 0));
    if (last) mem.wr16(descWord(ring, first + k, 3), tmd3);
  }
  ring.pos = (first + count) % ring.len;
}

/** What storing a received frame did. */
export type RxStore =
  | { readonly kind: 'miss' }
  | { readonly kind: 'stored'; readonly count: number }
  | { readonly kind: 'buffer-error'; readonly count: number }
  | { readonly kind: 'merr'; readonly address: number };

/**
 * Stores `data` (the frame with its FCS) into the receive ring from its
 * current index, chaining buffers as the data sheet describes: each buffer
 * is given back (OWN cleared) as it fills, the first with STP, the last with
 * ENP and the message byte count in RMD3. When the next descriptor is not
 * owned the frame is cut short: that buffer gets ERR|BUFF and no ENP.
 * A miss (the current descriptor is not owned) leaves the ring untouched.
 */
export function storeRx(mem: LanceMemory, ring: Ring, data: Uint8Array): RxStore {
  let w1 = mem.rd16(descWord(ring, ring.pos, 1));
  if (mem.fault >= 0) return { kind: 'merr', address: mem.fault };
  if (!(w1 & Rmd1.OWN)) return { kind: 'miss' };
  let off = 0;
  for (let count = 1; ; count++) {
    const i = ring.pos;
    const w0 = mem.rd16(descWord(ring, i, 0)), cap = byteCount(mem.rd16(descWord(ring, i, 2)));
    const a = bufferAddress(w0, w1), n = Math.min(cap, data.length - off);
    if (mem.fault >= 0 || !mem.span(a, n)) return { kind: 'merr', address: mem.fault };
    mem.writeData(a, data, off, n);
    const status = (w1 & Rmd1.HADR) | (off === 0 ? Rmd1.STP : 0);
    off += n;
    if (off === data.length) {
      mem.wr16(descWord(ring, i, 3), data.length & RMD3_MCNT);
      mem.wr16(descWord(ring, i, 1), status | Rmd1.ENP);
      ring.pos = (i + 1) % ring.len;
      return { kind: 'stored', count };
    }
    mem.wr16(descWord(ring, i, 1), status);
    ring.pos = (i + 1) % ring.len;
    w1 = mem.rd16(descWord(ring, ring.pos, 1));
    if (mem.fault >= 0) return { kind: 'merr', address: mem.fault };
    if (!(w1 & Rmd1.OWN)) {
      mem.wr16(descWord(ring, i, 1), status | Rmd1.ERR | Rmd1.BUFF);
      return { kind: 'buffer-error', count };
    }
  }
}

/**
 * True when the chip accepts a frame for destination `dst` (data sheet,
 * "Address Match"): any address in promiscuous mode, its own physical
 * address, the broadcast address, and a multicast address whose hash bit is
 * set in LADRF. The hash is the top six bits of the CRC-32 register over the
 * six destination bytes (NetBSD lance.c lance_setladrf builds LADRF so).
 */
export function addressMatch(init: InitBlock, dst: Uint8Array): boolean {
  if (init.mode & LanceMode.PROM) return true;
  if ((dst[0] & 1) === 0) return init.padr.every((b, i) => dst[i] === b);
  if (dst.subarray(0, 6).every((b) => b === 0xff)) return true;
  const bit = crcRegister(dst.subarray(0, 6)) >>> 26;
  return (init.ladrf[bit >>> 4] & (1 << (bit & 15))) !== 0;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 shift register (reflected, preset to all ones, not inverted) after `bytes`. */
export function crcRegister(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return c >>> 0;
}

/** `frame` followed by its Ethernet FCS (the inverted CRC-32, least significant byte first). */
export function withFcs(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame);
  const fcs = ~crcRegister(frame) >>> 0;
  for (let i = 0; i < 4; i++) out[frame.length + i] = (fcs >>> (8 * i)) & 0xff;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
