// A command's module as a script compiled ahead of time, with V8's code
// cache (src/cli/compiled.ts): the cache is used for the script it was
// made from and for no other, a script runs the same with or without it,
// and the CLI run from its sources (no script beside it) loads the module.

import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheData, cacheHeader, CACHE_HEADER_BYTES, compiledCommand, runScript } from '../src/cli/compiled.js';

const dir = mkdtempSync(join(tmpdir(), 'exoscope-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a CommonJS script whose export `answer` returns `n`, and a code cache of it made after calling it. */
function scriptWithCache(name: string, n: number): { file: string; cache: string } {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, `exports.answer = function answer() { return ${n}; };\nexports.where = __filename;\n`);
  const { exports, script } = runScript<{ answer: () => number }>(file);
  exports.answer();
  const cache = `${file}.cache`;
  writeFileSync(cache, Buffer.concat([cacheHeader(file), script.createCachedData()]));
  return { file, cache };
}

describe('compiled commands', () => {
  it('runScript returns the exports of a CommonJS script, with __filename its path', () => {
    const { file } = scriptWithCache('plain', 7);
    const { exports, cached } = runScript<{ answer: () => number; where: string }>(file);
    expect(exports.answer()).toBe(7);
    expect(exports.where).toBe(file);
    expect(cached).toBe(false);
  });

  it('uses the code cache made from the script, and runs the same with it', () => {
    const { file, cache } = scriptWithCache('cached', 42);
    const r = runScript<{ answer: () => number }>(file, cache);
    expect(r.cached).toBe(true);
    expect(r.exports.answer()).toBe(42);
  });

  it('ignores a cache made from the script before it changed (V8 itself checks only its length)', () => {
    const { file, cache } = scriptWithCache('changed', 1);
    // The same length, other code: only the header (size and mtime) tells them apart.
    writeFileSync(file, `exports.answer = function answer() { return ${2}; };\nexports.where = __filename;\n`);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const r = runScript<{ answer: () => number }>(file, cache);
    expect(r.cached).toBe(false);
    expect(r.exports.answer()).toBe(2);
  });

  it('cacheData gives the V8 data after a matching header, and nothing for another file or a short one', () => {
    const { file, cache } = scriptWithCache('header', 3);
    const other = scriptWithCache('other-length', 12345).file;
    const bytes = new Uint8Array(readFileSync(cache));
    expect(cacheData(bytes, file)?.length).toBe(bytes.length - CACHE_HEADER_BYTES);
    expect(cacheData(bytes, other)).toBeUndefined();
    expect(cacheData(bytes.subarray(0, CACHE_HEADER_BYTES), file)).toBeUndefined();
  });

  it('compiledCommand finds no script beside the sources, so the CLI imports the module', () => {
    expect(compiledCommand('replay')).toBeUndefined();
  });
});
