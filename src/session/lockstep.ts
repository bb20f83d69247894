// The machines of a session besides the first (a scenario's `machines:`),
// each its own DECstation with its own kernel, RAM and seed, and the
// lock-step that keeps them in one timeline with the first. A Station is
// what the lock-step, the Ethernet segment and the checkpoints need of
// such a machine, whatever its kernel: a Companion runs an exokernel with
// its environments; a MonoStation (mono-station.ts) the monolithic kernel
// with its first process.
//
// Time is cut into quanta of QUANTUM cycles on a fixed grid. Before the
// first machine executes anything in the quantum [T - QUANTUM, T), every
// other machine has been run to T, one after the other in scenario order,
// each quantum whole, however the session's own runs are sliced (a
// debugger's slices, breakpoints, time travel): so what each companion does
// depends only on the frames it is given, and those come at exact cycles
// (ethernet.ts). A frame takes at least 480 cycles on the wire (an empty
// frame: FCS, preamble and gap at 10 Mb/s; a 60-byte frame 1,680), longer
// than a quantum plus the usual overshoot of a kernel entry charged whole
// past the quantum's end, so a frame that starts in one machine's quantum
// ends after every other machine's clock. One that does not (a receiver
// whose long kernel entry, an ASH near its 2,000-instruction budget, say,
// took it past the frame's end) is taken at once and counted in
// Ethernet.late: still the same on every run, but late by that much.

import type { ElfSymbol, Machine } from '../emu/index.js';
import { EnvCreateError, Kernel, type Env, type KernelOptions } from '../exokernel/index.js';
import { kernelCheckpointed, type Checkpointed } from './checkpoints.js';
import { History, type HistoryOptions } from './history.js';
import type { EnvSpec } from './machines.js';

/**
 * Events a session's kernel keeps in its ring (EventLog): what its readers
 * take from it (a snapshot's recent events, 1,000 by default; the 1,024 a
 * travel puts back; the boot events, under 200) with room to spare. The
 * session's history keeps every event; a longer ring would only keep each
 * event alive longer, through more of V8's young-generation collections.
 */
export const SESSION_EVENTS = 4096;

/** Cycles in one lock-step quantum (16 us at 25 MHz). */
export const QUANTUM = 400;

/** Environment names and ids of one machine, and its images' symbols. */
export interface EnvMaps {
  readonly envIds: Map<string, number>;
  readonly envNames: Map<number, string>;
  readonly symbols: Map<string, readonly ElfSymbol[]>;
}

/**
 * Creates the environments of `pending` (sorted by start) whose start cycle
 * has come, noting them in `maps`. One the kernel cannot create (no free
 * frames or slices) is an env-create-failed event, and the machine goes on
 * without it.
 */
export function startDue(kernel: Kernel, pending: EnvSpec[], maps: EnvMaps): void {
  while (pending.length && (pending[0].start ?? 0) <= kernel.now()) {
    const spec = pending.shift()!;
    // An environment that repeats (`every:`) is put back for its next start, after those starting with it.
    if (spec.every !== undefined) {
      const next = { ...spec, start: (spec.start ?? 0) + spec.every };
      const at = pending.findIndex((p) => (p.start ?? 0) > (next.start ?? 0));
      pending.splice(at < 0 ? pending.length : at, 0, next);
    }
    let id: number;
    try {
      id = kernel.createEnv(spec.image, spec.name, spec.args ?? [], { slices: spec.slices }).id;
    } catch (e) {
      if (e instanceof EnvCreateError) continue;
      throw e;
    }
    maps.envIds.set(spec.name, id);
    maps.envNames.set(id, spec.name);
    if (spec.image.symbols) maps.symbols.set(spec.name, spec.image.symbols);
  }
}

/** The word at virtual address `va` as `env` sees it through `kernel`'s bindings; undefined when unmapped or no environment. */
export function readWordOf(kernel: Kernel, va: number, env: Env | undefined): number | undefined {
  const pa = env ? kernel.translate(env, va & ~3) : -1;
  if (pa < 0) return undefined;
  return kernel.machine.bus.ram32[pa >>> 2] >>> 0;
}

/** A machine besides the first, as the lock-step runs it and checkpoints keep it. */
export interface Station {
  readonly name: string;
  readonly machine: Machine;
  /** True while it may still do something. */
  readonly busy: boolean;
  /** Runs it to cycle `t` at least (a kernel entry or instruction is not cut). */
  runTo(t: number): void;
  /** The word at virtual address `va` as the code on its CPU sees it; undefined when unmapped. */
  readWord(va: number): number | undefined;
  /** What the checkpoint store saves of it: its machine, RAM and kernel state. */
  readonly checkpointed: Checkpointed;
  /** Its own state besides that (for checkpoints), plain data. */
  save(): unknown;
  /** Restores what save() returned, after the checkpoint store restored its machine. */
  restore(state: unknown): void;
  /** Its event history: `first` is the first event it still holds (history.ts). */
  readonly history: { readonly first: number };
  /** Whether what save() returned can still be restored: its history holds the events from there on. */
  holds(state: unknown): boolean;
}

/** What a machine besides the first is built from. */
export interface CompanionSetup extends Pick<KernelOptions, 'ramSize' | 'cpuHz' | 'seed' | 'tickHz' | 'sliceTicks' | 'mac' | 'translate'> {
  readonly name: string;
  readonly envs: readonly EnvSpec[];
  /** Keep every event in `history` (default true; SessionSetup.history). */
  readonly history?: boolean;
  /** The history's bounds (SessionSetup.historyLimits). */
  readonly historyLimits?: HistoryOptions;
}

/** A machine besides the first running the exokernel: its kernel, environments and event history. */
export class Companion implements EnvMaps, Station {
  readonly kernel: Kernel;
  readonly envIds = new Map<string, number>();
  readonly envNames = new Map<number, string>();
  readonly symbols = new Map<string, readonly ElfSymbol[]>();
  /** Every event of this machine since boot. */
  readonly history: History;
  readonly name: string;
  private readonly pending: EnvSpec[];
  /** Its last run found nothing runnable and nobody waiting. */
  private idle = false;

  readonly checkpointed: Checkpointed;

  /** Boots the kernel and creates the environments that start at cycle 0. */
  constructor(readonly setup: CompanionSetup) {
    this.name = setup.name;
    this.history = new History(setup.historyLimits);
    this.kernel = new Kernel({ ramSize: setup.ramSize, cpuHz: setup.cpuHz, seed: setup.seed, tickHz: setup.tickHz, sliceTicks: setup.sliceTicks, mac: setup.mac, eventCapacity: SESSION_EVENTS, translate: setup.translate });
    this.checkpointed = kernelCheckpointed(this.kernel);
    if (setup.history !== false) this.kernel.log.subscribe((e) => this.history.push(e));
    this.pending = this.sorted();
    startDue(this.kernel, this.pending, this);
  }

  get machine(): Machine {
    return this.kernel.machine;
  }

  private sorted(): EnvSpec[] {
    return [...this.setup.envs].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  }

  /** True while it may still do something: an environment runnable, waiting, or still to start. */
  get busy(): boolean {
    return !this.idle || this.pending.length > 0;
  }

  /** Runs it to cycle `t` (at least: a kernel entry is charged whole); time passes idle when nothing can run. */
  runTo(t: number): void {
    const k = this.kernel;
    while (k.now() < t) {
      startDue(k, this.pending, this);
      const until = Math.min(t, this.pending.length ? Math.max(k.now() + 1, this.pending[0].start ?? 0) : t);
      const r = k.run(until - k.now());
      this.idle = r === 'idle';
      if (r === 'idle') k.machine.idleTo(until);
    }
  }

  /** The word at `va` as the environment on its CPU sees it; undefined when unmapped. */
  readWord(va: number): number | undefined {
    return readWordOf(this.kernel, va, this.kernel.current);
  }

  /** How many of its environments have been started, its history's length, whether it idles (for checkpoints). */
  save(): { started: number; events: number; idle: boolean } {
    return { started: this.setup.envs.length - this.pending.length, events: this.history.length, idle: this.idle };
  }

  holds(state: unknown): boolean {
    return (state as ReturnType<Companion['save']>).events >= this.history.first;
  }

  /** Restores what save() returned, after its kernel was restored. */
  restore(state: unknown): void {
    const s = state as ReturnType<Companion['save']>;
    this.pending.splice(0, this.pending.length, ...this.sorted().slice(s.started));
    this.idle = s.idle;
    this.history.truncate(s.events);
    this.kernel.log.rewind(s.events, this.history.slice(s.events - 1024, s.events));
  }
}

/** The lock-step of the machines besides the first: where they are on the grid. */
export class Lockstep {
  /** The cycle every station has been run to (a multiple of QUANTUM). */
  private horizonAt = 0;

  constructor(readonly companions: readonly Station[], private readonly quantum = QUANTUM) {}

  /** The cycle the companions have reached: the first machine may run up to it. */
  get horizon(): number {
    return this.horizonAt;
  }

  /**
   * Before the first machine runs at cycle `now`: runs the companions,
   * quantum by quantum, to the grid point after `now`. Returns that point.
   */
  catchUp(now: number): number {
    const target = (Math.floor(now / this.quantum) + 1) * this.quantum;
    while (this.horizonAt < target) {
      this.horizonAt += this.quantum;
      for (const c of this.companions) c.runTo(this.horizonAt);
    }
    return this.horizonAt;
  }

  /** True while some companion may still do something. */
  get busy(): boolean {
    return this.companions.some((c) => c.busy);
  }

  /** Where the lock-step is and each companion's own state (for checkpoints; the kernels are saved by the checkpoint store). */
  save(): { horizon: number; companions: unknown[] } {
    return { horizon: this.horizonAt, companions: this.companions.map((c) => c.save()) };
  }

  /** Whether every station can still be restored to what save() returned (Station.holds). */
  holds(s: { horizon: number; companions: unknown[] }): boolean {
    return this.companions.every((c, i) => c.holds(s.companions[i]));
  }

  /** Restores what save() returned, after the kernels were restored. */
  restore(s: { horizon: number; companions: unknown[] }): void {
    this.horizonAt = s.horizon;
    this.companions.forEach((c, i) => c.restore(s.companions[i]));
  }
}
