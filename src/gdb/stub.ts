// The commands of the GDB remote protocol (GDB manual, appendix E: E.2
// "Packets", E.3 "Stop Reply Packets", E.4 "General Query Packets"), in
// all-stop mode, over a Target. Replies are packet payloads handed to
// `send`; framing and acks are the Connection's (connection.ts).
// Unknown packets get the empty reply, as the manual asks; malformed ones
// an error reply (E01 bad syntax, E0e bad address, E16 invalid argument).
//
// With the multiprocess extensions (GDB sends `multiprocess+` in
// qSupported and we answer it) every thread is a process of its own, the
// environment's address space (ptid.ts): GDB makes one inferior per
// environment, reads each one's program through qXfer:exec-file:read:PID,
// and inserts a breakpoint after selecting a thread of the process it is
// for (Hg), so Z0 applies to that environment only. `D;PID` detaches one
// process (the stub stops listing it); the connection ends with the last.

import { escapeBinary, fromHex, PACKET_SIZE, parseHexNumber, toHex, unescapeBinary } from './packet.js';
import { Followed } from './followed.js';
import { parsePid, parseThreadId } from './ptid.js';
import { parseRegHex, Reg, REG_COUNT, regHex, targetXml } from './regs.js';
import { IDLE_TID, type Resume, type StopInfo, type Target, type WatchKind } from './target.js';

const E_SYNTAX = 'E01';
const E_FAULT = 'E0e';
const E_INVAL = 'E16';
const E_RUNNING = 'E.target is running: interrupt it first';
/**
 * Said once in GDB's console when it continues one process only (its
 * default, schedule-multiple off): GDB then keeps the other inferiors'
 * registers from before the run, though they ran too.
 */
const SCHEDULE_MULTIPLE = 'exoscope: one CPU runs every environment (the kernel schedules them), so continuing one process runs them all;\n' +
  "exoscope: type 'set schedule-multiple on' so that gdb knows it (else it shows the other inferiors as they were before the run)\n";

/** What the stub asks of its connection. */
export interface StubIo {
  send(payload: string): void;
  /** The debugger detached or killed: close the connection after the last reply. */
  end(why: 'detach' | 'kill'): void;
  /** No-ack mode was agreed; takes effect after the OK is sent. */
  noAck(): void;
}

/** The stub: one per connection. */
export class GdbStub {
  /** Hg: the thread whose registers and memory `g`, `m` and friends mean (undefined: the one on the CPU). */
  private general: number | undefined;
  /** Hc: the thread `s` and `c` mean. */
  private control: number | undefined;
  private lastStop: StopInfo | undefined;
  /** Whether the debugger was told that one process cannot run alone (SCHEDULE_MULTIPLE). */
  private warnedScheduling = false;
  private left = false;
  /** The threads the debugger follows, and how they are spelled. */
  private readonly threads: Followed;

  constructor(private readonly target: Target, private readonly io: StubIo) {
    this.threads = new Followed(target);
  }

  /** The debugger is gone (D, k, vKill or the connection closed): the target forgets it, once. */
  private leave(): void {
    if (this.left) return;
    this.left = true;
    this.target.detach();
  }

  /** The thread `Hg` selected, or the one on the CPU. */
  private gThread(): number {
    const t = this.general;
    return t !== undefined && this.threads.known(t) ? t : this.threads.current();
  }

  /** Handles one packet's payload. */
  packet(data: string): void {
    if (this.target.running && data !== 'vCont?') { this.io.send(E_RUNNING); return; }
    const reply = this.dispatch(data);
    if (reply !== undefined) this.io.send(reply);
  }

  /** Ctrl-C (0x03): interrupt a running target. */
  interrupt(): void {
    this.target.interrupt();
  }

  /** The client went away without D or k: the target forgets it. */
  disconnected(): void {
    this.leave();
  }

  /** The reply to `data`; undefined when the reply comes later (a resume) or never (k). */
  private dispatch(data: string): string | undefined {
    const c = data[0];
    const rest = data.slice(1);
    switch (c) {
      case '?': return this.stopReply(this.lastStop ?? { tid: this.threads.first(), signal: 5 });
      case 'g': return this.readAll();
      case 'G': return this.writeAll(rest);
      case 'p': return this.readOne(rest);
      case 'P': return this.writeOne(rest);
      case 'm': return this.readMem(rest);
      case 'M': return this.writeMem(rest, false);
      case 'X': return this.writeMem(rest, true);
      case 'H': return this.setThread(rest);
      case 'T': return this.threadAlive(rest);
      case 'Z': case 'z': return this.breakpoint(c === 'Z', rest);
      case 's': case 'c': return this.resumeAt(c === 's' ? 'step' : 'continue', rest, this.control);
      case 'S': case 'C': return this.resumeAt(c === 'S' ? 'step' : 'continue', rest.replace(/^[0-9a-fA-F]{2};?/, ''), this.control);
      case 'b': return this.reverse(rest);
      case 'v': return this.vPacket(data);
      case 'q': return this.query(data);
      case 'Q': return this.setting(data);
      case 'D': return this.detach(rest);
      case 'k': this.leave(); this.io.end('kill'); return undefined;
      default: return '';
    }
  }

  private readAll(): string {
    const regs = this.target.readRegisters(this.gThread());
    let out = '';
    for (let n = 0; n < REG_COUNT; n++) out += regHex(regs[n]);
    return out;
  }

  private writeAll(hex: string): string {
    if (hex.length !== REG_COUNT * 8) return E_SYNTAX;
    const tid = this.gThread();
    for (let n = 0; n <= Reg.PC; n++) {
      const text = hex.slice(n * 8, n * 8 + 8);
      if (/^x+$/i.test(text)) continue;
      const v = parseRegHex(text);
      if (v === undefined) return E_SYNTAX;
      const old = this.target.readRegisters(tid)[n];
      if (old !== undefined && (old >>> 0) !== v) this.target.writeRegister(tid, n, v);
    }
    return 'OK';
  }

  private readOne(rest: string): string {
    const n = parseHexNumber(rest);
    if (n === undefined || n >= REG_COUNT) return E_INVAL;
    return regHex(this.target.readRegisters(this.gThread())[n]);
  }

  private writeOne(rest: string): string {
    const m = /^([0-9a-fA-F]+)=([0-9a-fA-F]{8})$/.exec(rest);
    if (!m) return E_SYNTAX;
    const n = parseHexNumber(m[1]);
    if (n === undefined || n >= REG_COUNT) return E_INVAL;
    return this.target.writeRegister(this.gThread(), n, parseRegHex(m[2])!) ? 'OK' : E_INVAL;
  }

  /** `addr,length`, both hex; undefined when malformed. */
  private addrLen(text: string): { addr: number; len: number } | undefined {
    const m = /^([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(text);
    if (!m) return undefined;
    return { addr: parseHexNumber(m[1])!, len: parseHexNumber(m[2])! };
  }

  private readMem(rest: string): string {
    const a = this.addrLen(rest);
    if (!a) return E_SYNTAX;
    const len = Math.min(a.len, PACKET_SIZE / 2 - 8);
    if (len === 0) return '';
    const bytes = this.target.readMemory(this.gThread(), a.addr, len);
    return bytes && bytes.length ? toHex(bytes) : E_FAULT;
  }

  private writeMem(rest: string, binary: boolean): string {
    const colon = rest.indexOf(':');
    const a = colon < 0 ? undefined : this.addrLen(rest.slice(0, colon));
    if (!a) return E_SYNTAX;
    const body = rest.slice(colon + 1);
    const bytes = binary ? unescapeBinary(body) : fromHex(body);
    if (!bytes || bytes.length !== a.len) return E_SYNTAX;
    if (a.len === 0) return 'OK';
    return this.target.writeMemory(this.gThread(), a.addr, bytes) ? 'OK' : E_FAULT;
  }

  private setThread(rest: string): string {
    const which = rest[0];
    const t = parseThreadId(rest.slice(1));
    if ((which !== 'g' && which !== 'c') || t === undefined) return E_SYNTAX;
    if (typeof t === 'number' && !this.threads.known(t)) return E_INVAL;
    const tid = typeof t === 'number' ? t : undefined;
    if (which === 'g') this.general = tid; else this.control = tid;
    return 'OK';
  }

  private threadAlive(rest: string): string {
    const t = parseThreadId(rest);
    return typeof t === 'number' && this.threads.known(t) ? 'OK' : E_INVAL;
  }

  /**
   * Z/z (E.2). Without the multiprocess extensions a breakpoint is in
   * every environment (all share the program's addresses); with them, in
   * the address space of the process Hg selected (GDB selects it before
   * inserting: remote.c, set_general_process). Watchpoints always use the
   * Hg thread's. The idle thread's mean every environment.
   */
  private breakpoint(insert: boolean, rest: string): string {
    const m = /^([0-4]),([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})(;.*)?$/.exec(rest);
    if (!m) return E_SYNTAX;
    const type = Number(m[1]);
    const addr = parseHexNumber(m[2])!, len = parseHexNumber(m[3])!;
    const tid = this.gThread();
    const space = tid !== IDLE_TID && this.threads.known(tid) ? tid : undefined;
    if (type <= 1) return this.target.setBreakpoint(addr, insert, this.threads.multiprocess ? space : undefined) ? 'OK' : E_INVAL;
    const kind: WatchKind = type === 2 ? 'write' : type === 3 ? 'read' : 'access';
    if (len === 0 || len > 0x10000) return E_INVAL;
    return this.target.setWatchpoint(kind, addr, len, insert, space) ? 'OK' : '';
  }

  /** `s [addr]` / `c [addr]`: resume, first moving the pc when an address is given. */
  private resumeAt(kind: 'step' | 'continue', rest: string, tid: number | undefined): string | undefined {
    if (rest) {
      const addr = parseHexNumber(rest);
      if (addr === undefined) return E_SYNTAX;
      this.target.writeRegister(tid ?? this.target.currentThread(), Reg.PC, addr);
    }
    return this.resume({ kind, tid });
  }

  private reverse(rest: string): string | undefined {
    if (rest !== 's' && rest !== 'c') return '';
    if (!this.target.canReverse) return 'E.reverse execution needs checkpoints, and this session keeps none';
    return this.resume({ kind: rest === 's' ? 'reverse-step' : 'reverse-continue' });
  }

  /**
   * Resumes the target; the stop reply is sent when it stops. A process
   * the debugger detached from is not its to hear about: its end resumes
   * the target again, and another stop is told as the first followed
   * thread's. So does the end of a process it was never told of (one that
   * started and ended within the run): GDB has no inferior for it.
   */
  private resume(how: Resume): undefined {
    this.target.resume({ ...how, exits: this.threads.multiprocess }, (got) => {
      const unheard = this.threads.left(got.tid) || (this.threads.multiprocess && !this.threads.heardOf(got.tid));
      if (got.exited && unheard && got.tid !== IDLE_TID && this.threads.list().length) { this.resume(how); return; }
      const stop = this.threads.left(got.tid) ? { ...got, tid: this.threads.current(), exited: undefined } : got;
      if (!stop.exited) this.threads.tell(stop.tid);
      this.lastStop = stop;
      if (stop.message) this.io.send('O' + toHex(Buffer.from(stop.message + '\n', 'latin1')));
      this.io.send(this.stopReply(stop));
      // GDB takes the thread a stop names as the stub's general thread now (remote.c, record_currthread).
      this.general = stop.exited ? undefined : stop.tid;
    });
    return undefined;
  }

  /** Hex of a byte. */
  private static hex2(n: number): string {
    return (n & 0xff).toString(16).padStart(2, '0');
  }

  /** A T, W or X stop reply (E.3): signal, thread, the reason, pc and sp; or how a process ended. */
  stopReply(stop: StopInfo): string {
    const ex = stop.exited;
    if (ex) {
      const proc = this.threads.multiprocess ? `;process:${stop.tid.toString(16)}` : '';
      return 'code' in ex ? `W${GdbStub.hex2(ex.code)}${proc}` : `X${GdbStub.hex2(ex.signal)}${proc}`;
    }
    const sig = GdbStub.hex2(stop.signal);
    const regs = this.target.readRegisters(stop.tid);
    let reason = '';
    if (stop.reason?.kind === 'swbreak') reason = 'swbreak:;';
    else if (stop.reason?.kind === 'replaylog') reason = 'replaylog:begin;';
    else if (stop.reason?.kind === 'watch') reason = `${stop.reason.watch === 'write' ? 'watch' : stop.reason.watch === 'read' ? 'rwatch' : 'awatch'}:${(stop.reason.addr >>> 0).toString(16)};`;
    const pc = regs[Reg.PC] !== undefined ? `${Reg.PC.toString(16)}:${regHex(regs[Reg.PC])};` : '';
    const sp = regs[29] !== undefined ? `1d:${regHex(regs[29])};` : '';
    return `T${sig}thread:${this.threads.id(stop.tid)};${reason}${pc}${sp}`;
  }

  /**
   * D (E.2): without a pid, or the last process followed, the debugger
   * leaves (OK, then the connection ends); `D;pid` leaves that process:
   * its breakpoints go, and it is no longer listed.
   */
  private detach(rest: string): string | undefined {
    const pid = rest === '' ? undefined : rest[0] === ';' ? parsePid(rest.slice(1)) : -1;
    if (pid === -1 || (rest !== '' && pid === undefined)) return E_SYNTAX;
    if (pid !== undefined) {
      if (!this.threads.known(pid)) return E_INVAL;
      this.target.detach(pid);
      this.threads.leave(pid);
      if (this.threads.list().length) return 'OK';
    }
    this.leave();
    this.io.send('OK');
    this.io.end('detach');
    return undefined;
  }

  /**
   * vKill;pid (E.2). With the multiprocess extensions and a target that
   * can, it ends that process (the kernel destroys the environment);
   * otherwise the debugger leaves, as k.
   */
  private kill(rest: string): string | undefined {
    const pid = parsePid(rest);
    if (this.threads.multiprocess && this.target.kill && pid !== undefined && this.threads.known(pid)) {
      return this.target.kill(pid) ? 'OK' : `E.${pid === IDLE_TID ? "the kernel's idle loop cannot be killed: detach from it" : 'cannot end that process'}`;
    }
    this.leave();
    this.io.send('OK');
    this.io.end('kill');
    return undefined;
  }

  private vPacket(data: string): string | undefined {
    if (data === 'vCont?') return 'vCont;c;C;s;S;t';
    if (data === 'vMustReplyEmpty') return '';
    if (data.startsWith('vKill')) return this.kill(data.slice(6));
    if (!data.startsWith('vCont;')) return '';
    return this.vCont(data.slice(6));
  }

  /**
   * vCont (E.2): in all-stop mode the first action that names a thread or
   * is the default decides. A step of one thread steps that environment;
   * every continue runs the whole machine (the kernel schedules; there is
   * no scheduler locking), even one that names a single process
   * (`c:pPID.-1`, GDB's schedule-multiple off), which GDB is told once.
   * `t` alone asks a running target to stop.
   */
  private vCont(actions: string): string | undefined {
    let step: number | 'any' | undefined, cont = false, stopOnly = true, oneProcess = false;
    for (const a of actions.split(';')) {
      const m = /^([cCsSt])([0-9a-fA-F]{2})?(?::([-.p0-9a-fA-F]+))?$/.exec(a);
      if (!m) return E_SYNTAX;
      const t = m[3] === undefined ? 'any' : parseThreadId(m[3]);
      if (t === undefined) return E_SYNTAX;
      const act = m[1].toLowerCase();
      if (act !== 't') stopOnly = false;
      if (act === 's' && step === undefined) step = typeof t === 'number' ? t : 'any';
      if (act === 'c') cont = true;
      if (act === 'c' && /^p[0-9a-fA-F]+(\.-1)?$/.test(m[3] ?? '')) oneProcess = true;
    }
    if (stopOnly) return this.stopReply({ tid: this.threads.current(), signal: 0 });
    if (oneProcess && step === undefined && !this.warnedScheduling && this.threads.list().length > 1) {
      this.warnedScheduling = true;
      this.io.send('O' + toHex(Buffer.from(SCHEDULE_MULTIPLE, 'latin1')));
    }
    if (step !== undefined) return this.resume({ kind: 'step', tid: step === 'any' ? this.control : step });
    return cont ? this.resume({ kind: 'continue' }) : E_SYNTAX;
  }

  private query(data: string): string {
    if (data.startsWith('qSupported')) return this.supported(data);
    if (data === 'qAttached' || data.startsWith('qAttached:')) return '1';
    const threads = this.threads.query(data);
    if (threads !== undefined) return threads;
    if (data === 'qOffsets') return 'Text=0;Data=0;Bss=0';
    if (data.startsWith('qSymbol:')) return 'OK';
    if (data.startsWith('qXfer:')) return this.xfer(data.slice(6));
    return '';
  }

  /** qSupported (E.4): what we do; the multiprocess extensions when the debugger offers them. */
  private supported(data: string): string {
    this.threads.multiprocess = /[:;]multiprocess\+/.test(data);
    return [`PacketSize=${PACKET_SIZE.toString(16)}`, 'QStartNoAckMode+', 'qXfer:features:read+', 'qXfer:exec-file:read+',
      'vContSupported+', 'swbreak+', 'hwbreak+', ...(this.threads.multiprocess ? ['multiprocess+'] : []),
      ...(this.target.canReverse ? ['ReverseStep+', 'ReverseContinue+'] : [])].join(';');
  }

  /** qXfer:object:read:annex:offset,length (E.4): the target description and the program's path. */
  private xfer(rest: string): string {
    const m = /^([a-z-]+):read:([^:]*):([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(rest);
    if (!m) return rest.includes(':read:') ? E_SYNTAX : '';
    let text: string | undefined;
    if (m[1] === 'features') text = m[2] === 'target.xml' ? targetXml() : undefined;
    else if (m[1] === 'exec-file') {
      // The annex is the process id (GDB sends one with the multiprocess extensions).
      const pid = m[2] === '' ? this.gThread() : parsePid(m[2]);
      text = pid === undefined || !this.threads.known(pid) ? undefined : this.target.execFile(pid);
    } else return '';
    if (text === undefined) return E_INVAL;
    const off = parseHexNumber(m[3])!, len = Math.min(parseHexNumber(m[4])!, PACKET_SIZE / 2);
    const part = Buffer.from(text, 'latin1').subarray(off, off + len);
    return (off + part.length >= text.length ? 'l' : 'm') + escapeBinary(part);
  }

  private setting(data: string): string {
    if (data === 'QStartNoAckMode') { this.io.noAck(); return 'OK'; }
    return '';
  }
}
