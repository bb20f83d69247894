// `exoscope [tui] [scenario]`: the TUI on a scenario's session. Without a
// terminal it says so and points to `exoscope replay`.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, ScenarioError, sessionFromScenario, toBreakpoint } from './session/index.js';
import { hasTerminal, noTerminalMessage, runTui } from './tui/index.js';

/** The project's own copy of a bundled scenario, when `file` is not found from the current folder. */
function locate(file: string): string {
  if (existsSync(file)) return file;
  const bundled = join(dirname(fileURLToPath(import.meta.url)), '..', file);
  return existsSync(bundled) ? bundled : file;
}

/** Opens the TUI; returns the exit status. */
export async function tuiCommand(file: string, stderr: (t: string) => void): Promise<number> {
  if (!hasTerminal()) { stderr(`${noTerminalMessage()}\n`); return 2; }
  let session;
  let title;
  try {
    const sc = loadScenario(locate(file));
    session = sessionFromScenario(sc, { checkpointEvery: 2_000_000 });
    for (const b of sc.breakpoints) { const bp = toBreakpoint(session, b); if (bp) session.addBreakpoint(bp); }
    title = sc.name;
  } catch (e) {
    if (e instanceof ScenarioError) { stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  return runTui({ session, title });
}
