// An environment whose last time slice is revoked (Aegis paper, sec. 5.3:
// the CPU is a vector of slices, round robin over it; sec. 5.4: directed
// yield and PCT donate the rest of a slice). It stays runnable but is off
// the vector: round robin never reaches it, so the machine idles and says
// so with a no-slice event naming it, never a silent idle; an idle wait
// for another environment does not spin on it; and it still runs, to its
// end, on slices another environment donates to it.

import { describe, expect, it } from 'vitest';
import { checkedKernel, exosImage } from './helpers.js';

describe('an environment that holds no time slice', () => {
  it('is named when the CPU idles, and runs when another donates to it', () => {
    const { k, violations } = checkedKernel();
    const spinner = k.createEnv(exosImage('spinner'), 'spinner', ['6']);
    while (spinner.counters.slices < 2) expect(k.run(100_000)).not.toBe('idle');
    expect(k.revoke(spinner, 'slices', 1, 50_000)).toBe(true);
    expect(k.run(50_000_000)).toBe('idle');
    // The abort protocol took its only slice: runnable, unfinished, off the vector.
    expect(k.log.recent().some((e) => e.kind === 'abort' && e.env === spinner.id && e.what === 'slices')).toBe(true);
    expect(k.slices.slotsOf(spinner.id)).toEqual([]);
    expect(spinner.state).toBe('runnable');
    expect(spinner.console).not.toMatch(/slices begun/);
    const idle = k.log.recent().map((e) => e.kind).lastIndexOf('idle');
    expect(k.log.recent()[idle - 1]).toMatchObject({ kind: 'no-slice', env: spinner.id });
    // A donor with a slice gives it the rest of each of its slices.
    const donor = k.createEnv(exosImage('donor'), 'donor', [String(spinner.id), '1000']);
    expect(k.run(500_000_000)).toBe('idle');
    expect(spinner.destroyReason).toBe('exit(0)');
    expect(spinner.console).toMatch(/spinner: \d+ iterations, 6 slices begun\n[^]*spinner ok\n/);
    expect(donor.console).toMatch(/donor ok\n/);
    expect(k.log.recent().some((e) => e.kind === 'yield' && e.env === donor.id && e.to === spinner.id)).toBe(true);
    expect(violations).toEqual([]);
  });

  it('does not end an idle wait for another environment: the CPU idles, not spinning, until the wait ends', () => {
    const { k, violations } = checkedKernel();
    const spinner = k.createEnv(exosImage('spinner'), 'spinner', ['6']);
    const echo = k.createEnv(exosImage('udp-echo'), 'echo', ['10.0.0.2', '7']);
    while (echo.state !== 'waiting') expect(k.run(100_000)).not.toBe('idle');
    expect(k.revoke(spinner, 'slices', 1, 50_000)).toBe(true);
    const from = k.log.recent().length;
    // echo waits for a packet that never comes; spinner cannot be scheduled.
    expect(k.run(20_000_000)).toBe('budget');
    const kinds = k.log.recent().slice(from).map((e) => e.kind);
    // (echo's net_wait times out now and then and it waits again: an idle each time, no more.)
    const idles = kinds.filter((x) => x === 'idle').length;
    expect(idles).toBeGreaterThanOrEqual(1);
    expect(idles).toBeLessThan(5);
    expect(kinds.filter((x) => x === 'no-slice')).toHaveLength(idles);
    expect(spinner.state).toBe('runnable');
    expect(echo.state).toBe('waiting');
    expect(violations).toEqual([]);
  });
});
