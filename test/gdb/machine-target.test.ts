// GDB's memory writes (M/X packets) reach guest RAM through the bus's
// host-write choke point, so code GDB patches runs patched under the block
// translator, not as blocks translated from the old bytes.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/emu/index.js';
import { MachineTarget, PROGRAM_TID } from '../../src/gdb/machine-target.js';
import { A, R } from '../emu/helpers/asm.js';

const CODE = 0x80010000;
const bytes = (ws: number[]): Uint8Array => new Uint8Array(Uint32Array.from(ws, (w) => w >>> 0).buffer);

describe('MachineTarget.writeMemory', () => {
  it('patches code the translator already compiled, and the patched code runs', () => {
    const m = new Machine({ ramSize: 1 << 20, translate: true, hot: 4 });
    m.load({ entry: CODE, segments: [{ vaddr: CODE, memsz: 12, data: bytes([A.addiu(R.v0, R.v0, 1), A.j(CODE), A.nop()]) }] });
    m.run(300);
    expect(m.cpu.regs[R.v0]).toBe(100);
    expect(m.cpu.translator!.stats.compiled).toBeGreaterThan(0);
    const target = new MachineTarget(m, 'prog');
    expect(target.writeMemory(PROGRAM_TID, CODE, bytes([A.addiu(R.v0, R.v0, -1)]))).toBe(true);
    m.run(300);
    expect(m.cpu.regs[R.v0]).toBe(0);
  });
});
