// The Debugger: the one interface between the TUI and everything below it.
// LiveDebugger runs a session in slices (a bounded number of cycles, then
// the scheduler, so keys are read between slices) and publishes snapshots
// at most `publishHz` times a second while running, and less often when
// drawing them would take more than UI_SHARE of the time; on a stop, at
// once. Its readers only see getState(); the machine never leaves here.
// A run goes at a pace (pace.ts): flat out, or so many emulated cycles a
// host second, the slices then waiting for the host clock; the machine
// does the same work at every pace, only sooner or later.
// With a ScenarioRun it plays the scenario's timeline as replay and the
// recorder do: a `break` step stops it, `key` and `pause` steps go to the
// front end (FrontEnd) and the run goes on when they are done.
// Another controller (gdb's stub, src/gdb) may share the session
// (setExternal): either runs and steps the machine, one run at a time.
// While the controller runs it, this debugger refuses to, its pause
// interrupts the controller's run, and it shows the controller's runs and
// stops (externalRan); when this debugger moves the machine it tells the
// controller (ExternalControl.frontEndRan), which reports the stop to its
// own user.

import type { ResolvedBreakpoint } from '../scenario/index.js';
import { breakpointLines, execute, search, travelled, type Command, type SearchCommand } from './command.js';
import type { FrontEndStep, ScenarioRun } from './scenario-run.js';
import type { CheckpointTarget } from './checkpoints.js';
import type { Session, Stop } from './session.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
import { MAX_PACE, paceCyclesPerSecond, paceLabel, paceMoved } from './pace.js';
import type { ScenarioView } from './expect.js';
import type { KernelEvent } from '../exokernel/index.js';
import { HistoryLog, type LogSource } from './log-window.js';

/** Why the machine is where it is, for the status line. */
export interface RunStatus {
  readonly reason: Stop['reason'] | 'running';
  readonly detail: string;
}

/** What readers see. A new object on every publish. */
export interface DebuggerState {
  readonly snapshot: Snapshot;
  /** The snapshot published before this one (for "changed" highlights). */
  readonly previous: Snapshot | undefined;
  readonly running: boolean;
  readonly status: RunStatus;
  readonly breakpoints: readonly (readonly [number, ResolvedBreakpoint])[];
  /** Another debugger sharing the machine, for the status line ("gdb attached", say). */
  readonly attached?: string;
  /** True while a time travel or reverse search runs in slices: Esc and Ctrl-C cancel it (pause). */
  readonly travelling?: boolean;
  /** How fast a run goes, for the status line ("max", "1/30 (833 kHz)"; pace.ts); empty for a debugger without a pace (the monolithic kernel's). */
  readonly pace: string;
  /** The scenario being played and each expectation's verdict so far, when there is one. */
  readonly scenario?: ScenarioView;
}

/** Another controller of the session (gdb's stub): while it is attached, it runs and steps the machine. */
export interface ExternalControl {
  /** What it is called in messages ("gdb"). */
  readonly name: string;
  /** Whether it is running the machine now. */
  readonly running: boolean;
  /** Stops its run (the stop reaches it, and this debugger through externalRan). */
  interrupt(): void;
  /**
   * This debugger moved the machine: it started a run or a step in
   * slices (no argument), or it stopped, or did at once (`stop`; the
   * session's lastStop says more).
   */
  frontEndRan?(stop?: Pick<Stop, 'reason' | 'detail'>): void;
}

/** What a command said: a message, maybe an error, maybe a popup; undefined when there is nothing to say. */
export type Said = { readonly text?: string; readonly error?: boolean; readonly popup?: { readonly title: string; readonly lines: readonly string[] } } | undefined;

/** The debugger as a front end sees it: state, subscription, run control and commands. */
export interface Debugger {
  /** The current state; the same object until the next publish (for useSyncExternalStore). */
  getState(): DebuggerState;
  /** Calls `fn` after every publish; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
  /**
   * Calls `fn` with the keys of each timeline `key` step (unless a FrontEnd
   * types them itself, as the recorder does); returns the unsubscribe function.
   */
  onKeys(fn: (keys: string) => void): () => void;
  /** Whether the machine is running (or stepping in slices). */
  readonly running: boolean;
  /** Runs until a breakpoint, idle or pause. */
  run(): Said;
  /** Steps `n` instructions. */
  step(n: number): Said;
  /** Plays the scenario's timeline steps due at the start; call once the front end listens (onKeys). */
  begin(): void;
  /**
   * Stops sliced work; `detail` says why on the status line. A reverse
   * search is cancelled: the machine goes back to where it started (in
   * slices; pausing that leaves it where the return got to).
   */
  pause(detail?: string): Said;
  /** Carries out any command (run control in slices, the rest at once). */
  execute(c: Command): Said;
  /** Stops any sliced work and forgets the listeners. */
  dispose(): void;
  /**
   * The events of the whole history that pass `match` (all when
   * undefined), by rank (log-window.ts); `key` names the filter, so the
   * same filter is not scanned again. A debugger without a history store
   * has none (its front end shows the snapshot's events).
   */
  log?(key: string, match: ((e: KernelEvent) => boolean) | undefined): LogSource;
}

/** What carries out the timeline steps that need a screen; the run goes on when the returned promise settles. */
export interface FrontEnd {
  key?(keys: string, source: string): void | Promise<void>;
  pause?(ms: number): void | Promise<void>;
}

export interface DebuggerOptions {
  /** The host clock in milliseconds (the TUI passes performance.now; the recorder its virtual clock). */
  readonly now: () => number;
  /**
   * The host's CPU time used by this process, in milliseconds (default:
   * `now`). What drawing a frame cost is measured with it, so that on a
   * machine shared with other work the frames still take their share of
   * the CPU this process gets, not of the wall clock (the TUI passes
   * process.cpuUsage).
   */
  readonly cpuNow?: () => number;
  /** Cycles per `session.run` call (default 20,000). */
  readonly chunk?: number;
  /** Host milliseconds of emulation before yielding to the event loop (default 25). */
  readonly sliceMs?: number;
  /** Snapshots a second while running (default 15). */
  readonly publishHz?: number;
  /** The pace a run starts at, an index into PACES (default MAX_PACE: flat out). */
  readonly pace?: number;
  /** Runs `fn` after `ms` host milliseconds; returns what cancels it (default setTimeout). Paced runs wait with it. */
  readonly delay?: (fn: () => void, ms: number) => () => void;
  /** Cycles a time travel replays between looks at the host (default 500,000). */
  readonly travelSlice?: number;
  /** Recent events each snapshot carries (default 1000). */
  readonly events?: number;
  /**
   * Runs `fn` soon, after pending keys and output; returns what cancels it
   * (default setImmediate). The recorder passes its own, to run each slice
   * when its virtual clock says so.
   */
  readonly schedule?: (fn: () => void) => () => void;
  /** The scenario whose timeline this debugger plays (built with `interactive`). */
  readonly scenario?: ScenarioRun;
  /** Carries out pauses (and keys, besides telling onKeys listeners). */
  readonly frontEnd?: FrontEnd;
}

/** setTimeout as a DebuggerOptions.delay. */
function later(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}

/** setImmediate as a DebuggerOptions.schedule. */
function immediately(fn: () => void): () => void {
  const t = setImmediate(fn);
  return () => clearImmediate(t);
}

/**
 * While running, the share of the CPU that publishing (snapshot, React,
 * Ink) may take, as measured: a frame that costs 10 ms is published at
 * most every 100 ms of CPU time, so the emulator keeps about 90% of its
 * headless speed (a little less: the garbage a frame leaves is collected
 * while it runs; bench/tui.mjs).
 */
const UI_SHARE = 0.1;

/** Cycles a time travel replays before the front end hears from it again. */
const TRAVEL_SLICE = 500_000;

/** Steps of at most this many instructions are done at once; longer ones in slices. */
const STEP_SLICE = 20_000;

const fromOutcome = (o: { ok: boolean; text: string; popup?: { title: string; lines: readonly string[] } }): Said =>
  o.popup ? { popup: o.popup } : o.ok ? { text: o.text } : { text: o.text, error: true };

/** Runs a session for a front end; see the file comment. */
export class LiveDebugger implements Debugger {
  private state: DebuggerState;
  private readonly listeners = new Set<() => void>();
  private readonly keyListeners = new Set<(keys: string) => void>();
  private work: (() => Pick<Stop, 'reason' | 'detail'> | undefined) | undefined;
  /** While a reverse search runs: what cancelling it does. */
  private cancelSearch: (() => void) | undefined;
  private cancelTick: (() => void) | undefined;
  /** Set while a front-end step (a key or pause) is being carried out: no slice runs. */
  private holding = false;
  private continuing = false;
  private lastPublish = -Infinity;
  private lastPublishCpu = -Infinity;
  /**
   * Host milliseconds a publish takes, smoothed: the gap between a slice
   * that published and the next slice, since React and Ink draw after the
   * slice returns (microtasks and timers), not inside publish().
   */
  private publishCost = 0;
  /** CPU time at the end of the slice that published. */
  private sliceEnd = 0;
  private measuring = false;
  private stepOverBp: { id: number; addr: number } | undefined;
  private external: ExternalControl | undefined;
  /** The name of the last external controller, for its stops on the status line. */
  private externalName = '';
  /** With several machines: the one the snapshots show (undefined: the first). */
  private shown: string | undefined;
  private readonly chunk: number;
  /** The log pane's window over the whole history. */
  private readonly historyLog: HistoryLog;
  private readonly sliceMs: number;
  private readonly publishMs: number;
  private readonly events: number;
  private readonly now: () => number;
  private readonly cpuNow: () => number;
  private readonly schedule: (fn: () => void) => () => void;
  private readonly delay: (fn: () => void, ms: number) => () => void;
  /** The pace (an index into PACES). */
  private pace: number;
  /** Set for a paced run (continue): its slices wait for the host clock. */
  private paced = false;
  /** Where the paced run's clock started: host time and machine cycle (unset until its first slice). */
  private paceFrom: { host: number; cycle: number } | undefined;
  private readonly held: Promise<void>[] = [];
  private readonly queue: FrontEndStep[] = [];
  /** Keys of `key` steps that came before anyone listened (the TUI subscribes once it is drawn). */
  private readonly unheardKeys: string[] = [];

  /** A debugger over `session`, stopped, with a first snapshot taken. */
  constructor(private readonly session: Session, private readonly opts: DebuggerOptions) {
    this.historyLog = new HistoryLog(session.history);
    this.chunk = opts.chunk ?? 20_000;
    this.sliceMs = opts.sliceMs ?? 25;
    this.publishMs = 1000 / (opts.publishHz ?? 15);
    this.events = opts.events ?? 1000;
    this.now = opts.now;
    this.cpuNow = opts.cpuNow ?? opts.now;
    this.schedule = opts.schedule ?? immediately;
    this.delay = opts.delay ?? later;
    this.pace = opts.pace ?? MAX_PACE;
    const stop = session.lastStop;
    this.state = {
      snapshot: this.snap(), previous: undefined, running: false, status: { reason: stop.reason, detail: stop.detail }, breakpoints: session.listBreakpoints(),
      pace: this.paceText(), scenario: opts.scenario?.view(),
    };
  }

  getState = (): DebuggerState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  onKeys = (fn: (keys: string) => void): (() => void) => {
    this.keyListeners.add(fn);
    for (const k of this.unheardKeys.splice(0)) fn(k);
    return () => this.keyListeners.delete(fn);
  };

  private snap(): Snapshot {
    return takeSnapshot(this.session, { events: this.events, machine: this.shown });
  }

  /** Shows machine `name` (default: the one after the shown one) in the snapshots. */
  private showMachine(name: string | undefined): Said {
    const o = execute(this.session, { kind: 'machine', name });
    if (!o.ok) return fromOutcome(o);
    const names = this.session.machineNames;
    this.shown = name ?? names[(names.indexOf(this.shown ?? names[0]) + 1) % names.length];
    this.publish();
    return { text: `Panes show machine ${this.shown}` };
  }

  /** Takes a snapshot and tells the listeners; `status`/`running` change the status line. */
  private publish(patch: Partial<Pick<DebuggerState, 'status' | 'running' | 'attached' | 'travelling'>> = {}, snapshot = this.snap()): void {
    this.lastPublish = this.now();
    this.lastPublishCpu = this.cpuNow();
    this.state = { ...this.state, ...patch, previous: this.state.snapshot, snapshot, breakpoints: this.session.listBreakpoints(), pace: this.paceText(), scenario: this.scenarioView() };
    for (const fn of this.listeners) fn();
  }

  /** The scenario's view, the same object as before while no verdict changed (so its pane is not drawn again). */
  private scenarioView(): ScenarioView | undefined {
    const v = this.opts.scenario?.view();
    const old = this.state.scenario;
    const key = (x: ScenarioView) => x.expectations.map((e) => `${e.verdict}${e.why ?? ''}`).join('\n');
    return v && old && key(v) === key(old) ? old : v;
  }

  private paceText(): string {
    return paceLabel(this.pace, this.session.kernel.machine.cpuHz, 1000 / this.publishMs);
  }

  /**
   * Cycles the paced run may still execute now (Infinity at maximum pace
   * or for work that is not paced). A run that fell behind by more than a
   * quarter second is let go from where it is, not made to catch up.
   */
  private allowance(): number {
    const cps = paceCyclesPerSecond(this.pace, this.session.kernel.machine.cpuHz);
    if (!this.paced || cps === Infinity) return Infinity;
    const host = this.now(), cycle = this.session.kernel.now();
    this.paceFrom ??= { host, cycle };
    const due = this.paceFrom.cycle + ((host - this.paceFrom.host) / 1000) * cps - cycle;
    if (due > cps / 4) this.paceFrom = { host, cycle: cycle - cps / 4 };
    return Math.floor(Math.min(due, cps / 4));
  }

  /** Host milliseconds until the paced run may go on: until a cycle is due, at most a frame. */
  private waitMs(): number {
    const cps = paceCyclesPerSecond(this.pace, this.session.kernel.machine.cpuHz);
    const a = this.allowance();
    if (a >= 1) return 0;
    return Math.max(1, Math.min(this.publishMs, ((1 - a) / cps) * 1000));
  }

  /**
   * Starts sliced work; `work` returns a Stop when done. A 'paced' run waits
   * for the host clock (pace.ts); a 'travel' (time travel or reverse
   * search) runs at full speed and Esc cancels it.
   */
  private start(work: () => Pick<Stop, 'reason' | 'detail'> | undefined, detail: string, mode?: 'paced' | 'travel'): void {
    const paced = mode === 'paced', travelling = mode === 'travel';
    this.work = work;
    this.paced = paced;
    this.paceFrom = undefined;
    this.continuing = false;
    this.external?.frontEndRan?.();
    this.publish({ running: true, travelling, status: { reason: 'running', detail } });
    this.cancelTick = this.schedule(this.tick);
  }

  private tick = (): void => {
    this.cancelTick = undefined;
    const work = this.work;
    if (!work || this.holding) return;
    const t0 = this.now();
    if (this.measuring) {
      const cost = this.cpuNow() - this.sliceEnd;
      this.publishCost = this.publishCost ? 0.75 * this.publishCost + 0.25 * cost : cost;
      this.measuring = false;
    }
    let stop: Pick<Stop, 'reason' | 'detail'> | undefined;
    const going = (): boolean => this.work === work && !this.holding;
    while (this.allowance() >= 1) {
      stop = work();
      if (stop || !going() || this.now() - t0 >= this.sliceMs) break;
    }
    if (stop) return this.finish(stop);
    if (!going()) return;
    const wait = this.waitMs();
    if (this.now() - this.lastPublish >= this.publishMs && this.cpuNow() - this.lastPublishCpu >= this.publishCost / UI_SHARE) {
      this.publish();
      // A paced run's wait is not the cost of drawing.
      this.measuring = wait === 0;
    }
    this.sliceEnd = this.cpuNow();
    this.cancelTick = wait > 0 ? this.delay(this.tick, wait) : this.schedule(this.tick);
  };

  /**
   * Plays the timeline steps due at the start (cycle 0 triggers: often a
   * key that starts the run). Call once, when the front end can take keys.
   */
  begin(): void {
    const scenario = this.opts.scenario;
    if (!scenario) return;
    scenario.fire();
    this.queue.push(...scenario.held());
    this.drain();
  }

  /**
   * Carries out the queued front-end steps in order: a `break` ends the
   * work (the steps after it still happen, on the stopped machine), a key
   * or pause that the front end takes time over holds everything, slices
   * included, until it is done.
   */
  private drain(): void {
    while (this.queue.length && !this.holding) {
      const st = this.queue.shift()!;
      if (st.kind === 'break') { if (this.work) this.finish({ reason: 'paused', detail: st.reason }); continue; }
      const done = this.carryOut(st);
      if (!done) continue;
      this.holding = true;
      this.held.push(done.then(() => {
        this.holding = false;
        this.drain();
        if (this.work && !this.holding && this.cancelTick === undefined) this.cancelTick = this.schedule(this.tick);
      }));
    }
  }

  /** A key or pause step: to the front end, or keys to the onKeys listeners; a promise when the run must wait. */
  private carryOut(st: Exclude<FrontEndStep, { kind: 'break' }>): Promise<void> | undefined {
    const fe = this.opts.frontEnd;
    let r: void | Promise<void> = undefined;
    if (st.kind === 'pause') r = fe?.pause?.(st.ms);
    else if (fe?.key) r = fe.key(st.keys, st.source);
    else if (this.keyListeners.size) for (const fn of this.keyListeners) fn(st.keys);
    else this.unheardKeys.push(st.keys);
    return r instanceof Promise ? r : undefined;
  }

  /** Resolves when no front-end step holds the run (for the recorder). */
  async settled(): Promise<void> {
    while (this.held.length) await this.held.shift();
  }

  /** True while a front-end step holds the run. */
  get waiting(): boolean {
    return this.holding;
  }

  /** Ends sliced work with `stop`. */
  private finish(stop: Pick<Stop, 'reason' | 'detail'>): void {
    this.work = undefined;
    this.cancelSearch = undefined;
    // A front-end step still being carried out (keys being typed, one of
    // which stopped the run) holds on: the steps queued after it wait for it.
    this.cancelTick?.();
    this.cancelTick = undefined;
    let status: RunStatus = { reason: stop.reason, detail: stop.detail };
    const over = this.stepOverBp;
    if (over) {
      this.session.removeBreakpoint(over.id);
      this.stepOverBp = undefined;
    }
    const snapshot = this.snap();
    if (over && stop.reason === 'breakpoint' && snapshot.cpu.pc === over.addr) status = { reason: 'step', detail: 'stepped over the call' };
    this.publish({ running: false, travelling: false, status }, snapshot);
    this.external?.frontEndRan?.(stop);
  }

  /** Publishes a stop this debugger made at once (a short step, a travel, a search), and tells the external controller. */
  private stoppedAt(stop: Pick<Stop, 'reason' | 'detail'>): void {
    this.publish({ status: { reason: stop.reason, detail: stop.detail } });
    this.external?.frontEndRan?.(stop);
  }

  get running(): boolean {
    return this.work !== undefined || this.external?.running === true;
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
    this.queue.push(...steps.filter((st) => st.kind !== 'break'));
    this.drain();
    return brk?.kind === 'break' ? brk.reason : undefined;
  }

  /** Why the machine is the external controller's now, if it is: it is running it. */
  private refused(): Said {
    const n = this.external?.running && !this.work ? this.external.name : undefined;
    return n === undefined ? undefined : { text: `${n} is running the machine: space interrupts it`, error: true };
  }

  log(key: string, match: ((e: KernelEvent) => boolean) | undefined): LogSource {
    return this.historyLog.source(key, match);
  }

  run(): Said {
    if (this.refused()) return this.refused();
    if (this.running) return { text: 'Already running' };
    this.start(() => {
      const s = this.session.run(Math.max(1, Math.min(this.chunk, this.allowance())), this.continuing);
      this.continuing = true;
      // Steps can fire in a run that stopped for another reason (the
      // event a breakpoint stops at may trigger them too): they happen all
      // the same, on the stopped machine.
      this.takeHeld();
      if (s.reason === 'timeline') return undefined;
      if (s.reason === 'end') return { ...s, reason: 'paused' };
      // Nothing can run: time passes to the timeline's next step at a cycle, as in headless replay (at the pace, up to the run limit).
      if (s.reason === 'idle' && this.session.idleGap(Math.min(this.session.kernel.now() + this.allowance(), this.opts.scenario?.limit ?? Infinity))) return undefined;
      return s.reason === 'budget' ? undefined : s;
    }, 'continue', 'paced');
    return undefined;
  }

  /** Sets the pace (`c.index`), or moves it `c.delta` steps slower; a run in progress goes on at the new pace from now. */
  private setPace(c: Extract<Command, { kind: 'pace' }>): Said {
    this.pace = c.index ?? paceMoved(this.pace, c.delta ?? 0);
    this.paceFrom = undefined;
    this.publish();
    return { text: `Pace: ${this.state.pace}` };
  }

  /** The scenario from the start (Session.restart): the machine at its first point, running again if it was. */
  private restart(): Said {
    if (this.external) return this.refused();
    const wasRunning = this.work !== undefined;
    if (wasRunning) this.finish({ reason: 'paused', detail: 'restarting' });
    this.queue.length = 0;
    this.holding = false;
    const o = execute(this.session, { kind: 'restart' });
    this.publish(o.ok ? { status: { reason: 'step', detail: 'restarted from the start' } } : {});
    if (!o.ok) return fromOutcome(o);
    if (wasRunning) this.run();
    return { text: 'Restarted the scenario from the start (your kills, revocations and injections forgotten; breakpoints kept)' };
  }

  pause(detail = 'paused by you'): Said {
    if (!this.work && this.external?.running) { this.external.interrupt(); return undefined; }
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
    if (this.refused()) return this.refused();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    if (n <= STEP_SLICE) {
      this.stoppedAt(this.session.step(n));
      this.takeHeld();
      return undefined;
    }
    let left = n;
    this.start(() => {
      const before = this.session.lastStop.instret;
      const s = this.session.step(Math.min(left, STEP_SLICE));
      this.takeHeld();
      left -= s.instret - before;
      if (s.reason !== 'step') return s;
      return left <= 0 ? { ...s, detail: `stepped ${n}` } : undefined;
    }, `stepping ${n}`);
    return undefined;
  }

  /** Steps over a call (runs, in slices, to the instruction after its delay slot: Session.callReturn), else steps one. */
  private stepOver(): Said {
    if (this.refused()) return this.refused();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    const ret = this.session.callReturn();
    if (!ret) return this.step(1);
    this.stepOverBp = { id: this.session.addBreakpoint({ kind: 'pc', addr: ret.addr, env: ret.env }), addr: ret.addr };
    return this.run();
  }

  /**
   * Time travel (Session.travel): restores a checkpoint at once, then
   * replays in slices, the status line saying how far it has come.
   */
  private travel(t: CheckpointTarget, detail: string, cannot: string): Said {
    if (this.refused()) return this.refused();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    const job = this.session.travel(t, detail);
    if (typeof job === 'string') return { text: `${cannot}: ${job}`, error: true };
    const slice = this.opts.travelSlice ?? TRAVEL_SLICE;
    const s = job.advance(slice);
    if (s) { this.stoppedAt(s); return undefined; }
    this.start(() => {
      const stop = job.advance(slice);
      if (!stop) this.state = { ...this.state, status: { reason: 'running', detail: `${detail}: replaying, ${Math.floor(100 * job.fraction())}%` } };
      return stop;
    }, `${detail}: replaying`, 'travel');
    return undefined;
  }

  /**
   * A reverse search or a travel to an event (travel.ts): done at once
   * when it takes less than a slice, else in slices with what it is doing
   * on the status line. Cancelling it (pause) travels back to where it
   * started. The answer is the same either way.
   */
  private search(c: SearchCommand): Said {
    if (this.refused()) return this.refused();
    if (this.running) return { text: 'Running: pause first (space)', error: true };
    const { work, cannot, what } = search(this.session, c);
    if (typeof work === 'string') return { text: work, error: true };
    const here = this.session.kernel.now();
    const t0 = this.now();
    let r = work.next();
    while (!r.done && this.now() - t0 < this.sliceMs) r = work.next();
    if (r.done) {
      const o = travelled(r.value, cannot);
      if (o.ok) this.stoppedAt({ reason: 'step', detail: o.text }); else this.publish();
      return fromOutcome(o);
    }
    this.start(() => {
      const n = work.next();
      if (!n.done) { this.state = { ...this.state, status: { reason: 'running', detail: `${what}: ${n.value}` } }; return undefined; }
      const o = travelled(n.value, cannot);
      return { reason: o.ok ? 'step' : 'paused', detail: o.text };
    }, `${what}: ${r.value}`, 'travel');
    this.cancelSearch = () => {
      work.return(undefined as never);
      this.work = undefined;
      this.cancelTick?.();
      this.cancelTick = undefined;
      this.back(here, `${what} cancelled`);
    };
    return undefined;
  }

  /** Travels back to cycle `here` in slices after a cancelled search (pausing it leaves the machine where it got to). */
  private back(here: number, detail: string): void {
    const job = this.session.kernel.now() === here ? undefined : this.session.travel({ cycle: here }, `${detail}: back at cycle ${here}`);
    if (!job || typeof job === 'string') { this.finish({ reason: 'paused', detail: job ?? detail }); return; }
    const slice = this.opts.travelSlice ?? TRAVEL_SLICE;
    this.start(() => {
      const stop = job.advance(slice);
      if (!stop) this.state = { ...this.state, status: { reason: 'running', detail: `${detail}: going back to cycle ${here}, ${Math.floor(100 * job.fraction())}%` } };
      return stop;
    }, `${detail}: going back to cycle ${here}`, 'travel');
  }

  /** The timeline's front-end steps that fired while stepping, to carry out. */
  private takeHeld(): void {
    const held = this.opts.scenario?.held() ?? [];
    if (!held.length) return;
    this.queue.push(...held);
    this.drain();
  }

  execute(c: Command): Said {
    switch (c.kind) {
      case 'step': return this.step(c.n);
      case 'stepBack': return this.travel({ instret: this.session.kernel.cpu.instret - c.n }, `stepped back ${c.n}`, `Cannot step back ${c.n}`);
      case 'goto': return this.travel({ cycle: c.cycle }, `at cycle ${c.cycle}`, `Cannot go to cycle ${c.cycle}`);
      case 'back': return this.travel({ cycle: Math.max(0, this.session.kernel.now() - c.cycles) }, `back ${c.cycles} cycles`, `Cannot go back ${c.cycles} cycles`);
      case 'gotoEvent': case 'reverseContinue': case 'reverseNext': case 'reverseWatch': case 'reversePrev': return this.search(c);
      case 'stepOver': return this.stepOver();
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

  dispose(): void {
    this.work = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.listeners.clear();
    this.keyListeners.clear();
  }
}

