// The attacker: a hostile library OS that tries everything it can. Every
// attempt must be refused with an error code or an exception and an event,
// and the environments beside it must run on untouched.

import { describe, expect, it } from 'vitest';
import { count, scaled, timeoutFor } from '../scale.js';
import { checkedKernel, exosImage } from './helpers.js';

/** Hostile system calls beside memwalk (EXOSCOPE_FUZZ=full: 100,000; test/scale.ts). */
const CALLS = scaled(100_000, 8_000);

describe('the attacker', () => {
  it('is refused every attempt, and reports no breach', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(exosImage('attacker'), 'attacker');
    expect(k.run(100_000_000)).toBe('idle');
    expect(env.console).toMatch(/attacker: (\d+) attempts, \1 as expected, 0 breaches, 0 unexpected\n/);
    expect(env.destroyReason).toBe('exit(0)');
    const refused = k.log.recent().filter((e) => e.kind === 'binding-refused' && e.env === env.id);
    expect(refused.length).toBeGreaterThan(10);
    expect(new Set(refused.map((e) => (e as { reason: string }).reason))).toEqual(new Set(['inval', 'cap', 'perm']));
    expect(violations).toEqual([]);
  });

  it('its faults end it in a defined way: an exception inside its own handler destroys it', () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(exosImage('attacker'), 'attacker', ['die', 'nested']);
    k.run(100_000_000);
    expect(env.destroyReason).toMatch(/inside its own handler/);
    expect(violations).toEqual([]);
  });

  it(`${count(CALLS)} seeded hostile system calls beside memwalk: memwalk is right and the invariant never breaks`, () => {
    const { k, violations, entries } = checkedKernel();
    const attacker = k.createEnv(exosImage('attacker'), 'attacker', ['fuzz', String(CALLS), '7']);
    const walker = k.createEnv(exosImage('memwalk'), 'memwalk', ['200', '4']);
    expect(k.run(2_000_000_000)).toBe('idle');
    expect(attacker.counters.syscalls).toBeGreaterThanOrEqual(CALLS);
    expect(attacker.console).toMatch(/fuzz: 0 breaches; ExOS still works\n/);
    expect(walker.console).toMatch(/memwalk ok\n$/);
    expect(walker.destroyReason).toBe('exit(0)');
    expect(entries()).toBeGreaterThan(CALLS);
    expect(violations).toEqual([]);
  }, timeoutFor(100_000, 15_000, 60_000));
});
