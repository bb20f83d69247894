// A scenario driven headless: boot the session it describes, run it under
// its ScenarioRun (timeline, breakpoints, limit) logging every event, and
// check its expectations at the end.

import { resolve } from 'node:path';
import { ElfError, parseElf, type ElfImage } from '../emu/index.js';
import { imageProblem } from '../exokernel/index.js';
import { IMAGE_MAX_BYTES, readRegularFile } from '../scenario/index.js';
import { mac } from '../net/index.js';
import { ScenarioError, type MachineSpec, type Scenario } from '../scenario/index.js';
import { readMonoKernel, replayMono } from './mono-run.js';
import type { MonoStationSetup } from './mono-station.js';
import type { CompanionSetup } from './lockstep.js';
import { ScenarioRun } from './scenario-run.js';
import { Session } from './session.js';
import type { EnvSpec, SessionSetup } from './machines.js';
import type { LogLine } from './timeline.js';

/**
 * Builds the session a scenario describes. Throws ScenarioError, naming the
 * environment's line, for an image that is not a readable regular file, not
 * an ELF, or has a segment outside the user image area.
 */
export function sessionFromScenario(sc: Scenario, opts: Pick<SessionSetup, 'checkpointEvery' | 'history' | 'historyLimits' | 'translate'> = {}): Session {
  if (sc.mono) throw monoOnly(sc, 'this command');
  // The first machine is the scenario's `machine` and `environments` (a caller may have changed them: a test replays at other RAM sizes).
  const head: MachineSpec = { ...sc.machines[0], settings: sc.machine, environments: sc.environments };
  const images = new Map<string, ElfImage>();
  const [first, ...others] = [head, ...sc.machines.slice(1)].map((m, mi) => ({ m, envs: machineEnvs(sc, m, mi, images) }));
  const settings = (m: MachineSpec) => ({
    ramSize: m.settings.ramMiB << 20, cpuHz: m.settings.cpuHz, seed: m.settings.seed, tickHz: m.settings.tickHz, sliceTicks: m.settings.sliceTicks, mac: [...mac(m.mac)],
  });
  const several = others.length > 0;
  const station = ({ m, envs }: { m: MachineSpec; envs: EnvSpec[] }, i: number): CompanionSetup | MonoStationSetup => (m.mono
    ? { kernel: 'monolithic', name: m.name, image: readMonoKernel(m.mono, `machines[${i + 1}].image`), args: [m.mono.program, ...m.mono.args], ramSize: m.settings.ramMiB << 20, cpuHz: m.settings.cpuHz, mac: [...mac(m.mac)], history: opts.history }
    : { name: m.name, envs, ...settings(m), history: opts.history });
  return new Session({
    ...settings(first.m), envs: first.envs, checkpointEvery: opts.checkpointEvery ?? 0, history: opts.history, historyLimits: opts.historyLimits, translate: opts.translate, scenarioFile: resolve(sc.file),
    ...(several && { name: first.m.name, companions: others.map(station) }),
  });
}

/**
 * The environments of machine `m` (number `mi`) with their images read;
 * throws ScenarioError as sessionFromScenario says. An image file is read
 * and parsed once (`images`, by path): environments that share a program
 * share its ElfImage, which nothing changes once parsed (living.yaml runs
 * 32 environments from 8 programs).
 */
function machineEnvs(sc: Scenario, m: MachineSpec, mi: number, images: Map<string, ElfImage>): EnvSpec[] {
  return m.environments.map((e, i) => {
    const field = sc.machines.length > 1 ? `machines[${mi}].environments[${i}].image` : `environments[${i}].image`;
    let image = images.get(e.imagePath);
    if (image === undefined) {
      image = readImage(e.imagePath, e.source, field);
      images.set(e.imagePath, image);
    }
    return { name: e.name, image, args: e.args, start: e.start, slices: e.slices, every: e.every };
  });
}

/** The ELF image at `path`, checked for an environment; throws ScenarioError naming `source` and `field`. */
function readImage(path: string, source: { file: string; line: number; column: number }, field: string): ElfImage {
  const bytes = readRegularFile(path, IMAGE_MAX_BYTES);
  if ('problem' in bytes) throw scenarioError(source, field, `cannot read image ${path}: ${bytes.problem}`);
  let image;
  try {
    image = parseElf(bytes, path);
  } catch (err) {
    if (err instanceof ElfError) throw scenarioError(source, field, err.message);
    throw err;
  }
  const bad = imageProblem(image);
  if (bad) throw scenarioError(source, field, `image ${path} cannot run in an environment: ${bad}`);
  return image;
}

/** The error for a front end that cannot run a `kernel: monolithic` scenario (yet). */
export function monoOnly(sc: Scenario, what: string): ScenarioError {
  const at = sc.mono!.source;
  return scenarioError(at, 'kernel', `${what} does not run kernel: monolithic scenarios yet (exoscope tui, replay and record do)`);
}

function scenarioError(loc: { file: string; line: number; column: number }, path: string, message: string): ScenarioError {
  return new ScenarioError([{ file: loc.file, line: loc.line, column: loc.column, path, message }]);
}

/** The outcome of a replay. */
export interface ReplayResult {
  readonly ok: boolean;
  readonly failures: readonly string[];
  /** How many expectations the scenario has, and the failures among `failures` that are theirs. */
  readonly expectations: { readonly count: number; readonly failed: readonly string[] };
  readonly cycles: number;
  readonly instructions: number;
  readonly end: string;
  /** Every frame on the wire as a pcap file (wire.ts, pcapFile): the newest, up to the capture's limit. */
  pcap(): Uint8Array;
  /** How many of the oldest frames the capture dropped to stay under its limit (net/capture.ts). */
  readonly captureDropped: number;
}

/** Options of `replay`. */
export interface ReplayOptions {
  /** Stop at this cycle (before `run.until`). */
  until?: number;
  /** Receives every log line in order. */
  onLine?: (line: LogLine) => void;
  /** Called now and then with the fraction done (for a progress bar). */
  onProgress?: (fraction: number) => void;
  /** Cycles a run goes between checks of progress and the end (default SLICE; the log does not depend on it). */
  slice?: number;
  /** Called once the session is built, as its run begins (`exoscope replay --stats` times the run from here). */
  onRunStart?: () => void;
  /** Translated blocks (default true) or the interpreter alone, the reference (SessionSetup.translate): the same log either way. */
  translate?: boolean;
}

/** Cycles run between checks of progress and the end. */
const SLICE = 5_000_000;

/** Runs `sc` headless to its end and checks its expectations. */
export function replay(sc: Scenario, opts: ReplayOptions = {}): ReplayResult {
  if (sc.mono) return replayMono(sc, opts);
  // Headless: nobody travels or reads the log back, so no event history is kept.
  const s = sessionFromScenario(sc, { history: false, translate: opts.translate });
  const out = opts.onLine ?? (() => {});
  const run = new ScenarioRun(s, sc, { onLine: out, until: opts.until });
  opts.onRunStart?.();
  let end = 'idle';
  // A run after a budget's end, the timeline or idle time carries on (a
  // breakpoint where it starts is hit); after a breakpoint it resumes past it.
  let continuing = false;
  for (;;) {
    run.fire();
    if (s.kernel.now() >= run.limit) { end = `cycle ${run.limit}`; break; }
    const stop = s.run(Math.max(1, Math.min(run.limit, s.kernel.now() + (opts.slice ?? SLICE)) - s.kernel.now()), continuing);
    continuing = stop.reason !== 'breakpoint';
    if (stop.reason === 'breakpoint') out({ kind: 'note', cycle: stop.cycle, instret: stop.instret, text: `breakpoint: ${stop.detail}` });
    if (stop.reason === 'idle') {
      // Nothing can run: only a step at a cycle can still fire (no instruction
      // is executed to reach an instruction count), so time goes straight to it.
      const at = run.nextCycleTrigger();
      if (at === Infinity) { end = 'idle'; break; }
      s.idleUntil(Math.min(run.limit, at));
    }
    opts.onProgress?.(s.kernel.now() / run.limit);
  }
  const failures = [...run.failures];
  if (end !== 'idle' && sc.run.until === 'idle' && opts.until === undefined) {
    failures.push(`the run did not end (no environment left runnable) within max-cycles ${sc.run.maxCycles}`);
  }
  const failed = run.finish();
  failures.push(...failed);
  run.dispose();
  return { ok: failures.length === 0, failures, expectations: { count: sc.expect.length, failed }, cycles: s.kernel.now(), instructions: s.kernel.cpu.instret, end, pcap: () => s.wire.pcap(), captureDropped: s.wire.captureDropped };
}
