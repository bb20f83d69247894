// Where the tests' child processes find the command line: the bundle
// test/global-setup.ts built for this run.

import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import type { CliEntry } from './cli-entries.js';

const ROOT = resolve(import.meta.dirname, '..');

/** The bundled file of `entry` (by default the CLI, src/cli/main.ts): absolute, or relative to the package's folder for a command line run there. */
export function cliEntry(entry: CliEntry = 'src/cli/main.ts', absolute = true): string {
  const rel = join(inject('cliBundle'), entry.replace(/\.ts$/, '.js'));
  return absolute ? join(ROOT, rel) : rel;
}
