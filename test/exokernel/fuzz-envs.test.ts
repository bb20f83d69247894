// The hostile-syscall fuzzer in several environments at once, which share
// frames, revoke, yield and PCT to each other (docs/protection.md, "The
// tests"), with a memory-integrity check. Fuzzing environments draw
// random system calls (attacker-fuzz.c: yield_to and PCT to random
// environment ids, frames granted read-write to each other with keys swapped
// in PCT registers through the server and bound writable, bindings, filters with hostile ASHs on
// frames the test injects beside well-behaved ones, attacker-peer.c; a server takes the PCTs); victim environments
// (attacker-victim.c) keep checksums of their own pages (private, or
// shared read-only), yield, and report any change they did not make.
// Fuzzers and victims store through the peers' frames they hold a key
// for, each a tag in its own slot, and check their own shared frames:
// every word zero or the tag of a holder of the key they gave out
// (attacker-share.c), so a store through a freed, revoked or forged
// binding is an integrity break; memwalk checks
// its own memory; and the test revokes slices of everyone (last ones
// included: an environment left with none runs when a donor yields to it)
// and frames of the fuzzers at random times. Zero invariant breaks, zero host exceptions,
// zero integrity breaks. EXOSCOPE_FUZZ=full: 1,000,000 calls (test/scale.ts).

import { describe, expect, it } from 'vitest';
import { count, scaled, timeoutFor } from '../scale.js';
import { checkedKernel, exosImage } from './helpers.js';

const CALLS = scaled(1_000_000, 4_000);
const FUZZERS = 4;
const VICTIMS = 2;
/** Slices each environment starts with (few, so that last slices are revoked too). */
const SLICES = 2;
/** Cycles between the test's revocations. */
const STEP = 2_000_000;

/** xorshift32 for the test's own choices (when and whom to revoke). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** A frame for the filter of environment `env` (attacker-peer.c: ethertype 0x88b5, then the id). */
function peerFrame(mac: readonly number[], env: number, salt: number): Uint8Array {
  const f = new Uint8Array(60 + (salt % 200));
  f.set(mac, 0);
  f.set([0x02, 0, 0, 0, 0x0f, 0x22], 6);
  f[12] = 0x88; f[13] = 0xb5; f[14] = (env >>> 8) & 0xff; f[15] = env & 0xff;
  for (let i = 16; i < f.length; i++) f[i] = (salt >>> (i % 24)) & 0xff;
  return f;
}

describe('the hostile fuzzer in several environments', () => {
  it(`${count(CALLS)} hostile calls from ${FUZZERS} environments beside victims that watch their pages: no invariant, host or integrity break`, () => {
    const { k, violations, entries } = checkedKernel();
    // The fuzzers' pct_sync and pct_async land here (the others have no
    // protected entry), and they swap frame keys through it.
    const server = k.createEnv(exosImage('attacker'), 'server', ['server', '5000'], { slices: SLICES });
    const fuzzers = Array.from({ length: FUZZERS }, (_, i) =>
      k.createEnv(exosImage('attacker'), `fuzz-${i}`, ['fuzz', String(CALLS / FUZZERS), String(1000 + 77 * i), String(server.id)], { slices: SLICES }));
    const victims = Array.from({ length: VICTIMS }, (_, i) =>
      k.createEnv(exosImage('attacker'), `victim-${i}`, ['victim', String(Math.max(200, CALLS / 100)), String(31 + i), String(server.id)], { slices: SLICES }));
    const walker = k.createEnv(exosImage('memwalk'), 'memwalk', [String(scaled(200, 64)), String(scaled(4, 2))]);
    const seen = new Map<string, number>();
    k.log.subscribe((e) => { seen.set(e.kind, (seen.get(e.kind) ?? 0) + 1); });
    const r = prng(0xf022);
    let revoked = 0, stop = '', donors = 0;
    for (let step = 0; step < 100_000 && stop !== 'idle'; step++) {
      const alive = [...k.envs.values()].filter((e) => e.state !== 'destroyed');
      const target = alive[r() % Math.max(1, alive.length)];
      if (target && r() % 3 === 0) {
        // Frames from the fuzzers (a victim's pages are its to keep); a
        // slice from anyone, the last one included.
        const frames = fuzzers.includes(target) && r() % 2 === 0;
        if (k.revoke(target, frames ? 'frames' : 'slices', frames ? 1 + (r() % 3) : 1, 200_000)) revoked++;
      }
      // Frames for a fuzzer's filter (its id after the ethertype), which may carry a hostile ASH.
      for (let n = r() % 8; n > 0; n--) k.machine.lance.receive(peerFrame(k.machine.lance.mac, fuzzers[r() % FUZZERS].id, r()));
      const ran = k.cpu.instret;
      stop = k.run(STEP);
      // Time passes with nothing run when every environment left holds no
      // slice or waits on one that holds none (a pct_sync caller of a
      // stranded server): the kernel idles through its clock ticks, and
      // reports the budget spent, as the machine would.
      if (stop !== 'idle' && k.cpu.instret !== ran) continue;
      // Idle with environments that hold no slice (named in no-slice
      // events): each gets a donor, a guest that yields to it until it ends.
      const stranded = [...k.envs.values()].filter((e) => e.state === 'runnable' && k.slices.slotsOf(e.id).length === 0);
      for (const e of stranded) { k.createEnv(exosImage('donor'), `donor-${donors++}`, [String(e.id), '1000000']); stop = ''; }
    }
    expect(stop).toBe('idle');
    expect(donors).toBeGreaterThan(0);
    expect(seen.get('no-slice') ?? 0).toBeGreaterThanOrEqual(donors);
    expect(violations).toEqual([]);
    for (const f of fuzzers) {
      expect(f.console).toMatch(/fuzz: 0 breaches; ExOS still works\n/);
    }
    expect(fuzzers.reduce((n, f) => n + f.counters.syscalls, 0)).toBeGreaterThanOrEqual(CALLS);
    for (const v of victims) {
      expect(v.console).not.toMatch(/changed without me/);
      expect(v.console).toMatch(/victim: \d+ rounds, 8 pages, 0 integrity breaks\n/);
      expect(v.destroyReason).toBe('exit(0)');
    }
    expect(walker.console).toMatch(/memwalk ok\n$/);
    expect(server.console).toMatch(/server: answered [1-9]\d* calls \(\d+ sync, \d+ async\), \d+ replies refused\nserver ok\n$/);
    // Every kind of peer call was made and some were accepted; hostile ASHs ran and were aborted.
    const peers = fuzzers.map((f) => /yield_to (\d+)\/\d+, pct_sync (\d+)\/\d+, pct_async (\d+)\/\d+ accepted; (\d+) filters/.exec(f.console)!.slice(1).map(Number));
    for (let i = 0; i < 4; i++) expect(peers.reduce((n, p) => n + p[i], 0)).toBeGreaterThan(0);
    expect(seen.get('ash-abort') ?? 0).toBeGreaterThan(0);
    // Well-behaved ASHs beside them ran to their end, and counted what they saw in their own memory.
    expect(seen.get('ash') ?? 0).toBeGreaterThan(0);
    const okRuns = fuzzers.map((f) => Number(/(\d+) well-behaved \((\d+) bytes\)/.exec(f.console)![1]));
    expect(okRuns.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(seen.get('packet-delivered') ?? 0).toBeGreaterThan(0);
    expect(seen.get('pct') ?? 0).toBeGreaterThan(0);
    // Keys went from fuzzer to fuzzer through the server, and peers' frames were bound writable with them.
    const shared = fuzzers.map((f) => /shared: (\d+) frames offered, (\d+) peers' frames received, (\d+) bound writable with their key, (\d+) tags stored through them, (\d+) more through kept bindings \((\d+) faulted\)/.exec(f.console)!.slice(1).map(Number));
    for (let i = 0; i < 5; i++) expect(shared.reduce((n, s) => n + s[i], 0)).toBeGreaterThan(0);
    // Owners found their holders' tags in their shared frames, and nothing else (attacker-share.c).
    const checked = fuzzers.map((f) => /(\d+) checks of our shared frames, (\d+) peers' tags found, (\d+) integrity breaks/.exec(f.console)!.slice(1).map(Number));
    expect(checked.map((c) => c[2])).toEqual(fuzzers.map(() => 0));
    const victimShared = victims.map((v) => /shared frame \d+: (\d+) checks, (\d+) peers' tags seen; (\d+) peers' frames taken, (\d+) tags stored in them/.exec(v.console)!.slice(1).map(Number));
    for (let i = 0; i < 2; i++) expect(checked.reduce((n, c) => n + c[i], 0) + victimShared.reduce((n, c) => n + c[i], 0)).toBeGreaterThan(0);
    expect(victimShared.reduce((n, c) => n + c[1], 0)).toBeGreaterThan(0);
    expect(revoked).toBeGreaterThan(3);
    expect(entries()).toBeGreaterThan(CALLS);
  }, timeoutFor(1_000_000, 4_000, 60_000));

  it('a victim reports a change to its pages that it did not make', () => {
    const { k } = checkedKernel();
    const v = k.createEnv(exosImage('attacker'), 'victim', ['victim', '50', '5']);
    while (!/watches/.test(v.console)) expect(k.run(100_000)).not.toBe('idle');
    let flipped = 0;
    for (let va = 0x10000000; va < 0x10000000 + 64 * 4096; va += 4096) {
      const pa = k.translate(v, va + 0x800);
      if (pa >= 0) { k.machine.bus.ram32[pa >>> 2] ^= 1; flipped++; }
    }
    expect(flipped).toBeGreaterThanOrEqual(8);
    expect(k.run(200_000_000)).toBe('idle');
    expect(v.console).toMatch(/victim: page \d changed without me in round \d+\n/);
    expect(v.console).toMatch(/victim: 50 rounds, 8 pages, [1-9]\d* integrity breaks\n/);
    expect(v.destroyReason).toBe('exit(1)');
  });

  it('a victim reports a word of its shared frame that no holder of its key wrote', () => {
    const { k } = checkedKernel();
    const server = k.createEnv(exosImage('attacker'), 'server', ['server', '400']);
    const v = k.createEnv(exosImage('attacker'), 'victim', ['victim', '50', '5', String(server.id)]);
    while (!/shares frame/.test(v.console)) expect(k.run(100_000)).not.toBe('idle');
    const frame = Number(/shares frame (\d+)/.exec(v.console)![1]);
    // What a store through a stale or forged binding by environment 9 would leave: a word that is not its tag under the victim's key.
    k.machine.bus.ram32[(frame * 4096 + 4 * 9) >>> 2] = 0xdeadbeef;
    expect(k.run(200_000_000)).toBe('idle');
    expect(v.console).toMatch(new RegExp(`victim: frame ${frame} word 9 is 0xdeadbeef, not the tag of environment 9 under our key\n`));
    expect(v.console).toMatch(/victim: shared frame \d+: 1 words no holder of its key wrote, in round 0\n/);
    expect(v.console).toMatch(/victim: 50 rounds, 8 pages, [1-9]\d* integrity breaks\n/);
    expect(v.destroyReason).toBe('exit(1)');
  });
});
