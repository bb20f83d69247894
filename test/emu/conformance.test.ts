// The conformance suite: bare-metal guest programs (src/exos/conformance)
// print their results through the PROM; each must print exactly its
// .expected output on exoscope. The .gxemul files hold what GXemul 0.7.0
// printed; where it differs from .expected, the .notes file explains every
// differing line from the manual (reference/decstation.md lists GXemul's
// known bugs). When gxemul is installed the recorded output is re-checked.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, parseElf } from '../../src/emu/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'test/emu/conformance');
const programs = readdirSync(DIR).filter((f) => f.endsWith('.expected')).map((f) => f.replace(/\.expected$/, ''));
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

/** Lines of a that b does not have at the same position. */
function differing(a: string, b: string): string[] {
  const x = a.split('\n'), y = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) out.push(x[i] ?? '<missing>');
  return out;
}

describe('conformance programs', () => {
  it('there are programs to check', () => {
    expect(programs.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of programs) {
    describe(name, () => {
      it('prints exactly its expected output on exoscope, the same every run', () => {
        const a = runImage(name);
        expect(a.out).toBe(readFileSync(join(DIR, `${name}.expected`), 'latin1'));
        const b = runImage(name);
        expect(b).toEqual(a);
      });

      const gx = join(DIR, `${name}.gxemul`);
      it.runIf(existsSync(gx))('differs from GXemul only on lines its notes explain', () => {
        const expected = readFileSync(join(DIR, `${name}.expected`), 'latin1');
        const diff = differing(readFileSync(gx, 'latin1'), expected);
        if (diff.length === 0) return;
        const notesPath = join(DIR, `${name}.notes`);
        expect(existsSync(notesPath), `${name}.notes explains the GXemul differences`).toBe(true);
        const notes = readFileSync(notesPath, 'latin1');
        for (const line of diff) {
          const key = line.split(':')[0].trim();
          expect(notes.includes(key), `${name}.notes mentions "${key}"`).toBe(true);
        }
      });

      it.runIf(hasGxemul && existsSync(gx))('GXemul still prints what was recorded', () => {
        const out = execFileSync(join(ROOT, 'scripts/gxemul-run.sh'), [join(ROOT, 'src/exos/images', `${name}.elf`), '60'], { encoding: 'latin1' });
        expect(out).toBe(readFileSync(gx, 'latin1'));
      });
    });
  }
});
