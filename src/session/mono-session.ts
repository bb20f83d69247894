// One machine running the monolithic kernel (src/mono), under a debugger:
// run, step, breakpoints, and time travel by checkpoints and replay. Its
// events are observations: the session stops the CPU, unseen by the user,
// at the entry of the kernel's trap(), syscall(), exit() and swtch()
// (instruction breakpoints of the emulator, src/emu/cpu.ts; guest memory
// is never patched), reads what the kernel is doing from the trap frame
// and the process table (mono-guest.ts), and goes on. Nothing here models
// or charges the kernel's work: its time is its own instructions. The
// session is self-contained (one machine, one kernel): a scenario's
// `machines:` may hold one beside exokernel machines (mono-station.ts),
// run by the lock-step with `runTo` and checkpointed by the exokernel
// session's store (`saveOwn`/`restoreOwn` carry what is not the machine's).

import { Machine, type ElfImage, type MachineState } from '../emu/index.js';
import type { Breakpoint, Hit, ResolvedBreakpoint } from '../scenario/index.js';
import { currentProcess, kword, MONO_EVENTS, MONO_SYSCALLS, monoAddresses, monoArgv, trapInfo, userPhys, type MonoAddresses, type MonoEvent } from '../monolithic/index.js';
import type { Stop } from './session.js';

/** What a MonoSession boots. */
export interface MonoSetup {
  /** The kernel image (mono.elf). */
  readonly image: ElfImage;
  /** The first process's program and its arguments (the kernel's argv[1..]). */
  readonly args: readonly string[];
  /** RAM in bytes (default 12 MiB: the kernel allocates below 8 MiB). */
  readonly ramSize?: number;
  readonly cpuHz?: number;
  /** The Ethernet station address in the LANCE's address ROM (default the LANCE's). */
  readonly mac?: readonly number[];
  /** Cycles between checkpoints for time travel (default 1,000,000; 0: no checkpoints, no travel back). */
  readonly checkpointEvery?: number;
}

/** A checkpoint: the machine without RAM, the RAM pages that differ from boot, and the session's own state. */
interface MonoCheckpoint {
  readonly cycle: number;
  readonly instret: number;
  readonly machine: MachineState;
  readonly pages: Map<number, Uint8Array>;
  readonly events: number;
  readonly console: string;
  readonly line: string;
  readonly observed: Observation | undefined;
  readonly halted: boolean;
}

/** A MonoSession's own state besides its machine and RAM (saveOwn), for a checkpoint store that keeps those. */
export interface MonoOwnState {
  readonly events: number;
  readonly console: string;
  readonly line: string;
  readonly observed: Observation | undefined;
  readonly halted: boolean;
}

/** What was seen at one instruction boundary (at a kernel entry the session watches). */
interface Observation {
  readonly instret: number;
  readonly events: readonly MonoEvent[];
  /** The ExcCode, at trap(). */
  readonly exc: number | undefined;
}

const PAGE = 4096;
const MAX_CHECKPOINTS = 64;
const NO_SKIP = -1;

/** A debugging session of the monolithic kernel; see the file comment. */
export class MonoSession {
  readonly machine: Machine;
  readonly addr: MonoAddresses;
  readonly image: ElfImage;
  /** Every event since boot, oldest first. */
  readonly events: MonoEvent[] = [];
  /** Everything the kernel wrote to the console. */
  console = '';
  private line = '';
  private observed: Observation | undefined;
  /** The instruction count of the last stop: a resumed run does not stop there again. */
  private stoppedAt = -1;
  private haltNoted = false;
  private readonly bps = new Map<number, ResolvedBreakpoint>();
  private readonly hits = new Map<number, number>();
  private nextBp = 1;
  private readonly watched: Set<number>;
  /** RAM at boot, for checkpoints' page differences; none when the session keeps no checkpoints. */
  private readonly bootRam: Uint8Array | undefined;
  private readonly checkpoints: MonoCheckpoint[] = [];
  private readonly every: number;
  private lastStopValue: Stop;
  private readonly listeners = new Set<(e: MonoEvent) => void>();

  /** Boots `setup.image` with its arguments. Throws Error when the image is not the monolithic kernel. */
  constructor(setup: MonoSetup) {
    this.image = setup.image;
    this.addr = monoAddresses(setup.image);
    this.machine = new Machine({ ramSize: setup.ramSize ?? 12 << 20, cpuHz: setup.cpuHz, mac: setup.mac, onConsole: (b) => this.output(b) });
    this.machine.load(setup.image, monoArgv(setup.image, setup.args));
    this.watched = new Set([this.addr.trap, this.addr.syscall, this.addr.exit, this.addr.swtch]);
    for (const a of this.watched) this.machine.cpu.setBreakpoint(a, true);
    this.every = setup.checkpointEvery ?? 1_000_000;
    this.bootRam = this.every ? this.machine.bus.ram8.slice() : undefined;
    if (this.bootRam) this.checkpoints.push(this.capture(this.bootRam));
    this.lastStopValue = this.stop('paused', 'booted');
  }

  get cycle(): number { return this.machine.cpu.cycles; }
  get instret(): number { return this.machine.cpu.instret; }
  get lastStop(): Stop { return this.lastStopValue; }

  /** Calls `fn` with every event from now on, as it is recorded; returns what unsubscribes it. */
  onEvent(fn: (e: MonoEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Records event `e` and tells the listeners. */
  private emit(e: MonoEvent): void {
    this.events.push(e);
    for (const fn of this.listeners) fn(e);
  }

  /** Console bytes: a console event per finished line. */
  private output(bytes: Uint8Array): void {
    const text = Buffer.from(bytes).toString('latin1');
    this.console += text;
    for (const ch of text) {
      if (ch !== '\n') { this.line += ch; continue; }
      this.emit({ kind: 'console', cycle: this.cycle, text: this.line });
      this.line = '';
    }
  }

  private stop(reason: Stop['reason'], detail: string, hit?: Hit): Stop {
    this.stoppedAt = this.instret;
    this.lastStopValue = { reason, detail, cycle: this.cycle, instret: this.instret, ...(hit && { hit }) };
    return this.lastStopValue;
  }

  /** The events the kernel entry at the pc makes, read from its arguments (a0, a1) and the process table. */
  private observe(): Observation {
    const m = this.machine, a = this.addr, pc = m.cpu.pc >>> 0, a0 = m.cpu.regs[4] >>> 0, cycle = this.cycle;
    const cur = currentProcess(m, a);
    const events: MonoEvent[] = [];
    let exc: number | undefined;
    if (pc === a.trap) {
      const t = trapInfo(m, a0);
      exc = t.exc;
      if (t.excName !== 'Sys') events.push({ kind: 'trap', cycle, pid: cur.pid, exc: t.excName, epc: t.epc, badvaddr: t.exc === 0 ? 0 : t.badvaddr, user: t.user });
    } else if (pc === a.syscall) {
      const num = kword(m, a0 + 4 * 2);
      const reg = (n: number) => kword(m, a0 + 4 * n);
      events.push({ kind: 'syscall', cycle, pid: cur.pid, call: MONO_SYSCALLS[num] || `#${num}`, a0: reg(4), a1: reg(5), a2: reg(6) });
    } else if (pc === a.exit) {
      events.push({ kind: 'exit', cycle, pid: cur.pid, name: cur.name, status: m.cpu.regs[4] });
    } else if (pc === a.swtch && a0 === a.schedContext) {
      events.push({ kind: 'switch', cycle, pid: cur.pid, name: cur.name });
    }
    for (const e of events) this.emit(e);
    return { instret: this.instret, events, exc };
  }

  /** The user's breakpoint that stops at this boundary, given what was observed here. */
  private userHit(o: Observation | undefined): Hit | undefined {
    const pc = this.machine.cpu.pc >>> 0;
    for (const [id, b] of this.bps) {
      const hit = (b.kind === 'pc' && b.addr === pc)
        || (b.kind === 'exception' && o?.exc === b.code)
        || (b.kind === 'event' && o !== undefined && o.events.some((e) => e.kind === b.event));
      if (hit) return { id, breakpoint: b };
    }
    return undefined;
  }

  /**
   * Runs until `endCycle` or `endInstret` (the first boundary at or past
   * either), a halt, or, with `breaks`, a breakpoint. Observes every
   * watched kernel entry on the way and takes checkpoints.
   */
  private go(endCycle: number, endInstret: number, breaks: boolean, detail: string): Stop {
    const m = this.machine, cpu = m.cpu;
    for (;;) {
      if (m.halted) { this.noteHalt(); return this.stop('end', `halted: ${m.haltReason || 'the kernel stopped the machine'}`); }
      if (this.cycle >= endCycle || this.instret >= endInstret) return this.stop(this.instret >= endInstret ? 'step' : 'budget', detail);
      this.maybeCheckpoint();
      const pc = cpu.pc >>> 0;
      cpu.skipBreakpoint = NO_SKIP;
      if (cpu.breakpoints.has(pc)) {
        if (this.watched.has(pc) && this.observed?.instret !== this.instret) this.observed = this.observe();
        const here = this.observed?.instret === this.instret ? this.observed : undefined;
        const hit = breaks && this.stoppedAt !== this.instret ? this.userHit(here) : undefined;
        if (hit) {
          this.hits.set(hit.id, (this.hits.get(hit.id) ?? 0) + 1);
          return this.stop('breakpoint', `breakpoint ${hit.id}`, hit);
        }
        cpu.skipBreakpoint = cpu.pc; // signed, as the CPU compares it
      }
      const nextCp = this.bootRam ? this.checkpoints[this.checkpoints.length - 1].cycle + this.every : Infinity;
      const budget = Math.max(1, Math.min(endCycle - this.cycle, endInstret - this.instret, nextCp - this.cycle));
      const r = m.run(budget);
      if (r === 'stop') return this.stop('paused', 'paused');
    }
  }

  private noteHalt(): void {
    if (this.haltNoted) return;
    this.haltNoted = true;
    if (this.line) { this.emit({ kind: 'console', cycle: this.cycle, text: this.line }); this.line = ''; }
    this.emit({ kind: 'halt', cycle: this.cycle, reason: this.machine.haltReason || 'halt' });
  }

  /** Runs at most `cycles` cycles (stops at breakpoints and the halt). */
  run(cycles: number): Stop {
    return this.go(this.cycle + cycles, Infinity, true, `ran ${cycles} cycles`);
  }

  /**
   * Runs to cycle `t` at least (the first boundary at or past it) or the
   * halt, breakpoints ignored: the lock-step of a session of several
   * machines runs it so (lockstep.ts).
   */
  runTo(t: number): void {
    if (this.cycle < t) this.go(t, Infinity, false, `ran to cycle ${t}`);
  }

  /** Executes `n` instructions (fewer at a breakpoint or the halt). */
  step(n: number): Stop {
    return this.go(Infinity, this.instret + n, true, `stepped ${n}`);
  }

  /** True once the kernel has halted the machine. */
  get halted(): boolean {
    return this.machine.halted;
  }

  // ---- breakpoints -------------------------------------------------------

  /** Adds a breakpoint; returns its id. Event breakpoints must name a kind of MONO_EVENTS (see resolve). */
  addBreakpoint(b: ResolvedBreakpoint): number {
    const id = this.nextBp++;
    this.bps.set(id, b);
    if (b.kind === 'pc') this.machine.cpu.setBreakpoint(b.addr, true);
    return id;
  }

  /** Removes breakpoint `id`; false when there is none. */
  removeBreakpoint(id: number): boolean {
    const b = this.bps.get(id);
    if (!b) return false;
    this.bps.delete(id);
    const stillUsed = (a: number) => this.watched.has(a) || [...this.bps.values()].some((x) => x.kind === 'pc' && x.addr === a);
    if (b.kind === 'pc' && !stillUsed(b.addr)) this.machine.cpu.setBreakpoint(b.addr, false);
    return true;
  }

  listBreakpoints(): [number, ResolvedBreakpoint][] {
    return [...this.bps];
  }

  hitCount(id: number): number {
    return this.hits.get(id) ?? 0;
  }

  /**
   * A breakpoint as the session holds it: a symbol resolved in the
   * kernel's symbol table; or why it cannot be set (an unknown symbol, an
   * event kind the monolithic kernel has not, a watchpoint).
   */
  resolve(b: Breakpoint): ResolvedBreakpoint | string {
    if (b.kind === 'symbol') {
      const s = this.image.symbols.find((x) => x.name === b.symbol && x.section !== '');
      return s ? { kind: 'pc', addr: (s.value + (b.offset ?? 0)) >>> 0 } : `No symbol ${b.symbol} in the kernel ${this.image.fileName}`;
    }
    if (b.kind === 'event' && !(b.event in MONO_EVENTS)) return `The monolithic kernel has no ${b.event} events (its kinds: ${Object.keys(MONO_EVENTS).join(', ')})`;
    if (b.kind === 'watch') return 'Watchpoints are not offered on the monolithic kernel yet';
    const { env: _, ...rest } = b;
    return rest as ResolvedBreakpoint;
  }

  /** The kernel's symbol at exactly `addr`, if any. */
  symbolAt(addr: number): string | undefined {
    return this.image.symbols.find((x) => x.value >>> 0 === addr && x.name && x.section === '.text')?.name;
  }

  /** The word at virtual address `va` as the kernel sees it now (through cur_pgdir for user addresses), or undefined. */
  readWord(va: number): number | undefined {
    const pa = userPhys(this.machine, this.addr, va >>> 0);
    return pa < 0 || pa + 4 > this.machine.bus.ramSize ? undefined : this.machine.bus.read(pa & ~3, 4) >>> 0;
  }

  // ---- time travel -------------------------------------------------------

  /** What a checkpoint must hold besides the machine and RAM (for a store that keeps those: checkpoints.ts). */
  saveOwn(): MonoOwnState {
    return { events: this.events.length, console: this.console, line: this.line, observed: this.observed, halted: this.haltNoted };
  }

  /** Restores what saveOwn returned, once the machine and RAM are back where they were then. */
  restoreOwn(s: MonoOwnState): void {
    this.events.length = s.events;
    this.console = s.console;
    this.line = s.line;
    this.observed = s.observed;
    this.haltNoted = s.halted;
    this.stoppedAt = -1;
  }

  private capture(boot: Uint8Array): MonoCheckpoint {
    const ram = this.machine.bus.ram8, pages = new Map<number, Uint8Array>();
    for (let p = 0; p < ram.length; p += PAGE) {
      const a = ram.subarray(p, p + PAGE);
      if (Buffer.compare(a, boot.subarray(p, p + PAGE)) !== 0) pages.set(p, a.slice());
    }
    return {
      cycle: this.cycle, instret: this.instret, machine: this.machine.save(false), pages,
      events: this.events.length, console: this.console, line: this.line, observed: this.observed, halted: this.haltNoted,
    };
  }

  /** Takes a checkpoint when one is due; thins the older half when there are too many. */
  private maybeCheckpoint(): void {
    if (!this.bootRam) return;
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (this.cycle < last.cycle + this.every) return;
    this.checkpoints.push(this.capture(this.bootRam));
    if (this.checkpoints.length > MAX_CHECKPOINTS) {
      // Keep the boot state and every other one of the older half: spacing grows with age.
      const half = this.checkpoints.length >> 1;
      for (let i = half - 1; i >= 1; i -= 2) this.checkpoints.splice(i, 1);
    }
  }

  private restore(cp: MonoCheckpoint, boot: Uint8Array): void {
    const bus = this.machine.bus;
    bus.hostWrite(0, boot);
    for (const [p, bytes] of cp.pages) bus.hostWrite(p, bytes);
    this.machine.restore(cp.machine);
    this.events.length = cp.events;
    this.console = cp.console;
    this.line = cp.line;
    this.observed = cp.observed;
    this.haltNoted = cp.halted;
    const i = this.checkpoints.indexOf(cp);
    this.checkpoints.length = i + 1;
  }

  /**
   * Goes to the first boundary at or past `target` (a cycle, or an
   * instruction count), back or forward: from the latest checkpoint at or
   * before it, replayed with breakpoints ignored. The events and console
   * are what a fresh run to that point records. Returns the stop, or why
   * it cannot go (a point before boot).
   */
  travel(target: { readonly cycle: number } | { readonly instret: number }, detail: string): Stop | string {
    const byCycle = 'cycle' in target;
    const want = byCycle ? target.cycle : target.instret;
    if (want < 0) return 'that is before boot';
    const now = byCycle ? this.cycle : this.instret;
    if (want < now) {
      if (!this.bootRam) return 'this session keeps no checkpoints';
      const cp = [...this.checkpoints].reverse().find((c) => (byCycle ? c.cycle : c.instret) <= want)!;
      this.restore(cp, this.bootRam);
    }
    const s = this.go(byCycle ? want : Infinity, byCycle ? Infinity : want, false, detail);
    return s.reason === 'end' ? s : this.stop('step', detail);
  }

  /** Steps back `n` instructions (time travel). */
  stepBack(n: number): Stop | string {
    return this.travel({ instret: Math.max(0, this.instret - n) }, `stepped back ${n}`);
  }

}
