// One Ethernet segment joining several emulated machines (a scenario's
// `machines:`), with frames from outside (injected, or the simulated peer
// host's answers) heard by all of them. The wire model is the LANCE's own
// (lance.ts, "Timing"): 10 Mb/s, a frame holds the wire for its preamble,
// its bytes and the interframe gap. A frame is handed over as its first bit
// goes out (Lance.onTransmitStart) and every other station has it whole at
// the cycle its last bit leaves the sender (no propagation delay at this
// scale). The session runs the machines in lock-step quanta shorter than
// any frame (lockstep.ts), so a frame always reaches a station before that
// station's clock passes its end: delivery is at exact cycles, and the
// same scenario gives the same frames at the same cycles on every run.
//
// What the model leaves out, as the LANCE does: collisions and deferral
// (two stations may send at once; each receiver takes the frames one after
// the other), and a transmission its sender stops (CSR0 STOP) after it
// started still reaches the others whole.

import { LANCE_MAX_FRAME, type Machine } from '../emu/index.js';
import { CaptureLog } from './capture.js';
import { pcapFile, type Captured, type EtherLink, type WirePeer } from './wire.js';

/** A machine on the segment and its name (the scenario's). */
export interface Station {
  readonly name: string;
  readonly machine: Machine;
}

/** A frame from outside waiting to reach one station: when it starts, and its number (it is captured once, by the first station). */
interface Outside { readonly at: number; readonly frame: Uint8Array; readonly seq: number }

/** What Ethernet.save returns. */
export interface EthernetState {
  readonly queues: readonly (readonly { at: number; frame: number[]; seq: number }[])[];
  readonly captured: number;
  readonly seq: number;
  readonly recorded: readonly number[];
  readonly late: number;
}

/** The segment: every station hears every other station's frames and the frames from outside. */
export class Ethernet implements EtherLink {
  private readonly log: CaptureLog;
  private queues: Outside[][];
  private readonly peers: WirePeer[] = [];
  private seq = 0;
  /** Frames from outside that some station has put in the capture and some other station has still to receive. */
  private recorded = new Set<number>();
  /**
   * Frames that reached a station after its clock had passed their end
   * (taken as arriving at once). The lock-step quantum makes this 0; a test
   * checks it.
   */
  late = 0;

  /**
   * Listens to every station's transmissions as they start, and puts a
   * clock client on each machine; the capture keeps up to `captureLimit`
   * bytes (capture.ts). Throws RangeError for fewer than two stations.
   */
  constructor(private readonly stations: readonly Station[], captureLimit?: number) {
    this.log = new CaptureLog(captureLimit);
    if (stations.length < 2) throw new RangeError(`An Ethernet segment needs two or more machines, got ${stations.length}`);
    this.queues = stations.map(() => []);
    stations.forEach((st, i) => {
      st.machine.lance.onTransmitStart.add((frame, start, end) => this.fromStation(i, frame, start, end));
      st.machine.addClockClient({ nextEvent: () => this.queues[i][0]?.at ?? Infinity, tick: (now) => this.deliver(i, now) });
    });
  }

  /** Every frame on the wire, in cycle order (frames at the same cycle in the order they were put there). */
  get capture(): readonly Captured[] {
    return this.log.frames;
  }

  /** Frames dropped from the front of the capture to keep it under its limit. */
  get captureDropped(): number {
    return this.log.dropped;
  }

  /** The capture as a libpcap file (wire.ts, pcapFile). */
  pcap(): Uint8Array {
    return pcapFile(this.capture, this.stations[0].machine.cpuHz);
  }

  /** Adds a peer that hears every frame a station sends. */
  attach(peer: WirePeer): void {
    this.peers.push(peer);
  }

  /**
   * Puts `frame` on the wire from outside at cycle `at` (default: the first
   * station's now; a station already past it gets it at once): every
   * station hears it. Throws RangeError for a frame longer than the LANCE takes.
   */
  inject(frame: Uint8Array, at = this.stations[0].machine.cpu.cycles): void {
    if (frame.length > LANCE_MAX_FRAME) throw new RangeError(`Frame of ${frame.length} bytes is longer than the LANCE's ${LANCE_MAX_FRAME}`);
    const seq = this.seq++;
    this.stations.forEach((st, i) => {
      const when = Math.max(at, st.machine.cpu.cycles);
      const q = this.queues[i];
      let j = q.length;
      while (j > 0 && q[j - 1].at > when) j--;
      q.splice(j, 0, { at: when, frame: Uint8Array.from(frame), seq });
      st.machine.cpu.clampLimit(when);
    });
  }

  /** The frames from outside still to come, the capture's length, what is recorded (for checkpoints). */
  save(): EthernetState {
    return {
      queues: this.queues.map((q) => q.map((o) => ({ at: o.at, frame: [...o.frame], seq: o.seq }))),
      captured: this.log.total, seq: this.seq, recorded: [...this.recorded], late: this.late,
    };
  }

  /** Restores what save() returned; the capture is cut back to that point. */
  restore(state: unknown): void {
    const s = state as EthernetState;
    this.queues = s.queues.map((q) => q.map((o) => ({ at: o.at, frame: Uint8Array.from(o.frame), seq: o.seq })));
    this.log.truncate(s.captured);
    this.seq = s.seq;
    this.recorded = new Set(s.recorded);
    this.late = s.late;
  }

  /** Station `i` started sending: every other station has the frame at `end`; peers hear it then. */
  private fromStation(i: number, frame: Uint8Array, start: number, end: number): void {
    this.log.add({ cycle: start, direction: 'out', frame, from: this.stations[i].name });
    this.stations.forEach((st, j) => {
      if (j === i) return;
      if (end <= st.machine.cpu.cycles) this.late++;
      st.machine.lance.receiveAt(frame, end);
      st.machine.cpu.clampLimit(st.machine.lance.nextEvent());
    });
    for (const p of this.peers) p.onFrame(frame, end, this);
  }

  /** Hands station `i` every frame from outside due by `now`. */
  private deliver(i: number, now: number): void {
    const q = this.queues[i];
    while (q.length > 0 && q[0].at <= now) {
      const o = q.shift()!;
      const elsewhere = this.queues.some((other) => other !== q && other.some((x) => x.seq === o.seq));
      if (!this.recorded.has(o.seq)) {
        this.log.add({ cycle: o.at, direction: 'in', frame: o.frame });
        if (elsewhere) this.recorded.add(o.seq);
      } else if (!elsewhere) {
        this.recorded.delete(o.seq); // the last station has it: nothing will ask again
      }
      this.stations[i].machine.lance.receive(o.frame);
    }
  }
}
