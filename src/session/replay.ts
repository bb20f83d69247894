// A scenario driven headless (issue 4): boot the session it describes, fire
// its timeline, log every event, and check its expectations at the end. The
// TUI and the recorder use the same driver with keys and pauses enabled.

import { readFileSync } from 'node:fs';
import { ElfError, EXC_NAMES, parseElf } from '../emu/index.js';
import { checkInvariant, type KernelEvent } from '../exokernel/index.js';
export { matchEvent } from './match.js';
import { formatLocation, ScenarioError, type Action, type BreakpointSpec, type Located, type Scenario, type TimelineStep } from './scenario.js';
import { Expectations } from './expect.js';
import { Session, type Breakpoint } from './session.js';
import { matchEvent } from './match.js';

/** Builds the session a scenario describes; throws ScenarioError for an unreadable image. */
export function sessionFromScenario(sc: Scenario, opts: { checkpointEvery?: number } = {}): Session {
  const envs = sc.environments.map((e) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(e.imagePath));
    } catch (err) {
      throw scenarioError(e.source, `environments: cannot read image ${e.imagePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      return { name: e.name, image: parseElf(bytes, e.imagePath), args: e.args, start: e.start, slices: e.slices };
    } catch (err) {
      if (err instanceof ElfError) throw scenarioError(e.source, `environments: ${err.message}`);
      throw err;
    }
  });
  const m = sc.machine;
  return new Session({ ramSize: m.ramMiB << 20, cpuHz: m.cpuHz, seed: m.seed, tickHz: m.tickHz, sliceTicks: m.sliceTicks, envs, checkpointEvery: opts.checkpointEvery ?? 0 });
}

function scenarioError(loc: { file: string; line: number; column: number }, message: string): ScenarioError {
  return new ScenarioError([{ file: loc.file, line: loc.line, column: loc.column, path: '', message }]);
}

/** Turns a scenario breakpoint into the session's, resolving symbols; undefined when a symbol is unknown. */
export function toBreakpoint(s: Session, b: BreakpointSpec): Breakpoint | undefined {
  if (b.kind !== 'symbol') return b.kind === 'exception' ? { kind: 'exception', code: b.code, env: b.env } : b;
  const addr = s.symbolAddress(b.symbol, b.env);
  return addr === undefined ? undefined : { kind: 'pc', addr, env: b.env };
}

/** One line of the replay log: an event, a timeline step, a breakpoint hit. */
export type LogLine = { readonly kind: 'event'; readonly event: KernelEvent } | { readonly kind: 'note'; readonly cycle: number; readonly instret: number; readonly text: string };

/** The outcome of a replay. */
export interface ReplayResult {
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly cycles: number;
  readonly instructions: number;
  readonly end: string;
}

/** Options of `replay`. */
export interface ReplayOptions {
  /** Stop at this cycle (before `run.until`). */
  until?: number;
  /** Receives every log line in order. */
  onLine?: (line: LogLine) => void;
  /** Called now and then with the fraction done (for a progress bar). */
  onProgress?: (fraction: number) => void;
}

/** Cycles run between checks of cycle triggers, progress and the end. */
const SLICE = 5_000_000;

/** Runs `sc` headless to its end and checks its expectations. */
export function replay(sc: Scenario, opts: ReplayOptions = {}): ReplayResult {
  const s = sessionFromScenario(sc);
  const out = opts.onLine ?? (() => {});
  const expectations = new Expectations(s, sc.expect);
  const failures: string[] = [];
  const steps = sc.timeline.map((st) => ({ st, fired: false, seen: 0 }));
  let due: typeof steps = [];
  const onEvent = (e: KernelEvent) => {
    out({ kind: 'event', event: e });
    expectations.observe(e);
    for (const x of steps) {
      if (x.fired || x.st.at.kind !== 'event' || !matchEvent(s, x.st.at.event, e)) continue;
      if (++x.seen === x.st.at.count) { x.fired = true; due.push(x); s.pause(); }
    }
  };
  // The environments created at boot emitted their events before we listened.
  for (const e of s.kernel.log.recent()) onEvent(e);
  s.kernel.log.subscribe(onEvent);
  if (expectations.wantsInvariant) {
    s.kernel.onKernelExit = () => expectations.invariant(checkInvariant(s.kernel));
  }
  for (const b of sc.breakpoints) addBreakpoint(s, b, b.source, failures);
  const limit = Math.min(opts.until ?? Infinity, typeof sc.run.until === 'number' ? sc.run.until : Infinity, sc.run.maxCycles);
  let end = 'idle';
  for (;;) {
    for (const x of steps) {
      if (x.fired) continue;
      const at = x.st.at;
      if ((at.kind === 'cycle' && s.kernel.now() >= at.cycle) || (at.kind === 'instructions' && s.kernel.cpu.instret >= at.instructions)) { x.fired = true; due.push(x); }
    }
    for (const x of due) fire(s, x.st, out, failures);
    due = [];
    if (s.kernel.now() >= limit) { end = `cycle ${limit}`; break; }
    const next = Math.min(limit, nextTrigger(s, steps.filter((x) => !x.fired).map((x) => x.st)), s.kernel.now() + SLICE);
    const stop = s.run(Math.max(1, next - s.kernel.now()));
    if (stop.reason === 'breakpoint') out({ kind: 'note', cycle: stop.cycle, instret: stop.instret, text: `breakpoint: ${stop.detail}` });
    if (stop.reason === 'idle' && !steps.some((x) => !x.fired && x.st.at.kind !== 'event')) { end = 'idle'; break; }
    opts.onProgress?.(s.kernel.now() / limit);
  }
  if (end !== 'idle' && sc.run.until === 'idle' && opts.until === undefined) {
    failures.push(`the run did not end (no environment left runnable) within max-cycles ${sc.run.maxCycles}`);
  }
  failures.push(...expectations.finish());
  return { ok: failures.length === 0, failures, cycles: s.kernel.now(), instructions: s.kernel.cpu.instret, end };
}

/** The earliest cycle at which a cycle or instruction trigger may fire. */
function nextTrigger(s: Session, steps: readonly TimelineStep[]): number {
  let t = Infinity;
  for (const st of steps) {
    if (st.at.kind === 'cycle') t = Math.min(t, st.at.cycle);
    else if (st.at.kind === 'instructions') t = Math.min(t, s.kernel.now() + Math.max(1, st.at.instructions - s.kernel.cpu.instret));
  }
  return t;
}

function addBreakpoint(s: Session, b: BreakpointSpec, source: { file: string; line: number; column: number }, failures: string[]): void {
  const bp = toBreakpoint(s, b);
  if (bp) s.addBreakpoint(bp);
  else failures.push(`breakpoint at ${formatLocation(source)}: no symbol ${b.kind === 'symbol' ? b.symbol : ''}${b.env ? ` in ${b.env}` : ''}`);
}

/** Carries out one timeline step in a headless replay (keys and pauses are for the TUI). */
function fire(s: Session, st: Located<TimelineStep>, out: (l: LogLine) => void, failures: string[]): void {
  const a: Action = st.action;
  const note = (text: string) => out({ kind: 'note', cycle: s.kernel.now(), instret: s.kernel.cpu.instret, text: `${formatLocation(st.source)}: ${text}` });
  switch (a.kind) {
    case 'kill': note(`kill ${a.env}`); if (!s.kill(a.env)) note(`${a.env} is not alive`); break;
    case 'break': note(`break: ${a.reason}`); break;
    case 'key': note(`key ${JSON.stringify(a.keys)} (TUI only)`); break;
    case 'pause': note(`pause ${a.ms} ms (TUI only)`); break;
    case 'console': note(`console input to ${a.env}: ${JSON.stringify(a.text)}`); if (!s.consoleInput(a.env, a.text)) note(`${a.env} is not alive`); break;
    case 'revoke': note(`revoke ${a.count} ${a.what} from ${a.env} within ${a.window} cycles`); if (!s.revoke(a.env, a.what, a.count, a.window)) note(`${a.env} is not alive or has a revocation pending`); break;
    case 'breakpoint': addBreakpoint(s, a.breakpoint, st.source, failures); note(`breakpoint set: ${describeBreakpoint(a.breakpoint)}`); break;
  }
}

function describeBreakpoint(b: BreakpointSpec): string {
  const env = b.env ? ` in ${b.env}` : '';
  if (b.kind === 'pc') return `pc 0x${b.addr.toString(16).padStart(8, '0')}${env}`;
  if (b.kind === 'symbol') return `${b.symbol}${env}`;
  if (b.kind === 'exception') return `exception ${EXC_NAMES[b.code]}${env}`;
  return `event ${b.event}${env}`;
}
