// One debugging session (docs/architecture.md, "The session"): its
// machines (machines.ts) running with breakpoints and a run hook
// (running.ts), and on top of that stepping (step, step over, step back),
// time travel through the automatic checkpoints, and the user's machine
// actions (kill, revoke, inject, console input: interventions.ts), which
// time travel carries out again. The TUI, headless replay and the recorder
// all drive a Session; none of them touches the kernel directly.

import { decodeInstruction } from '../emu/index.js';
import type { Hit, PacketSpec } from '../scenario/index.js';
import type { CheckpointTarget } from './checkpoints.js';
import type { AddrSpec } from './command.js';
import { finishTarget, targetReached, type RunTarget } from './finish.js';
import type { MemorySource } from './memory-window.js';
import { symbolIn } from './breakpoint-table.js';
import { readWordOf } from './lockstep.js';
import { MonoStation } from './mono-station.js';
import { monoMemorySource } from './mono-snapshot.js';
import { injectFrames, killEnv, queueConsole, revokeEnv, type Intervention, type PlacedIntervention } from './interventions.js';
import { RunningSession, type SessionState } from './running.js';

/**
 * Why a run stopped. `timeline`: a scenario step that is the front end's to
 * carry out (a key, a pause, a break) fired; `end`: the scenario's run
 * limit was reached (both only with a RunHook attached).
 */
export interface Stop {
  readonly reason: 'budget' | 'idle' | 'breakpoint' | 'step' | 'paused' | 'timeline' | 'end';
  readonly detail: string;
  /** With reason 'breakpoint': which breakpoint stopped the run (the detail says the same in words). */
  readonly hit?: Hit;
  readonly cycle: number;
  readonly instret: number;
}

/**
 * What drives a session from outside while it runs: a scenario's timeline
 * (ScenarioRun). `fire` carries out the steps that are due and returns a
 * stop when the run must return to its caller; `nextTrigger` is the
 * earliest cycle at which a step may come due.
 */
export interface RunHook {
  fire(): Pick<Stop, 'reason' | 'detail'> | undefined;
  nextTrigger(): number;
  /** The earliest cycle of a step due at a cycle (those that still come when nothing runs), or Infinity. */
  nextCycleTrigger?(): number;
  /** Its own state, for checkpoints (time travel restores it). */
  save?(): unknown;
  restore?(state: unknown): void;
  /** Forgets the front-end steps that fired (while time travel replays, they are not carried out again). */
  drop?(): void;
}

/** A time travel in progress: `advance` replays up to `cycles` more and returns the stop once there. */
export interface TravelJob {
  advance(cycles: number): Stop | undefined;
  /** How much of the replay is done, 0 to 1. */
  fraction(): number;
}

const STEP_OVER_MAX = 100_000_000;

/** A debugging session over one kernel (and the machines beside it). */
export class Session extends RunningSession {
  /** Called during a long replay with the fraction done. */
  onProgress: ((fraction: number) => void) | undefined;

  /**
   * Executes `n` instructions (kernel entries between them are not
   * counted). The timeline acts on the way as it does in a run; its
   * front-end steps wait in the ScenarioRun for the driver.
   */
  step(n = 1): Stop {
    const k = this.kernel;
    this.ensureBoot();
    const target = k.cpu.instret + n;
    this.bps.clearCaught();
    this.forgetResumePoint();
    while (k.cpu.instret < target) {
      this.act();
      k.cpu.skipBreakpoint = k.cpu.pc;
      k.cpu.skipWatch = k.cpu.pc;
      this.lockstep?.catchUp(k.now());
      const r = k.run(1);
      if (r === 'idle' && this.pending.length) { k.cpu.cycles = Math.max(k.now(), this.pending[0].start ?? 0); continue; }
      const others = this.lockstep?.busy ?? false;
      if (r === 'idle' && !others && ![...k.envs.values()].some((e) => e.state === 'waiting')) return this.stop('idle', 'no environment is runnable');
      if (r === 'idle') k.machine.idleTo(k.now() + 1);
      const hit = this.bps.caught();
      if (hit) return this.breakpointStop(hit);
    }
    return this.stop('step', `stepped ${n}`);
  }

  /** The cycle now. */
  get cycle(): number {
    return this.kernel.now();
  }

  /** Instructions retired since boot. */
  get instret(): number {
    return this.kernel.cpu.instret;
  }

  /** A reader of the word of RAM that `va` of environment `env` maps to now (travel.ts's Rewindable: reverse watch), or why there is none. */
  wordAt(va: number, env?: string): (() => number) | string {
    if (env === undefined) return 'Name the environment: rwatch <env> <addr|symbol>';
    const e = this.kernel.envs.get(this.envIds.get(env) ?? -1);
    if (!e) return `No environment ${env}`;
    const pa = this.kernel.translate(e, va & ~3);
    if (pa < 0) return `0x${(va >>> 0).toString(16)} is not mapped in ${env}`;
    const ram = this.kernel.machine.bus.ram32;
    return () => ram[pa >>> 2];
  }

  /** The pc and the environment it runs in (null when none runs: travel.ts's Rewindable). */
  codeAt(): { readonly pc: number; readonly env: string | null } {
    return { pc: this.kernel.cpu.pc >>> 0, env: this.currentName() ?? null };
  }

  /**
   * Where a step over the instruction at pc ends: when it is a call (the
   * instruction table marks it `links`: jal, jalr, bal, bgezal, bltzal), the
   * instruction after its delay slot in the same environment; otherwise
   * undefined (a step over it is one step).
   */
  callReturn(): { readonly addr: number; readonly env: string | undefined } | undefined {
    const pc = this.kernel.cpu.pc >>> 0;
    const word = this.readWord(pc);
    if (word === undefined || !decodeInstruction(word)?.links) return undefined;
    return { addr: (pc + 8) >>> 0, env: this.currentName() };
  }

  /** Steps over a call (see callReturn), else steps one instruction. */
  stepOver(): Stop {
    const k = this.kernel;
    const ret = this.callReturn();
    if (!ret) return this.step(1);
    const id = this.addBreakpoint({ kind: 'pc', addr: ret.addr, env: ret.env });
    try {
      const s = this.run(STEP_OVER_MAX);
      return s.reason === 'breakpoint' && k.cpu.pc >>> 0 === ret.addr ? this.stop('step', 'stepped over the call') : s;
    } finally {
      this.removeBreakpoint(id);
    }
  }

  /**
   * Where finishing the function the pc is in stops (finish.ts: the
   * caller's pc after the call, in this environment and frame), or why it
   * cannot: no environment on the CPU, no function symbol covers the pc.
   */
  finishTarget(): RunTarget | string {
    const k = this.kernel, env = this.currentName();
    if (!k.current || env === undefined) return 'Cannot finish: no environment is on the CPU';
    const regs = k.cpu.regs;
    return finishTarget({ pc: k.cpu.pc >>> 0, sp: regs[29] >>> 0, ra: regs[31] >>> 0, env, read: (va) => this.readWord(va), symbols: this.symbols.get(env) ?? [] });
  }

  /** Where running until `at` (an address, or a symbol of the current environment's image) stops: that pc in the environment on the CPU; or why it cannot. */
  untilTarget(at: AddrSpec): RunTarget | string {
    const env = this.currentName();
    const b = this.resolveBreakpoint(at.kind === 'addr' ? { kind: 'pc', addr: at.addr, env } : { kind: 'symbol', symbol: at.name, offset: at.offset, env });
    if (typeof b === 'string') return `Cannot run until ${at.kind === 'addr' ? at.addr.toString(16) : at.name}: ${b}`;
    if (b.kind !== 'pc' || b.addr % 4 !== 0) return 'Cannot run until an address that is not a multiple of 4 (instructions are words)';
    const where = `${b.addr.toString(16).padStart(8, '0')}${env ? ` in ${env}` : ''}`;
    return { addr: b.addr, env, detail: `reached ${where}`, running: `running until ${where}` };
  }

  /** Where the machine is, for targetReached: pc, environment and sp. */
  targetAt(): { pc: number; env: string | undefined; sp: number } {
    return { pc: this.kernel.cpu.pc >>> 0, env: this.currentName(), sp: this.kernel.cpu.regs[29] >>> 0 };
  }

  /**
   * Runs until `t` is reached (a 'step' stop), another breakpoint, idle,
   * or `budget` cycles; its temporary breakpoint is removed however the
   * run ends. A string target is why it cannot start (returned as a
   * 'paused' stop saying so).
   */
  runTo(t: RunTarget | string, budget = STEP_OVER_MAX): Stop {
    if (typeof t === 'string') return this.stop('paused', t);
    const k = this.kernel, end = k.now() + budget;
    const id = this.addBreakpoint({ kind: 'pc', addr: t.addr, env: t.env });
    try {
      for (;;) {
        const s = this.run(Math.max(1, end - k.now()));
        if (s.reason !== 'breakpoint') return s;
        const v = targetReached(t, id, this.lastHit(), this.targetAt());
        if (v === 'stop') return this.stop('step', t.detail);
        if (v === 'other' || k.now() >= end) return s;
      }
    } finally {
      this.removeBreakpoint(id);
    }
  }

  /**
   * The address space of environment `name` (default: the one on the CPU)
   * on machine `machine` (default: the first) for the memory pane
   * (memory-window.ts): read through its own bindings (readWord), its
   * image's symbols, its sp (saved, when it is not on the CPU). On a
   * machine that runs the monolithic kernel, the process on its CPU. An
   * error when there is no such environment.
   */
  memorySource(name?: string, machine?: string): MemorySource {
    const st = this.stations.find((x) => x.name === machine);
    if (st instanceof MonoStation) return monoMemorySource(st.session, st.context);
    const m = this.companions.find((c) => c.name === machine) ?? this;
    const k = m.kernel;
    name ??= k.current ? m.envNames.get(k.current.id) : undefined;
    const e = name === undefined ? undefined : k.envs.get(m.envIds.get(name) ?? -1);
    if (!e || name === undefined) return { space: name ?? '-', error: name === undefined ? 'No environment is selected or on the CPU' : `No environment ${name}`, read: () => undefined, symbol: () => undefined, sp: 0 };
    const sp = (k.current === e ? k.cpu.regs[29] : e.regs[29]) >>> 0;
    return { space: name, read: (va) => readWordOf(k, va, e), symbol: (x) => symbolIn(m.symbols, x, name), sp };
  }

  // Time travel (docs/architecture.md, "Time travel").

  /**
   * Time travel to the first instruction boundary at or after cycle
   * `t.cycle`, or to the first at which `t.instret` instructions have
   * executed. Backwards, the latest checkpoint before the target is
   * restored (machine, kernel, wire, peer, timeline, expectations, event
   * history), then the run replays forward with breakpoints ignored, the
   * timeline acting and the user's interventions carried out again at
   * their points, so the point reached is the one the original run passed.
   * Returns a job whose `advance` replays at most `cycles` more and returns
   * the stop once there (in slices, so that a front end can show
   * progress), or why it cannot go.
   */
  travel(t: CheckpointTarget, detail: string): TravelJob | string {
    const k = this.kernel, cps = this.checkpoints;
    if (!cps) return 'time travel is off (the session takes no checkpoints)';
    if ('instret' in t ? t.instret < 0 : t.cycle < 0) return 'that is before the machine booted';
    this.ensureBoot();
    this.applyHorizon();
    const lost = cps.unreachable(t);
    if (lost) return lost;
    this.forgetResumePoint();
    const back = 'cycle' in t ? t.cycle < k.now() : t.instret <= k.cpu.instret;
    if (back && !this.restoreCheckpoint(t)) return 'no checkpoint is that early';
    const pos = () => ('cycle' in t ? k.now() : k.cpu.instret);
    const from = pos(), to = 'cycle' in t ? t.cycle : t.instret;
    const advance = (cycles: number): Stop | undefined => {
      const stopAt = k.now() + cycles;
      cps.landing = k.now() + (to - pos());
      try {
        this.bps.inMode('replay', () => {
          while (pos() < to && k.now() < stopAt) {
            const b = Math.min(stopAt - k.now(), Math.max(1, to - pos()));
            if (this.run(b, true).reason === 'idle' && !this.idleGap('cycle' in t ? t.cycle : Infinity)) break;
          }
        });
      } finally {
        cps.landing = undefined;
      }
      if (pos() < to && k.now() < stopAt) return this.stop('idle', `${detail} (the machine went idle at cycle ${k.now()})`);
      return pos() >= to ? this.stop('step', detail) : undefined;
    };
    return { advance, fraction: () => (to > from ? Math.min(1, (pos() - from) / (to - from)) : 1) };
  }

  /** Travels at once (see travel), telling onProgress; a string says why it cannot. */
  travelNow(t: CheckpointTarget, detail: string): Stop | string {
    const job = this.travel(t, detail);
    if (typeof job === 'string') return job;
    for (;;) {
      const s = job.advance(2_000_000);
      if (s) return s;
      this.onProgress?.(job.fraction());
    }
  }

  /**
   * Back to the session's first point (the boot state: machine, timeline,
   * expectations, history) with the user's interventions forgotten, as if
   * the scenario had just been opened. Returns the stop, or why it cannot
   * (time travel off).
   */
  restart(): Stop | string {
    const r = this.travelNow({ cycle: 0 }, 'restarted from the start');
    if (typeof r === 'string') return r;
    this.interventions.clear();
    return r;
  }

  /**
   * Goes back `n` instructions: to the first boundary at which `instret - n`
   * instructions had executed (see travel). Returns undefined when that is
   * before boot or time travel is off.
   */
  stepBack(n = 1): Stop | undefined {
    const r = this.travelNow({ instret: this.kernel.cpu.instret - n }, `stepped back ${n}`);
    return typeof r === 'string' ? undefined : r;
  }

  /**
   * The earliest instruction count time travel can reach (the session's
   * first point: the boot state, kept until the event history forgets the
   * events after it, then the first checkpoint after what it still holds:
   * applyHorizon), or -1 when time travel is off or nothing has run yet.
   */
  historyStart(): number {
    this.applyHorizon();
    return this.checkpoints?.firstInstret() ?? -1;
  }


  /** The cycles of the checkpoints held, oldest first (for tests and the bench). */
  checkpointCycles(): number[] {
    return this.checkpoints?.cycles() ?? [];
  }

  /** Bytes held by checkpoints and the event history. */
  get travelMemory(): number {
    return (this.checkpoints?.memory ?? 0) + this.history.bytes;
  }

  /** Restores the latest checkpoint at or before `t` and the session's state with it; false when there is none. */
  private restoreCheckpoint(t: CheckpointTarget): boolean {
    const saved = this.checkpoints?.restoreBefore(t) as SessionState | undefined;
    if (!saved) return false;
    this.restoreMachines(saved);
    if (saved.hook !== undefined) this.hook?.restore?.(saved.hook);
    this.history.truncate(saved.events);
    this.kernel.log.rewind(saved.events, this.history.slice(saved.events - 1024, saved.events));
    this.bps.keepTimeline(saved.timelineBps);
    this.interventions.rewind(this.kernel.now());
    this.bps.clearCaught();
    this.pauseRequested = false;
    this.firedAt = -1;
    return true;
  }

  // The user's machine actions (interventions.ts).

  /** The user's interventions up to now (what a saved session holds besides its point). */
  interventionsSoFar(): PlacedIntervention[] {
    return this.interventions.soFar();
  }

  /**
   * Takes interventions from a saved session, to be carried out as the run
   * passes their points (call before running, on a session at its start).
   */
  loadInterventions(list: readonly PlacedIntervention[]): void {
    this.interventions.load(list);
  }

  /**
   * Notes that the user took action `a` here (not the timeline, not a
   * replay): time travel carries it out again when it passes this point,
   * and it replaces the interventions of the abandoned future after it.
   */
  private intervene<T>(a: Intervention, act: () => T, ok: (r: T) => boolean): T {
    if (this.inHook) return act();
    this.ensureBoot();
    const at = { cycle: this.kernel.now(), afterHook: this.firedAt === this.kernel.now() };
    const r = act();
    if (!ok(r)) return r;
    this.interventions.record({ ...at, action: a });
    this.bps.forgetHitsAfter(at.cycle);
    return r;
  }

  /**
   * Asks the environment named `name` to give back `count` frames or slices
   * within `window` cycles (the abort protocol follows); false when it is
   * not alive or a revocation is already pending.
   */
  revoke(name: string, what: 'frames' | 'slices', count: number, window = 50_000): boolean {
    return this.intervene({ kind: 'revoke', env: name, what, count, window }, () => revokeEnv(this, name, what, count, window), (r) => r);
  }

  /**
   * Puts `count` frames on the wire towards the machine, `every` cycles
   * apart, starting now: raw bytes, or UDP datagrams from the peer host to
   * the machine's Ethernet address. Returns how many were queued (0 when a
   * UDP datagram is asked for and there is no peer to send it).
   */
  inject(packet: PacketSpec, count = 1, every = 100_000): number {
    return this.intervene({ kind: 'inject', packet, count, every }, () => injectFrames(this, packet, count, every), (n) => n > 0);
  }

  /** Queues console input for the environment named `name`; false when it is not alive. */
  consoleInput(name: string, text: string): boolean {
    return this.intervene({ kind: 'console', env: name, text }, () => queueConsole(this, name, text), (r) => r);
  }

  /** Destroys the environment named `name`; false when there is none alive. */
  kill(name: string): boolean {
    return this.intervene({ kind: 'kill', env: name }, () => killEnv(this, name), (r) => r);
  }
}
