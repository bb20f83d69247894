// The processor half of Aegis with real ExOS programs: fair shares from the
// time-slice vector, overruns punished then fatal, revocation honoured and
// aborted with the invariant checked after every kernel entry, LRPC on PCT,
// and ExOS's own stride scheduler.

import { describe, expect, it } from 'vitest';
import { checkedKernel, exosImage } from './helpers.js';

describe('the CPU with ExOS', () => {
  it('spinners holding 2, 4 and 6 slices get the CPU 1 : 2 : 3 within 1%', () => {
    const { k, violations } = checkedKernel({ ramSize: 16 << 20 });
    const envs = [2, 4, 6].map((n) => k.createEnv(exosImage('spinner'), `s${n}`, ['1000000'], { slices: n }));
    // 20 million cycles: over 100 upcalls each, and the shares within 0.2% (no closer at 80 million).
    k.run(20_000_000);
    const used = envs.map((e) => e.cpuCycles + (k.current === e ? k.now() - e.lastRun : 0));
    const total = used.reduce((a, b) => a + b, 0);
    used.forEach((u, i) => expect(Math.abs(u / total - (i + 1) / 6)).toBeLessThan(0.01));
    expect(envs.every((e) => e.counters.upcalls > 100 && e.counters.overruns === 0)).toBe(true);
    expect(violations).toEqual([]);
  }, 60_000);

  it('a repeated epilogue overrun is punished and then fatal, and the others run on', () => {
    const { k, violations } = checkedKernel();
    const rogue = k.createEnv(exosImage('rogue'), 'rogue', ['8']);
    const spinner = k.createEnv(exosImage('spinner'), 'spinner', ['50']);
    k.run(50_000_000);
    const kinds = k.log.recent().filter((e) => 'env' in e && e.env === rogue.id).map((e) => e.kind);
    expect(kinds.filter((x) => x === 'overrun')).toHaveLength(3);
    expect(kinds.filter((x) => x === 'slice-skipped').length).toBeGreaterThanOrEqual(2);
    expect(rogue.destroyReason).toBe('overran its epilogue 3 times in a row');
    expect(spinner.console).toMatch(/spinner ok\n$/);
    expect(violations).toEqual([]);
  });

  it('forced revocations, honoured or aborted, never leave a stale TLB or STLB mapping', () => {
    const { k, violations } = checkedKernel();
    // 10,000 yields: hog is still running at the last of the six requests (at 9.2 million cycles), and done at 21 million.
    const hog = k.createEnv(exosImage('hog'), 'hog', ['40', '10000']);
    const rogue = k.createEnv(exosImage('rogue'), 'rogue', ['24']);
    const walker = k.createEnv(exosImage('memwalk'), 'memwalk', ['64', '40']);
    const outcomes: string[] = [];
    k.log.subscribe((e) => { if (e.kind === 'revoke-honoured' || e.kind === 'abort') outcomes.push(`${e.kind}:${e.env}`); });
    k.run(120_000);
    expect(k.revoke(rogue, 'frames', 4, 10_000)).toBe(true);
    for (let i = 0; i < 6; i++) {
      k.run(1_500_000);
      if (hog.state === 'runnable') k.revoke(hog, 'frames', 3 + i, 60_000 + 20_000 * i);
    }
    k.run(200_000_000);
    expect(outcomes).toContain(`abort:${rogue.id}`);
    expect(outcomes.filter((o) => o === `revoke-honoured:${hog.id}`).length).toBeGreaterThanOrEqual(3);
    expect(hog.console).toMatch(/hog ok\n$/);
    expect(walker.console).toMatch(/memwalk ok\n$/);
    expect(violations).toEqual([]);
  }, 60_000);

  it('200 LRPC round trips on PCT return the right values', () => {
    const { k, violations } = checkedKernel();
    const server = k.createEnv(exosImage('lrpc-server'), 'server', ['200']);
    const client = k.createEnv(exosImage('lrpc-client'), 'client', [String(server.id), '200']);
    k.run(100_000_000);
    expect(client.console).toMatch(/lrpc ok 200\n/);
    expect(server.console).toMatch(/answered 200 calls/);
    expect(violations).toEqual([]);
  });

  it("ExOS's own stride scheduler shares the environment's slices among its threads", () => {
    const { k, violations } = checkedKernel();
    const env = k.createEnv(exosImage('threads'), 'threads', ['60']);
    k.run(100_000_000);
    expect(env.console).toMatch(/1\.00 : 2\.00 : 3\.00/);
    expect(env.console).toMatch(/threads ok\n$/);
    expect(violations).toEqual([]);
  });
});
