import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { boundInkCaches, CACHE_LIMIT, INK_CACHE_FILES } from '../../scripts/ink-caches.mjs';

const ROOT = join(import.meta.dirname, '../..');
const inkBuild = dirname(createRequire(join(ROOT, 'package.json')).resolve('ink'));
const source = (name: string) => readFileSync(join(inkBuild, name), 'utf8');

/** The rewritten module with its imports replaced by `stubs` and its cache's size exported, imported from a data: URL. */
async function load(name: string, stubs: Record<string, string>, size: string): Promise<{ default: (...a: unknown[]) => unknown; size: () => number }> {
  let text = boundInkCaches(name, source(name)) as string;
  for (const [from, to] of Object.entries(stubs)) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return import(`data:text/javascript,${encodeURIComponent(`${text}\nexport const size = () => ${size};`)}`);
}

describe("Ink's text caches, bounded in the bundled CLI (scripts/ink-caches.mjs)", () => {
  it('rewrites both of the installed Ink\'s caches', () => {
    expect(INK_CACHE_FILES).toEqual(['measure-text.js', 'wrap-text.js']);
    for (const f of INK_CACHE_FILES) expect(boundInkCaches(f, source(f))).not.toBe(source(f));
  });

  it('measure-text keeps at most CACHE_LIMIT texts and still measures right', async () => {
    const m = await load('measure-text.js', { "import widestLine from 'widest-line';": "const widestLine = (t) => Math.max(...t.split('\\n').map((l) => l.length));" }, 'cache.size');
    for (let i = 0; i < 3 * CACHE_LIMIT; i++) m.default(`cycle ${i}`);
    expect(m.size()).toBeLessThanOrEqual(CACHE_LIMIT);
    expect(m.size()).toBeGreaterThan(0);
    expect(m.default('ab\nabcd')).toEqual({ width: 4, height: 2 });
  });

  it('wrap-text keeps at most CACHE_LIMIT wraps and still wraps right', async () => {
    const m = await load('wrap-text.js', {
      "import wrapAnsi from 'wrap-ansi';": 'const wrapAnsi = (t, w) => t.match(new RegExp(`.{1,${w}}`, "g")).join("\\n");',
      "import cliTruncate from 'cli-truncate';": 'const cliTruncate = (t, w) => t.slice(0, w);',
    }, 'Object.keys(cache).length');
    for (let i = 0; i < 3 * CACHE_LIMIT; i++) m.default(`log line ${i}`, 80, 'wrap');
    expect(m.size()).toBeLessThanOrEqual(CACHE_LIMIT);
    expect(m.default('abcdef', 4, 'wrap')).toBe('abcd\nef');
    expect(m.default('abcdef', 4, 'truncate')).toBe('abcd');
  });

  it('fails the build when Ink\'s code is not what it rewrites', () => {
    expect(() => boundInkCaches('measure-text.js', 'const cache = new Map();')).toThrow(/expected "cache.set\(text, dimensions\);" once in Ink's measure-text.js, found it 0 times/);
    expect(() => boundInkCaches('output.js', '')).toThrow(/no rewrite for output.js/);
  });
});
