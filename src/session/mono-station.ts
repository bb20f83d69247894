// A machine of a scenario's `machines:` that runs the monolithic kernel
// (src/mono) beside exokernel machines: a MonoSession (mono-session.ts)
// as a lock-step Station (lockstep.ts). The lock-step runs it quantum by
// quantum like any other machine, so both kernels share one timeline; the
// session's checkpoint store keeps its machine and RAM, and its own state
// (its events and console so far) rides in the lock-step's save. It is on
// the same Ethernet segment as the others (its LANCE is the machine's).
// Nothing here models its work: its time is its own instructions.

import type { ElfImage, Machine } from '../emu/index.js';
import type { MonoEvent } from '../monolithic/index.js';
import type { Checkpointed } from './checkpoints.js';
import type { History, HistoryOptions } from './history.js';
import type { Station } from './lockstep.js';
import { MonoSession, type MonoOwnState } from './mono-session.js';
import { monoSnapshotContext, type MonoSnapshotContext } from './mono-snapshot.js';

/** What a MonoStation is built from. */
export interface MonoStationSetup {
  readonly kernel: 'monolithic';
  readonly name: string;
  /** The kernel image (mono.elf). */
  readonly image: ElfImage;
  /** The first process's program and its arguments. */
  readonly args: readonly string[];
  readonly ramSize?: number;
  readonly cpuHz?: number;
  readonly mac?: readonly number[];
  /** Keep every event in the session's history (default true; a headless replay keeps none). */
  readonly history?: boolean;
  /** The history's bounds (SessionSetup.historyLimits). */
  readonly historyLimits?: HistoryOptions;
  /** Translated blocks or the interpreter alone (SessionSetup.translate). */
  readonly translate?: boolean;
}

/** The monolithic kernel on a machine besides the first; see the file comment. */
export class MonoStation implements Station {
  readonly name: string;
  readonly session: MonoSession;
  readonly checkpointed: Checkpointed;
  /** The symbols its snapshots need, found once. */
  readonly context: MonoSnapshotContext;
  readonly args: readonly string[];

  /** Boots the kernel with its first process. Throws Error when the image is not the monolithic kernel. */
  constructor(setup: MonoStationSetup) {
    this.name = setup.name;
    this.args = setup.args;
    this.session = new MonoSession({ image: setup.image, args: setup.args, ramSize: setup.ramSize, cpuHz: setup.cpuHz, mac: setup.mac, checkpointEvery: 0, history: setup.history, historyLimits: setup.historyLimits, translate: setup.translate });
    this.context = monoSnapshotContext(this.session);
    this.checkpointed = this.session.checkpointed;
  }

  get machine(): Machine {
    return this.session.machine;
  }

  /** Every event since boot (none in a headless replay), oldest first. */
  get history(): History<MonoEvent> {
    return this.session.history;
  }

  /** Everything the kernel wrote to the console. */
  get console(): string {
    return this.session.console;
  }

  /** Busy until the kernel halts the machine (its first process exited): its scheduler's idle loop is its own code. */
  get busy(): boolean {
    return !this.session.halted;
  }

  runTo(t: number): void {
    this.session.runTo(t);
  }

  readWord(va: number): number | undefined {
    return this.session.readWord(va);
  }

  save(): MonoOwnState {
    return this.session.saveOwn();
  }

  restore(state: unknown): void {
    this.session.restoreOwn(state as MonoOwnState);
  }

  holds(state: unknown): boolean {
    return (state as MonoOwnState).events >= this.session.history.first;
  }
}
