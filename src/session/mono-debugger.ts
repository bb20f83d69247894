// The Debugger (debugger.ts) over a MonoSession: the same interface the TUI
// and the recorder hold for the exokernel, so they need no kernel
// knowledge. It runs the session in slices between host events and
// publishes snapshots at most `publishHz` times a second while running,
// at once on a stop, as LiveDebugger does. Commands about environments,
// revocation, packets and the exokernel's event history have no meaning
// here and are refused with a message that says so.

import { decodeInstruction } from '../emu/index.js';
import { describeBreakpoint, type Breakpoint } from '../scenario/index.js';
import type { Command } from './command.js';
import type { Debugger, DebuggerState, Said } from './debugger.js';
import type { MonoSession } from './mono-session.js';
import { monoSnapshotContext, takeMonoSnapshot, type MonoSnapshotContext } from './mono-snapshot.js';
import { SavedSessionError, writeSaved } from './saved.js';
import type { Stop } from './session.js';
import type { Snapshot } from './snapshot.js';

/** Options of a MonoDebugger (a subset of DebuggerOptions'). */
export interface MonoDebuggerOptions {
  /** The host clock in milliseconds. */
  readonly now: () => number;
  /** Cycles per session.run call (default 20,000). */
  readonly chunk?: number;
  /** Host milliseconds of emulation before yielding (default 25). */
  readonly sliceMs?: number;
  /** Snapshots a second while running (default 15). */
  readonly publishHz?: number;
  /** Recent events each snapshot carries (default 1000). */
  readonly events?: number;
  /** Runs `fn` soon; returns what cancels it (default setImmediate). */
  readonly schedule?: (fn: () => void) => () => void;
  /** The first process's program and arguments, for the snapshot. */
  readonly args: readonly string[];
  /** The cycle the run stops at (the scenario's limit; default none). */
  readonly limit?: number;
  /** The scenario file the session was built from (absolute), for `:save`. */
  readonly scenarioFile?: string;
}

const num = (n: number) => Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const busy: Said = { text: 'Running: pause first (space)', error: true };

/** Why a command has no meaning on the monolithic kernel. */
function exokernelOnly(c: Command): string {
  const what: Partial<Record<Command['kind'], string>> = {
    kill: 'killing an environment', revoke: 'revocation', inject: 'injecting packets', console: 'console input to an environment',
    gotoEvent: 'going to an event of the history', reverseContinue: 'reverse-continue', reverseNext: 'reverse-next',
    reverseWatch: 'reverse watch', reversePrev: 'going to the previous event', examine: 'examining an environment\'s memory',
  };
  return `${what[c.kind] ?? c.kind} is exokernel-only: this scenario runs the monolithic kernel`;
}

/** A Debugger over a MonoSession; see the file comment. */
export class MonoDebugger implements Debugger {
  private state: DebuggerState;
  private readonly listeners = new Set<() => void>();
  private work: (() => Stop | undefined) | undefined;
  private cancelTick: (() => void) | undefined;
  private lastPublish = -Infinity;
  /** The breakpoint a step over set, removed however the step ends. */
  private stepOverBp: number | undefined;
  private readonly ctx: MonoSnapshotContext;
  private readonly schedule: (fn: () => void) => () => void;

  /** A debugger over `session`, stopped, with a first snapshot taken. */
  constructor(readonly session: MonoSession, private readonly opts: MonoDebuggerOptions) {
    this.ctx = monoSnapshotContext(session);
    this.schedule = opts.schedule ?? ((fn) => { const t = setImmediate(fn); return () => clearImmediate(t); });
    const st = session.lastStop;
    this.state = { snapshot: this.snap(), previous: undefined, running: false, status: { reason: st.reason, detail: st.detail }, breakpoints: session.listBreakpoints(), pace: '' };
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
    return this.work !== undefined;
  }

  /** No front-end step ever holds a run here (a monolithic scenario has no timeline): for the recorder, as LiveDebugger.waiting. */
  get waiting(): boolean {
    return false;
  }

  /** Resolves at once: nothing is ever held (see waiting). */
  async settled(): Promise<void> {}

  private snap(): Snapshot {
    return takeMonoSnapshot(this.session, this.ctx, this.opts.args, { events: this.opts.events ?? 1000 });
  }

  private publish(patch: Partial<Pick<DebuggerState, 'status' | 'running'>> = {}): void {
    this.lastPublish = this.opts.now();
    this.state = { ...this.state, ...patch, previous: this.state.snapshot, snapshot: this.snap(), breakpoints: this.session.listBreakpoints() };
    for (const fn of this.listeners) fn();
  }

  private start(work: () => Stop | undefined, detail: string): void {
    this.work = work;
    this.publish({ running: true, status: { reason: 'running', detail } });
    this.cancelTick = this.schedule(this.tick);
  }

  private tick = (): void => {
    this.cancelTick = undefined;
    const work = this.work;
    if (!work) return;
    const t0 = this.opts.now();
    let stop: Stop | undefined;
    do stop = work(); while (!stop && this.work === work && this.opts.now() - t0 < (this.opts.sliceMs ?? 25));
    if (stop) return this.finish(stop);
    if (this.work !== work) return;
    if (this.opts.now() - this.lastPublish >= 1000 / (this.opts.publishHz ?? 15)) this.publish();
    this.cancelTick = this.schedule(this.tick);
  };

  private finish(stop: Pick<Stop, 'reason' | 'detail'>): void {
    this.work = undefined;
    if (this.stepOverBp !== undefined) this.session.removeBreakpoint(this.stepOverBp);
    this.stepOverBp = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.publish({ running: false, status: { reason: stop.reason, detail: stop.detail } });
  }

  run(): Said {
    if (this.running) return { text: 'Already running' };
    if (this.session.halted) return { text: 'The kernel has halted the machine: step back or go to an earlier cycle', error: true };
    const limit = this.opts.limit ?? Infinity;
    this.start(() => {
      if (this.session.cycle >= limit) return { reason: 'end', detail: `at the scenario's run limit (cycle ${num(limit)})`, cycle: this.session.cycle, instret: this.session.instret };
      const s = this.session.run(Math.min(this.opts.chunk ?? 20_000, limit - this.session.cycle));
      return s.reason === 'budget' ? undefined : s;
    }, 'continue');
    return undefined;
  }

  pause(detail = 'paused by you'): Said {
    if (!this.running) return { text: 'Not running' };
    this.finish({ reason: 'paused', detail });
    return undefined;
  }

  step(n: number): Said {
    if (this.running) return busy;
    const s = this.session.step(n);
    this.publish({ status: { reason: s.reason, detail: s.detail } });
    return undefined;
  }

  /** Runs to the instruction after a call's delay slot (the instruction table's `links`), else steps one. */
  private stepOver(): Said {
    if (this.running) return busy;
    const pc = this.session.machine.cpu.pc >>> 0, word = this.session.readWord(pc);
    if (word === undefined || !decodeInstruction(word)?.links) return this.step(1);
    const id = this.stepOverBp = this.session.addBreakpoint({ kind: 'pc', addr: (pc + 8) >>> 0 });
    this.start(() => {
      const s = this.session.run(this.opts.chunk ?? 20_000);
      if (s.reason === 'budget') return undefined;
      return s.hit?.id === id ? { ...s, reason: 'step', detail: 'stepped over the call' } : s;
    }, 'stepping over');
    return undefined;
  }

  private travel(t: { cycle: number } | { instret: number }, detail: string, cannot: string): Said {
    if (this.running) return busy;
    const r = this.session.travel(t, detail);
    if (typeof r === 'string') return { text: `${cannot}: ${r}`, error: true };
    this.publish({ status: { reason: r.reason, detail: `${r.detail} (cycle ${num(r.cycle)}, instruction ${num(r.instret)})` } });
    return undefined;
  }

  private addBreak(b: Breakpoint): Said {
    const r = this.session.resolve(b);
    if (typeof r === 'string') return { text: r, error: true };
    const id = this.session.addBreakpoint(r);
    this.publish();
    return { text: `Breakpoint ${id}: ${describeBreakpoint(r, r.kind === 'pc' ? this.session.symbolAt(r.addr) : undefined)}` };
  }

  private breakLines(): string[] {
    const bps = this.session.listBreakpoints();
    const hits = (id: number) => { const n = this.session.hitCount(id); return n ? `  (hit ${n} time${n > 1 ? 's' : ''})` : ''; };
    return bps.length ? bps.map(([id, b]) => `${String(id).padStart(3)}  ${describeBreakpoint(b, b.kind === 'pc' ? this.session.symbolAt(b.addr) : undefined)}${hits(id)}`) : ['(none)'];
  }

  private remove(ids: readonly number[], what: string): Said {
    const gone = ids.filter((i) => this.session.removeBreakpoint(i));
    this.publish();
    return gone.length ? { text: `Removed ${gone.length === 1 ? `breakpoint ${gone[0]}` : `${gone.length} breakpoints`}` } : { text: `No breakpoint ${what}`, error: true };
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
      case 'goto': return this.travel({ cycle: c.cycle }, `at cycle ${num(c.cycle)}`, `Cannot go to cycle ${num(c.cycle)}`);
      case 'back': return this.travel({ cycle: Math.max(0, s.cycle - c.cycles) }, `back ${num(c.cycles)} cycles`, `Cannot go back ${num(c.cycles)} cycles`);
      case 'stepOver': return this.stepOver();
      case 'continue': return this.run();
      case 'pause': return this.pause();
      case 'break': return this.addBreak(c.breakpoint);
      case 'toggleBreak': {
        const b = c.breakpoint;
        const same = s.listBreakpoints().find(([, x]) => (x.kind === 'exception' && b.kind === 'exception' && x.code === b.code) || (x.kind === 'event' && b.kind === 'event' && x.event === b.event));
        return same ? this.remove([same[0]], String(same[0])) : this.addBreak(b);
      }
      case 'delete': return this.remove(c.id === 'all' ? s.listBreakpoints().map(([i]) => i) : [c.id], String(c.id));
      case 'save': return this.running ? busy : this.save(c.file);
      case 'breaks': return { popup: { title: 'Breakpoints (:delete <id> removes one)', lines: this.breakLines() } };
      default: return { text: exokernelOnly(c), error: true };
    }
  }

  dispose(): void {
    this.work = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.listeners.clear();
  }
}
