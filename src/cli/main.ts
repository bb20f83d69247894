#!/usr/bin/env -S node --v8-pool-size=1 --max-inlined-bytecode-size=200 --concurrent-recompilation-queue-length=1
// exoscope's command line (commander). Each command is a thin shell over a
// function that tests call directly.
//
// The command runs under three V8 flags (the line above; `npm start`
// passes the same, a test checks it, and the benches read them from here):
// - One V8 helper thread instead of Node's four (--v8-pool-size=1). On a
//   two-core machine four helpers preempt the main thread in garbage
//   collection and background compiling: living.yaml's whole replay took
//   0.45 to 0.47 s wall with one and 0.52 to 0.56 s with four, interleaved
//   runs on a quiet machine; the TUI's speed against headless did not
//   change measurably (bench/tui.mjs, three interleaved runs each).
// - Less inlining into optimized code (--max-inlined-bytecode-size=200,
//   V8's default 460) and one function queued at a time for the optimizing
//   compiler (--concurrent-recompilation-queue-length=1, default 8). A
//   replay is short, and its run is mostly V8 warming up: its one compiler
//   thread is busy the whole run, compiling some 100 kernel, session and
//   emulator functions, so the code the run needs most waits behind the
//   rest. Smaller compile jobs and no long queue land it sooner (what
//   V8 does with a function it marks while the queue is full, we did
//   not read in its source: --trace-opt showed fewer jobs). Measured
//   with `exoscope replay --quiet --stats` (the run alone) from a fresh
//   process, medians of 7 to 9 interleaved runs, the code cache made under
//   the same flags (scripts/compiled-replay.mjs; V8 refuses one made under
//   others): scavenger 141 -> 151 MIPS, living 188 -> 206, echo 281 ->
//   290, and the whole process 10 to 20 ms shorter; either flag alone gave
//   about half; 150 or 300 in place of 200 and a queue of 2 did no
//   better. The bare-metal cpubench ran as before (about 905 MIPS).

// Each command's module is imported when that command runs, not here: a
// replay loads neither the TUI (ink, react) nor the gdb server, and
// `--version` loads no machine at all (the target: a replay's whole process
// under 0.5 s, Node start included).

import { existsSync, readFileSync, writeSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { basename } from 'node:path';
import { compiledCommand } from './compiled.js';
import { CliError } from './errors.js';
import { addGdbServerCommand } from './gdb.js';
import { LoadingScreen } from './loading.js';
import { suggestCommand } from './suggest.js';

/** The package's version, from its package.json (two folders up from src/cli or dist/cli). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** All of standard input when it is a pipe or a file; nothing from a terminal. */
function readStdin(): Uint8Array {
  if (process.stdin.isTTY) return new Uint8Array(0);
  try {
    return new Uint8Array(readFileSync(0));
  } catch {
    return new Uint8Array(0);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0); // the reader went away (| head)
      if (code !== 'EAGAIN') throw e;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('exoscope')
    .description('A debugger and monitor for an exokernel on an emulated DECstation 5000/200')
    .version(version(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .showHelpAfterError();
  let status = 0;
  const tui = program.command('tui', { isDefault: true })
    .description('watch and steer a scenario in the terminal (the default command)')
    .argument('[scenario]', 'a scenario file', 'scenarios/living.yaml')
    .option('--record <file>', 'record the session as it happens, as an asciinema cast (asciicast v2)')
    .option('--gdb <port>', 'also serve the session to gdb on 127.0.0.1:<port> (the status line says when it is attached)', nonNegativeInt)
    .option('--load <file>', 'reopen a session saved with :save, at its point')
    .option('--pace <pace>', 'how fast a run goes at first (+ and - change it): max, real (the 25 MHz clock in wall time) or 1/<n> of it; default 1/30')
    .option('--history-disk <MiB>', 'disk the event history may use for its older events (memory holds their counts, about a fifteenth of it); past it the oldest are forgotten, and time travel reaches back to the first checkpoint after them (default 1024)', positiveInt)
    .action(async (file: string, o: { record?: string; gdb?: number; load?: string; pace?: string; historyDisk?: number }) => {
      // At a terminal, a first frame at once: what is loading, step by step (loading.ts).
      const loading = process.stdin.isTTY && process.stdout.isTTY ? new LoadingScreen(basename(o.load ?? file).replace(/\.ya?ml$/, '')) : undefined;
      loading?.step('loading exoscope');
      const [{ tuiCommand }, { paceChoices, parsePace }] = await Promise.all([import('./tui.js'), import('../session/index.js')]);
      const pace = o.pace === undefined ? undefined : parsePace(o.pace);
      if (o.pace !== undefined && pace === undefined) {
        loading?.leave();
        tui.error(`error: option '--pace <pace>' argument '${o.pace}' is invalid. expected one of ${paceChoices()}`, { exitCode: 1, code: 'commander.invalidArgument' });
      }
      status = await tuiCommand(file, (t) => writeAll(2, Buffer.from(t)), { ...o, pace, loading });
    });
  program.command('record')
    .description('play a scenario through the TUI on a virtual terminal and write it as an asciinema cast, in virtual time')
    .argument('<scenario>', 'a scenario file; its key track drives the TUI (docs/recording.md)')
    .requiredOption('-o, --output <file>', 'the cast to write (asciicast v2)')
    .option('--cols <n>', 'terminal width (at least 80)', positiveInt, 120)
    .option('--rows <n>', 'terminal height (at least 24)', positiveInt, 40)
    .option('--cycles-per-second <n>', 'emulated cycles per second of the cast (default: the scenario\'s record.cycles-per-second)', positiveInt)
    .action(async (file: string, o: { output: string; cols: number; rows: number; cyclesPerSecond?: number }) => {
      const { recordCommand } = await import('./record.js');
      status = await recordCommand(file, { ...o, stderr: (t) => writeAll(2, Buffer.from(t)) });
    });
  program.command('run')
    .description('run a bare-metal DECstation ELF; its console output goes to stdout')
    .argument('<elf>', 'the program (MIPS little-endian ELF32, linked in kseg0)')
    .argument('[args...]', 'arguments passed to the program in argv')
    .option('--max-instructions <n>', 'stop a program that has not halted after n instructions (exit 3)', positiveInt)
    .option('--ram <MiB>', 'memory size in MiB', positiveInt, 32)
    .option('--stats', 'print instructions, cycles, host seconds and MIPS to stderr')
    .option('--gdb <port>', 'stop before the first instruction and serve gdb on 127.0.0.1:<port> (src/gdb)', nonNegativeInt)
    .addOption(new Option('--engine <engine>', 'translate: hot code as translated blocks; interpret: every instruction in the interpreter, the reference; lockstep: both side by side, compared after every block, stopping at the first difference (exit 4)')
      .choices(['translate', 'interpret', 'lockstep']).default('translate'))
    .action(async (elf: string, args: string[], o: { maxInstructions?: number; ram: number; stats?: boolean; gdb?: number; engine: 'translate' | 'interpret' | 'lockstep' }) => {
      if (o.gdb !== undefined) {
        if (o.engine === 'lockstep') throw new CliError('--gdb serves one machine: it takes --engine translate or interpret, not lockstep', 2);
        const { runElfGdb } = await import('../gdb/index.js');
        status = await runElfGdb(elf, { port: o.gdb, ramBytes: o.ram * 2 ** 20, args, translate: o.engine === 'translate', stdout: (b) => writeAll(1, b), stderr: (t) => writeAll(2, Buffer.from(t)) });
        return;
      }
      const { runElf } = await import('./run.js');
      status = runElf(elf, {
        maxInstructions: o.maxInstructions, ramBytes: o.ram * 2 ** 20, stats: o.stats, engine: o.engine, args, input: readStdin(),
        stdout: (b) => writeAll(1, b),
        stderr: (t) => writeAll(2, Buffer.from(t)),
        hostSeconds: () => Number(process.hrtime.bigint()) / 1e9,
      });
    });
  program.command('replay')
    .description('run a scenario headless, print its event log, and check its expectations')
    .argument('<scenario>', 'a scenario file (YAML, see docs/scenarios.md)')
    .option('--json', 'print the event log as JSON lines')
    .option('--until <cycle>', 'stop at this cycle', nonNegativeInt)
    .option('--quiet', 'print no event log, only failures')
    .option('--pcap <file>', 'write every frame on the wire to a pcap file (nanosecond timestamps from the cycle counter)')
    .option('--stats', "print the run's instructions, cycles, host seconds and MIPS to stderr (the run alone, from the session built)")
    .addOption(new Option('--engine <engine>', 'translate: hot code as translated blocks; interpret: every instruction in the interpreter, the reference (the same event log, about a tenth of the speed)')
      .choices(['translate', 'interpret']).default('translate'))
    .action(async (file: string, { engine, ...o }: { json?: boolean; until?: number; quiet?: boolean; pcap?: string; stats?: boolean; engine: 'translate' | 'interpret' }) => {
      // The build's precompiled script when there is one (compiled.ts), else the module.
      const { replayCommand } = compiledCommand<typeof import('./replay.js')>('replay') ?? await import('./replay.js');
      status = replayCommand(file, {
        ...o,
        translate: engine === 'translate',
        stdout: (t) => writeAll(1, Buffer.from(t)),
        stdoutBytes: (b) => writeAll(1, b),
        stderr: (t) => writeAll(2, Buffer.from(t)),
        progressTty: process.stderr.isTTY === true,
        hostSeconds: () => Number(process.hrtime.bigint()) / 1e9,
      });
    });
  program.command('bench')
    .description("rerun the Aegis paper's measurements on the emulated machine")
    .option('--paper', "the paper's IPC table on our exokernel and on the monolithic kernel, beside its ExOS and Ultrix figures")
    .option('--explain', 'add which cost-model assumption drives each row (a sensitivity table)')
    .option('--json', 'print JSON instead of a table')
    .action(async (o: { paper?: boolean; json?: boolean; explain?: boolean }) => {
      if (!o.paper) { writeAll(2, Buffer.from('exoscope bench: say --paper (the emulator benchmarks are `npm run bench`)\n')); status = 2; return; }
      const { paperBenchCommand } = await import('./bench.js');
      status = await paperBenchCommand(o.json === true, (t) => writeAll(1, Buffer.from(t)), o.explain === true);
    });
  addGdbServerCommand(program, (t) => writeAll(2, Buffer.from(t)), (n) => { status = n; });
  program.command('disasm')
    .description('print the disassembly of an ELF, as objdump -d does')
    .argument('<elf>', 'the program')
    .action(async (elf: string) => {
      const { disasmElf } = await import('./disasm.js');
      writeAll(1, Buffer.from(disasmElf(elf)));
    });
  const first = argv[2];
  const meant = suggestCommand(first, program.commands.map((c) => c.name()), existsSync);
  if (meant !== undefined) {
    writeAll(2, Buffer.from(`exoscope: '${first}' is no command and no file; did you mean 'exoscope ${meant}'? (exoscope --help lists the commands)\n`));
    return 2;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CliError) { writeAll(2, Buffer.from(`exoscope: ${e.message}\n`)); return e.status; }
    const code = (e as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code === 0 ? 0 : 2;
    throw e;
  }
  return status;
}

process.exitCode = await main(process.argv);
