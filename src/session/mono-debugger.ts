// The Debugger (debugger.ts) over a MonoSession: the same interface the TUI
// and the recorder hold for the exokernel, so they need no kernel
// knowledge. Its work (a run, a long step, a time travel's replay) goes
// through the LiveDebugger's run loop (run-loop.ts): slices between host
// events, frames on the same wall-clock cadence and 90 ms grid, at once on
// a stop. A run goes at a pace (pace.ts) as the exokernel's does: flat
// out, or so many emulated cycles a host second. The reverse searches and
// travels to events are travel.ts's, as on the exokernel (a MonoSession is
// a Rewindable). Commands about environments, revocation, packets and
// the exokernel's event history have no meaning here and are refused with
// a message that says so.

import { decodeInstruction } from '../emu/index.js';
import { currentProcess } from '../monolithic/index.js';
import type { CheckpointTarget } from './checkpoints.js';
import { breakpointCommand, search, travelled, type AddrSpec, type Command } from './command.js';
import type { Debugger, DebuggerOptions, DebuggerState, RunStatus, Said } from './debugger.js';
import { namesOf } from './debugger-api.js';
import { finishTarget, targetWork, type RunTarget } from './finish.js';
import { readMemoryWindow, type MemoryRequest } from './memory-window.js';
import type { MonoSession } from './mono-session.js';
import { monoMemorySource, monoSnapshotContext, takeMonoSnapshot, type MonoSnapshotContext } from './mono-snapshot.js';
import { MAX_PACE, paceLabel, paceMoved } from './pace.js';
import { RunLoop, type Work } from './run-loop.js';
import { SavedSessionError, writeSaved } from './saved.js';
import type { Stop } from './session.js';
import type { Snapshot } from './snapshot.js';
import { searchWork } from './debugger-work.js';
import type { Search } from './travel.js';
import { num } from './format.js';

/** Options of a MonoDebugger: the LiveDebugger's host clocks, timers and slicing (DebuggerOptions), and the scenario's. */
export interface MonoDebuggerOptions extends Pick<DebuggerOptions, 'now' | 'cpuNow' | 'chunk' | 'sliceMs' | 'publishHz' | 'events' | 'schedule' | 'delay' | 'travelSlice' | 'pace'> {
  /** The first process's program and arguments, for the snapshot. */
  readonly args: readonly string[];
  /** The cycle the run stops at (the scenario's limit; default none). */
  readonly limit?: number;
  /** The scenario file the session was built from (absolute), for `:save`. */
  readonly scenarioFile?: string;
}

/** Cycles a time travel replays before the front end hears from it again (as LiveDebugger's). */
const TRAVEL_SLICE = 500_000;

/** Steps of at most this many instructions are done at once; longer ones in slices (as LiveDebugger's). */
const STEP_SLICE = 20_000;

const busy: Said = { text: 'Running: pause first (space)', error: true };

/** Why a command has no meaning on the monolithic kernel. */
function exokernelOnly(c: Command): string {
  const what: Partial<Record<Command['kind'], string>> = {
    kill: 'killing an environment', revoke: 'revocation', inject: 'injecting packets', console: 'console input to an environment',
    examine: 'examining an environment\'s memory',
  };
  return `${what[c.kind] ?? c.kind} is exokernel-only: this scenario runs the monolithic kernel`;
}

/** A Debugger over a MonoSession; see the file comment. */
export class MonoDebugger implements Debugger {
  private state: DebuggerState;
  private readonly listeners = new Set<() => void>();
  private readonly loop: RunLoop;
  /** The breakpoint a step over set, removed however the step ends. */
  private stepOverBp: number | undefined;
  /** What the status line says when a run to a target (finish, until) stops at its breakpoint. */
  private targetDetail: string | undefined;
  /** While a reverse search runs: what cancelling it does. */
  private cancelSearch: (() => void) | undefined;
  private readonly ctx: MonoSnapshotContext;
  private readonly publishMs: number;
  /** What the memory pane shows, while it is shown. */
  private memory: MemoryRequest | undefined;

  /** A debugger over `session`, stopped, with a first snapshot taken. */
  constructor(readonly session: MonoSession, private readonly opts: MonoDebuggerOptions) {
    this.ctx = monoSnapshotContext(session);
    this.publishMs = 1000 / (opts.publishHz ?? 15);
    this.loop = new RunLoop({
      now: opts.now, cpuNow: opts.cpuNow ?? opts.now, schedule: opts.schedule, delay: opts.delay,
      sliceMs: opts.sliceMs ?? 10, publishMs: this.publishMs, pace: opts.pace ?? MAX_PACE,
      cpuHz: () => session.machine.cpuHz, cycle: () => session.cycle,
      frame: () => this.publish(), stopped: (stop) => this.finish(stop),
    });
    const st = session.lastStop;
    this.state = { snapshot: this.snap(), previous: undefined, running: false, status: { reason: st.reason, detail: st.detail }, breakpoints: session.listBreakpoints(), pace: this.paceText() };
  }

  private paceText(): string {
    return paceLabel(this.loop.pace, this.session.machine.cpuHz, 1000 / this.publishMs);
  }

  getState = (): DebuggerState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** A monolithic scenario has no timeline, so no keys ever come. */
  onKeys = (): (() => void) => () => {};

  begin(): void {}

  get running(): boolean {
    return this.loop.busy;
  }

  /** No front-end step ever holds a run here (a monolithic scenario has no timeline): for the recorder, as LiveDebugger.waiting. */
  get waiting(): boolean {
    return false;
  }

  /** Resolves at once: nothing is ever held (see waiting). */
  async settled(): Promise<void> {}

  private snap(): Snapshot {
    const s = takeMonoSnapshot(this.session, this.ctx, this.opts.args, { events: this.opts.events ?? 1000 });
    return this.memory ? { ...s, memory: readMemoryWindow(this.memory, monoMemorySource(this.session, this.ctx)) } : s;
  }

  showMemory(req: MemoryRequest | undefined): void {
    if (!req && !this.memory) return;
    this.memory = req;
    if (!this.loop.busy) this.publish();
  }

  /** Takes a snapshot and tells the listeners; `status`/`running`/`travelling` change the status line. */
  private publish(patch: Partial<Pick<DebuggerState, 'status' | 'running' | 'travelling'>> = {}): void {
    this.loop.framed();
    this.state = { ...this.state, ...patch, previous: this.state.snapshot, snapshot: this.snap(), breakpoints: this.session.listBreakpoints(), pace: this.paceText() };
    for (const fn of this.listeners) fn();
  }

  /**
   * Starts sliced work (run-loop.ts); `work` returns a stop when done. A
   * travel's replay can be cancelled (pause) where it got to; a `paced`
   * run (continue) waits for the host clock (pace.ts).
   */
  private start(work: Work, detail: string, travelling = false, paced = false): void {
    this.publish({ running: true, travelling, status: { reason: 'running', detail } });
    this.loop.start(work, paced);
  }

  /** Ends sliced work with `stop`; the breakpoint a step over set goes, and a stop there is the step's. */
  private finish(stop: Pick<Stop, 'reason' | 'detail'>): void {
    this.loop.stop();
    let status: RunStatus = { reason: stop.reason, detail: stop.detail };
    const over = this.stepOverBp;
    if (over !== undefined) {
      if (this.session.lastStop.hit?.id === over && stop.reason === 'breakpoint') status = { reason: 'step', detail: this.targetDetail ?? 'stepped over the call' };
      this.session.removeBreakpoint(over);
      this.stepOverBp = undefined;
      this.targetDetail = undefined;
    }
    this.publish({ running: false, travelling: false, status });
  }

  run(): Said {
    if (this.running) return { text: 'Already running' };
    if (this.session.halted) return { text: 'The kernel has halted the machine: step back or go to an earlier cycle', error: true };
    this.start(this.runWork(), 'continue', false, true);
    return undefined;
  }

  /** A run's sliced work: up to a breakpoint, the halt or the scenario's limit, as many cycles a call as the pace allows. */
  private runWork(): Work {
    const limit = this.opts.limit ?? Infinity, chunk = this.opts.chunk ?? 20_000;
    let continuing = false;
    return () => {
      if (this.session.cycle >= limit) return { reason: 'end', detail: `at the scenario's run limit (cycle ${num(limit)})` };
      const s = this.session.run(Math.max(1, Math.min(chunk, limit - this.session.cycle, this.loop.allowance())), continuing);
      continuing = true;
      return s.reason === 'budget' ? undefined : s;
    };
  }

  pause(detail = 'paused by you'): Said {
    if (!this.running) return { text: 'Not running' };
    const cancel = this.cancelSearch;
    if (cancel) { this.cancelSearch = undefined; cancel(); return { text: 'Search cancelled: going back to where it started (space stops there)' }; }
    this.finish({ reason: 'paused', detail });
    return undefined;
  }

  /** Steps `n` instructions: at once up to STEP_SLICE, else in slices. */
  step(n: number): Said {
    if (this.running) return busy;
    if (n <= STEP_SLICE) {
      const s = this.session.step(n);
      this.publish({ status: { reason: s.reason, detail: s.detail } });
      return undefined;
    }
    let left = n;
    this.start(() => {
      const before = this.session.instret;
      const s = this.session.step(Math.min(left, STEP_SLICE));
      left -= this.session.instret - before;
      if (s.reason !== 'step') return s;
      return left <= 0 ? { ...s, detail: `stepped ${n}` } : undefined;
    }, `stepping ${n}`);
    return undefined;
  }

  /** Runs to the instruction after a call's delay slot (the instruction table's `links`), else steps one. */
  private stepOver(): Said {
    if (this.running) return busy;
    const pc = this.session.machine.cpu.pc >>> 0, word = this.session.readWord(pc);
    if (word === undefined || !decodeInstruction(word)?.links) return this.step(1);
    this.stepOverBp = this.session.addBreakpoint({ kind: 'pc', addr: (pc + 8) >>> 0 });
    const chunk = this.opts.chunk ?? 20_000;
    let continuing = false;
    this.start(() => {
      const s = this.session.run(chunk, continuing);
      continuing = true;
      return s.reason === 'budget' ? undefined : s;
    }, 'stepping over');
    return undefined;
  }

  /**
   * Where the machine is for finish.ts: the pc, sp, and the process on
   * the CPU as its "environment" (kernel code runs on the process's
   * kernel stack, so a frame is the process's in the kernel as well).
   */
  private targetAt(): { pc: number; env: string | undefined; sp: number } {
    const m = this.session.machine;
    return { pc: m.cpu.pc >>> 0, env: `pid ${currentProcess(m, this.session.addr).pid}`, sp: m.cpu.regs[29] >>> 0 };
  }

  /** The target of finishing the function the pc is in: by the kernel's symbols in kseg0, the current program's below (as the disassembly is symbolized). */
  private finishTarget(): RunTarget | string {
    const s = this.session, at = this.targetAt(), regs = s.machine.cpu.regs;
    const symbols = at.pc >= 0x80000000 ? s.image.symbols : this.ctx.programs.get(currentProcess(s.machine, s.addr).name) ?? [];
    return finishTarget({ pc: at.pc, sp: at.sp, ra: regs[31] >>> 0, env: at.env, read: (va) => s.readWord(va), symbols });
  }

  /** The target of running until `at` (an address, a kernel symbol, or one of the current program's) in the process on the CPU. */
  private untilTarget(at: AddrSpec): RunTarget | string {
    const s = this.session;
    const prog = at.kind === 'symbol' && !s.image.symbols.some((x) => x.name === at.name)
      ? this.ctx.programs.get(currentProcess(s.machine, s.addr).name)?.find((x) => x.name === at.name) : undefined;
    const b = prog && at.kind === 'symbol' ? { kind: 'pc' as const, addr: (prog.value + at.offset) >>> 0 }
      : s.resolveBreakpoint(at.kind === 'addr' ? { kind: 'pc', addr: at.addr } : { kind: 'symbol', symbol: at.name, offset: at.offset });
    if (typeof b === 'string') return `Cannot run until ${at.kind === 'addr' ? at.addr.toString(16) : at.name}: ${b}`;
    if (b.kind !== 'pc' || b.addr % 4 !== 0) return 'Cannot run until an address that is not a multiple of 4 (instructions are words)';
    // In the process on the CPU; in any while none is (at boot).
    const env = currentProcess(s.machine, s.addr).pid ? this.targetAt().env : undefined;
    const where = `${b.addr.toString(16).padStart(8, '0')}${env ? ` (${env})` : ''}`;
    return { addr: b.addr, env, detail: `reached ${where}`, running: `running until ${where}` };
  }

  /** Runs, in slices at the pace, until `t` is reached in its process and frame (finish.ts); its breakpoint goes however the run ends. */
  private runTo(t: RunTarget | string): Said {
    if (this.running) return busy;
    if (typeof t === 'string') return { text: t, error: true };
    if (this.session.halted) return { text: 'The kernel has halted the machine: step back or go to an earlier cycle', error: true };
    const id = this.session.addBreakpoint({ kind: 'pc', addr: t.addr });
    this.stepOverBp = id;
    this.targetDetail = t.detail;
    this.start(targetWork(() => this.runWork(), { lastHit: () => this.session.lastHit(), at: () => this.targetAt() }, t, id), t.running, false, true);
    return undefined;
  }

  /** Time travel (MonoSession.travel): a checkpoint restored at once, then the replay in slices, the status line saying how far it has come. */
  private travel(t: CheckpointTarget, detail: string, cannot: string): Said {
    if (this.running) return busy;
    const job = this.session.travel(t, detail);
    if (typeof job === 'string') return { text: `${cannot}: ${job}`, error: true };
    const slice = this.opts.travelSlice ?? TRAVEL_SLICE;
    const at = (s: Stop) => ({ reason: s.reason, detail: `${s.detail} (cycle ${num(s.cycle)}, instruction ${num(s.instret)})` });
    const first = job.advance(slice);
    if (first) { this.publish({ status: at(first) }); return undefined; }
    this.start(() => {
      const s = job.advance(slice);
      if (s) return at(s);
      this.state = { ...this.state, status: { reason: 'running', detail: `${detail}: replaying, ${Math.floor(100 * job.fraction())}%` } };
      return undefined;
    }, `${detail}: replaying`, true);
    return undefined;
  }

  /**
   * A reverse search (travel.ts): done at once when it takes less than a
   * slice, else in slices with where it searches on the status line.
   * Cancelling it (pause) travels back to where it started. The answer is
   * the same either way. As LiveDebugger's.
   */
  private search(work: Search, cannot: string, what: string): Said {
    if (this.running) return busy;
    const here = this.session.cycle, t0 = this.opts.now(), sliceMs = this.opts.sliceMs ?? 10;
    let r = work.next();
    while (!r.done && this.opts.now() - t0 < sliceMs) r = work.next();
    if (r.done) {
      const o = travelled(r.value, cannot);
      this.publish(o.ok ? { status: { reason: 'step', detail: o.text } } : {});
      return o.ok ? { text: o.text } : { text: o.text, error: true };
    }
    const sliced = searchWork({ progress: (detail) => { this.state = { ...this.state, status: { reason: 'running', detail } }; } }, work, cannot, what);
    this.start(() => {
      const stop = sliced();
      if (stop) this.cancelSearch = undefined;
      return stop;
    }, `${what}: ${r.value}`, true);
    this.cancelSearch = () => {
      work.return(undefined as never);
      this.finish({ reason: 'paused', detail: `${what} cancelled` });
      if (this.session.cycle !== here) this.travel({ cycle: here }, `${what} cancelled: back at cycle ${num(here)}`, `Cannot go back to cycle ${num(here)}`);
    };
    return undefined;
  }

  /** Sets the pace (`c.index`), or moves it `c.delta` steps slower; a run in progress goes on at the new pace from now. */
  private setPace(c: Extract<Command, { kind: 'pace' }>): Said {
    this.loop.setPace(c.index ?? paceMoved(this.loop.pace, c.delta ?? 0));
    this.publish();
    return { text: `Pace: ${this.state.pace}` };
  }

  /** Back to the boot state (the first checkpoint), breakpoints kept, as the exokernel's restart (Session.restart). */
  private restart(): Said {
    const wasRunning = this.running;
    if (wasRunning) this.finish({ reason: 'paused', detail: 'restarting' });
    const r = this.session.travelNow({ cycle: 0 }, 'restarted from the start');
    if (typeof r === 'string') return { text: `Cannot restart: ${r}`, error: true };
    this.publish({ status: { reason: 'step', detail: 'restarted from the start' } });
    if (wasRunning) this.run();
    return { text: 'Restarted the scenario from the start (breakpoints kept)' };
  }

  /** Writes the scenario, the point and the breakpoints to `file` (exoscope tui --load reopens it there). */
  private save(file: string): Said {
    const scenario = this.opts.scenarioFile;
    if (!scenario) return { text: 'Cannot save: this session was not opened from a scenario file', error: true };
    try {
      writeSaved(file, { scenario, cycle: this.session.cycle, interventions: [], breakpoints: this.session.listBreakpoints().map(([, b]) => b) });
    } catch (e) {
      if (e instanceof SavedSessionError) return { text: e.message, error: true };
      throw e;
    }
    return { text: `Saved at cycle ${num(this.session.cycle)} to ${file} (exoscope tui --load ${file} reopens it here)` };
  }

  execute(c: Command): Said {
    const s = this.session;
    switch (c.kind) {
      case 'step': return this.step(c.n);
      case 'stepBack': return this.travel({ instret: Math.max(0, s.instret - c.n) }, `stepped back ${c.n}`, `Cannot step back ${c.n}`);
      case 'restart': return this.restart();
      case 'goto': return this.travel({ cycle: c.cycle }, `at cycle ${num(c.cycle)}`, `Cannot go to cycle ${num(c.cycle)}`);
      case 'back': return this.travel({ cycle: Math.max(0, s.cycle - c.cycles) }, `back ${num(c.cycles)} cycles`, `Cannot go back ${num(c.cycles)} cycles`);
      case 'stepOver': return this.stepOver();
      case 'finish': return this.runTo(this.finishTarget());
      case 'until': return this.runTo(this.untilTarget(c.at));
      case 'gotoEvent': case 'reverseContinue': case 'reverseNext': case 'reverseWatch': case 'reversePrev': {
        const { work, cannot, what } = search(s, c);
        return typeof work === 'string' ? { text: work, error: true } : this.search(work, cannot, what);
      }
      case 'continue': return this.run();
      case 'pace': return this.setPace(c);
      case 'pause': return this.pause();
      case 'break': case 'toggleBreak': case 'delete': case 'breaks': {
        // The exokernel session's breakpoint commands (command.ts), over this session's one breakpoint table.
        const o = breakpointCommand(s, c, (addr) => s.symbolAt(addr));
        if (o.popup) return { popup: o.popup };
        if (o.ok || c.kind === 'delete') this.publish();
        return o.ok ? { text: o.text } : { text: o.text, error: true };
      }
      case 'save': return this.running ? busy : this.save(c.file);
      default: return { text: exokernelOnly(c), error: true };
    }
  }

  /** The kernel's symbols (one address space: `env` does not matter). */
  symbolNames(): readonly string[] {
    return namesOf([this.session.image.symbols]);
  }

  dispose(): void {
    this.loop.stop();
    this.listeners.clear();
  }
}
