// The schema of a whole scenario file (docs/scenarios.md). It is built per
// file: environment references are checked against the names that file
// declares, and every step, breakpoint and expectation learns where it was
// written from the file's locator.

import * as z from 'zod';
import { CPU_HZ, DEFAULT_RAM, EXC_NAMES, LANCE_MAX_FRAME } from '../emu/index.js';
import { argsProblem, SEED_HEX, SEED_HEX_DIGITS, type Seed, tickProblem } from '../exokernel/index.js';
import type {
  Action, BreakpointSpec, CountRange, EnvironmentSpec, Expectation, ExpectationBody, Located, MachineSettings, MachineSpec, PacketSpec, RecordSettings,
  PaperSpec, RunSettings, Scenario, SourceLocation, TimelineStep, Trigger,
} from './types.js';
import { addressed, checkMachines, defaultMac } from './machines.js';
import { monoExpectation, monoMachineEntry } from './mono.js';
import { ADDRESS_TEXT, eventKind, eventPattern, fieldsOf, parseAddress, textMatch } from './events.js';
import {
  count, expected, fail, forms, forward, integer, isMapping, leaf, list, matching, nameFrom, oneOfText, record, text, variant,
} from './zod.js';

/** What the schema needs to know about the file it checks. */
export interface SchemaContext {
  /** The environment names the file declares (valid or not): references must be one of them. */
  readonly envNames: readonly string[];
  /** The machine names under `machines` (valid or not); empty without it. */
  readonly machineNames: readonly string[];
  /** Those of them that say `kernel: monolithic`. */
  readonly monoMachines?: readonly string[];
  /** Where the value at `path` was written. */
  readonly locate: (path: readonly PropertyKey[]) => SourceLocation;
  /** The file an `image` names. */
  readonly resolveImage: (image: string) => string;
}

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

const DEFAULT_MACHINE: MachineSettings = {
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
const positive = () => integer('a positive integer', 1, MAX);
/** A uint32, or "0x" and 1 to 32 hex digits (keys.ts). */
const isSeed = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff) || (typeof v === 'string' && SEED_HEX.test(v));
const isPowerOfTwo = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 2 && (v as number) <= 8192 && ((v as number) & ((v as number) - 1)) === 0;

/** The [machine] section; `seed` is the default seed (the first machine's is 1, the next ones count up). */
function machine(seed: Seed = DEFAULT_MACHINE.seed): z.ZodType<MachineSettings, unknown> {
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

/** One entry of [environments]. */
function environment(ctx: SchemaContext): z.ZodType<EnvironmentSpec, unknown> {
  const arg = leaf<string | number>('a string or a number', (v) => typeof v === 'string' || Number.isFinite(v)).transform(String);
  return record('an environment (a mapping with name and image)', {
    name: matching('an environment name (a lower-case letter, then lower-case letters, digits or dashes)', /^[a-z][a-z0-9-]*$/),
    image: text('an image name or path (a non-empty string)'),
    args: list(arg, 'a list of arguments', 'argument', 0, 7).optional(),
    start: count().optional(),
    slices: integer('a number of time slices from 0 to 128', 0, 128).optional(),
    every: integer(`a number of cycles from ${MIN_EVERY} between new instances`, MIN_EVERY, MAX).optional(),
  }).transform((e, rctx) => {
    // The name and the arguments are copied into the info page, which they must fit (limits.ts).
    const tooLong = argsProblem(e.name, e.args ?? []);
    if (tooLong) fail(rctx, tooLong, ['args']);
    return { name: e.name, image: e.image, imagePath: ctx.resolveImage(e.image), args: e.args ?? [], start: e.start ?? 0, slices: e.slices ?? 1, ...(e.every !== undefined && { every: e.every }) };
  });
}

/**
 * Issues for environment names declared twice in `envs` (the list at
 * `where`), or already declared by an earlier machine (in `seen`, name to
 * where it was declared).
 */
function noDuplicates(envs: unknown, rctx: z.RefinementCtx, ctx: SchemaContext, where: readonly PropertyKey[] = ['environments'], seen = new Map<string, PropertyKey[]>()): void {
  if (!Array.isArray(envs)) return;
  envs.forEach((e, i) => {
    if (!isMapping(e) || typeof e.name !== 'string') return;
    const j = seen.get(e.name);
    if (j === undefined) seen.set(e.name, [...where, i, 'name']);
    else {
      const line = ctx.locate(j).line;
      const over = where[0] === 'machines' ? '; names are unique over all machines' : '';
      rctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate environment name "${e.name}" (first declared at line ${line}${over})`, continue: true });
    }
  });
}

/** `{ env }` when an environment filter was given, else nothing. */
const withEnv = (env: string | undefined) => (env === undefined ? {} : { env });

/** A breakpoint: on a pc (address or symbol), an exception, or an event kind; optionally one environment's. */
function breakpoint(envRef: z.ZodType<string, string>): z.ZodType<BreakpointSpec, unknown> {
  const isSymbol = (v: unknown) => typeof v === 'string' && /^[A-Za-z_.$][\w.$]*$/.test(v) && !/^0x/i.test(v);
  const pc = leaf<number | string>(`${ADDRESS_TEXT} or a symbol name`, (v) => parseAddress(v) !== undefined || isSymbol(v))
    .transform((v) => parseAddress(v) ?? String(v));
  return forms<BreakpointSpec>('a breakpoint (a mapping with pc, exception or event, and optionally env)', {
    pc: variant({ pc, env: envRef.optional() }, (v): BreakpointSpec =>
      typeof v.pc === 'number' ? { kind: 'pc', addr: v.pc, ...withEnv(v.env) } : { kind: 'symbol', symbol: v.pc, ...withEnv(v.env) }),
    exception: variant({ exception: nameFrom(`an exception name (${EXC_NAMES.join(', ')})`, EXC_NAMES), env: envRef.optional() }, (v) =>
      ({ kind: 'exception', code: EXC_NAMES.indexOf(v.exception), name: v.exception, ...withEnv(v.env) })),
    event: variant({ event: eventKind(), env: envRef.optional() }, (v, rctx) => {
      if (v.env !== undefined && !('env' in fieldsOf(v.event))) {
        fail(rctx, `${v.event} events name no environment, so env cannot filter them`, ['env']);
      }
      return { kind: 'event', event: v.event, ...withEnv(v.env) };
    }),
  });
}

/** A pause: "500ms", "2s" or "1.5s" (whole milliseconds). */
const duration = () =>
  matching('a duration like "500ms", "2s" or "1.5s"', /^(\d+ms|\d+(\.\d{1,3})?s)$/).transform((d) =>
    d.endsWith('ms') ? Number(d.slice(0, -2)) : Math.round(Number(d.slice(0, -1)) * 1000));

/**
 * Why the frame `packet` makes cannot go on the wire (longer than the
 * LANCE takes, or an address with an octet over 255), with the field to
 * name; undefined when it can.
 */
function frameProblem(packet: PacketSpec): { message: string; path: string[] } | undefined {
  if (packet.kind === 'hex') {
    const n = packet.bytes.replace(/\s+/g, '').length / 2;
    return n > LANCE_MAX_FRAME ? { message: `a frame of ${n} bytes is longer than the LANCE's ${LANCE_MAX_FRAME}`, path: ['hex'] } : undefined;
  }
  if (packet.to.split('.').some((o) => Number(o) > 255)) return { message: `${packet.to} is not an IPv4 address (an octet is over 255)`, path: ['udp', 'to'] };
  const n = UDP_FRAME_OVERHEAD + Buffer.byteLength(packet.payload, 'latin1');
  return n > LANCE_MAX_FRAME ? { message: `a ${packet.payload.length}-byte payload makes a ${n}-byte frame, longer than the LANCE's ${LANCE_MAX_FRAME}`, path: ['udp', 'payload'] } : undefined;
}

/** Bytes a UDP datagram's frame adds to its payload: Ethernet (14), IPv4 (20) and UDP (8) headers. */
const UDP_FRAME_OVERHEAD = 42;

/** What a timeline step does. */
function action(envRef: z.ZodType<string, string>): z.ZodType<Action, unknown> {
  const printable = leaf<string>('keys (non-empty printable text)', (v) => typeof v === 'string' && v.length > 0 && !/[\x00-\x1f\x7f]/.test(v));
  const consoleInput = record('a mapping with env and text', { env: envRef, text: text('console input (a non-empty string)') });
  const revoke = record('a mapping with env, frames or slices, and window', {
    env: envRef,
    frames: positive().optional(),
    slices: integer('a number of slices from 1 to 128', 1, 128).optional(),
    window: positive().optional(),
  });
  const ipText = matching('an IPv4 address like "10.0.0.2"', /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  const port = integer('a UDP port (0 to 65535)', 0, 65535);
  const udp = record('a mapping with to, port, from-port and payload', {
    to: ipText, port, 'from-port': port.optional(), payload: text('a payload (a non-empty string)'),
  });
  const inject = record('a mapping with udp or hex, count and every', {
    udp: udp.optional(),
    hex: matching('bytes in hex, like "ff ff 08 00"', /^([0-9a-fA-F]{2}\s*)+$/).optional(),
    count: integer('a number of frames from 1 to 100000', 1, 100_000).optional(),
    every: integer('a number of cycles between frames (1 or more)', 1, MAX).optional(),
  });
  return forms<Action>('an action (a mapping with kill, break, key, pause, console, revoke, inject or breakpoint)', {
    inject: variant({ inject }, (v, rctx): Action => {
      const i = v.inject;
      if ((i.udp === undefined) === (i.hex === undefined)) fail(rctx, 'expected exactly one of udp or hex');
      const packet = i.udp
        ? { kind: 'udp' as const, to: i.udp.to, port: i.udp.port, fromPort: i.udp['from-port'] ?? 5000, payload: i.udp.payload }
        : { kind: 'hex' as const, bytes: i.hex ?? '' };
      const tooBig = frameProblem(packet);
      if (tooBig) fail(rctx, tooBig.message, ['inject', ...tooBig.path]);
      return { kind: 'inject', packet, count: i.count ?? 1, every: i.every ?? 100_000 };
    }),
    revoke: variant({ revoke }, (v, rctx): Action => {
      const r = v.revoke;
      if ((r.frames === undefined) === (r.slices === undefined)) fail(rctx, 'expected exactly one of frames or slices');
      return { kind: 'revoke', env: r.env, what: r.frames !== undefined ? 'frames' : 'slices', count: r.frames ?? r.slices ?? 1, window: r.window ?? 50_000 };
    }),
    kill: variant({ kill: envRef }, (v) => ({ kind: 'kill', env: v.kill })),
    break: variant({ break: text('a reason (a non-empty string)') }, (v) => ({ kind: 'break', reason: v.break })),
    key: variant({ key: printable }, (v) => ({ kind: 'key', keys: v.key })),
    pause: variant({ pause: duration() }, (v) => ({ kind: 'pause', ms: v.pause })),
    console: variant({ console: consoleInput }, (v) => ({ kind: 'console', env: v.console.env, text: v.console.text })),
    breakpoint: variant({ breakpoint: breakpoint(envRef) }, (v) => ({ kind: 'breakpoint', breakpoint: v.breakpoint })),
  });
}

/** One timeline step: a trigger (`at`, with `count` for events) and an action (`do`). */
function step(envRef: z.ZodType<string, string>, machineRef: z.ZodType<string, string>): z.ZodType<TimelineStep, unknown> {
  const pattern = eventPattern(envRef);
  const trigger = forms<Trigger>('a trigger (a mapping with cycle, instructions or event)', {
    cycle: variant({ cycle: count() }, (v) => ({ kind: 'cycle', cycle: v.cycle })),
    instructions: variant({ instructions: count() }, (v) => ({ kind: 'instructions', instructions: v.instructions })),
    event: variant({ event: pattern }, (v) => ({ kind: 'event', event: v.event, count: 1 })),
  });
  const every = integer(`a number of cycles from ${MIN_EVERY} between repetitions`, MIN_EVERY, MAX);
  return record('a timeline step (a mapping with at and do, optionally every, and machine with several machines)', {
    at: trigger, count: positive().optional(), every: every.optional(), do: action(envRef), machine: machineRef.optional(),
  }).transform((s, rctx): TimelineStep => {
    const on = s.machine === undefined ? {} : { machine: s.machine };
    if (s.every !== undefined && s.at.kind !== 'cycle') fail(rctx, `every applies only to cycle triggers, not to ${s.at.kind}`, ['every']);
    if (s.at.kind !== 'event') {
      if (s.count !== undefined) fail(rctx, `count applies only to event triggers, not to ${s.at.kind}`, ['count']);
      return { at: s.at, action: s.do, ...(s.every !== undefined && { every: s.every }), ...on };
    }
    return { at: { ...s.at, count: s.count ?? 1 }, action: s.do, ...on };
  });
}

/** A count: exactly N, or { min, max } with either bound left out. */
function countRange(): z.ZodType<CountRange, unknown> {
  const bounds = record('a mapping with min or max', { min: count().optional(), max: count().optional() }).transform((r, rctx): CountRange => {
    if (r.min === undefined && r.max === undefined) return fail(rctx, 'expected min, max or both');
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) return fail(rctx, `min (${r.min}) is greater than max (${r.max})`);
    return r.max === undefined ? { min: r.min ?? 0 } : { min: r.min ?? 0, max: r.max };
  });
  return z.unknown().transform((v, rctx) => (Number.isSafeInteger(v) && (v as number) >= 0
    ? { min: v as number, max: v as number }
    : isMapping(v) ? forward(bounds, v, rctx) : fail(rctx, expected('a count (a non-negative integer) or a mapping with min or max', v))));
}

/**
 * One entry of [expect]: what it checks, and with several machines, on
 * which (`machine`). One about a machine with kernel: monolithic checks
 * that kernel's events and console (mono.ts, monoExpectation).
 */
function expectation(envRef: z.ZodType<string, string>, machineRef: z.ZodType<string, string>, monoMachines: readonly string[]): z.ZodType<Expectation, unknown> {
  const body = expectationBody(envRef);
  const mono = monoExpectation();
  return z.unknown().transform((v, rctx): Expectation => {
    if (!isMapping(v) || !Object.hasOwn(v, 'machine')) return forward(body, v, rctx);
    const { machine, ...rest } = v;
    const m = machineRef.safeParse(machine);
    if (!m.success) fail(rctx, m.error.issues[0]?.message ?? 'expected a machine name', ['machine']);
    if (m.success && monoMachines.includes(m.data)) return { kind: 'mono', check: forward(mono, rest, rctx), machine: m.data };
    const b = forward(body, rest, rctx);
    return m.success ? { ...b, machine: m.data } : b;
  });
}

/** What an expectation checks. */
function expectationBody(envRef: z.ZodType<string, string>): z.ZodType<ExpectationBody, unknown> {
  const pattern = eventPattern(envRef);
  const state = nameFrom('runnable or destroyed', ['runnable', 'destroyed']) as z.ZodType<'runnable' | 'destroyed', 'runnable' | 'destroyed'>;
  return forms<ExpectationBody>('an expectation (a mapping with event, order, env, invariant or no-event)', {
    event: variant({ event: pattern, count: countRange().optional() }, (v) => ({ kind: 'event', event: v.event, count: v.count ?? { min: 1 } })),
    order: variant({ order: list(pattern, 'a list of event patterns', 'event pattern', 1) }, (v) => ({ kind: 'order', events: v.order })),
    env: variant({ env: envRef, state: state.optional(), console: textMatch().optional(), frames: countRange().optional() }, (v, rctx): ExpectationBody => {
      if (v.state === undefined && v.console === undefined && v.frames === undefined) fail(rctx, `expected at least one of ${oneOfText(['state', 'console', 'frames'])}`);
      return { kind: 'env', env: v.env, ...(v.state && { state: v.state }), ...(v.console && { console: v.console }), ...(v.frames && { frames: v.frames }) };
    }),
    invariant: variant({ invariant: leaf<'holds'>('holds', (v) => v === 'holds') }, () => ({ kind: 'invariant' })),
    'no-event': variant({ 'no-event': pattern }, (v) => ({ kind: 'no-event', event: v['no-event'] })),
  });
}

/** When the run ends. */
function run(): z.ZodType<RunSettings, unknown> {
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
function recording(): z.ZodType<RecordSettings, unknown> {
  return record('a mapping with cycles-per-second', {
    'cycles-per-second': integer('a number of emulated cycles from 1000 to 1000000000', 1000, 1_000_000_000).optional(),
  }).transform((r) => ({ cyclesPerSecond: r['cycles-per-second'] ?? SCENARIO_DEFAULTS.cyclesPerSecond }));
}

/**
 * `item`s in a list under top-level `key`, each with the place it was written.
 * `check`, when given, looks at the whole list even when some items are bad.
 */
function located<T>(ctx: SchemaContext, key: string | readonly PropertyKey[], item: z.ZodType<T, unknown>, thing: string, min = 0, max = Infinity,
  check?: (v: unknown, rctx: z.RefinementCtx) => void) {
  const items = list(item, `a list of ${thing}s`, thing, min, max);
  const where = typeof key === 'string' ? [key] : key;
  return (check ? items.superRefine(check, { when: () => true }) : items)
    .transform((all): Located<T>[] => all.map((it, i) => ({ ...it, source: ctx.locate([...where, i]) })));
}

export const MAC_TEXT = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
/** Machines on one Ethernet: 2 to MAX_MACHINES. */
export const MAX_MACHINES = 8;

/** Machine `i` of [machines]; `seen` holds the environment names earlier machines declared. */
function machineEntry(ctx: SchemaContext, i: number, seen: Map<string, PropertyKey[]>): z.ZodType<MachineSpec, unknown> {
  const where = ['machines', i, 'environments'];
  // Machine i's default seed counts up from the default (a uint32, 1).
  const seed = Number(DEFAULT_MACHINE.seed) + i;
  return record('a machine (a mapping with name and environments, and optionally kernel, machine and mac)', {
    name: matching('a machine name (a lower-case letter, then lower-case letters, digits or dashes)', /^[a-z][a-z0-9-]*$/),
    kernel: leaf<'exokernel'>('exokernel or monolithic', (v) => v === 'exokernel').optional(),
    machine: machine(seed).optional(),
    mac: matching('an Ethernet address like "08:00:2b:95:12:04"', MAC_TEXT).optional(),
    environments: located(ctx, where, environment(ctx), 'environment', 1, 32, (v, rctx) => noDuplicates(v, rctx, ctx, where, seen)),
  }).transform((m): MachineSpec => ({
    name: m.name, settings: m.machine ?? { ...DEFAULT_MACHINE, seed }, mac: (m.mac ?? defaultMac(i)).toLowerCase(), environments: m.environments,
  }));
}

/** [machines]: two or more DECstations on one Ethernet, names and Ethernet addresses unique. */
function machines(ctx: SchemaContext): z.ZodType<MachineSpec[], unknown> {
  return z.unknown().transform((v, rctx): MachineSpec[] => {
    if (!Array.isArray(v)) return fail(rctx, expected('a list of machines', v));
    if (v.length < 2 || v.length > MAX_MACHINES) fail(rctx, `expected 2 to ${MAX_MACHINES} machines, got ${v.length === 0 ? 'none' : v.length} (one machine needs no machines list: write environments at the top)`);
    const seen = new Map<string, PropertyKey[]>();
    const out = v.map((m, i) => {
      const mono = isMapping(m) && m.kernel === 'monolithic';
      if (mono && i === 0) {
        fail(rctx, 'the first machine runs the exokernel (the debugger steps it and its breakpoints stop it): put the machine with kernel: monolithic after it', [0, 'kernel']);
        return undefined;
      }
      const r = (mono ? monoMachineEntry(ctx, i) : machineEntry(ctx, i, seen)).safeParse(m);
      if (r.success) return r.data;
      for (const iss of r.error.issues) rctx.addIssue({ code: 'custom', message: iss.message, path: [i, ...iss.path], params: 'params' in iss ? iss.params : undefined, continue: true });
      return undefined;
    });
    const names = new Map<string, number>(), macs = new Map<string, number>();
    out.forEach((m, i) => {
      if (!m) return;
      if (names.has(m.name)) fail(rctx, `duplicate machine name "${m.name}" (first declared as machine ${names.get(m.name)! + 1})`, [i, 'name']);
      if (macs.has(m.mac)) fail(rctx, `Ethernet address ${m.mac} is machine ${macs.get(m.mac)! + 1}'s too: each machine on the wire needs its own`, [i, 'mac']);
      names.set(m.name, i);
      macs.set(m.mac, i);
    });
    return out.every((m) => m) ? (out as MachineSpec[]) : z.NEVER;
  });
}

/** The [paper] section: the row of `exoscope bench --paper` this scenario is. */
function paper(envRef: z.ZodType<string, string>): z.ZodType<PaperSpec, unknown> {
  const micro = leaf<number>('a figure in microseconds (a positive number)', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
  const arg = leaf<string | number>('a string or a number', (v) => typeof v === 'string' || Number.isFinite(v)).transform(String);
  const monolithic = record('a mapping with args (and wire), or none', {
    args: list(arg, 'a list of arguments for mono.elf', 'argument', 1, 7).optional(),
    wire: leaf<boolean>('true or false', (v) => typeof v === 'boolean').optional(),
    none: text('why there is no monolithic figure (a non-empty string)').optional(),
  }).transform((m, rctx): PaperSpec['monolithic'] => {
    if ((m.args === undefined) === (m.none === undefined)) return fail(rctx, 'expected either args (the program on the monolithic kernel) or none (why there is no such program), not both or neither');
    if (m.none !== undefined && m.wire !== undefined) fail(rctx, 'wire goes with args', ['wire']);
    return m.none !== undefined ? { none: m.none } : { args: m.args!, wire: m.wire ?? false };
  });
  return record('a mapping with operation, measured, iterations, window and monolithic', {
    operation: text('the operation the row measures (a non-empty string)'),
    measured: envRef,
    iterations: positive(),
    exos: micro.optional(),
    ultrix: micro.optional(),
    baseline: leaf<boolean>('true or false', (v) => typeof v === 'boolean').optional(),
    window: text('what the timed window holds (a non-empty string)'),
    monolithic,
  }).transform((p): PaperSpec => ({
    operation: p.operation, measured: p.measured, iterations: p.iterations, baseline: p.baseline ?? false, window: p.window, monolithic: p.monolithic,
    ...(p.exos !== undefined && { exos: p.exos }), ...(p.ultrix !== undefined && { ultrix: p.ultrix }),
  }));
}

/** The schema of a whole file. */
export function scenarioSchema(file: string, ctx: SchemaContext): z.ZodType<Scenario, unknown> {
  const names = ctx.envNames.length ? ` (${[...new Set(ctx.envNames)].join(', ')})` : '';
  const envRef = nameFrom(`the name of an environment declared under environments${names}`, ctx.envNames);
  const machineNames = ctx.machineNames.length ? ` (${[...new Set(ctx.machineNames)].join(', ')})` : ' (there is no machines list)';
  const machineRef = nameFrom(`the name of a machine declared under machines${machineNames}`, ctx.machineNames);
  return record('a scenario (a mapping with at least name, and environments or machines)', {
    name: matching('a scenario name (lower-case letters, digits and dashes)', /^[a-z0-9-]+$/),
    description: text('a description (a non-empty string)').optional(),
    // kernel: monolithic is parsed by mono-scenario.ts; here only the default may be written.
    kernel: leaf<'exokernel'>('exokernel or monolithic', (v) => v === 'exokernel').optional(),
    machine: machine().optional(),
    environments: located(ctx, 'environments', environment(ctx), 'environment', 1, 32, (v, rctx) => noDuplicates(v, rctx, ctx)).optional(),
    machines: machines(ctx).optional(),
    timeline: located(ctx, 'timeline', step(envRef, machineRef), 'timeline step').optional(),
    breakpoints: located(ctx, 'breakpoints', breakpoint(envRef), 'breakpoint').optional(),
    run: run().optional(),
    record: recording().optional(),
    expect: located(ctx, 'expect', expectation(envRef, machineRef, ctx.monoMachines ?? []), 'expectation').optional(),
    paper: paper(envRef).optional(),
  }).superRefine((s, rctx) => {
    if (isMapping(s) && s.machines === undefined && s.environments === undefined) fail(rctx, 'missing; expected a list of environments (or machines, for several machines)', ['environments']);
    if (s.machines !== undefined && s.environments !== undefined) fail(rctx, 'a scenario has environments or machines, not both (with machines, each machine lists its own)', ['environments']);
    if (s.machines !== undefined && s.machine !== undefined) fail(rctx, 'with machines, each machine has its own machine settings (under machines[N].machine)', ['machine']);
  }, { when: () => true }).transform((s, rctx): Scenario => {
    const settings = s.machine ?? DEFAULT_MACHINE;
    if (s.machines === undefined && s.environments === undefined) return z.NEVER;
    const all = s.machines ?? [{ name: 'decstation', settings, mac: defaultMac(0), environments: s.environments! }];
    const sc: Scenario = {
      file,
      name: s.name,
      ...(s.description !== undefined && { description: s.description }),
      machine: all[0].settings,
      environments: all[0].environments,
      machines: all,
      timeline: (s.timeline ?? []).map(addressed),
      breakpoints: s.breakpoints ?? [],
      run: s.run ?? { until: 'idle', maxCycles: SCENARIO_DEFAULTS.maxCycles, live: 'until' },
      record: s.record ?? { cyclesPerSecond: SCENARIO_DEFAULTS.cyclesPerSecond },
      expect: s.expect ?? [],
      ...(s.paper !== undefined && { paper: s.paper }),
    };
    checkMachines(sc, rctx);
    return sc;
  });
}
