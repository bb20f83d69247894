// `exoscope replay <scenario>`: the scenario headless, its event log on
// stdout (text or JSON lines), failures on stderr and, last, a one-line
// verdict of its expectations on stderr ("living: 9 expectations: 9 hold"):
// stdout stays the event log alone, whose hash is golden. Exit 0 when
// every expectation holds, 1 when one fails, 2 for invalid input.

import { writeFileSync } from 'node:fs';
import { formatJson, formatText, replay, ScenarioError, type LogLine } from '../session/index.js';
import { CAPTURE_LIMIT_BYTES } from '../net/index.js';
import { lines } from './lines.js';
import { openScenario } from './open.js';
import { CliError, statsText } from './run.js';

/** Options of `replayCommand`. */
export interface ReplayCliOptions {
  json?: boolean;
  until?: number;
  quiet?: boolean;
  /** The event log, in chunks of whole lines. */
  stdout: (text: string) => void;
  /** The event log as UTF-8, used instead of stdout when given; a chunk is valid only during the call (its buffer is reused). */
  stdoutBytes?: (bytes: Uint8Array) => void;
  stderr: (text: string) => void;
  /** Write every frame on the wire to this pcap file at the end. */
  pcap?: string;
  /** Draw a progress bar on stderr (it is a terminal). */
  progressTty?: boolean;
  /** Print the run's instructions, cycles, host seconds and MIPS to stderr, after the verdict (the run alone: from the session built to its end). */
  stats?: boolean;
  hostSeconds?: () => number;
  /** Translated blocks (default true) or the interpreter alone (`--engine interpret`): the same log either way. */
  translate?: boolean;
}

/** Runs the replay of scenario `file` (found as openScenario finds it); returns the exit status. */
export function replayCommand(file: string, o: ReplayCliOptions): number {
  let scenario;
  try {
    scenario = openScenario(file);
  } catch (e) {
    if (e instanceof CliError) { o.stderr(`${e.message}\n`); return e.status; }
    throw e;
  }
  const out = lines(o.stdoutBytes ? { bytes: o.stdoutBytes } : { text: o.stdout });
  // Environment names by id, per machine (ids are each machine's own).
  const names = new Map<string | undefined, Map<number, string>>();
  const namesOf = (m: string | undefined) => names.get(m) ?? names.set(m, new Map()).get(m)!;
  const start = o.hostSeconds?.() ?? 0;
  let lastDraw = start;
  const onLine = o.quiet ? undefined : (l: LogLine) => {
    const m = l.kind === 'event' ? l.machine : undefined;
    if (l.kind === 'event' && l.event.kind === 'env-created') namesOf(m).set(l.event.env, l.event.name);
    out.line(o.json ? formatJson(l) : formatText(l, namesOf(m)));
  };
  const onProgress = o.progressTty && o.hostSeconds ? (f: number) => {
    const now = o.hostSeconds!();
    if (now - start < 1 || now - lastDraw < 0.2) return;
    lastDraw = now;
    const n = Math.round(Math.min(1, f) * 30);
    o.stderr(`\r[${'#'.repeat(n)}${' '.repeat(30 - n)}] ${(Math.min(1, f) * 100).toFixed(0)}%`);
  } : undefined;
  let result, runStart = 0;
  try {
    result = replay(scenario, { until: o.until, translate: o.translate, onLine, onProgress, onRunStart: () => { runStart = o.hostSeconds?.() ?? 0; } });
  } catch (e) {
    if (e instanceof ScenarioError) { out.flush(); o.stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  out.flush();
  if (onProgress && lastDraw !== start) o.stderr(`\r${' '.repeat(40)}\r`);
  if (o.pcap !== undefined) {
    try { writeFileSync(o.pcap, result.pcap()); } catch (e) { o.stderr(`Cannot write ${o.pcap}: ${(e as Error).message}\n`); return 2; }
    if (result.captureDropped > 0) o.stderr(`${o.pcap}: the oldest ${result.captureDropped} frames are not in it (the capture keeps the newest ${CAPTURE_LIMIT_BYTES / 2 ** 20} MiB)\n`);
  }
  for (const f of result.failures) o.stderr(`${f}\n`);
  o.stderr(`${verdictLine(scenario.name, result.expectations.count, result.expectations.failed, result.failures.length - result.expectations.failed.length)}\n`);
  if (o.stats) {
    // The run alone (the log written as it went included), as `exoscope run --stats` prints it.
    o.stderr(statsText(result.instructions, result.cycles, (o.hostSeconds?.() ?? 0) - runStart));
  }
  return result.ok ? 0 : 1;
}

/**
 * The one-line verdict of a replay: "living: 9 expectations: 9 hold", or
 * "…: 8 hold, 1 failed: <the first failure>", and the other problems
 * (unknown breakpoints, a run that did not end) counted after it.
 */
export function verdictLine(name: string, count: number, failed: readonly string[], others: number): string {
  const n = `${count} expectation${count === 1 ? '' : 's'}`;
  const hold = count - failed.length;
  const verdict = failed.length ? `${hold} hold, ${failed.length} failed: ${failed[0].replace(/^expectation at /, '')}` : count ? `${hold} hold` : 'none to check';
  return `${name}: ${n}: ${verdict}${others ? `; ${others} other problem${others === 1 ? '' : 's'} (above)` : ''}`;
}
