// Ethernet frames built and read from fields, for the wire outside the
// machine (wire.ts) and for scenarios: Ethernet II (IEEE 802.3 frame with a
// type field; no FCS, as a capture shows it), ARP (RFC 826), IPv4 (RFC 791)
// with UDP (RFC 768), and the Internet checksum (RFC 1071).

/** A MAC address: "08:00:2b:95:12:03" (or with dashes) or six bytes. */
export type MacLike = string | ArrayLike<number>;
/** An IPv4 address: "10.0.0.1" or four bytes. */
export type IpLike = string | ArrayLike<number>;
/** Bytes, or a string taken as Latin-1. */
export type BytesLike = Uint8Array | string;

/** EtherType values used here. */
export const EtherType = { IPv4: 0x0800, ARP: 0x0806 } as const;
/** The broadcast address. */
export const BROADCAST = 'ff:ff:ff:ff:ff:ff';
/** ARP operations. */
export const ArpOp = { Request: 1, Reply: 2 } as const;
/** Shortest Ethernet frame without its FCS; shorter frames are padded with zeros. */
export const MIN_FRAME = 60;
const ETH_HEADER = 14, IP_HEADER = 20, UDP_HEADER = 8, IPPROTO_UDP = 17;

/** Six bytes of `m`; throws RangeError when it is not a MAC address. */
export function mac(m: MacLike): Uint8Array {
  const parts = typeof m === 'string' ? m.split(/[:-]/).map((p) => (/^[0-9a-f]{1,2}$/i.test(p) ? parseInt(p, 16) : NaN)) : Array.from(m);
  if (parts.length !== 6 || parts.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) throw new RangeError(`${String(m)} is not a MAC address`);
  return Uint8Array.from(parts);
}

/** Four bytes of `a`; throws RangeError when it is not an IPv4 address. */
export function ip(a: IpLike): Uint8Array {
  const parts = typeof a === 'string' ? a.split('.').map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN)) : Array.from(a);
  if (parts.length !== 4 || parts.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) throw new RangeError(`${String(a)} is not an IPv4 address`);
  return Uint8Array.from(parts);
}

/** "08:00:2b:95:12:03". */
export function formatMac(m: ArrayLike<number>): string {
  return Array.from(m, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** "10.0.0.1". */
export function formatIp(a: ArrayLike<number>): string {
  return Array.from(a).join('.');
}

/**
 * Bytes from hex text: pairs of hex digits, optionally separated by spaces,
 * colons, dashes or newlines ("ff ff 08 00", "ff:ff", "ffff0800").
 * Throws RangeError on anything else or an odd number of digits.
 */
export function parseHex(text: string): Uint8Array {
  const digits = text.replace(/[\s:-]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw new RangeError(`Cannot read "${text.slice(0, 40)}" as hex bytes`);
  return Uint8Array.from(digits.match(/../g) ?? [], (p) => parseInt(p, 16));
}

function bytes(b: BytesLike): Uint8Array {
  return typeof b === 'string' ? Uint8Array.from(b, (c) => c.charCodeAt(0) & 0xff) : b;
}

/** An Ethernet II frame, zero-padded to 60 bytes. */
export function ethernet(f: { dst: MacLike; src: MacLike; type: number; payload: BytesLike }): Uint8Array {
  const payload = bytes(f.payload);
  const out = new Uint8Array(Math.max(MIN_FRAME, ETH_HEADER + payload.length));
  out.set(mac(f.dst), 0);
  out.set(mac(f.src), 6);
  put16(out, 12, f.type);
  out.set(payload, ETH_HEADER);
  return out;
}

/** The fields of an ARP packet for IPv4 over Ethernet. */
export interface ArpFields {
  op: number;
  senderMac: MacLike; senderIp: IpLike;
  targetMac?: MacLike; targetIp: IpLike;
  /** Ethernet destination (default: broadcast for a request, the target for a reply). */
  dst?: MacLike;
}

/** An Ethernet frame holding an ARP packet (RFC 826; hardware type 1, protocol IPv4). */
export function arp(a: ArpFields): Uint8Array {
  const p = new Uint8Array(28);
  put16(p, 0, 1);
  put16(p, 2, EtherType.IPv4);
  p[4] = 6; p[5] = 4;
  put16(p, 6, a.op);
  p.set(mac(a.senderMac), 8);
  p.set(ip(a.senderIp), 14);
  p.set(mac(a.targetMac ?? '00:00:00:00:00:00'), 18);
  p.set(ip(a.targetIp), 24);
  const dst = a.dst ?? (a.op === ArpOp.Request ? BROADCAST : a.targetMac ?? BROADCAST);
  return ethernet({ dst, src: a.senderMac, type: EtherType.ARP, payload: p });
}

/** The fields of a UDP datagram in IPv4 in Ethernet. */
export interface UdpFields {
  srcMac: MacLike; dstMac: MacLike;
  srcIp: IpLike; dstIp: IpLike;
  srcPort: number; dstPort: number;
  payload: BytesLike;
  /** IP time to live (default 64), identification (default 0), don't-fragment (default true). */
  ttl?: number; id?: number; df?: boolean;
}

/** An Ethernet frame holding an IPv4 header (no options) and a UDP datagram, both checksums filled in. */
export function ipv4udp(u: UdpFields): Uint8Array {
  const payload = bytes(u.payload);
  const src = ip(u.srcIp), dst = ip(u.dstIp);
  const udpLen = UDP_HEADER + payload.length, total = IP_HEADER + udpLen;
  if (total > 0xffff) throw new RangeError(`UDP payload of ${payload.length} bytes does not fit in an IPv4 datagram`);
  const p = new Uint8Array(total);
  p[0] = 0x45;
  put16(p, 2, total);
  put16(p, 4, u.id ?? 0);
  put16(p, 6, (u.df ?? true) ? 0x4000 : 0);
  p[8] = u.ttl ?? 64;
  p[9] = IPPROTO_UDP;
  p.set(src, 12);
  p.set(dst, 16);
  put16(p, 10, internetChecksum(p.subarray(0, IP_HEADER)));
  put16(p, 20, u.srcPort);
  put16(p, 22, u.dstPort);
  put16(p, 24, udpLen);
  p.set(payload, 28);
  put16(p, 26, udpChecksum(src, dst, p.subarray(IP_HEADER)));
  return ethernet({ dst: u.dstMac, src: u.srcMac, type: EtherType.IPv4, payload: p });
}

/**
 * The Internet checksum (RFC 1071) of `data` with `initial` (a partial
 * one's-complement sum) folded in: the complement of the 16-bit
 * one's-complement sum. A header that holds its own correct checksum gives 0.
 */
export function internetChecksum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.length & 1) sum += data[data.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The UDP checksum of `udp` (header with a zero checksum field, and data) over the IPv4 pseudo-header; 0 is sent as 0xffff. */
export function udpChecksum(src: Uint8Array, dst: Uint8Array, udp: Uint8Array): number {
  const c = internetChecksum(udp, pseudoSum(src, dst, udp.length));
  return c === 0 ? 0xffff : c;
}

/** An Ethernet frame's fields; undefined when it is shorter than a header. */
export function parseEthernet(frame: Uint8Array): { dst: Uint8Array; src: Uint8Array; type: number; payload: Uint8Array } | undefined {
  if (frame.length < ETH_HEADER) return undefined;
  return { dst: frame.slice(0, 6), src: frame.slice(6, 12), type: get16(frame, 12), payload: frame.subarray(ETH_HEADER) };
}

/** An ARP frame's fields (IPv4 over Ethernet only); undefined for anything else. */
export function parseArp(frame: Uint8Array): { op: number; senderMac: Uint8Array; senderIp: Uint8Array; targetMac: Uint8Array; targetIp: Uint8Array } | undefined {
  const e = parseEthernet(frame);
  if (!e || e.type !== EtherType.ARP || e.payload.length < 28) return undefined;
  const p = e.payload;
  if (get16(p, 0) !== 1 || get16(p, 2) !== EtherType.IPv4 || p[4] !== 6 || p[5] !== 4) return undefined;
  return { op: get16(p, 6), senderMac: p.slice(8, 14), senderIp: p.slice(14, 18), targetMac: p.slice(18, 24), targetIp: p.slice(24, 28) };
}

/** A UDP datagram read from a frame. */
export interface UdpDatagram {
  srcMac: Uint8Array; dstMac: Uint8Array; srcIp: Uint8Array; dstIp: Uint8Array;
  srcPort: number; dstPort: number; ttl: number; id: number; df: boolean;
  payload: Uint8Array;
  /** Both the IP header checksum and the UDP checksum (when one was sent) hold. */
  checksumsOk: boolean;
}

/** A UDP-in-IPv4 frame's fields (no IP options, no fragments); undefined for anything else. */
export function parseIpv4Udp(frame: Uint8Array): UdpDatagram | undefined {
  const e = parseEthernet(frame);
  if (!e || e.type !== EtherType.IPv4) return undefined;
  const p = e.payload;
  if (p.length < IP_HEADER + UDP_HEADER || p[0] !== 0x45 || p[9] !== IPPROTO_UDP || (get16(p, 6) & 0x3fff) !== 0) return undefined;
  const total = get16(p, 2), udpLen = get16(p, IP_HEADER + 4);
  if (total > p.length || total < IP_HEADER + UDP_HEADER || udpLen !== total - IP_HEADER) return undefined;
  const srcIp = p.slice(12, 16), dstIp = p.slice(16, 20), udp = p.subarray(IP_HEADER, total);
  const udpSum = get16(udp, 6);
  const ipOk = internetChecksum(p.subarray(0, IP_HEADER)) === 0;
  const udpOk = udpSum === 0 || internetChecksum(udp, pseudoSum(srcIp, dstIp, udp.length)) === 0;
  return {
    srcMac: e.src, dstMac: e.dst, srcIp, dstIp, srcPort: get16(udp, 0), dstPort: get16(udp, 2),
    payload: udp.slice(UDP_HEADER), ttl: p[8], id: get16(p, 4), df: (p[6] & 0x40) !== 0, checksumsOk: ipOk && udpOk,
  };
}

/** The one's-complement sum of the UDP pseudo-header: addresses, protocol, UDP length. */
function pseudoSum(src: Uint8Array, dst: Uint8Array, len: number): number {
  return ((src[0] << 8) | src[1]) + ((src[2] << 8) | src[3]) + ((dst[0] << 8) | dst[1]) + ((dst[2] << 8) | dst[3]) + IPPROTO_UDP + len;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function get16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}
