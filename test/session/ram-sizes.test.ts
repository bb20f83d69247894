// Every RAM size the scenario schema accepts (machine.ramMiB) runs every
// bundled scenario with its expectations holding: the frame table's pages,
// which grow with RAM, do not count against an environment's guaranteed
// mappings. EXOSCOPE_FULL=1
// replays every bundled scenario at every accepted size. By default a
// fixed slice: the smallest and largest sizes and two between (128 and 192
// MiB, where networking and memwalk used to fail), each scenario at one of
// them in turn (sorted by name), so every size runs a quarter of the
// scenarios and every scenario runs at a size other than its own. The
// scenarios whose guest work grows with RAM (the scavenger reads every free
// frame, the grabber takes them all: 14 s at 128 MiB, 50 s at 480) run at
// the smallest size in the slice and at the others only under
// EXOSCOPE_FULL. The invariant expectation is left out here:
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

/** The bundled scenarios replayed at `ram`: all of them under EXOSCOPE_FULL, else the slice's share. */
function scenariosAt(ram: number): string[] {
  if (full) return bundled;
  return bundled.filter((f, i) => {
    const size = GROWS_WITH_RAM.has(f) ? RAM_MIN_MIB : SLICE[i % SLICE.length];
    return size === ram;
  });
}

describe('every accepted RAM size runs every bundled scenario', () => {
  it('covers the schema\'s whole range: 12 to 480 MiB', () => {
    expect([RAM_MIN_MIB, RAM_MAX_MIB]).toEqual([12, 480]);
  });

  it('the default slice runs every bundled scenario at one of the four sizes', () => {
    const runs = SLICE.flatMap((ram) => scenariosAt(ram));
    expect(full ? bundled : [...runs].sort()).toEqual(bundled);
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
