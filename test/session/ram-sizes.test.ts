// Issue 12, class 7: every RAM size the scenario schema accepts runs every
// bundled scenario (the frame table's pages, which grow with RAM, no longer
// count against an environment's guaranteed mappings). By default the
// smallest and largest sizes and two between (128 and 192 MiB, where
// networking and memwalk used to fail) are replayed; EXOSCOPE_FULL=1 replays
// every size. The invariant expectation is left out here: the checker costs
// time in proportion to the frames after every kernel entry, and the
// bundled-scenario test checks it at each scenario's own size.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, RAM_MAX_MIB, RAM_MIN_MIB, replay } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const bundled = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
const full = process.env.EXOSCOPE_FULL === '1';
const sizes = full ? Array.from({ length: RAM_MAX_MIB - RAM_MIN_MIB + 1 }, (_, i) => RAM_MIN_MIB + i) : [RAM_MIN_MIB, 128, 192, RAM_MAX_MIB];

describe('every accepted RAM size runs every bundled scenario', () => {
  it('covers the schema\'s whole range: 12 to 480 MiB', () => {
    expect([RAM_MIN_MIB, RAM_MAX_MIB]).toEqual([12, 480]);
  });

  for (const ram of sizes) {
    it(`${ram} MiB`, () => {
      const failures: string[] = [];
      for (const f of bundled) {
        const sc = loadScenario(join(ROOT, 'scenarios', f));
        const r = replay({ ...sc, machine: { ...sc.machine, ramMiB: ram }, expect: sc.expect.filter((x) => x.kind !== 'invariant') });
        failures.push(...r.failures.map((x) => `${f}: ${x}`));
      }
      expect(failures).toEqual([]);
    }, full ? 600_000 : 300_000);
  }
});
