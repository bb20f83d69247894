// `exoscope record`: a scenario played through the TUI on a virtual
// terminal, written as an asciicast v2 in virtual time (docs/recording.md).
//
// Virtual time is the recorder's own clock, in whole microseconds; the host
// clock is never read, so the same scenario gives the same cast byte for
// byte. It moves in three ways only:
//   - emulated time: every cycle the machine runs adds 1/C second, C being
//     the scenario's record.cycles-per-second (default 1,000,000);
//   - a `pause` step adds its duration (the picture holds, the machine waits);
//   - each key of a `key` step adds KEY_MS after it is applied.
// While the machine runs, the driver runs one chunk per slice (chunkFor: a
// sixtieth of a virtual second, at most 10,000 cycles) and publishes a frame
// every 1/FPS virtual second. Keys are typed into a keyboard that Ink reads
// as a person's. Ink runs in its debug mode, which hands over each whole
// frame as soon as React commits it, so every frame lands in the cast at the
// virtual time it was drawn; the cast holds only the rows each frame changed
// (frameUpdate). Steps fire at their trigger inside the run (ScenarioRun),
// as in replay and the live TUI.

import { EventEmitter } from 'node:events';
import { CastFile, frameUpdate, openPlayable, RecordError, type Playable, type Scenario } from '../session/index.js';
import { checkKeyTrack, keyBytes, parseKeyText } from './keytrack.js';
import { MIN_COLS, MIN_ROWS } from './layout.js';
import { importUi } from './main.js';
import { RawStdin } from './raw-stdin.js';

/** Cycles the machine runs between two looks at the timeline, at `cps` cycles a virtual second. */
export function chunkFor(cps: number): number {
  return Math.max(100, Math.min(10_000, Math.ceil(cps / 60)));
}
/** Frames a virtual second while the machine runs. */
export const FPS = 15;
/** Virtual milliseconds each key of a key step takes. */
export const KEY_MS = 100;
/** Virtual milliseconds the last frame is held before the cast ends. */
export const END_MS = 2000;

export interface PlayOptions {
  readonly cols: number;
  readonly rows: number;
  /** Emulated cycles per virtual second (default: the scenario's record.cyclesPerSecond). */
  readonly cyclesPerSecond?: number;
  /** Receives each frame the TUI draws (its lines joined by "\n", styled), with its virtual time in microseconds. */
  readonly frame: (us: number, frame: string) => void;
  /** Ends the recording early with a RecordError. */
  readonly signal?: AbortSignal;
}

export interface PlayResult {
  /** Virtual microseconds at the end. */
  readonly us: number;
  readonly cycles: number;
  /** Why it ended: the status line's words, a cycle limit, or "quit". */
  readonly end: string;
  /** Steps that never fired (the machine stopped first), as "file:line". */
  readonly unfired: readonly string[];
  /** Breakpoints whose symbol is unknown. */
  readonly failures: readonly string[];
}

/** Virtual time: cycles run at `cps` a second, plus pauses and keys. Never goes back (step-back restores earlier cycles). */
class VirtualClock {
  private cycles = 0;
  private extraUs = 0;
  private last: number;

  constructor(private readonly cps: number, private readonly read: () => number) {
    this.last = read();
  }

  /** Now, in whole microseconds. */
  us(): number {
    return this.extraUs + Math.floor((this.cyclesRun() * 1e6) / this.cps);
  }

  /**
   * Milliseconds of emulated time alone, for the driver's frame pacing:
   * a pause between two slices is not time the slices or frames took.
   */
  runMs = (): number => (this.cyclesRun() * 1000) / this.cps;

  private cyclesRun(): number {
    const c = this.read();
    if (c > this.last) this.cycles += c - this.last;
    this.last = c;
    return this.cycles;
  }

  advance(ms: number): void {
    this.extraUs += Math.round(ms * 1000);
  }
}

/** The driver's slices, run when the recorder says (DriverOptions.schedule). */
class Slices {
  private queue: (() => void)[] = [];

  schedule = (fn: () => void): (() => void) => {
    this.queue.push(fn);
    return () => { this.queue = this.queue.filter((f) => f !== fn); };
  };

  /** Runs the next slice; false when none is waiting (the machine is stopped). */
  runNext(): boolean {
    const fn = this.queue.shift();
    fn?.();
    return fn !== undefined;
  }
}

/**
 * A keyboard for Ink: a terminal stdin in raw mode into which the recorder
 * types, so that keys reach the TUI the way a person's do (useInput).
 */
class Keyboard extends RawStdin {
  /** Types key `key` (keys.ts spelling). */
  press(key: string): void {
    this.type(keyBytes(key));
  }
}

/** Ink's cursor hiding and showing, which are not frames (the recorder hides the cursor itself). */
const CURSOR = /^\x1b\[\?25[hl]$/;

/**
 * A terminal of a fixed size for Ink in debug mode: each write is a whole
 * frame, handed to `sink`, except Ink's cursor hiding and showing.
 */
class VirtualStdout extends EventEmitter {
  readonly isTTY = true;
  constructor(readonly columns: number, readonly rows: number, private readonly sink: (frame: string) => void) {
    super();
  }
  write(data: string | Uint8Array): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    if (!CURSOR.test(text)) this.sink(text);
    return true;
  }
}

/**
 * Lets React commit and Ink draw what the last change asked for. React
 * renders a change a turn or two of the event loop later (through its
 * scheduler, which runs on setImmediate); no host timer is involved, so a
 * fixed number of turns gives the same frames every time.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < SETTLE_TURNS; i++) await new Promise<void>((r) => setImmediate(r));
}
const SETTLE_TURNS = 6;

/**
 * Throws RecordError when `sc` cannot be recorded at `cols`x`rows`: the
 * terminal is below 80x24, or a key of its key track is unknown (each
 * problem names the scenario's file and line).
 */
export function checkRecordable(sc: Scenario, cols: number, rows: number): void {
  if (!Number.isSafeInteger(cols) || !Number.isSafeInteger(rows) || cols < MIN_COLS || rows < MIN_ROWS) {
    throw new RecordError(`Cannot record at ${cols}x${rows}: the TUI needs a terminal of at least ${MIN_COLS}x${MIN_ROWS}`);
  }
  const problems = checkKeyTrack(sc);
  if (problems.length) throw new RecordError(problems.join('\n'));
}

/**
 * One playing of a scenario: its debugger (over the scenario's session and
 * ScenarioRun, or the monolithic kernel's session), the clock and the
 * keyboard. The debugger plays the timeline as in the live TUI; as its
 * front end, the player types the keys of `key` steps into the keyboard
 * and moves the clock on for `pause` steps.
 */
class Player {
  readonly clock: VirtualClock;
  readonly slices = new Slices();
  readonly keyboard = new Keyboard();
  readonly driver: Playable['driver'];
  exited = false;

  constructor(readonly sc: Scenario, private readonly signal: AbortSignal | undefined, cps: number) {
    const opened = openPlayable(sc, {
      now: () => this.clock.runMs(), chunk: chunkFor(cps), sliceMs: 0, publishHz: FPS, schedule: this.slices.schedule,
      frontEnd: { key: (keys) => this.type(keys), pause: (ms) => this.clock.advance(ms) },
    });
    this.driver = opened.driver;
    this.run = opened;
    this.cycles = opened.cycles;
    this.clock = new VirtualClock(cps, opened.cycles);
  }

  readonly run: Playable;
  readonly cycles: () => number;

  /** Plays the timeline and runs the machine until nothing more can happen; returns why it ended. */
  async loop(): Promise<string> {
    this.driver.begin();
    // A scenario with no key track plays to its end at its pace: the
    // recorder presses `c` as a person would, so every scenario gives a demo.
    if (!this.sc.timeline.some((st) => st.action.kind === 'key')) await this.type('c');
    for (;;) {
      if (this.signal?.aborted) throw new RecordError(`Recording of ${this.sc.file} interrupted`);
      if (this.exited) return 'quit';
      if (this.driver.waiting) { await this.driver.settled(); await settle(); continue; }
      if (!this.slices.runNext()) {
        const s = this.driver.getState();
        if (this.cycles() >= this.run.limit) return `cycle ${this.run.limit}`;
        return `${s.status.reason}: ${s.status.detail}`;
      }
      await settle();
    }
  }

  private async type(text: string): Promise<void> {
    const parsed = parseKeyText(text);
    if ('error' in parsed) throw new Error(`Key text ${JSON.stringify(text)} passed the check but cannot be read: ${parsed.error}`);
    await settle();
    for (const k of parsed.keys) {
      if (this.exited) return;
      this.keyboard.press(k);
      await settle();
      this.clock.advance(KEY_MS);
    }
  }

  dispose(): void {
    this.run.dispose();
  }
}

/**
 * Plays `sc` through the TUI on a virtual `cols`x`rows` terminal and hands
 * every frame it draws to `frame`, with its virtual time. A scenario with
 * no `key` step is started with `c` and runs to its end. Resolves when the
 * machine has stopped and no step can fire any more (or the run reached
 * its cycle limit, or a key quit). Throws RecordError for input that
 * cannot be recorded (checkRecordable) or when `signal` aborts it.
 */
export async function playScenario(sc: Scenario, opts: PlayOptions): Promise<PlayResult> {
  checkRecordable(sc, opts.cols, opts.rows);
  const p = new Player(sc, opts.signal, opts.cyclesPerSecond ?? sc.record.cyclesPerSecond);
  const { ink, h, App, theme } = await importUi(true);
  const out = new VirtualStdout(opts.cols, opts.rows, (f) => opts.frame(p.clock.us(), f));
  const tree = h(theme.ThemeContext.Provider, { value: theme.makeTheme(true) },
    h(App, { driver: p.driver, title: sc.name, onExit: () => { p.exited = true; } }));
  const ui = ink.render(tree, {
    stdout: out as unknown as NodeJS.WriteStream, stdin: p.keyboard as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false, patchConsole: false, debug: true,
  });
  let end: string;
  try {
    await settle();
    end = await p.loop();
    p.clock.advance(END_MS);
  } finally {
    p.dispose();
    ui.unmount();
    await settle();
  }
  return { us: p.clock.us(), cycles: p.cycles(), end, unfired: p.run.unfired(), failures: p.run.failures };
}

/** Options of recordScenario. */
export interface RecordOptions {
  readonly cols: number;
  readonly rows: number;
  readonly cyclesPerSecond?: number;
  readonly signal?: AbortSignal;
}

/**
 * Records `sc` as an asciicast v2 at `path` (see playScenario). Nothing is
 * written when the input is bad; the file appears, complete, only at the
 * end. Throws RecordError for bad input, an unwritable path or an abort.
 */
export async function recordScenario(sc: Scenario, path: string, opts: RecordOptions): Promise<PlayResult> {
  checkRecordable(sc, opts.cols, opts.rows);
  const title = sc.description ? `${sc.name}: ${sc.description}` : sc.name;
  const cast = new CastFile(path, { width: opts.cols, height: opts.rows, title, env: { TERM: 'xterm-256color', SHELL: '/bin/sh' } });
  let shown: string[] | undefined;
  const frame = (us: number, f: string) => {
    const lines = f.split('\n');
    cast.output(us, frameUpdate(shown, lines));
    shown = lines;
  };
  try {
    const r = await playScenario(sc, { ...opts, frame });
    // The cursor comes back on the last row, END_MS after the last frame.
    cast.output(r.us, `\x1b[${opts.rows};1H\x1b[?25h`);
    cast.finish();
    return r;
  } catch (e) {
    cast.abort();
    throw e;
  }
}
