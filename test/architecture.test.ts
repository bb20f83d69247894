// The layering rules of ARCHITECTURE.md, checked over the sources: imports
// point down only, a layer reaches another only through its index.ts, and
// nothing below the TUI reads the host clock or Math.random.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const ORDER = ['emu', 'exokernel', 'exos', 'session', 'tui'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') || p.endsWith('.tsx') ? [p] : [];
  });
}

/** The layer of a file under src: its first folder, or "cli" for top-level files. */
function layerOf(file: string): string {
  const rel = relative(SRC, file).split('/');
  return rel.length > 1 ? rel[0] : 'cli';
}

/** Front ends beside the TUI: the same rank, so each may import what the TUI may, and none imports another. */
const BESIDE_TUI = ['gdb'];

const rank = (layer: string) => (layer === 'cli' ? ORDER.length : BESIDE_TUI.includes(layer) ? ORDER.indexOf('tui') : ORDER.indexOf(layer));

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
}

describe('the layers', () => {
  const files = walk(SRC);

  it('every source file is in a known layer', () => {
    for (const f of files) expect(rank(layerOf(f)), relative(SRC, f)).toBeGreaterThanOrEqual(0);
  });

  it('imports point down only, and across layers only to index.js', () => {
    const bad: string[] = [];
    for (const f of files) {
      for (const spec of imports(f)) {
        const target = resolve(dirname(f), spec);
        const from = layerOf(f), to = layerOf(target);
        if (from === to) continue;
        if (rank(to) === rank(from)) bad.push(`${relative(SRC, f)} imports a front end beside it, ${to}: ${spec}`);
        else if (rank(to) > rank(from)) bad.push(`${relative(SRC, f)} imports up into ${to}: ${spec}`);
        else if (!/\/index\.js$/.test(spec)) bad.push(`${relative(SRC, f)} bypasses ${to}/index.ts: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('nothing below the TUI reads the host clock or Math.random', () => {
    const bad = files
      .filter((f) => ['emu', 'exokernel', 'exos', 'session'].includes(layerOf(f)))
      .filter((f) => /Date\.now\(|Math\.random\(|performance\.now\(|new Date\(\)|hrtime/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(bad).toEqual([]);
  });
});
