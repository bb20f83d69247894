// Translated blocks against the interpreter under the exokernel: two kernels
// run the same ExOS environments, one translating and one interpreting, and
// are compared after every block the first one runs (whole CPU state and
// every RAM page written), through kernel entries, context switches, page
// faults served by the library OS and the STLB, frame frees and exits.

import { describe, expect, it } from 'vitest';
import { exosImage } from './helpers.js';
import { Lockstep } from '../../src/emu/lockstep.js';
import { Kernel } from '../../src/exokernel/index.js';

/** A kernel with a busy mix of environments, translating or not. */
function busy(translate: boolean): Kernel {
  const k = new Kernel({ ramSize: 12 << 20, translate });
  k.createEnv(exosImage('scavenger'), 'leaver', ['fill', '1', '32', 'exit']);
  k.createEnv(exosImage('scavenger'), 'freer', ['fill', '2', '32', 'free']);
  k.createEnv(exosImage('memwalk'), 'memwalk', ['96', '3']);
  k.createEnv(exosImage('share'), 'writer', ['writer', '1500', '1234abcd5678ef01']);
  k.createEnv(exosImage('share'), 'reader', ['reader', '1500', '1234abcd5678ef01']);
  return k;
}

/** The kinds and cycles of every event, as one comparable string. */
const events = (k: Kernel): string => k.log.recent().map((e) => `${e.cycle}:${e.kind}`).join(' ');

describe('lockstep under the exokernel', () => {
  it('translated and interpreted kernels agree at every block boundary of a busy run', () => {
    const fast = busy(true), ref = busy(false);
    const ls = new Lockstep(fast.machine, ref.machine, (n) => ref.run(n));
    // 2.5 million cycles: every kind of event the mix makes has come by 1.7 million (the first
    // frame-free, at 1,612,483) and four of the five environments have ended by 2.1 million
    // (2,065,784); after that only the freer goes on, filling and freeing frames as before.
    const r = ls.run(2_500_000, (b) => fast.run(b));
    expect(r.mismatch).toBeUndefined();
    expect([...fast.envs.values()].filter((e) => e.state === 'destroyed')).toHaveLength(4);
    expect(r.blocks).toBeGreaterThan(10_000);
    expect(fast.machine.cpu.translator!.stats.compiled).toBeGreaterThan(100);
    // Blocks of the library OS (mapped, in kuseg) whose functions go on to further parts (translate.ts withParts).
    expect(fast.machine.cpu.translator!.blocks().filter((v) => v.compiled && v.parts.length > 0 && (v.va >>> 0) < 0x80000000).length).toBeGreaterThan(0);
    expect(ref.now()).toBe(fast.now());
    expect(events(ref)).toBe(events(fast));
    expect([...fast.envs.values()].map((e) => e.console)).toEqual([...ref.envs.values()].map((e) => e.console));
  });
});
