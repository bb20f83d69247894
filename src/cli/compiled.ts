// A command's module as a script compiled ahead of time. The build
// (scripts/bundle-cli.mjs) writes a command that runs headless, `replay`,
// as one CommonJS script beside the CLI (dist/cli/replay.cjs) and, after
// running it on a few bundled scenarios, V8's code cache of it
// (replay.cjs.cache): the bytecode of every function those runs called.
// Loading the script with its cache skips parsing and compiling the YAML
// and zod libraries, the scenario schema, the machine and the kernel
// again in every process, a good part of a replay's whole process (the
// target: under 0.5 s, Node start included). Node 20 keeps no such cache
// for ES modules, hence a script.
//
// V8 checks that a cache was made by the same V8 with the same flags, and
// refuses it otherwise (the script is then compiled as usual); it does not
// check that the script is the one the cache was made from, so the cache
// file begins with the size and modification time of the script it was
// made from, and is not used for any other.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** Bytes before V8's data in a cache file: the script's size and mtime (ms), as two float64 (little-endian). */
export const CACHE_HEADER_BYTES = 16;

/** The header that binds a cache file to the script at `file` as it is now. */
export function cacheHeader(file: string): Uint8Array {
  const st = statSync(file);
  const header = new Float64Array([st.size, st.mtimeMs]);
  return new Uint8Array(header.buffer);
}

/** V8's data in cache file bytes `bytes`, or undefined when they were not made from the script at `file` as it is now. */
export function cacheData(bytes: Uint8Array, file: string): Buffer | undefined {
  if (bytes.length <= CACHE_HEADER_BYTES) return undefined;
  const want = cacheHeader(file);
  for (let i = 0; i < CACHE_HEADER_BYTES; i++) if (bytes[i] !== want[i]) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset + CACHE_HEADER_BYTES, bytes.length - CACHE_HEADER_BYTES);
}

/** A CommonJS script compiled in this context: its exports, and the Script (for its code cache). */
export interface Compiled<T> {
  readonly exports: T;
  readonly script: Script;
  /** True when a code cache was given and V8 took it. */
  readonly cached: boolean;
}

/**
 * Runs the CommonJS script at `file` (compiled with the code cache at
 * `cache` when there is one made from it) and returns its exports. Throws
 * what reading or running the script throws.
 */
export function runScript<T>(file: string, cache?: string): Compiled<T> {
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  if (cache !== undefined && existsSync(cache)) cachedData = cacheData(readFileSync(cache), file);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as T };
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  fn(module.exports, createRequire(file), module, file, file.replace(/[\\/][^\\/]*$/, ''));
  return { exports: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/**
 * The exports of the script `<name>.cjs` the build wrote beside this module
 * (with its code cache), or undefined when there is none (the CLI run from
 * its sources, or built without the bundler).
 */
export function compiledCommand<T>(name: string): T | undefined {
  const file = new URL(`./${name}.cjs`, import.meta.url);
  if (file.protocol !== 'file:' || !existsSync(file)) return undefined;
  const path = fileURLToPath(file);
  return runScript<T>(path, `${path}.cache`).exports;
}
