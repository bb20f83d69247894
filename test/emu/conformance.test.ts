// The conformance suite: bare-metal guest programs (src/exos/conformance,
// and cpubench-small in src/exos/bench) print their results through the
// PROM; each must print exactly its .expected output, which lies beside its
// sources, on exoscope. The .gxemul files hold what GXemul 0.7.0
// printed; where it differs from .expected, the .notes file explains every
// differing line from the manual (docs/reference/decstation.md lists GXemul's
// known bugs). When gxemul is installed the recorded output is re-checked.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, parseElf } from '../../src/emu/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** Where each program's .expected, .gxemul and .notes are: beside its sources. */
const DIRS = ['src/exos/conformance', 'src/exos/bench'].map((d) => join(ROOT, d));
const dirOf = new Map(DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.expected')).map((f) => [f.replace(/\.expected$/, ''), d] as const)));
const programs = [...dirOf.keys()].sort();
const hasGxemul = spawnSync('sh', ['-c', 'command -v gxemul']).status === 0;

/** Runs an image to its halt; returns the console output and the instruction count. */
function runImage(name: string): { out: string; instret: number } {
  const path = join(ROOT, 'src/exos/images', `${name}.elf`);
  const chunks: Uint8Array[] = [];
  const m = new Machine({ onConsole: (b) => chunks.push(b) });
  m.load(parseElf(new Uint8Array(readFileSync(path)), path), [path]);
  const reason = m.run(500_000_000);
  expect(reason, `${name} halts`).toBe('halt');
  return { out: Buffer.concat(chunks).toString('latin1'), instret: m.cpu.instret };
}

/** Lines of `expected` that `other` lacks (as a multiset: order and shifts do not matter). */
function differing(other: string, expected: string): string[] {
  const pool = new Map<string, number>();
  for (const l of other.split('\n')) pool.set(l, (pool.get(l) ?? 0) + 1);
  return expected.split('\n').filter((l) => {
    const n = pool.get(l) ?? 0;
    if (n > 0) { pool.set(l, n - 1); return false; }
    return true;
  });
}

describe('conformance programs', () => {
  it('there are programs to check', () => {
    expect(programs.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of programs) {
    describe(name, () => {
      it('prints exactly its expected output on exoscope, the same every run', () => {
        const a = runImage(name);
        expect(a.out).toBe(readFileSync(join(dirOf.get(name)!, `${name}.expected`), 'latin1'));
        const b = runImage(name);
        expect(b).toEqual(a);
      });

      const gx = join(dirOf.get(name)!, `${name}.gxemul`);
      it.runIf(existsSync(gx))('differs from GXemul only on lines its notes explain', () => {
        const expected = readFileSync(join(dirOf.get(name)!, `${name}.expected`), 'latin1');
        const diff = differing(readFileSync(gx, 'latin1'), expected);
        if (diff.length === 0) return;
        const notesPath = join(dirOf.get(name)!, `${name}.notes`);
        expect(existsSync(notesPath), `${name}.notes explains the GXemul differences`).toBe(true);
        const notes = readFileSync(notesPath, 'latin1');
        const listed = notes.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.slice(2));
        expect(listed, `${name}.notes lists every line GXemul does not print`).toEqual(diff);
      });

      it.runIf(hasGxemul && existsSync(gx))('GXemul still prints what was recorded', () => {
        const out = execFileSync(join(ROOT, 'scripts/gxemul-run.sh'), [join(ROOT, 'src/exos/images', `${name}.elf`), '60'], { encoding: 'latin1' });
        expect(out).toBe(readFileSync(gx, 'latin1'));
      });
    });
  }
});
