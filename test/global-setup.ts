// vitest's global setup (vitest.config.ts), run once before the workers
// start: the command line as the tests start it in child processes.
// src/cli/main.ts and the TUI fixture test/tui/fixtures/tui-entry.ts are
// bundled by esbuild (which comes with tsx), packages left to node_modules
// and each module's import.meta.url its source file's, so the bundle runs
// as `node --import tsx src/cli/main.ts` does (it finds scenarios/, the
// images and package.json from there), but a start compiles one file
// instead of transforming some 200: about 0.4 s of CPU less each time,
// and the TUI draws sooner. Built afresh each run (about 0.4 s), into a
// folder of its own under dist/ that the teardown removes, so runs at once
// do not share one. test/cli-bundle.ts gives the tests its paths.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { CLI_ENTRIES } from './cli-entries.js';

const ROOT = resolve(import.meta.dirname, '..');

/** Each module's `import.meta.url` (and dirname, filename): its source file's, not the bundle's. */
const sourceUrls: Plugin = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (a) => ({
      contents: (await readFile(a.path, 'utf8'))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(a.path)))
        .replaceAll('import.meta.filename', JSON.stringify(a.path)),
      loader: 'ts',
    }));
  },
};

/** Bundles of runs that ended without their teardown (killed), a day old or more. */
function removeStale(dist: string): void {
  for (const n of readdirSync(dist)) {
    const p = join(dist, n);
    if (n.startsWith('test-cli-') && Date.now() - statSync(p).mtimeMs > 86_400_000) rmSync(p, { recursive: true, force: true });
  }
}

/** Bundles the entries into `dir`, emptied first. */
async function bundle(dir: string): Promise<void> {
  const { build } = await import('esbuild');
  for (const n of readdirSync(dir)) rmSync(join(dir, n), { recursive: true, force: true });
  await build({
    entryPoints: CLI_ENTRIES.map((e) => join(ROOT, e)),
    outdir: dir,
    outbase: ROOT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
}

export async function setup(project: TestProject): Promise<() => void> {
  const dist = join(ROOT, 'dist');
  mkdirSync(dist, { recursive: true });
  removeStale(dist);
  const dir = mkdtempSync(join(dist, 'test-cli-'));
  await bundle(dir);
  // In watch mode, again before each rerun: the sources may have changed.
  project.onTestsRerun(() => bundle(dir));
  project.provide('cliBundle', relative(ROOT, dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
