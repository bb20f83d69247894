// `exoscope [tui] [scenario] [--record live.cast]`: the TUI on a scenario's
// session, optionally recorded in real time. Without a terminal it says so
// and points to `exoscope replay`.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CastFile, loadScenario, RecordError, ScenarioError, sessionFromScenario, toBreakpoint, ttyOutput } from './session/index.js';
import { hasTerminal, noTerminalMessage, runTui } from './tui/index.js';

/** The project's own copy of a bundled scenario, when `file` is not found from the current folder. */
export function locate(file: string): string {
  if (existsSync(file)) return file;
  const bundled = join(dirname(fileURLToPath(import.meta.url)), '..', file);
  return existsSync(bundled) ? bundled : file;
}

/** Options of `tuiCommand`. */
export interface TuiCliOptions {
  /** Record the session, as it happens, as an asciicast v2 file here. */
  readonly record?: string;
}

/** Opens the TUI; returns the exit status. */
export async function tuiCommand(file: string, stderr: (t: string) => void, o: TuiCliOptions = {}): Promise<number> {
  if (!hasTerminal()) { stderr(`${noTerminalMessage()}\n`); return 2; }
  let session;
  let title;
  let description;
  try {
    const sc = loadScenario(locate(file));
    session = sessionFromScenario(sc, { checkpointEvery: 2_000_000 });
    for (const b of sc.breakpoints) { const bp = toBreakpoint(session, b); if (bp) session.addBreakpoint(bp); }
    session.playTimeline(sc.timeline);
    title = sc.name;
    description = sc.description;
  } catch (e) {
    if (e instanceof ScenarioError) { stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  if (o.record === undefined) return runTui({ session, title, description });
  return recordLive(o.record, title, stderr, (record) => runTui({ session, title, description, record }));
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
