// The replay log as text or JSON lines. The same run gives the same bytes:
// every field comes from the event, in the order the kernel wrote it, shown
// by its type in the event catalogue (EVENTS).
//
// A replay formats every event it runs (tens of thousands of lines for the
// bigger scenarios, a good part of a replay's whole process outside the
// emulated run), so what depends only on the kind (the padded kind column,
// each field's " name=" and how its value is shown) is worked out once per
// kind from the catalogue, and a line is built by plain concatenation.

import { EVENTS } from '../exokernel/index.js';
import { MONO_EVENTS } from '../monolithic/index.js';
import type { LogLine } from './timeline.js';

/** `n` as a whole number with thousands separated by commas, as every message of the session writes counts and cycles. */
export const num = (n: number): string => Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** How a field's value is shown: an address in hex, an environment by name, anything else as text (a string quoted). */
const enum Shown { Plain, Address, Env }

/** One field of a kind as formatText writes it: its " name=" and how its value is shown. */
interface FieldFormat {
  readonly prefix: string;
  readonly shown: Shown;
}

/** What formatText needs of one event kind, worked out once. */
interface KindFormat {
  /** The kind, padded to its column. */
  readonly column: string;
  /** The kind's fields (from the catalogue), by name. */
  readonly fields: ReadonlyMap<string, FieldFormat>;
}

const CYCLE_WIDTH = 12;
const WHO_WIDTH = 10;
const KIND_WIDTH = 18;
/** SPACES[n]: n spaces (padding without padStart/padEnd's intermediate strings). */
const SPACES = Array.from({ length: CYCLE_WIDTH + 1 }, (_, n) => ' '.repeat(n));
/** ZEROS[n]: n zeros (an address's hex digits padded to 8). */
const ZEROS = Array.from({ length: 9 }, (_, n) => '0'.repeat(n));
/** The second column padded, with its trailing space, by its text (environment names repeat on every line). */
const whoColumns = new Map<string, string>();
const WHO_COLUMNS_MAX = 4096;

/** The format of each kind of `table`; `envsAsNumbers`: the kinds whose environments print as numbers. */
function kindFormats(table: Readonly<Record<string, { readonly fields: Readonly<Record<string, string>> }>>, envsAsNumbers: ReadonlySet<string>): Map<string, KindFormat> {
  const out = new Map<string, KindFormat>();
  for (const [kind, spec] of Object.entries(table)) {
    const fields = new Map<string, FieldFormat>();
    for (const [name, type] of Object.entries(spec.fields)) {
      const shown = type === 'address' ? Shown.Address : type === 'env' && !envsAsNumbers.has(kind) ? Shown.Env : Shown.Plain;
      fields.set(name, { prefix: ` ${name}=`, shown });
    }
    out.set(kind, { column: kind.padEnd(KIND_WIDTH), fields });
  }
  return out;
}

// asid-recycled's from/to have always printed as numbers.
const KERNEL_KINDS = kindFormats(EVENTS, new Set(['asid-recycled']));
const MONO_KINDS = kindFormats(MONO_EVENTS, new Set());

/**
 * One log line as readable text: cycle, environment (with several
 * machines, machine/environment), kind, then key=value fields. `names` are
 * the environments of the line's machine.
 */
export function formatText(line: LogLine, names: ReadonlyMap<number, string>): string {
  if (line.kind === 'note') return `${String(line.cycle).padStart(CYCLE_WIDTH)}  ${whoColumn('-')}${'note'.padEnd(KIND_WIDTH)} ${line.text}`;
  const e = line.event as unknown as Record<string, unknown>;
  const mono = line.kind === 'mono';
  // The monolithic kernel's events name a process by pid, in the second column; with several machines, an event names its machine.
  const who = mono ? (typeof e.pid === 'number' ? `pid ${e.pid}` : '-') : typeof e.env === 'number' ? names.get(e.env) ?? `#${e.env}` : '-';
  const env = line.machine !== undefined ? `${line.machine}/${who}` : who;
  const kind = (mono ? MONO_KINDS : KERNEL_KINDS).get(line.event.kind)!;
  const cycle = String(e.cycle);
  const head = (cycle.length < CYCLE_WIDTH ? SPACES[CYCLE_WIDTH - cycle.length] + cycle : cycle) + '  ' + whoColumn(env);
  let fields = '';
  // Fields in the order the kernel wrote them (an event is a plain object: for-in visits its own keys, as Object.entries does).
  for (const k in e) {
    if (k === 'kind' || k === 'cycle' || k === 'env' || (mono && k === 'pid')) continue;
    const f = kind.fields.get(k);
    fields += f === undefined ? ` ${k}=${plainText(e[k])}` : f.prefix + fieldText(e[k], f.shown, names);
  }
  // A line ends with its last field; one without fields ends with its kind (no padding after it).
  return fields === '' ? head + kind.column.trimEnd() : head + kind.column + fields;
}

/** `who` padded to its column, with the space after it. */
function whoColumn(who: string): string {
  let c = whoColumns.get(who);
  if (c === undefined) {
    if (whoColumns.size >= WHO_COLUMNS_MAX) whoColumns.clear();
    whoColumns.set(who, (c = `${who.padEnd(WHO_WIDTH)} `));
  }
  return c;
}

/** One field's value as formatText shows it: an address in hex, an environment by name, a string quoted. */
function fieldText(v: unknown, shown: Shown, names: ReadonlyMap<number, string>): string {
  if (typeof v !== 'number' || shown === Shown.Plain) return plainText(v);
  if (shown === Shown.Address) { const h = (v >>> 0).toString(16); return '0x' + (h.length < 8 ? ZEROS[8 - h.length] + h : h); }
  return names.get(v) ?? (v === 0 ? '-' : `#${v}`);
}

/** A value shown as itself: a string quoted (JSON), anything else as String() writes it. */
function plainText(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** One log line as JSON: the event as the kernel emitted it (with several machines, after its machine's name), or a note. */
export function formatJson(line: LogLine): string {
  if (line.kind === 'note') return JSON.stringify({ kind: 'note', cycle: line.cycle, instret: line.instret, text: line.text });
  return line.machine !== undefined ? JSON.stringify({ machine: line.machine, ...line.event }) : JSON.stringify(line.event);
}
