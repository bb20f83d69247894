// The replay log as text or JSON lines. The same run gives the same bytes:
// every field comes from the event, in the order the kernel wrote it, shown
// by its type in the event catalogue (EVENTS).

import { EVENTS } from '../exokernel/index.js';
import { MONO_EVENTS } from '../monolithic/index.js';
import type { LogLine } from './timeline.js';

/**
 * One log line as readable text: cycle, environment (with several
 * machines, machine/environment), kind, then key=value fields. `names` are
 * the environments of the line's machine.
 */
export function formatText(line: LogLine, names: ReadonlyMap<number, string>): string {
  if (line.kind === 'note') return `${String(line.cycle).padStart(12)}  ${'-'.padEnd(10)} ${'note'.padEnd(18)} ${line.text}`;
  const e = line.event as unknown as Record<string, unknown>;
  const mono = line.kind === 'mono';
  // The monolithic kernel's events name a process by pid, in the second column; with several machines, an event names its machine.
  const who = mono ? (typeof e.pid === 'number' ? `pid ${e.pid}` : '-') : typeof e.env === 'number' ? names.get(e.env) ?? `#${e.env}` : '-';
  const env = line.machine !== undefined ? `${line.machine}/${who}` : who;
  const types: Readonly<Record<string, string>> = mono ? MONO_EVENTS[line.event.kind].fields : EVENTS[line.event.kind].fields;
  let text = `${String(e.cycle).padStart(12)}  ${env.padEnd(10)} ${String(e.kind).padEnd(18)}`;
  // Fields in the order the kernel wrote them (an event is a plain object: for-in visits its own keys, as Object.entries does).
  for (const k in e) {
    if (k === 'kind' || k === 'cycle' || k === 'env' || (mono && k === 'pid')) continue;
    text += ` ${k}=${fieldText(e[k], types[k], e.kind === 'asid-recycled', names)}`;
  }
  return text.trimEnd();
}

/** One field's value as formatText shows it: an address in hex, an environment by name, a string quoted. */
function fieldText(v: unknown, type: string | undefined, envsAsNumbers: boolean, names: ReadonlyMap<number, string>): string {
  if (typeof v === 'number' && type === 'address') return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
  // Environments by name; asid-recycled's from/to have always printed as numbers.
  if (typeof v === 'number' && type === 'env' && !envsAsNumbers) return names.get(v) ?? (v === 0 ? '-' : `#${v}`);
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** One log line as JSON: the event as the kernel emitted it (with several machines, after its machine's name), or a note. */
export function formatJson(line: LogLine): string {
  if (line.kind === 'note') return JSON.stringify({ kind: 'note', cycle: line.cycle, instret: line.instret, text: line.text });
  return line.machine !== undefined ? JSON.stringify({ machine: line.machine, ...line.event }) : JSON.stringify(line.event);
}
