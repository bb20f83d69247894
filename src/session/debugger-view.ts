// What a LiveDebugger (debugger.ts) shows its front end: the state it
// publishes (a snapshot of the shown machine, the status line, the
// breakpoints, the pace, the scenario's verdicts), who listens, which of
// several machines the panes show and what the memory pane reads. Each
// publish shares with the last state every part that reads the same, so
// the panes that show only those are not drawn again.

import type { DebuggerState } from './debugger-api.js';
import type { ScenarioView } from './expect.js';
import { readMemoryWindow, type MemoryRequest } from './memory-window.js';
import type { Session } from './session.js';
import { shareUnchanged, takeSnapshot, type Snapshot } from './snapshot.js';

/** What the view needs of its debugger besides the session. */
export interface ViewHost {
  /** Events a snapshot carries (DebuggerOptions.events). */
  readonly events: number;
  /** The scenario's verdicts, when a scenario runs. */
  scenario(): ScenarioView | undefined;
  /** The pace as the status line says it. */
  paceText(): string;
  /** Told of every publish (the run loop counts frames from it). */
  framed(): void;
}

/** The published part of a status change. */
export type StatePatch = Partial<Pick<DebuggerState, 'status' | 'running' | 'attached' | 'travelling'>>;

export class DebuggerView {
  state: DebuggerState;
  private readonly listeners = new Set<() => void>();
  /** With several machines: the one the snapshots show (undefined: the first). */
  shown: string | undefined;
  /** What the memory pane shows, while it is shown. */
  memory: MemoryRequest | undefined;

  /** The first state: a snapshot of `session` and its last stop. */
  constructor(private readonly session: Session, private readonly host: ViewHost) {
    const stop = session.lastStop;
    this.state = {
      snapshot: this.snap(), previous: undefined, running: false, status: { reason: stop.reason, detail: stop.detail }, breakpoints: session.listBreakpoints(),
      pace: host.paceText(), scenario: host.scenario(),
    };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  forget(): void {
    this.listeners.clear();
  }

  /**
   * A snapshot of the shown machine, sharing with the last one each part
   * that reads the same (shareUnchanged); one for a frame `running` leaves
   * the invariant and the event counts out (SnapshotOptions).
   */
  snap(running = false): Snapshot {
    const s = shareUnchanged(this.state?.snapshot, takeSnapshot(this.session, { events: this.host.events, machine: this.shown, invariant: !running, counts: !running }));
    return this.memory ? { ...s, memory: readMemoryWindow(this.memory, this.session.memorySource(this.memory.env, this.shown)) } : s;
  }

  /** Takes a snapshot (unless given one) and tells the listeners; `patch` changes the status line. */
  publish(patch: StatePatch = {}, snapshot = this.snap()): void {
    this.host.framed();
    this.state = { ...this.state, ...patch, previous: this.state.snapshot, snapshot, breakpoints: this.breakpointList(), pace: this.host.paceText(), scenario: this.scenarioView() };
    for (const fn of this.listeners) fn();
  }

  /** Says on the status line, from the next frame, what a run is doing (no snapshot now). */
  progress(detail: string): void {
    this.state = { ...this.state, status: { reason: 'running', detail } };
  }

  /** The breakpoints, the same array as before while none was set, changed or removed (so the front end need not work out its menu again every frame). */
  private breakpointList(): DebuggerState['breakpoints'] {
    const now = this.session.listBreakpoints(), old = this.state.breakpoints;
    return now.length === old.length && now.every(([id, b], i) => old[i][0] === id && old[i][1] === b) ? old : now;
  }

  /** The scenario's view, the same object as before while no verdict changed (so its pane is not drawn again). */
  private scenarioView(): ScenarioView | undefined {
    const v = this.host.scenario();
    const old = this.state.scenario;
    const key = (x: ScenarioView) => x.expectations.map((e) => `${e.verdict}${e.why ?? ''}`).join('\n');
    return v && old && key(v) === key(old) ? old : v;
  }
}
