// Matching kernel events against a scenario's event patterns.

import type { KernelEvent } from '../exokernel/index.js';
import type { EventPattern } from './scenario.js';
import type { Session } from './session.js';

/**
 * True when event `e` of machine `machine` (undefined: the first) matches
 * `p` (environment names resolved through that machine's environments).
 */
export function matchEvent(s: Session, p: EventPattern, e: KernelEvent, machine?: string): boolean {
  if (p.kind !== e.kind) return false;
  const envIds = s.machine(machine)?.envIds;
  const rec = e as unknown as Record<string, unknown>;
  for (const [field, m] of Object.entries(p.fields)) {
    const v = rec[field];
    if (m.op === 'env') { if (v !== envIds?.get(m.value)) return false; continue; }
    if (m.op === 'equals') { if (v !== m.value) return false; continue; }
    const text = String(v);
    if (m.op === 'contains' ? !text.includes(m.value) : !new RegExp(m.value).test(text)) return false;
  }
  return true;
}

