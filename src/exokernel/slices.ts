// The time-slice vector (Aegis paper, sec. 5.3 "Processor time";
// docs/architecture.md, "The exokernel"): 128 slots, each owned by an environment or free,
// allocated like pages and by position (adjacent slots for throughput,
// spread slots for latency). Round robin runs over the vector. Pure data and
// search here; what happens at a slice's start and end is in sched.ts.

import { SLICES } from './abi.js';

/** Why a slot allocation failed. */
export type SliceRefusal = 'inval' | 'busy' | 'nospc';

/** The vector and the position of the slice being run. */
export class SliceVector {
  /** Owner environment id per slot, 0 when free. */
  readonly owner = new Int32Array(SLICES);
  /** The slot whose slice is running (or ran last). */
  current = SLICES - 1;
  /** Clock ticks left in the running slice. */
  ticksLeft = 0;
  /** 'run' normally; 'epilogue' from the epilogue upcall until the owner yields or its grace ends. */
  phase: 'run' | 'epilogue' = 'run';
  /** Cycle at which the epilogue's grace period ends (Infinity outside one). */
  graceDeadline = Infinity;

  /**
   * Allocates `count` slots to `env`: from `first` (or anywhere when -1),
   * `spacing` apart (0: any free slots; 1: adjacent; k: every k-th, wrapping).
   * Returns the slots, or why not. Allocates nothing on failure.
   */
  alloc(env: number, first: number, count: number, spacing: number): number[] | SliceRefusal {
    if (!Number.isInteger(count) || count < 1 || count > SLICES || !Number.isInteger(spacing) || spacing < 0 || spacing >= SLICES) return 'inval';
    if (first !== -1 && (!Number.isInteger(first) || first < 0 || first >= SLICES)) return 'inval';
    let picked: number[] | undefined;
    if (spacing === 0) {
      const free = [...this.owner.keys()].filter((i) => this.owner[i] === 0);
      const start = first === -1 ? 0 : first;
      picked = free.filter((i) => i >= start).concat(free.filter((i) => i < start)).slice(0, count);
      if (picked.length < count) return 'nospc';
    } else {
      const starts = first === -1 ? [...this.owner.keys()] : [first];
      for (const s of starts) {
        const run = Array.from({ length: count }, (_, i) => (s + i * spacing) % SLICES);
        if (new Set(run).size === count && run.every((i) => this.owner[i] === 0)) { picked = run; break; }
      }
      if (!picked) return first === -1 ? 'nospc' : 'busy';
    }
    for (const i of picked) this.owner[i] = env;
    return picked;
  }

  /** Frees every slot of `env`; returns them. */
  freeAll(env: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < SLICES; i++) if (this.owner[i] === env) { this.owner[i] = 0; out.push(i); }
    return out;
  }

  /** The slots `env` owns. */
  slotsOf(env: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < SLICES; i++) if (this.owner[i] === env) out.push(i);
    return out;
  }

  /** The next slot after `current` (wrapping, `current` itself last) whose owner `runnable` accepts; -1 if none. */
  next(runnable: (env: number) => boolean): number {
    for (let d = 1; d <= SLICES; d++) {
      const i = (this.current + d) % SLICES;
      if (this.owner[i] !== 0 && runnable(this.owner[i])) return i;
    }
    return -1;
  }

  /** Plain data for checkpoints. */
  save(): { owner: Int32Array; current: number; ticksLeft: number; phase: 'run' | 'epilogue'; graceDeadline: number } {
    // A typed copy: a checkpoint compares and keeps it as bytes, not as 128 numbers.
    return { owner: this.owner.slice(), current: this.current, ticksLeft: this.ticksLeft, phase: this.phase, graceDeadline: this.graceDeadline };
  }

  /** Restores what `save()` returned. */
  restore(s: ReturnType<SliceVector['save']>): void {
    this.owner.set(s.owner);
    this.current = s.current;
    this.ticksLeft = s.ticksLeft;
    this.phase = s.phase;
    this.graceDeadline = s.graceDeadline;
  }
}
