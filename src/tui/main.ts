// `exoscope tui`: the terminal around the App. It enters the alternate
// screen, renders, and leaves the alternate screen on every way out: q,
// Ctrl-C, SIGTERM, SIGHUP, an uncaught exception, an error while rendering.

import { EventEmitter } from 'node:events';
import type { Debugger } from '../session/index.js';
import { boundInkCachesOnLoad } from './ink-caches-module.js';
import { speedUpInk } from './ink-output.js';
import { FrameStdout } from './screen.js';

export interface TuiOptions {
  /** The machine (src/session's LiveDebugger); the TUI disposes of it when it ends. */
  readonly driver: Debugger;
  /** Shown at the left of the status line (the scenario's name, say). */
  readonly title: string;
  /** Shown in the message line at the start (a breakpoint the scenario could not set, say). */
  readonly notice?: string;
  /** The scenario's description, for the first screen. */
  readonly description?: string;
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  /** Called with everything written to the terminal, in order (for a recorder). */
  readonly record?: (data: string) => void;
  /** Where NO_COLOR is looked up (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The caller has switched to the alternate screen already (a loading
   * screen is on it): the first frame replaces what is there, with no
   * switch that would blank it first.
   */
  readonly onAltScreen?: boolean;
}

const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

/** Exit statuses for the ways out that are not q (128 + the signal's number, or 1). */
const SIGNAL_STATUS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** Whether the TUI can run on these streams: both must be terminals. */
export function hasTerminal(stdin: { isTTY?: boolean } = process.stdin, stdout: { isTTY?: boolean } = process.stdout): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}

/** What to print (to stderr, exit status 2) when there is no terminal to draw in. */
export function noTerminalMessage(): string {
  return 'exoscope tui needs a terminal (stdin and stdout must be TTYs); use `exoscope replay <scenario>` to run headless';
}

/** A stdout that hands every write to `record` too, and passes resizes on. */
class TeeStdout extends EventEmitter {
  readonly isTTY = true;
  constructor(private readonly real: NodeJS.WriteStream, private readonly record: (data: string) => void) {
    super();
    real.on('resize', () => this.emit('resize'));
  }
  get columns(): number { return this.real.columns; }
  get rows(): number { return this.real.rows; }
  write(data: string | Uint8Array, ...rest: unknown[]): boolean {
    this.record(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    return (this.real.write as (d: string | Uint8Array, ...r: unknown[]) => boolean)(data, ...rest);
  }
}

/**
 * Ink, React and the panes, imported (this module imports none of them
 * statically) with CI unset and NODE_ENV=production unless it is set:
 * Ink decides at import whether it runs in CI, and then draws only the
 * last frame (docs/reference/ink.md), but a person at a terminal wants live
 * frames; React picks its development build unless NODE_ENV says
 * production, and that build costs the emulator about a third of its speed
 * (bench/tui.mjs). With `forceColor` (the recorder), FORCE_COLOR=1 too:
 * chalk picks its color level at import from the terminal, and a cast
 * must come out the same whether made at a terminal or in CI (every level
 * from 1 up gives the same bytes for the theme's named colors). Without
 * the global fetch (hideFetch). The environment is put back afterwards.
 * No effect on a module already loaded. Ink's text caches are bounded
 * first (ink-caches-module.ts).
 */
export async function importUi(forceColor = false) {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION, NODE_ENV: process.env.NODE_ENV, FORCE_COLOR: process.env.FORCE_COLOR };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  if (forceColor) process.env.FORCE_COLOR = '1';
  const fetch = hideFetch();
  try {
    boundInkCachesOnLoad();
    const [ink, react, app, theme] = await Promise.all([import('ink'), import('react'), import('./app.js'), import('./theme.js'), speedUpInk()]);
    // React is CommonJS: its default export is module.exports (in Node and in the bundle, which gives it no named exports).
    return { ink, h: react.default.createElement, App: app.App, theme };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    if (fetch) Object.defineProperty(globalThis, 'fetch', fetch);
  }
}

/**
 * Takes the global fetch away until it is put back (the descriptor
 * returned): yoga-layout, Ink's layout engine, decodes its inline
 * WebAssembly with fetch() when there is one, and the first fetch loads
 * Node's HTTP client, about 0.1 s of the TUI's start (bench/tui.mjs, cold
 * start); without one, it decodes it itself.
 */
function hideFetch(): PropertyDescriptor | undefined {
  const d = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!d?.configurable) return undefined;
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  return d;
}

/**
 * Installs the process-wide ways out: SIGHUP, SIGINT and SIGTERM end the TUI
 * with 128 + the signal's number, an uncaught exception or rejection with 1;
 * `atExit` runs if the process exits anyway. Returns what removes them.
 */
function guardExits(finish: (status: number, error?: unknown) => void, atExit: () => void): () => void {
  const signals = Object.entries(SIGNAL_STATUS).map(([sig, status]) => [sig, () => finish(status)] as const);
  const onError = (e: unknown) => finish(1, e);
  for (const [sig, fn] of signals) process.on(sig, fn);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  process.on('exit', atExit);
  return () => {
    // Later, not now: signal-exit (Ink's) re-raises a signal that has no
    // listener but its own, which would kill the process before the
    // caller sees the status (and, say, saves a recording).
    setImmediate(() => { for (const [sig, fn] of signals) process.off(sig, fn); });
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    process.off('exit', atExit);
  };
}

/**
 * Runs the TUI on `driver` until the person quits; resolves with the exit
 * status (0 for q, 130 for Ctrl-C, 143 for SIGTERM, 1 after an error, which
 * is printed to stderr once the screen is restored). Precondition:
 * hasTerminal(stdin, stdout), unless the caller hands in its own streams.
 */
export async function runTui(opts: TuiOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const out = (opts.record ? new TeeStdout(stdout, opts.record) : stdout) as NodeJS.WriteStream;
  const { ink, h, App, theme: th } = await importUi().catch((e: unknown) => {
    if (opts.onAltScreen) out.write(SHOW_CURSOR + LEAVE_ALT);
    throw e;
  });
  const driver = opts.driver;
  const theme = th.makeTheme(th.colorWanted(opts.env ?? process.env));
  return new Promise<number>((resolve) => {
    let done = false;
    let instance: { unmount: () => void } | undefined;
    // Ink draws whole frames into `frames`, which writes only the changed rows (screen.ts).
    const frames = new FrameStdout(out);
    const finish = (status: number, error?: unknown) => {
      if (done) return;
      done = true;
      driver.dispose();
      instance?.unmount();
      frames.detach();
      unguard();
      out.write(SHOW_CURSOR + LEAVE_ALT);
      if (error !== undefined) process.stderr.write(`exoscope: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      resolve(status);
    };
    const unguard = guardExits(finish, () => { if (!done) stdout.write(SHOW_CURSOR + LEAVE_ALT); });
    // The first frame clears the screen itself, in the same synchronized update (screen.ts). A recording switches screens as the session did.
    if (!opts.onAltScreen) out.write(ENTER_ALT);
    else opts.record?.(ENTER_ALT);
    const tree = h(th.ThemeContext.Provider, { value: theme }, h(App, { driver, title: opts.title, notice: opts.notice, description: opts.description, onExit: (s: number) => finish(s) }));
    // Debug mode: Ink hands each whole frame to `frames` as React commits it
    // (no log-update, whose incremental mode drifts a row a frame: screen.ts).
    const ui = ink.render(tree, { stdout: frames as unknown as NodeJS.WriteStream, stdin, exitOnCtrlC: false, patchConsole: false, debug: true });
    instance = ui;
    // The timeline's steps due at boot (a key that starts the run, say);
    // keys wait in the debugger until the App listens.
    driver.begin();
    ui.waitUntilExit().then(() => finish(0), (e: unknown) => finish(1, e));
  });
}
