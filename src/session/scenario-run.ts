// One scenario in motion, whoever drives it: its session, its timeline, its
// breakpoints, its expectations and its run limit. Headless replay
// (replay.ts), the recorder and the live TUI (through the Debugger) are
// each a small loop around a ScenarioRun, so every step kind behaves the
// same in all three: machine actions fire inside Session.run at their
// trigger; `break`, `key` and `pause` make the run return to its driver
// (Stop reason `timeline`), which carries them out (replay notes them and
// goes on); the run limit makes it return with reason `end`.

import { checkInvariant, checkInvariantChanges, type KernelEvent } from '../exokernel/index.js';
import { Expectations, type ExpectationsState, type ScenarioView } from './expect.js';
import type { Scenario, Located, TimelineStep } from '../scenario/index.js';
import type { Session } from './session.js';
import { MonoStation } from './mono-station.js';
import type { MonoEvent } from '../monolithic/index.js';
import { breakpointFailure, fireStep, Timeline, type LogLine, type TimelineState } from './timeline.js';

/** A ScenarioRun's progress, as a checkpoint holds it. */
export interface ScenarioRunState {
  readonly timeline: TimelineState;
  readonly expectations: ExpectationsState;
  readonly failures: number;
  readonly waiting: readonly FrontEndStep[];
}

/** A step the driver carries out: a break (stop with a reason), keys for the TUI, or a pause for viewers. */
export type FrontEndStep =
  | { readonly kind: 'break'; readonly reason: string }
  | { readonly kind: 'key'; readonly keys: string; readonly source: string }
  | { readonly kind: 'pause'; readonly ms: number };

/** Options of a ScenarioRun. */
export interface ScenarioRunOptions {
  /** Receives every event and note, in order (replay's log). */
  readonly onLine?: (line: LogLine) => void;
  /**
   * True for a driver with a screen (the TUI, the recorder): `break`, `key`
   * and `pause` steps stop the run and wait in `held()`. False (replay):
   * they are only noted.
   */
  readonly interactive?: boolean;
  /** Stop at this cycle, before the scenario's own limit. */
  readonly until?: number;
  /**
   * True for the live TUI: the scenario's `run.live` decides where it
   * stops ('forever': never, not even at max-cycles). Replay and the
   * recorder leave it unset and stop at `run.until`.
   */
  readonly live?: boolean;
}

/**
 * The cycle at which a run of `sc` ends (Infinity when it ends only at
 * idle, or never): `until` first, then the scenario's run limit and
 * max-cycles, unless `live` and the scenario lives forever.
 */
export function runLimit(sc: Scenario, o: { until?: number; live?: boolean } = {}): number {
  if (o.live && sc.run.live === 'forever') return o.until ?? Infinity;
  return Math.min(o.until ?? Infinity, typeof sc.run.until === 'number' ? sc.run.until : Infinity, sc.run.maxCycles);
}

/** A scenario's timeline, breakpoints, expectations and run limit over one session. */
export class ScenarioRun {
  /** Problems found while running (breakpoints whose symbol is unknown). */
  readonly failures: string[] = [];
  /** The cycle at which the run ends (Infinity when it ends only at idle). */
  readonly limit: number;
  private readonly timeline: Timeline;
  private readonly expectations: Expectations;
  private readonly out: (line: LogLine) => void;
  private readonly waiting: FrontEndStep[] = [];
  private readonly unsubscribe: () => void;
  private readonly detach: () => void;

  /**
   * Attaches to `session` (built from `sc`): sets the scenario's
   * breakpoints, replays the boot events it missed, and from now on fires
   * the timeline whenever the session runs. Call dispose() to detach.
   */
  constructor(readonly session: Session, readonly scenario: Scenario, private readonly opts: ScenarioRunOptions = {}) {
    this.out = opts.onLine ?? (() => {});
    this.timeline = new Timeline(session, scenario.timeline);
    this.expectations = new Expectations(session, scenario.expect);
    this.limit = runLimit(scenario, opts);
    // The environments created at boot emitted their events before anyone listened.
    const first = session.machineName;
    for (const e of session.kernel.log.recent()) this.observe(e, undefined, first);
    const offs = [session.kernel.log.subscribe((e) => this.observe(e, undefined, first))];
    for (const c of session.companions) {
      for (const e of c.kernel.log.recent()) this.observe(e, c.name, c.name);
      offs.push(c.kernel.log.subscribe((e) => this.observe(e, c.name, c.name)));
    }
    for (const m of session.stations) {
      if (!(m instanceof MonoStation)) continue;
      for (const e of m.history.slice(0)) this.observeMono(e, m.name);
      offs.push(m.session.onEvent((e) => this.observeMono(e, m.name)));
    }
    if (this.expectations.wantsInvariant) {
      for (const k of [session.kernel, ...session.companions.map((c) => c.kernel)]) offs.push(k.onKernelExit.add(() => this.expectations.invariant(checkInvariantChanges(k))));
    }
    this.unsubscribe = () => { for (const off of offs) off(); };
    for (const b of scenario.breakpoints) {
      const bp = session.resolveBreakpoint(b);
      if (typeof bp === 'string') this.failures.push(breakpointFailure(b, b.source));
      else session.addBreakpoint(bp);
    }
    this.detach = session.attach({
      fire: () => this.fire(), nextTrigger: () => Math.min(this.timeline.nextTrigger(), this.limit), nextCycleTrigger: () => this.timeline.nextCycleTrigger(),
      save: () => this.save(), restore: (st) => this.restore(st as ScenarioRunState), drop: () => { this.waiting.length = 0; },
    });
  }

  /** An event of machine `machine` (undefined: the first), logged under `shown` (the machine's name when there are several). */
  private observe(e: KernelEvent, machine: string | undefined, shown: string | undefined): void {
    // No line built for a run nobody logs (every event of the run comes here).
    if (this.opts.onLine) this.out(shown === undefined ? { kind: 'event', event: e } : { kind: 'event', event: e, machine: shown });
    this.expectations.observe(e, machine);
    if (this.timeline.observe(e, machine)) this.session.wake();
  }

  /** An event of the monolithic kernel on machine `machine` (it has no timeline steps: the schema refuses them). */
  private observeMono(e: MonoEvent, machine: string): void {
    this.out({ kind: 'mono', event: e, machine });
    this.expectations.observeMono(e, machine);
  }

  /**
   * Carries out the steps that are due. Returns a stop when the driver must
   * act (a held front-end step, or the run limit), else undefined.
   */
  fire(): { reason: 'timeline' | 'end'; detail: string } | undefined {
    this.session.asTimeline(() => { for (const st of this.timeline.take()) this.fireOne(st); });
    if (this.waiting.length) return { reason: 'timeline', detail: 'a timeline step' };
    if (this.session.kernel.now() >= this.limit) return { reason: 'end', detail: `the scenario ends at cycle ${this.limit}` };
    return undefined;
  }

  private fireOne(st: Located<TimelineStep>): void {
    fireStep(this.session, st, this.out, this.failures);
    if (!this.opts.interactive) return;
    const a = st.action;
    if (a.kind === 'break') this.waiting.push({ kind: 'break', reason: a.reason });
    else if (a.kind === 'key') this.waiting.push({ kind: 'key', keys: a.keys, source: `${st.source.file}:${st.source.line}` });
    else if (a.kind === 'pause') this.waiting.push({ kind: 'pause', ms: a.ms });
  }

  /** The timeline's position and the expectations' progress (for checkpoints: time travel restores them). */
  save(): ScenarioRunState {
    return { timeline: this.timeline.save(), expectations: this.expectations.save(), failures: this.failures.length, waiting: [...this.waiting] };
  }

  /** Restores what save() returned. */
  restore(st: ScenarioRunState): void {
    this.timeline.restore(st.timeline);
    this.expectations.restore(st.expectations);
    this.failures.length = Math.min(this.failures.length, st.failures);
    this.waiting.splice(0, this.waiting.length, ...st.waiting);
  }

  /** The front-end steps that fired since the last call, in order (interactive runs only). */
  held(): FrontEndStep[] {
    return this.waiting.splice(0);
  }

  /** The cycle of the earliest unfired step with a cycle trigger, or Infinity (what an idle machine can still wait for). */
  nextCycleTrigger(): number {
    return this.timeline.nextCycleTrigger();
  }

  /** The steps that never fired, as "file:line". */
  unfired(): string[] {
    return this.timeline.unfired().map((st) => `${st.source.file}:${st.source.line}`);
  }

  /** The scenario and its expectations' verdicts so far (for the TUI's scenario pane). */
  view(): ScenarioView {
    const sc = this.scenario;
    return { name: sc.name, ...(sc.description !== undefined && { description: sc.description }), limit: this.limit, expectations: this.expectations.verdicts() };
  }

  /**
   * The failures of the expectations, checked now (call once, at the end).
   * The invariant, checked after each kernel entry only where something
   * changed, is checked whole once more here, on every machine.
   */
  finish(): string[] {
    if (this.expectations.wantsInvariant) {
      for (const k of [this.session.kernel, ...this.session.companions.map((c) => c.kernel)]) this.expectations.invariant(checkInvariant(k));
    }
    return this.expectations.finish();
  }

  /** Stops listening to the session. */
  dispose(): void {
    this.unsubscribe();
    this.detach();
  }
}
