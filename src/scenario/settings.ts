// The settings sections of a scenario file (docs/scenarios.md): [machine],
// [run] and [record], with their defaults and the limits of what a file
// may ask for (RAM sizes, the shortest period of a repetition).

import * as z from 'zod';
import { CPU_HZ, DEFAULT_RAM } from '../emu/index.js';
import { SEED_HEX, SEED_HEX_DIGITS, type Seed, tickProblem } from '../exokernel/index.js';
import type { MachineSettings, RecordSettings, RunSettings } from './types.js';
import { fail, integer, leaf, positive, record } from './zod.js';

/** Defaults of the optional settings. */
export const SCENARIO_DEFAULTS = {
  ramMiB: DEFAULT_RAM / (1 << 20),
  cpuHz: CPU_HZ,
  seed: 1,
  tickHz: 1024,
  sliceTicks: 2,
  maxCycles: 1_000_000_000,
  cyclesPerSecond: 1_000_000,
} as const;

/** A machine's settings when the file gives none. */
export const DEFAULT_MACHINE: MachineSettings = {
  ramMiB: SCENARIO_DEFAULTS.ramMiB, cpuHz: SCENARIO_DEFAULTS.cpuHz, seed: SCENARIO_DEFAULTS.seed, tickHz: SCENARIO_DEFAULTS.tickHz, sliceTicks: SCENARIO_DEFAULTS.sliceTicks,
};

/**
 * The RAM sizes a scenario may ask for, in MiB: up to the 480 MB the KN02
 * maps (docs/reference/decstation.md), and from 12, the least in which every
 * bundled scenario runs (share, pipe and shm allocate frame 3001 by name);
 * a test replays every bundled scenario at sizes across the range.
 */
export const RAM_MIN_MIB = 12;
export const RAM_MAX_MIB = 480;

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * The shortest period of a repeating environment or timeline step: a
 * repetition faster than a few clock ticks would only flood the machine.
 */
export const MIN_EVERY = 100_000;
/** A uint32, or "0x" and 1 to 32 hex digits (keys.ts). */
const isSeed = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff) || (typeof v === 'string' && SEED_HEX.test(v));
const isPowerOfTwo = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 2 && (v as number) <= 8192 && ((v as number) & ((v as number) - 1)) === 0;

/** The [machine] section; `seed` is the default seed (the first machine's is 1, the next ones count up). */
export function machine(seed: Seed = DEFAULT_MACHINE.seed): z.ZodType<MachineSettings, unknown> {
  return record('a mapping with ram, clock, seed, tick or slice-ticks', {
    ram: integer(`a whole number of MiB from ${RAM_MIN_MIB} to ${RAM_MAX_MIB}`, RAM_MIN_MIB, RAM_MAX_MIB).optional(),
    clock: integer('a clock rate in Hz (a positive integer)', 1, MAX).optional(),
    seed: leaf<Seed>(`a uint32 seed (0 to 4294967295) or a hex string of up to ${SEED_HEX_DIGITS} digits ("0x" and up to 128 bits)`, isSeed).optional(),
    tick: leaf<number>('a power of two from 2 to 8192', isPowerOfTwo).optional(),
    'slice-ticks': integer('a number of clock ticks from 1 to 1000', 1, 1000).optional(),
  }).transform((m, rctx) => {
    const settings = {
      ramMiB: m.ram ?? DEFAULT_MACHINE.ramMiB,
      cpuHz: m.clock ?? DEFAULT_MACHINE.cpuHz,
      seed: m.seed ?? seed,
      tickHz: m.tick ?? DEFAULT_MACHINE.tickHz,
      sliceTicks: m['slice-ticks'] ?? DEFAULT_MACHINE.sliceTicks,
    };
    // The kernel refuses a clock tick too short to run anything in (limits.ts).
    const slow = tickProblem(settings.cpuHz, settings.tickHz);
    if (slow) fail(rctx, slow, [m.clock !== undefined ? 'clock' : 'tick']);
    return settings;
  });
}

/** When the run ends. */
export function run(): z.ZodType<RunSettings, unknown> {
  const until = leaf<'idle' | number>('idle or a cycle number', (v) => v === 'idle' || (Number.isSafeInteger(v) && (v as number) >= 0));
  const live = leaf<'forever' | 'until'>('forever or until', (v) => v === 'forever' || v === 'until');
  return record('a mapping with until, max-cycles or live', { until: until.optional(), 'max-cycles': positive().optional(), live: live.optional() }).transform((r, rctx) => {
    const maxCycles = r['max-cycles'] ?? SCENARIO_DEFAULTS.maxCycles;
    const u = r.until ?? 'idle';
    if (typeof u === 'number' && u > maxCycles) fail(rctx, `cycle ${u} comes after max-cycles (${maxCycles})`, ['until']);
    return { until: u, maxCycles, live: r.live ?? 'until' };
  });
}

/** How a recording is paced. */
export function recording(): z.ZodType<RecordSettings, unknown> {
  return record('a mapping with cycles-per-second', {
    'cycles-per-second': integer('a number of emulated cycles from 1000 to 1000000000', 1000, 1_000_000_000).optional(),
  }).transform((r) => ({ cyclesPerSecond: r['cycles-per-second'] ?? SCENARIO_DEFAULTS.cyclesPerSecond }));
}
