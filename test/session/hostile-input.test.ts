// Hostile and malformed input: no scenario, image or guest can crash or
// hang the host (a guest is hostile, docs/protection.md "Who is trusted";
// a scenario or image is trusted not to attack, but may be wrong).
// A bad scenario or image is exit 2 naming the file, line and field; an
// environment the kernel cannot create is an env-create-failed event and the
// run goes on; time always advances once every environment has ended.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';
import { runElf } from '../../src/cli/run.js';
import { parseElf } from '../../src/emu/index.js';
import { EnvCreateError, Kernel, MIN_TICK_CYCLES } from '../../src/exokernel/index.js';
import { loadScenario, parseScenario, replay } from '../../src/session/index.js';
import { cliEntry } from '../cli-bundle.js';

const ROOT = resolve(import.meta.dirname, '../..');
const IMG = (n: string) => join(ROOT, 'src/exos/images', `${n}.elf`);

function cli(file: string) {
  let out = '', err = '';
  const status = replayCommand(file, { quiet: true, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { status, out, err };
}

/** A scenario file in a fresh folder; IMAGES stands for the project's image folder. */
function scenarioFile(text: string): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'exo-hostile-'));
  const file = join(dir, 'hostile.yaml');
  writeFileSync(file, text.replace(/IMAGES/g, join(ROOT, 'src/exos/images')));
  return { file, dir };
}

/** exos-hello with its first PT_LOAD segment moved to `vaddr`. */
function movedSegment(vaddr: number): Uint8Array {
  const elf = Buffer.from(readFileSync(IMG('exos-hello')));
  const phoff = elf.readUInt32LE(0x1c), phentsize = elf.readUInt16LE(0x2a), phnum = elf.readUInt16LE(0x2c);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) === 1) { elf.writeUInt32LE(vaddr >>> 0, ph + 8); break; }
  }
  return elf;
}

describe('a bad scenario or image is exit 2 with file, line and field', () => {
  it('an ELF segment outside the user image area', () => {
    const { file, dir } = scenarioFile('name: t\nenvironments:\n  - { name: a, image: IMAGES/exos-hello.elf }\n  - { name: b, image: ./moved.elf }\n');
    writeFileSync(join(dir, 'moved.elf'), movedSegment(0x7ff00000));
    const r = cli(file);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/hostile\.yaml:4:\d+: environments\[1\]\.image: image .*moved\.elf cannot run in an environment: the segment at 0x7ff00000 .* is outside the user image area/);
  });

  it('the kernel refuses the same image with env-create-failed and creates nothing', () => {
    const k = new Kernel();
    const image = parseElf(movedSegment(0x00000000), 'moved.elf');
    const free = k.frames.freeCount();
    expect(() => k.createEnv(image, 'moved')).toThrow(EnvCreateError);
    expect(k.log.recent().map((e) => e.kind)).toEqual(['env-create-failed']);
    expect(k.envs.size).toBe(0);
    expect(k.frames.freeCount()).toBe(free);
  });

  it('an argument list over a page', () => {
    const { file } = scenarioFile(`name: t\nenvironments:\n  - name: a\n    image: exos-hello\n    args: ["${'x'.repeat(2000)}", "${'y'.repeat(2000)}"]\n`);
    const r = cli(file);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/hostile\.yaml:5:\d+: environments\[0\]\.args: the name and arguments take 4004 bytes, the info page holds 3968/);
  });

  it('an injected frame over the LANCE limit, as hex or as a UDP payload, and a bad address', () => {
    const { file } = scenarioFile(`name: t
environments: [{ name: a, image: exos-hello }]
timeline:
  - { at: { cycle: 10 }, do: { inject: { hex: "${'ab'.repeat(5000)}" } } }
  - { at: { cycle: 10 }, do: { inject: { udp: { to: 10.0.0.2, port: 7, payload: "${'z'.repeat(4060)}" } } } }
  - { at: { cycle: 10 }, do: { inject: { udp: { to: 10.0.0.300, port: 7, payload: hi } } } }
`);
    const r = cli(file);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/hostile\.yaml:4:\d+: timeline\[0\]\.do\.inject\.hex: a frame of 5000 bytes is longer than the LANCE's 4091/);
    expect(r.err).toMatch(/hostile\.yaml:5:\d+: timeline\[1\]\.do\.inject\.udp\.payload: a 4060-byte payload makes a 4102-byte frame/);
    expect(r.err).toMatch(/hostile\.yaml:6:\d+: timeline\[2\]\.do\.inject\.udp\.to: 10\.0\.0\.300 is not an IPv4 address/);
  });

  it('a clock whose ticks round to nothing', () => {
    const { file } = scenarioFile('name: t\nmachine:\n  clock: 1\nenvironments: [{ name: a, image: exos-hello }]\n');
    const r = cli(file);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/hostile\.yaml:3:\d+: machine\.clock: a clock of 1 Hz ticking 1024 times a second gives 0-cycle ticks, shorter than the 1760 a slice needs/);
    expect(() => new Kernel({ cpuHz: 1 })).toThrow(/shorter than the 1760/);
    // A clock interrupt (29), a context switch (121, asm/switch.S) and an upcall (26), ten times over.
    expect(MIN_TICK_CYCLES).toBe(1760);
  });

  describe('an image or scenario path that is not a regular file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exo-special-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder.elf'));
    const cases: [string, string, RegExp][] = [
      ['/dev/zero', '/dev/zero', /it is a device, not a file/],
      ['a folder', join(dir, 'folder.elf'), /it is a folder, not a file/],
      ['a FIFO', `${fifo}.elf`, /it is a pipe \(FIFO\), not a file/],
    ];
    execFileSync('mkfifo', [`${fifo}.elf`]);
    for (const [what, path, why] of cases) {
      it(`${what} as an image is refused, not read`, () => {
        const { file } = scenarioFile(`name: t\nenvironments:\n  - { name: a, image: "${path}${path.endsWith('.elf') ? '' : '/'}" }\n`.replace('/dev/zero/', '/dev/zero'));
        const r = cli(file);
        expect(r.status).toBe(2);
        expect(r.err).toMatch(new RegExp(`hostile\\.yaml:3:\\d+: environments\\[0\\]\\.image: cannot use .* as an image: ${why.source}`));
      });
    }

    it('/dev/zero and a FIFO as the scenario are refused, not read', () => {
      expect(cli('/dev/zero')).toMatchObject({ status: 2, err: '/dev/zero: cannot read the scenario: it is a device, not a file\n' });
      expect(cli(fifo)).toMatchObject({ status: 2, err: `${fifo}: cannot read the scenario: it is a pipe (FIFO), not a file\n` });
    });

    it('exoscope run refuses /dev/zero and a FIFO too', () => {
      const run = (p: string) => { try { return runElf(p, { stdout: () => {}, stderr: () => {} }); } catch (e) { return (e as Error).message; } };
      expect(run('/dev/zero')).toBe('Cannot read /dev/zero: it is a device, not a file');
      expect(run(fifo)).toMatch(/it is a pipe/);
    });

    it('the real CLI exits 2 at once on /dev/zero', () => {
      const r = spawnSync(process.execPath, [cliEntry(), 'replay', '/dev/zero'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('it is a device, not a file');
    });
  });
});

describe('the host goes on when guests take everything', () => {
  const starved = (expect: string) => scenarioFile(`name: t
machine: { ram: 12 }
environments:
  - { name: grabber, image: exos-grabber, args: ["20000000"] }
  - { name: late, image: exos-hello, start: 8000000 }
expect:
${expect}
`).file;

  it('an environment that cannot be created is an env-create-failed event, and the run goes on (exit 0)', () => {
    const sc = loadScenario(starved('  - event: { kind: env-create-failed, name: late }\n  - env: grabber\n    console: { contains: "grabber ok" }'));
    const events: string[] = [];
    const r = replay(sc, { onLine: (l) => { if (l.kind === 'event' && l.event.kind === 'env-create-failed') events.push(`${l.event.name}: ${l.event.reason}`); } });
    expect(events).toEqual(['late: it needs 12 frames and 0 are free']);
    expect(r.ok).toBe(true);
    expect(cli(sc.file).status).toBe(0);
  });

  it('its expectations decide the exit code (1 when they wanted it to run)', () => {
    const r = cli(starved('  - env: late\n    state: destroyed'));
    expect(r.status).toBe(1);
    expect(r.err).toContain('environment late was never created');
  });

  it('every slice taken: a creation asking for one fails with the reason', () => {
    const k = new Kernel();
    k.slices.owner.fill(99);
    expect(() => k.createEnv(parseElf(readFileSync(IMG('exos-hello')), 'hello'), 'late')).toThrow('Cannot create environment late: it needs 1 time slice and 0 are free');
    expect(k.envs.size).toBe(0);
  });
});

describe('time always advances', () => {
  it('once every environment has ended, a step at a later cycle still fires and the run ends', () => {
    const sc = parseScenario(`name: t
environments: [{ name: a, image: ${IMG('exos-hello')} }]
timeline:
  - { at: { cycle: 400000000 }, do: { break: "long after" } }
  - { at: { instructions: 900000000 }, do: { break: "never reached" } }
`, 't.yaml');
    const notes: { cycle: number; text: string }[] = [];
    let idles = 0;
    const r = replay(sc, { onLine: (l) => { if (l.kind === 'note') notes.push({ cycle: l.cycle, text: l.text }); else if (l.event.kind === 'idle') idles++; } });
    expect(notes).toEqual([{ cycle: 400000000, text: 't.yaml:4: break: long after' }]);
    expect(r.end).toBe('idle');
    expect(idles).toBeLessThan(5);
  });
});
