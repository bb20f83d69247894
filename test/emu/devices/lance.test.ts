import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../../src/emu/device.js';
import { Lance, LanceCsr3 } from '../../../src/emu/devices/lance.js';
import { LanceCsr0 as C0 } from '../../../src/emu/devices/lance-wire.js';
import type { LanceState } from '../../../src/emu/devices/lance-state.js';
import { crcRegister, LanceMode, Rmd1, Tmd1, Tmd3 } from '../../../src/emu/devices/lance-ring.js';
import { addressChecksum, PmadOffset } from '../../../src/emu/devices/pmad.js';

const RDP = PmadOffset.RDP, RAP = PmadOffset.RAP;
const INIT_AT = 0x0000, RX_RING = 0x0100, TX_RING = 0x0200, RX_BUF = 0x1000, TX_BUF = 0x8000, BUF = 0x600;
const MAC = [0x08, 0x00, 0x2b, 0x11, 0x22, 0x33];

function setup(mac = MAC) {
  const clock = { t: 0, now() { return this.t; } };
  const levels: boolean[] = [];
  const events: MachineEvent[] = [];
  const sent: { frame: Uint8Array; cycle: number; at: number }[] = [];
  const lance = new Lance({
    clock, mac, irq: { set: (l) => levels.push(l) }, trace: (e) => events.push(e),
    onTransmit: (frame, cycle) => sent.push({ frame, cycle, at: clock.t }),
  });
  const w16 = (off: number, v: number) => lance.write(off, 2, v);
  const r16 = (off: number) => lance.read(off, 2);
  const wcsr = (n: number, v: number) => { lance.write(RAP, 2, n); lance.write(RDP, 2, v); };
  const rcsr = (n: number) => { lance.write(RAP, 2, n); return lance.read(RDP, 2); };
  const irq = () => levels.length > 0 && levels[levels.length - 1];
  /** Runs the device as the machine would, servicing every event up to `t`. */
  const runTo = (t: number) => {
    for (let n = lance.nextEvent(); n <= t; n = lance.nextEvent()) { clock.t = Math.max(clock.t, n); lance.tick(clock.t); }
    clock.t = t;
  };
  /** Writes descriptor i of a ring: buffer address, byte count, flags in word 1. */
  const desc = (ring: number, i: number, buf: number, len: number, flags: number) => {
    w16(ring + 8 * i, buf & 0xffff);
    w16(ring + 8 * i + 4, (0x10000 - len) & 0xffff);
    w16(ring + 8 * i + 6, 0);
    w16(ring + 8 * i + 2, flags | ((buf >>> 16) & 0xff));
  };
  /** Writes an init block (rings of 2^rlog / 2^tlog descriptors), inits and starts with INEA. */
  const start = (opts: { mode?: number; rlog?: number; tlog?: number; rdra?: number; tdra?: number; ladrf?: number[]; rxOwned?: boolean } = {}) => {
    const { mode = 0, rlog = 2, tlog = 2, rdra = RX_RING, tdra = TX_RING, ladrf = [0, 0, 0, 0], rxOwned = true } = opts;
    const words = [mode, MAC[0] | (MAC[1] << 8), MAC[2] | (MAC[3] << 8), MAC[4] | (MAC[5] << 8), ...ladrf,
      rdra & 0xffff, (rlog << 13) | ((rdra >>> 16) & 0xff), tdra & 0xffff, (tlog << 13) | ((tdra >>> 16) & 0xff)];
    words.forEach((v, i) => w16(INIT_AT + 2 * i, v));
    for (let i = 0; i < 1 << rlog; i++) desc(RX_RING, i, RX_BUF + BUF * i, BUF, rxOwned ? Rmd1.OWN : 0);
    wcsr(0, C0.STOP);
    wcsr(1, INIT_AT);
    wcsr(2, 0);
    wcsr(0, C0.INIT);
    wcsr(0, C0.IDON | C0.INEA | C0.STRT);
  };
  const putTx = (i: number, frame: Uint8Array, flags = Tmd1.STP | Tmd1.ENP, buf = TX_BUF + BUF * i) => {
    frame.forEach((b, k) => lance.write(buf + k, 1, b));
    desc(TX_RING, i, buf, frame.length, Tmd1.OWN | flags);
  };
  const sram = (off: number, n: number) => lance.peekSram(off, n);
  return { clock, lance, levels, events, sent, w16, r16, wcsr, rcsr, irq, runTo, desc, start, putTx, sram };
}

/** A 60-byte frame to `dst` from 02:00:00:00:00:01 with type 0x88b5 and a counting payload. */
function frame(dst = MAC, len = 60): Uint8Array {
  const f = new Uint8Array(len);
  f.set(dst, 0);
  f.set([2, 0, 0, 0, 0, 1], 6);
  f[12] = 0x88; f[13] = 0xb5;
  for (let i = 14; i < len; i++) f[i] = i & 0xff;
  return f;
}

describe('Lance: the PMAD-AA window', () => {
  it('holds "PMAD-AA " in the option ROM at +0x3c0440, one byte per word', () => {
    const { lance } = setup();
    const name = Array.from({ length: 8 }, (_, i) => String.fromCharCode(lance.read(0x3c0440 + 4 * i, 4) & 0xff)).join('');
    expect(name).toBe('PMAD-AA ');
    expect(lance.read(0x3c03e0 + 4, 4)).toBe(4); // stride
    expect(lance.read(0x3c03f0, 4)).toBe(0x55555555);
    expect(lance.read(0x3c03fc, 1)).toBe(0xff);
  });

  it('gives the station address one byte per word, in every byte lane, with DEC checksum, copies and test pattern', () => {
    const { lance } = setup();
    const rom = Array.from({ length: 32 }, (_, n) => lance.read(PmadOffset.ESAR + 4 * n, 4));
    expect(rom.slice(0, 6).map((w) => w & 0xff)).toEqual(MAC);
    expect(rom[0]).toBe(0x08080808);
    expect(lance.read(PmadOffset.ESAR + 4 * 3 + 2, 1)).toBe(0x11); // NetBSD reads byte lane 2
    const bytes = rom.map((w) => w & 0xff);
    const sum = addressChecksum(MAC);
    expect(bytes.slice(6, 8)).toEqual([sum & 0xff, sum >>> 8]);
    expect(bytes.slice(8, 16)).toEqual(bytes.slice(0, 8).reverse());
    expect(bytes.slice(16, 24)).toEqual(bytes.slice(0, 8));
    expect(bytes.slice(24)).toEqual([0xff, 0, 0x55, 0xaa, 0xff, 0, 0x55, 0xaa]);
    expect(lance.read(PmadOffset.ESAR + 0x80, 1)).toBe(0x08);
  });

  it('computes the checksum DEC drivers verify', () => {
    // The end-around-carry sum worked by hand for 08:00:2b:11:22:33.
    let k = 0x0008;
    k = 2 * k + 0x112b;
    k = 2 * k + 0x3322;
    expect(addressChecksum(MAC)).toBe(k);
    expect(addressChecksum([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(0);
  });

  it('reads and writes the 128 KiB SRAM little-endian and ignores undecoded space with an event', () => {
    const { lance, events } = setup();
    lance.write(0x1fffc, 4, 0x11223344);
    expect(lance.read(0x1fffe, 2)).toBe(0x1122);
    expect(lance.read(0x1fffc, 1)).toBe(0x44);
    expect(lance.read(0x20000, 4)).toBe(0);
    lance.write(0x3c0440, 4, 0);
    expect(events.map((e) => e.kind)).toEqual(['device-unimplemented', 'device-unimplemented']);
  });

  it('throws RangeError for a station address that is not six bytes', () => {
    expect(() => setup([1, 2, 3])).toThrow(RangeError);
  });
});

describe('Lance: CSR0', () => {
  it('reads STOP after reset, and RAP as written', () => {
    const { lance, rcsr } = setup();
    expect(rcsr(0)).toBe(C0.STOP);
    lance.write(RAP, 2, 3);
    expect(lance.read(RAP, 2)).toBe(3);
  });

  it('INIT reads the init block and sets IDON; the line rises only with INEA', () => {
    const { wcsr, rcsr, irq, events, w16 } = setup();
    w16(0x10, 0x0100);
    w16(0x12, (3 << 13) | 0x01); // 8 descriptors at 0x010100
    wcsr(1, 0); wcsr(2, 0); wcsr(0, C0.INIT);
    expect(rcsr(0)).toBe(C0.INIT | C0.IDON | C0.INTR);
    expect(irq()).toBe(false);
    expect(events.find((e) => e.kind === 'lance-init')).toMatchObject({ rdra: 0x10100, rlen: 8, tlen: 1 });
    wcsr(0, C0.INEA);
    expect(irq()).toBe(true);
    wcsr(0, C0.INEA);
    expect(rcsr(0) & C0.IDON).toBe(C0.IDON);
    wcsr(0, C0.IDON | C0.INEA);
    expect(rcsr(0)).toBe(C0.INIT | C0.INEA);
    expect(irq()).toBe(false);
  });

  it('STOP clears every other bit, INEA included, and drops the line', () => {
    const { wcsr, rcsr, irq } = setup();
    wcsr(0, C0.INIT | C0.INEA);
    expect(irq()).toBe(true);
    wcsr(0, C0.STOP | C0.INEA | C0.STRT);
    expect(rcsr(0)).toBe(C0.STOP);
    expect(irq()).toBe(false);
  });

  it('ignores CSR1..3 writes and INIT while running, with events', () => {
    const { wcsr, rcsr, start, events } = setup();
    start();
    wcsr(1, 0x4000);
    wcsr(0, C0.INIT);
    expect(rcsr(1)).toBe(INIT_AT);
    expect(events.filter((e) => e.kind === 'lance-csr-ignored' || e.kind === 'lance-init-ignored')).toHaveLength(2);
  });

  it('keeps only IADR 23:16 in CSR2 and the three defined bits in CSR3', () => {
    const { wcsr, rcsr } = setup();
    wcsr(2, 0xabcd);
    wcsr(3, 0xffff);
    expect(rcsr(2)).toBe(0xcd);
    expect(rcsr(3)).toBe(LanceCsr3.BSWP | LanceCsr3.ACON | LanceCsr3.BCON);
  });

  it('STRT turns the receiver and transmitter on unless the mode disables them', () => {
    const a = setup();
    a.start();
    expect(a.rcsr(0) & (C0.RXON | C0.TXON | C0.STRT)).toBe(C0.RXON | C0.TXON | C0.STRT);
    const b = setup();
    b.start({ mode: LanceMode.DRX | LanceMode.DTX });
    expect(b.rcsr(0) & (C0.RXON | C0.TXON)).toBe(0);
  });

  it('STRT before any INIT runs with the reset configuration and says so', () => {
    const { wcsr, rcsr, events } = setup();
    wcsr(0, C0.STRT);
    expect(rcsr(0) & C0.TXON).toBe(C0.TXON);
    expect(events.map((e) => e.kind)).toContain('lance-start-uninitialized');
  });
});

describe('Lance: transmit', () => {
  it('sends an owned STP|ENP buffer on TDMD, after its wire time, and gives the descriptor back with TINT', () => {
    const { lance, start, putTx, wcsr, rcsr, runTo, sent, r16, irq, clock } = setup();
    start();
    clock.t = 1000;
    putTx(0, frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    wcsr(0, C0.TDMD | C0.INEA);
    expect(lance.wireCycles(64)).toBe(20 * (64 + 8) + 240);
    expect(lance.nextEvent()).toBe(1000 + 1680);
    runTo(2679);
    expect(sent).toHaveLength(0);
    runTo(2680);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ cycle: 1000, at: 2680 });
    expect(Array.from(sent[0].frame)).toEqual(Array.from(frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])));
    expect(r16(TX_RING + 2) & (Tmd1.OWN | Tmd1.ERR)).toBe(0);
    expect(r16(TX_RING + 2) & (Tmd1.STP | Tmd1.ENP)).toBe(Tmd1.STP | Tmd1.ENP);
    expect(rcsr(0) & C0.TINT).toBe(C0.TINT);
    expect(irq()).toBe(true);
    expect(lance.stats().transmitted).toBe(1);
  });

  it('gathers a frame chained over several descriptors and sends frames back to back', () => {
    const { start, putTx, wcsr, runTo, sent, lance } = setup();
    start();
    const f = frame(MAC, 200);
    putTx(0, f.subarray(0, 120), Tmd1.STP);
    putTx(1, f.subarray(120), Tmd1.ENP);
    putTx(2, frame(MAC, 80));
    wcsr(0, C0.TDMD);
    runTo(100_000);
    expect(sent.map((s) => s.frame.length)).toEqual([200, 80]);
    expect(Array.from(sent[0].frame)).toEqual(Array.from(f));
    expect(sent[1].cycle).toBe(lance.wireCycles(204));
  });

  it('without TDMD finds a handed-over descriptor at the next 1.6 ms poll', () => {
    const { start, putTx, runTo, sent, clock } = setup();
    start();
    clock.t = 50_000;
    putTx(0, frame());
    runTo(79_999);
    expect(sent).toHaveLength(0);
    runTo(90_000);
    expect(sent[0].cycle).toBe(80_000);
  });

  it('skips owned descriptors without STP, giving them back', () => {
    const { start, putTx, wcsr, runTo, sent, r16, events } = setup();
    start();
    putTx(0, frame(), Tmd1.ENP);
    putTx(1, frame());
    wcsr(0, C0.TDMD);
    runTo(10_000);
    expect(sent).toHaveLength(1);
    expect(r16(TX_RING + 2) & Tmd1.OWN).toBe(0);
    expect(events.map((e) => e.kind)).toContain('lance-tx-skipped');
  });

  it('reports a chain that runs into a descriptor it does not own as a buffer error and turns TXON off', () => {
    const { start, putTx, wcsr, rcsr, runTo, sent, r16 } = setup();
    start();
    putTx(0, frame(), Tmd1.STP);
    wcsr(0, C0.TDMD);
    runTo(10_000);
    expect(sent).toHaveLength(0);
    expect(r16(TX_RING + 2) & (Tmd1.OWN | Tmd1.ERR)).toBe(Tmd1.ERR);
    expect(r16(TX_RING + 6)).toBe(Tmd3.BUFF | Tmd3.UFLO);
    expect(rcsr(0) & (C0.TXON | C0.TINT | C0.RXON)).toBe(C0.TINT | C0.RXON);
  });

  it('flags babble for a frame longer than 1518 bytes with its FCS, and still sends it', () => {
    const { start, putTx, wcsr, rcsr, runTo, sent } = setup();
    start();
    putTx(0, frame(MAC, 1515));
    wcsr(0, C0.TDMD);
    runTo(100_000);
    expect(sent).toHaveLength(1);
    expect(rcsr(0) & (C0.BABL | C0.ERR)).toBe(C0.BABL | C0.ERR);
  });

  it('reads a zero byte count as 4096 bytes, and a buffer past the SRAM as a memory error', () => {
    const { start, desc, wcsr, rcsr, runTo, sent, events } = setup();
    start();
    desc(TX_RING, 0, 0x1f800, 0x1000, Tmd1.OWN | Tmd1.STP | Tmd1.ENP); // BCNT field 0: 4096 bytes
    wcsr(0, C0.TDMD);
    runTo(10_000);
    expect(sent).toHaveLength(0);
    expect(rcsr(0) & (C0.MERR | C0.ERR | C0.RXON | C0.TXON)).toBe(C0.MERR | C0.ERR);
    expect(events.find((e) => e.kind === 'lance-merr')).toMatchObject({ address: 0x20000, during: 'transmit' });
  });

  it('abandons the frame on the wire at STOP', () => {
    const { start, putTx, wcsr, runTo, sent, lance } = setup();
    start();
    putTx(0, frame());
    wcsr(0, C0.TDMD);
    wcsr(0, C0.STOP);
    runTo(10_000);
    expect(sent).toHaveLength(0);
    expect(lance.nextEvent()).toBe(Infinity);
  });
});

describe('Lance: receive', () => {
  it('stores a frame and its FCS, with MCNT = length + 4, STP|ENP and RINT', () => {
    const { start, lance, runTo, r16, sram, rcsr, irq } = setup();
    start();
    const f = frame();
    lance.receive(f);
    expect(lance.nextEvent()).toBe(lance.wireCycles(64));
    runTo(lance.wireCycles(64));
    expect(r16(RX_RING + 2) & 0xff00).toBe(Rmd1.STP | Rmd1.ENP);
    expect(r16(RX_RING + 6)).toBe(64);
    const stored = sram(RX_BUF, 64);
    expect(Array.from(stored.subarray(0, 60))).toEqual(Array.from(f));
    expect(crcRegister(stored)).toBe(0xdebb20e3);
    expect(rcsr(0) & C0.RINT).toBe(C0.RINT);
    expect(irq()).toBe(true);
    expect(lance.stats().received).toBe(1);
  });

  it('queues frames on the wire back to back', () => {
    const { start, lance, runTo, r16 } = setup();
    start();
    lance.receive(frame());
    lance.receive(frame());
    runTo(lance.wireCycles(64));
    expect(r16(RX_RING + 8 + 2) & Rmd1.OWN).toBe(Rmd1.OWN);
    runTo(2 * lance.wireCycles(64));
    expect(r16(RX_RING + 8 + 2) & Rmd1.OWN).toBe(0);
  });

  it('chains a long frame over small buffers', () => {
    const { start, lance, runTo, r16, desc, sram } = setup();
    start();
    for (let i = 0; i < 4; i++) desc(RX_RING, i, RX_BUF + 0x100 * i, 100, Rmd1.OWN);
    const f = frame(MAC, 250);
    lance.receive(f);
    runTo(1e6);
    const flags = [0, 1, 2, 3].map((i) => r16(RX_RING + 8 * i + 2) & 0xff00);
    expect(flags).toEqual([Rmd1.STP, 0, Rmd1.ENP, Rmd1.OWN]);
    expect(r16(RX_RING + 16 + 6)).toBe(254);
    expect(Array.from(sram(RX_BUF + 0x100, 100))).toEqual(Array.from(f.subarray(100, 200)));
  });

  it('cuts a frame short with ERR|BUFF when the next buffer is not the chip\'s', () => {
    const { start, lance, runTo, r16, desc, rcsr } = setup();
    start();
    desc(RX_RING, 0, RX_BUF, 100, Rmd1.OWN);
    desc(RX_RING, 1, RX_BUF + 0x100, 100, 0);
    lance.receive(frame(MAC, 250));
    runTo(1e6);
    expect(r16(RX_RING + 2) & 0xff00).toBe(Rmd1.STP | Rmd1.ERR | Rmd1.BUFF);
    expect(rcsr(0) & C0.RINT).toBe(C0.RINT);
    expect(lance.stats().errors).toBe(1);
  });

  it('misses a frame when it owns no buffer: MISS, ERR and the line', () => {
    const { start, lance, runTo, rcsr, irq } = setup();
    start({ rxOwned: false });
    lance.receive(frame());
    runTo(1e6);
    expect(rcsr(0) & (C0.MISS | C0.ERR | C0.INTR | C0.RINT)).toBe(C0.MISS | C0.ERR | C0.INTR);
    expect(irq()).toBe(true);
    expect(lance.stats().missed).toBe(1);
  });

  it('drops frames while the receiver is off, and runts, without MISS', () => {
    const { start, lance, runTo, rcsr, events } = setup();
    lance.receive(frame());
    runTo(1e5);
    start();
    lance.receive(frame(MAC, 59));
    runTo(2e5);
    expect(rcsr(0) & C0.MISS).toBe(0);
    expect(events.filter((e) => e.kind === 'lance-rx-dropped').map((e) => e.reason)).toEqual(['receiver off', 'runt']);
  });

  it('accepts its own address, broadcast and hashed multicast; promiscuous mode accepts all', () => {
    const multicast = [0x01, 0x00, 0x5e, 0x00, 0x00, 0x01];
    const bit = crcRegister(Uint8Array.from(multicast)) >>> 26;
    const ladrf = [0, 0, 0, 0];
    ladrf[bit >>> 4] |= 1 << (bit & 15);
    const a = setup();
    a.start({ ladrf });
    for (const dst of [MAC, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], multicast, [0x08, 0, 0x2b, 0, 0, 1], [0x01, 0, 0x5e, 0, 0, 2]]) a.lance.receive(frame(dst));
    a.runTo(1e6);
    expect(a.lance.stats()).toMatchObject({ received: 3, filtered: 2 });
    const b = setup();
    b.start({ mode: LanceMode.PROM });
    b.lance.receive(frame([0x08, 0, 0x2b, 0, 0, 1]));
    b.runTo(1e6);
    expect(b.lance.stats().received).toBe(1);
  });

  it('turns the receiver and transmitter off with MERR when the ring lies outside the SRAM', () => {
    const { start, lance, runTo, rcsr, events } = setup();
    start({ rdra: 0x30000 });
    lance.receive(frame());
    runTo(1e6);
    expect(rcsr(0) & (C0.MERR | C0.RXON | C0.TXON)).toBe(C0.MERR);
    expect(events.find((e) => e.kind === 'lance-merr')).toMatchObject({ address: 0x30002, during: 'receive' }) // RMD1 is read first;
  });

  it('reports MERR for an init block outside the SRAM and stays stopped', () => {
    const { wcsr, rcsr } = setup();
    wcsr(2, 0x02);
    wcsr(0, C0.INIT);
    expect(rcsr(0)).toBe(C0.STOP | C0.MERR | C0.ERR | C0.INTR);
  });

  it('swaps buffer bytes within 16-bit words under BSWP, but not descriptors', () => {
    const { start, lance, runTo, r16, sram, wcsr } = setup();
    wcsr(0, C0.STOP);
    wcsr(3, LanceCsr3.BSWP);
    start();
    const f = frame();
    lance.receive(f);
    runTo(1e6);
    expect(r16(RX_RING + 6)).toBe(64);
    const stored = sram(RX_BUF, 4);
    expect(Array.from(stored)).toEqual([f[1], f[0], f[3], f[2]]);
  });

  it('loops a frame back to its own receiver in internal loopback, never onto the wire', () => {
    const { start, putTx, wcsr, runTo, sent, lance, sram } = setup();
    start({ mode: LanceMode.LOOP | LanceMode.INTL });
    putTx(0, frame());
    lance.receive(frame());
    wcsr(0, C0.TDMD);
    runTo(1e6);
    expect(sent).toHaveLength(0);
    expect(lance.stats()).toMatchObject({ transmitted: 1, received: 1, dropped: 1 });
    expect(Array.from(sram(RX_BUF, 60))).toEqual(Array.from(frame()));
  });

  it('throws RangeError for a frame longer than RMD3 can count', () => {
    expect(() => setup().lance.receive(new Uint8Array(4092))).toThrow(RangeError);
  });
});

describe('Lance: save and restore', () => {
  it('restores registers, the SRAM and frames in flight, and goes on exactly as before', () => {
    const a = setup();
    a.start();
    a.putTx(0, frame());
    a.wcsr(0, C0.TDMD);
    a.lance.receive(frame());
    a.runTo(500);
    const state = JSON.parse(JSON.stringify(a.lance.save())) as LanceState;
    const b = setup();
    b.clock.t = 500;
    b.lance.restore(state);
    expect(b.levels.at(-1)).toBe(false);
    for (const s of [a, b]) s.runTo(1e5);
    expect(b.sent.map((s) => [s.cycle, s.at])).toEqual(a.sent.map((s) => [s.cycle, s.at]));
    expect(b.lance.registers()).toEqual(a.lance.registers());
    expect(Buffer.from(b.sram(0, 0x20000)).equals(a.sram(0, 0x20000))).toBe(true);
    expect(b.lance.stats()).toEqual(a.lance.stats());
  });

  it('saves the SRAM in chunks, each encoded again after any write to it: the CPU\'s stores, a frame received and the descriptors the chip writes back all show in the next save', () => {
    const a = setup();
    a.start();
    const same = (label: string) => {
      const b = setup();
      b.lance.restore(JSON.parse(JSON.stringify(a.lance.save())) as LanceState);
      expect(Buffer.from(b.sram(0, 0x20000)).equals(a.sram(0, 0x20000)), label).toBe(true);
    };
    same('after start');
    a.lance.write(0x5004, 4, 0xdeadbeef);
    same('a CPU store');
    a.lance.write(0x5fff, 1, 0x7f);
    same('a CPU byte store at the end of a chunk');
    a.lance.receive(frame());
    a.runTo(20_000);
    same('a frame received (its buffer and its descriptor)');
    a.putTx(0, frame());
    a.wcsr(0, C0.TDMD);
    same('a frame handed to the chip');
    a.runTo(1e5);
    expect(a.sent.length).toBe(1);
    same('a frame sent (its descriptor written back by the chip alone)');
    const saved = a.lance.save().sram!;
    expect(saved.length).toBe(32);
    expect(saved.filter((c) => c === null).length).toBeGreaterThan(20); // chunks of zeroes are null
  });

  it('saves an untouched SRAM as null, and restores undefined as the state after reset', () => {
    const { lance, rcsr } = setup();
    expect(lance.save().sram).toBeNull();
    lance.write(0, 4, 1);
    lance.restore(undefined);
    expect(lance.read(0, 4)).toBe(0);
    expect(rcsr(0)).toBe(C0.STOP);
  });
});
