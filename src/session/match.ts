// Matching kernel events against a scenario's event patterns.

import type { KernelEvent } from '../exokernel/index.js';
import type { EventPattern } from './scenario.js';
import type { Session } from './session.js';

/** True when event `e` matches `p` (environment names resolved through the session). */
export function matchEvent(s: Session, p: EventPattern, e: KernelEvent): boolean {
  if (p.kind !== e.kind) return false;
  const rec = e as unknown as Record<string, unknown>;
  for (const [field, m] of Object.entries(p.fields)) {
    const v = rec[field];
    if (m.op === 'env') { if (v !== s.envIds.get(m.value)) return false; continue; }
    if (m.op === 'equals') { if (v !== m.value) return false; continue; }
    const text = String(v);
    if (m.op === 'contains' ? !text.includes(m.value) : !new RegExp(m.value).test(text)) return false;
  }
  return true;
}

