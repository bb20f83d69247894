// Our disassembly against a live GNU objdump, when the cross toolchain is
// installed: every ELF image the project ships, the golden fixtures, and
// synthesized images full of random words. The golden-file tests in
// disasm.test.ts cover the same ground without the toolchain.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { disassembleElf } from '../../src/emu/disasm.js';
import { parseElf } from '../../src/emu/elf.js';
import { count, scaled } from '../scale.js';
import { makeElf } from './fixtures/elf/make-elf.js';

const OBJDUMP = 'mipsel-linux-gnu-objdump';
const ROOT = join(import.meta.dirname, '..', '..');
const IMAGES = join(ROOT, 'src', 'exos', 'images');
const FIXTURES = [join(import.meta.dirname, 'fixtures', 'disasm'), join(import.meta.dirname, 'fixtures', 'elf')];

const hasObjdump = spawnSync(OBJDUMP, ['--version']).status === 0;
const skipped = hasObjdump ? '' : ` (skipped: ${OBJDUMP} is not on PATH)`;

/** objdump -d's output for `path`, exactly as it printed it. */
function objdump(path: string): string {
  const run = spawnSync(OBJDUMP, ['-d', path], { maxBuffer: 1 << 30, encoding: 'latin1' });
  if (run.status !== 0) throw new Error(`${OBJDUMP} -d ${path} failed: ${run.stderr}`);
  return run.stdout;
}

/** The first line where `ours` and `theirs` differ, for a readable failure. */
function firstDifference(ours: string, theirs: string): string | undefined {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  objdump: ${JSON.stringify(b[i])}\n  ours:    ${JSON.stringify(a[i])}`;
  }
  return undefined;
}

/** Every file under `dir` (recursively) that starts with the ELF magic. */
function elfFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return elfFiles(path);
    const head = readFileSync(path).subarray(0, 4);
    return head.length === 4 && head[0] === 0x7f && head.toString('latin1', 1) === 'ELF' ? [path] : [];
  });
}

function expectSameAsObjdump(path: string): void {
  const ours = disassembleElf(parseElf(readFileSync(path), path));
  const theirs = objdump(path);
  expect(firstDifference(ours, theirs)).toBeUndefined();
  expect(ours).toBe(theirs);
}

const images = elfFiles(IMAGES);
const fixtures = FIXTURES.flatMap(elfFiles);

describe('the shipped guest images', () => {
  it(`are MIPS I executables, so that objdump decodes them as an R3000 would (${images.length} found)`, () => {
    for (const path of images) {
      const { flags } = parseElf(readFileSync(path), path);
      // EF_MIPS_ARCH (bits 31..28) is 0 for MIPS I. A higher level means MIPS32r2
      // code crept in, e.g. from Debian's libgcc.a: the R3000 cannot run it.
      expect({ image: relative(ROOT, path), isa: flags >>> 28 }).toEqual({ image: relative(ROOT, path), isa: 0 });
    }
  });

  for (const path of images) {
    it.skipIf(!hasObjdump)(`disassemble like live objdump: ${relative(ROOT, path)}${skipped}`, () => {
      expectSameAsObjdump(path);
    });
  }
});

describe('the fixtures', () => {
  for (const path of fixtures) {
    it.skipIf(!hasObjdump)(`disassemble like live objdump: ${relative(ROOT, path)}${skipped}`, () => {
      expectSameAsObjdump(path);
    });
  }
});

/** Random words in each image (EXOSCOPE_FUZZ=full: 100,000; test/scale.ts). */
const WORDS = scaled(100_000, 12_000);

describe('random words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exoscope-objdump-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An image of `count` xorshift words at `textAddr`, with a few symbols. */
  function randomImage(seed: number, count: number, textAddr: number): string {
    const text = new Uint8Array(count * 4);
    const view = new DataView(text.buffer);
    let s = seed;
    for (let i = 0; i < count; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      view.setUint32(i * 4, s, true);
    }
    const symbols = [
      { name: 'start', value: textAddr },
      { name: 'middle', value: textAddr + count * 2, type: 0 },
      { name: 'local', value: textAddr + count * 3, bind: 0, type: 0 },
    ];
    const path = join(dir, `random-${textAddr.toString(16)}.elf`);
    writeFileSync(path, makeElf({ text, textAddr, symbols }).bytes);
    return path;
  }

  for (const [seed, textAddr] of [[0x9e3779b9, 0x80030000], [0x2545f491, 0x00400000], [0x1b873593, 0x7fff0000]]) {
    it.skipIf(!hasObjdump)(`disassemble like live objdump: ${count(WORDS)} words at 0x${textAddr.toString(16)}${skipped}`, () => {
      expectSameAsObjdump(randomImage(seed, WORDS, textAddr));
    });
  }
});
