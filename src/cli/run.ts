// `exoscope run`: a bare-metal ELF on the machine, its console output on
// stdout. Kept apart from main.ts so that tests can call it with their own
// output streams.

import { ElfError, Lockstep, LOCKSTEP_RUN_HOT, Machine, parseElf, type ElfImage, type StopReason } from '../emu/index.js';
import { IMAGE_MAX_BYTES, readRegularFile } from '../session/index.js';
import { CliError, Exit } from './errors.js';

export { CliError, Exit } from './errors.js';

/**
 * How `runElf` runs the program: translated blocks (the default), the
 * interpreter alone (the reference, about a tenth of the speed), or both
 * side by side (emu/lockstep.ts): the CPU and the RAM either wrote
 * compared after every block the translator runs, the console output
 * after every CHUNK of cycles; the first difference stops the run
 * (Exit.Mismatch).
 */
export type Engine = 'translate' | 'interpret' | 'lockstep';

/** Options of `runElf`. */
export interface RunOptions {
  maxInstructions?: number;
  /** Default 'translate'. */
  engine?: Engine;
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
  const engine = opts.engine ?? 'translate';
  let pending: Uint8Array[] = [], refPending: Uint8Array[] = [];
  const boot = (translate: boolean, onConsole: (b: Uint8Array) => void): Machine => {
    const m = new Machine({ ramSize: opts.ramBytes ?? 32 << 20, translate, onConsole });
    m.load(elf, [path, ...(opts.args ?? [])]);
    if (opts.input && opts.input.length > 0) m.consoleInput(opts.input);
    return m;
  };
  let machine: Machine, lockstep: Lockstep | undefined;
  try {
    machine = boot(engine !== 'interpret', (b) => pending.push(b));
    if (engine === 'lockstep') lockstep = new Lockstep(machine, boot(false, (b) => refPending.push(b)), undefined, LOCKSTEP_RUN_HOT);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(`Cannot load ${path}: ${e.message}`, Exit.BadInput);
    throw e;
  }
  const max = opts.maxInstructions ?? Infinity;
  const t0 = opts.hostSeconds?.() ?? 0;
  let reason: StopReason = 'budget', mismatch: string | undefined, blocks = 0;
  while (reason === 'budget' && machine.cpu.instret < max) {
    const budget = Math.min(CHUNK, max - machine.cpu.instret);
    const out = pending.length ? Buffer.concat(pending) : undefined;
    pending = [];
    if (out) opts.stdout(out);
    if (lockstep === undefined) { reason = machine.run(budget); continue; }
    ({ reason, mismatch, blocks } = lockstep.run(budget));
    if (mismatch === undefined) mismatch = consoleDiff(pending, refPending);
    refPending = [];
    if (mismatch !== undefined) break;
  }
  if (pending.length) opts.stdout(Buffer.concat(pending));
  const seconds = (opts.hostSeconds?.() ?? 0) - t0;
  if (opts.stats) opts.stderr(statsText(machine.cpu.instret, machine.cpu.cycles, seconds) + (lockstep ? `blocks compared ${blocks}\n` : ''));
  if (mismatch !== undefined) {
    opts.stderr(`exoscope: ${path}: the translator and the interpreter differ ${mismatch}\n`);
    return Exit.Mismatch;
  }
  if (reason === 'halt') return Exit.Halted;
  if (reason === 'input') {
    opts.stderr(`exoscope: ${path} waits for console input, and there is no more\n`);
    return Exit.NoHalt;
  }
  opts.stderr(`exoscope: ${path} did not halt within ${max} instructions\n`);
  return Exit.NoHalt;
}

/**
 * Where the console output of a lockstep pair's two machines differs, over
 * the same stretch (both at the same cycle), or undefined when it does not.
 */
export function consoleDiff(fast: readonly Uint8Array[], ref: readonly Uint8Array[]): string | undefined {
  const a = Buffer.concat(fast), b = Buffer.concat(ref);
  if (a.equals(b)) return undefined;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `in their console output, at byte ${i} of this stretch: translated ${a.length} bytes, interpreted ${b.length}`;
}

/** What --stats prints (`run`, `replay`): instructions, cycles, host seconds and MIPS, a line each. */
export function statsText(instructions: number, cycles: number, seconds: number): string {
  const mips = seconds > 0 ? (instructions / seconds / 1e6).toFixed(1) : 'n/a';
  return `instructions ${instructions}\ncycles ${cycles}\nhost seconds ${seconds.toFixed(3)}\nMIPS ${mips}\n`;
}
