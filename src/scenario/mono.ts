// The schema of a scenario with `kernel: monolithic` (docs/scenarios.md,
// "The monolithic kernel"): the monolithic kernel booted with a first
// program and its arguments, breakpoints, a run limit and expectations on
// its own events (MONO_EVENTS) and console. What only the exokernel has
// (environments, a timeline of revocations and packets) is refused with a
// message that says so. A machine of a scenario's `machines:` may say
// `kernel: monolithic` too (monoMachineEntry): expectations that name it
// are this file's (monoExpectation).

import * as z from 'zod';
import { EXC_NAMES } from '../emu/index.js';
import { MONO_SYSCALLS } from '../monolithic/index.js';
import { MONO_EVENT_KINDS, MONO_EVENTS, type MonoEventKind, type MonoFieldType } from '../monolithic/index.js';
import { ADDRESS_TEXT, parseAddress, textMatch } from './events.js';
import { addressOrSymbol, watchBreakpoint, watchFields } from './timeline.js';
import type { SchemaContext } from './schema.js';
import { SCENARIO_DEFAULTS } from './settings.js';
import { defaultMac, MAC_TEXT } from './machines.js';
import type { BreakpointSpec, FieldMatch, Located, MachineSpec, MonoEventPattern, MonoExpectation, Scenario } from './types.js';
import {
  countRange, didYouMean, expected, fail, forms, forward, integer, isMapping, leaf, list, matching, nameFrom, oneOfText, record, text, variant,
} from './zod.js';

/** How a field of type `type` is matched. */
function fieldSchema(type: MonoFieldType): z.ZodType<FieldMatch, unknown> {
  const equals = (value: number | string | boolean) => ({ op: 'equals', value }) as FieldMatch;
  switch (type) {
    case 'int': return integer('an integer', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).transform(equals);
    case 'address': return leaf<number | string>(ADDRESS_TEXT, (v) => parseAddress(v) !== undefined).transform((v) => equals(parseAddress(v)!));
    case 'text': return textMatch();
    case 'boolean': return leaf<boolean>('true or false', (v) => typeof v === 'boolean').transform(equals);
    case 'exception': return nameFrom(`an exception name (${EXC_NAMES.join(', ')})`, EXC_NAMES).transform(equals);
    case 'call': return callName().transform(equals);
  }
}

/** A system call name of MONO_SYSCALLS; a bare `null` (YAML's empty value) is told to be quoted. */
function callName(): z.ZodType<string, string> {
  const names: readonly string[] = MONO_SYSCALLS.filter(Boolean);
  return z.custom<string>((v) => typeof v === 'string' && names.includes(v), {
    abort: false,
    error: (iss) => expected(`a system call of the monolithic kernel (${names.join(', ')})`, iss.input)
      + (iss.input === null ? ' (write "null" in quotes for the null system call)' : didYouMean(iss.input, names)),
  });
}

/** A pattern on the monolithic kernel's events: `{ kind: syscall, call: pipe }`. */
function monoEventPattern(): z.ZodType<MonoEventPattern, unknown> {
  const byKind = new Map(MONO_EVENT_KINDS.map((k) => {
    const types: Readonly<Record<string, MonoFieldType>> = MONO_EVENTS[k].fields;
    const shape: Record<string, z.ZodType> = { kind: z.unknown() };
    for (const [f, t] of Object.entries(types)) shape[f] = fieldSchema(t).optional();
    const notAField = (key: string) => `"${key}" is not a field of ${k} events (they have ${oneOfText(Object.keys(types), 'and')})${didYouMean(key, Object.keys(types))}`;
    return [k, record(`a ${k} event pattern`, shape, notAField).transform((v): MonoEventPattern => {
      const fields: Record<string, FieldMatch> = {};
      for (const f of Object.keys(types)) if (v[f] !== undefined) fields[f] = v[f] as FieldMatch;
      return { kind: k, fields };
    })] as const;
  }));
  const kinds = `an event kind of the monolithic kernel (${MONO_EVENT_KINDS.join(', ')})`;
  return z.unknown().transform((v, ctx) => {
    if (!isMapping(v)) return fail(ctx, expected('an event pattern (a mapping with kind and field filters)', v));
    const schema = byKind.get(v.kind as MonoEventKind);
    if (schema) return forward(schema, v, ctx);
    ctx.addIssue({ code: 'custom', path: ['kind'], message: expected(kinds, v.kind) + didYouMean(v.kind, MONO_EVENT_KINDS), continue: true });
    return z.NEVER;
  });
}

/** A breakpoint: a pc (address or kernel symbol), an exception (stops at the kernel's trap()), one of its event kinds, or a data access (watch). */
function breakpoint(): z.ZodType<BreakpointSpec, unknown> {
  const pc = addressOrSymbol('of the kernel');
  return forms<BreakpointSpec>('a breakpoint (a mapping with pc, exception, event or watch)', {
    pc: variant({ pc }, (v): BreakpointSpec => (typeof v.pc === 'number' ? { kind: 'pc', addr: v.pc } : { kind: 'symbol', symbol: v.pc })),
    watch: variant(watchFields('of the kernel'), (v) => watchBreakpoint(v)),
    exception: variant({ exception: nameFrom(`an exception name (${EXC_NAMES.join(', ')})`, EXC_NAMES) }, (v) =>
      ({ kind: 'exception', code: EXC_NAMES.indexOf(v.exception), name: v.exception })),
    event: variant({ event: nameFrom(`an event kind of the monolithic kernel (${MONO_EVENT_KINDS.join(', ')})`, MONO_EVENT_KINDS) }, (v) =>
      ({ kind: 'event', event: v.event as MonoEventKind })),
  });
}

/** An expectation on the monolithic kernel's events or console. */
export function monoExpectation(): z.ZodType<MonoExpectation, unknown> {
  const pattern = monoEventPattern();
  return forms<MonoExpectation>('an expectation (a mapping with event, order, no-event or console)', {
    event: variant({ event: pattern, count: countRange().optional() }, (v) => ({ kind: 'event', event: v.event, count: v.count ?? { min: 1 } })),
    order: variant({ order: list(pattern, 'a list of event patterns', 'event pattern', 1) }, (v) => ({ kind: 'order', events: v.order })),
    'no-event': variant({ 'no-event': pattern }, (v) => ({ kind: 'no-event', event: v['no-event'] })),
    console: variant({ console: textMatch() }, (v) => ({ kind: 'console', console: v.console })),
  });
}

/** Items of a top-level list with the places they were written. */
function located<T>(ctx: SchemaContext, key: string, item: z.ZodType<T, unknown>, thing: string) {
  return list(item, `a list of ${thing}s`, thing).transform((all): Located<T>[] => all.map((it, i) => ({ ...it, source: ctx.locate([key, i]) })));
}

const EXO_ONLY = (key: string) => `"${key}" is exokernel-only: a scenario with kernel: monolithic names its first process with program and args`;
const EXO_KEYS = ['environments', 'timeline'];

const argument = () => leaf<string | number>('a string or a number', (v) => typeof v === 'string' || Number.isFinite(v)).transform(String);
const ram = () => record('a mapping with ram', { ram: integer('a whole number of MiB from 12 to 480', 12, 480).optional() });

/**
 * Machine `i` of [machines] with `kernel: monolithic`: the monolithic
 * kernel booted with `program` and `args`, beside the exokernel machines.
 */
export function monoMachineEntry(ctx: SchemaContext, i: number): z.ZodType<MachineSpec, unknown> {
  const known = ['name', 'kernel', 'image', 'program', 'args', 'machine', 'mac'];
  const unknown = (key: string) => (key === 'environments'
    ? 'a machine with kernel: monolithic has no environments: it boots its first process from program and args'
    : `unknown key "${key}"${didYouMean(key, known) || ` (expected ${oneOfText(known)})`}`);
  return record('a machine with kernel: monolithic (a mapping with name, kernel and program)', {
    name: matching('a machine name (a lower-case letter, then lower-case letters, digits or dashes)', /^[a-z][a-z0-9-]*$/),
    kernel: leaf<'monolithic'>('monolithic', (v) => v === 'monolithic'),
    image: text('an image name or path (a non-empty string)').optional(),
    program: matching('a program name of the kernel\'s file table (like "bench-pipe")', /^[a-z][a-z0-9-]*$/),
    args: list(argument(), 'a list of arguments', 'argument', 0, 14).optional(),
    machine: ram().optional(),
    mac: matching('an Ethernet address like "08:00:2b:95:12:04"', MAC_TEXT).optional(),
  }, unknown).transform((m): MachineSpec => {
    const image = m.image ?? 'mono';
    return {
      name: m.name, mac: (m.mac ?? defaultMac(i)).toLowerCase(), environments: [],
      settings: { ramMiB: m.machine?.ram ?? 12, cpuHz: SCENARIO_DEFAULTS.cpuHz, seed: SCENARIO_DEFAULTS.seed, tickHz: SCENARIO_DEFAULTS.tickHz, sliceTicks: SCENARIO_DEFAULTS.sliceTicks },
      mono: { image, imagePath: ctx.resolveImage(image), program: m.program, args: m.args ?? [], source: ctx.locate(['machines', i, 'program']) },
    };
  });
}

/** The schema of a scenario file with `kernel: monolithic`. */
export function monoScenarioSchema(file: string, ctx: SchemaContext): z.ZodType<Scenario, unknown> {
  const until = leaf<'halt' | number>('halt or a cycle number', (v) => v === 'halt' || (Number.isSafeInteger(v) && (v as number) >= 0));
  const unknown = (key: string, known: readonly string[]) => (EXO_KEYS.includes(key) ? EXO_ONLY(key) : `unknown key "${key}"${didYouMean(key, known) || ` (expected ${oneOfText(known)})`}`);
  return record('a scenario (a mapping with name, kernel and program)', {
    name: matching('a scenario name (lower-case letters, digits and dashes)', /^[a-z0-9-]+$/),
    description: text('a description (a non-empty string)').optional(),
    kernel: leaf<'monolithic'>('monolithic', (v) => v === 'monolithic'),
    image: text('an image name or path (a non-empty string)').optional(),
    program: matching('a program name of the kernel\'s file table (like "bench-pipe")', /^[a-z][a-z0-9-]*$/),
    args: list(argument(), 'a list of arguments', 'argument', 0, 14).optional(),
    machine: ram().optional(),
    breakpoints: located(ctx, 'breakpoints', breakpoint(), 'breakpoint').optional(),
    run: record('a mapping with until or max-cycles', { until: until.optional(), 'max-cycles': integer('a positive integer', 1, Number.MAX_SAFE_INTEGER).optional() }).optional(),
    record: record('a mapping with cycles-per-second', { 'cycles-per-second': integer('a number of emulated cycles from 1000 to 1000000000', 1000, 1_000_000_000).optional() }).optional(),
    expect: located(ctx, 'expect', monoExpectation(), 'expectation').optional(),
  }, unknown).transform((s, rctx): Scenario => {
    const maxCycles = s.run?.['max-cycles'] ?? SCENARIO_DEFAULTS.maxCycles;
    const u = s.run?.until ?? 'halt';
    if (typeof u === 'number' && u > maxCycles) fail(rctx, `cycle ${u} comes after max-cycles (${maxCycles})`, ['run', 'until']);
    const image = s.image ?? 'mono';
    return {
      file, name: s.name, ...(s.description !== undefined && { description: s.description }),
      machine: { ramMiB: s.machine?.ram ?? 12, cpuHz: SCENARIO_DEFAULTS.cpuHz, seed: SCENARIO_DEFAULTS.seed, tickHz: SCENARIO_DEFAULTS.tickHz, sliceTicks: SCENARIO_DEFAULTS.sliceTicks },
      environments: [], machines: [], timeline: [], breakpoints: [], expect: [],
      run: { until: typeof u === 'number' ? u : 'idle', maxCycles, live: 'until' },
      record: { cyclesPerSecond: s.record?.['cycles-per-second'] ?? SCENARIO_DEFAULTS.cyclesPerSecond },
      mono: {
        image, imagePath: ctx.resolveImage(image), program: s.program, args: s.args ?? [], until: u,
        breakpoints: s.breakpoints ?? [], expect: s.expect ?? [], source: ctx.locate(['program']),
      },
    };
  });
}
