// The event log's view model: every kernel event as one line (its summary
// and tone from the event catalogue), filtered by kind, environment and
// text, windowed from the bottom (0 follows the tail).

import { envLabel, EVENTS, summarizeEvent, type EventTone, type Snapshot } from '../../session/index.js';
import type { LogFilter } from '../commandline.js';
import { clip, fit, num, right, windowOf } from '../format.js';
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
  /** The history index (0 is the first event since boot) of every event that passes the filter, oldest first. */
  readonly indexes: readonly number[];
  /** The line (of `lines`) of the selected event, when it is shown. */
  readonly selected: number | undefined;
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
 * How many events of the whole history pass filter `f` when it names kinds,
 * environments or both (the snapshot's counts by kind, and by kind and the
 * environments an event is about: exact, as `matches` counts), as "; N since
 * boot"; empty for a filter with words (no index holds those).
 */
function wholeHistory(s: Snapshot, f: LogFilter, names: Names): string {
  if (f.words.length || (!f.kinds.length && !f.envs.length)) return '';
  const kindOk = (k: string) => !f.kinds.length || f.kinds.some((p) => k.startsWith(p));
  let n = 0;
  if (!f.envs.length) for (const [k, c] of Object.entries(s.eventKinds)) { if (kindOk(k)) n += c; }
  else for (const p of s.eventPairs) if (kindOk(p.kind) && p.envs.some((id) => f.envs.includes(envName(names, id)))) n += p.count;
  return `; ${num(n)} since boot`;
}

/**
 * The log view: events passing `filter`, `height` lines ending `scroll`
 * lines above the newest, moved as little as needed to show the event
 * numbered `cursor` in the history (selected) when it passes.
 */
export function selectEvents(s: Snapshot, filter: LogFilter, scroll: number, width: number, height: number, cursor?: number): EventsView {
  const names = envNames(s);
  const first = s.eventsTotal - s.events.length;
  const indexes: number[] = [];
  const kept = s.events.filter((e, i) => matches(e, filter, names) && indexes.push(first + i) > 0);
  const h = Math.max(0, height);
  const max = Math.max(0, kept.length - h);
  const at = cursor === undefined ? -1 : indexes.indexOf(cursor);
  const seen = at < 0 ? scroll : Math.max(kept.length - h - at, Math.min(kept.length - 1 - at, scroll));
  const offset = Math.max(0, Math.min(max, seen));
  const win = windowOf(kept, kept.length - h - offset, h);
  const selected = at >= win.offset && at < win.offset + win.items.length ? at - win.offset : undefined;
  return {
    indexes, selected,
    info: (filter.text ? `${num(kept.length)} of ${num(s.events.length)} match ${filter.text}${wholeHistory(s, filter, names)}` : `last ${num(s.events.length)} of ${num(s.eventsTotal)} events`) + (offset ? `, ${offset} up` : ''),
    // The selected line starts with '>' (its cycle is right-aligned, so the first column is free), as the Envs pane marks its selection.
    lines: win.items.map((e, i) => ({ text: clip((i === selected ? '>' : ' ') + eventText(e, names).slice(1), width), tone: (EVENTS[e.kind] as { tone?: EventTone }).tone ?? 'normal' })),
    matched: kept.length, carried: s.events.length, total: s.eventsTotal, offset, max, filter: filter.text,
  };
}

/**
 * Why filter `f` can match nothing it was meant to, or undefined when it is
 * good: a `kind:` that is no prefix of a kernel event kind (the message
 * lists them; `kinds`, the exokernel's unless given), an `env:` that names
 * no environment of `envs`.
 */
export function filterError(f: LogFilter, envs: readonly string[], kinds: readonly string[] = EVENT_KINDS.map((x) => x.kind)): string | undefined {
  const bad = f.kinds.find((k) => !k || !kinds.some((x) => x.startsWith(k)));
  if (bad !== undefined) return `No event kind starts with "${bad}": the kinds are ${kinds.join(' ')}`;
  const who = f.envs.find((e) => !envs.includes(e));
  if (who !== undefined) return `No environment ${who || '(empty)'} to filter on: there are ${envs.join(', ') || 'none'}`;
  return undefined;
}
