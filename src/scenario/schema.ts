// The schema of a whole scenario file (docs/scenarios.md). It is built per
// file: environment references are checked against the names that file
// declares, and every step, breakpoint and expectation learns where it was
// written from the file's locator. Here: the file's top level, its
// [environments] and [machines] and the [paper] row; the settings sections
// are settings.ts, the timeline and breakpoints timeline.ts, the
// expectations expectations.ts.

import * as z from 'zod';
import { argsProblem } from '../exokernel/index.js';
import type { EnvironmentSpec, Located, MachineSpec, PaperSpec, Scenario, SourceLocation } from './types.js';
import { addressed, checkMachines, defaultMac, MAC_TEXT } from './machines.js';
import { monoMachineEntry } from './mono.js';
import { expectation } from './expectations.js';
import { DEFAULT_MACHINE, machine, MIN_EVERY, recording, run, SCENARIO_DEFAULTS } from './settings.js';
import { breakpoint, step } from './timeline.js';
import { count, expected, fail, integer, isMapping, leaf, list, matching, nameFrom, positive, record, text } from './zod.js';

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

const MAX = Number.MAX_SAFE_INTEGER;

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
