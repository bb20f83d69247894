// One debugging session: the kernel and its machine, breakpoints, the event
// log, automatic checkpoints and stepping. The TUI, headless replay and the
// recorder all drive a Session; none of them touches the kernel directly.

import { decodeInstruction, excName, type ElfSymbol } from '../emu/index.js';
import { Kernel, type Env, type EnvImage, type KernelEvent, type Seed } from '../exokernel/index.js';
import { watches, type Breakpoint, type Hit, type ResolvedBreakpoint } from '../scenario/index.js';
import { CheckpointStore, type CheckpointLimits, type CheckpointTarget } from './checkpoints.js';
import { History } from './history.js';
import { Ethernet } from '../net/index.js';
import { Companion, Lockstep, readWordOf, startDue, type CompanionSetup, type Station } from './lockstep.js';
import { MonoStation, type MonoStationSetup } from './mono-station.js';
import { PeerHost, Wire, type EtherLink } from '../net/index.js';
import { ipv4udp, parseHex } from '../net/index.js';
import type { PacketSpec } from '../scenario/index.js';

/** An environment to create: its image (with symbols, for breakpoints by name). */
export interface EnvSpec {
  readonly name: string;
  readonly image: EnvImage & { readonly symbols?: readonly ElfSymbol[] };
  readonly args?: readonly string[];
  /** Cycle at which it is created (0: at boot). */
  readonly start?: number;
  /** Time slices it starts with (default 1). */
  readonly slices?: number;
  /**
   * Cycles after which a new instance of it is created again, and again
   * (a living scenario's churn); the name then stands for the newest.
   */
  readonly every?: number;
}

/** What a session is built from. */
export interface SessionSetup {
  readonly ramSize?: number;
  readonly cpuHz?: number;
  readonly seed?: Seed;
  readonly tickHz?: number;
  readonly sliceTicks?: number;
  readonly envs: readonly EnvSpec[];
  /** Cycles between automatic checkpoints near now (default 250,000; sparser further back); 0 turns them off. */
  readonly checkpointEvery?: number;
  readonly checkpointLimits?: CheckpointLimits;
  /** The scenario file the session was built from (absolute), for saving it. */
  readonly scenarioFile?: string;
  /** The simulated host on the wire (default 10.0.0.1 at 02:00:00:00:00:01, echoing UDP port 7; null for none). */
  readonly peer?: { readonly ip: string; readonly mac: string } | null;
  /** The first machine's name (a scenario with several machines names each). */
  readonly name?: string;
  /** The first machine's Ethernet address (default: the LANCE's, 08:00:2b:95:12:03). */
  readonly mac?: readonly number[];
  /**
   * The other machines on the same Ethernet, run in lock-step with the
   * first (lockstep.ts): exokernels, or the monolithic kernel
   * (mono-station.ts). Environment names are unique over all machines.
   */
  readonly companions?: readonly (CompanionSetup | MonoStationSetup)[];
  /** Keep every event in `history` (default true); a headless replay, which neither travels nor shows the log, does not. */
  readonly history?: boolean;
}

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

/** A machine action the user took (not the timeline): time travel replays it at its point. */
export type Intervention =
  | { readonly kind: 'kill'; readonly env: string }
  | { readonly kind: 'revoke'; readonly env: string; readonly what: 'frames' | 'slices'; readonly count: number; readonly window: number }
  | { readonly kind: 'inject'; readonly packet: PacketSpec; readonly count: number; readonly every: number }
  | { readonly kind: 'console'; readonly env: string; readonly text: string };

/** Where an intervention happened: its cycle, and whether the timeline had acted there before it. */
export interface PlacedIntervention { readonly cycle: number; readonly afterHook: boolean; readonly action: Intervention }
type Placed = PlacedIntervention;

/** The session's own state that a checkpoint carries besides the kernel's. */
interface SessionState {
  /**
   * The environments still to create, in start order (a repeating one
   * reappears with a later start), each as the index of its spec in the
   * setup and its start: a spec holds its image, megabytes that a checkpoint
   * must not copy.
   */
  readonly pending: readonly (readonly [number, number])[];
  /** Which environment each name stands for (the newest instance of a repeating one). */
  readonly envIds: readonly (readonly [string, number])[];
  readonly wire: unknown;
  readonly peer: { arp: number; udp: number } | undefined;
  readonly machines: ReturnType<Lockstep['save']> | undefined;
  readonly hook: unknown;
  readonly events: number;
  readonly timelineBps: readonly number[];
}

/** A time travel in progress: `advance` replays up to `cycles` more and returns the stop once there. */
export interface TravelJob {
  advance(cycles: number): Stop | undefined;
  /** How much of the replay is done, 0 to 1. */
  fraction(): number;
}

/** How the session treats breakpoints: live (stop and count), replay (ignore: time travel), scan (stop, not counted: reverse searches). */
type Mode = 'live' | 'replay' | 'scan';

const STEP_OVER_MAX = 100_000_000;

/** A debugging session over one kernel. */
export class Session {
  readonly kernel: Kernel;
  /** Environment ids by scenario name and back. */
  readonly envIds = new Map<string, number>();
  readonly envNames = new Map<number, string>();
  readonly symbols = new Map<string, readonly ElfSymbol[]>();
  private readonly pending: EnvSpec[];
  private readonly breakpoints = new Map<number, ResolvedBreakpoint>();
  private nextBp = 1;
  /** The breakpoint an event or exception hit during the current run, and the stop's detail. */
  private hit: { readonly detail: string; readonly at: Hit } | undefined;
  private pauseRequested = false;
  private unsubscribe: (() => void) | undefined;
  private hook: RunHook | undefined;
  private hookDue = false;
  private readonly checkpoints: CheckpointStore | undefined;
  private readonly checkpointEvery: number;
  /** The cycle of the latest checkpoint (taken or restored): the next is due a spacing after it (checkpointDue). */
  private lastCheckpoint = 0;
  /** Every event since boot (time travel truncates it to the point travelled to). */
  readonly history = new History();
  private readonly interventions: Placed[] = [];
  /** Interventions at or before now that have been carried out. */
  private ivNext = 0;
  /** True while the timeline (or a replayed intervention) acts: its actions are not the user's. */
  private inHook = false;
  /** The cycle at which the run hook last fired. */
  private firedAt = -1;
  private mode: Mode = 'live';
  /** Cycles at which each breakpoint was hit (time travel cuts them back). */
  private readonly hits = new Map<number, number[]>();
  private lastHitIds: number[] = [];
  /** Breakpoints the timeline set (time travel removes those set after the point). */
  private readonly timelineBps = new Set<number>();
  /** The cycle a travel's replay is heading for (about, for an instruction count), while it replays. */
  private landing: number | undefined;
  /** Called during a long replay with the fraction done. */
  onProgress: ((fraction: number) => void) | undefined;
  lastStop: Stop;
  /** The Ethernet outside the machine (one machine's Wire, or the segment of several): injected and captured frames, and the peer host. */
  readonly wire: EtherLink;
  readonly peer: PeerHost | undefined;
  /** The machines besides the first, in scenario order, whatever their kernel (none for a one-machine session). */
  readonly stations: readonly Station[];
  /** The machines besides the first that run the exokernel. */
  readonly companions: readonly Companion[];
  private readonly lockstep: Lockstep | undefined;

  /** Boots the kernels and creates the environments that start at cycle 0. */
  constructor(readonly setup: SessionSetup) {
    this.kernel = new Kernel({ ramSize: setup.ramSize, cpuHz: setup.cpuHz, seed: setup.seed, tickHz: setup.tickHz, sliceTicks: setup.sliceTicks, mac: setup.mac });
    this.stations = (setup.companions ?? []).map((c) => ('kernel' in c ? new MonoStation(c) : new Companion(c)));
    this.companions = this.stations.filter((c): c is Companion => c instanceof Companion);
    if (this.stations.length) {
      this.lockstep = new Lockstep(this.stations);
      this.wire = new Ethernet([{ name: setup.name ?? 'first', machine: this.kernel.machine }, ...this.stations]);
    } else this.wire = new Wire(this.kernel.machine);
    if (setup.peer !== null) {
      this.peer = new PeerHost({ ...(setup.peer ?? { ip: '10.0.0.1', mac: '02:00:00:00:00:01' }), echoPort: 7 });
      this.wire.attach(this.peer);
    }
    if (setup.history !== false) {
      for (const e of this.kernel.log.recent()) this.history.push(e);
      this.kernel.log.subscribe((e) => this.history.push(e));
    }
    this.pending = [...setup.envs].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    this.startDue();
    this.kernel.onTrap.add((code) => this.onTrap(code));
    this.checkpointEvery = setup.checkpointEvery ?? 250_000;
    const kernels = [this.kernel, ...this.stations.map((c) => c.checkpointed)];
    if (this.checkpointEvery > 0) this.checkpoints = new CheckpointStore(kernels, this.checkpointEvery, setup.checkpointLimits);
    this.lastStop = { reason: 'paused', detail: 'booted', cycle: 0, instret: 0 };
  }

  /** Creates the first machine's environments whose start cycle has come (lockstep.ts, startDue). */
  private startDue(): void {
    startDue(this.kernel, this.pending, this);
  }

  /** The first machine's name: the scenario's, or undefined for a one-machine session. */
  get machineName(): string | undefined {
    return this.stations.length ? this.setup.name ?? 'first' : undefined;
  }

  /** Every machine's name, the first first; empty for a one-machine session. */
  get machineNames(): string[] {
    return this.stations.length ? [this.machineName!, ...this.stations.map((c) => c.name)] : [];
  }

  /** The kernel and environment maps of the exokernel machine named `machine` (undefined: the first); undefined for no such machine (or one that runs the monolithic kernel). */
  machine(machine: string | undefined): { kernel: Kernel; envIds: ReadonlyMap<string, number>; envNames: ReadonlyMap<number, string> } | undefined {
    if (machine === undefined || machine === this.machineName) return this;
    return this.companions.find((c) => c.name === machine);
  }

  /** The environment named `name` (alive or not) and its kernel, on whichever machine it is. */
  private envByName(name: string): { kernel: Kernel; env: Env } | undefined {
    for (const m of [this, ...this.companions]) {
      const env = m.kernel.envs.get(m.envIds.get(name) ?? -1);
      if (env) return { kernel: m.kernel, env };
    }
    return undefined;
  }

  /** The name of the environment on the CPU, if any. */
  private currentName(): string | undefined {
    const c = this.kernel.current;
    return c ? this.envNames.get(c.id) : undefined;
  }

  private matchesEnv(bp: ResolvedBreakpoint, envId: number | undefined): boolean {
    return bp.env === undefined || (envId !== undefined && this.envIds.get(bp.env) === envId);
  }

  private onEvent(e: KernelEvent): void {
    if (this.hit !== undefined || this.mode === 'replay') return;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'event' || bp.event !== e.kind) continue;
      const envId = 'env' in e ? (e.env as number) : undefined;
      if (!this.matchesEnv(bp, envId)) continue;
      this.hit = { detail: `event ${e.kind}${envId !== undefined ? ` (${this.envNames.get(envId) ?? envId})` : ''}`, at: { id, breakpoint: bp, event: e } };
      this.kernel.stop();
      return;
    }
  }

  private onTrap(code: number): void {
    if (this.hit !== undefined || this.mode === 'replay') return;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'exception' || bp.code !== code || !this.matchesEnv(bp, this.kernel.current?.id)) continue;
      const epc = (this.kernel.cpu.epc >>> 0).toString(16).padStart(8, '0');
      this.hit = { detail: `exception ${excName(code)} at epc 0x${epc}${this.kernel.current ? ` in ${this.currentName()}` : ''}`, at: { id, breakpoint: bp } };
      this.kernel.stop();
      return;
    }
  }

  /**
   * `b` with its symbol resolved to an address, or a message saying why it
   * cannot be set (an unknown environment or symbol).
   */
  resolveBreakpoint(b: Breakpoint): ResolvedBreakpoint | string {
    if (b.env !== undefined && !this.envIds.has(b.env) && !this.setup.envs.some((e) => e.name === b.env)) return `No environment ${b.env}`;
    if (b.kind !== 'symbol') return b;
    const base = this.symbolAddress(b.symbol, b.env);
    if (base === undefined) return `No symbol ${b.symbol}${b.env ? ` in ${b.env}` : ''}`;
    return { kind: 'pc', addr: (base + (b.offset ?? 0)) >>> 0, env: b.env };
  }

  /**
   * Adds a breakpoint; returns its id. PC breakpoints name a virtual address.
   * The session listens to events only while an event breakpoint exists, so
   * a run that nobody watches pays nothing for them. Throws Error for a
   * breakpoint resolveBreakpoint refuses (callers resolve first).
   */
  addBreakpoint(b: Breakpoint): number {
    const bp = this.resolveBreakpoint(b);
    if (typeof bp === 'string') throw new Error(bp);
    const id = this.nextBp++;
    this.breakpoints.set(id, bp);
    this.hits.set(id, []);
    if (this.inHook) this.timelineBps.add(id);
    if (bp.kind === 'pc') this.kernel.cpu.setBreakpoint(bp.addr, true);
    if (bp.kind === 'watch') this.kernel.cpu.setWatchpoint(bp.addr, bp.len, bp.read, bp.write, true);
    if (bp.kind === 'event' && !this.unsubscribe) this.unsubscribe = this.kernel.log.subscribe((e) => this.onEvent(e));
    return id;
  }

  /** Removes breakpoint `id`; false when there is none. */
  removeBreakpoint(id: number): boolean {
    const bp = this.breakpoints.get(id);
    if (!bp) return false;
    this.breakpoints.delete(id);
    this.hits.delete(id);
    this.timelineBps.delete(id);
    if (this.unsubscribe && ![...this.breakpoints.values()].some((b) => b.kind === 'event')) { this.unsubscribe(); this.unsubscribe = undefined; }
    if (bp.kind === 'pc' && ![...this.breakpoints.values()].some((b) => b.kind === 'pc' && b.addr === bp.addr)) {
      this.kernel.cpu.setBreakpoint(bp.addr, false);
    }
    if (bp.kind === 'watch') this.kernel.cpu.setWatchpoint(bp.addr, bp.len, bp.read, bp.write, false);
    return true;
  }

  /** The breakpoints with their ids. */
  listBreakpoints(): [number, ResolvedBreakpoint][] {
    return [...this.breakpoints];
  }

  /**
   * How many times breakpoint `id` has stopped the machine up to now (0
   * for none). Hits are kept by cycle, so travelling back counts fewer and
   * coming forward again the same ones.
   */
  hitCount(id: number): number {
    const list = this.hits.get(id) ?? [];
    const now = this.kernel.now();
    let n = 0;
    while (n < list.length && list[n] <= now) n++;
    return n;
  }

  /** The breakpoints that made the last breakpoint stop. */
  lastHit(): readonly number[] {
    return this.lastHitIds;
  }

  /** Counts a hit of breakpoint `id` now (once per cycle: a hit seen again after time travel is the same hit). */
  noteHit(id: number): void {
    const list = this.hits.get(id);
    if (!list) return;
    const now = this.kernel.now();
    let i = list.length;
    while (i > 0 && list[i - 1] > now) i--;
    if (list[i - 1] !== now) list.splice(i, 0, now);
  }

  /** Resolves `name` (a symbol of an environment's image) to an address. */
  symbolAddress(name: string, env?: string): number | undefined {
    const lists = env ? [this.symbols.get(env) ?? []] : [...this.symbols.values()];
    for (const syms of lists) {
      const s = syms.find((x) => x.name === name);
      if (s) return s.value >>> 0;
    }
    return undefined;
  }

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
    this.hit = undefined;
    this.pauseRequested = false;
    // Resuming from a pc breakpoint: the environment stopped there executes it
    // once, even if another environment runs first.
    let resume: { env: number | undefined; pc: number } | undefined = continuing ? undefined : { env: k.current?.id, pc: k.cpu.pc >>> 0 };
    if (!continuing) { k.cpu.skipBreakpoint = k.cpu.pc; k.cpu.skipWatch = k.cpu.pc; }
    while (k.now() < end) {
      const held = this.act();
      if (held) return this.stop(held.reason, held.detail);
      this.lockstep?.catchUp(k.now());
      const until = Math.min(end, this.nextStop());
      const r = k.run(until - k.now());
      const hit = this.caught();
      if (hit) return this.breakpointStop(hit);
      if (this.pauseRequested) { this.pauseRequested = false; return this.stop('paused', 'paused'); }
      if (this.hookDue) continue;
      if (r === 'idle') {
        if (this.pending.length) {
          // With other machines, time passes quantum by quantum (devices served: frames may come).
          const start = this.pending[0].start ?? 0;
          if (this.lockstep) k.machine.idleTo(Math.min(start, this.lockstep.horizon)); else k.cpu.cycles = Math.max(k.now(), start);
          continue;
        }
        // Another machine still works: time passes here up to where it is.
        if (this.lockstep?.busy) { k.machine.idleTo(Math.min(end, this.lockstep.horizon)); this.maybeCheckpoint(); continue; }
        return this.stop('idle', 'no environment is runnable');
      }
      if (k.machine.cpu.stopReason === 'breakpoint') {
        const here = { env: k.current?.id, pc: k.cpu.pc >>> 0 };
        const resuming = resume !== undefined && resume.env === here.env && resume.pc === here.pc;
        if (resuming) resume = undefined;
        const hit = resuming || this.mode === 'replay' ? undefined : this.pcBreakpointHit();
        if (hit) return this.breakpointStop(hit);
        k.cpu.skipBreakpoint = k.cpu.pc;
      }
      if (k.machine.cpu.stopReason === 'watchpoint') {
        const hit = this.mode === 'replay' ? undefined : this.watchpointHit();
        if (hit) return this.breakpointStop(hit);
        k.cpu.skipWatch = k.cpu.pc;
      }
      this.maybeCheckpoint();
    }
    return this.stop('budget', `ran ${budget} cycles`);
  }

  /**
   * What happens at an instruction boundary before the machine goes on, in
   * this order: the user's interventions made here before the timeline
   * acted, environments due, the run hook (the timeline), the interventions
   * made after it. Returns the hook's stop (live runs only: a replay drops
   * the front-end steps, which were carried out the first time).
   */
  private act(): Pick<Stop, 'reason' | 'detail'> | undefined {
    this.applyInterventions(false);
    this.startDue();
    this.hookDue = false;
    let held = this.hook ? this.asTimeline(() => this.hook!.fire()) : undefined;
    this.firedAt = this.kernel.now();
    this.applyInterventions(true);
    if (held && this.mode !== 'live') {
      if (held.reason === 'timeline') this.hook!.drop?.();
      held = undefined;
    }
    return held;
  }

  /** Carries out the recorded interventions due now (time travel replaying them). */
  private applyInterventions(afterHook: boolean): void {
    const now = this.kernel.now();
    while (this.ivNext < this.interventions.length) {
      const p = this.interventions[this.ivNext];
      if (p.cycle > now || (p.cycle === now && p.afterHook && !afterHook)) break;
      this.ivNext++;
      this.asTimeline(() => this.perform(p.action));
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
  private breakpointStop(hit: { readonly detail: string; readonly at: Hit }): Stop {
    if (this.hookDue) this.act();
    if (this.mode === 'live') this.noteHit(hit.at.id);
    this.lastHitIds = [hit.at.id];
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
    if (this.checkpoints) t = Math.min(t, this.checkpointDue());
    if (this.ivNext < this.interventions.length) t = Math.min(t, this.interventions[this.ivNext].cycle);
    if (this.lockstep) t = Math.min(t, this.lockstep.horizon);
    return Math.max(t, this.kernel.now() + 1);
  }

  /** Takes the checkpoint of the session's first point (with the run hook's state), once. */
  private ensureBoot(): void {
    if (!this.checkpoints || this.checkpoints.count > 0 || this.inHook) return;
    this.checkpoints.take(this.sessionState());
    this.lastCheckpoint = this.kernel.now();
  }

  /**
   * When the next checkpoint is due: `checkpointEvery` cycles after the
   * latest; over the last stretch of a travel's replay five times as
   * often, and for a short replay (a step back) one only, a tenth of the
   * spacing before where it lands: stepping back again from there replays
   * little, and the step back itself takes one checkpoint at most.
   */
  private checkpointDue(): number {
    const every = this.checkpointEvery, ahead = this.landing === undefined ? Infinity : this.landing - this.lastCheckpoint;
    const near = Math.max(1, Math.floor(every / 10));
    if (ahead <= every) return ahead > 2 * near ? this.landing! - near : this.lastCheckpoint + every;
    return this.lastCheckpoint + (ahead < 5 * every ? Math.max(1, Math.floor(every / 5)) : every);
  }

  /** Takes a checkpoint when one is due (checkpointDue). */
  private maybeCheckpoint(): void {
    if (!this.checkpoints || this.kernel.now() < this.checkpointDue()) return;
    this.checkpoints.take(this.sessionState());
    this.lastCheckpoint = this.kernel.now();
  }

  /** The session's own state that checkpoints must carry. */
  private sessionState(): SessionState {
    return {
      pending: this.pending.map((p) => [this.specIndex(p), p.start ?? 0] as const), envIds: [...this.envIds], wire: this.wire.save(),
      peer: this.peer && { ...this.peer.answered }, machines: this.lockstep?.save(), hook: this.hook?.save?.(), events: this.history.length, timelineBps: [...this.timelineBps],
    };
  }

  /** The index in the setup of the spec `p` is (or repeats: the same name and image). */
  private specIndex(p: EnvSpec): number {
    const i = this.setup.envs.findIndex((e) => e === p || (e.name === p.name && e.image === p.image));
    if (i < 0) throw new Error(`Environment ${p.name} is not one of the session's`);
    return i;
  }

  /** Restores the latest checkpoint at or before `t` and the session's state with it; false when there is none. */
  private restoreCheckpoint(t: CheckpointTarget): boolean {
    const saved = this.checkpoints?.restoreBefore(t) as SessionState | undefined;
    if (!saved) return false;
    this.pending.splice(0, this.pending.length, ...saved.pending.map(([i, start]) => ({ ...this.setup.envs[i], start })));
    this.envIds.clear();
    for (const [name, id] of saved.envIds) this.envIds.set(name, id);
    this.lastCheckpoint = this.kernel.now();
    this.wire.restore(saved.wire);
    if (this.peer && saved.peer) Object.assign(this.peer.answered, saved.peer);
    if (saved.machines) this.lockstep?.restore(saved.machines);
    if (saved.hook !== undefined) this.hook?.restore?.(saved.hook);
    this.history.truncate(saved.events);
    this.kernel.log.rewind(saved.events, this.history.slice(saved.events - 1024, saved.events));
    for (const id of [...this.timelineBps]) if (!saved.timelineBps.includes(id)) this.removeBreakpoint(id);
    const now = this.kernel.now();
    this.ivNext = 0;
    while (this.ivNext < this.interventions.length && this.interventions[this.ivNext].cycle < now) this.ivNext++;
    this.hit = undefined;
    this.pauseRequested = false;
    this.firedAt = -1;
    return true;
  }

  /** The watchpoint of the current environment that the CPU stopped before, with the stop's detail. */
  private watchpointHit(): { detail: string; at: Hit } | undefined {
    const access = this.kernel.cpu.watchHit;
    const cur = this.kernel.current?.id;
    if (!access) return undefined;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'watch' || !watches(bp, access) || !this.matchesEnv(bp, cur)) continue;
      const detail = `watchpoint ${access.write ? 'write' : 'read'} 0x${access.addr.toString(16).padStart(8, '0')}${cur ? ` in ${this.currentName()}` : ''}`;
      return { detail, at: { id, breakpoint: bp, access } };
    }
    return undefined;
  }

  /** A PC breakpoint matching the current environment, with the stop's detail. */
  private pcBreakpointHit(): { detail: string; at: Hit } | undefined {
    const pc = this.kernel.cpu.pc >>> 0;
    const cur = this.kernel.current?.id;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind === 'pc' && bp.addr === pc && this.matchesEnv(bp, cur)) {
        return { detail: `pc 0x${pc.toString(16).padStart(8, '0')}${cur ? ` in ${this.currentName()}` : ''}`, at: { id, breakpoint: bp } };
      }
    }
    return undefined;
  }

  /** The event or exception breakpoint hit during the current run (a method, so that no narrowing of `hit` hides what the kernel's callbacks set). */
  private caught(): { readonly detail: string; readonly at: Hit } | undefined {
    return this.hit;
  }

  private stop(reason: Stop['reason'], detail: string, hit?: Hit): Stop {
    const cpu = this.kernel.cpu;
    this.lastStop = hit ? { reason, detail, hit, cycle: cpu.cycles, instret: cpu.instret } : { reason, detail, cycle: cpu.cycles, instret: cpu.instret };
    return this.lastStop;
  }

  /**
   * Executes `n` instructions (kernel entries between them are not
   * counted). The timeline acts on the way as it does in a run; its
   * front-end steps wait in the ScenarioRun for the driver.
   */
  step(n = 1): Stop {
    const k = this.kernel;
    this.ensureBoot();
    const target = k.cpu.instret + n;
    this.hit = undefined;
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
      const hit = this.caught();
      if (hit) return this.breakpointStop(hit);
    }
    return this.stop('step', `stepped ${n}`);
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
   * Time travel (docs/architecture.md, "Time travel") to the first
   * instruction boundary at or after cycle `t.cycle`, or to the first at
   * which `t.instret` instructions have executed. Backwards, the latest
   * checkpoint before the target is restored (machine, kernel, wire, peer,
   * timeline, expectations, event history), then the run replays forward
   * with breakpoints ignored, the timeline acting and the user's
   * interventions carried out again at their points, so the point reached
   * is the one the original run passed. Returns a job whose `advance`
   * replays at most `cycles` more and returns the stop once there (in
   * slices, so that a front end can show progress), or why it cannot go.
   */
  travel(t: CheckpointTarget, detail: string): TravelJob | string {
    const k = this.kernel;
    if (!this.checkpoints) return 'time travel is off (the session takes no checkpoints)';
    if ('instret' in t ? t.instret < 0 : t.cycle < 0) return 'that is before the machine booted';
    this.ensureBoot();
    const back = 'cycle' in t ? t.cycle < k.now() : t.instret <= k.cpu.instret;
    if (back && !this.restoreCheckpoint(t)) return 'no checkpoint is that early';
    const pos = () => ('cycle' in t ? k.now() : k.cpu.instret);
    const from = pos(), to = 'cycle' in t ? t.cycle : t.instret;
    const advance = (cycles: number): Stop | undefined => {
      const stopAt = k.now() + cycles;
      const mode = this.mode;
      this.mode = 'replay';
      this.landing = k.now() + (to - pos());
      try {
        while (pos() < to && k.now() < stopAt) {
          const b = Math.min(stopAt - k.now(), Math.max(1, to - pos()));
          if (this.run(b, true).reason === 'idle' && !this.idleGap('cycle' in t ? t.cycle : Infinity)) break;
        }
      } finally {
        this.mode = mode;
        this.landing = undefined;
      }
      if (pos() < to && k.now() < stopAt) return this.arrive(`${detail} (the machine went idle at cycle ${k.now()})`, 'idle');
      return pos() >= to ? this.arrive(detail, 'step') : undefined;
    };
    return { advance, fraction: () => (to > from ? Math.min(1, (pos() - from) / (to - from)) : 1) };
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

  /** The end of a travel. */
  private arrive(detail: string, reason: Stop['reason']): Stop {
    return this.stop(reason, detail);
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
    this.interventions.length = 0;
    this.ivNext = 0;
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
   * first point: the boot state is always kept), or -1 when time travel is
   * off or nothing has run yet.
   */
  historyStart(): number {
    return this.checkpoints?.firstInstret() ?? -1;
  }

  /** The user's interventions up to now (what a saved session holds besides its point). */
  interventionsSoFar(): PlacedIntervention[] {
    return this.interventions.slice(0, this.ivNext);
  }

  /**
   * Takes interventions from a saved session, to be carried out as the run
   * passes their points (call before running, on a session at its start).
   */
  loadInterventions(list: readonly PlacedIntervention[]): void {
    if (this.interventions.length) throw new Error('The session already has interventions');
    this.interventions.push(...[...list].sort((a, b) => a.cycle - b.cycle));
    this.ivNext = 0;
  }

  /** The cycles of the checkpoints held, oldest first (for tests and the bench). */
  checkpointCycles(): number[] {
    return this.checkpoints?.cycles() ?? [];
  }

  /** Bytes held by checkpoints and the event history. */
  get travelMemory(): number {
    return (this.checkpoints?.memory ?? 0) + this.history.bytes;
  }

  /** Runs `fn` with breakpoints stopping the machine but not counted (reverse searches scan with it). */
  scanning<T>(fn: () => T): T {
    const mode = this.mode;
    this.mode = 'scan';
    try { return fn(); } finally { this.mode = mode; }
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

  /** Carries out an intervention (recorded when it is the user's). */
  private perform(a: Intervention): boolean {
    switch (a.kind) {
      case 'kill': return this.kill(a.env);
      case 'revoke': return this.revoke(a.env, a.what, a.count, a.window);
      case 'inject': return this.inject(a.packet, a.count, a.every) > 0;
      case 'console': return this.consoleInput(a.env, a.text);
    }
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
    this.interventions.length = this.ivNext;
    this.interventions.push({ ...at, action: a });
    for (const list of this.hits.values()) while (list.length && list[list.length - 1] > at.cycle) list.pop();
    this.ivNext++;
    return r;
  }

  /**
   * Asks the environment named `name` to give back `count` frames or slices
   * within `window` cycles (the abort protocol follows); false when it is
   * not alive or a revocation is already pending.
   */
  revoke(name: string, what: 'frames' | 'slices', count: number, window = 50_000): boolean {
    return this.intervene({ kind: 'revoke', env: name, what, count, window }, () => {
      const found = this.envByName(name);
      return !!found && found.kernel.revoke(found.env, what, count, window);
    }, (r) => r);
  }

  /**
   * Puts `count` frames on the wire towards the machine, `every` cycles
   * apart, starting now: raw bytes, or UDP datagrams from the peer host to
   * the machine's Ethernet address. Returns how many were queued (0 when a
   * UDP datagram is asked for and there is no peer to send it).
   */
  inject(packet: PacketSpec, count = 1, every = 100_000): number {
    return this.intervene({ kind: 'inject', packet, count, every }, () => {
      let frame: Uint8Array;
      if (packet.kind === 'hex') frame = parseHex(packet.bytes);
      else {
        const target = this.machine(packet.machine);
        if (!this.peer || !target) return 0;
        frame = ipv4udp({
          srcMac: this.peer.mac, dstMac: target.kernel.machine.lance.mac, srcIp: this.peer.ip, dstIp: packet.to,
          srcPort: packet.fromPort, dstPort: packet.port, payload: Buffer.from(packet.payload, 'latin1'),
        });
      }
      const now = this.kernel.now();
      for (let i = 0; i < count; i++) this.wire.inject(frame, now + i * every);
      return count;
    }, (n) => n > 0);
  }

  /** Queues console input for the environment named `name`; false when it is not alive. */
  consoleInput(name: string, text: string): boolean {
    return this.intervene({ kind: 'console', env: name, text }, () => {
      const found = this.envByName(name);
      if (!found || found.env.state === 'destroyed') return false;
      found.kernel.consoleInput(found.env, text);
      return true;
    }, (r) => r);
  }

  /** Destroys the environment named `name`; false when there is none alive. */
  kill(name: string): boolean {
    return this.intervene({ kind: 'kill', env: name }, () => {
      const found = this.envByName(name);
      if (!found || found.env.state === 'destroyed') return false;
      const { kernel, env } = found;
      if (kernel.current === env) kernel.saveContext(env, kernel.cpu.pc);
      kernel.destroyEnv(env, 'killed by the debugger');
      return true;
    }, (r) => r);
  }

  /**
   * The word at virtual address `va` as environment `env` (an environment or
   * its name; default: the one on the CPU) sees it, through the kernel's bindings; undefined when unmapped.
   */
  readWord(va: number, env: Env | string | undefined = this.kernel.current): number | undefined {
    if (typeof env === 'string') env = this.kernel.envs.get(this.envIds.get(env) ?? -1);
    return readWordOf(this.kernel, va, env);
  }
}

