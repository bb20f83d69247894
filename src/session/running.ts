// A session's machines running under the debugger (docs/architecture.md,
// "The session"): the breakpoints (breakpoint-table.ts), runs and what
// happens at an instruction boundary (the user's interventions replayed,
// environments due, the run hook: a scenario's timeline), pause, and the
// checkpoints taken on the way (checkpointing.ts). Session (session.ts)
// adds stepping, time travel and the user's machine actions.

import type { Env, Kernel } from '../exokernel/index.js';
import type { Breakpoint, Hit, ResolvedBreakpoint } from '../scenario/index.js';
import { KernelBreakpoints, type Caught } from './breakpoint-table.js';
import { Checkpointing } from './checkpointing.js';
import { History } from './history.js';
import { carryOut, InterventionLog } from './interventions.js';
import { readWordOf, type Lockstep } from './lockstep.js';
import { ResumePoint } from './resume.js';
import { SessionMachines, type MachinesState, type SessionSetup } from './machines.js';
import type { RunHook, Stop } from './session.js';
import { CHECKPOINT_EVERY } from './checkpoint-every.js';

/** The session's state that a checkpoint carries besides the kernels'. */
export interface SessionState extends MachinesState {
  readonly hook: unknown;
  readonly events: number;
  readonly timelineBps: readonly number[];
}

/** A session's machines running under the debugger: breakpoints, runs and the run hook (Session adds stepping, time travel and interventions). */
export class RunningSession extends SessionMachines {
  protected readonly bps: KernelBreakpoints;
  protected pauseRequested = false;
  protected hook: RunHook | undefined;
  private hookDue = false;
  protected readonly checkpoints: Checkpointing | undefined;
  /** Every event since boot (time travel truncates it to the point travelled to; past its spill file's bound it forgets the oldest: history.ts). */
  readonly history: History;
  protected readonly interventions = new InterventionLog();
  /** True while the timeline (or a replayed intervention) acts: its actions are not the user's. */
  protected inHook = false;
  /**
   * The cycle at which the run hook last fired (-1: never). It starts as a
   * double, as the cycles stored in it are: a field that changed from a
   * small integer to a double would change the session's hidden class (V8)
   * mid-run and deoptimize every function that had seen it.
   */
  protected firedAt = -0;
  lastStop: Stop;
  /**
   * Where the last run that resumed (not `continuing`) started from: kept
   * through the runs that carry it on, so that a run cut into slices stops
   * where a whole one would (resume.ts).
   */
  private resumePoint: ResumePoint | undefined;

  /** Boots the kernels and creates the environments that start at cycle 0. */
  constructor(setup: SessionSetup) {
    super(setup);
    this.history = new History(setup.historyLimits);
    this.firedAt = -1;
    if (setup.history !== false) {
      for (const e of this.kernel.log.recent()) this.history.push(e);
      this.kernel.log.subscribe((e) => this.history.push(e));
    }
    this.startDue();
    this.bps = new KernelBreakpoints(this);
    const every = setup.checkpointEvery ?? CHECKPOINT_EVERY;
    const kernels = [this.kernel, ...this.stations.map((c) => c.checkpointed)];
    if (every > 0) this.checkpoints = new Checkpointing(this.kernel, kernels, every, setup.checkpointLimits);
    this.lastStop = { reason: 'paused', detail: 'booted', cycle: 0, instret: 0 };
  }

  // The breakpoints (breakpoint-table.ts).

  /** `b` with its symbol resolved to an address, or a message saying why it cannot be set (an unknown environment or symbol). */
  resolveBreakpoint(b: Breakpoint): ResolvedBreakpoint | string {
    return this.bps.resolve(b);
  }

  /**
   * Adds a breakpoint; returns its id. PC breakpoints name a virtual
   * address. Throws Error for a breakpoint resolveBreakpoint refuses
   * (callers resolve first).
   */
  addBreakpoint(b: Breakpoint): number {
    return this.bps.add(b, this.inHook);
  }

  /** Removes breakpoint `id`; false when there is none. */
  removeBreakpoint(id: number): boolean {
    return this.bps.remove(id);
  }

  /** The breakpoints with their ids. */
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

  /** Resolves `name` (a symbol of an environment's image) to an address. */
  symbolAddress(name: string, env?: string): number | undefined {
    return this.bps.symbolAddress(name, env);
  }

  /** Runs `fn` with breakpoints stopping the machine but not counted (reverse searches scan with it). */
  scanning<T>(fn: () => T): T {
    return this.bps.inMode('scan', fn);
  }

  // Running.

  /**
   * Runs at most `budget` cycles, stopping at breakpoints. PC breakpoints of
   * another environment are stepped over. Returns why it stopped. With
   * `continuing` (the previous run ended on its budget and this one carries
   * it on, as a debugger running in slices does) a pc breakpoint at the
   * current pc is hit rather than resumed from.
   */
  run(budget: number, continuing = false): Stop {
    const k = this.kernel;
    this.ensureBoot();
    const end = k.now() + budget;
    this.bps.clearCaught();
    this.pauseRequested = false;
    if (!continuing) {
      this.forgetResumePoint();
      this.resumePoint = new ResumePoint(k, k.current?.id, k.cpu.pc >>> 0);
      k.cpu.skipBreakpoint = k.cpu.pc; k.cpu.skipWatch = k.cpu.pc;
    }
    while (k.now() < end) {
      const held = this.act();
      if (held) return this.stop(held.reason, held.detail);
      this.lockstep?.catchUp(k.now());
      const until = Math.min(end, this.nextStop());
      const stop = this.afterSlice(k.run(until - k.now()), end);
      if (stop) return stop;
    }
    return this.stop('budget', `ran ${budget} cycles`);
  }

  /** Drops the resume point (a step or time travel moved the machine on its own terms). */
  protected forgetResumePoint(): void {
    this.resumePoint?.finish();
    this.resumePoint = undefined;
  }

  /** After the kernel ran a slice of a run that ends at `end`: the stop, when the run ends here; undefined when it goes on. */
  private afterSlice(r: ReturnType<Kernel['run']>, end: number): Stop | undefined {
    const hit = this.bps.caught();
    if (hit) return this.breakpointStop(hit);
    if (this.pauseRequested) { this.pauseRequested = false; return this.stop('paused', 'paused'); }
    if (this.hookDue) return undefined;
    if (r === 'idle') return this.idleSlice(end);
    const cpuHit = this.cpuBreakpointHit();
    if (cpuHit) return this.breakpointStop(cpuHit);
    this.maybeCheckpoint();
    return undefined;
  }

  /** Nothing ran on the first machine: time passes to its next start, or while the others work; else the run ends idle. */
  private idleSlice(end: number): Stop | undefined {
    const k = this.kernel;
    if (this.pending.length) {
      // With other machines, time passes quantum by quantum (devices served: frames may come).
      const start = this.pending[0].start ?? 0;
      if (this.lockstep) k.machine.idleTo(Math.min(start, this.lockstep.horizon)); else k.cpu.cycles = Math.max(k.now(), start);
      return undefined;
    }
    // Another machine still works: time passes here up to where it is.
    if (this.lockstep?.busy) { k.machine.idleTo(Math.min(end, this.lockstep.horizon)); this.maybeCheckpoint(); return undefined; }
    return this.stop('idle', 'no environment is runnable');
  }

  /**
   * The pc breakpoint or watchpoint the CPU stopped before, when it stops
   * the run (not in a replay, not the pc being resumed from); otherwise
   * the CPU is set to go past it.
   */
  private cpuBreakpointHit(): Caught | undefined {
    const k = this.kernel;
    if (k.machine.cpu.stopReason === 'breakpoint') {
      const resuming = this.resumePoint?.resumes(k.current?.id, k.cpu.pc >>> 0) === true;
      const hit = resuming || this.bps.mode === 'replay' ? undefined : this.bps.pcBreakpointHit();
      if (hit) return hit;
      k.cpu.skipBreakpoint = k.cpu.pc;
    }
    if (k.machine.cpu.stopReason === 'watchpoint') {
      const hit = this.bps.mode === 'replay' ? undefined : this.bps.watchpointHit();
      if (hit) return hit;
      k.cpu.skipWatch = k.cpu.pc;
    }
    return undefined;
  }

  /**
   * What happens at an instruction boundary before the machine goes on, in
   * this order: the user's interventions made here before the timeline
   * acted, environments due, the run hook (the timeline), the interventions
   * made after it. Returns the hook's stop (live runs only: a replay drops
   * the front-end steps, which were carried out the first time).
   */
  protected act(): Pick<Stop, 'reason' | 'detail'> | undefined {
    this.applyInterventions(false);
    this.startDue();
    this.hookDue = false;
    let held = this.hook ? this.asTimeline(() => this.hook!.fire()) : undefined;
    this.firedAt = this.kernel.now();
    this.applyInterventions(true);
    if (held && this.bps.mode !== 'live') {
      if (held.reason === 'timeline') this.hook!.drop?.();
      held = undefined;
    }
    return held;
  }

  /** Carries out the recorded interventions due now (time travel replaying them). */
  private applyInterventions(afterHook: boolean): void {
    const now = this.kernel.now();
    for (let p = this.interventions.takeDue(now, afterHook); p; p = this.interventions.takeDue(now, afterHook)) {
      const action = p.action;
      this.asTimeline(() => carryOut(this, action));
    }
  }

  /** Runs `fn` as the timeline: the machine actions it takes are not the user's interventions. */
  asTimeline<T>(fn: () => T): T {
    const was = this.inHook;
    this.inHook = true;
    try { return fn(); } finally { this.inHook = was; }
  }

  /**
   * A stop at a breakpoint: counted (live runs) and returned. Timeline
   * steps triggered on the way (by the very event an event breakpoint
   * stops at, say) fire here first, at this boundary, as the next run
   * would have fired them: their front-end steps wait in the run hook
   * for the driver, which carries them out on the stopped machine.
   */
  protected breakpointStop(hit: Caught): Stop {
    if (this.hookDue) this.act();
    this.bps.noteStop(hit);
    return this.stop('breakpoint', hit.detail, hit.at);
  }

  /**
   * Attaches what drives this session from outside (one at most): `run`
   * asks it to fire at every return to the session and never runs past its
   * next trigger. Returns what detaches it.
   */
  attach(hook: RunHook): () => void {
    if (this.hook) throw new Error('Cannot attach a second run hook to a session');
    this.hook = hook;
    return () => { if (this.hook === hook) this.hook = undefined; };
  }

  /** Makes a run in progress return to the session at the next instruction boundary, so that the run hook fires. */
  wake(): void {
    this.hookDue = true;
    this.kernel.stop();
  }

  /** The earliest cycle at which the session must regain control. */
  private nextStop(): number {
    let t = Infinity;
    if (this.hook) t = Math.min(t, this.hook.nextTrigger());
    if (this.pending.length) t = Math.min(t, this.pending[0].start ?? 0);
    if (this.checkpoints) t = Math.min(t, this.checkpoints.due());
    t = Math.min(t, this.interventions.nextCycle());
    if (this.lockstep) t = Math.min(t, this.lockstep.horizon);
    return Math.max(t, this.kernel.now() + 1);
  }

  protected stop(reason: Stop['reason'], detail: string, hit?: Hit): Stop {
    const cpu = this.kernel.cpu;
    this.lastStop = hit ? { reason, detail, hit, cycle: cpu.cycles, instret: cpu.instret } : { reason, detail, cycle: cpu.cycles, instret: cpu.instret };
    return this.lastStop;
  }

  /**
   * Nothing can run: as headless replay does (replay.ts), time passes with
   * nothing to run up to the timeline's next step at a cycle, or to
   * `target` when that comes first. False (and nothing done) when no step
   * at a cycle is left: the machine stays idle where it is. Travel and the
   * live debugger's continue both pass idle time through it.
   */
  idleGap(target: number): boolean {
    const next = this.hook?.nextCycleTrigger?.() ?? Infinity;
    if (next === Infinity || next <= this.kernel.now()) return false;
    this.idleUntil(Math.min(target, next));
    return true;
  }

  /**
   * Lets time pass with nothing to run up to `cycle` (devices and the
   * kernel's deadlines are served on the way): for a driver whose next
   * timed step comes after every environment has ended.
   */
  idleUntil(cycle: number): void {
    if (cycle > this.kernel.now()) this.kernel.machine.idleTo(cycle);
  }

  /** Makes a run in progress return at the next instruction boundary (reason 'paused'). */
  pause(): void {
    this.pauseRequested = true;
    this.kernel.stop();
  }

  /**
   * The word at virtual address `va` as environment `env` (an environment or
   * its name; default: the one on the CPU) sees it, through the kernel's bindings; undefined when unmapped.
   */
  readWord(va: number, env: Env | string | undefined = this.kernel.current): number | undefined {
    if (typeof env === 'string') env = this.kernel.envs.get(this.envIds.get(env) ?? -1);
    return readWordOf(this.kernel, va, env);
  }

  /** Takes the checkpoint of the session's first point (with the run hook's state), once. */
  protected ensureBoot(): void {
    if (!this.inHook) this.checkpoints?.takeFirst(() => this.sessionState());
  }

  /** Takes a checkpoint when one is due (Checkpointing.due). */
  private maybeCheckpoint(): void {
    this.applyHorizon();
    this.checkpoints?.takeIfDue(() => this.sessionState());
  }

  /**
   * Drops the checkpoints from before what the event histories still hold
   * (a history forgets its oldest chunks past its spill file's bound,
   * history.ts): restoring one would cut a history back into events it no
   * longer has. The oldest checkpoint kept becomes the first point time
   * travel can reach.
   */
  protected applyHorizon(): void {
    let firsts = this.history.first;
    for (const s of this.stations) firsts += s.history.first;
    this.checkpoints?.dropBefore(firsts, (st) => this.holds(st as SessionState));
  }

  /** Whether a checkpoint's session state can still be restored: every history holds the events from there on. */
  private holds(st: SessionState): boolean {
    return st.events >= this.history.first && (st.machines === undefined || this.lockstep === undefined || this.lockstep.holds(st.machines as Parameters<Lockstep['holds']>[0]));
  }

  /** The session's own state that checkpoints must carry. */
  private sessionState(): SessionState {
    return { ...this.saveMachines(), hook: this.hook?.save?.(), events: this.history.length, timelineBps: this.bps.timelineIds() };
  }
}
