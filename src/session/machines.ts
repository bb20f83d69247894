// The machines of one session (docs/architecture.md, "The session"): what a
// session is built from (SessionSetup), its bring-up (the first machine's
// kernel and environments, the machines besides it in lock-step, the
// Ethernet joining them and the simulated peer host), environments found by
// name on whichever machine runs them, and the machines' part of a
// checkpoint. Session (session.ts) is built on it.

import type { ElfSymbol } from '../emu/index.js';
import { Kernel, type Env, type EnvImage, type Seed } from '../exokernel/index.js';
import { Ethernet, PeerHost, Wire, type EtherLink } from '../net/index.js';
import type { CheckpointLimits } from './checkpoints.js';
import type { HistoryOptions } from './history.js';
import { Companion, Lockstep, SESSION_EVENTS, startDue, type CompanionSetup, type EnvMaps, type Station } from './lockstep.js';
import { MonoStation, type MonoStationSetup } from './mono-station.js';

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
  /** Cycles between automatic checkpoints near now (default CHECKPOINT_EVERY, checkpoint-every.ts; sparser further back); 0 turns them off. */
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
  /** Bounds of every machine's event history: bytes in memory, bytes of its spill file (history.ts; default History's). */
  readonly historyLimits?: HistoryOptions;
  /**
   * Run hot code as translated blocks on every machine (default true);
   * false runs every instruction in the interpreter, the reference
   * (`exoscope replay --engine interpret`). The run is the same either way.
   */
  readonly translate?: boolean;
}

/** The machines' part of a checkpoint. */
export interface MachinesState {
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
}

/** An exokernel machine as the session names it: its kernel and environment maps. */
export interface NamedMachine {
  readonly kernel: Kernel;
  readonly envIds: ReadonlyMap<string, number>;
  readonly envNames: ReadonlyMap<number, string>;
}

/** A session's machines: the first, those besides it, and the Ethernet between them. */
export class SessionMachines implements EnvMaps {
  readonly kernel: Kernel;
  /** Environment ids by scenario name and back. */
  readonly envIds = new Map<string, number>();
  readonly envNames = new Map<number, string>();
  readonly symbols = new Map<string, readonly ElfSymbol[]>();
  /** The Ethernet outside the machine (one machine's Wire, or the segment of several): injected and captured frames, and the peer host. */
  readonly wire: EtherLink;
  readonly peer: PeerHost | undefined;
  /** The machines besides the first, in scenario order, whatever their kernel (none for a one-machine session). */
  readonly stations: readonly Station[];
  /** The machines besides the first that run the exokernel. */
  readonly companions: readonly Companion[];
  protected readonly lockstep: Lockstep | undefined;
  /** The first machine's environments still to create, in start order. */
  protected readonly pending: EnvSpec[];

  /** Boots the kernels (the machines besides the first create their cycle-0 environments; startDue creates the first's). */
  constructor(readonly setup: SessionSetup) {
    this.kernel = new Kernel({ ramSize: setup.ramSize, cpuHz: setup.cpuHz, seed: setup.seed, tickHz: setup.tickHz, sliceTicks: setup.sliceTicks, mac: setup.mac, eventCapacity: SESSION_EVENTS, translate: setup.translate });
    const shared = { historyLimits: setup.historyLimits, translate: setup.translate };
    this.stations = (setup.companions ?? []).map((c) => ('kernel' in c ? new MonoStation({ ...c, ...shared }) : new Companion({ ...c, ...shared })));
    this.companions = this.stations.filter((c): c is Companion => c instanceof Companion);
    if (this.stations.length) {
      this.lockstep = new Lockstep(this.stations);
      this.wire = new Ethernet([{ name: setup.name ?? 'first', machine: this.kernel.machine }, ...this.stations]);
    } else this.wire = new Wire(this.kernel.machine);
    if (setup.peer !== null) {
      this.peer = new PeerHost({ ...(setup.peer ?? { ip: '10.0.0.1', mac: '02:00:00:00:00:01' }), echoPort: 7 });
      this.wire.attach(this.peer);
    }
    this.pending = [...setup.envs].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  }

  /** Creates the first machine's environments whose start cycle has come (lockstep.ts, startDue). */
  protected startDue(): void {
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
  machine(machine: string | undefined): NamedMachine | undefined {
    if (machine === undefined || machine === this.machineName) return this;
    return this.companions.find((c) => c.name === machine);
  }

  /** The environment named `name` (alive or not) and its kernel, on whichever machine it is. */
  envByName(name: string): { kernel: Kernel; env: Env } | undefined {
    for (const m of [this, ...this.companions]) {
      const env = m.kernel.envs.get(m.envIds.get(name) ?? -1);
      if (env) return { kernel: m.kernel, env };
    }
    return undefined;
  }

  /** The name of the environment on the first machine's CPU, if any. */
  currentName(): string | undefined {
    const c = this.kernel.current;
    return c ? this.envNames.get(c.id) : undefined;
  }

  /** The machines' state that checkpoints must carry. */
  protected saveMachines(): MachinesState {
    return {
      pending: this.pending.map((p) => [this.specIndex(p), p.start ?? 0] as const), envIds: [...this.envIds], wire: this.wire.save(),
      peer: this.peer && { ...this.peer.answered }, machines: this.lockstep?.save(),
    };
  }

  /** Restores what saveMachines returned, after the checkpoint store restored the kernels. */
  protected restoreMachines(saved: MachinesState): void {
    this.pending.splice(0, this.pending.length, ...saved.pending.map(([i, start]) => ({ ...this.setup.envs[i], start })));
    this.envIds.clear();
    for (const [name, id] of saved.envIds) this.envIds.set(name, id);
    this.wire.restore(saved.wire);
    if (this.peer && saved.peer) Object.assign(this.peer.answered, saved.peer);
    if (saved.machines) this.lockstep?.restore(saved.machines);
  }

  /** The index in the setup of the spec `p` is (or repeats: the same name and image). */
  private specIndex(p: EnvSpec): number {
    const i = this.setup.envs.findIndex((e) => e === p || (e.name === p.name && e.image === p.image));
    if (i < 0) throw new Error(`Environment ${p.name} is not one of the session's`);
    return i;
  }
}
