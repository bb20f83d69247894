// The kernel's files import each other without cycles (docs/architecture.md,
// "The exokernel"): a runtime import is an arrow from one mechanism down to
// another, so the order modules are evaluated in is the order they are
// layered in. Type-only imports (`import type`, or braces holding only
// `type` names) are erased by the compiler and may point anywhere.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const KERNEL = resolve(import.meta.dirname, '../../src/exokernel');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** True when an import or export clause names types only (`type {..}`, or every name in braces marked `type`). */
export function typeOnly(clause: string): boolean {
  const c = clause.trim();
  if (/^type\s/.test(c)) return true;
  const braces = /^\{([^}]*)\}$/.exec(c);
  if (!braces) return false;
  const names = braces[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** The relative modules `text` imports or re-exports at run time. */
export function runtimeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+([^'";]*?)\s+from\s+['"](\.[^'"]+)['"]/gm)) {
    if (!typeOnly(m[1])) out.push(m[2]);
  }
  for (const m of text.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) out.push(m[1]);
  return out;
}

/** The graph of runtime imports among `files`, by path relative to `root` (.js specifiers mapped to .ts). */
export function importGraph(root: string, files: string[], read: (f: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const to = runtimeImports(read(f)).map((s) => relative(root, resolve(dirname(f), s.replace(/\.js$/, '.ts'))));
    graph.set(relative(root, f), to.filter((t) => !t.startsWith('..')));
  }
  return graph;
}

/** Every elementary cycle's smallest member first, found by depth-first search; each cycle once. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const nodes = [...graph.keys()].sort();
  for (const start of nodes) {
    const path: string[] = [start];
    const visit = (n: string): void => {
      for (const next of graph.get(n) ?? []) {
        if (next === start) found.set(path.join(' -> '), [...path]);
        else if (next > start && !path.includes(next)) { path.push(next); visit(next); path.pop(); }
      }
    };
    visit(start);
  }
  return [...found.values()];
}

describe('import cycles in src/exokernel', () => {
  it('the cycle finder sees a cycle through a value import and none through a type-only one', () => {
    const g = (files: Record<string, string>) => importGraph('/k', Object.keys(files), (f) => files[f]);
    const withValue = g({ '/k/a.ts': "import { b } from './b.js';", '/k/b.ts': "import { a } from './a.js';" });
    expect(cycles(withValue)).toEqual([['a.ts', 'b.ts']]);
    const withType = g({ '/k/a.ts': "import { b } from './b.js';", '/k/b.ts': "import type { A } from './a.js';\nimport { type B, type C } from './a.js';" });
    expect(cycles(withType)).toEqual([]);
    const reexport = g({ '/k/a.ts': "export { b } from './b.js';", '/k/b.ts': "import { x, type A } from './a.js';" });
    expect(cycles(reexport)).toEqual([['a.ts', 'b.ts']]);
  });

  it('no kernel file reaches itself through runtime imports', () => {
    const files = walk(KERNEL);
    const graph = importGraph(KERNEL, files, (f) => readFileSync(f, 'utf8'));
    expect(graph.get('kernel.ts')?.length ?? 0).toBeGreaterThan(0);
    expect(cycles(graph).map((c) => [...c, c[0]].join(' -> '))).toEqual([]);
  });
});
