// The Ethernet outside the machine: a Wire attached to the LANCE injects
// frames at chosen cycles, captures every frame in both directions with its
// cycle, writes a libpcap file of them in emulated time, and carries the
// LANCE's frames to simulated peers. A PeerHost answers ARP for its address
// and echoes UDP datagrams, after a fixed delay, like a host running an echo
// service. Everything happens in emulated cycles; nothing reads the host clock.

import { LANCE_MAX_FRAME, type Machine } from '../emu/index.js';
import { CaptureLog } from './capture.js';
import { ArpOp, arp, EtherType, formatIp, formatMac, ip, ipv4udp, mac, parseArp, parseEthernet, parseIpv4Udp, type IpLike, type MacLike } from './ethernet.js';

/** One frame seen on the wire: `in` travels towards the machine, `out` was sent by it. */
export interface Captured {
  /** The cycle its first bit went on the wire. */
  readonly cycle: number;
  readonly direction: 'in' | 'out';
  /** The frame without FCS. */
  readonly frame: Uint8Array;
  /** On a segment of several machines (ethernet.ts): the machine that sent it; absent for a frame from outside. */
  readonly from?: string;
}

/** What a peer can do to the wire: put a frame on it towards the machines at a cycle. */
export interface FrameSink {
  inject(frame: Uint8Array, at?: number): void;
}

/** Something on the wire that hears the machine's frames. */
export interface WirePeer {
  /** Called with each frame a machine sent and the cycle its last bit arrived. */
  onFrame(frame: Uint8Array, cycle: number, wire: FrameSink): void;
}

/**
 * The Ethernet outside the machines as the session uses it: one machine's
 * Wire, or the Ethernet segment of several (ethernet.ts).
 */
export interface EtherLink extends FrameSink {
  /** Every frame on the wire, in cycle order (the newest, up to the capture's limit: capture.ts). */
  readonly capture: readonly Captured[];
  /** Frames dropped from the front of the capture to keep it under its limit. */
  readonly captureDropped: number;
  pcap(): Uint8Array;
  attach(peer: WirePeer): void;
  save(): unknown;
  restore(s: unknown): void;
}

/** Frames queued towards a machine, saved: frame i arrives at at[i] and is bytes[ends[i - 1] .. ends[i]) (from 0 for the first). */
export interface SavedQueue {
  readonly at: Float64Array;
  readonly ends: Uint32Array;
  readonly bytes: Uint8Array;
}

/** `queue` as a SavedQueue (the frames copied). */
function saveQueue(queue: readonly { at: number; frame: Uint8Array }[]): SavedQueue {
  const at = new Float64Array(queue.length), ends = new Uint32Array(queue.length);
  let n = 0;
  queue.forEach((q, i) => { at[i] = q.at; n += q.frame.length; ends[i] = n; });
  const bytes = new Uint8Array(n);
  queue.forEach((q, i) => bytes.set(q.frame, ends[i] - q.frame.length));
  return { at, ends, bytes };
}

/** The queue a SavedQueue holds (fresh frames). */
function restoreQueue(s: SavedQueue): { at: number; frame: Uint8Array }[] {
  return Array.from(s.at, (at, i) => ({ at, frame: s.bytes.slice(i === 0 ? 0 : s.ends[i - 1], s.ends[i]) }));
}

/** pcap's magic for nanosecond timestamps, the version, and LINKTYPE_ETHERNET. */
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_SNAPLEN = 65535;
const LINKTYPE_ETHERNET = 1;

/** The wire between one machine's LANCE and the outside world. */
export class Wire implements EtherLink {
  private readonly log: CaptureLog;
  private queue: { at: number; frame: Uint8Array }[] = [];
  /** The queue as `save` last returned it; undefined once the queue changed. */
  private savedQueue: SavedQueue | undefined;
  private readonly peers: WirePeer[] = [];

  /** Attaches to `machine`'s LANCE (listening to what it sends) and to its scheduler; the capture keeps up to `captureLimit` bytes. */
  constructor(private readonly machine: Machine, captureLimit?: number) {
    this.log = new CaptureLog(captureLimit);
    machine.lance.onTransmit.add((frame, cycle) => this.fromMachine(frame, cycle));
    machine.addClockClient({ nextEvent: () => this.queue[0]?.at ?? Infinity, tick: (now) => this.deliver(now) });
  }

  /** Every frame in both directions, in cycle order (the newest, up to the capture's limit). */
  get capture(): readonly Captured[] {
    return this.log.frames;
  }

  /** Frames dropped from the front of the capture to keep it under its limit. */
  get captureDropped(): number {
    return this.log.dropped;
  }

  /** The frames still to come and how much has been captured, for checkpoints. */
  save(): { queue: SavedQueue; captured: number } {
    // A checkpoint is taken every few hundred thousand cycles and a timeline may queue hundreds of frames
    // at once: they are saved as three typed arrays (one copy each), built again only after the queue changed.
    this.savedQueue ??= saveQueue(this.queue);
    return { queue: this.savedQueue, captured: this.log.total };
  }

  /** Restores what `save()` returned: the queue, and the capture cut back to that point. */
  restore(s: { queue: SavedQueue; captured: number }): void {
    this.queue = restoreQueue(s.queue);
    this.savedQueue = undefined;
    this.log.truncate(s.captured);
  }

  /** Adds a peer that hears every frame the machine sends. */
  attach(peer: WirePeer): void {
    this.peers.push(peer);
  }

  /**
   * Puts `frame` on the wire towards the machine at cycle `at` (default now;
   * a past cycle means now), after frames scheduled earlier or at the same
   * cycle. Throws RangeError for a frame longer than the LANCE takes.
   */
  inject(frame: Uint8Array, at = this.machine.cpu.cycles): void {
    if (frame.length > LANCE_MAX_FRAME) throw new RangeError(`Frame of ${frame.length} bytes is longer than the LANCE's ${LANCE_MAX_FRAME}`);
    const when = Math.max(at, this.machine.cpu.cycles);
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].at > when) i--;
    this.queue.splice(i, 0, { at: when, frame: Uint8Array.from(frame) });
    this.savedQueue = undefined;
    this.machine.cpu.clampLimit(when);
  }

  /** The capture as a libpcap file: nanosecond timestamps from the cycle counter, LINKTYPE_ETHERNET. */
  pcap(): Uint8Array {
    return pcapFile(this.log.frames, this.machine.cpuHz);
  }

  /** Hands every frame due by `now` to the LANCE. */
  private deliver(now: number): void {
    while (this.queue.length > 0 && this.queue[0].at <= now) {
      const { at, frame } = this.queue.shift()!;
      this.savedQueue = undefined;
      this.record({ cycle: at, direction: 'in', frame });
      this.machine.lance.receive(frame);
    }
  }

  private fromMachine(frame: Uint8Array, start: number): void {
    const copy = Uint8Array.from(frame);
    this.record({ cycle: start, direction: 'out', frame: copy });
    const now = this.machine.cpu.cycles;
    for (const p of this.peers) p.onFrame(copy, now, this);
  }

  /** Keeps the capture in cycle order (an outgoing frame is recorded when it ends, with its start). */
  private record(c: Captured): void {
    this.log.add(c);
  }
}

/** `capture` (in cycle order) as a libpcap file: nanosecond timestamps from the cycle counter at `hz`, LINKTYPE_ETHERNET. */
export function pcapFile(capture: readonly Captured[], hz: number): Uint8Array {
  const size = 24 + capture.reduce((n, c) => n + 16 + c.frame.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, PCAP_MAGIC_NS, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, PCAP_SNAPLEN, true);
  v.setUint32(20, LINKTYPE_ETHERNET, true);
  let at = 24;
  for (const c of capture) {
    const sec = Math.floor(c.cycle / hz);
    v.setUint32(at, sec, true);
    v.setUint32(at + 4, Math.floor(((c.cycle - sec * hz) * 1e9) / hz), true);
    v.setUint32(at + 8, c.frame.length, true);
    v.setUint32(at + 12, c.frame.length, true);
    out.set(c.frame, at + 16);
    at += 16 + c.frame.length;
  }
  return out;
}

/** Options of a simulated host. */
export interface PeerHostOptions {
  mac: MacLike;
  ip: IpLike;
  /** Cycles between hearing a frame and putting the answer on the wire (default 2,500: 100 us at 25 MHz). */
  delay?: number;
  /** The UDP port of its echo service (default: every port). Datagrams to other ports are not answered. */
  echoPort?: number;
}

/** A host on the wire: answers ARP requests for its address and echoes UDP datagrams sent to it. */
export class PeerHost implements WirePeer {
  readonly mac: Uint8Array;
  readonly ip: Uint8Array;
  readonly delay: number;
  readonly echoPort: number | undefined;
  /** What it answered, for tests and the debugger. */
  readonly answered = { arp: 0, udp: 0 };

  /** Throws RangeError for a malformed address or a negative delay. */
  constructor(opts: PeerHostOptions) {
    this.mac = mac(opts.mac);
    this.ip = ip(opts.ip);
    this.delay = opts.delay ?? 2_500;
    this.echoPort = opts.echoPort;
    if (!Number.isInteger(this.delay) || this.delay < 0) throw new RangeError(`PeerHost delay ${this.delay} is not a cycle count`);
  }

  /** Answers the frame if it is an ARP request for this host or a UDP datagram to it. */
  onFrame(frame: Uint8Array, cycle: number, wire: FrameSink): void {
    const answer = this.arpReply(frame) ?? this.udpEcho(frame);
    if (answer) wire.inject(answer, cycle + this.delay);
  }

  private arpReply(frame: Uint8Array): Uint8Array | undefined {
    const a = parseArp(frame);
    if (!a || a.op !== ArpOp.Request || formatIp(a.targetIp) !== formatIp(this.ip)) return undefined;
    this.answered.arp++;
    return arp({ op: ArpOp.Reply, senderMac: this.mac, senderIp: this.ip, targetMac: a.senderMac, targetIp: a.senderIp });
  }

  private udpEcho(frame: Uint8Array): Uint8Array | undefined {
    const e = parseEthernet(frame);
    if (!e || e.type !== EtherType.IPv4 || formatMac(e.dst) !== formatMac(this.mac)) return undefined;
    const u = parseIpv4Udp(frame);
    if (!u || !u.checksumsOk || formatIp(u.dstIp) !== formatIp(this.ip)) return undefined;
    if (this.echoPort !== undefined && u.dstPort !== this.echoPort) return undefined;
    this.answered.udp++;
    return ipv4udp({
      srcMac: this.mac, dstMac: u.srcMac, srcIp: this.ip, dstIp: u.srcIp,
      srcPort: u.dstPort, dstPort: u.srcPort, payload: u.payload, id: u.id,
    });
  }
}
