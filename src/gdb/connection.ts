// One debugger connection over any byte stream: acks and retransmission
// (GDB manual, E.1 "Overview": `+` acknowledges a packet, `-` asks for it
// again), no-ack mode (E.11 "Packet Acknowledgment": after the OK to
// QStartNoAckMode neither side sends acks), interrupts, and the limits
// that keep a bad client from hurting the session: an oversized packet is
// dropped with an error reply, a bad checksum is answered `-`, and an
// exception inside a command is reported to the client as an error
// reply and to the host's log, never thrown into the event loop.

import { frame, INTERRUPT, PACKET_SIZE, PacketReader } from './packet.js';
import { GdbStub } from './stub.js';
import type { Target } from './target.js';

/** What a Connection needs from its transport. */
export interface Transport {
  write(text: string): void;
  /** Closes the stream (after writing what is queued). */
  close(): void;
  /** A line for the host's log (stderr), not the debugger. */
  log(line: string): void;
}

/** The protocol side of one client. Feed it bytes; it writes replies. */
export class Connection {
  private readonly reader = new PacketReader(PACKET_SIZE);
  private readonly stub: GdbStub;
  private acks = true;
  private pendingNoAck = false;
  private lastSent: string | undefined;
  private closed = false;

  constructor(target: Target, private readonly transport: Transport) {
    this.stub = new GdbStub(target, {
      send: (p) => this.send(p),
      end: (why) => { this.transport.log(why === 'kill' ? 'the debugger killed the session' : 'the debugger detached'); this.close(); },
      noAck: () => { this.pendingNoAck = true; },
    });
  }

  /** Whether the connection has ended (detach, kill or close). */
  get ended(): boolean {
    return this.closed;
  }

  /** Bytes from the client. */
  feed(chunk: Uint8Array): void {
    for (const e of this.reader.feed(chunk)) {
      if (this.closed) return;
      switch (e.kind) {
        case 'packet':
          if (this.acks) this.transport.write('+');
          this.run(e.data);
          break;
        case 'bad-checksum':
          if (this.acks) this.transport.write('-');
          else this.transport.log(`dropped a packet with a bad checksum: ${JSON.stringify(e.data.slice(0, 40))}`);
          break;
        case 'oversized':
          if (this.acks) this.transport.write('+');
          this.transport.log(`dropped a packet of ${e.length} bytes (the limit is ${PACKET_SIZE})`);
          this.send('E.packet too long');
          break;
        case 'nack':
          if (this.acks && this.lastSent !== undefined) this.transport.write(frame(this.lastSent));
          break;
        case 'interrupt':
          this.stub.interrupt();
          break;
        case 'ack':
          break;
      }
    }
  }

  /** Runs one command; a host error in it becomes an error reply and a log line. */
  private run(data: string): void {
    try {
      this.stub.packet(data);
    } catch (e) {
      this.transport.log(`error in packet ${JSON.stringify(data.slice(0, 40))}: ${(e as Error).stack ?? e}`);
      this.send('E.internal error in exoscope (see its log)');
    }
  }

  private send(payload: string): void {
    if (this.closed) return;
    this.lastSent = payload;
    this.transport.write(frame(payload));
    if (this.pendingNoAck) { this.pendingNoAck = false; this.acks = false; }
  }

  /** The client went away (or we end it): the target forgets its breakpoints. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stub.disconnected();
    this.transport.close();
  }
}

export { INTERRUPT };
