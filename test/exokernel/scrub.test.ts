// Frames are handed out zeroed (docs/protection.md, "Frames are handed out zeroed"): claimFrame is the only
// way a frame gets an owner, it zeroes the frame and charges
// Costs.ZERO_FRAME, and nothing else in the kernel allocates frames.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, Costs } from '../../src/exokernel/index.js';
import { claimFrame } from '../../src/exokernel/scrub.js';
import { Sys } from '../../src/exokernel/abi.js';
import { A, R } from './helpers.js';

const SRC = resolve(import.meta.dirname, '../../src');

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('claimFrame', () => {
  it('zeroes a frame its last owner left data in, and charges ZERO_FRAME', () => {
    const k = new Kernel({ ramSize: 1 << 20 });
    const f = claimFrame(k, -1, 7, 1, 2) as number;
    k.machine.bus.hostWrite(f << 12, new Uint8Array(4096).fill(0xe7));
    k.frames.free(f);
    const before = k.now();
    expect(claimFrame(k, f, 8, 3, 4)).toBe(f);
    expect(k.now() - before).toBe(Costs.ZERO_FRAME);
    expect(k.machine.bus.ram8.subarray(f << 12, (f + 1) << 12).every((b) => b === 0)).toBe(true);
    expect(k.frames.frames[f].owner).toBe(8);
  });

  it('zeroes and charges nothing when the frame is refused', () => {
    const k = new Kernel({ ramSize: 1 << 20 });
    const f = claimFrame(k, -1, 7, 1, 2) as number;
    k.machine.bus.ram32[(f << 12) >>> 2] = 99;
    const before = k.now();
    expect(claimFrame(k, f, 8, 3, 4)).toBe('busy');
    expect(claimFrame(k, 1 << 20, 8, 3, 4)).toBe('inval');
    expect(k.now()).toBe(before);
    expect(k.machine.bus.ram32[(f << 12) >>> 2]).toBe(99);
  });

  it('is the only caller of FrameTable.alloc in the sources', () => {
    const callers = sources(SRC).filter((f) => /\bframes\.alloc\(/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(SRC.length + 1));
    expect(callers).toEqual(['exokernel/scrub.ts']);
  });
});

describe('host writes to guest RAM', () => {
  it('outside src/emu go only through the bus (hostWrite, hostWrite32, hostWrite8, hostFill), which drops translated code', () => {
    // A write through ram8/ram16/ram32 (as a property or a name), or through a
    // local bound to one of them (const ram = bus.ram8), or the old loadRam.
    const writes = (target: string) => [new RegExp(`${target}\\s*\\[[^\\]]*\\]\\s*([-+|&^]|<<|>>>?)?=(?!=)`), new RegExp(`${target}\\.(set|fill|copyWithin)\\(`)];
    const found = sources(SRC).filter((f) => !f.startsWith(join(SRC, 'emu'))).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const aliases = [...text.matchAll(/(?:const|let)\s+(\w+)\s*=\s*[\w.!?]*\.ram(?:8|16|32)\s*[;,]/g)].map((m) => m[1]);
      const direct = [...writes('\\bram(8|16|32)'), ...(aliases.length ? writes(`(?<![.\\w])(${aliases.join('|')})`) : []), /\bloadRam\(/];
      return text.split('\n').flatMap((line, i) => (direct.some((re) => re.test(line)) ? [`${f.slice(SRC.length + 1)}:${i + 1}: ${line.trim()}`] : []));
    });
    expect(found).toEqual([]);
  });
});

describe('a zeroed frame under the block translator', () => {
  const CODE = 0x00400000, LOOP = CODE + 0x100;
  const seg = (vaddr: number, words: number[]) => {
    const data = new Uint8Array(new Int32Array(words.map((w) => w | 0)).buffer);
    return { vaddr, memsz: data.length, data, flags: 7 };
  };
  const codeFrame = (env: { guaranteed: Map<number, { frame: number }> }) => env.guaranteed.get(CODE >>> 12)!.frame;

  it('runs the next owner\'s code, not blocks translated from the previous owner\'s', () => {
    const k = new Kernel({ ramSize: 1 << 20 });
    const tr = k.cpu.translator!;
    // A: a hot loop at LOOP (addiu s0; bne s0, t1; nop), translated once it has run HOT_DEFAULT instructions.
    const a = k.createEnv({ entry: CODE, segments: [
      seg(CODE, [A.addiu(R.t1, R.zero, 20000), A.j(LOOP), A.nop()]),
      seg(LOOP, [A.addiu(R.s0, R.s0, 1), A.bne(R.s0, R.t1, -2), A.nop(), A.addiu(R.a0, R.zero, 0), A.addiu(R.v0, R.zero, Sys.Exit), A.syscall()]),
    ] }, 'a');
    const frameA = codeFrame(a);
    expect(k.run(1_000_000)).toBe('idle');
    expect(a.destroyReason).toBe('exit(0)');
    expect(tr.stats.compiled).toBeGreaterThan(0);
    // B gets the same frame, zeroed by claimFrame; its image leaves LOOP..LOOP+0x10
    // unwritten, so only the zeroing (nops there) replaces A's loop. Run stale,
    // A's block would leave s0 = 1; B's own code runs four nops and exits with s0 = 0.
    const invalidated = tr.stats.invalidated;
    const b = k.createEnv({ entry: CODE, segments: [
      seg(CODE, [A.addiu(R.t1, R.zero, 1), A.j(LOOP), A.nop()]),
      seg(LOOP + 0x10, [A.addu(R.a0, R.s0, R.zero), A.addiu(R.v0, R.zero, Sys.Exit), A.syscall()]),
    ] }, 'b');
    expect(codeFrame(b)).toBe(frameA);
    expect(tr.stats.invalidated).toBeGreaterThan(invalidated);
    // The idle that ended A's run (goIdle, outside a machine run) leaves its
    // stop pending, which the next run may honour first.
    const first = k.run(1_000_000);
    expect(first === 'stop' ? k.run(1_000_000) : first).toBe('idle');
    expect(b.destroyReason).toBe('exit(0)');
  });
});
