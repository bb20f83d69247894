// The timeline steps a LiveDebugger (debugger.ts) hands to its front end:
// a scenario's `key` and `pause` steps, carried out in order, and `break`
// steps, which stop the run. A key or pause that the front end takes time
// over (the recorder types keys one by one; the TUI waits out a pause)
// holds everything, the run's slices included, until it is done.

import type { FrontEnd } from './debugger-api.js';
import type { FrontEndStep } from './scenario-run.js';

/** What the steps need of their debugger. */
export interface StepHost {
  readonly frontEnd: FrontEnd | undefined;
  /** Holds the run's slices (`on`), or lets them go on. */
  hold(on: boolean): void;
  /** A `break` step fired: stop the run, if one is under way, saying `reason`. */
  brk(reason: string): void;
}

/** The queue of front-end steps; see the file comment. */
export class FrontEndSteps {
  private readonly queue: FrontEndStep[] = [];
  private readonly held: Promise<void>[] = [];
  private holding = false;
  private readonly keyListeners = new Set<(keys: string) => void>();
  /** Keys of `key` steps that came before anyone listened (the TUI subscribes once it is drawn). */
  private readonly unheard: string[] = [];

  constructor(private readonly host: StepHost) {}

  /** Calls `fn` with the keys of each `key` step (unless the front end types them itself); returns the unsubscribe function. */
  onKeys(fn: (keys: string) => void): () => void {
    this.keyListeners.add(fn);
    for (const k of this.unheard.splice(0)) fn(k);
    return () => this.keyListeners.delete(fn);
  }

  /**
   * Carries out `steps` after those queued, in order: a `break` ends the
   * run (the steps after it still happen, on the stopped machine), a key
   * or pause that the front end takes time over holds everything until it
   * is done.
   */
  push(steps: readonly FrontEndStep[]): void {
    this.queue.push(...steps);
    this.drain();
  }

  private drain(): void {
    while (this.queue.length && !this.holding) {
      const st = this.queue.shift()!;
      if (st.kind === 'break') { this.host.brk(st.reason); continue; }
      const done = this.carryOut(st);
      if (!done) continue;
      this.holding = true;
      this.host.hold(true);
      this.held.push(done.then(() => {
        this.holding = false;
        this.drain();
        if (!this.holding) this.host.hold(false);
      }));
    }
  }

  /** A key or pause step: to the front end, or keys to the onKeys listeners; a promise when the run must wait. */
  private carryOut(st: Exclude<FrontEndStep, { kind: 'break' }>): Promise<void> | undefined {
    const fe = this.host.frontEnd;
    let r: void | Promise<void> = undefined;
    if (st.kind === 'pause') r = fe?.pause?.(st.ms);
    else if (fe?.key) r = fe.key(st.keys, st.source);
    else if (this.keyListeners.size) for (const fn of this.keyListeners) fn(st.keys);
    else this.unheard.push(st.keys);
    return r instanceof Promise ? r : undefined;
  }

  /** Resolves when no step holds the run (for the recorder). */
  async settled(): Promise<void> {
    while (this.held.length) await this.held.shift();
  }

  /** True while a step holds the run. */
  get waiting(): boolean {
    return this.holding;
  }

  /** Forgets the queued steps and any hold (the scenario restarts). */
  reset(): void {
    this.queue.length = 0;
    this.holding = false;
    this.host.hold(false);
  }

  /** Forgets the key listeners. */
  dispose(): void {
    this.keyListeners.clear();
  }
}
