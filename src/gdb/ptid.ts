// Thread ids as the GDB remote protocol spells them (GDB manual, E.2
// "Packets", "thread-id"): a hex number, 0 (any thread) or -1 (all);
// with the multiprocess extensions (agreed in qSupported) `pPID.TID`, where
// either part may be 0 or -1 and `pPID` alone means every thread of PID.
// Here every process has exactly one thread, with the process's number
// (target.ts), so `p2.2`, `p2.-1`, `p2.0` and `p2` all name thread 2.

import { parseHexNumber } from './packet.js';

/** A thread a packet names: one thread, any thread, or all of them. */
export type ThreadRef = number | 'any' | 'all';

/** One hex part: a number, 'any' for 0, 'all' for -1; undefined when malformed. */
function part(text: string): ThreadRef | undefined {
  if (text === '-1') return 'all';
  const n = parseHexNumber(text);
  return n === undefined ? undefined : n === 0 ? 'any' : n;
}

/**
 * Parses a thread id; undefined when malformed. In a multiprocess id, a
 * thread part naming a thread other than the process's own is refused as
 * malformed too: each process here has that one thread.
 */
export function parseThreadId(text: string): ThreadRef | undefined {
  if (text[0] !== 'p') return part(text);
  const m = /^p(-1|[0-9a-fA-F]{1,8})(?:\.(-1|[0-9a-fA-F]{1,8}))?$/.exec(text);
  if (!m) return undefined;
  const pid = part(m[1]);
  const tid = m[2] === undefined ? 'all' : part(m[2]);
  if (pid === undefined || tid === undefined) return undefined;
  if (typeof pid !== 'number') return typeof tid === 'number' ? undefined : pid === 'all' || tid === 'all' ? 'all' : 'any';
  return typeof tid !== 'number' || tid === pid ? pid : undefined;
}

/** The protocol's spelling of thread `tid`: `2`, or `p2.2` with the multiprocess extensions. */
export function formatThreadId(tid: number, multiprocess: boolean): string {
  const h = tid.toString(16);
  return multiprocess ? `p${h}.${h}` : h;
}

/** The process id of a `;pid` suffix (D;pid, vKill;pid): hex; undefined when malformed. */
export function parsePid(text: string): number | undefined {
  const n = parseHexNumber(text);
  return n === undefined || n === 0 ? undefined : n;
}
