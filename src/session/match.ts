// Matching kernel events against a scenario's event patterns.

import type { KernelEvent } from '../exokernel/index.js';
import type { EventPattern } from '../scenario/index.js';
import type { Session } from './session.js';

/**
 * True when event `e` of machine `machine` (undefined: the first) matches
 * `p` (environment names resolved through that machine's environments). An
 * environment named in `p` matches every environment created under that
 * name (each instance of one that repeats), its env-created event included
 * (the session learns the new id only once the kernel has created it).
 */
export function matchEvent(s: Session, p: EventPattern, e: KernelEvent, machine?: string): boolean {
  if (p.kind !== e.kind) return false;
  const names = s.machine(machine)?.envNames ?? s.envNames;
  const rec = e as unknown as Record<string, unknown>;
  // Every event of the run is matched against the patterns of its kind: no array of entries, no RegExp built per event.
  for (const field in p.fields) {
    const m = p.fields[field], v = rec[field];
    if (m.op === 'env') { if (envName(names, e, v) !== m.value) return false; continue; }
    if (m.op === 'equals') { if (v !== m.value) return false; continue; }
    const text = String(v);
    if (m.op === 'contains' ? !text.includes(m.value) : !regExp(m.value).test(text)) return false;
  }
  return true;
}

const regExps = new Map<string, RegExp>();

/** The RegExp of `source` (the schema checked that it compiles), built once. No `g` or `y` flag: test() keeps no state. */
function regExp(source: string): RegExp {
  let r = regExps.get(source);
  if (r === undefined) regExps.set(source, (r = new RegExp(source)));
  return r;
}

/** The name of the environment with id `id` as event `e` has it. */
function envName(names: ReadonlyMap<number, string>, e: KernelEvent, id: unknown): string | undefined {
  if (typeof id !== 'number') return undefined;
  return names.get(id) ?? (e.kind === 'env-created' && e.env === id ? e.name : undefined);
}
