// Runs the kernel-path sequences of src/exokernel/asm (the kernel-paths
// image) on the emulated CPU, bare metal: the caller sets up the registers
// and memory a sequence reads, `measure` runs it from its first instruction
// to its end marker and counts instructions and cycles.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Machine, parseElf, type ElfImage } from '../../src/emu/index.js';

const IMAGE = fileURLToPath(new URL('../../src/exos/images/kernel-paths.elf', import.meta.url));

/** The sequences' image, loaded into a fresh DECstation with the CPU in kernel mode. */
export interface Paths {
  readonly m: Machine;
  readonly image: ElfImage;
  /** A symbol's address; throws naming it when the image has none. */
  sym(name: string): number;
  /** The word at kseg0/kseg1 address `va`. */
  word(va: number): number;
  setWord(va: number, v: number): void;
  /**
   * Runs from `from` until the pc is `to` (before executing it); throws
   * when `limit` instructions pass first. Returns what ran.
   */
  measure(from: number, to: number, limit?: number): { instructions: number; cycles: number };
}

export function loadPaths(): Paths {
  const image = parseElf(new Uint8Array(readFileSync(IMAGE)), IMAGE);
  const m = new Machine({ ramSize: 8 << 20 });
  for (const s of image.segments) m.bus.ram8.set(s.data, s.vaddr & 0x1fffffff);
  const cpu = m.cpu;
  cpu.status = 0; // kernel mode, interrupts off; rfe keeps it (KUp = 0)
  const sym = (name: string): number => {
    const s = image.symbols.find((x) => x.name === name);
    if (!s) throw new Error(`kernel-paths.elf has no symbol ${name}`);
    return s.value >>> 0;
  };
  const idx = (va: number) => (va & 0x1fffffff) >>> 2;
  return {
    m, image, sym,
    word: (va) => m.bus.ram32[idx(va)] >>> 0,
    setWord: (va, v) => { m.bus.ram32[idx(va)] = v | 0; },
    measure(from, to, limit = 5000) {
      cpu.jump(from);
      const i0 = cpu.instret, c0 = cpu.cycles;
      while ((cpu.pc >>> 0) !== (to >>> 0)) {
        if (cpu.instret - i0 > limit) throw new Error(`no end marker 0x${(to >>> 0).toString(16)} within ${limit} instructions (pc 0x${(cpu.pc >>> 0).toString(16)})`);
        cpu.step();
      }
      return { instructions: cpu.instret - i0, cycles: cpu.cycles - c0 };
    },
  };
}
