// A scripted GDB client over a Connection, and a small in-memory Target,
// for protocol tests that need no machine.

import { Connection } from '../../src/gdb/connection.js';
import { frame, PacketReader } from '../../src/gdb/packet.js';
import { IDLE_TID, type Resume, type StopInfo, type Target, type ThreadInfo, type WatchKind } from '../../src/gdb/target.js';

/**
 * A target of two threads (1 and 2) and the idle thread, with 64 KiB of
 * memory at 0x00400000 for thread 1 only; it records what it is asked.
 */
export class FakeTarget implements Target {
  readonly mem = new Uint8Array(0x10000);
  readonly regs = new Map<number, number[]>([[1, Array.from({ length: 38 }, (_, i) => i)], [2, Array.from({ length: 38 }, (_, i) => 0x100 + i)]]);
  readonly calls: string[] = [];
  running = false;
  canReverse = true;
  current = 1;
  /** The next stop a resume reports; undefined: it runs until interrupted. */
  nextStop: StopInfo | undefined = { tid: 1, signal: 5, reason: { kind: 'swbreak' } };
  /** Stops reported before nextStop, one a resume (to script a run that goes on). */
  readonly stops: StopInfo[] = [];
  /** Threads killed (vKill). */
  readonly killed = new Set<number>();
  private done: ((s: StopInfo) => void) | undefined;

  threads(): ThreadInfo[] {
    return [{ tid: 1, name: 'memwalk', state: 'environment 1, running on the CPU' }, { tid: 2, name: 'hello', state: 'environment 2, runnable' }, { tid: IDLE_TID, name: 'kernel idle', state: 'not running' }]
      .filter((t) => !this.killed.has(t.tid));
  }
  currentThread(): number { return this.current; }
  readRegisters(tid: number): (number | undefined)[] { return this.regs.get(tid) ?? new Array(38).fill(undefined); }
  writeRegister(tid: number, n: number, v: number): boolean {
    const r = this.regs.get(tid);
    if (!r) return false;
    r[n] = v >>> 0;
    this.calls.push(`P ${tid} ${n}=${v.toString(16)}`);
    return true;
  }
  readMemory(tid: number, addr: number, length: number): Uint8Array | undefined {
    const off = addr - 0x400000;
    if (tid !== 1 || off < 0 || off >= this.mem.length) return undefined;
    return this.mem.slice(off, Math.min(this.mem.length, off + length));
  }
  writeMemory(tid: number, addr: number, bytes: Uint8Array): boolean {
    const off = addr - 0x400000;
    if (tid !== 1 || off < 0 || off + bytes.length > this.mem.length) return false;
    this.mem.set(bytes, off);
    return true;
  }
  setBreakpoint(addr: number, on: boolean, tid?: number): boolean { this.calls.push(`${on ? 'Z' : 'z'} ${addr.toString(16)}${tid !== undefined ? ` in ${tid}` : ''}`); return true; }
  setWatchpoint(kind: WatchKind, addr: number, length: number, on: boolean, tid?: number): boolean {
    this.calls.push(`${on ? 'watch' : 'unwatch'} ${kind} ${addr.toString(16)} ${length} ${tid}`);
    return true;
  }
  resume(how: Resume, done: (s: StopInfo) => void): void {
    this.calls.push(`resume ${how.kind}${how.tid !== undefined ? ` ${how.tid}` : ''}${how.exits ? ' (exits)' : ''}`);
    const scripted = this.stops.shift() ?? this.nextStop;
    if (scripted) { done(scripted); return; }
    this.running = true;
    this.done = done;
  }
  interrupt(): void {
    if (!this.running) return;
    this.calls.push('interrupt');
    this.running = false;
    const d = this.done!;
    this.done = undefined;
    setImmediate(() => d({ tid: this.current, signal: 2 }));
  }
  execFile(tid: number): string | undefined { return tid === IDLE_TID ? undefined : tid === 2 ? '/images/hello.elf' : '/images/memwalk.elf'; }
  detach(tid?: number): void {
    this.calls.push(tid === undefined ? 'detach' : `detach ${tid}`);
    if (tid === undefined) this.interrupt();
  }
  kill(tid: number): boolean {
    this.calls.push(`kill ${tid}`);
    if (tid === IDLE_TID) return false;
    this.killed.add(tid);
    return true;
  }
}

/** A client that speaks to a Connection directly: what GDB would write, and what comes back. */
export class Client {
  readonly conn: Connection;
  readonly log: string[] = [];
  private readonly reader = new PacketReader(1 << 20);
  private raw = '';
  closed = false;

  constructor(readonly target: Target) {
    this.conn = new Connection(target, {
      write: (t) => { this.raw += t; },
      close: () => { this.closed = true; },
      log: (l) => this.log.push(l),
    });
  }

  /** Sends raw bytes. */
  write(text: string): void {
    this.conn.feed(Buffer.from(text, 'latin1'));
  }

  /** Sends a packet (framed), acking nothing. */
  send(data: string): void {
    this.write(frame(data));
  }

  /** Everything received since the last call, raw. */
  takeRaw(): string {
    const r = this.raw;
    this.raw = '';
    return r;
  }

  /** The packets received since the last call (acks dropped). */
  packets(): string[] {
    return this.reader.feed(Buffer.from(this.takeRaw(), 'latin1')).flatMap((e) => (e.kind === 'packet' ? [e.data] : []));
  }

  /** Sends `data` and returns the one packet that answers it. */
  ask(data: string): string {
    this.send(data);
    const p = this.packets();
    if (p.length !== 1) throw new Error(`expected one reply to ${data}, got ${JSON.stringify(p)}`);
    return p[0];
  }
}
