// Every RAM size the scenario schema accepts (machine.ramMiB) runs every
// bundled scenario with its expectations holding: the frame table's pages,
// which grow with RAM, do not count against an environment's guaranteed
// mappings. EXOSCOPE_FULL=1
// replays every bundled scenario at every accepted size. By default a
// fixed slice: the smallest and largest sizes and two between (128 and 192
// MiB, where networking and memwalk used to fail), every other scenario
// (sorted by name) at one of them in turn, so every size runs an eighth of
// the scenarios at a size other than its own (what grows with RAM is the
// kernel's frame table, the same for every scenario at a size). The
// scenarios whose guest work grows with RAM (the scavenger reads every free
// frame, the grabber takes them all: 14 s at 128 MiB, 50 s at 480) run at
// the smallest size in the slice unless it is their own, and at the others
// only under EXOSCOPE_FULL. The invariant expectation is left out here:
// the checker costs time in proportion to the frames after every kernel
// entry, and the bundled-scenario test checks it at each scenario's own
// size.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, RAM_MAX_MIB, RAM_MIN_MIB, replay } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const bundled = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
const full = process.env.EXOSCOPE_FULL === '1';
const SLICE = [RAM_MIN_MIB, 128, 192, RAM_MAX_MIB];
const sizes = full ? Array.from({ length: RAM_MAX_MIB - RAM_MIN_MIB + 1 }, (_, i) => RAM_MIN_MIB + i) : SLICE;
/** Guest work proportional to RAM: the smallest size in the slice. */
const GROWS_WITH_RAM = new Set(['scavenger.yaml', 'starved.yaml']);

/** A bundled scenario's own RAM size in MiB. */
const ownRam = (f: string): number => loadScenario(join(ROOT, 'scenarios', f)).machine.ramMiB;
/**
 * The scenarios of the default slice: every other bundled one, and those
 * whose work grows with RAM unless the smallest size is their own (the
 * scavenger's: the bundled-scenario test replays it there).
 */
const sliced = bundled.filter((f, i) => (GROWS_WITH_RAM.has(f) ? ownRam(f) !== RAM_MIN_MIB : i % 2 === 0));

/** The bundled scenarios replayed at `ram`: all of them under EXOSCOPE_FULL, else the slice's share. */
function scenariosAt(ram: number): string[] {
  if (full) return bundled;
  return sliced.filter((f, i) => {
    const size = GROWS_WITH_RAM.has(f) ? RAM_MIN_MIB : SLICE[i % SLICE.length];
    return size === ram;
  });
}

describe('every accepted RAM size runs every bundled scenario', () => {
  it('covers the schema\'s whole range: 12 to 480 MiB', () => {
    expect([RAM_MIN_MIB, RAM_MAX_MIB]).toEqual([12, 480]);
  });

  it('the default slice runs half the bundled scenarios, each at one of the four sizes, and every size', () => {
    const runs = SLICE.flatMap((ram) => scenariosAt(ram));
    expect(full ? bundled : [...runs].sort()).toEqual(full ? bundled : sliced);
    expect(sliced.length).toBeGreaterThanOrEqual(bundled.length / 2);
    for (const ram of SLICE) expect(scenariosAt(ram).length, `${ram} MiB`).toBeGreaterThan(0);
  });

  for (const ram of sizes) {
    const at = scenariosAt(ram);
    it(`${ram} MiB: ${at.length === bundled.length ? 'every bundled scenario' : at.join(', ')}`, () => {
      expect(at.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const f of at) {
        const sc = loadScenario(join(ROOT, 'scenarios', f));
        const r = replay({ ...sc, machine: { ...sc.machine, ramMiB: ram }, expect: sc.expect.filter((x) => x.kind !== 'invariant') });
        failures.push(...r.failures.map((x) => `${f}: ${x}`));
      }
      expect(failures).toEqual([]);
    }, full ? 600_000 : 300_000);
  }
});
