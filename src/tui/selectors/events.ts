// The event log's view model: every kernel event as one line (its summary
// and tone from the event catalogue), filtered by kind, environment and
// text, windowed from the bottom (0 follows the tail).

import { envLabel, EVENTS, summarizeEvent, type EventTone, type Snapshot } from '../../session/index.js';
import type { LogFilter } from '../commandline.js';
import { clip, fit, num, right, windowOf, wrap } from '../format.js';
import { EVENT_KINDS, type KernelEvent } from '../names.js';

export type { EventTone };

export interface EventLine { readonly text: string; readonly tone: EventTone }

export interface EventsView {
  readonly info: string;
  readonly lines: readonly EventLine[];
  /** Events that pass the filter, among those the snapshot carries. */
  readonly matched: number;
  readonly carried: number;
  readonly total: number;
  readonly offset: number;
  readonly max: number;
  readonly filter: string;
}

type Names = ReadonlyMap<number, string>;
const envName = envLabel;

/**
 * Environment names by id: the snapshot's environments, and those the
 * carried env-created events name (so that an environment has its name on
 * every line, before its env-created and after it is gone).
 */
export function envNames(s: Snapshot): Names {
  const names = new Map<number, string>();
  for (const e of s.events) if (e.kind === 'env-created') names.set(e.env, e.name);
  for (const e of s.envs) names.set(e.id, e.name);
  return names;
}

/** What an event says beyond its kind, in a few words (its kind's summary in the event catalogue). */
export function describeEvent(e: KernelEvent, names: Names): string {
  return summarizeEvent(e, names);
}

/** The environment an event is about, if any. */
const eventEnv = (e: KernelEvent): number | undefined => ('env' in e ? e.env : e.kind === 'context-switch' ? e.to : undefined);

/** An event as a log line: cycle, environment, kind, details. */
export function eventText(e: KernelEvent, names: Names): string {
  const env = eventEnv(e);
  return `${right(num(e.cycle), 13)} ${fit(env === undefined ? '' : envName(names, env), 8)} ${fit(e.kind, 17)} ${describeEvent(e, names)}`;
}

/** Whether `e` passes `f`. */
export function matches(e: KernelEvent, f: LogFilter, names: Names): boolean {
  if (f.kinds.length && !f.kinds.some((k) => e.kind.startsWith(k))) return false;
  if (f.envs.length) {
    const env = eventEnv(e);
    const about = env === undefined ? [] : e.kind === 'context-switch' ? [e.from, e.to] : [env];
    if (!about.some((id) => f.envs.includes(envName(names, id)))) return false;
  }
  if (f.words.length) {
    const text = eventText(e, names).toLowerCase();
    if (!f.words.every((w) => text.includes(w))) return false;
  }
  return true;
}

/**
 * For a filter of kinds alone or one environment alone, how many events of
 * the whole history pass it (the snapshot's per-kind and per-environment
 * counts), as "; N since boot"; empty for other filters.
 */
function wholeHistory(s: Snapshot, f: LogFilter, names: Names): string {
  if (f.words.length || (f.kinds.length && f.envs.length)) return '';
  let n = 0;
  if (f.kinds.length) for (const [k, c] of Object.entries(s.eventKinds)) { if (f.kinds.some((p) => k.startsWith(p))) n += c; }
  else for (const [id, c] of Object.entries(s.eventEnvs)) { if (f.envs.includes(envName(names, Number(id)))) n += c; }
  return `; ${num(n)} since boot`;
}

/**
 * Below this width (the log strip of the compact layout, 47 columns at
 * 80x24) an event whose line does not fit goes on under itself, indented,
 * instead of being cut where its details begin.
 */
export const LOG_WRAP_BELOW = 80;
/** Rows one event takes at most when wrapped. */
const WRAP_ROWS = 3;

/** The rows of one event's line within `width`: cut with … when wide, wrapped under itself when narrow. */
export function logRows(text: string, width: number): string[] {
  if (text.length <= width || width >= LOG_WRAP_BELOW || width < 24) return [clip(text, width)];
  const cut = text.lastIndexOf(' ', width);
  const at = cut > width / 2 ? cut : width;
  const rest = wrap(text.slice(at).trim(), width - 4).map((l) => `    ${l}`);
  const rows = [text.slice(0, at).trimEnd(), ...rest];
  if (rows.length <= WRAP_ROWS) return rows;
  const tail = rows.slice(WRAP_ROWS - 1).map((r) => r.trim()).join(' ');
  return [...rows.slice(0, WRAP_ROWS - 1), `    ${clip(tail, width - 4)}`];
}

/** The log view: events passing `filter`, `height` lines ending `scroll` lines above the newest. */
export function selectEvents(s: Snapshot, filter: LogFilter, scroll: number, width: number, height: number): EventsView {
  const names = envNames(s);
  const kept = s.events.filter((e) => matches(e, filter, names));
  const h = Math.max(0, height);
  const max = Math.max(0, kept.length - h);
  const offset = Math.max(0, Math.min(max, scroll));
  const win = windowOf(kept, kept.length - h - offset, h);
  return {
    info: (filter.text ? `${num(kept.length)} of ${num(s.events.length)} match ${filter.text}${wholeHistory(s, filter, names)}` : `last ${num(s.events.length)} of ${num(s.eventsTotal)} events`) + (offset ? `, ${offset} up` : ''),
    // The newest rows that fit: a wrapped event takes more than one.
    lines: win.items.flatMap((e) => logRows(eventText(e, names), width).map((text) => ({ text, tone: (EVENTS[e.kind] as { tone?: EventTone }).tone ?? 'normal' }))).slice(h ? -h : 0, h ? undefined : 0),
    matched: kept.length, carried: s.events.length, total: s.eventsTotal, offset, max, filter: filter.text,
  };
}

/**
 * Why filter `f` can match nothing it was meant to, or undefined when it is
 * good: a `kind:` that is no prefix of a kernel event kind (the message
 * lists them), an `env:` that names no environment of `envs`.
 */
export function filterError(f: LogFilter, envs: readonly string[]): string | undefined {
  const bad = f.kinds.find((k) => !k || !EVENT_KINDS.some((x) => x.kind.startsWith(k)));
  if (bad !== undefined) return `No event kind starts with "${bad}": the kinds are ${EVENT_KINDS.map((x) => x.kind).join(' ')}`;
  const who = f.envs.find((e) => !envs.includes(e));
  if (who !== undefined) return `No environment ${who || '(empty)'} to filter on: there are ${envs.join(', ') || 'none'}`;
  return undefined;
}
