import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Box, renderToString, Text } from 'ink';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { boundInkCaches, CACHE_LIMIT, INK_CACHE_FILES, inkCacheFile } from '../../scripts/ink-caches.mjs';

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

describe("Ink's text caches, bounded in the bundled CLI and in source mode (scripts/ink-caches.mjs)", () => {
  it('rewrites both of the installed Ink\'s caches, and the drawing that measures every text', () => {
    expect(INK_CACHE_FILES).toEqual(['measure-text.js', 'wrap-text.js', 'squash-text-nodes.js', 'render-node-to-output.js']);
    for (const f of INK_CACHE_FILES) {
      expect(boundInkCaches(f, source(f))).not.toBe(source(f));
      expect(boundInkCaches(f, source(f))).toContain(`export const inkCachesBounded = ${CACHE_LIMIT};`);
    }
    expect(boundInkCaches('render-node-to-output.js', source('render-node-to-output.js'))).not.toContain('widestLine');
    expect(inkCacheFile(join(inkBuild, 'wrap-text.js'))).toBe('wrap-text.js');
    expect(inkCacheFile(`file://${join(inkBuild, 'measure-text.js')}`)).toBe('measure-text.js');
    expect(inkCacheFile(join(inkBuild, 'output.js'))).toBeUndefined();
    expect(inkCacheFile('/somewhere/else/wrap-text.js')).toBeUndefined();
  });

  it('in source mode (node --import tsx), the TUI loads Ink with its caches bounded, and it draws the same', () => {
    // A fresh process, as `node --import tsx src/cli/main.ts` starts: Ink imported the TUI's way (importUi), through the loader hook.
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/tui/fixtures/ink-source-mode.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '', FORCE_COLOR: '1' } });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { bounded: number[]; sizes: number[]; inserted: number; frame: string };
    expect(r.bounded, 'Ink\'s modules as loaded in source mode are not the rewritten ones').toEqual([CACHE_LIMIT, CACHE_LIMIT, CACHE_LIMIT, CACHE_LIMIT]);
    expect(r.inserted).toBeGreaterThanOrEqual(3 * CACHE_LIMIT);
    for (const size of r.sizes) {
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThanOrEqual(CACHE_LIMIT);
    }
    // Drawn by this process's Ink (not rewritten: vitest loads it as it is) the same frame reads the same (colors aside: a blank inside them stays).
    const plain = (f: string) => f.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).join('\n');
    const frame = renderToString(h(Box, { width: 12, flexDirection: 'column' },
      h(Text, { color: 'green' }, 'alpha beta gamma delta'),
      h(Text, { bold: true }, '│ 宽字 ▸ x'),
      h(Text, { wrap: 'truncate-end' }, 'truncated text here')), { columns: 40 });
    expect(plain(r.frame)).toBe(plain(frame));
    expect(plain(r.frame)).toBe('alpha beta\ngamma delta\n│ 宽字 ▸ x\ntruncated t…');
  }, 60_000);

  it('measure-text keeps at most CACHE_LIMIT texts and still measures right', async () => {
    const m = await load('measure-text.js', { "import widestLine from 'widest-line';": "const widestLine = (t) => Math.max(...t.split('\\n').map((l) => l.length));" }, 'cache.size');
    for (let i = 0; i < 3 * CACHE_LIMIT; i++) m.default(`cycle ${i}`);
    expect(m.size()).toBeLessThanOrEqual(CACHE_LIMIT);
    expect(m.size()).toBeGreaterThan(0);
    expect(m.default('ab\nabcd')).toEqual({ width: 4, height: 2 });
  });

  it('measure-text counts the width of plain styled text as string-width measures it, and measures any other text', async () => {
    const real = (await import('widest-line')).default as (t: string) => number;
    const g = globalThis as { __widest?: (t: string) => number; __measured?: number };
    g.__measured = 0;
    g.__widest = (t) => { g.__measured!++; return real(t); };
    const m = await load('measure-text.js', { "import widestLine from 'widest-line';": 'const widestLine = (t) => globalThis.__widest(t);' }, 'cache.size');
    const width = (t: string) => (m.default(t) as { width: number }).width;
    const plain = [...Array.from({ length: 0x5f }, (_, i) => 0x20 + i), 0xb7, 0x2026, 0x2190, 0x2191, 0x2192, 0x2193, ...Array.from({ length: 0xfd }, (_, i) => 0x2500 + i)];
    for (const c of plain) {
      const t = `\x1b[1m\x1b[36m${String.fromCharCode(c)}x\x1b[39m\x1b[22m`;
      expect(width(t), `U+${c.toString(16)}`).toBe(real(t));
    }
    const lines = ['\x1b[7m 0040002c  lw $t0, 0($a0)\x1b[27m', 'a ── b … c · d\nlonger line ■ │ ▏▎▍ █ →', '▶ running (continue)  cycle 1,234', '', 'x\n\ny'];
    for (const t of lines) expect(width(t), JSON.stringify(t)).toBe(real(t));
    expect(g.__measured, 'plain text was measured by string-width').toBe(0);
    for (const t of ['宽字 x', 'e\u0301', 'tab\there', '\x1b[2Kcleared', '✓ ok', 'soft\u00adhyphen', '👍']) expect(width(t), JSON.stringify(t)).toBe(real(t));
    expect(g.__measured).toBe(7);
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

  it('squash-text-nodes gives a text node\'s kept text only while its children, their texts and transforms are the same', async () => {
    const m = await load('squash-text-nodes.js', { "import sanitizeAnsi from './sanitize-ansi.js';": 'const sanitizeAnsi = (t) => { globalThis.__sanitized = (globalThis.__sanitized ?? 0) + 1; return t; };' }, '0');
    const count = () => (globalThis as { __sanitized?: number }).__sanitized ?? 0;
    type N = { nodeName: string; nodeValue?: string; internal_transform?: (s: string) => string; childNodes: N[] };
    const text = (v: string): N => ({ nodeName: '#text', nodeValue: v, childNodes: [] });
    const styled = (f: (s: string) => string, ...c: N[]): N => ({ nodeName: 'ink-virtual-text', internal_transform: f, childNodes: c });
    const up = (s: string) => s.toUpperCase(), star = (s: string) => `*${s}*`;
    const inner = text('b'), deep = styled(up, inner);
    const node: N = { nodeName: 'ink-text', childNodes: [text('a '), styled(star, deep)] };
    const squash = (n: N) => m.default(n) as string;
    expect(squash(node)).toBe('a *B*');
    const n0 = count();
    expect(squash(node)).toBe('a *B*');
    expect(count(), 'an unchanged node is squashed again').toBe(n0);
    inner.nodeValue = 'c';
    expect(squash(node), 'a nested text changed').toBe('a *C*');
    deep.internal_transform = (s) => `<${s}>`;
    expect(squash(node), 'a nested transform changed (its Text rendered again)').toBe('a *<c>*');
    node.childNodes[0] = text('z ');
    expect(squash(node), 'a child replaced').toBe('z *<c>*');
    node.childNodes.push(text('!'));
    expect(squash(node), 'a child added').toBe('z *<c>*!');
    node.childNodes.splice(1, 1);
    expect(squash(node), 'a child removed').toBe('z !');
  });

  it('fails the build (and the TUI\'s start) when Ink\'s code is not what it rewrites', () => {
    expect(() => boundInkCaches('measure-text.js', 'const cache = new Map();')).toThrow(/expected "cache.set\(text, dimensions\);" once in Ink's measure-text.js, found it 0 times/);
    expect(() => boundInkCaches('output.js', '')).toThrow(/no rewrite for output.js/);
  });
});
