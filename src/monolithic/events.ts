// The monolithic kernel's events, once: the kinds a MonoSession records
// when the kernel reaches one of its own functions (trap, syscall, exit,
// swtch), when a console line ends, and when the machine halts. They are
// observations of guest code read from guest memory, not decisions of a
// TypeScript kernel, so they live here, in the session layer, beside the
// exokernel's EVENTS (src/exokernel/event-table.ts) and in its format: a
// summary template (summarizeFields), a tone and typed fields. The
// exokernel layer must not know another kernel (docs/architecture.md,
// Layers), which is why they are not rows of EVENTS.

import { summarizeFields, type EventTone } from '../exokernel/index.js';

/**
 * How a field is written in a pattern and shown: `int`; `address` (hex);
 * `text`; `boolean`; `exception` a name from EXC_NAMES; `call` a system
 * call name from MONO_SYSCALLS.
 */
export type MonoFieldType = 'int' | 'address' | 'text' | 'boolean' | 'exception' | 'call';

/** One kind of the monolithic kernel's events. */
export interface MonoEventSpec {
  readonly what: string;
  readonly tone?: EventTone;
  readonly fields: Readonly<Record<string, MonoFieldType>>;
  readonly summary: string;
}

/** Every event a MonoSession records, by kind. `pid` 0 means no process was current (the kernel's idle loop). */
export const MONO_EVENTS = {
  trap: {
    what: 'an exception other than a system call reached the kernel\'s trap()', tone: 'warn',
    fields: { pid: 'int', exc: 'exception', epc: 'address', badvaddr: 'address', user: 'boolean' },
    summary: '{exc} at {epc}{user?| in the kernel}{badvaddr?, va @}',
  },
  syscall: {
    what: 'a process made a system call (the kernel\'s syscall() was entered)',
    fields: { pid: 'int', call: 'call', a0: 'int', a1: 'int', a2: 'int' },
    summary: '{call}({a0:x}, {a1:x}, {a2:x})',
  },
  exit: {
    what: 'a process called exit()', tone: 'warn',
    fields: { pid: 'int', name: 'text', status: 'int' },
    summary: '{name} status {status}',
  },
  switch: {
    what: 'the scheduler switched to a process', tone: 'dim',
    fields: { pid: 'int', name: 'text' },
    summary: 'to {name}',
  },
  console: {
    what: 'the kernel wrote a line to the console',
    fields: { text: 'text' },
    summary: '{text:json}',
  },
  halt: {
    what: 'the machine halted (through the PROM)', tone: 'error',
    fields: { reason: 'text' },
    summary: '{reason}',
  },
} as const satisfies Readonly<Record<string, MonoEventSpec>>;

export type MonoEventKind = keyof typeof MONO_EVENTS;

/** Every kind, in the table's order. */
export const MONO_EVENT_KINDS = Object.keys(MONO_EVENTS) as MonoEventKind[];

interface MonoFieldValue { int: number; address: number; text: string; boolean: boolean; exception: string; call: string }
type MonoFieldsOf<K extends MonoEventKind> = (typeof MONO_EVENTS)[K]['fields'];

/** The event of kind K: kind, cycle and its fields, typed from the table. */
export type MonoEventOf<K extends MonoEventKind> = { kind: K; cycle: number } & { -readonly [F in keyof MonoFieldsOf<K>]: MonoFieldValue[MonoFieldsOf<K>[F] & MonoFieldType] };

/** Every event the monolithic kernel's session records. */
export type MonoEvent = { [K in MonoEventKind]: MonoEventOf<K> }[MonoEventKind];

/** Whether `kind` is one of the monolithic kernel's event kinds. */
export function isMonoEventKind(kind: string): kind is MonoEventKind {
  return Object.prototype.hasOwnProperty.call(MONO_EVENTS, kind);
}

/** Event `e` in a few words, from its kind's summary (process ids are shown as numbers). */
export function summarizeMonoEvent(e: MonoEvent): string {
  const spec = MONO_EVENTS[e.kind] as MonoEventSpec;
  return summarizeFields(spec.summary, spec.fields, e as unknown as Record<string, unknown>, new Map());
}

/** The tone the log draws an event in. */
export function monoEventTone(kind: MonoEventKind): EventTone {
  return (MONO_EVENTS[kind] as MonoEventSpec).tone ?? 'normal';
}
