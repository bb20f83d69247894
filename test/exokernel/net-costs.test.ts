// The kernel's network work costs emulated time (costs.ts, asm/net.S):
// DPF classification per atom and hash table visited, the copy into the ring per word and
// the slot's bookkeeping, and transmit per word plus the descriptor. Checked
// on udp-ping's traffic with the simulated peer.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/index.js';
import { Costs } from '../../src/exokernel/costs.js';
import { Session } from '../../src/session/index.js';

function pingSession(n: number): Session {
  const f = join(resolve(import.meta.dirname, '../..'), 'src/exos/images/exos-udp-ping.elf');
  return new Session({ checkpointEvery: 0, envs: [{ name: 'ping', image: parseElf(new Uint8Array(readFileSync(f)), f), args: ['10.0.0.2', '10.0.0.1', '7', String(n)] }] });
}

describe('kernel network work is charged', () => {
  it('receiving: DPF (atoms x DPF_ATOM, hash tables x DPF_HASH, entries x DPF_HASH_ENTRY) + RING_SLOT + words x RING_COPY_WORD between packet-received and packet-delivered', () => {
    const s = pingSession(5);
    const dpf = s.kernel.dpf!;
    const visits: number[] = [];
    const orig = dpf.classifyCycles.bind(dpf);
    dpf.classifyCycles = (p: Uint8Array) => {
      const w = dpf.classifyWork(p);
      expect(w.hashes).toBe(1); // the Ethernet type: ARP's filter and IP's are siblings
      visits.push(w.atoms * Costs.DPF_ATOM + w.hashes * Costs.DPF_HASH + w.entries * Costs.DPF_HASH_ENTRY);
      return orig(p);
    };
    const spans: { cycles: number; len: number; visited: number }[] = [];
    let received = -1;
    s.kernel.log.subscribe((e) => {
      if (e.kind === 'packet-received') received = e.cycle;
      if (e.kind === 'packet-delivered' && received >= 0) { spans.push({ cycles: e.cycle - received, len: e.len, visited: visits[visits.length - 1] }); received = -1; }
    });
    s.run(50_000_000);
    expect(s.kernel.envs.get(1)!.console).toMatch(/udp-ping ok 5/);
    expect(spans.length).toBeGreaterThanOrEqual(5);
    for (const sp of spans) {
      expect(sp.visited).toBeGreaterThan(Costs.DPF_HASH);
      expect(sp.cycles).toBe(sp.visited + Costs.RING_SLOT + Math.ceil(sp.len / 4) * Costs.RING_COPY_WORD);
    }
  });

  it('receiving through a hash table (demux.yaml: three addresses): atoms x DPF_ATOM + DPF_HASH + entries x DPF_HASH_ENTRY + the ring', async () => {
    const { parseScenario, ScenarioRun, sessionFromScenario } = await import('../../src/session/index.js');
    const root = resolve(import.meta.dirname, '../..');
    const sc = parseScenario(readFileSync(join(root, 'scenarios/demux.yaml'), 'utf8'), join(root, 'scenarios/demux.yaml'));
    const s = sessionFromScenario(sc);
    new ScenarioRun(s, sc);
    const dpf = s.kernel.dpf!;
    let work = { atoms: 0, hashes: 0, entries: 0 };
    const orig = dpf.classifyCycles.bind(dpf);
    dpf.classifyCycles = (p: Uint8Array) => { work = dpf.classifyWork(p); return orig(p); };
    let received = -1;
    const spans: { cycles: number; expected: number; hashes: number }[] = [];
    s.kernel.log.subscribe((e) => {
      if (e.kind === 'packet-received') received = e.cycle;
      if (e.kind === 'packet-delivered' && received >= 0) {
        const ring = Costs.RING_SLOT + Math.ceil(e.len / 4) * Costs.RING_COPY_WORD;
        const expected = work.atoms * Costs.DPF_ATOM + work.hashes * Costs.DPF_HASH + work.entries * Costs.DPF_HASH_ENTRY + ring;
        spans.push({ cycles: e.cycle - received, expected, hashes: work.hashes });
        received = -1;
      }
    });
    s.run(20_000_000);
    expect(spans.length).toBe(12);
    expect(spans.filter((sp) => sp.hashes === 2).length).toBeGreaterThan(6);
    for (const sp of spans) {
      expect(sp.hashes).toBeGreaterThan(0); // the Ethernet type (ARP's filter, IP's), and the three servers' addresses
      expect(sp.cycles).toBe(sp.expected);
    }
  });

  it('sending: SYSCALL + TRANSMIT + words x RING_COPY_WORD from the trap to the end of net_send', () => {
    const s = pingSession(3);
    let trap = -1;
    const sends: { cycles: number; len: number }[] = [];
    s.kernel.onTrap.add(() => { trap = s.kernel.cpu.cycles; });
    s.kernel.log.subscribe((e) => {
      if (e.kind === 'syscall' && e.call === 'NetSend' && e.result > 0) sends.push({ cycles: e.cycle - trap, len: e.result });
    });
    s.run(50_000_000);
    expect(sends.length).toBeGreaterThanOrEqual(3);
    for (const x of sends) expect(x.cycles).toBe(Costs.SYSCALL + Costs.TRANSMIT + Math.ceil(Math.max(60, x.len) / 4) * Costs.RING_COPY_WORD);
  });

  it('the LANCE interrupt is charged on entry, with or without frames', () => {
    const s = pingSession(1);
    s.run(1_000_000);
    const before = s.kernel.now();
    s.kernel.netInterrupt(); // nothing received since the last one
    expect(s.kernel.now() - before).toBe(Costs.NET_INTERRUPT);
  });

  it('a clock interrupt in the middle of a slice costs CLOCK_INTERRUPT from trap to return', () => {
    const f = join(resolve(import.meta.dirname, '../..'), 'src/exos/images/exos-spinner.elf');
    const s = new Session({ checkpointEvery: 0, envs: [{ name: 'spin', image: parseElf(new Uint8Array(readFileSync(f)), f), args: ['100000'] }] });
    let trap = -1;
    const spans: number[] = [];
    s.kernel.onTrap.add((code) => { trap = code === 0 && (s.kernel.cpu.causeValue & 0xc00) === 0x800 ? s.kernel.cpu.cycles : -1; });
    s.kernel.onKernelExit.add(() => { if (trap >= 0) spans.push(s.kernel.cpu.cycles - trap); trap = -1; });
    s.kernel.log.subscribe((e) => { if (e.kind !== 'syscall') trap = -1; }); // a tick that ends a slice does more
    s.run(5_000_000);
    expect(spans.length).toBeGreaterThan(3);
    for (const c of spans) expect(c).toBe(Costs.CLOCK_INTERRUPT);
  });
});

describe('an ASH is charged its setup, its instructions and its send', () => {
  it('packet-received to the ash event: DPF + RING_SLOT + copy + ASH_SETUP + its own cycles + TRANSMIT + copy of the reply', async () => {
    const { parseScenario, ScenarioRun, sessionFromScenario } = await import('../../src/session/index.js');
    const root = resolve(import.meta.dirname, '../..');
    const sc = parseScenario(readFileSync(join(root, 'scenarios/echo.yaml'), 'utf8'), join(root, 'scenarios/echo.yaml'));
    const s = sessionFromScenario(sc);
    new ScenarioRun(s, sc);
    const dpf = s.kernel.dpf!;
    const orig = dpf.classifyCycles.bind(dpf);
    let dpfCycles = 0;
    dpf.classifyCycles = (p: Uint8Array) => (dpfCycles = orig(p));
    let received = -1, len = 0, sent = 0;
    const checked: number[] = [];
    s.kernel.log.subscribe((e) => {
      if (e.kind === 'packet-received') { received = e.cycle; len = e.len; sent = 0; }
      if (e.kind === 'packet-sent') sent = e.len;
      if (e.kind === 'ash' && received >= 0) {
        const expected = dpfCycles + Costs.RING_SLOT + Math.ceil(len / 4) * Costs.RING_COPY_WORD + Costs.ASH_SETUP
          + e.instructions + (sent ? Costs.TRANSMIT + Math.ceil(Math.max(60, sent) / 4) * Costs.RING_COPY_WORD : 0);
        checked.push(e.cycle - received - expected);
        received = -1;
      }
    });
    s.run(200_000_000);
    expect(checked.length).toBe(6);
    // What is left is the sandbox's two exceptions (its net_send syscall and the fetch at its return
    // stub), a cycle each on the emulated CPU, which ash.ts charges with its instructions.
    expect(checked).toEqual([2, 2, 2, 2, 2, 2]);
  });
});
