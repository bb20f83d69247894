// The [expect] section of a scenario file (docs/scenarios.md): what each
// expectation checks (events and their counts or order, an environment's
// state, console or frames, the invariant, an event that must not come),
// and with several machines, on which.

import * as z from 'zod';
import type { Expectation, ExpectationBody } from './types.js';
import { eventPattern, textMatch } from './events.js';
import { monoExpectation } from './mono.js';
import { countRange, fail, forms, forward, isMapping, leaf, list, nameFrom, oneOfText, variant } from './zod.js';

/**
 * One entry of [expect]: what it checks, and with several machines, on
 * which (`machine`). One about a machine with kernel: monolithic checks
 * that kernel's events and console (mono.ts, monoExpectation).
 */
export function expectation(envRef: z.ZodType<string, string>, machineRef: z.ZodType<string, string>, monoMachines: readonly string[]): z.ZodType<Expectation, unknown> {
  const body = expectationBody(envRef);
  const mono = monoExpectation();
  return z.unknown().transform((v, rctx): Expectation => {
    if (!isMapping(v) || !Object.hasOwn(v, 'machine')) return forward(body, v, rctx);
    const { machine, ...rest } = v;
    const m = machineRef.safeParse(machine);
    if (!m.success) fail(rctx, m.error.issues[0]?.message ?? 'expected a machine name', ['machine']);
    if (m.success && monoMachines.includes(m.data)) return { kind: 'mono', check: forward(mono, rest, rctx), machine: m.data };
    const b = forward(body, rest, rctx);
    return m.success ? { ...b, machine: m.data } : b;
  });
}

/** What an expectation checks. */
function expectationBody(envRef: z.ZodType<string, string>): z.ZodType<ExpectationBody, unknown> {
  const pattern = eventPattern(envRef);
  const state = nameFrom('runnable or destroyed', ['runnable', 'destroyed']) as z.ZodType<'runnable' | 'destroyed', 'runnable' | 'destroyed'>;
  return forms<ExpectationBody>('an expectation (a mapping with event, order, env, invariant or no-event)', {
    event: variant({ event: pattern, count: countRange().optional() }, (v) => ({ kind: 'event', event: v.event, count: v.count ?? { min: 1 } })),
    order: variant({ order: list(pattern, 'a list of event patterns', 'event pattern', 1) }, (v) => ({ kind: 'order', events: v.order })),
    env: variant({ env: envRef, state: state.optional(), console: textMatch().optional(), frames: countRange().optional() }, (v, rctx): ExpectationBody => {
      if (v.state === undefined && v.console === undefined && v.frames === undefined) fail(rctx, `expected at least one of ${oneOfText(['state', 'console', 'frames'])}`);
      return { kind: 'env', env: v.env, ...(v.state && { state: v.state }), ...(v.console && { console: v.console }), ...(v.frames && { frames: v.frames }) };
    }),
    invariant: variant({ invariant: leaf<'holds'>('holds', (v) => v === 'holds') }, () => ({ kind: 'invariant' })),
    'no-event': variant({ 'no-event': pattern }, (v) => ({ kind: 'no-event', event: v['no-event'] })),
  });
}
