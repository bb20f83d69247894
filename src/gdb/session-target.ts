// The Target of a GDB stub over a Session: with reverse.ts,
// session-stops.ts and session-state.ts, the only files of src/gdb that
// know the session (and, through it, the kernel). Runs
// happen in chunks of cycles between turns of the event loop, so an
// interrupt (Ctrl-C) from GDB is read while the machine runs.

import { ExcCode } from '../emu/index.js';
import type { Breakpoint, Session, Stop } from '../session/index.js';
import { readMemory, readRegisters, writeMemory, writeRegister } from './session-state.js';
import { IDLE_TID, Signal, type Resume, type StopInfo, type Target, type ThreadInfo, type WatchKind } from './target.js';
import { toStopInfo } from './session-stops.js';
import { reverseContinue, reverseStep } from './reverse.js';

/** Options of a SessionTarget. */
export interface SessionTargetOptions {
  /** Host paths of the environments' program images, by environment name (for qXfer:exec-file). */
  readonly images?: ReadonlyMap<string, string>;
  /** Cycles per session.run call between turns of the event loop (default 200,000). */
  readonly chunk?: number;
  /** Also stop (SIGSEGV) on TLB faults the kernel dispatches to the environment (default false: they are the library OS's page faults). */
  readonly tlbFaults?: boolean;
  /** Runs `fn` soon (default setImmediate); tests may pass their own. */
  readonly schedule?: (fn: () => void) => void;
  /** Told when a resume starts (no argument) and ends (the session's stop): for a TUI showing the same session. */
  readonly onRun?: (stop?: Pick<Stop, 'reason' | 'detail'>) => void;
  /**
   * Called when a run returned for timeline steps that are a front end's
   * (a scenario played interactively, as the TUI does: LiveDebugger.externalTimeline);
   * returns the reason of a `break` step among them, which stops the run.
   * Without it such a return stops the run.
   */
  readonly onTimeline?: () => string | undefined;
  /** Called between chunks of a run (a TUI redraws from it, at its own pace). */
  readonly onChunk?: () => void;
  /** Pauses the front end's run (a TUI's), when the debugger interrupts while it waits on that run. */
  readonly pauseFrontEnd?: () => void;
}

/** Exceptions an environment takes that stop the debugger: address and bus errors, RI, CpU, overflow. */
const FAULTS = [ExcCode.AdEL, ExcCode.AdES, ExcCode.IBE, ExcCode.DBE, ExcCode.RI, ExcCode.CpU, ExcCode.Ov];
const STEP_GIVE_UP = 2_000_000_000;

/** A Target over `session`. Attaching adds exception breakpoints for the faults GDB reports; detach removes them. */
export class SessionTarget implements Target {
  /** Session breakpoint ids of the debugger's breakpoints, by environment name ('' for every one) and address. */
  private readonly bps = new Map<string, number>();
  /** Watchpoint ids by environment, kind, address and length. */
  private readonly watches = new Map<string, number>();
  private readonly faultBps: number[] = [];
  /** The breakpoint on env-destroyed, while resumes ask to stop on an environment's end (Resume.exits). */
  private exitBp: number | undefined;
  /** Environments the debugger detached from: their faults and ends do not stop its runs. */
  private readonly unfollowed = new Set<number>();
  /** A front end sharing the session (the TUI) is running the machine (frontEndRan). */
  private frontEndRunning = false;
  /** How the front end's last move of the machine ended, when the debugger has not heard where it is since. */
  private moved: Pick<Stop, 'reason' | 'detail'> | undefined;
  /** The debugger's resume waiting on the front end's run: told its stop. */
  private joined: ((stop: StopInfo) => void) | undefined;
  private readonly chunk: number;
  private readonly schedule: (fn: () => void) => void;
  private interrupted = false;
  running = false;
  /** What a TUI beside it calls it (it is the TUI's ExternalControl while gdb is attached). */
  readonly name = 'gdb';

  constructor(readonly session: Session, private readonly opts: SessionTargetOptions = {}) {
    this.chunk = opts.chunk ?? 200_000;
    this.schedule = opts.schedule ?? ((fn) => { setImmediate(fn); });
  }

  /** Adds the exception breakpoints of the faults GDB is told about, unless they are there. */
  private armFaults(): void {
    if (this.faultBps.length) return;
    for (const code of FAULTS) this.faultBps.push(this.session.addBreakpoint({ kind: 'exception', code }));
    // Every TLB refill enters the kernel; only a dispatch reaches the environment.
    if (this.opts.tlbFaults) this.faultBps.push(this.session.addBreakpoint({ kind: 'event', event: 'dispatch' }));
  }

  private get kernel() { return this.session.kernel; }

  readRegisters(tid: number): (number | undefined)[] {
    return readRegisters(this.kernel, tid);
  }

  writeRegister(tid: number, n: number, value: number): boolean {
    return writeRegister(this.kernel, tid, n, value);
  }

  readMemory(tid: number, addr: number, length: number): Uint8Array | undefined {
    return readMemory(this.kernel, tid, addr, length);
  }

  writeMemory(tid: number, addr: number, bytes: Uint8Array): boolean {
    return writeMemory(this.kernel, tid, addr, bytes);
  }

  get canReverse(): boolean {
    return this.session.setup.checkpointEvery !== 0;
  }

  threads(): ThreadInfo[] {
    const k = this.kernel;
    const out: ThreadInfo[] = [];
    for (const e of k.envs.values()) {
      if (e.state === 'destroyed') continue;
      const state = k.current === e ? 'running on the CPU' : e.state === 'waiting' ? 'waiting' : 'runnable';
      out.push({ tid: e.id, name: this.session.envNames.get(e.id) ?? e.name, state: `environment ${e.id}, ${state}` });
    }
    out.push({ tid: IDLE_TID, name: 'kernel idle', state: k.current ? 'not running' : 'running on the CPU' });
    return out;
  }

  currentThread(): number {
    return this.kernel.current?.id ?? IDLE_TID;
  }

  /** The scenario name of environment `tid` (undefined: every environment). */
  private envName(tid: number | undefined): string | undefined {
    return tid === undefined ? undefined : this.session.envNames.get(tid);
  }

  /** Adds (or removes) the session breakpoint `bp` under `key` in `ids`, once. */
  private toggle(ids: Map<string, number>, key: string, on: boolean, bp: () => Breakpoint): void {
    const id = ids.get(key);
    if (on && id === undefined) ids.set(key, this.session.addBreakpoint(bp()));
    if (!on && id !== undefined) { this.session.removeBreakpoint(id); ids.delete(key); }
  }

  /** A pc breakpoint in environment `tid`'s address space only (a session breakpoint with `env`), or in every one. */
  setBreakpoint(addr: number, on: boolean, tid?: number): boolean {
    const a = addr >>> 0, env = this.envName(tid);
    if (tid !== undefined && env === undefined) return false;
    this.toggle(this.bps, `${env ?? ''}:${a}`, on, () => ({ kind: 'pc', addr: a, env }));
    return true;
  }

  /**
   * A watchpoint in the address space of thread `tid` (GDB names none in
   * Z2-Z4; the stub passes the thread Hg selected, the one GDB reads the
   * watched value through); every environment's when undefined.
   */
  setWatchpoint(kind: WatchKind, addr: number, length: number, on: boolean, tid?: number): boolean {
    const a = addr >>> 0, env = this.envName(tid);
    if (tid !== undefined && env === undefined) return false;
    this.toggle(this.watches, `${env ?? ''}:${kind}:${a}:${length}`, on, () => ({ kind: 'watch', addr: a, len: length, read: kind !== 'write', write: kind !== 'read', env }));
    return true;
  }

  /** The host path of environment `tid`'s image; the kernel's idle loop has none. */
  execFile(tid: number): string | undefined {
    const name = this.session.envNames.get(tid);
    return name === undefined ? undefined : this.opts.images?.get(name);
  }

  interrupt(): void {
    if (!this.running) return;
    this.interrupted = true;
    if (this.joined) this.opts.pauseFrontEnd?.();
  }

  /**
   * The front end (the TUI) moved the machine: it started a run (no
   * argument) or stopped. A resume of the debugger's waiting on that run
   * is told the stop now; otherwise the debugger hears it at its next
   * resume (GDB's all-stop protocol has no way to tell it sooner).
   */
  frontEndRan(stop?: Pick<Stop, 'reason' | 'detail'>): void {
    this.frontEndRunning = stop === undefined;
    if (!stop) return;
    const done = this.joined;
    if (!done) { this.moved = stop; return; }
    this.joined = undefined;
    this.running = false;
    done(this.frontEndStop(stop));
  }

  /** What the debugger is told of the front end's stop: SIGINT for a pause, else the session's stop, with its words. */
  private frontEndStop(stop: Pick<Stop, 'reason' | 'detail'>): StopInfo {
    const last = this.session.lastStop;
    const info = this.interrupted || stop.reason === 'paused' ? this.stopInfo({ reason: 'paused' }, Signal.INT)
      : this.stopInfo(last.reason === stop.reason ? last : stop);
    return { ...info, message: [`the TUI ${stop.reason === 'paused' ? 'paused the machine' : 'moved the machine'}: ${stop.detail}`, info.message].filter(Boolean).join('; ') };
  }

  /** Forgets the breakpoints and watchpoints of environment `env` ('' for those of every environment), or all of them. */
  private forget(env?: string): void {
    for (const ids of [this.bps, this.watches]) {
      for (const [key, id] of ids) {
        if (env !== undefined && !key.startsWith(`${env}:`)) continue;
        this.session.removeBreakpoint(id);
        ids.delete(key);
      }
    }
  }

  detach(tid?: number): void {
    if (tid !== undefined) {
      const env = this.envName(tid);
      if (env !== undefined) this.forget(env);
      this.unfollowed.add(tid);
      return;
    }
    // A run of the front end's that the debugger waited on goes on without it.
    if (this.joined) { this.joined = undefined; this.running = false; }
    this.moved = undefined;
    this.interrupt();
    this.forget();
    for (const id of this.faultBps.splice(0)) this.session.removeBreakpoint(id);
    if (this.exitBp !== undefined) this.session.removeBreakpoint(this.exitBp);
    this.exitBp = undefined;
    this.unfollowed.clear();
  }

  /**
   * GDB's kill of an environment's process: the session kills it (an
   * intervention, as the TUI's kill is, so time travel keeps it). The
   * kernel's idle loop cannot be killed.
   */
  kill(tid: number): boolean {
    const env = this.envName(tid);
    if (env === undefined || this.running) return false;
    this.forget(env);
    return this.session.kill(env);
  }

  /**
   * Resumes as asked; but while the front end runs the machine, waits for
   * that run's stop instead, and after the front end moved it, reports
   * where it is at once (what the debugger knows is out of date: a step
   * or a `next` from there would be wrong).
   */
  resume(how: Resume, done: (stop: StopInfo) => void): void {
    this.armFaults();
    if (how.exits && this.exitBp === undefined) this.exitBp = this.session.addBreakpoint({ kind: 'event', event: 'env-destroyed' });
    this.running = true;
    this.interrupted = false;
    if (this.frontEndRunning) { this.joined = done; return; }
    const moved = this.moved;
    if (moved) {
      this.moved = undefined;
      this.running = false;
      done(this.frontEndStop(moved));
      return;
    }
    this.opts.onRun?.();
    // An interrupted run stopped between chunks: the session's last stop is a chunk's end, so say 'paused'.
    const finish = (s: StopInfo) => { this.running = false; this.opts.onRun?.(this.interrupted ? { reason: 'paused', detail: 'paused' } : this.session.lastStop); done(s); };
    if (how.kind === 'reverse-step') return finish(reverseStep(this.session));
    if (how.kind === 'reverse-continue') return this.sliced(reverseContinue(this.session, (budget, c) => this.runSession(budget, c), () => this.interrupted, this.chunk), finish);
    if (how.kind === 'step') return this.sliced(this.stepThread(how.tid ?? this.currentThread()), finish);
    this.sliced(this.continueAll(), finish);
  }

  /** Runs `work` (a generator yielding between chunks) on the event loop until it returns a stop. */
  private sliced(work: Generator<undefined, StopInfo>, done: (stop: StopInfo) => void): void {
    const tick = () => {
      let r: IteratorResult<undefined, StopInfo>;
      try { r = work.next(); } catch (e) { this.running = false; throw e; }
      if (r.done) done(r.value);
      else { this.opts.onChunk?.(); this.schedule(tick); }
    };
    tick();
  }

  /**
   * session.run, carrying out the timeline steps a front end must (see
   * onTimeline); a `break` step among them ends it as a 'paused' stop with
   * the step's reason.
   */
  private runSession(budget: number, continuing: boolean): Stop {
    for (;;) {
      const s = this.session.run(budget, continuing);
      if (s.reason !== 'timeline') return s;
      const brk = this.opts.onTimeline ? this.opts.onTimeline() : s.detail;
      if (brk !== undefined) return { ...s, reason: 'paused', detail: brk };
      continuing = true;
    }
  }

  /** Runs every environment until a stop. */
  private *continueAll(): Generator<undefined, StopInfo> {
    let continuing = false;
    for (;;) {
      if (this.interrupted) return this.stopInfo({ reason: 'paused' }, Signal.INT);
      const s = this.runSession(this.chunk, continuing);
      continuing = true;
      if (this.unheard(s)) continue;
      if (s.reason !== 'budget') return this.stopInfo(s);
      yield undefined;
    }
  }

  /**
   * Whether stop `s` is a fault or the end of an environment the debugger
   * detached from (its own breakpoints are gone already): the run goes on.
   */
  private unheard(s: Stop): boolean {
    const hit = s.reason === 'breakpoint' ? s.hit : undefined;
    if (!hit || !this.unfollowed.size) return false;
    if (hit.id === this.exitBp) return hit.event !== undefined && 'env' in hit.event && this.unfollowed.has(hit.event.env as number);
    return this.faultBps.includes(hit.id) && this.unfollowed.has(this.currentThread());
  }

  /**
   * Steps thread `tid` one instruction: the next instruction that
   * environment executes (its handler or an upcall, if the kernel sends it
   * there). Other environments run meanwhile when the kernel schedules them.
   */
  private *stepThread(tid: number): Generator<undefined, StopInfo> {
    const env = this.kernel.envs.get(tid);
    if (tid === IDLE_TID || !env || env.state === 'destroyed' || this.kernel.current === env) {
      const s = this.session.step(1);
      if (s.reason !== 'step') return this.stopInfo(s);
      if (!env || env.state === 'destroyed' || this.kernel.current === env || tid === IDLE_TID) return this.stopInfo(s, Signal.TRAP);
    } else {
      const w = yield* this.untilOnCpu(tid);
      if (w) return w;
      const s = this.session.step(1);
      if (s.reason !== 'step') return this.stopInfo(s);
      if (this.kernel.current === env) return this.stopInfo(s, Signal.TRAP);
    }
    const w = yield* this.untilOnCpu(tid);
    return w ?? this.stopInfo(this.session.lastStop, Signal.TRAP);
  }

  /** Runs until environment `tid` is on the CPU; a stop when something else stopped the run first. */
  private *untilOnCpu(tid: number): Generator<undefined, StopInfo | undefined> {
    const env = this.kernel.envs.get(tid);
    if (!env) return undefined;
    const bp = this.session.addBreakpoint({ kind: 'event', event: 'context-switch' });
    try {
      let continuing = false;
      const start = this.kernel.now();
      while (this.kernel.current !== env) {
        if (env.state === 'destroyed') return { tid: this.currentThread(), signal: Signal.TRAP, message: `${this.session.envNames.get(tid) ?? tid} was destroyed: ${env.destroyReason}` };
        if (this.interrupted) return this.stopInfo({ reason: 'paused' }, Signal.INT);
        if (this.kernel.now() - start > STEP_GIVE_UP) return { tid: this.currentThread(), signal: Signal.TRAP, message: 'the thread did not run again' };
        const s = this.runSession(this.chunk, continuing);
        continuing = true;
        if (this.unheard(s)) continue;
        if (s.reason === 'breakpoint' && s.hit?.id !== bp) return this.stopInfo(s);
        if (s.reason === 'idle' || s.reason === 'paused' || s.reason === 'end') return this.stopInfo(s);
        if (s.reason === 'budget') yield undefined;
      }
      return undefined;
    } finally {
      this.session.removeBreakpoint(bp);
    }
  }

  /** A session Stop as GDB sees it (session-stops.ts), knowing which breakpoints are the debugger's. */
  stopInfo(s: Pick<Stop, 'reason'> & Partial<Stop>, signal?: number): StopInfo {
    return toStopInfo(this.session, s, { tid: this.currentThread(), signal, own: (id) => [...this.bps.values()].includes(id), exitBp: this.exitBp });
  }
}
