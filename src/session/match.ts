// Matching kernel events against a scenario's event patterns.

import type { KernelEvent } from '../exokernel/index.js';
import type { EventPattern } from './scenario.js';
import type { Session } from './session.js';

/**
 * True when event `e` matches `p`. An environment named in `p` matches
 * every environment created under that name (each instance of one that
 * repeats), its env-created event included (the session learns the new
 * id only once the kernel has created it).
 */
export function matchEvent(s: Session, p: EventPattern, e: KernelEvent): boolean {
  if (p.kind !== e.kind) return false;
  const rec = e as unknown as Record<string, unknown>;
  for (const [field, m] of Object.entries(p.fields)) {
    const v = rec[field];
    if (m.op === 'env') { if (envName(s, e, v) !== m.value) return false; continue; }
    if (m.op === 'equals') { if (v !== m.value) return false; continue; }
    const text = String(v);
    if (m.op === 'contains' ? !text.includes(m.value) : !new RegExp(m.value).test(text)) return false;
  }
  return true;
}


/** The name of the environment with id `id` as event `e` has it. */
function envName(s: Session, e: KernelEvent, id: unknown): string | undefined {
  if (typeof id !== 'number') return undefined;
  return s.envNames.get(id) ?? (e.kind === 'env-created' && e.env === id ? e.name : undefined);
}
