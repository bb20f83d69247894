// `exoscope replay` as one CommonJS script with V8's code cache of it
// (src/cli/compiled.ts says why and how the CLI loads them), written by
// bundle-cli.mjs after the ES module bundle: dist/cli/replay.cjs, bundled by
// esbuild from tsc's dist/cli/replay.js and what it imports, and
// dist/cli/replay.cjs.cache, made after replaying a few bundled scenarios
// with it (their output thrown away), so that the cache holds the bytecode
// of every function a replay calls: loading, the session, the machine and
// the kernel, the log. The smallest scenario goes last: V8 may drop the
// bytecode of functions not called for a while (loading the scenario ran
// first), and the cache holds what is compiled when it is made.

//
// V8 refuses a cache made under other flags than those it runs with, and
// the CLI runs with V8 flags (dist/cli/main.js's first line, cliNodeFlags):
// so the cache is made in a child process started with those flags.

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The scenarios replayed to fill the cache, in order: the exokernel at large, both kernels on one wire, then the smallest. */
const WARM = ['living.yaml', 'both-pipe.yaml', 'forger.yaml'];

/** Files this step writes into dist/cli. */
export const COMPILED_FILES = ['replay.cjs', 'replay.cjs.map', 'replay.cjs.cache'];

/**
 * Writes dist/cli/replay.cjs and its code cache under `root` with `esbuild`.
 * Throws when the bundle cannot be built or a warming replay fails (the
 * script would then be wrong, not just slow).
 */
export async function writeCompiledReplay(esbuild, root) {
  const out = join(root, 'dist', 'cli');
  for (const f of COMPILED_FILES) rmSync(join(out, f), { force: true });
  const file = join(out, 'replay.cjs');
  await esbuild.build({
    entryPoints: [join(out, 'replay.js')],
    outfile: file,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import.meta.url (the modules that find the package from it) is the script's own URL: it sits where replay.js does.
    define: { 'import.meta.url': '__exoscopeScriptUrl' },
    banner: { js: "var __exoscopeScriptUrl = require('node:url').pathToFileURL(__filename).href;" },
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  const child = spawnSync(process.execPath, [...cliNodeFlags(root), fileURLToPath(import.meta.url), '--cache', root], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`compiled-replay: making the code cache failed (exit ${child.status}): ${child.stderr}`);
  return Number(child.stdout.trim());
}

/** The V8 flags the CLI runs with: those of dist/cli/main.js's `#!` line under `root`. */
export function cliNodeFlags(root) {
  const first = readFileSync(join(root, 'dist', 'cli', 'main.js'), 'utf8').split('\n', 1)[0];
  return (/^#!.*?\bnode\b(.*)$/.exec(first)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/**
 * Fills and writes dist/cli/replay.cjs.cache under `root` (this process
 * runs with the CLI's flags: writeCompiledReplay starts it); returns the
 * size of V8's data.
 */
async function writeReplayCache(root) {
  const out = join(root, 'dist', 'cli'), file = join(out, 'replay.cjs');
  const { runScript, cacheHeader } = await import(pathToFileURL(join(out, 'compiled.js')).href);
  const { exports, script } = runScript(file);
  for (const name of WARM) {
    let problems = '';
    const status = exports.replayCommand(join(root, 'scenarios', name), { stdout: () => {}, stdoutBytes: () => {}, stderr: (t) => { problems += t; } });
    if (status !== 0) throw new Error(`compiled-replay: replaying scenarios/${name} to fill the code cache failed (exit ${status}): ${problems}`);
  }
  const data = script.createCachedData();
  writeFileSync(`${file}.cache`, Buffer.concat([cacheHeader(file), data]));
  return data.length;
}

// The child writeCompiledReplay starts: `node <the CLI's flags> compiled-replay.mjs --cache <root>`.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--cache') {
  console.log(await writeReplayCache(process.argv[3]));
}
