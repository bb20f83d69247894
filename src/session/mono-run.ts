// A `kernel: monolithic` scenario run: its MonoSession built from the file
// (image, program, breakpoints), played headless for `exoscope replay`
// with every event logged and the expectations checked at the end, or
// opened under a MonoDebugger for the TUI and the recorder.

import type { HistoryOptions } from './history.js';
import { resolve } from 'node:path';
import { ElfError, parseElf, type ElfImage } from '../emu/index.js';
import { consoleDroppedNote } from '../exokernel/index.js';
import { SavedSessionError, type SavedSession } from './saved.js';
import { IMAGE_MAX_BYTES, readRegularFile } from '../scenario/index.js';
import { MonoDebugger, type MonoDebuggerOptions } from './mono-debugger.js';
import { monoAddresses, monoSymbols, type MonoEvent } from '../monolithic/index.js';
import { MonoSession, type MonoSetup } from './mono-session.js';
import { programSymbols } from './mono-snapshot.js';
import type { ReplayOptions, ReplayResult } from './replay.js';
import { formatLocation, ScenarioError, type Scenario } from '../scenario/index.js';
import type { CountRange, FieldMatch, Located, MonoEventPattern, MonoExpectation, MonoMachine, SourceLocation, TextMatch } from '../scenario/index.js';
import { pcapFile } from '../net/index.js';

function scenarioError(loc: SourceLocation, path: string, message: string): ScenarioError {
  return new ScenarioError([{ file: loc.file, line: loc.line, column: loc.column, path, message }]);
}

/**
 * The kernel image of `m`, read, with `m.program` in its file table.
 * Throws ScenarioError at the program's line (field `field`, the image's
 * path in the file) when it is unreadable, not an ELF, not the monolithic
 * kernel (its symbols), or has no such program.
 */
export function readMonoKernel(m: MonoMachine, field = 'image'): ElfImage {
  const bytes = readRegularFile(m.imagePath, IMAGE_MAX_BYTES);
  if ('problem' in bytes) throw scenarioError(m.source, field, `cannot read image ${m.imagePath}: ${bytes.problem}`);
  let image: ElfImage;
  try {
    image = parseElf(bytes, m.imagePath);
  } catch (err) {
    if (err instanceof ElfError) throw scenarioError(m.source, field, err.message);
    throw err;
  }
  try {
    monoAddresses(image);
    monoSymbols(image);
  } catch (e) {
    throw scenarioError(m.source, field, `image ${m.imagePath} cannot run as the monolithic kernel: ${(e as Error).message}`);
  }
  const programs = [...programSymbols(image).keys()];
  if (!programs.includes(m.program)) throw scenarioError(m.source, field.replace(/image$/, 'program'), `the kernel ${m.image} has no program "${m.program}" (its file table holds ${programs.join(', ')})`);
  return image;
}

/**
 * The MonoSession `sc` (a `kernel: monolithic` scenario) describes, its
 * breakpoints set. Throws ScenarioError for an image that is not the
 * monolithic kernel, a program its file table lacks, or a breakpoint it
 * cannot set.
 */
export function monoSessionFromScenario(sc: Scenario, opts: Pick<MonoSetup, 'checkpointEvery' | 'history' | 'historyLimits' | 'translate'> = {}): MonoSession {
  const m = sc.mono;
  if (!m) throw new Error(`${sc.file} is not a monolithic kernel scenario`);
  const image = readMonoKernel(m);
  let s: MonoSession;
  try {
    s = new MonoSession({ image, args: [m.program, ...m.args], ramSize: sc.machine.ramMiB << 20, ...opts });
  } catch (e) {
    throw scenarioError(m.source, 'image', `image ${m.imagePath} cannot run as the monolithic kernel: ${(e as Error).message}`);
  }
  m.breakpoints.forEach((b, i) => {
    const r = s.resolveBreakpoint(b);
    if (typeof r === 'string') throw scenarioError(b.source, `breakpoints[${i}]`, r);
    s.addBreakpoint(r);
  });
  return s;
}

/** True when event `e` matches `p`. */
export function matchMonoEvent(p: MonoEventPattern, e: MonoEvent): boolean {
  if (p.kind !== e.kind) return false;
  const rec = e as unknown as Record<string, unknown>;
  return Object.entries(p.fields).every(([f, m]: [string, FieldMatch]) => {
    const v = rec[f];
    if (m.op === 'equals' || m.op === 'env') return v === m.value;
    return m.op === 'contains' ? String(v).includes(m.value) : new RegExp(m.value).test(String(v));
  });
}

const describe = (p: MonoEventPattern) => {
  const f = Object.entries(p.fields).map(([k, m]) => `${k} ${m.op === 'equals' ? '=' : m.op} ${JSON.stringify(m.value)}`);
  return f.length ? `${p.kind} (${f.join(', ')})` : p.kind;
};
const inRange = (n: number, r: CountRange) => n >= r.min && (r.max === undefined || n <= r.max);
const rangeText = (r: CountRange) => (r.max === r.min ? `exactly ${r.min}` : r.max === undefined ? `at least ${r.min}` : `${r.min} to ${r.max}`);
const textOk = (t: string, m: TextMatch) => (m.op === 'equals' ? t === m.value : m.op === 'contains' ? t.includes(m.value) : new RegExp(m.value).test(t));
const verb = (m: TextMatch) => (m.op === 'matches' ? 'match' : m.op === 'equals' ? 'equal' : 'contain');

/** What expectation `x` on the monolithic kernel expects, in words. */
export function describeMonoExpectation(x: MonoExpectation): string {
  switch (x.kind) {
    case 'event': return `${rangeText(x.count)} ${describe(x.event)}`;
    case 'no-event': return `no ${describe(x.event)}`;
    case 'order': return `in order: ${x.events.map(describe).join(', then ')}`;
    case 'console': return `console ${x.console.op === 'matches' ? 'matches' : x.console.op === 'equals' ? 'equals' : 'contains'} ${JSON.stringify(x.console.value)}`;
  }
}

/**
 * How far expectation `x` has come after event `e`, from `seen`: for event
 * and no-event the matching events counted, for order how many of its
 * patterns have come in order; a console expectation counts nothing.
 */
export function monoSeen(x: MonoExpectation, seen: number, e: MonoEvent): number {
  if (x.kind === 'event' || x.kind === 'no-event') return matchMonoEvent(x.event, e) ? seen + 1 : seen;
  if (x.kind === 'order') return seen < x.events.length && matchMonoEvent(x.events[seen], e) ? seen + 1 : seen;
  return seen;
}

/** Why expectation `x` fails with `seen` (monoSeen) and `console`, or undefined when it holds. */
export function monoFailure(x: MonoExpectation, seen: number, console: string): string | undefined {
  switch (x.kind) {
    case 'event': return inRange(seen, x.count) ? undefined : `expected ${rangeText(x.count)} ${describe(x.event)} event(s), saw ${seen}`;
    case 'no-event': return seen === 0 ? undefined : `expected no ${describe(x.event)} event, saw ${seen}`;
    case 'order': return seen === x.events.length ? undefined : `events out of order: ${describe(x.events[seen])} never came after ${seen === 0 ? 'the start' : describe(x.events[seen - 1])}`;
    case 'console': return textOk(console, x.console) ? undefined : `the console does not ${verb(x.console)} ${JSON.stringify(x.console.value)}; it ends with ${JSON.stringify(console.slice(-200))}${consoleDroppedNote(console)}`;
  }
}

/**
 * The failures of `expect` on a finished run, one sentence each, given
 * how far each came (`seen[i]`, monoSeen over every event) and the
 * console.
 */
export function monoFailures(expect: readonly Located<MonoExpectation>[], seen: readonly number[], console: string): string[] {
  return expect.flatMap((x, i) => {
    const why = monoFailure(x, seen[i], console);
    return why ? [`expectation at ${formatLocation(x.source)} failed: ${why}`] : [];
  });
}

/** Cycles run between progress reports. */
const SLICE = 5_000_000;

/**
 * Runs a `kernel: monolithic` scenario headless to its halt or limit,
 * logging every event as it comes, and checks its expectations (counted
 * as the events come: a headless run keeps no history).
 */
export function replayMono(sc: Scenario, opts: ReplayOptions = {}): ReplayResult {
  const m = sc.mono!;
  const s = monoSessionFromScenario(sc, { checkpointEvery: 0, history: false, translate: opts.translate });
  const out = opts.onLine ?? (() => {});
  const limit = Math.min(opts.until ?? Infinity, typeof m.until === 'number' ? m.until : sc.run.maxCycles);
  const seen = m.expect.map(() => 0);
  s.onEvent((e) => {
    out({ kind: 'mono', event: e });
    m.expect.forEach((x, i) => { seen[i] = monoSeen(x, seen[i], e); });
  });
  opts.onRunStart?.();
  let end = `cycle ${limit}`;
  // A run after a budget's end carries on (a breakpoint there is hit); after a breakpoint it resumes past it.
  let continuing = false;
  while (s.cycle < limit) {
    const stop = s.run(Math.min(opts.slice ?? SLICE, limit - s.cycle), continuing);
    continuing = stop.reason !== 'breakpoint';
    if (stop.reason === 'breakpoint') out({ kind: 'note', cycle: stop.cycle, instret: stop.instret, text: `breakpoint: ${stop.detail}` });
    if (stop.reason === 'end') { end = 'halt'; break; }
    opts.onProgress?.(s.cycle / limit);
  }
  const failures: string[] = [];
  if (m.until === 'halt' && end !== 'halt' && opts.until === undefined) failures.push(`the kernel did not halt (its first process did not exit) within max-cycles ${sc.run.maxCycles}`);
  const failed = monoFailures(m.expect, seen, s.console);
  failures.push(...failed);
  // No wire is attached to the monolithic kernel in a scenario: an empty capture (wire.ts pcapFile of no frames).
  return { ok: failures.length === 0, failures, expectations: { count: m.expect.length, failed }, cycles: s.cycle, instructions: s.instret, end, pcap: () => pcapFile([], s.machine.cpuHz), captureDropped: 0 };
}

/** What openMonoDebugger returns. */
export interface OpenedMono {
  readonly driver: MonoDebugger;
  readonly session: MonoSession;
  readonly cycles: () => number;
}

/**
 * Boots `sc` (with checkpoints, for time travel) under a MonoDebugger;
 * with `saved` (readSaved), at the saved point with its breakpoints.
 * Throws ScenarioError as monoSessionFromScenario does, SavedSessionError
 * when the saved point cannot be reached.
 */
export function openMonoDebugger(sc: Scenario, opts: Omit<MonoDebuggerOptions, 'args' | 'limit' | 'scenarioFile'>, saved?: SavedSession, historyLimits?: HistoryOptions): OpenedMono {
  const m = sc.mono!;
  const session = monoSessionFromScenario(sc, { historyLimits });
  if (saved) {
    for (const b of saved.breakpoints) if (typeof session.resolveBreakpoint(b) !== 'string') session.addBreakpoint(b);
    const r = session.travelNow({ cycle: saved.cycle }, `loaded at cycle ${saved.cycle}`);
    if (typeof r === 'string') throw new SavedSessionError(`Cannot reopen the saved session at cycle ${saved.cycle}: ${r}`);
  }
  const driver = new MonoDebugger(session, { ...opts, args: [m.program, ...m.args], limit: typeof m.until === 'number' ? m.until : sc.run.maxCycles, scenarioFile: resolve(sc.file) });
  return { driver, session, cycles: () => session.cycle };
}
