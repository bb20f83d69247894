// main.ts loads Ink and React itself, in React's production build
// (importUi). A module the TUI's public face imports statically must not
// load React first: React would then be the development build, paired with
// the production reconciler Ink loads later, and nothing would render
// (found by hand: the TUI left at once with status 0). This walks the
// static imports from src/tui/index.ts.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The modules `file` imports statically (not `import type`, not `import()`), as paths or bare names. */
function staticImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    out.push(spec.startsWith('.') ? join(dirname(file), spec.replace(/\.js$/, '.ts')) : spec);
  }
  return out;
}

/** Every module reachable from `entry` by static imports within the project, and the packages they name. */
function reachable(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>(), packages = new Map<string, string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const d of staticImports(f)) {
      if (d.startsWith('/')) todo.push(d);
      else if (!packages.has(d)) packages.set(d, f);
    }
  }
  return { files, packages };
}

describe('the TUI\'s public face', () => {
  it('imports neither React nor Ink statically, so that main.ts loads both in one build', () => {
    const { files, packages } = reachable(join(ROOT, 'src/tui/index.ts'));
    expect(files.size).toBeGreaterThan(10);
    const ui = [...packages].filter(([p]) => /^(react|ink)(\/|$)/.test(p)).map(([p, f]) => `${p} from ${f.slice(ROOT.length + 1)}`);
    expect(ui).toEqual([]);
  });
});
