// The event log's view model: every kernel event as one line (its summary
// and tone from the event catalogue), filtered by kind, environment and
// text, windowed from the bottom (0 follows the tail).

import { envLabel, EVENTS, summarizeEvent, type Debugger, type EventTone, type LogEntry, type LogSource, type Snapshot } from '../../session/index.js';
import type { LogFilter } from '../commandline.js';
import { clip, fit, num, wrap } from '../format.js';
import { EVENT_KINDS, type KernelEvent } from '../names.js';

export type { EventTone };

export interface EventLine { readonly text: string; readonly tone: EventTone }

export interface EventsView {
  readonly info: string;
  readonly lines: readonly EventLine[];
  /** Events that pass the filter: since boot with a history window, else among those the snapshot carries. */
  readonly matched: number;
  readonly carried: number;
  readonly total: number;
  readonly offset: number;
  readonly max: number;
  readonly filter: string;
  /** The history index (0 is the first event since boot) of every event shown, oldest first. */
  readonly indexes: readonly number[];
  /** The line (of `lines`) of the selected event, when it is shown. */
  readonly selected: number | undefined;
}

type Names = ReadonlyMap<number, string>;
const envName = envLabel;

/** envNames of each snapshot, worked out once (the log's window and its pane both ask, every frame, over the thousand events a snapshot carries). */
const namesOf = new WeakMap<Snapshot, Names>();

/**
 * Environment names by id: the snapshot's environments, and those the
 * carried env-created events name (so that an environment has its name on
 * every line, before its env-created and after it is gone).
 */
export function envNames(s: Snapshot): Names {
  let names = namesOf.get(s);
  if (names) return names;
  const made = new Map<number, string>();
  for (const e of s.events) if (e.kind === 'env-created') made.set(e.env, e.name);
  for (const e of s.envs) made.set(e.id, e.name);
  namesOf.set(s, (names = made));
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
  // The cycle right-aligned in 13 columns, never cut (from 10^10 cycles on it takes more).
  return `${num(e.cycle).padStart(13)} ${fit(env === undefined ? '' : envName(names, env), 8)} ${fit(e.kind, 17)} ${describeEvent(e, names)}`;
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
 * boot"; empty for a filter with words (no index holds those), and when
 * the snapshot carries no counts.
 */
function wholeHistory(s: Snapshot, f: LogFilter, names: Names): string {
  if (f.words.length || (!f.kinds.length && !f.envs.length) || !s.eventKinds || !s.eventPairs) return '';
  const kindOk = (k: string) => !f.kinds.length || f.kinds.some((p) => k.startsWith(p));
  let n = 0;
  if (!f.envs.length) for (const [k, c] of Object.entries(s.eventKinds)) { if (kindOk(k)) n += c; }
  else for (const p of s.eventPairs) if (kindOk(p.kind) && p.envs.some((id) => f.envs.includes(envName(names, id)))) n += p.count;
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
/**
 * Panes fewer rows high than this (the log strip of the narrow layouts)
 * draw each event on one row, in columns only as wide as the events shown
 * need: wrapped, the strip at 80x24 showed three events.
 */
export const LOG_SHORT_BELOW = 8;

/** The events of `win` as lines of columns as wide as they need (cycle, environment, kind, details), each led by a blank for the selection mark. */
function compactTexts(win: readonly LogEntry[], names: Names): string[] {
  const cols = win.map(({ event: e }) => {
    const env = eventEnv(e);
    return [num(e.cycle), env === undefined ? '' : envName(names, env), e.kind, describeEvent(e, names)] as const;
  });
  const w = [0, 1, 2].map((i) => cols.reduce((m, c) => Math.max(m, c[i].length), 0));
  return cols.map((c) => ` ${c[0].padStart(w[0])} ${c[1].padEnd(w[1])} ${c[2].padEnd(w[2])} ${c[3]}`);
}

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

/**
 * The log view: events passing `filter`, `height` lines ending `scroll`
 * events above the newest, moved as little as needed to show the event
 * numbered `cursor` in the history (selected) when it passes. With `source`
 * (the debugger's window over the whole history: Debugger.log) every event
 * since boot can be shown; without it, those the snapshot carries.
 */
export function selectEvents(s: Snapshot, filter: LogFilter, scroll: number, width: number, height: number, cursor?: number, source?: LogSource): EventsView {
  const names = envNames(s);
  const src = source ?? snapshotLog(s, filter, names);
  const n = src.matched;
  const h = Math.max(0, height);
  const max = Math.max(0, n - h);
  const rank = cursor === undefined ? -1 : src.rank(cursor);
  const at = rank >= 0 && src.range(rank, rank + 1)[0]?.index === cursor ? rank : -1;
  const seen = at < 0 ? scroll : Math.max(n - h - at, Math.min(n - 1 - at, scroll));
  const offset = Math.max(0, Math.min(max, seen));
  const from = Math.max(0, n - h - offset);
  const win = src.range(from, from + h);
  const pick = at >= from && at < from + win.length ? at - from : undefined;
  // The selected event's line starts with '>' (its cycle is right-aligned, so the first column is free), as the Envs pane
  // marks its selection; the newest rows that fit are shown: a wrapped event takes more than one.
  const tone = (e: KernelEvent): EventTone => (EVENTS[e.kind] as { tone?: EventTone }).tone ?? 'normal';
  // From 10^9 cycles on the cycle fills all 13 columns, and the mark goes before it.
  const marked = (t: string, mark: string) => mark + (t.startsWith(' ') ? t.slice(1) : t);
  const short = h < LOG_SHORT_BELOW && width < LOG_WRAP_BELOW;
  const texts = short ? compactTexts(win, names) : win.map(({ event: e }) => eventText(e, names));
  const rows = win.map(({ event: e }, i) => {
    const t = marked(texts[i], i === pick ? '>' : ' ');
    return (short ? [clip(t, width)] : logRows(t, width)).map((text) => ({ text, tone: tone(e) }));
  });
  const all = rows.flat();
  // The newest rows that fit, or from the selected event's first row when wrapping would push it out above.
  const pickRow = pick === undefined ? -1 : rows.slice(0, pick).reduce((k, r) => k + r.length, 0);
  const start = h ? Math.max(0, Math.min(all.length - h, pickRow < 0 ? Infinity : pickRow)) : all.length;
  const lines = all.slice(start, start + h);
  const firstRow = pickRow - start;
  const selected = pickRow >= 0 && firstRow < lines.length ? firstRow : undefined;
  const whole = source !== undefined;
  // The history keeps the newest events once its spill file is full (history.ts): the log reaches back to the first it holds.
  const gone = whole ? s.eventsForgotten ?? 0 : 0, held = s.eventsTotal - gone;
  const info = filter.text
    ? (gone ? `${num(n)} of the newest ${num(held)} events match ${filter.text} (older ones forgotten)` : `${num(n)} of ${num(whole ? s.eventsTotal : s.events.length)} match ${filter.text}${whole ? ' since boot' : wholeHistory(s, filter, names)}`)
    : gone ? `newest ${num(held)} of ${num(s.eventsTotal)} events since boot (older ones forgotten)` : whole ? `${num(s.eventsTotal)} events since boot` : `last ${num(s.events.length)} of ${num(s.eventsTotal)} events`;
  return {
    indexes: win.map((e) => e.index), selected,
    info: info + (offset ? `, ${offset} up` : ''),
    lines,
    matched: n, carried: whole ? held : s.events.length, total: s.eventsTotal, offset, max, filter: filter.text,
  };
}

/** The events the snapshot carries that pass `filter`, as a LogSource (for a front end whose debugger has no history store). */
function snapshotLog(s: Snapshot, filter: LogFilter, names: Names): LogSource {
  const first = s.eventsTotal - s.events.length;
  const kept: LogEntry[] = [];
  s.events.forEach((e, i) => { if (matches(e, filter, names)) kept.push({ index: first + i, event: e }); });
  return {
    matched: kept.length,
    rank: (i) => { let lo = 0, hi = kept.length; while (lo < hi) { const m = (lo + hi) >>> 1; if (kept[m].index < i) lo = m + 1; else hi = m; } return lo; },
    range: (from, to) => kept.slice(Math.max(0, from), Math.max(0, to)),
  };
}

/**
 * The log's window over the whole history for `filter` from `driver`'s
 * store (Debugger.log), or undefined when it keeps none (the snapshot's
 * events are shown then). The predicate is `matches` with the names the
 * snapshot knows.
 */
export function logSource(driver: { log?: Debugger['log'] }, s: Snapshot, filter: LogFilter): LogSource | undefined {
  if (!driver.log) return undefined;
  const names = envNames(s);
  const empty = !filter.kinds.length && !filter.envs.length && !filter.words.length;
  return driver.log(filter.text, empty ? undefined : (e) => matches(e, filter, names));
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
