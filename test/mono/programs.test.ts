// The monolithic baseline kernel (src/mono) runs its own test programs on
// the emulated DECstation: each prints exactly its expected output, beside
// its sources: src/mono/user/<name>.expected for the kernel's own test
// programs, src/bench-common/<name>.mono.expected for the shared
// benchmarks on this kernel (the kernel's argv[1] names the first
// process's program; `init` runs them all). The kernel's costs are its own instructions: nothing here
// but the machine runs it.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, parseElf } from '../../src/emu/index.js';
import { PeerHost, Wire } from '../../src/net/wire.js';

const ROOT = resolve(import.meta.dirname, '../..');
const USER = join(ROOT, 'src/mono/user');
const BENCH = join(ROOT, 'src/bench-common');
const IMAGE = join(ROOT, 'src/exos/images/mono.elf');
const hasGxemul = spawnSync('sh', ['-c', 'command -v gxemul']).status === 0;
/** Each run's expected-output file, by the run's name. */
const expectedFile = new Map([
  ...readdirSync(USER).filter((f) => f.endsWith('.expected')).map((f) => [f.replace(/\.expected$/, ''), join(USER, f)] as const),
  ...readdirSync(BENCH).filter((f) => f.endsWith('.mono.expected')).map((f) => [f.replace(/\.mono\.expected$/, ''), join(BENCH, f)] as const),
]);
const programs = [...expectedFile.keys()].sort();
/** How each expected file's program is run: its arguments, and whether a wire with an echo host is attached. */
const RUNS: Record<string, { args: string[]; wire?: boolean }> = {
  udptest: { args: ['udptest'], wire: true },
  'udptest-nowire': { args: ['udptest', '10.0.0.2', '10.0.0.1', '7', '1'] },
  'bench-pipe': { args: ['bench-pipe', '100'] },
  'bench-shm': { args: ['bench-shm', '100'] },
  'bench-udp-ping': { args: ['bench-udp-ping', '10.0.0.2', '10.0.0.1', '7', '10'], wire: true },
  ...Object.fromEntries(['prot1', 'trap', 'appel1', 'dirty', 'prot100', 'unprot100', 'appel2'].map((t) =>
    [`bench-vm-${t}`, { args: ['bench-vm', t, /100/.test(t) || t === 'appel2' ? '10' : '100'] }])),
};

/** Boots the kernel with argv [kernel, ...args] to its halt; the console output and instruction count. */
function boot(args: string[], wire = false): { out: string; instret: number } {
  const chunks: Uint8Array[] = [];
  const m = new Machine({ onConsole: (b) => chunks.push(b) });
  m.load(parseElf(new Uint8Array(readFileSync(IMAGE)), IMAGE), [IMAGE, ...args]);
  if (wire) new Wire(m).attach(new PeerHost({ ip: '10.0.0.1', mac: '02:00:00:00:00:01', echoPort: 7 }));
  const reason = m.run(200_000_000);
  expect(reason, `mono ${args.join(' ')} halts`).toBe('halt');
  return { out: Buffer.concat(chunks).toString('latin1'), instret: m.cpu.instret };
}

/** Each run of `boot` the per-program tests made, by its arguments: the every-time test compares another run with pipetest's. */
const booted = new Map<string, { out: string; instret: number }>();
function bootOnce(args: string[], wire = false): { out: string; instret: number } {
  const key = JSON.stringify([args, wire]);
  let r = booted.get(key);
  if (!r) booted.set(key, r = boot(args, wire));
  return r;
}

describe('monolithic kernel test programs', () => {
  it('has the programs the brief names', () => {
    expect(programs).toEqual(expect.arrayContaining(['forktest', 'pipetest', 'shmtest', 'sigtest', 'badptr', 'preempt', 'init', 'udptest']));
  });

  for (const name of programs) {
    const run = RUNS[name] ?? { args: [name] };
    it(`${name} prints exactly its expected output`, () => {
      const { out } = bootOnce(run.args, run.wire);
      expect(out).toBe(readFileSync(expectedFile.get(name)!, 'latin1'));
    });
  }

  it('every program but the one without a peer exits 0', () => {
    for (const name of programs) {
      const text = readFileSync(expectedFile.get(name)!, 'latin1');
      expect(text.endsWith(`mono: init exited with status ${name === 'udptest-nowire' ? 1 : 0}\n`), name).toBe(true);
    }
  });

  it('puts the echo exchange on the wire: ARP, then each datagram and its echo', () => {
    const m = new Machine({ onConsole: () => {} });
    m.load(parseElf(new Uint8Array(readFileSync(IMAGE)), IMAGE), [IMAGE, 'udptest']);
    const wire = new Wire(m);
    const peer = new PeerHost({ ip: '10.0.0.1', mac: '02:00:00:00:00:01', echoPort: 7 });
    wire.attach(peer);
    expect(m.run(200_000_000)).toBe('halt');
    expect(peer.answered).toEqual({ arp: 1, udp: 4 });
    expect(wire.capture.map((c) => c.direction).join(' ')).toBe('out in out in out in out in out in');
  });

  it('runs the same, instruction for instruction, every time', () => {
    expect(boot(['pipetest'])).toEqual(bootOnce(['pipetest']));
  });

  it('reports a program that does not exist and halts', () => {
    expect(boot(['nosuch']).out).toBe('mono: cannot exec nosuch\nmono: init exited with status 1\n');
  });

  it('passes arguments through exec', () => {
    expect(boot(['echo', 'a', 'bc']).out).toBe('a bc\nmono: init exited with status 0\n');
  });

  it('init reports a failing program with its status', () => {
    expect(boot(['init', 'echo', 'nosuch']).out).toBe(
      'init: echo exited with status 0\ninit: exec nosuch failed: -2\ninit: nosuch exited with status 127\nmono: init exited with status 1\n');
  });

  // The whole suite on an independent emulator: GXemul 0.7.0 boots the same
  // image (its PROM passes "boot", the boot path and "-a" first; main.c
  // skips them) and prints the same, except where it lets a user-mode load
  // from kseg0 through (docs/reference/decstation.md, GXemul bug 5), so sigtest's
  // child reads a word and exits 0 instead of taking SIGBUS.
  it('GXemul printed the same suite but for its known kseg0 bug', () => {
    const gx = readFileSync(join(USER, 'init.gxemul'), 'latin1').split('\n');
    const ours = readFileSync(join(USER, 'init.expected'), 'latin1').split('\n');
    const at = ours.indexOf('load from kseg0: status 138');
    expect(at).toBeGreaterThan(0);
    expect(gx[at]).toMatch(/^\d+$/);
    expect(gx[at + 1]).toBe('load from kseg0: status 0');
    expect([...gx.slice(0, at), ...gx.slice(at + 2)]).toEqual([...ours.slice(0, at), ...ours.slice(at + 1)]);
  });

  it.runIf(hasGxemul)('GXemul still prints what was recorded', () => {
    const out = execFileSync(join(ROOT, 'scripts/gxemul-run.sh'), [IMAGE, '100'], { encoding: 'latin1' });
    // GXemul 0.7 does not always do the same with sigtest's user-mode load
    // from kseg0: usually it lets the load through (the child prints the
    // word and exits 0: what init.gxemul recorded), but on a busy host it
    // sometimes raises the address error the R3000 raises (SIGBUS, status
    // 138: what exoscope prints, init.expected). Seen here in 1 run of 3 with
    // the host loaded; its clock interrupts follow the host's time. Either
    // outcome is GXemul's; any other difference is a change.
    const R3000_KSEG0 = 'load from kseg0: status 138\n';
    const recorded = readFileSync(join(USER, 'init.gxemul'), 'latin1');
    const lenient = recorded.replace(/^\d+\nload from kseg0: status 0\n/m, R3000_KSEG0);
    expect(lenient).not.toBe(recorded); // the recorded run let the load through
    expect([recorded, lenient]).toContain(out);
  });
});
