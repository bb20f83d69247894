// The same benchmark sources (src/bench-common, written against bench.h)
// built for ExOS on the exokernel and for the monolithic kernel: both
// builds do the same work, so they print the same checksums, and those
// equal ipc-pipe's (the pipe through ExOS's file table) and fixed values.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, parseElf } from '../../src/emu/index.js';
import { Session, measureMono } from '../../src/session/index.js';
import { ipv4udp } from '../../src/net/ethernet.js';
import { PeerHost, Wire } from '../../src/net/wire.js';

const ROOT = resolve(import.meta.dirname, '../..');
const load = (name: string) => {
  const p = join(ROOT, 'src/exos/images', `${name}.elf`);
  return parseElf(new Uint8Array(readFileSync(p)), p);
};
const KEY = '5a5a12345678abcd';

/** Runs ExOS programs in environments until all are idle; their consoles, in order. */
function exos(envs: { name: string; image: string; args: string[] }[]): string[] {
  const s = new Session({ checkpointEvery: 0, envs: envs.map((e) => ({ ...e, image: load(e.image) })) });
  for (let i = 0; i < 100; i++) if (s.run(10_000_000).reason === 'idle') break;
  return [...s.kernel.envs.values()].map((e) => e.console);
}

const pair = (image: string, n: number) => [
  { name: 'server', image, args: ['server', '2', '3000', KEY, String(n)] },
  { name: 'client', image, args: ['client', '1', '3000', KEY, String(n)] },
];
/** The result line's checksum, e.g. "0xdd9ff79e ok". */
const result = (text: string) => /iterations, result (0x[0-9a-f]{8} ok)/.exec(text)?.[1];

describe('bench.h benchmarks on both systems', () => {
  it('pipe: ExOS and the monolithic kernel compute what ipc-pipe does', () => {
    const ex = exos(pair('exos-bench-pipe', 100))[1];
    const mono = measureMono(load('mono'), { args: ['bench-pipe', '100'] }).console;
    const orig = exos(pair('exos-ipc-pipe', 100))[1];
    expect(ex).toContain('bench-pipe: 100 iterations');
    expect(result(ex)).toBe('0xdd9ff79e ok');
    expect(result(mono)).toBe(result(ex));
    expect(result(orig)).toBe(result(ex));
  });

  it('shm: the same answers on both', () => {
    const ex = exos(pair('exos-bench-shm', 50))[1];
    const mono = measureMono(load('mono'), { args: ['bench-shm', '50'] }).console;
    expect(result(ex)).toBe('0x0000052d ok');
    expect(result(mono)).toBe(result(ex));
  });

  // The results the original ExOS vm-bench (now gone: bench-common/vm.c replaced it) computed.
  const VM = [['prot1', 20, '0x9e3779b9'], ['prot100', 2, '0xcdab8d36'], ['unprot100', 2, '0xcdaba08c'], ['trap', 30, '0xd843c7c3'], ['appel1', 30, '0x000001d1'], ['appel2', 2, '0x00001482']] as const;
  for (const [test, n, sum] of VM) {
    it(`vm ${test}: the same result on both, the one vm-bench computed`, () => {
      const ex = exos([{ name: 'vm', image: 'exos-bench-vm', args: [test, String(n)] }])[0];
      const mono = measureMono(load('mono'), { args: ['bench-vm', test, String(n)] }).console;
      expect(result(ex), ex).toBe(`${sum} ok`);
      expect(result(mono)).toBe(result(ex));
    });
  }

  it('udp-ping: the same echoes hashed on both, against the wire\'s echo host', () => {
    const s = new Session({ checkpointEvery: 0, envs: [{ name: 'ping', image: load('exos-bench-udp-ping'), args: ['10.0.0.2', '10.0.0.1', '7', '10'] }] });
    for (let i = 0; i < 100; i++) if (s.run(10_000_000).reason === 'idle') break;
    const ex = [...s.kernel.envs.values()][0].console;
    const mono = measureMono(load('mono'), { args: ['bench-udp-ping', '10.0.0.2', '10.0.0.1', '7', '10'], wire: true });
    expect(result(ex)).toBe('0x60f8aab0 ok');
    expect(result(mono.console)).toBe(result(ex));
    expect(mono.windows[0].counters.syscalls).toEqual({ sendto: 10, recvfrom: 10, null: 1 });
    expect(mono.windows[0].counters.net).toMatchObject({ sent: 10, received: 10 });
  });

  it('udp-echo: one datagram from the echo host bounces five times, hashed the same on both', () => {
    const hello = { to: '10.0.0.2', port: 7777, fromPort: 7, payload: 'hello from the wire' };
    const s = new Session({ checkpointEvery: 0, envs: [{ name: 'echo', image: load('exos-bench-udp-echo'), args: ['10.0.0.2', '7777', '5'] }] });
    s.run(2_000_000);
    s.inject({ kind: 'udp', ...hello });
    for (let i = 0; i < 100; i++) if (s.run(10_000_000).reason === 'idle') break;
    const ex = [...s.kernel.envs.values()][0].console;

    const chunks: Uint8Array[] = [];
    const m = new Machine({ onConsole: (b) => chunks.push(b) });
    const k = load('mono');
    m.load(k, [k.fileName, 'bench-udp-echo', '10.0.0.2', '7777', '5']);
    const wire = new Wire(m);
    const peer = new PeerHost({ ip: '10.0.0.1', mac: '02:00:00:00:00:01', echoPort: 7 });
    wire.attach(peer);
    expect(m.run(2_000_000)).toBe('budget');
    wire.inject(ipv4udp({ srcMac: peer.mac, dstMac: m.lance.mac, srcIp: peer.ip, dstIp: hello.to, srcPort: 7, dstPort: 7777,
      payload: Buffer.from(hello.payload, 'latin1') }));
    expect(m.run(200_000_000)).toBe('halt');
    const mono = Buffer.concat(chunks).toString('latin1');

    expect(ex).toMatch(/bench-udp-echo: 5 echoed, result 0x[0-9a-f]{8} ok/);
    expect(/result (0x[0-9a-f]{8} ok)/.exec(mono)?.[1]).toBe(/result (0x[0-9a-f]{8} ok)/.exec(ex)?.[1]);
    expect(peer.answered.udp).toBeGreaterThanOrEqual(4);
  });

  it('dirty: ExOS answers from its page table; Unix has no such call', () => {
    expect(result(exos([{ name: 'vm', image: 'exos-bench-vm', args: ['dirty', '10'] }])[0])).toBe('0x0000000a ok');
    expect(measureMono(load('mono'), { args: ['bench-vm', 'dirty', '10'] }).console).toContain('bench-vm dirty: not supported by this system');
  });
});
