// The frame table as a checkpoint keeps it (checkpoints.ts): a run of frame
// records packed into one Float64Array, written and read by a plain loop
// (no structured-clone serializer set up per run). A checkpoint saves again
// every run with a changed record, and the first checkpoint every run.
// Every field is a number (owner, capability keys and rights, holder ids
// and rights) or a flag, so a double holds each exactly, -0 included.

import type { FrameTable, KernelState } from '../exokernel/index.js';

type Records = KernelState['frames'];

/**
 * Records [from, to) of `ft` packed: per record its owner, 1 when
 * guaranteed else 0, the number of capabilities and each one's keyLo,
 * keyHi and rights, the number of holders and each one's environment and
 * rights.
 */
export function packFrameRun(ft: FrameTable, from: number, to: number): Float64Array {
  const recs = ft.save(from, to);
  let n = 0;
  for (const r of recs) n += 4 + 3 * r.caps.length + 2 * r.holders.length;
  const out = new Float64Array(n);
  let j = 0;
  for (const r of recs) {
    out[j++] = r.owner;
    out[j++] = r.guaranteed ? 1 : 0;
    out[j++] = r.caps.length;
    for (const c of r.caps) { out[j++] = c.keyLo; out[j++] = c.keyHi; out[j++] = c.rights; }
    out[j++] = r.holders.length;
    for (const [env, rights] of r.holders) { out[j++] = env; out[j++] = rights; }
  }
  return out;
}

/** The records packFrameRun packed, as FrameTable.save returned them. */
export function unpackFrameRun(a: Float64Array): Records {
  const out: Records = [];
  for (let j = 0; j < a.length;) {
    const owner = a[j++], guaranteed = a[j++] === 1;
    const caps: Records[number]['caps'] = [];
    for (let c = a[j++]; c > 0; c--) { caps.push({ keyLo: a[j], keyHi: a[j + 1], rights: a[j + 2] }); j += 3; }
    const holders: [number, number][] = [];
    for (let h = a[j++]; h > 0; h--) { holders.push([a[j], a[j + 1]]); j += 2; }
    out.push({ owner, caps, holders, guaranteed });
  }
  return out;
}
