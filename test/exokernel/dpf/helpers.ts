// Filters and packets for the DPF tests: atom builders, the usual UDP demux
// filter, Ethernet/IPv4/UDP frames, and a small seeded PRNG.

import { type Atom, type Width, encodeFilter } from '../../../src/exokernel/dpf/index.js';

const full = (w: Width) => (w === 4 ? 0xffffffff : (1 << (8 * w)) - 1);

/** A compare atom; the mask defaults to the whole field. */
export const cmp = (width: Width, offset: number, value: number, mask = full(width)): Atom =>
  ({ kind: 'compare', width, offset, mask, value });

/** A shift atom. */
export const shift = (width: Width, offset: number, mask: number, by: number): Atom =>
  ({ kind: 'shift', width, offset, mask, shift: by });

export const ETH_TYPE_IP = 0x0800;
export const IP_PROTO_UDP = 17;

/** Ethernet type IP, IP protocol UDP. */
export const ipUdp = (): Atom[] => [cmp(2, 12, ETH_TYPE_IP), cmp(1, 23, IP_PROTO_UDP)];

/** UDP destination port `port`, after an IP header of any length (IHL shift). */
export const udpPort = (port: number): Atom[] => [...ipUdp(), shift(1, 14, 0x0f, 2), cmp(2, 16, port)];

/** UDP destination port `port` at the fixed offset of a 20-byte IP header. */
export const udpPortFixed = (port: number): Atom[] => [...ipUdp(), cmp(2, 36, port)];

/** Words for `atoms`. */
export const words = (atoms: Atom[]) => encodeFilter(atoms);

/** An Ethernet frame with an IPv4 header of `ihl` words, protocol `proto`, and a UDP header to `port`. */
export function udpFrame(port: number, opts: { ihl?: number; proto?: number; type?: number; payload?: number } = {}): Uint8Array {
  const ihl = opts.ihl ?? 5, ip = 14, udp = ip + 4 * ihl;
  const p = new Uint8Array(udp + 8 + (opts.payload ?? 18));
  const type = opts.type ?? ETH_TYPE_IP;
  p[12] = type >> 8; p[13] = type & 0xff;
  p[ip] = 0x40 | ihl;
  p[ip + 9] = opts.proto ?? IP_PROTO_UDP;
  p[udp] = 0x04; p[udp + 1] = 0xd2; // source port 1234
  p[udp + 2] = port >> 8; p[udp + 3] = port & 0xff;
  return p;
}

/** xorshift32 (Marsaglia 2003): a deterministic generator for tests. */
export class XorShift {
  private s: number;
  constructor(seed: number) { this.s = (seed >>> 0) || 1; }
  /** The next value, 0..2^32-1. */
  next(): number {
    let x = this.s;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return (this.s = x);
  }
  /** 0..n-1. */
  int(n: number): number { return this.next() % n; }
  /** One of `xs`. */
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  /** True with probability p. */
  chance(p: number): boolean { return this.next() / 0x100000000 < p; }
}
