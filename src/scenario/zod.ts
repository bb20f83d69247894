// The schema building blocks of scenario files: leaf checks whose messages
// say what was expected and what was found, mappings that name their unknown
// keys (with a "did you mean"), and "forms": mappings told apart by which key
// they hold (`at: { cycle }` or `at: { event }`). Every check reports and
// lets the rest go on, so one parse finds every problem of a file.

import * as z from 'zod';
import type { CountRange } from './types.js';

// Without zod's JIT: it compiles each object schema into a function (new
// Function) on its first parse, which pays only over many parses. A
// process parses a scenario once, with schemas built for that file, and
// the compiling cost more of loading it than the parse itself (a replay's
// start). Every module that builds a schema imports this one first.
z.config({ jitless: true });

/** An issue parameter asking the locator to point at the key, not its value. */
export const AT_KEY = { at: 'key' } as const;

/** True for a YAML mapping (a plain object after conversion). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as a message shows it: text quoted (and cut short), mappings and lists by name. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

/** "expected X, got Y", or "missing; expected X" when there is nothing. */
export function expected(what: string, got: unknown): string {
  return got === undefined ? `missing; expected ${what}` : `expected ${what}, got ${show(got)}`;
}

/** "a, b or c". */
export function oneOfText(words: readonly string[], last = 'or'): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** ` (did you mean "x"?)` when a candidate is one or two edits away from `word`, else ''. */
export function didYouMean(word: unknown, candidates: readonly string[]): string {
  if (typeof word !== 'string' || word === '') return '';
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const allowed = word.length >= 5 ? 2 : 1;
  return best !== undefined && bestDistance <= allowed ? ` (did you mean "${best}"?)` : '';
}

/** A schema accepting the values `test` accepts; otherwise "expected `what`, got ...". */
export function leaf<T>(what: string, test: (v: unknown) => boolean): z.ZodType<T, T> {
  return z.custom<T>(test, { abort: false, error: (iss) => expected(what, iss.input) });
}

/** A name from `names` (with a "did you mean" for a near miss). */
export function nameFrom(what: string, names: readonly string[]): z.ZodType<string, string> {
  return z.custom<string>((v) => typeof v === 'string' && names.includes(v), {
    abort: false,
    error: (iss) => expected(what, iss.input) + didYouMean(iss.input, names),
  });
}

/** An integer in [min, max]. */
export function integer(what: string, min: number, max: number): z.ZodType<number, number> {
  return leaf<number>(what, (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max);
}

/** A non-negative integer (a cycle or instruction count). */
export const count = (): z.ZodType<number, number> => integer('a non-negative integer', 0, Number.MAX_SAFE_INTEGER);

/** A positive integer. */
export const positive = (): z.ZodType<number, number> => integer('a positive integer', 1, Number.MAX_SAFE_INTEGER);

/** A string with at least one character. */
export const text = (what = 'a non-empty string'): z.ZodType<string, string> =>
  leaf<string>(what, (v) => typeof v === 'string' && v.length > 0);

/** A string matching `re`. */
export const matching = (what: string, re: RegExp): z.ZodType<string, string> =>
  leaf<string>(what, (v) => typeof v === 'string' && re.test(v));

/** "1 environment", "no arguments", "7 arguments". */
function counted(n: number, thing: string): string {
  return n === 0 ? `no ${thing}s` : n === 1 ? `one ${thing}` : `${n} ${thing}s`;
}

/** A list of `item`s, from `min` to `max` long; `what` names the list, `thing` one item. */
export function list<T>(item: z.ZodType<T, unknown>, what: string, thing: string, min = 0, max = Infinity) {
  const range = max === Infinity ? `at least ${counted(min, thing)}` : min === 0 ? `at most ${counted(max, thing)}` : `${min} to ${max} ${thing}s`;
  return z
    .array(item, { error: (iss) => (iss.code === 'invalid_type' ? expected(what, iss.input) : undefined) })
    .superRefine((v, ctx) => {
      if (Array.isArray(v) && (v.length < min || v.length > max)) {
        ctx.addIssue({ code: 'custom', message: `expected ${range}, got ${v.length === 0 ? 'none' : v.length}`, continue: true });
      }
    }, { when: () => true });
}

/** The "unknown key" message for `key` of a mapping whose keys are `known`. */
export function unknownKey(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  return `unknown key "${key}"${hint || ` (expected ${oneOfText(known)})`}`;
}

/** Issues for the keys of `v` that are not in `known`, pointing at the keys. */
function reportUnknownKeys(v: unknown, ctx: z.RefinementCtx, known: readonly string[], message: typeof unknownKey) {
  if (!isMapping(v)) return;
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) ctx.addIssue({ code: 'custom', path: [k], message: message(k, known), params: AT_KEY, continue: true });
  }
}

/** A mapping with the keys of `shape` (absent keys are checked as undefined) and no others. */
export function record<S extends z.ZodRawShape>(what: string, shape: S, unknownMessage = unknownKey) {
  const known = Object.keys(shape);
  return z
    .looseObject(shape, { error: (iss) => (iss.code === 'invalid_type' ? expected(what, iss.input) : undefined) })
    .superRefine((v, ctx) => reportUnknownKeys(v, ctx, known, unknownMessage), { when: () => true });
}

/** Parses `v` with `schema`, handing its issues to `ctx`; z.NEVER on failure. */
export function forward<T>(schema: z.ZodType<T>, v: unknown, ctx: z.RefinementCtx): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  for (const i of r.error.issues) {
    const params = 'params' in i ? i.params : undefined;
    ctx.addIssue({ code: 'custom', message: i.message, path: i.path, params, continue: true });
  }
  return z.NEVER;
}

/** One form of a `forms` mapping: its keys, and what it becomes. */
export interface Variant<T> {
  readonly keys: readonly string[];
  readonly schema: z.ZodType<T>;
}

/** A variant with the keys of `shape`, built into a `T` once they are valid. */
export function variant<S extends z.ZodRawShape, T>(shape: S, build: (v: z.output<z.ZodObject<S>>, ctx: z.RefinementCtx) => T): Variant<T> {
  return { keys: Object.keys(shape), schema: z.object(shape).transform(build) };
}

/**
 * A mapping holding exactly one of the keys of `variants` (the key names the
 * form). Keys of no form are unknown; keys of another form are refused.
 * `fromString`, when given, accepts a plain string too.
 */
export function forms<T>(what: string, variants: Record<string, Variant<T>>, fromString?: (s: string) => T): z.ZodType<T, unknown> {
  const names = Object.keys(variants);
  const all = [...new Set(Object.values(variants).flatMap((v) => v.keys))];
  return z.unknown().transform((v, ctx) => {
    if (fromString && typeof v === 'string') return fromString(v);
    if (!isMapping(v)) return fail(ctx, expected(what, v));
    const strangers = Object.keys(v).filter((k) => !all.includes(k));
    for (const k of strangers) ctx.addIssue({ code: 'custom', path: [k], message: unknownKey(k, all), params: AT_KEY, continue: true });
    const present = names.filter((n) => Object.hasOwn(v, n));
    if (present.length === 0) return strangers.length ? z.NEVER : fail(ctx, `expected one of ${oneOfText(names)}, got none of them`);
    if (present.length > 1) return fail(ctx, `expected exactly one of ${oneOfText(names)}, got ${oneOfText(present, 'and')}`);
    const chosen = variants[present[0]];
    const own = Object.entries(v).filter(([k]) => chosen.keys.includes(k));
    for (const k of Object.keys(v).filter((k) => all.includes(k) && !chosen.keys.includes(k))) {
      ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" does not go with "${present[0]}"`, params: AT_KEY, continue: true });
    }
    return forward(chosen.schema, Object.fromEntries(own), ctx);
  });
}

/** Adds an issue at the value itself (or at `path` below it); returns z.NEVER. */
export function fail(ctx: z.RefinementCtx, message: string, path: PropertyKey[] = []): never {
  ctx.addIssue({ code: 'custom', message, path, continue: true });
  return z.NEVER;
}

/** A count: exactly N, or { min, max } with either bound left out. */
export function countRange(): z.ZodType<CountRange, unknown> {
  const bounds = record('a mapping with min or max', { min: count().optional(), max: count().optional() }).transform((r, rctx): CountRange => {
    if (r.min === undefined && r.max === undefined) return fail(rctx, 'expected min, max or both');
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) return fail(rctx, `min (${r.min}) is greater than max (${r.max})`);
    return r.max === undefined ? { min: r.min ?? 0 } : { min: r.min ?? 0, max: r.max };
  });
  return z.unknown().transform((v, rctx) => (Number.isSafeInteger(v) && (v as number) >= 0
    ? { min: v as number, max: v as number }
    : isMapping(v) ? forward(bounds, v, rctx) : fail(rctx, expected('a count (a non-negative integer) or a mapping with min or max', v))));
}
