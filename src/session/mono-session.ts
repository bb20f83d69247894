// One machine running the monolithic kernel (src/mono), under a debugger:
// run, step, breakpoints, and time travel by checkpoints and replay. Its
// events are observations: the session stops the CPU, unseen by the user,
// at the entry of the kernel's trap(), syscall(), exit() and swtch()
// (instruction breakpoints of the emulator, src/emu/cpu.ts; guest memory
// is never patched), reads what the kernel is doing from the trap frame
// and the process table (mono-guest.ts), and goes on. Nothing here models
// or charges the kernel's work: its time is its own instructions.
//
// It is built from the exokernel session's parts (docs/architecture.md,
// "The session" and "Time travel"): its breakpoints are the one breakpoint
// table (mono-breakpoints.ts), its checkpoints are taken by the one
// Checkpointing over a CheckpointStore holding its machine, and its events
// are kept in a History (bounded memory: sealed chunks encoded compactly, the
// oldest spilled to a file), none when told not to (a headless replay).
// A scenario's `machines:` may hold one beside exokernel machines
// (mono-station.ts), run by the lock-step with `runTo` and checkpointed by
// the exokernel session's store (`saveOwn`/`restoreOwn` carry what is not
// the machine's).

import { Machine, type ElfImage, type MachineState } from '../emu/index.js';
import { appendConsole } from '../exokernel/index.js';
import type { Breakpoint, Hit, ResolvedBreakpoint } from '../scenario/index.js';
import { currentProcess, kword, MONO_SYSCALLS, monoAddresses, monoArgv, trapInfo, userPhys, type MonoAddresses, type MonoEvent } from '../monolithic/index.js';
import type { CheckpointLimits, CheckpointTarget, Checkpointed } from './checkpoints.js';
import { Checkpointing } from './checkpointing.js';
import { History, type HistoryOptions } from './history.js';
import { MonoBreakpoints, type Observation } from './mono-breakpoints.js';
import type { Stop, TravelJob } from './session.js';

/** The longest console line the monolithic kernel's session makes one event of: a longer one is several. */
export const MONO_LINE_MAX = 4096;

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
  /** Cycles between checkpoints near now, for time travel (default 1,000,000; 0: no checkpoints, no travel back). */
  readonly checkpointEvery?: number;
  /** Bounds of the checkpoint store (checkpoints.ts). */
  readonly checkpointLimits?: CheckpointLimits;
  /** Keep every event in `history` (default true); a headless replay, which neither travels nor shows the log, does not. */
  readonly history?: boolean;
  /** The history's bounds: bytes of sealed chunks kept in memory, bytes of its spill file (default History's). */
  readonly historyLimits?: HistoryOptions;
  /** Run hot code as translated blocks (default true); false: the interpreter alone (SessionSetup.translate). */
  readonly translate?: boolean;
}

/** A MonoSession's own state besides its machine and RAM (saveOwn): what a checkpoint carries for it. */
export interface MonoOwnState {
  readonly events: number;
  readonly console: string;
  readonly line: string;
  readonly observed: Observation | undefined;
  readonly halted: boolean;
}

/** A machine as a checkpoint store keeps it when its kernel keeps no frame table: its state without RAM. */
export function machineCheckpointed(m: Machine): Checkpointed {
  return { machine: m, saveState: () => m.save(false), restoreState: (st) => m.restore(st as MachineState) };
}

const NO_SKIP = -1;

/** A debugging session of the monolithic kernel; see the file comment. */
export class MonoSession {
  readonly machine: Machine;
  readonly addr: MonoAddresses;
  readonly image: ElfImage;
  /** Every event since boot (none when the setup says so); time travel truncates it to the point travelled to. */
  readonly history: History<MonoEvent>;
  /** The machine as the checkpoint store keeps it (this session's own, or an exokernel session's for a MonoStation). */
  readonly checkpointed: Checkpointed;
  /** Everything the kernel wrote to the console. */
  console = '';
  private line = '';
  private observed: Observation | undefined;
  /** The instruction count of the last stop: a resumed run does not stop there again. */
  private stoppedAt = -1;
  private haltNoted = false;
  private readonly keepHistory: boolean;
  private readonly bps: MonoBreakpoints;
  /** The kernel entries the session observes (the CPU's breakpoints there are the session's own). */
  private readonly watched: ReadonlySet<number>;
  private readonly checkpoints: Checkpointing | undefined;
  private lastStopValue: Stop;
  private readonly listeners = new Set<(e: MonoEvent) => void>();

  /** Boots `setup.image` with its arguments (the boot state is the first checkpoint). Throws Error when the image is not the monolithic kernel. */
  constructor(setup: MonoSetup) {
    this.image = setup.image;
    this.addr = monoAddresses(setup.image);
    this.machine = new Machine({ ramSize: setup.ramSize ?? 12 << 20, cpuHz: setup.cpuHz, mac: setup.mac, translate: setup.translate, onConsole: (b) => this.output(b) });
    this.machine.load(setup.image, monoArgv(setup.image, setup.args));
    this.history = new History<MonoEvent>(setup.historyLimits);
    this.keepHistory = setup.history !== false;
    this.watched = new Set([this.addr.trap, this.addr.syscall, this.addr.exit, this.addr.swtch]);
    for (const a of this.watched) this.machine.cpu.setBreakpoint(a, true);
    this.bps = new MonoBreakpoints(setup.image, { cpu: this.machine.cpu, now: () => this.cycle, reserved: this.watched });
    this.checkpointed = machineCheckpointed(this.machine);
    const every = setup.checkpointEvery ?? 1_000_000;
    if (every > 0) {
      this.checkpoints = new Checkpointing({ now: () => this.cycle }, [this.checkpointed], every, setup.checkpointLimits);
      this.checkpoints.takeFirst(() => this.saveOwn());
    }
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

  /** The last `n` events (fewer when the history holds fewer), oldest first. */
  recentEvents(n: number): MonoEvent[] {
    return this.history.slice(this.history.length - n);
  }

  /** Records event `e` and tells the listeners. */
  private emit(e: MonoEvent): void {
    if (this.keepHistory) this.history.push(e);
    for (const fn of this.listeners) fn(e);
  }

  /**
   * Console bytes: a console event per finished line, or per MONO_LINE_MAX
   * characters of a line that goes on (a guest may print without end, and
   * without a newline). The console text keeps its last mebibyte or two
   * (appendConsole).
   */
  private output(bytes: Uint8Array): void {
    const text = Buffer.from(bytes).toString('latin1');
    this.console = appendConsole(this.console, text);
    for (const ch of text) {
      if (ch !== '\n') {
        this.line += ch;
        if (this.line.length < MONO_LINE_MAX) continue;
      }
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

  /**
   * Runs until `endCycle` or `endInstret` (the first boundary at or past
   * either), a halt, or a breakpoint (unless the breakpoints' mode is
   * replay). Observes every watched kernel entry on the way and takes the
   * checkpoints that fall due.
   */
  private go(endCycle: number, endInstret: number, detail: string): Stop {
    const m = this.machine, cpu = m.cpu;
    let passWatch = false;
    for (;;) {
      if (m.halted) { this.noteHalt(); return this.stop('end', `halted: ${m.haltReason || 'the kernel stopped the machine'}`); }
      if (this.cycle >= endCycle || this.instret >= endInstret) return this.stop(this.instret >= endInstret ? 'step' : 'budget', detail);
      this.applyHorizon();
      this.checkpoints?.takeIfDue(() => this.saveOwn());
      const pc = cpu.pc >>> 0;
      cpu.skipBreakpoint = NO_SKIP;
      // A run resuming from a stop here goes past the access the CPU stopped before, as does one the watchpoints let pass.
      cpu.skipWatch = passWatch || this.stoppedAt === this.instret ? cpu.pc : NO_SKIP;
      passWatch = false;
      if (cpu.breakpoints.has(pc)) {
        if (this.watched.has(pc) && this.observed?.instret !== this.instret) this.observed = this.observe();
        const here = this.observed?.instret === this.instret ? this.observed : undefined;
        const hit = this.bps.mode !== 'replay' && this.stoppedAt !== this.instret ? this.bps.hitAt(pc, here) : undefined;
        if (hit) {
          this.bps.noteStop(hit);
          return this.stop('breakpoint', hit.detail, hit.at);
        }
        cpu.skipBreakpoint = cpu.pc; // signed, as the CPU compares it
      }
      const due = this.checkpoints?.due() ?? Infinity;
      const budget = Math.max(1, Math.min(endCycle - this.cycle, endInstret - this.instret, due - this.cycle));
      const r = m.run(budget);
      if (r === 'stop') return this.stop('paused', 'paused');
      if (r === 'watchpoint') {
        const hit = this.bps.mode !== 'replay' ? this.bps.watchAt(cpu.watchHit) : undefined;
        if (hit) {
          this.bps.noteStop(hit);
          return this.stop('breakpoint', hit.detail, hit.at);
        }
        passWatch = true;
      }
    }
  }

  /** Runs `fn` with breakpoints ignored (time travel's replay, the lock-step). */
  private ignoringBreakpoints<T>(fn: () => T): T {
    return this.bps.inMode('replay', fn);
  }

  private noteHalt(): void {
    if (this.haltNoted) return;
    this.haltNoted = true;
    if (this.line) { this.emit({ kind: 'console', cycle: this.cycle, text: this.line }); this.line = ''; }
    this.emit({ kind: 'halt', cycle: this.cycle, reason: this.machine.haltReason || 'halt' });
  }

  /** Runs `fn` with breakpoints stopping the machine but not counted (reverse searches scan with it: travel.ts). */
  scanning<T>(fn: () => T): T {
    return this.bps.inMode('scan', fn);
  }

  /**
   * Runs at most `cycles` cycles (stops at breakpoints and the halt). A
   * breakpoint at the pc it starts from is not hit (the run resumes from
   * there) unless `continuing`: this run carries on one that ended on its
   * budget, as a debugger running in slices does, so that where a run
   * stops does not depend on how it was sliced.
   */
  run(cycles: number, continuing = false): Stop {
    if (continuing) this.stoppedAt = -1;
    return this.go(this.cycle + cycles, Infinity, `ran ${cycles} cycles`);
  }

  /**
   * Runs to cycle `t` at least (the first boundary at or past it) or the
   * halt, breakpoints ignored: the lock-step of a session of several
   * machines runs it so (lockstep.ts).
   */
  runTo(t: number): void {
    if (this.cycle < t) this.ignoringBreakpoints(() => this.go(t, Infinity, `ran to cycle ${t}`));
  }

  /** Executes `n` instructions (fewer at a breakpoint or the halt). */
  step(n: number): Stop {
    return this.go(Infinity, this.instret + n, `stepped ${n}`);
  }

  /** True once the kernel has halted the machine. */
  get halted(): boolean {
    return this.machine.halted;
  }

  // ---- breakpoints (mono-breakpoints.ts) ---------------------------------

  /** `b` as the session holds it (a symbol resolved in the kernel's symbols), or why it cannot be set. */
  resolveBreakpoint(b: Breakpoint): ResolvedBreakpoint | string {
    return this.bps.resolve(b);
  }

  /** Adds a breakpoint; returns its id. Throws Error for one resolveBreakpoint refuses (callers resolve first). */
  addBreakpoint(b: Breakpoint): number {
    return this.bps.add(b);
  }

  /** Removes breakpoint `id`; false when there is none. The session's own watch on a kernel entry stays. */
  removeBreakpoint(id: number): boolean {
    return this.bps.remove(id);
  }

  listBreakpoints(): [number, ResolvedBreakpoint][] {
    return this.bps.list();
  }

  /**
   * How many times breakpoint `id` has stopped the machine up to now (0
   * for none). Hits are kept by cycle, so travelling back counts fewer and
   * coming forward again the same ones.
   */
  hitCount(id: number): number {
    return this.bps.hitCount(id);
  }

  /** The breakpoints that made the last breakpoint stop. */
  lastHit(): readonly number[] {
    return this.bps.lastHit();
  }

  /** Counts a hit of breakpoint `id` now (once per cycle: a hit seen again after time travel is the same hit). */
  noteHit(id: number): void {
    this.bps.noteHit(id);
  }

  /** The kernel's symbol at exactly `addr`, if any. */
  symbolAt(addr: number): string | undefined {
    return this.image.symbols.find((x) => x.value >>> 0 === addr && x.name && x.section === '.text')?.name;
  }

  /** A reader of the word of RAM that `va` maps to now, as the kernel sees it (travel.ts's Rewindable: reverse watch), or why there is none. */
  wordAt(va: number): (() => number) | string {
    const pa = userPhys(this.machine, this.addr, (va & ~3) >>> 0);
    if (pa < 0 || pa + 4 > this.machine.bus.ramSize) return `0x${(va >>> 0).toString(16)} is not mapped`;
    const ram = this.machine.bus.ram32;
    return () => ram[pa >>> 2];
  }

  /** The address of the kernel's symbol `name` (one address space: there is no environment to name). */
  symbolAddress(name: string): number | undefined {
    return this.bps.symbolAddress(name);
  }

  /** The pc; the kernel has one address space (travel.ts's Rewindable). */
  codeAt(): { readonly pc: number; readonly env: undefined } {
    return { pc: this.machine.cpu.pc >>> 0, env: undefined };
  }

  /**
   * The word at virtual address `va` as the kernel sees it now (through
   * cur_pgdir for user addresses): RAM, or the boot ROM through kseg1 (where
   * the PROM's entry points are, and the pc after a PROM halt); undefined
   * for anything else.
   */
  readWord(va: number): number | undefined {
    const pa = userPhys(this.machine, this.addr, va >>> 0);
    if (pa < 0) return undefined;
    return pa + 4 > this.machine.bus.ramSize ? this.machine.romWord(pa) : this.machine.bus.read(pa & ~3, 4) >>> 0;
  }

  // ---- time travel (docs/architecture.md, "Time travel") -----------------

  /** What a checkpoint must hold besides the machine and RAM (for a store that keeps those: checkpoints.ts). */
  saveOwn(): MonoOwnState {
    return { events: this.history.length, console: this.console, line: this.line, observed: this.observed, halted: this.haltNoted };
  }

  /** Restores what saveOwn returned, once the machine and RAM are back where they were then. */
  restoreOwn(s: MonoOwnState): void {
    this.history.truncate(s.events);
    this.console = s.console;
    this.line = s.line;
    this.observed = s.observed;
    this.haltNoted = s.halted;
    this.stoppedAt = -1;
  }

  /**
   * Goes to the first boundary at or past `target` (a cycle, or an
   * instruction count), back or forward: back, from the latest checkpoint
   * before it; then replayed with breakpoints ignored. The events and
   * console are what a fresh run to that point records. Returns a job
   * whose `advance` replays at most `cycles` more and returns the stop
   * once there (the halt's, when the machine halts first), or why it
   * cannot go (a point before boot, or no checkpoints).
   */
  travel(target: CheckpointTarget, detail: string): TravelJob | string {
    const byCycle = 'cycle' in target;
    const want = byCycle ? target.cycle : target.instret;
    const pos = () => (byCycle ? this.cycle : this.instret);
    if (want < 0) return 'that is before boot';
    const cps = this.checkpoints;
    this.applyHorizon();
    const lost = cps?.unreachable(target);
    if (lost) return lost;
    if (want < pos()) {
      const saved = cps?.restoreBefore(target) as MonoOwnState | undefined;
      if (!saved) return 'this session keeps no checkpoints';
      this.restoreOwn(saved);
    }
    const from = pos();
    const advance = (cycles: number): Stop | undefined => {
      if (cps) cps.landing = this.cycle + (want - pos());
      try {
        const end = this.cycle + cycles;
        const s = this.ignoringBreakpoints(() => this.go(byCycle ? Math.min(want, end) : end, byCycle ? Infinity : want, detail));
        if (s.reason === 'end' || s.reason === 'paused') return s;
        return pos() >= want ? this.stop('step', detail) : undefined;
      } finally {
        if (cps) cps.landing = undefined;
      }
    };
    return { advance, fraction: () => (want > from ? Math.min(1, (pos() - from) / (want - from)) : 1) };
  }

  /** Travels at once (see travel); a string says why it cannot. */
  travelNow(target: CheckpointTarget, detail: string): Stop | string {
    const job = this.travel(target, detail);
    if (typeof job === 'string') return job;
    for (;;) {
      const s = job.advance(2_000_000);
      if (s) return s;
    }
  }

  /** Drops the checkpoints from before the events the history still holds (as Session.applyHorizon does). */
  private applyHorizon(): void {
    const first = this.history.first;
    this.checkpoints?.dropBefore(first, (st) => (st as MonoOwnState).events >= first);
  }

  /** Steps back `n` instructions (time travel). */
  stepBack(n: number): Stop | string {
    return this.travelNow({ instret: Math.max(0, this.instret - n) }, `stepped back ${n}`);
  }

  /** The cycles of the checkpoints held, oldest first (for tests). */
  checkpointCycles(): number[] {
    return this.checkpoints?.cycles() ?? [];
  }

  /** Bytes held by checkpoints and the event history. */
  get travelMemory(): number {
    return (this.checkpoints?.memory ?? 0) + this.history.bytes;
  }
}
