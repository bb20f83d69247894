// Several machines in one session (src/session/lockstep.ts, ethernet.ts):
// the Ethernet segment's timing, the lock-step's determinism however a run
// is sliced, the capture of both directions, the log naming machines, and
// the schema's errors for a machines list.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';
import { Machine } from '../../src/emu/index.js';
import { NetDev } from '../../src/exokernel/netdev.js';
import { formatJson, formatText, parseScenario, replay, ScenarioError, ScenarioRun, sessionFromScenario, type LogLine } from '../../src/session/index.js';
import { Ethernet } from '../../src/net/segment.js';
import { ethernet, formatIp, parseIpv4Udp } from '../../src/net/ethernet.js';
import { A } from '../emu/helpers/asm.js';
import { historyLines, loadBundled, open } from './travel-helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const GOLDEN = JSON.parse(readFileSync(join(ROOT, 'test/session/golden/hashes.json'), 'utf8')) as Record<string, { sha256: string; lines: number }>;
// On the PATH (tshark --version takes a fifth of a second to start Wireshark's libraries).
const HAS_TSHARK = spawnSync('sh', ['-c', 'command -v tshark']).status === 0;

/** A bare machine idling in `b .` with Ethernet address ...:12:0`last`, its driver up. */
function station(last: number) {
  const machine = new Machine({ ramSize: 1 << 20, mac: [0x08, 0x00, 0x2b, 0x95, 0x12, last] });
  const code = new Uint8Array(new Int32Array([A.beq(0, 0, -1), A.nop()]).buffer);
  machine.load({ entry: 0x80001000, segments: [{ vaddr: 0x80001000, memsz: code.length, data: code }] });
  const net = new NetDev({ bus: machine.bus, now: () => machine.cpu.cycles });
  net.init(8, 4);
  return { machine, net };
}

describe('an Ethernet segment of two machines', () => {
  it('hands a frame to the other machine whole at the cycle its last bit leaves the sender', () => {
    const a = station(3), b = station(4);
    const eth = new Ethernet([{ name: 'a', machine: a.machine }, { name: 'b', machine: b.machine }]);
    a.machine.run(5_000);
    const frame = ethernet({ dst: b.net.mac, src: a.net.mac, type: 0x88b5, payload: 'over the wire' });
    expect(a.net.send(frame)).toBe(true);
    const [sent] = eth.capture;
    expect(sent).toMatchObject({ direction: 'out', from: 'a' });
    const end = sent.cycle + a.machine.lance.wireCycles(frame.length + 4);
    b.machine.run(end - 1 - b.machine.cpu.cycles);
    expect(b.machine.lance.stats().received).toBe(0);
    b.machine.run(2);
    expect(b.machine.lance.stats().received).toBe(1);
    expect(b.net.service().map((f) => Array.from(f))).toEqual([Array.from(frame)]);
    expect(eth.late).toBe(0);
  });

  it('counts a frame that reaches a machine already past its end as late, and delivers it at once', () => {
    const a = station(3), b = station(4);
    const eth = new Ethernet([{ name: 'a', machine: a.machine }, { name: 'b', machine: b.machine }]);
    b.machine.run(100_000);
    a.net.send(ethernet({ dst: b.net.mac, src: a.net.mac, type: 0x88b5, payload: 'late' }));
    expect(eth.late).toBe(1);
    b.machine.run(10);
    expect(b.machine.lance.stats().received).toBe(1);
  });

  it('refuses fewer than two machines', () => {
    expect(() => new Ethernet([{ name: 'a', machine: station(3).machine }])).toThrow(RangeError);
  });
});

describe('two DECstations in one session (scenarios/udp-two.yaml)', () => {
  const logOf = (file: string) => { const lines: string[] = []; const r = replay(loadBundled(file), { onLine: (l) => lines.push(formatJson(l)) }); return { r, lines }; };
  /** udp-two run whole to idle, headless, without checkpoints: shared by the tests that only read it. */
  let whole: ReturnType<typeof open> | undefined;
  const wholeRun = () => {
    if (whole) return whole;
    whole = open(loadBundled('udp-two.yaml'), 0);
    whole.run.fire();
    while (whole.s.run(50_000_000).reason !== 'idle');
    return whole;
  };

  it('gives the same log every time (the committed golden hash), every event naming its machine', () => {
    const one = logOf('udp-two.yaml');
    expect(one.r.failures).toEqual([]);
    // Run twice, the logs were the same: now compared with the log's hash committed by `npm run golden`.
    const sha256 = createHash('sha256').update(one.lines.map((l) => `${l}\n`).join('')).digest('hex');
    expect({ sha256, lines: one.lines.length }).toEqual(GOLDEN['udp-two.yaml']);
    const machines = new Set(one.lines.map((l) => JSON.parse(l) as { kind: string; machine?: string }).filter((e) => e.kind !== 'note').map((e) => e.machine));
    expect([...machines].sort()).toEqual(['client', 'server']);
  });

  it('writes text lines as machine/environment', () => {
    const lines: LogLine[] = [];
    replay(loadBundled('udp-two.yaml'), { onLine: (l) => lines.push(l), until: 100_000 });
    const created = lines.find((l) => l.kind === 'event' && l.event.kind === 'env-created' && l.machine === 'server')!;
    expect(formatText(created, new Map([[1, 'echo']]))).toMatch(/ server\/echo +env-created /);
  });

  it('runs the same on both machines however the run is sliced (lock-step quanta on a fixed grid)', () => {
    const sliced = open(loadBundled('udp-two.yaml'), 0);
    sliced.run.fire();
    for (let i = 0; sliced.s.run(i % 3 === 0 ? 7_919 : 131).reason !== 'idle'; i++) sliced.run.fire();
    const { s } = wholeRun();
    expect(historyLines(sliced.s)).toEqual(historyLines(s));
    expect(historyLines(s).some((l) => l.startsWith('server '))).toBe(true);
  });

  it('says that a breakpoint on an environment of the second machine cannot stop it, naming the machines', () => {
    const s = sessionFromScenario(loadBundled('udp-two.yaml'));
    expect(s.resolveBreakpoint({ kind: 'symbol', symbol: 'main', env: 'echo' })).toBe('echo runs on machine server: breakpoints stop the first machine (client) only');
    expect(s.resolveBreakpoint({ kind: 'event', event: 'packet-sent', env: 'echo' })).toMatch(/^echo runs on machine server/);
    expect(s.resolveBreakpoint({ kind: 'symbol', symbol: 'main', env: 'nobody' })).toBe('No environment nobody');
    expect(typeof s.resolveBreakpoint({ kind: 'symbol', symbol: 'main', env: 'ping' })).toBe('object');
  });

  it('captures every frame on the wire, both directions, none late', () => {
    const { s } = wholeRun();
    const udp = s.wire.capture.map((c) => ({ from: c.from, u: parseIpv4Udp(c.frame) })).filter((x) => x.u);
    const to = (src: string, dst: string) => udp.filter((x) => formatIp(x.u!.srcIp) === src && formatIp(x.u!.dstIp) === dst);
    expect(to('10.0.0.2', '10.0.0.3').map((x) => x.from)).toEqual(new Array(20).fill('client'));
    expect(to('10.0.0.3', '10.0.0.2').map((x) => x.from)).toEqual(new Array(20).fill('server'));
    expect((s.wire as Ethernet).late).toBe(0);
    const cycles = s.wire.capture.map((c) => c.cycle);
    expect(cycles).toEqual([...cycles].sort((x, y) => x - y));
    if (!HAS_TSHARK) return;
    const dir = mkdtempSync(join(tmpdir(), 'exoscope-two-'));
    try {
      const file = join(dir, 'two.pcap');
      writeFileSync(file, s.wire.pcap());
      const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'arp.opcode', '-o', 'udp.check_checksum:TRUE'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n').map((l) => l.split('\t').join(' ').trim());
      expect(rows.filter((x) => x === '10.0.0.2 10.0.0.3')).toHaveLength(20);
      expect(rows.filter((x) => x === '10.0.0.3 10.0.0.2')).toHaveLength(20);
      expect(rows.filter((x) => x === '1' || x === '2').sort()).toEqual(['1', '2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exoscope replay --pcap', () => {
  it('writes every frame on the wire of a two-machine scenario to a pcap file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exoscope-pcap-'));
    try {
      const file = join(dir, 'wire.pcap');
      let err = '';
      const status = replayCommand(join(ROOT, 'scenarios/udp-ash.yaml'), { quiet: true, pcap: file, stdout: () => {}, stderr: (t) => { err += t; } });
      expect(status, err).toBe(0);
      const b = readFileSync(file);
      expect(b.readUInt32LE(0)).toBe(0xa1b23c4d);
      let frames = 0;
      for (let at = 24; at < b.length; at += 16 + b.readUInt32LE(at + 8)) frames++;
      // ARP request and reply, 20 datagrams each way.
      expect(frames).toBe(42);
      expect(replayCommand(join(ROOT, 'scenarios/udp-ash.yaml'), { quiet: true, pcap: join(dir, 'no/such/dir.pcap'), stdout: () => {}, stderr: () => {} })).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a machines list that is wrong', () => {
  const two = (extra = '', server = '      - { name: echo, image: exos-udp-echo, args: ["10.0.0.3", "7"] }') => `name: t
machines:
  - name: client
    environments:
      - { name: ping, image: exos-udp-ping }
  - name: server
    environments:
${server}
${extra}`;
  const problems = (text: string) => {
    try { parseScenario(text, 'x.yaml'); } catch (e) { if (e instanceof ScenarioError) return e.message.split('\n'); throw e; }
    return [];
  };

  it('parses a good one: every machine, its settings, seed and Ethernet address', () => {
    const sc = parseScenario(two(), 'x.yaml');
    expect(sc.machines.map((m) => [m.name, m.mac, m.settings.seed])).toEqual([['client', '08:00:2b:95:12:03', 1], ['server', '08:00:2b:95:12:04', 2]]);
    expect(sc.environments.map((e) => e.name)).toEqual(['ping']);
  });

  it('names the file, line and field of each problem', () => {
    expect(problems(`${two()}environments:\n  - { name: x, image: hello }\n`)).toContain(
      'x.yaml:10:3: environments: a scenario has environments or machines, not both (with machines, each machine lists its own)');
    expect(problems(two('', '      - { name: ping, image: exos-udp-echo }'))).toEqual([
      'x.yaml:8:17: machines[1].environments[0].name: duplicate environment name "ping" (first declared at line 5; names are unique over all machines)']);
    expect(problems(two().replace('name: server', 'name: client'))).toEqual([
      'x.yaml:6:11: machines[1].name: duplicate machine name "client" (first declared as machine 1)']);
    expect(problems(two().replace('  - name: server\n', '  - name: server\n    mac: "08:00:2b:95:12:03"\n'))).toEqual([
      'x.yaml:7:10: machines[1].mac: Ethernet address 08:00:2b:95:12:03 is machine 1\'s too: each machine on the wire needs its own']);
  });

  it('refuses a step or expectation naming an environment of another machine, or a machine that does not exist', () => {
    expect(problems(two('timeline:\n  - { at: { cycle: 10 }, do: { kill: echo } }\n'))).toEqual([
      'x.yaml:10:5: timeline[0]: environment echo is on machine server, not client (add machine: server)']);
    expect(problems(two('expect:\n  - { machine: client, env: echo, state: destroyed }\n'))).toEqual([
      'x.yaml:10:5: expect[0]: environment echo is on machine server, not client']);
    expect(problems(two('expect:\n  - { machine: serve, env: echo, state: destroyed }\n'))).toEqual([
      'x.yaml:10:16: expect[0].machine: expected the name of a machine declared under machines (client, server), got "serve" (did you mean "server"?)']);
    expect(problems(two('timeline:\n  - { at: { cycle: 10 }, machine: server, do: { breakpoint: { event: idle } } }\n'))).toEqual([
      'x.yaml:10:35: timeline[0].machine: breakpoints stop the first machine (client) only']);
  });

  it('sends a step\'s injected datagram to its machine\'s Ethernet address', () => {
    const sc = parseScenario(two('timeline:\n  - { at: { cycle: 1000 }, machine: server, do: { inject: { udp: { to: "10.0.0.3", port: 7, payload: "hi" } } } }\n'), join(ROOT, 'scenarios/x.yaml'));
    const a = sc.timeline[0].action;
    expect(a.kind === 'inject' && a.packet).toMatchObject({ kind: 'udp', machine: 'server' });
    const s = sessionFromScenario(sc);
    const run = new ScenarioRun(s, sc);
    run.fire();
    s.run(5_000);
    const injected = s.wire.capture.filter((c) => c.direction === 'in');
    expect(injected).toHaveLength(1);
    expect(Array.from(injected[0].frame.subarray(0, 6))).toEqual([0x08, 0x00, 0x2b, 0x95, 0x12, 0x04]);
  });

  it('wants two machines or more in the list', () => {
    expect(problems('name: t\nmachines:\n  - name: a\n    environments: [{ name: x, image: hello }]\n')[0]).toMatch(/machines: expected 2 to 8 machines, got 1/);
  });

  it('keeps bundled one-machine scenarios as they were: one machine, the LANCE\'s own address', () => {
    const sc = parseScenario(readFileSync(join(ROOT, 'scenarios/ping.yaml'), 'utf8'), 'scenarios/ping.yaml');
    expect(sc.machines).toHaveLength(1);
    expect(sc.machines[0].mac).toBe('08:00:2b:95:12:03');
    expect(sessionFromScenario(sc).companions).toEqual([]);
  });
});
