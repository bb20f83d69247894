// The property of time travel (docs/architecture.md, "Time travel"): for
// every bundled scenario, at seeded random (point, distance) pairs, going
// back `distance` from `point` shows exactly what a fresh run stopped there
// shows, and continuing reproduces the original run's event history byte
// for byte. Points are taken from the golden run's events of the kinds
// where the kernel is busiest (ASHs, PCT, upcalls, revocation, packet
// delivery), so the travel lands inside those windows. EXOSCOPE_FULL=1
// runs every scenario to its end with more pairs.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drive, fresh, FULL, historyLines, loadBundled, open, prng, shown } from './travel-helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
// The monolithic kernel's scenarios travel through MonoSession: test/session/mono-session.test.ts checks them.
const bundled = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml') && !loadBundled(f).mono).sort();
const CAP = FULL ? Infinity : 500_000;
const PAIRS = FULL ? 4 : 1;
const BUSY = new Set(['ash', 'ash-abort', 'pct', 'upcall', 'revoke-request', 'revoke-honoured', 'abort', 'packet-received', 'packet-delivered', 'packet-sent', 'yield', 'epilogue', 'env-destroyed']);

describe('time travel over every bundled scenario', () => {
  for (const [n, f] of bundled.entries()) {
    it(`${f}: back from seeded points shows a fresh run's state, and the run continues as the original`, () => {
      const sc = loadBundled(f);
      const t = open(sc);
      drive(t, CAP);
      const want = historyLines(t.s);
      const end = t.s.kernel.now();
      const events = t.s.history.slice(0, t.s.history.length);
      const busy = events.filter((e) => BUSY.has(e.kind) && e.cycle > 0 && e.cycle < end);
      const pool = busy.length ? busy : events.filter((e) => e.cycle > 0 && e.cycle < end);
      const rnd = prng(0x7a11 + n);
      for (let p = 0; p < PAIRS && pool.length; p++) {
        const e = pool[Math.floor(rnd() * pool.length)];
        const point = Math.min(end, e.cycle + Math.floor(rnd() * 64));
        // The first travel goes back from the end to the point; the second, the pair's distance.
        expect(typeof t.s.travelNow({ cycle: point }, 'to the point')).toBe('object');
        const here = t.s.kernel.now();
        const byInstructions = p % 2 === 1 && t.s.kernel.cpu.instret > 0;
        const distance = byInstructions ? 1 + Math.floor(rnd() * Math.min(t.s.kernel.cpu.instret, 20_000)) : 1 + Math.floor(rnd() * here);
        const stop = byInstructions ? t.s.stepBack(distance) : t.s.travelNow({ cycle: here - distance }, 'back');
        expect(typeof stop === 'object' && stop !== null, `${f}: travel back ${distance} from ${here}`).toBe(true);
        const at = t.s.kernel.now();
        expect(at).toBeLessThanOrEqual(here);
        const forward = fresh(sc);
        drive(forward, at);
        expect(forward.s.kernel.now()).toBe(at);
        expect(shown(t.s), `${f}: at cycle ${at} (back ${distance} from ${here}, near ${e.kind})`).toEqual(shown(forward.s));
        drive(t, CAP);
        expect(historyLines(t.s), `${f}: continuing from ${at}`).toEqual(want);
        expect(t.s.kernel.now()).toBe(end);
      }
    }, FULL ? 1_800_000 : undefined);
  }
});
