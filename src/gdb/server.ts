// The TCP side: listens on 127.0.0.1 only, one debugger at a time. A
// second client is told why it is refused (an error reply to its first
// packet, which GDB prints) and closed; the first keeps its session.

import { createServer, type Server, type Socket } from 'node:net';
import { frame, PacketReader } from './packet.js';
import { Connection } from './connection.js';
import type { Target } from './target.js';

/** Options of a GdbServer. */
export interface GdbServerOptions {
  /** Port to listen on (0: any free port; see `port` once listening). */
  readonly port: number;
  /** Host log lines (stderr). */
  readonly log: (line: string) => void;
  /** Called when a debugger attaches, and when it goes away. */
  readonly onClient?: (attached: boolean) => void;
}

/** The message a second debugger gets. */
export const BUSY = 'E.exoscope: another debugger is already attached to this session (one at a time)';

/** A GDB remote server over one target. */
export class GdbServer {
  private server: Server | undefined;
  private client: { socket: Socket; conn: Connection } | undefined;
  /** Refused clients not yet gone (closed with the server). */
  private readonly refused = new Set<Socket>();

  constructor(private readonly target: Target, private readonly opts: GdbServerOptions) {}

  /** Starts listening; resolves with the port. Rejects with the listen error (say, the port is in use). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => {
        server.off('error', reject);
        server.on('error', (e) => this.opts.log(`gdb server: ${e.message}`));
        this.server = server;
        resolve(this.port);
      });
    });
  }

  /** The port it listens on (0 before listen). */
  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  /** Whether a debugger is attached. */
  get attached(): boolean {
    return this.client !== undefined;
  }

  private accept(socket: Socket): void {
    socket.on('error', (e) => this.opts.log(`gdb client ${socket.remoteAddress}: ${e.message}`));
    if (this.client) {
      this.opts.log('refused a second debugger: one is already attached');
      this.refuse(socket);
      return;
    }
    socket.setNoDelay(true);
    const conn = new Connection(this.target, {
      write: (t) => { if (!socket.destroyed) socket.write(Buffer.from(t, 'latin1')); },
      close: () => socket.end(),
      log: this.opts.log,
    });
    this.client = { socket, conn };
    this.opts.log(`debugger attached from ${socket.remoteAddress}:${socket.remotePort}`);
    this.opts.onClient?.(true);
    socket.on('data', (d) => conn.feed(d));
    socket.on('close', () => {
      conn.close();
      if (this.client?.socket === socket) {
        this.client = undefined;
        this.opts.log('debugger went away');
        this.opts.onClient?.(false);
      }
    });
  }

  /**
   * Answers a second client's first packet (GDB's qSupported) with BUSY,
   * which GDB prints as a remote failure reply, and closes it.
   */
  private refuse(socket: Socket): void {
    this.refused.add(socket);
    socket.on('close', () => this.refused.delete(socket));
    const reader = new PacketReader();
    socket.on('data', (d) => {
      if (!reader.feed(d).some((e) => e.kind === 'packet' || e.kind === 'bad-checksum' || e.kind === 'oversized')) return;
      socket.end('+' + frame(BUSY));
    });
  }

  /** Stops listening and drops the client. */
  close(): Promise<void> {
    this.client?.socket.destroy();
    for (const s of this.refused) s.destroy();
    return new Promise((resolve) => { if (this.server) this.server.close(() => resolve()); else resolve(); });
  }
}
