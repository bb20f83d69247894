// `exoscope run`: a bare-metal ELF on the machine, its console output on
// stdout. Kept apart from main.ts so that tests can call it with their own
// output streams.

import { ElfError, Machine, parseElf, type ElfImage } from '../emu/index.js';
import { IMAGE_MAX_BYTES, readRegularFile } from '../session/index.js';
import { CliError, Exit } from './errors.js';

export { CliError, Exit } from './errors.js';

/** Options of `runElf`. */
export interface RunOptions {
  maxInstructions?: number;
  /** RAM in bytes (default 32 MiB). */
  ramBytes?: number;
  stats?: boolean;
  /** Console input, queued on serial line 3 before the program starts. */
  input?: Uint8Array;
  args?: readonly string[];
  stdout: (bytes: Uint8Array) => void;
  stderr: (text: string) => void;
  /** Host seconds since some origin; only for --stats. */
  hostSeconds?: () => number;
}

/** Reads and parses an ELF file; throws CliError (status 2) with a one-line reason. */
export function loadElfFile(path: string): ElfImage {
  const bytes = readRegularFile(path, IMAGE_MAX_BYTES);
  if ('problem' in bytes) throw new CliError(`Cannot read ${path}: ${bytes.problem}`, Exit.BadInput);
  try {
    return parseElf(bytes, path);
  } catch (e) {
    if (e instanceof ElfError) throw new CliError(e.message, Exit.BadInput);
    throw e;
  }
}

/** Chunk of cycles between output flushes: small enough to stream, big enough to be cheap. */
const CHUNK = 10_000_000;

/**
 * Runs the ELF at `path` until it halts through the PROM. Returns the exit
 * status: 0 halted, 3 when it ran out of instructions or waits for input that
 * will never come. Throws CliError for a bad file.
 */
export function runElf(path: string, opts: RunOptions): number {
  const elf = loadElfFile(path);
  let pending: Uint8Array[] = [];
  let machine: Machine;
  try {
    machine = new Machine({ ramSize: opts.ramBytes ?? 32 << 20, onConsole: (b) => pending.push(b) });
    machine.load(elf, [path, ...(opts.args ?? [])]);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(`Cannot load ${path}: ${e.message}`, Exit.BadInput);
    throw e;
  }
  if (opts.input && opts.input.length > 0) machine.consoleInput(opts.input);
  const flush = () => { if (pending.length) { opts.stdout(Buffer.concat(pending)); pending = []; } };
  const max = opts.maxInstructions ?? Infinity;
  const t0 = opts.hostSeconds?.() ?? 0;
  let reason = 'budget';
  while (reason === 'budget' && machine.cpu.instret < max) {
    reason = machine.run(Math.min(CHUNK, max - machine.cpu.instret));
    flush();
  }
  const seconds = (opts.hostSeconds?.() ?? 0) - t0;
  if (opts.stats) opts.stderr(statsText(machine.cpu.instret, machine.cpu.cycles, seconds));
  if (reason === 'halt') return Exit.Halted;
  if (reason === 'input') {
    opts.stderr(`exoscope: ${path} waits for console input, and there is no more\n`);
    return Exit.NoHalt;
  }
  opts.stderr(`exoscope: ${path} did not halt within ${max} instructions\n`);
  return Exit.NoHalt;
}

/** What --stats prints (`run`, `replay`): instructions, cycles, host seconds and MIPS, a line each. */
export function statsText(instructions: number, cycles: number, seconds: number): string {
  const mips = seconds > 0 ? (instructions / seconds / 1e6).toFixed(1) : 'n/a';
  return `instructions ${instructions}\ncycles ${cycles}\nhost seconds ${seconds.toFixed(3)}\nMIPS ${mips}\n`;
}
