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
  for (const [field, m] of Object.entries(p.fields)) {
    const v = rec[field];
    if (m.op === 'env') { if (envName(names, e, v) !== m.value) return false; continue; }
    if (m.op === 'equals') { if (v !== m.value) return false; continue; }
    const text = String(v);
    if (m.op === 'contains' ? !text.includes(m.value) : !new RegExp(m.value).test(text)) return false;
  }
  return true;
}

/** The name of the environment with id `id` as event `e` has it. */
function envName(names: ReadonlyMap<number, string>, e: KernelEvent, id: unknown): string | undefined {
  if (typeof id !== 'number') return undefined;
  return names.get(id) ?? (e.kind === 'env-created' && e.env === id ? e.name : undefined);
}
