import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/emu/index.js';
import { NetDev } from '../../src/exokernel/netdev.js';
import {
  ArpOp, arp, ethernet, formatIp, formatMac, internetChecksum, ipv4udp, mac, parseArp, parseHex, parseIpv4Udp,
} from '../../src/net/ethernet.js';
import { PeerHost, Wire } from '../../src/net/wire.js';
import { A } from '../emu/helpers/asm.js';

const HOST_MAC = '08:00:2b:95:12:03';
const PEER = { mac: '02:00:00:00:00:01', ip: '10.0.0.2' };
// On the PATH (tshark --version takes a fifth of a second to start Wireshark's libraries).
const HAS_TSHARK = spawnSync('sh', ['-c', 'command -v tshark']).status === 0;

/** A machine idling in `b .`, its driver up, a wire attached. */
function boot() {
  const machine = new Machine({ ramSize: 1 << 20 });
  const code = new Uint8Array(new Int32Array([A.beq(0, 0, -1), A.nop()]).buffer);
  machine.load({ entry: 0x80001000, segments: [{ vaddr: 0x80001000, memsz: code.length, data: code }] });
  const wire = new Wire(machine);
  const net = new NetDev({ bus: machine.bus, now: () => machine.cpu.cycles });
  net.init(8, 4);
  return { machine, wire, net };
}

/** A UDP checksum computed the long way: pseudo-header, header and data in 16-bit words. */
function slowUdpChecksum(frame: Uint8Array): number {
  const ipHdr = frame.subarray(14, 34), udp = frame.subarray(34, 34 + ((frame[38] << 8) | frame[39]));
  const words: number[] = [];
  const push = (b: Uint8Array) => { for (let i = 0; i < b.length; i += 2) words.push((b[i] << 8) | (b[i + 1] ?? 0)); };
  push(ipHdr.subarray(12, 20));
  words.push(17, udp.length);
  const zeroed = udp.slice();
  zeroed[6] = zeroed[7] = 0;
  push(zeroed);
  let sum = words.reduce((a, b) => a + b, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum & 0xffff) || 0xffff;
}

/** The records of a pcap file read back by hand: header fields and (sec, nsec, frame) per record. */
function readPcap(b: Uint8Array) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const header = { magic: v.getUint32(0, true), major: v.getUint16(4, true), minor: v.getUint16(6, true), linktype: v.getUint32(20, true) };
  const records: { sec: number; nsec: number; frame: Uint8Array }[] = [];
  for (let at = 24; at < b.length;) {
    const len = v.getUint32(at + 8, true);
    expect(v.getUint32(at + 12, true)).toBe(len);
    records.push({ sec: v.getUint32(at, true), nsec: v.getUint32(at + 4, true), frame: b.slice(at + 16, at + 16 + len) });
    at += 16 + len;
  }
  return { header, records };
}

describe('frame builders', () => {
  it('parseHex reads bytes with or without separators and refuses odd or foreign digits', () => {
    expect(Array.from(parseHex('ff ff\n08:00-2b0a'))).toEqual([0xff, 0xff, 0x08, 0x00, 0x2b, 0x0a]);
    expect(parseHex('')).toHaveLength(0);
    expect(() => parseHex('f')).toThrow(RangeError);
    expect(() => parseHex('zz')).toThrow(RangeError);
    expect(() => mac('08:00:2b')).toThrow(RangeError);
  });

  it('ethernet() pads to 60 bytes', () => {
    const f = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: HOST_MAC, type: 0x88b5, payload: 'hi' });
    expect(f).toHaveLength(60);
    expect(Array.from(f.subarray(0, 16))).toEqual(Array.from(parseHex('ffffffffffff 08002b951203 88b5 6869')));
  });

  it('arp() lays out a who-has request as RFC 826 says', () => {
    const f = arp({ op: ArpOp.Request, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.2' });
    expect(Array.from(f)).toEqual(Array.from(parseHex(
      'ff ff ff ff ff ff 08 00 2b 95 12 03 08 06 00 01 08 00 06 04 00 01 08 00 2b 95 12 03 0a 00 00 01'
      + ' 00 00 00 00 00 00 0a 00 00 02' + ' 00'.repeat(18))));
    expect(parseArp(f)).toMatchObject({ op: 1 });
  });

  it('ipv4udp() fills in the IP header checksum of the textbook example (0xb861)', () => {
    // The example header 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7 (115 bytes in all).
    const f = ipv4udp({ srcMac: HOST_MAC, dstMac: PEER.mac, srcIp: '192.168.0.1', dstIp: '192.168.0.199', srcPort: 53, dstPort: 1024, payload: new Uint8Array(87) });
    expect(Array.from(f.subarray(14, 34))).toEqual(Array.from(parseHex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7')));
    expect(internetChecksum(f.subarray(14, 34))).toBe(0);
  });

  it('ipv4udp() fills in a UDP checksum equal to the long-hand sum, odd lengths included', () => {
    for (const payload of ['', 'a', 'hello, exokernel', 'x'.repeat(1001)]) {
      const f = ipv4udp({ srcMac: HOST_MAC, dstMac: PEER.mac, srcIp: '10.0.0.1', dstIp: PEER.ip, srcPort: 1234, dstPort: 7, payload });
      expect((f[40] << 8) | f[41]).toBe(slowUdpChecksum(f));
      const u = parseIpv4Udp(f)!;
      expect(u.checksumsOk).toBe(true);
      expect(new TextDecoder().decode(u.payload)).toBe(payload);
    }
    const bad = ipv4udp({ srcMac: HOST_MAC, dstMac: PEER.mac, srcIp: '10.0.0.1', dstIp: PEER.ip, srcPort: 1, dstPort: 7, payload: 'x' });
    bad[42] ^= 1;
    expect(parseIpv4Udp(bad)!.checksumsOk).toBe(false);
  });
});

describe('Wire', () => {
  it('delivers an injected frame at its cycle and captures both directions in cycle order', () => {
    const { machine, wire, net } = boot();
    const start = machine.cpu.cycles;
    const ping = ipv4udp({ srcMac: PEER.mac, dstMac: net.mac, srcIp: PEER.ip, dstIp: '10.0.0.1', srcPort: 7, dstPort: 9, payload: 'ping' });
    wire.inject(ping, start + 10_000);
    machine.run(9_000);
    expect(machine.lance.stats().received).toBe(0);
    machine.run(10_000);
    expect(net.service().map((f) => Array.from(f))).toEqual([Array.from(ping)]);
    net.send(ethernet({ dst: PEER.mac, src: net.mac, type: 0x88b5, payload: 'out' }));
    machine.run(10_000);
    expect(wire.capture.map((c) => c.direction)).toEqual(['in', 'out']);
    expect(wire.capture[0].cycle).toBe(start + 10_000);
    expect(wire.capture[1].cycle).toBeGreaterThan(start + 10_000);
    expect(new TextDecoder().decode(wire.capture[1].frame.subarray(14, 17))).toBe('out');
  });

  it('writes a pcap file with nanosecond timestamps from the cycle counter', () => {
    const { machine, wire } = boot();
    const base = machine.cpu.cycles;
    const f = arp({ op: ArpOp.Request, senderMac: PEER.mac, senderIp: PEER.ip, targetIp: '10.0.0.1' });
    wire.inject(f, 25_000_001);
    machine.run(25_000_010 - base);
    const { header, records } = readPcap(wire.pcap());
    expect(header).toEqual({ magic: 0xa1b23c4d, major: 2, minor: 4, linktype: 1 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ sec: 1, nsec: 40 });
    expect(Array.from(records[0].frame)).toEqual(Array.from(f));
  });

  it.skipIf(!HAS_TSHARK)('writes a pcap file tshark reads, with good checksums (skipped when tshark is not installed)', () => {
    const { machine, wire, net } = boot();
    wire.attach(new PeerHost(PEER));
    net.send(arp({ op: ArpOp.Request, senderMac: net.mac, senderIp: '10.0.0.1', targetIp: PEER.ip }));
    net.send(ipv4udp({ srcMac: net.mac, dstMac: PEER.mac, srcIp: '10.0.0.1', dstIp: PEER.ip, srcPort: 4000, dstPort: 7, payload: 'echo me' }));
    machine.run(50_000);
    const dir = mkdtempSync(join(tmpdir(), 'exoscope-wire-'));
    try {
      const file = join(dir, 'wire.pcap');
      writeFileSync(file, wire.pcap());
      const r = spawnSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-T', 'fields',
        '-E', 'separator=,', '-e', 'frame.time_epoch', '-e', 'eth.src', '-e', 'arp.opcode', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'udp.srcport'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n').map((l) => l.split(','));
      expect(rows.map((c) => c.slice(1))).toEqual([
        [HOST_MAC, '1', '', '', ''],
        [HOST_MAC, '', '1', '1', '4000'],
        [PEER.mac, '2', '', '', ''],
        [PEER.mac, '', '1', '1', '7'],
      ]);
      const times = rows.map((c) => Number(c[0]));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeCloseTo(wire.capture[0].cycle / 25e6, 9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PeerHost', () => {
  it('answers an ARP request for its address after its delay', () => {
    const { machine, wire, net } = boot();
    const peer = new PeerHost({ ...PEER, delay: 5_000 });
    wire.attach(peer);
    net.send(arp({ op: ArpOp.Request, senderMac: net.mac, senderIp: '10.0.0.1', targetIp: PEER.ip }));
    net.send(arp({ op: ArpOp.Request, senderMac: net.mac, senderIp: '10.0.0.1', targetIp: '10.0.0.3' }));
    machine.run(40_000);
    const replies = net.service().map((f) => parseArp(f)!);
    expect(replies).toHaveLength(1);
    expect(formatMac(replies[0].senderMac)).toBe(PEER.mac);
    expect(formatIp(replies[0].senderIp)).toBe(PEER.ip);
    expect(formatMac(replies[0].targetMac)).toBe(formatMac(net.mac));
    expect(replies[0].op).toBe(ArpOp.Reply);
    const [request, , reply] = wire.capture;
    const requestEnd = request.cycle + machine.lance.wireCycles(64);
    expect(reply.cycle).toBe(requestEnd + 5_000);
    expect(peer.answered).toEqual({ arp: 1, udp: 0 });
  });

  it('echoes a UDP datagram with addresses and ports swapped and fresh checksums', () => {
    const { machine, wire, net } = boot();
    wire.attach(new PeerHost(PEER));
    net.send(ipv4udp({ srcMac: net.mac, dstMac: PEER.mac, srcIp: '10.0.0.1', dstIp: PEER.ip, srcPort: 4000, dstPort: 7, payload: 'hello peer', id: 77 }));
    machine.run(20_000);
    const [echo] = net.service();
    const u = parseIpv4Udp(echo)!;
    expect(u).toMatchObject({ srcPort: 7, dstPort: 4000, id: 77, checksumsOk: true });
    expect(formatIp(u.srcIp)).toBe(PEER.ip);
    expect(formatIp(u.dstIp)).toBe('10.0.0.1');
    expect(formatMac(u.dstMac)).toBe(formatMac(net.mac));
    expect(new TextDecoder().decode(u.payload)).toBe('hello peer');
  });

  it('ignores datagrams for other hosts and datagrams with a bad checksum', () => {
    const { machine, wire, net } = boot();
    const peer = new PeerHost(PEER);
    wire.attach(peer);
    const bad = ipv4udp({ srcMac: net.mac, dstMac: PEER.mac, srcIp: '10.0.0.1', dstIp: PEER.ip, srcPort: 1, dstPort: 7, payload: 'x' });
    bad[42] ^= 0xff; // the payload byte
    net.send(bad);
    net.send(ipv4udp({ srcMac: net.mac, dstMac: PEER.mac, srcIp: '10.0.0.1', dstIp: '10.0.0.9', srcPort: 1, dstPort: 7, payload: 'x' }));
    machine.run(20_000);
    expect(net.service()).toEqual([]);
    expect(peer.answered).toEqual({ arp: 0, udp: 0 });
  });
});
