// A command's module as a script compiled ahead of time, with V8's code
// cache (src/cli/compiled.ts): the cache is used for the script it was
// made from and for no other, a script runs the same with or without it,
// and the CLI run from its sources (no script beside it) loads the module.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

describe("the CLI's V8 flags", () => {
  const root = join(import.meta.dirname, '..');
  /** The flags of src/cli/main.ts's `#!` line. */
  const flags = (/^#!\/usr\/bin\/env -S node (.*)$/.exec(readFileSync(join(root, 'src/cli/main.ts'), 'utf8').split('\n', 1)[0])?.[1] ?? '').split(' ');

  it('are the ones `npm start` passes', () => {
    expect(flags).toContain('--v8-pool-size=1');
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe(`node ${flags.join(' ')} dist/cli/main.js`);
  });

  // The build makes the replay's code cache under them (scripts/compiled-replay.mjs): V8 refuses a cache made under other flags.
  it.skipIf(!existsSync(join(root, 'dist/cli/replay.cjs.cache')))('are the ones the code cache of the built replay script was made under', () => {
    const load = `import(${JSON.stringify(join(root, 'dist/cli/compiled.js'))}).then((m) => console.log(m.runScript(${JSON.stringify(join(root, 'dist/cli/replay.cjs'))}, ${JSON.stringify(join(root, 'dist/cli/replay.cjs.cache'))}).cached))`;
    const cached = (extra: string[]) => spawnSync(process.execPath, [...extra, '-e', load], { encoding: 'utf8' }).stdout.trim();
    expect(cached(flags)).toBe('true');
    expect(cached(['--v8-pool-size=1'])).toBe('false');
  });
});
