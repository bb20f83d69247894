// `exoscope [tui] [scenario] [--record live.cast] [--gdb N]`: the TUI on a
// scenario's session, optionally recorded in real time, optionally served
// to gdb at the same time (src/gdb: gdb becomes the external controller of
// the TUI's LiveDebugger). Without a terminal it says so and points to
// `exoscope replay`.

import { CastFile, DEFAULT_PACE, openMonoDebugger, openScenarioDebugger, type HistoryOptions, type SavedSession, type Scenario, readSaved, RecordError, SavedSessionError, ScenarioError, ttyOutput } from '../session/index.js';
import { hasTerminal, noTerminalMessage, runTui } from '../tui/index.js';
import { gdbBesideTui, imagePaths } from '../gdb/index.js';
import type { LoadingScreen } from './loading.js';
import { openScenario } from './open.js';
import { CliError } from './run.js';

export { locate } from './open.js';

/** CPU time this process has used, in milliseconds (DebuggerOptions.cpuNow). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Options of `tuiCommand`. */
export interface TuiCliOptions {
  /** Record the session, as it happens, as an asciicast v2 file here. */
  readonly record?: string;
  /** Serve the session to gdb on 127.0.0.1 at this port too (src/gdb). */
  readonly gdb?: number;
  /** Reopen a session saved with `:save` (its scenario and point; `file` is then ignored). */
  readonly load?: string;
  /** The pace a run starts at (an index into PACES; default DEFAULT_PACE). */
  readonly pace?: number;
  /** MiB of disk the event history may use before it forgets its oldest events (default History's, 1 GiB). */
  readonly historyDisk?: number;
  /** The loading screen on the terminal (main.ts): told each step; the TUI's first frame replaces it, or it is left on an error. */
  readonly loading?: LoadingScreen;
}

/** The event history's bounds `o` asks for (--history-disk), or undefined for History's defaults. */
const historyLimits = (o: TuiCliOptions): HistoryOptions | undefined => (o.historyDisk === undefined ? undefined : { spillBytes: o.historyDisk * 2 ** 20 });

/**
 * Opens the TUI on scenario `file`, playing its timeline; returns the exit
 * status. A breakpoint the session cannot set (an unknown symbol) is said
 * in the TUI's message line and on stderr when it ends.
 */
export async function tuiCommand(file: string, stderr: (t: string) => void, o: TuiCliOptions = {}): Promise<number> {
  // What is said while the loading screen is on is printed once the terminal is back.
  const held: string[] = [];
  const say = (t: string) => { if (o.loading?.shown) held.push(t); else stderr(t); };
  try {
    return await tuiSession(file, say, o);
  } finally {
    o.loading?.leave();
    for (const t of held) stderr(t);
  }
}

async function tuiSession(file: string, stderr: (t: string) => void, o: TuiCliOptions): Promise<number> {
  if (!hasTerminal()) { stderr(`${noTerminalMessage()}\n`); return 2; }
  let opened;
  let title;
  let description;
  let images;
  try {
    o.loading?.step(`reading ${o.load ?? file}`);
    const saved = o.load === undefined ? undefined : readSaved(o.load);
    const sc = openScenario(saved?.scenario ?? file);
    o.loading?.retitle(sc.name);
    o.loading?.step(saved ? `booting ${sc.name} and replaying it to cycle ${saved.cycle}` : `booting ${sc.name}`);
    if (sc.mono && o.gdb === undefined) return await monoTui(sc, stderr, o, saved);
    opened = openScenarioDebugger(sc, { now: () => performance.now(), cpuNow, pace: o.pace ?? DEFAULT_PACE, frontEnd: { pause: (ms) => new Promise<void>((r) => setTimeout(r, ms)) } }, saved, true, historyLimits(o));
    title = sc.name;
    description = sc.description;
    images = imagePaths(sc);
  } catch (e) {
    if (e instanceof CliError) { stderr(`${e.message}\n`); return e.status; }
    if (e instanceof ScenarioError || e instanceof SavedSessionError) { stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  const { driver, run } = opened;
  const gdb = o.gdb === undefined ? undefined : await gdbBesideTui(run.session, images, o.gdb, driver);
  if (typeof gdb === 'string') { stderr(`${gdb}\n`); run.dispose(); return 2; }
  const notice = run.failures.length ? run.failures.join('; ') : undefined;
  const tui = (record?: (d: string) => void) => runTui({ driver, title, description, record, notice, onAltScreen: takeOver(o.loading) });
  try {
    const status = o.record === undefined ? await tui() : await recordLive(o.record, title, stderr, tui);
    for (const f of run.failures) stderr(`warning: ${f}\n`);
    return status;
  } finally {
    await gdb?.close();
    run.dispose();
  }
}

/** The TUI takes the screen from the loading screen, if one is on (its last step: loading the TUI itself); true when one was. */
function takeOver(loading: LoadingScreen | undefined): boolean {
  if (!loading?.shown) return false;
  loading.step('loading the TUI (Ink and React)');
  loading.handOver();
  return true;
}

/**
 * The TUI on a `kernel: monolithic` scenario: the same TUI over a
 * MonoDebugger (the monolithic kernel's session behind the Debugger
 * interface), at a saved point with `saved`. gdb is the exokernel session's
 * (openScenarioDebugger says so).
 */
async function monoTui(sc: Scenario, stderr: (t: string) => void, o: TuiCliOptions, saved: SavedSession | undefined): Promise<number> {
  let opened;
  try {
    opened = openMonoDebugger(sc, { now: () => performance.now(), cpuNow, pace: o.pace ?? DEFAULT_PACE }, saved, historyLimits(o));
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof SavedSessionError) { stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  const { driver } = opened;
  const tui = (record?: (d: string) => void) => runTui({ driver, title: sc.name, description: sc.description, record, onAltScreen: takeOver(o.loading) });
  try {
    return o.record === undefined ? await tui() : await recordLive(o.record, sc.name, stderr, tui);
  } finally {
    driver.dispose();
  }
}

/**
 * Runs the TUI (`run`) while writing everything it draws to a cast at
 * `path`, timed by the host clock. The cast is finished however the TUI
 * ends; returns the TUI's exit status, or 2 when `path` cannot be written.
 */
async function recordLive(path: string, title: string, stderr: (t: string) => void, run: (record: (d: string) => void) => Promise<number>): Promise<number> {
  let cast: CastFile;
  try {
    cast = new CastFile(path, {
      width: process.stdout.columns, height: process.stdout.rows, title, timestamp: Math.floor(Date.now() / 1000),
      env: { TERM: process.env.TERM ?? 'xterm-256color', SHELL: process.env.SHELL ?? '/bin/sh' },
    });
  } catch (e) {
    if (e instanceof RecordError) { stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  const t0 = performance.now();
  const status = await run((d) => cast.output((performance.now() - t0) * 1000, ttyOutput(d)));
  try {
    cast.finish();
  } catch (e) {
    if (e instanceof RecordError) { stderr(`${e.message}\n`); return status || 1; }
    throw e;
  }
  return status;
}
