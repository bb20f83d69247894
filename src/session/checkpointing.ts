// When a session takes its checkpoints (docs/architecture.md, "Time
// travel"): the first at the session's first point, then one a spacing
// after the latest taken or restored, laid densely where a travel's replay
// lands. What a checkpoint holds and how it is kept is the store's
// (checkpoints.ts); what of the session's own state it carries is the
// session's (Session.sessionState, MonoSession's own state).

import type { Kernel } from '../exokernel/index.js';
import { CheckpointStore, type CheckpointLimits, type CheckpointTarget, type Checkpointed } from './checkpoints.js';
import { num } from './format.js';

/** A session's checkpoint store and the spacing of what it takes. */
export class Checkpointing {
  private readonly store: CheckpointStore;
  /** The cycle of the latest checkpoint (taken or restored): the next is due a spacing after it (due). */
  private last = 0;
  /** The cycle a travel's replay is heading for (about, for an instruction count), while it replays. */
  landing: number | undefined;

  /**
   * A store over `kernels` (the first machine's first), a checkpoint about
   * every `every` cycles near now by `clock` (the first machine's: an
   * exokernel, or anything with its cycle counter).
   */
  constructor(private readonly clock: { now(): number }, kernels: readonly (Kernel | Checkpointed)[], private readonly every: number, limits?: CheckpointLimits) {
    this.store = new CheckpointStore(kernels, every, limits);
  }

  /** Takes the checkpoint of the session's first point, with `state()`, unless one was taken. */
  takeFirst(state: () => unknown): void {
    if (this.store.count > 0) return;
    this.take(state);
  }

  /** Takes a checkpoint when one is due (see due). */
  takeIfDue(state: () => unknown): void {
    if (this.clock.now() < this.due()) return;
    this.take(state);
  }

  private take(state: () => unknown): void {
    this.store.take(state());
    this.last = this.clock.now();
  }

  /**
   * When the next checkpoint is due: `every` cycles after the latest; over
   * the last stretch of a travel's replay five times as often, and for a
   * short replay (a step back) one only, a tenth of the spacing before
   * where it lands: stepping back again from there replays little, and
   * the step back itself takes one checkpoint at most.
   */
  due(): number {
    const every = this.every, ahead = this.landing === undefined ? Infinity : this.landing - this.last;
    const near = Math.max(1, Math.floor(every / 10));
    if (ahead <= every) return ahead > 2 * near ? this.landing! - near : this.last + every;
    return this.last + (ahead < 5 * every ? Math.max(1, Math.floor(every / 5)) : every);
  }

  /** Restores the latest checkpoint at or before `t` and returns the session's state it carried; undefined when there is none. */
  restoreBefore(t: CheckpointTarget): unknown {
    const saved = this.store.restoreBefore(t);
    if (saved !== undefined) this.last = this.clock.now();
    return saved;
  }

  /** Some checkpoints were dropped because the event history forgot what came before them (dropBefore). */
  private dropped = false;
  /** The histories' horizon dropBefore last matched the checkpoints to. */
  private horizon = 0;

  /**
   * Drops the checkpoints whose state fails `keep`, oldest first, the first
   * point too (CheckpointStore.dropBefore): the session's event histories
   * have forgotten the events before them (history.ts). `horizon` says
   * where they stand (the sum of their `first`, which only grows): nothing
   * is looked at while it has not moved.
   */
  dropBefore(horizon: number, keep: (state: unknown) => boolean): void {
    if (horizon === this.horizon) return;
    this.horizon = horizon;
    if (this.store.dropBefore(keep)) this.dropped = true;
  }

  /**
   * Why travel cannot reach `t` once checkpoints were dropped (dropBefore):
   * it is before the first one kept, or none is kept. Undefined when it can
   * (the boot state, kept until then, reaches every point).
   */
  unreachable(t: CheckpointTarget): string | undefined {
    if (!this.dropped) return undefined;
    const why = 'the event history keeps the newest events and forgot the older ones (its spill file is full)';
    const cycle = this.store.cycles()[0];
    if (cycle === undefined) return `no checkpoint is that early: ${why}, and none has been taken since`;
    if ('cycle' in t ? t.cycle < cycle : t.instret < this.store.firstInstret()) return `time travel reaches back to cycle ${num(cycle)} only: ${why}`;
    return undefined;
  }

  /** The instruction count of the first checkpoint, or -1 when none is taken yet. */
  firstInstret(): number {
    return this.store.firstInstret();
  }

  /** The cycles of the checkpoints held, oldest first. */
  cycles(): number[] {
    return this.store.cycles();
  }

  /** Bytes the checkpoints hold. */
  get memory(): number {
    return this.store.memory;
  }
}
