// The monolithic baseline kernel (src/mono) runs its own test programs on
// the emulated DECstation: each prints exactly test/mono/<name>.expected
// (the kernel's argv[1] names the first process's program; `init` runs
// them all). The kernel's costs are its own instructions: nothing here
// but the machine runs it.

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, parseElf } from '../../src/emu/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'test/mono');
const IMAGE = join(ROOT, 'src/exos/images/mono.elf');
const programs = readdirSync(DIR).filter((f) => f.endsWith('.expected')).map((f) => f.replace(/\.expected$/, ''));

/** Boots the kernel with argv [kernel, ...args] to its halt; the console output and instruction count. */
function boot(args: string[]): { out: string; instret: number } {
  const chunks: Uint8Array[] = [];
  const m = new Machine({ onConsole: (b) => chunks.push(b) });
  m.load(parseElf(new Uint8Array(readFileSync(IMAGE)), IMAGE), [IMAGE, ...args]);
  const reason = m.run(200_000_000);
  expect(reason, `mono ${args.join(' ')} halts`).toBe('halt');
  return { out: Buffer.concat(chunks).toString('latin1'), instret: m.cpu.instret };
}

describe('monolithic kernel test programs', () => {
  it('has the programs the brief names', () => {
    expect(programs).toEqual(expect.arrayContaining(['forktest', 'pipetest', 'shmtest', 'sigtest', 'badptr', 'preempt', 'init']));
  });

  for (const name of programs) {
    it(`${name} prints exactly its expected output and exits 0`, () => {
      const { out } = boot([name]);
      expect(out).toBe(readFileSync(join(DIR, `${name}.expected`), 'latin1'));
      expect(out.endsWith('mono: init exited with status 0\n')).toBe(true);
    });
  }

  it('runs the same, instruction for instruction, every time', () => {
    expect(boot(['pipetest'])).toEqual(boot(['pipetest']));
  });

  it('reports a program that does not exist and halts', () => {
    expect(boot(['nosuch']).out).toBe('mono: cannot exec nosuch\nmono: init exited with status 1\n');
  });

  it('passes arguments through exec', () => {
    expect(boot(['echo', 'a', 'bc']).out).toBe('a bc\nmono: init exited with status 0\n');
  });

  it('init reports a failing program with its status', () => {
    expect(boot(['init', 'echo', 'nosuch']).out).toBe(
      'init: echo exited with status 0\ninit: exec nosuch failed: -2\ninit: nosuch exited with status 127\nmono: init exited with status 1\n');
  });
});
