// Event patterns of scenario files: `{ kind: dispatch, env: walker, exc: TLBL }`.
// The kinds and fields, and how each field is written, come from the event
// catalogue (EVENTS in src/exokernel/event-table.ts).

import * as z from 'zod';
import { EXC_NAMES } from '../emu/index.js';
import { EVENT_KINDS, EVENTS, SYS_NAMES, type EventFieldType, type KernelEventKind, type RefusalReason } from '../exokernel/index.js';
import type { EventPattern, FieldMatch, TextMatch } from './types.js';
import {
  didYouMean, expected, fail, forms, forward, integer, isMapping, leaf, nameFrom, oneOfText, record, variant,
} from './zod.js';

export type { EventFieldType } from '../exokernel/index.js';

/** The event kinds and their fields, as patterns write them: the catalogue's (EVENTS), by kind. */
export const EVENT_FIELDS: { readonly [K in KernelEventKind]: (typeof EVENTS)[K]['fields'] } =
  Object.fromEntries(EVENT_KINDS.map((k) => [k, EVENTS[k].fields])) as { readonly [K in KernelEventKind]: (typeof EVENTS)[K]['fields'] };

export { EVENT_KINDS };

/** Every RefusalReason (the test holds it to the type). */
export const REFUSAL_REASONS = ['inval', 'cap', 'perm', 'nospc'] as const satisfies readonly RefusalReason[];

/** The fields of `kind` and how each is written. */
export function fieldsOf(kind: KernelEventKind): Readonly<Record<string, EventFieldType>> {
  return EVENT_FIELDS[kind];
}

/** How messages describe an address. */
export const ADDRESS_TEXT = 'an address (an integer or a hex string like "0x00400120")';

/** An address from an integer 0..0xffffffff or a hex string of 1 to 8 digits; undefined for anything else. */
export function parseAddress(v: unknown): number | undefined {
  if (typeof v === 'string') return /^0x[0-9a-f]{1,8}$/i.test(v) ? parseInt(v.slice(2), 16) : undefined;
  return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff ? (v as number) : undefined;
}

/** An address field. */
function address(): z.ZodType<number, unknown> {
  return leaf<number | string>(ADDRESS_TEXT, (v) => parseAddress(v) !== undefined).transform((v) => parseAddress(v)!);
}

/** True for a string that compiles as a regular expression. */
function isRegExp(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
}

const string = leaf<string>('a string', (v) => typeof v === 'string');

/** A text match: a plain string (equals), or one of { equals | contains | matches }. */
export function textMatch(): z.ZodType<TextMatch, unknown> {
  const as = (op: TextMatch['op']) => (value: string): TextMatch => ({ op, value });
  return forms<TextMatch>('a string, or a mapping with equals, contains or matches', {
    equals: variant({ equals: string }, (v) => as('equals')(v.equals)),
    contains: variant({ contains: string }, (v) => as('contains')(v.contains)),
    matches: variant({ matches: leaf<string>('a valid regular expression', isRegExp) }, (v) => as('matches')(v.matches)),
  }, as('equals'));
}

/** How a field of type `type` is checked; `envRef` checks environment names. */
function fieldSchema(type: EventFieldType, envRef: z.ZodType<string, string>): z.ZodType<FieldMatch, unknown> {
  const equals = (value: number | string | boolean) => ({ op: 'equals', value }) as FieldMatch;
  switch (type) {
    case 'env': return envRef.transform((value): FieldMatch => ({ op: 'env', value }));
    case 'address': return address().transform(equals);
    case 'int': return integer('an integer', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).transform(equals);
    case 'text': return textMatch();
    case 'boolean': return leaf<boolean>('true or false', (v) => typeof v === 'boolean').transform(equals);
    case 'exception': return nameFrom(`an exception name (${EXC_NAMES.join(', ')})`, EXC_NAMES).transform(equals);
    case 'refusal': return nameFrom(`a refusal reason (${REFUSAL_REASONS.join(', ')})`, REFUSAL_REASONS).transform(equals);
    case 'syscall': return syscallName().transform(equals);
  }
}

/** A system call name from SYS_NAMES, or "#n" as the kernel names an unknown number. */
function syscallName(): z.ZodType<string, string> {
  return z.custom<string>((v) => typeof v === 'string' && (SYS_NAMES.includes(v) || /^#\d+$/.test(v)), {
    abort: false,
    error: (iss) => expected(`a system call name (${SYS_NAMES.join(', ')})`, iss.input) + didYouMean(iss.input, SYS_NAMES),
  });
}

/** The message for a key that is not a field of `kind`. */
function notAField(kind: KernelEventKind, key: string): string {
  const fields = Object.keys(fieldsOf(kind));
  const has = fields.length ? `they have ${oneOfText(fields, 'and')}` : 'they have no fields';
  return `"${key}" is not a field of ${kind} events (${has})${didYouMean(key, fields)}`;
}

/** The pattern schema of one kind. */
function kindPattern(kind: KernelEventKind, envRef: z.ZodType<string, string>): z.ZodType<EventPattern, unknown> {
  const types = fieldsOf(kind);
  const shape: Record<string, z.ZodType> = { kind: z.unknown() };
  for (const [f, t] of Object.entries(types)) shape[f] = fieldSchema(t, envRef).optional();
  return record(`a ${kind} event pattern`, shape, (key) => notAField(kind, key)).transform((v) => {
    const fields: Record<string, FieldMatch> = {};
    for (const f of Object.keys(types)) if (v[f] !== undefined) fields[f] = v[f] as FieldMatch;
    return { kind, fields };
  });
}

/** An event pattern: `kind` and filters on that kind's fields. `envRef` checks environment names. */
export function eventPattern(envRef: z.ZodType<string, string>): z.ZodType<EventPattern, unknown> {
  // Each kind's schema is built the first time a pattern names that kind:
  // building all of them was most of loading a scenario (a replay's start).
  const byKind = new Map<KernelEventKind, z.ZodType<EventPattern, unknown>>();
  const schemaOf = (kind: KernelEventKind) => byKind.get(kind) ?? byKind.set(kind, kindPattern(kind, envRef)).get(kind)!;
  const kinds = `an event kind (${EVENT_KINDS.join(', ')})`;
  return z.unknown().transform((v, ctx) => {
    if (!isMapping(v)) return fail(ctx, expected('an event pattern (a mapping with kind and field filters)', v));
    if (typeof v.kind === 'string' && (EVENT_KINDS as readonly string[]).includes(v.kind)) return forward(schemaOf(v.kind as KernelEventKind), v, ctx);
    ctx.addIssue({ code: 'custom', path: ['kind'], message: expected(kinds, v.kind) + didYouMean(v.kind, EVENT_KINDS), continue: true });
    return z.NEVER;
  });
}

/** An event kind name, as breakpoints write it. */
export function eventKind(): z.ZodType<KernelEventKind, KernelEventKind> {
  return nameFrom(`an event kind (${EVENT_KINDS.join(', ')})`, EVENT_KINDS) as z.ZodType<KernelEventKind, KernelEventKind>;
}
