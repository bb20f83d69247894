// The LiveDebugger: the Debugger (debugger-api.ts, the one interface
// between the TUI and everything below it) over a Session. It runs the
// session in slices (run-loop.ts: keys are read between slices, frames
// come on a wall-clock cadence, at least ten a second while running) and
// publishes a snapshot for each frame, and at once on a stop. Its readers
// only see getState(); the machine never leaves here.
// A run goes at a pace (pace.ts): flat out, or so many emulated cycles a
// host second, the slices then waiting for the host clock; the machine
// does the same work at every pace, only sooner or later.
// With a ScenarioRun it plays the scenario's timeline as replay and the
// recorder do: a `break` step stops it, `key` and `pause` steps go to the
// front end (front-end-steps.ts) and the run goes on when they are done.
// Another controller (gdb's stub, src/gdb) may share the session
// (setExternal): either runs and steps the machine, one run at a time.
// While the controller runs it, this debugger refuses to, its pause
// interrupts the controller's run, and it shows the controller's runs and
// stops (externalRan); when this debugger moves the machine it tells the
// controller (ExternalControl.frontEndRan), which reports the stop to its
// own user.


import { breakpointLines, execute, search, travelled, type Command, type SearchCommand } from './command.js';
import { replayWork, runWork, searchWork, stepWork, type WorkHost } from './debugger-work.js';
import type { CheckpointTarget } from './checkpoints.js';
import { DebuggerView, type StatePatch } from './debugger-view.js';
import { namesOf, type Debugger, type DebuggerOptions, type DebuggerState, type ExternalControl, type RunStatus, type Said } from './debugger-api.js';
import { targetWork, type RunTarget } from './finish.js';
import { FrontEndSteps } from './front-end-steps.js';
import { HistoryLog, type LogSource } from './log-window.js';
import type { MemoryRequest } from './memory-window.js';
import { MAX_PACE, paceLabel, paceMoved } from './pace.js';
import { RunLoop, type Work } from './run-loop.js';
import type { Session, Stop } from './session.js';
import type { Snapshot } from './snapshot.js';
import type { KernelEvent } from '../exokernel/index.js';

export type { Debugger, DebuggerOptions, DebuggerState, ExternalControl, FrontEnd, RunStatus, Said } from './debugger-api.js';

/** Cycles a time travel replays before the front end hears from it again. */
const TRAVEL_SLICE = 500_000;

/** Steps of at most this many instructions are done at once; longer ones in slices. */
const STEP_SLICE = 20_000;

/**
 * Cycles a run's call of Session.run covers at most (DebuggerOptions.chunk):
 * about a third of a millisecond at full speed, so a slice still ends
 * within a fraction of a millisecond of its time. Each call costs a few
 * microseconds of its own (the session's checks before and after the
 * kernel runs): the fixture session run 300M cycles in calls of 20,000
 * took 2 to 4% more CPU time than in calls of 100,000 or 1,000,000
 * (interleaved, in one process), which were alike. A paced run's calls are cut to
 * what its pace allows anyway, and breakpoints and the timeline stop a
 * run inside a call: the machine does the same whatever the chunk.
 */
const RUN_CHUNK = 100_000;

const fromOutcome = (o: { ok: boolean; text: string; popup?: { title: string; lines: readonly string[] } }): Said =>
  o.popup ? { popup: o.popup } : o.ok ? { text: o.text } : { text: o.text, error: true };

/** Runs a session for a front end; see the file comment. */
export class LiveDebugger implements Debugger {
  /** What the front end is shown (debugger-view.ts). */
  private readonly view: DebuggerView;
  private readonly loop: RunLoop;
  /** What the sliced work (debugger-work.ts) is given of this debugger. */
  private readonly work: WorkHost;
  private readonly steps: FrontEndSteps;
  /** While a reverse search runs: what cancelling it does. */
  private cancelSearch: (() => void) | undefined;
  /** The temporary breakpoint of a step over, finish or run to an address: removed however the run ends. */
  private stepOverBp: { id: number; addr: number; detail?: string } | undefined;
  private external: ExternalControl | undefined;
  /** The name of the last external controller, for its stops on the status line. */
  private externalName = '';
  private readonly chunk: number;
  /** The log pane's window over the whole history. */
  private readonly historyLog: HistoryLog;
  private readonly publishMs: number;
  private readonly sliceMs: number;

  /** A debugger over `session`, stopped, with a first snapshot taken. */
  constructor(private readonly session: Session, private readonly opts: DebuggerOptions) {
    this.historyLog = new HistoryLog(session.history);
    this.chunk = opts.chunk ?? RUN_CHUNK;
    this.publishMs = 1000 / (opts.publishHz ?? 15);
    this.sliceMs = opts.sliceMs ?? 10;
    this.loop = new RunLoop({
      now: opts.now, cpuNow: opts.cpuNow ?? opts.now, schedule: opts.schedule, delay: opts.delay,
      sliceMs: this.sliceMs, publishMs: this.publishMs, pace: opts.pace ?? MAX_PACE,
      cpuHz: () => session.kernel.machine.cpuHz, cycle: () => session.kernel.now(),
      frame: () => this.publish({}, this.view.snap(true)), stopped: (stop) => this.finish(stop),
    });
    this.steps = new FrontEndSteps({
      frontEnd: opts.frontEnd,
      hold: (on) => this.loop.hold(on),
      brk: (reason) => { if (this.loop.busy) this.finish({ reason: 'paused', detail: reason }); },
    });
    this.work = {
      session, allowance: () => this.loop.allowance(), takeHeld: () => this.takeHeld(),
      progress: (detail) => this.view.progress(detail),
    };
    this.view = new DebuggerView(session, {
      events: opts.events ?? 1000, scenario: () => opts.scenario?.view(),
      paceText: () => paceLabel(this.loop.pace, session.kernel.machine.cpuHz, 1000 / this.publishMs), framed: () => this.loop.framed(),
    });
  }

  getState = (): DebuggerState => this.view.state;

  subscribe = (fn: () => void): (() => void) => this.view.subscribe(fn);

  onKeys = (fn: (keys: string) => void): (() => void) => this.steps.onKeys(fn);

  showMemory(req: MemoryRequest | undefined): void {
    if (!req && !this.view.memory) return;
    this.view.memory = req;
    if (!this.loop.busy) this.publish();
  }

  /** Shows machine `name` (default: the one after the shown one) in the snapshots. */
  private showMachine(name: string | undefined): Said {
    const o = execute(this.session, { kind: 'machine', name });
    if (!o.ok) return fromOutcome(o);
    const names = this.session.machineNames;
    this.view.shown = name ?? names[(names.indexOf(this.view.shown ?? names[0]) + 1) % names.length];
    this.publish();
    return { text: `Panes show machine ${this.view.shown}` };
  }

  /** Takes a snapshot (unless given one) and tells the listeners; `patch` changes the status line. */
  private publish(patch: StatePatch = {}, snapshot?: Snapshot): void {
    this.view.publish(patch, snapshot);
  }

  /**
   * Starts sliced work; `work` returns a Stop when done. A 'paced' run waits
   * for the host clock (pace.ts); a 'travel' (time travel or reverse
   * search) runs at full speed and Esc cancels it.
   */
  private start(work: Work, detail: string, mode?: 'paced' | 'travel'): void {
    this.external?.frontEndRan?.();
    this.publish({ running: true, travelling: mode === 'travel', status: { reason: 'running', detail } });
    this.loop.start(work, mode === 'paced');
  }

  /**
   * Plays the timeline steps due at the start (cycle 0 triggers: often a
   * key that starts the run). Call once, when the front end can take keys.
   */
  begin(): void {
    const scenario = this.opts.scenario;
    if (!scenario) return;
    scenario.fire();
    this.steps.push(scenario.held());
  }

  /** Resolves when no front-end step holds the run (for the recorder). */
  settled(): Promise<void> {
    return this.steps.settled();
  }

  /** True while a front-end step holds the run. */
  get waiting(): boolean {
    return this.steps.waiting;
  }

  /** Ends sliced work with `stop`. */
  private finish(stop: Pick<Stop, 'reason' | 'detail'>): void {
    // A front-end step still being carried out (keys being typed, one of
    // which stopped the run) holds on: the steps queued after it wait for it.
    this.loop.stop();
    this.cancelSearch = undefined;
    let status: RunStatus = { reason: stop.reason, detail: stop.detail };
    const over = this.stepOverBp;
    if (over) {
      this.session.removeBreakpoint(over.id);
      this.stepOverBp = undefined;
    }
    const snapshot = this.view.snap();
    if (over && stop.reason === 'breakpoint' && snapshot.cpu.pc === over.addr) status = { reason: 'step', detail: over.detail ?? 'stepped over the call' };
    this.publish({ running: false, travelling: false, status }, snapshot);
    this.external?.frontEndRan?.(stop);
  }

  /** Publishes a stop this debugger made at once (a short step, a travel, a search), and tells the external controller. */
  private stoppedAt(stop: Pick<Stop, 'reason' | 'detail'>): void {
    this.publish({ status: { reason: stop.reason, detail: stop.detail } });
    this.external?.frontEndRan?.(stop);
  }

  get running(): boolean {
    return this.loop.busy || this.external?.running === true;
  }

  /**
   * Shows another debugger on the status line (`label`; undefined when
   * none). With `control`, that debugger runs the machine: run and the
   * steps are refused, and pause interrupts its run.
   */
  setExternal(label: string | undefined, control?: ExternalControl): void {
    this.external = control;
    if (control) this.externalName = control.name;
    this.publish({ attached: label });
  }

  /** The external controller started the machine (no argument), or stopped it (`stop` says why, as the session does). */
  externalRan(stop?: Pick<Stop, 'reason' | 'detail'>): void {
    this.publish(stop
      ? { running: false, status: { reason: stop.reason, detail: `${stop.detail} (${this.externalName})` } }
      : { running: true, status: { reason: 'running', detail: this.externalName } });
  }

  /**
   * While the external controller runs the session: carries out the
   * timeline steps that made its run return (keys go to the front end,
   * pauses are carried out but nothing waits for them) and returns the
   * reason of a `break` step among them, which should stop its run.
   */
  externalTimeline(): string | undefined {
    const steps = this.opts.scenario?.held() ?? [];
    const brk = steps.find((st) => st.kind === 'break');
    this.steps.push(steps.filter((st) => st.kind !== 'break'));
    return brk?.kind === 'break' ? brk.reason : undefined;
  }

  /** Why this debugger cannot start moving the machine now (the controller's or this debugger's run is under way), if it cannot. */
  private cannotMove(): Said {
    return this.refused() ?? (this.running ? { text: 'Running: pause first (space)', error: true } : undefined);
  }

  /** Why the machine is the external controller's now, if it is: it is running it. */
  private refused(): Said {
    const n = this.external?.running && !this.loop.busy ? this.external.name : undefined;
    return n === undefined ? undefined : { text: `${n} is running the machine: space interrupts it`, error: true };
  }

  log(key: string, match: ((e: KernelEvent) => boolean) | undefined): LogSource {
    return this.historyLog.source(key, match);
  }

  run(): Said {
    if (this.refused()) return this.refused();
    if (this.running) return { text: 'Already running' };
    this.start(runWork(this.work, this.chunk, this.opts.scenario?.limit ?? Infinity), 'continue', 'paced');
    return undefined;
  }

  /** Sets the pace (`c.index`), or moves it `c.delta` steps slower; a run in progress goes on at the new pace from now. */
  private setPace(c: Extract<Command, { kind: 'pace' }>): Said {
    this.loop.setPace(c.index ?? paceMoved(this.loop.pace, c.delta ?? 0));
    this.publish();
    return { text: `Pace: ${this.view.state.pace}` };
  }

  /** The scenario from the start (Session.restart): the machine at its first point, running again if it was. */
  private restart(): Said {
    if (this.external) return this.refused();
    const wasRunning = this.loop.busy;
    if (wasRunning) this.finish({ reason: 'paused', detail: 'restarting' });
    this.steps.reset();
    const o = execute(this.session, { kind: 'restart' });
    this.publish(o.ok ? { status: { reason: 'step', detail: 'restarted from the start' } } : {});
    if (!o.ok) return fromOutcome(o);
    if (wasRunning) this.run();
    return { text: 'Restarted the scenario from the start (your kills, revocations and injections forgotten; breakpoints kept)' };
  }

  pause(detail = 'paused by you'): Said {
    if (!this.loop.busy && this.external?.running) { this.external.interrupt(); return undefined; }
    if (!this.running) return { text: 'Not running' };
    const cancel = this.cancelSearch;
    if (cancel) { this.cancelSearch = undefined; cancel(); return { text: 'Search cancelled: going back to where it started (space stops there)' }; }
    this.finish({ reason: 'paused', detail });
    return undefined;
  }

  /** Publishes a new snapshot, after the session was changed from outside. */
  refresh(): void {
    this.publish();
  }

  step(n: number): Said {
    const no = this.cannotMove();
    if (no) return no;
    if (n <= STEP_SLICE) {
      this.stoppedAt(this.session.step(n));
      this.takeHeld();
      return undefined;
    }
    this.start(stepWork(this.work, n, STEP_SLICE), `stepping ${n}`);
    return undefined;
  }

  /** Steps over a call (runs, in slices, to the instruction after its delay slot: Session.callReturn), else steps one. */
  private stepOver(): Said {
    const no = this.cannotMove();
    if (no) return no;
    const ret = this.session.callReturn();
    if (!ret) return this.step(1);
    this.stepOverBp = { id: this.session.addBreakpoint({ kind: 'pc', addr: ret.addr, env: ret.env }), addr: ret.addr };
    return this.run();
  }

  /**
   * Runs, in slices at the pace, until `t` (finish.ts: the caller of the
   * function the pc is in, or an address) is reached in its environment
   * and frame; its temporary breakpoint goes however the run ends.
   */
  private runTo(t: RunTarget | string): Said {
    const no = this.cannotMove();
    if (no) return no;
    if (typeof t === 'string') return { text: t, error: true };
    const id = this.session.addBreakpoint({ kind: 'pc', addr: t.addr, env: t.env });
    this.stepOverBp = { id, addr: t.addr, detail: t.detail };
    const limit = this.opts.scenario?.limit ?? Infinity;
    this.start(targetWork(() => runWork(this.work, this.chunk, limit), { lastHit: () => this.session.lastHit(), at: () => this.session.targetAt() }, t, id), t.running, 'paced');
    return undefined;
  }

  /**
   * Time travel (Session.travel): restores a checkpoint at once, then
   * replays in slices, the status line saying how far it has come.
   */
  private travel(t: CheckpointTarget, detail: string, cannot: string): Said {
    const no = this.cannotMove();
    if (no) return no;
    const job = this.session.travel(t, detail);
    if (typeof job === 'string') return { text: `${cannot}: ${job}`, error: true };
    const s = job.advance(this.opts.travelSlice ?? TRAVEL_SLICE);
    if (s) { this.stoppedAt(s); return undefined; }
    this.start(replayWork(this.work, job, this.opts.travelSlice ?? TRAVEL_SLICE, (pct) => `${detail}: replaying, ${pct}%`), `${detail}: replaying`, 'travel');
    return undefined;
  }

  /**
   * A reverse search or a travel to an event (travel.ts): done at once
   * when it takes less than a slice, else in slices with what it is doing
   * on the status line. Cancelling it (pause) travels back to where it
   * started. The answer is the same either way.
   */
  private search(c: SearchCommand): Said {
    const no = this.cannotMove();
    if (no) return no;
    const { work, cannot, what } = search(this.session, c);
    if (typeof work === 'string') return { text: work, error: true };
    const here = this.session.kernel.now();
    const t0 = this.opts.now();
    let r = work.next();
    while (!r.done && this.opts.now() - t0 < this.sliceMs) r = work.next();
    if (r.done) {
      const o = travelled(r.value, cannot);
      if (o.ok) this.stoppedAt({ reason: 'step', detail: o.text }); else this.publish();
      return fromOutcome(o);
    }
    this.start(searchWork(this.work, work, cannot, what), `${what}: ${r.value}`, 'travel');
    this.cancelSearch = () => {
      work.return(undefined as never);
      this.loop.stop();
      this.back(here, `${what} cancelled`);
    };
    return undefined;
  }

  /** Travels back to cycle `here` in slices after a cancelled search (pausing it leaves the machine where it got to). */
  private back(here: number, detail: string): void {
    const job = this.session.kernel.now() === here ? undefined : this.session.travel({ cycle: here }, `${detail}: back at cycle ${here}`);
    if (!job || typeof job === 'string') { this.finish({ reason: 'paused', detail: job ?? detail }); return; }
    this.start(replayWork(this.work, job, this.opts.travelSlice ?? TRAVEL_SLICE, (pct) => `${detail}: going back to cycle ${here}, ${pct}%`), `${detail}: going back to cycle ${here}`, 'travel');
  }

  /** The timeline's front-end steps that fired while stepping, to carry out. */
  private takeHeld(): void {
    const held = this.opts.scenario?.held() ?? [];
    if (held.length) this.steps.push(held);
  }

  execute(c: Command): Said {
    switch (c.kind) {
      case 'step': return this.step(c.n);
      case 'stepBack': return this.travel({ instret: this.session.kernel.cpu.instret - c.n }, `stepped back ${c.n}`, `Cannot step back ${c.n}`);
      case 'goto': return this.travel({ cycle: c.cycle }, `at cycle ${c.cycle}`, `Cannot go to cycle ${c.cycle}`);
      case 'back': return this.travel({ cycle: Math.max(0, this.session.kernel.now() - c.cycles) }, `back ${c.cycles} cycles`, `Cannot go back ${c.cycles} cycles`);
      case 'gotoEvent': case 'reverseContinue': case 'reverseNext': case 'reverseWatch': case 'reversePrev': return this.search(c);
      case 'stepOver': return this.stepOver();
      case 'finish': return this.runTo(this.session.finishTarget());
      case 'until': return this.runTo(this.session.untilTarget(c.at));
      case 'pace': return this.setPace(c);
      case 'restart': return this.restart();
      case 'continue': return this.run();
      case 'pause': return this.pause();
      case 'breaks': return { popup: { title: 'Breakpoints (:delete <id> removes one)', lines: breakpointLines(this.session) } };
      case 'machine': return this.showMachine(c.name);
      default: {
        const o = execute(this.session, c, this.running);
        if (o.ok && !o.popup) this.publish();
        return fromOutcome(o);
      }
    }
  }

  symbolNames(env?: string): readonly string[] {
    const syms = this.session.symbols;
    if (env === undefined) return namesOf(syms.values());
    const list = syms.get(env);
    return list ? namesOf([list]) : [];
  }

  dispose(): void {
    this.loop.stop();
    this.view.forget();
    this.steps.dispose();
  }
}

