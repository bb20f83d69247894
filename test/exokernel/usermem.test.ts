// User memory (src/exokernel/usermem.ts): the kernel reads and writes what
// an environment sees only through its bindings, and an address it has not
// mapped, or mapped read-only, is an error, never a host exception.

import { describe, expect, it } from 'vitest';
import { Info, Layout, Sys } from '../../src/exokernel/abi.js';
import { copyIn, copyOut, copyOutPinned, frameWord, pinnedPa, readPinned, setFrameWord, userPa, writePinned } from '../../src/exokernel/usermem.js';
import { A, Prog, R, checkedKernel } from './helpers.js';

/** A kernel with one environment that exits at once (its stack and info page stay mapped until it runs). */
function oneEnv() {
  const { k, violations } = checkedKernel();
  const p = new Prog();
  p.emit(A.addiu(R.a0, R.zero, 0)).sys(Sys.Exit);
  const env = k.createEnv(p.image(), 'mem');
  return { k, env, violations };
}

const top = Layout.STACK_TOP - 4; // the last word of the stack, writable; the frame table above it is read-only

describe('user memory', () => {
  it('copyIn reads through the bindings: the info page holds the environment id; an unmapped or kernel address is undefined', () => {
    const { k, env } = oneEnv();
    const id = copyIn(k, env, Layout.INFO + Info.ENVID, 4)!;
    expect(new DataView(id.buffer).getInt32(0, true)).toBe(env.id);
    expect(copyIn(k, env, Layout.HEAP, 1)).toBeUndefined();
    expect(copyIn(k, env, 0x80000000, 1)).toBeUndefined();
    expect(copyIn(k, env, Layout.INFO + Layout.PAGE - 2, 4)).toBeUndefined(); // runs off the info page
  });

  it('copyOut writes through writable bindings and reads back; over a read-only byte it writes nothing at all', () => {
    const { k, env } = oneEnv();
    expect(copyOut(k, env, top, Uint8Array.of(1, 2, 3, 4))).toBe(true);
    expect([...copyIn(k, env, top, 4)!]).toEqual([1, 2, 3, 4]);
    expect(copyOut(k, env, top + 2, Uint8Array.of(9, 9, 9, 9))).toBe(false); // the last two bytes land on the read-only frame table
    expect([...copyIn(k, env, top, 4)!]).toEqual([1, 2, 3, 4]);
    expect(copyOut(k, env, Layout.INFO, Uint8Array.of(0))).toBe(false);
    expect(copyOut(k, env, Layout.HEAP, Uint8Array.of(0))).toBe(false);
  });

  it('pinned access reaches only guaranteed writable memory; copyOutPinned stops at the first byte that is not', () => {
    const { k, env } = oneEnv();
    expect(pinnedPa(env, top)).toBe(userPa(k, env, top));
    expect(pinnedPa(env, Layout.INFO)).toBe(-1);
    expect(writePinned(k, env, top, 0x11223344)).toBe(true);
    expect(readPinned(k, env, top)).toBe(0x11223344);
    expect(writePinned(k, env, Layout.INFO, 1)).toBe(false);
    expect(readPinned(k, env, Layout.INFO)).toBe(-1);
    expect(copyOutPinned(k, env, top + 2, Uint8Array.of(7, 7, 7, 7))).toBe(false);
    expect([...copyIn(k, env, top, 4)!]).toEqual([0x44, 0x33, 7, 7]);
  });

  it('frame words are the kernel pages as the environment reads them', () => {
    const { k, env } = oneEnv();
    expect(frameWord(k, env.infoFrame, Info.ENVID)).toBe(env.id);
    setFrameWord(k, env.repoFrame, 0, -5);
    expect([...copyIn(k, env, Layout.REPO, 4)!]).toEqual([0xfb, 0xff, 0xff, 0xff]);
  });
});
