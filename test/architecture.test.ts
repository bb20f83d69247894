// The layering rules of docs/architecture.md, checked over the sources:
// imports point down only, a layer reaches another only through its
// index.ts, nothing below the TUI reads the host clock or Math.random, and
// the TUI reaches the machine only through the session's Debugger.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Debugger, DebuggerState } from '../src/session/index.js';

const SRC = resolve(import.meta.dirname, '../src');
const ORDER = ['emu', 'net', 'exokernel', 'exos', 'monolithic', 'scenario', 'session', 'tui'];

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
      .filter((f) => ['emu', 'net', 'exokernel', 'exos', 'monolithic', 'scenario', 'session'].includes(layerOf(f)))
      .filter((f) => /Date\.now\(|Math\.random\(|performance\.now\(|new Date\(\)|hrtime/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(bad).toEqual([]);
  });

  it('comments cite the repository\'s docs and the papers, not files outside it or issue numbers', () => {
    const ROOT = resolve(SRC, '..');
    const code = (d: string): string[] => readdirSync(d).flatMap((n) => {
      const p = join(d, n);
      return statSync(p).isDirectory() ? (n === 'images' ? [] : code(p)) : /\.(ts|tsx|c|h|S|mjs)$/.test(n) ? [p] : [];
    });
    const bad = ['src', 'test', 'scripts', 'bench'].flatMap((d) => code(join(ROOT, d)))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => [f, i + 1, l] as const))
      .filter(([, , l]) => /\bissue [0-9]|ARCHITECTURE\.md|(?<!docs\/)reference\/(exokernel|decstation|ink)\.md/.test(l))
      .map(([f, n, l]) => `${relative(ROOT, f)}:${n}: ${l.trim()}`);
    expect(bad).toEqual([]);
  });
});

/**
 * What src/tui may take from the session: the Debugger and what it hands
 * out (snapshots, commands, breakpoints, the scenario's verdicts, the
 * paces a command may name), the catalogues it labels things with, and for the recorder the scenario, the debugger built from one and
 * the cast writer. Nothing that holds the Session or the kernel.
 */
const TUI_MAY_IMPORT = new Set([
  'Debugger', 'DebuggerState', 'RunStatus', 'Said', 'Command', 'AddrSpec', 'Breakpoint', 'PacketSpec',
  'Snapshot', 'EnvView', 'TlbRow', 'StlbRow', 'DpfView', 'KernelEvent', 'KernelEventKind',
  'ScenarioView', 'ExpectationView', 'Verdict', 'parsePace', 'paceChoices',
  'EVENTS', 'EVENT_KINDS', 'EventTone', 'envLabel', 'summarizeEvent', 'EXCEPTIONS', 'excName', 'GPR_NAMES',
  'Scenario', 'formatLocation', 'openScenarioDebugger', 'LiveDebugger', 'ScenarioRun', 'openPlayable', 'Playable', 'CastFile', 'frameUpdate', 'RecordError',
  // What Debugger.log returns: the log pane's window over the whole history (src/session/log-window.ts).
  'LogSource', 'LogEntry',
  // The monolithic kernel's snapshot part and its event catalogue (src/monolithic/events.ts).
  'MonoView', 'MonoEvent', 'MONO_EVENTS', 'MONO_EVENT_KINDS', 'monoEventTone', 'summarizeMonoEvent',
  // What the memory pane asks a debugger for and finds in the snapshot (src/session/memory-window.ts).
  'MemoryRequest', 'MemoryWindow',
]);

/** The names a file imports from specifier `spec` (type or value). */
function namesFrom(file: string, spec: RegExp): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)]
    .filter((m) => spec.test(m[2]))
    .flatMap((m) => m[1].split(',').map((n) => n.trim().replace(/^type\s+/, '').replace(/\s+as\s+.*$/, '')).filter(Boolean));
}

describe('the TUI and the machine', () => {
  const tui = walk(join(SRC, 'tui'));

  it('src/tui imports nothing below the session', () => {
    const bad = tui.flatMap((f) => imports(f).filter((s) => /\/(emu|exokernel|exos)\//.test(resolve(dirname(f), s) + '/')).map((s) => `${relative(SRC, f)}: ${s}`));
    expect(bad).toEqual([]);
  });

  it('takes from the session only the Debugger, its data and the catalogues', () => {
    const taken = tui.flatMap((f) => namesFrom(f, /\/session\/index\.js$/).map((n) => ({ file: relative(SRC, f), name: n })));
    expect(new Set(taken.map((t) => t.name)).size).toBeGreaterThan(20);
    expect(taken.filter((t) => !TUI_MAY_IMPORT.has(t.name)).map((t) => `${t.file}: ${t.name}`)).toEqual([]);
  });

  it('never names the Session or the kernel', () => {
    const bad = tui.filter((f) => /(?<!['"])\bSession\b(?!['"])|\.kernel\b|sessionFromScenario/.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, ''))).map((f) => relative(SRC, f));
    expect(bad).toEqual([]);
  });

  it('the Debugger hands out no session or kernel', () => {
    expectTypeOf<Debugger>().not.toHaveProperty('session');
    expectTypeOf<Debugger>().not.toHaveProperty('kernel');
    expectTypeOf<DebuggerState>().not.toHaveProperty('session');
  });
});
