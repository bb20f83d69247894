import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CliError, consoleDiff, Exit, runElf } from '../src/cli/run.js';
import { Cpu } from '../src/emu/cpu.js';
import { LOCKSTEP_RUN_HOT } from '../src/emu/lockstep.js';
import { disasmElf } from '../src/cli/disasm.js';
import { replayCommand } from '../src/cli/replay.js';
import { cliEntry } from './cli-bundle.js';

const ROOT = resolve(import.meta.dirname, '..');
const IMG = (n: string) => join(ROOT, 'src/exos/images', `${n}.elf`);

function run(path: string, extra: Partial<Parameters<typeof runElf>[1]> = {}) {
  const out: Uint8Array[] = [];
  let err = '';
  const status = runElf(path, { stdout: (b) => out.push(b), stderr: (t) => { err += t; }, ...extra });
  return { status, out: Buffer.concat(out).toString('latin1'), err };
}

function cliError(fn: () => unknown): CliError {
  try { fn(); } catch (e) { if (e instanceof CliError) return e; throw e; }
  throw new Error('expected a CliError');
}

describe('exoscope run', () => {
  it('writes the console output and exits 0 when the program halts', () => {
    const r = run(IMG('hello'));
    expect(r.status).toBe(Exit.Halted);
    expect(r.out).toMatch(/^hello from exoscope bare metal\n/);
  });

  it('gives the same output and instruction count every run', () => {
    const a = run(IMG('arith'), { stats: true });
    const b = run(IMG('arith'), { stats: true });
    expect(a.out).toBe(b.out);
    const count = (s: string) => s.match(/instructions (\d+)/)![1];
    expect(count(a.err)).toBe(count(b.err));
  });

  it('stops a runaway program with exit 3 and says so', () => {
    const r = run(IMG('cpubench'), { maxInstructions: 5000 });
    expect(r.status).toBe(Exit.NoHalt);
    expect(r.err).toMatch(/did not halt within 5000 instructions/);
  });

  it('prints stats to stderr', () => {
    const r = run(IMG('hello'), { stats: true, hostSeconds: () => 1 });
    expect(r.err).toMatch(/^instructions \d+\ncycles \d+\nhost seconds 0\.000\nMIPS n\/a\n$/);
  });

  it('rejects a file that is not an ELF, a truncated one and a missing one with status 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exo-'));
    const junk = join(dir, 'junk.elf');
    writeFileSync(junk, 'not an elf at all');
    expect(cliError(() => run(junk))).toMatchObject({ status: Exit.BadInput, message: expect.stringMatching(/junk\.elf: not an ELF/) });
    const cut = join(dir, 'cut.elf');
    writeFileSync(cut, readFileSync(IMG('hello')).subarray(0, 100));
    expect(cliError(() => run(cut)).message).toMatch(/cut\.elf: .*truncated|cut\.elf: .*past end/);
    expect(cliError(() => run(join(dir, 'none.elf'))).message).toMatch(/Cannot read .*none\.elf: no such file/);
  });

  it('rejects a program that loads outside RAM', () => {
    const e = cliError(() => run(IMG('hello'), { ramBytes: 128 << 10 }));
    expect(e.status).toBe(Exit.BadInput);
    expect(e.message).toMatch(/loads outside RAM/);
  });
});

describe('exoscope run --engine', () => {
  const counts = (err: string) => ({ instructions: err.match(/instructions (\d+)/)![1], cycles: err.match(/cycles (\d+)/)![1] });

  // The conformance programs cover every instruction class, the delay slots, exceptions, the TLB and the devices.
  for (const name of ['arith', 'loadstore', 'branch', 'loaddelay', 'exceptions', 'usermode', 'tlb', 'clock', 'serial']) {
    it(`${name}: translate, interpret and lockstep print the same output, to the same instruction and cycle, and lockstep compares blocks`, () => {
      const want = readFileSync(join(ROOT, 'src/exos/conformance', `${name}.expected`), 'latin1');
      // Which engine ran: the machines that translate attach a translator to their CPU (Machine's constructor).
      const attach = vi.spyOn(Cpu.prototype, 'useTranslator');
      const runs = (['translate', 'interpret', 'lockstep'] as const).map((engine) => {
        attach.mockClear();
        const r = run(IMG(name), { engine, stats: true });
        return { engine, ...r, translating: attach.mock.calls.filter(([t]) => t !== undefined).length };
      });
      attach.mockRestore();
      expect(runs.map((r) => r.translating)).toEqual([1, 0, 1]);
      for (const r of runs) {
        expect(r.status, `${r.engine}: ${r.err}`).toBe(Exit.Halted);
        expect(r.out, r.engine).toBe(want);
        expect(counts(r.err), r.engine).toEqual(counts(runs[0].err));
      }
      expect(Number(runs[2].err.match(/blocks compared (\d+)/)![1])).toBeGreaterThan(10);
      expect(runs[0].err).not.toMatch(/blocks compared/);
    });
  }

  it('the monolithic kernel (user processes, its own TLB refill, a preemptive clock) runs to its halt in lockstep with no difference', () => {
    const r = run(IMG('mono'), { engine: 'lockstep', stats: true });
    expect(r.status, r.err).toBe(Exit.Halted);
    expect(r.out).toMatch(/mono: init exited with status 0/);
    expect(Number(r.err.match(/blocks compared (\d+)/)![1])).toBeGreaterThan(100_000);
  });

  it('lockstep on a whole program also compares the blocks planned again from their runs in the interpreter', () => {
    const attach = vi.spyOn(Cpu.prototype, 'useTranslator');
    try {
      const r = run(IMG('cpumix-small'), { engine: 'lockstep', stats: true });
      expect(r.status, r.err).toBe(Exit.Halted);
      const t = attach.mock.calls.map(([x]) => x).filter((x) => x !== undefined).at(-1)!; // the machine's (the first translator a process builds primes the dispatcher with translators of its own)
      // Blocks are interpreted a few times before they compile (LOCKSTEP_RUN_HOT): some are planned again from those runs.
      expect(t.hot).toBe(LOCKSTEP_RUN_HOT);
      expect(t.blocks().filter((b) => b.compiled && b.replanned).length).toBeGreaterThan(5);
    } finally {
      attach.mockRestore();
    }
  });

  it('lockstep stops at the first difference, names the register, the block and the cycle, and exits 4', () => {
    // A fault put into the reference alone: after its 3,000th instruction the interpreting CPU (no translator) flips a bit of t1.
    const interpret = Cpu.prototype.interpret;
    let flipped = -1;
    const spy = vi.spyOn(Cpu.prototype, 'interpret').mockImplementation(function (this: Cpu) {
      interpret.call(this);
      if (flipped < 0 && this.translator === undefined && this.instret >= 3000) { this.regs[9] ^= 1; flipped = this.instret; }
    });
    try {
      const r = run(IMG('cpubench-small'), { engine: 'lockstep', stats: true });
      expect(flipped).toBeGreaterThan(0);
      expect(r.status, r.err).toBe(Exit.Mismatch);
      expect(r.err).toMatch(/cpubench-small\.elf: the translator and the interpreter differ after block \d+ \(the last run began at 0x800[0-9a-f]{5}; cycle \d+\): r9: translated 0x[0-9a-f]+, interpreted 0x[0-9a-f]+\n$/);
      // It stopped there, not at the program's end.
      expect(Number(counts(r.err).instructions)).toBeLessThan(100_000);
    } finally {
      spy.mockRestore();
    }
  });

  it('compares the console output of a lockstep pair byte for byte', () => {
    const b = (t: string) => Buffer.from(t, 'latin1');
    expect(consoleDiff([b('ab'), b('c')], [b('a'), b('bc')])).toBeUndefined();
    expect(consoleDiff([b('abc')], [b('abd')])).toBe('in their console output, at byte 2 of this stretch: translated 3 bytes, interpreted 3');
    expect(consoleDiff([b('ab')], [])).toBe('in their console output, at byte 0 of this stretch: translated 2 bytes, interpreted 0');
  });
});

describe('exoscope disasm', () => {
  it('lists the program with symbols', () => {
    const text = disasmElf(IMG('hello'));
    expect(text).toMatch(/80030000 <_start>:\n80030000:\t[0-9a-f]{8} \tlui\t/);
  });
});

describe('the command line', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [cliEntry(), ...args], { encoding: 'latin1', input: '' });

  it('exits 2 with a one-line message for a bad ELF', () => {
    const r = cli('run', join(ROOT, 'package.json'));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/package\.json: not an ELF file/);
  });

  it('suggests the command a mistyped first word was meant to be (exit 2), and prints its version', () => {
    const r = cli('replya', 'scenarios/demo.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("exoscope: 'replya' is no command and no file; did you mean 'exoscope replay'? (exoscope --help lists the commands)\n");
    const v = cli('--version');
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('says the TUI needs a terminal and exits 2 when stdin and stdout are not one, leaving stdout empty', () => {
    for (const args of [[], ['tui', 'scenarios/demo.yaml'], ['scenarios/demo.yaml']]) {
      const r = cli(...args);
      expect(r.status, `exoscope ${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^exoscope tui needs a terminal .*use `exoscope replay <scenario>`/);
      expect(r.stdout).toBe('');
    }
  });

  it('takes --engine translate, interpret or lockstep for run and translate or interpret for replay, and refuses anything else (exit 2)', () => {
    const i = cli('run', '--engine', 'interpret', IMG('hello'));
    expect(i.status, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/^hello from exoscope bare metal/);
    const bad = cli('run', '--engine', 'jit', IMG('hello'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/argument 'jit' is invalid\. Allowed choices are translate, interpret, lockstep/);
    const gdb = cli('run', '--gdb', '0', '--engine', 'lockstep', IMG('hello'));
    expect(gdb.status).toBe(2);
    expect(gdb.stderr).toBe('exoscope: --gdb serves one machine: it takes --engine translate or interpret, not lockstep\n');
    const r = cli('replay', '--engine', 'interpret', join(ROOT, 'scenarios/share.yaml'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'test/session/golden/share.txt'), 'latin1'));
    expect(cli('replay', '--engine', 'lockstep', join(ROOT, 'scenarios/share.yaml')).status).toBe(2);
  });

  it('runs a program to its halt with exit 0', () => {
    const r = cli('run', IMG('hello'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^hello from exoscope bare metal/);
  });

  it('replays a bundled scenario named from another folder (scenarios/ of the package), and says so when there is none', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'exo-cwd-'));
    const inDir = (...args: string[]) => spawnSync(process.execPath, [cliEntry(), ...args], { encoding: 'latin1', input: '', cwd: elsewhere });
    const r = inDir('replay', 'scenarios/share.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'test/session/golden/share.txt'), 'latin1'));
    // (In this process: the folder makes no difference to a file found nowhere.)
    let err = '';
    expect(replayCommand('scenarios/no-such.yaml', { stdout: () => {}, stderr: (t) => { err += t; } })).toBe(2);
    expect(err).toMatch(/^scenarios\/no-such\.yaml: cannot read the scenario: no such file\n$/);
  });

  it('replay --stats prints the instructions of the run, cycles, host seconds and MIPS after the verdict, timed from the session built', () => {
    // A clock read as the command starts (10 s), as the run starts (11 s) and at its end (13 s): the run took two seconds.
    let reads = 0, err = '', out = '';
    const clock = () => [10, 11, 13][Math.min(reads++, 2)];
    expect(replayCommand(join(ROOT, 'scenarios/share.yaml'), { quiet: true, stats: true, stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, hostSeconds: clock })).toBe(0);
    expect(out).toBe('');
    const m = /^share: .* hold\ninstructions (\d+)\ncycles (\d+)\nhost seconds 2\.000\nMIPS ([\d.]+)\n$/.exec(err);
    expect(m, err).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(50_000);
    expect(Number(m![2])).toBeGreaterThan(Number(m![1]));
    expect(m![3]).toBe((Number(m![1]) / 2 / 1e6).toFixed(1));
    expect(reads).toBe(3);
    // The monolithic kernel's replay times its run the same way.
    reads = 0; err = '';
    expect(replayCommand(join(ROOT, 'scenarios/mono-pipe.yaml'), { quiet: true, stats: true, stdout: () => {}, stderr: (t) => { err += t; }, hostSeconds: clock })).toBe(0);
    expect(err).toMatch(/^mono-pipe: .* hold\ninstructions \d+\ncycles \d+\nhost seconds 2\.000\nMIPS [\d.]+\n$/);
    // The command line has it too.
    const r = spawnSync(process.execPath, [cliEntry(), 'replay', '--quiet', '--stats', join(ROOT, 'scenarios/share.yaml')], { encoding: 'latin1', input: '' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\ninstructions \d+\ncycles \d+\nhost seconds [\d.]+\nMIPS [\d.]+\n$/);
  });
});
