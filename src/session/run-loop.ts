// The run loop of a LiveDebugger (debugger.ts): work done in slices
// between host events, at a pace, with frames on a wall-clock cadence.
//
// Work (a run, a long step, a time travel) is a function called again and
// again until it returns a stop. Calls are grouped into slices of at most
// `sliceMs` host milliseconds; between slices the event loop reads keys,
// draws and writes (docs/reference/ink.md, "Driving the emulator"), so a
// key waits for at most one slice. A paced run (pace.ts) executes only the
// cycles its pace allows by now and waits for the host clock for more.
//
// Frames (the debugger's publish: a snapshot that React and Ink draw after
// the slice returns) are paced by wall time: one is due when `publishMs`
// passed since the last and the process has used UI_SHARE's worth of
// CPU since (what the last frames cost, over UI_SHARE: frames take about
// 3% of the CPU this process gets), and at the latest on a grid of
// MAX_FRAME_GAP_MS whatever a frame costs: a frame that comes late (the
// rest of a slice, a draw stretched by other processes) does not push the
// next one back, so frames keep to the grid on average, about eleven a
// second, on a quiet host and a busy one alike, and no more than that when
// they are expensive (a frame costs the emulator more CPU than its own
// drawing: bench/tui.mjs). The host clock decides only when work is done
// and shown, never what the machine does: slices end between calls of the work, and
// the machine runs the same cycles in the same order however its run is
// sliced (test/session/pace.test.ts).

import type { Stop } from './session.js';
import { paceCyclesPerSecond } from './pace.js';

/** One call's worth of sliced work: a stop when the work is done. */
export type Work = () => Pick<Stop, 'reason' | 'detail'> | undefined;

/**
 * While running, the share of the CPU that frames (snapshot, React, Ink)
 * may take when frames are cheap enough to come more often than the grid
 * (MAX_FRAME_GAP_MS) brings them, up to `publishMs`: a frame that costs
 * 2.4 ms is published at most every 80 ms of CPU time. A frame costs the
 * emulator more than this measures, about twice as much at 120x40 (the
 * garbage it leaves is collected later, in the emulator's time, and the
 * emulator's own code and data are out of the caches after it), and the
 * emulator is to keep 90% of its headless speed (bench/tui.mjs): a tenth
 * here left it about 85%; a twentieth gave the savings of cheaper frames
 * back as more frames.
 */
const UI_SHARE = 0.03;

/**
 * The period of the frames' grid while work runs: each frame falls due at
 * the latest one period after the last was due (not after it came), so
 * 90 ms gives about 11 frames a second whatever the lateness of each
 * (docs/reference/ink.md, "Render cost": 10-15 Hz). The gap from a frame
 * on the grid to the next is at least a quarter period: lateness up to
 * three quarters (several slices, or a draw stretched by a busy host) is
 * made up.
 */
export const MAX_FRAME_GAP_MS = 90;

/** setTimeout as a DebuggerOptions.delay. */
function later(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}

/** setImmediate as a DebuggerOptions.schedule. */
function immediately(fn: () => void): () => void {
  const t = setImmediate(fn);
  return () => clearImmediate(t);
}

/** What a RunLoop is made with (the host's clocks and timers come from DebuggerOptions; the timers default to setImmediate and setTimeout). */
export interface RunLoopOptions {
  readonly now: () => number;
  readonly cpuNow: () => number;
  readonly schedule?: (fn: () => void) => () => void;
  readonly delay?: (fn: () => void, ms: number) => () => void;
  readonly sliceMs: number;
  readonly publishMs: number;
  /** The pace a run starts at (an index into PACES). */
  readonly pace: number;
  /** The machine's clock rate and its cycle counter, for pacing. */
  readonly cpuHz: () => number;
  readonly cycle: () => number;
  /** Draws a frame (the debugger publishes a snapshot). */
  readonly frame: () => void;
  /** The work returned `stop`: the debugger ends it (stop(), then publishes). */
  readonly stopped: (stop: Pick<Stop, 'reason' | 'detail'>) => void;
}

/** Sliced work for a LiveDebugger; see the file comment. */
export class RunLoop {
  private work: Work | undefined;
  private cancelTick: (() => void) | undefined;
  /** Set while a front-end step (a key or pause) is being carried out: no slice runs. */
  private held = false;
  /** The pace (an index into PACES). */
  pace: number;
  /** Set for a paced run (continue): its slices wait for the host clock. */
  private paced = false;
  /** Where the paced run's clock started: host time and machine cycle (unset until its first slice). */
  private paceFrom: { host: number; cycle: number } | undefined;
  private lastFrame = -Infinity;
  private lastFrameCpu = -Infinity;
  /** When the next frame falls due at the latest (the grid: see MAX_FRAME_GAP_MS). */
  private frameDeadline = -Infinity;
  /**
   * CPU milliseconds a frame takes, smoothed: from the end of the work in
   * a slice that published (the snapshot) to the next slice, since React
   * and Ink draw after the slice returns (microtasks and timers).
   */
  private frameCost = 0;
  /** CPU time at the end of the last slice's work (before its frame, if any). */
  private sliceEnd = 0;
  private measuring = false;

  private readonly schedule: (fn: () => void) => () => void;
  private readonly delay: (fn: () => void, ms: number) => () => void;

  constructor(private readonly o: RunLoopOptions) {
    this.pace = o.pace;
    this.schedule = o.schedule ?? immediately;
    this.delay = o.delay ?? later;
  }

  /** Whether work is under way (held or not). */
  get busy(): boolean {
    return this.work !== undefined;
  }

  /** Starts `work` (replacing any), its first slice soon; `paced` work waits for the host clock (pace.ts). */
  start(work: Work, paced: boolean): void {
    this.cancelTick?.();
    this.work = work;
    this.paced = paced;
    this.paceFrom = undefined;
    this.cancelTick = this.schedule(this.tick);
  }

  /** Ends the work, if any: no slice of it runs after this. */
  stop(): void {
    this.work = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
  }

  /** Holds the slices while a front-end step is carried out, or lets them go on. */
  hold(on: boolean): void {
    this.held = on;
    if (!on && this.work && this.cancelTick === undefined) this.cancelTick = this.schedule(this.tick);
  }

  /** Whether slices are held. */
  get holding(): boolean {
    return this.held;
  }

  /** Sets the pace; a paced run goes on at it from now. */
  setPace(index: number): void {
    this.pace = index;
    this.paceFrom = undefined;
  }

  /** Notes that a frame was published now (by a slice or by a command), for the cadence. */
  framed(): void {
    const t = this.o.now();
    // On the grid one period after the frame was due; a frame more than a period late (the run paused or the host starved it) starts it afresh.
    const onGrid = t >= this.frameDeadline && t - this.frameDeadline < MAX_FRAME_GAP_MS;
    this.frameDeadline = onGrid ? Math.max(this.frameDeadline + MAX_FRAME_GAP_MS, t + MAX_FRAME_GAP_MS / 4) : t + MAX_FRAME_GAP_MS;
    this.lastFrame = t;
    this.lastFrameCpu = this.o.cpuNow();
  }

  /**
   * Cycles the paced run may still execute now (Infinity at maximum pace
   * or for work that is not paced). A run that fell behind by more than a
   * quarter second is let go from where it is, not made to catch up.
   */
  allowance(): number {
    const cps = paceCyclesPerSecond(this.pace, this.o.cpuHz());
    if (!this.paced || cps === Infinity) return Infinity;
    const host = this.o.now(), cycle = this.o.cycle();
    this.paceFrom ??= { host, cycle };
    const due = this.paceFrom.cycle + ((host - this.paceFrom.host) / 1000) * cps - cycle;
    if (due > cps / 4) this.paceFrom = { host, cycle: cycle - cps / 4 };
    return Math.floor(Math.min(due, cps / 4));
  }

  /** Host milliseconds until the paced run may go on: until a cycle is due, at most a frame. */
  private waitMs(): number {
    const cps = paceCyclesPerSecond(this.pace, this.o.cpuHz());
    const a = this.allowance();
    if (a >= 1) return 0;
    return Math.max(1, Math.min(this.o.publishMs, ((1 - a) / cps) * 1000));
  }

  /** Whether a frame is due now (the file comment says when). */
  private frameDue(): boolean {
    const t = this.o.now();
    if (t >= this.frameDeadline) return true;
    return t - this.lastFrame >= this.o.publishMs && this.o.cpuNow() - this.lastFrameCpu >= this.frameCost / UI_SHARE;
  }

  /** One slice: work until a stop, the slice's time, a hold or the pace's allowance; then maybe a frame, and the next slice. */
  private tick = (): void => {
    this.cancelTick = undefined;
    const work = this.work;
    if (!work || this.held) return;
    const t0 = this.o.now();
    if (this.measuring) {
      const cost = this.o.cpuNow() - this.sliceEnd;
      this.frameCost = this.frameCost ? 0.75 * this.frameCost + 0.25 * cost : cost;
      this.measuring = false;
    }
    let stop: Pick<Stop, 'reason' | 'detail'> | undefined;
    const going = (): boolean => this.work === work && !this.held;
    while (this.allowance() >= 1) {
      stop = work();
      if (stop || !going() || this.o.now() - t0 >= this.o.sliceMs) break;
    }
    if (stop) return this.o.stopped(stop);
    if (!going()) return;
    const wait = this.waitMs();
    if (this.frameDue()) {
      // A frame's cost counts its snapshot too.
      this.sliceEnd = this.o.cpuNow();
      this.o.frame();
      // A paced run's wait is not the cost of drawing.
      this.measuring = wait === 0;
    }
    this.cancelTick = wait > 0 ? this.delay(this.tick, wait) : this.schedule(this.tick);
  };
}
