// Opening a scenario for a command: find the file, load it, and turn a bad
// one into exit status 2 with its message. Shared by tui, record and replay.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, ScenarioError, type Scenario } from '../session/index.js';
import { CliError, Exit } from './run.js';

/** The package's folder (where scenarios/ is), from src/cli or dist/cli. */
const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where `file` is: relative to the current folder first, then to the
 * package (so `exoscope replay scenarios/demo.yaml` works from any folder).
 * Returns `file` unchanged when neither exists (loading then says so).
 */
export function locate(file: string): string {
  if (existsSync(file)) return file;
  const bundled = join(PACKAGE, file);
  return existsSync(bundled) ? bundled : file;
}

/** Locates and loads scenario `file`; throws CliError (status 2) with the scenario's message when it is bad. */
export function openScenario(file: string): Scenario {
  try {
    return loadScenario(locate(file));
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(e.message, Exit.BadInput);
    throw e;
  }
}
