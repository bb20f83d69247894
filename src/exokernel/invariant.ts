// The kernel's invariant (docs/architecture.md, "The exokernel"): no valid TLB
// or STLB entry, and no guaranteed mapping, maps a frame that its
// environment holds no capability for (with write rights when D is set), and
// the frame table is consistent with itself, its user-visible mirror and the
// environments. Returns the violations; tests run it after every kernel entry.

import { KERNEL_OWNER, Rights } from './abi.js';
import { frameOf } from './bindings.js';
import type { Kernel } from './kernel.js';

/** Every violation of the invariant, as sentences (empty when it holds). */
export function checkInvariant(k: Kernel): string[] {
  const bad: string[] = [];
  const check = (where: string, envId: number | undefined, entryLo: number) => {
    const frame = frameOf(entryLo);
    if (envId === undefined) { bad.push(`${where}: valid entry under an ASID no environment holds`); return; }
    const env = k.envs.get(envId);
    if (!env || env.state === 'destroyed') { bad.push(`${where}: entry of environment ${envId}, which is destroyed`); return; }
    if (frame >= k.frames.count) { bad.push(`${where}: frame ${frame} does not exist`); return; }
    const f = k.frames.frames[frame];
    const rights = f.holders.get(envId) ?? 0;
    if (f.owner === 0) bad.push(`${where}: maps free frame ${frame}`);
    if (rights === 0) bad.push(`${where}: environment ${envId} holds no capability for frame ${frame}`);
    else if ((entryLo & 0x400) !== 0 && (rights & Rights.Write) === 0) bad.push(`${where}: writable mapping of frame ${frame} with read rights only`);
  };
  const tlb = k.cpu.tlb;
  for (let i = 0; i < 64; i++) {
    const hi = tlb.hi[i] >>> 0, lo = tlb.lo[i] >>> 0;
    if (hi >= 0x80000000 || (lo & 0x200) === 0) continue;
    check(`TLB[${i}] va 0x${(hi & 0xfffff000).toString(16)}`, k.asids.holder((hi >>> 6) & 63)?.id, lo);
  }
  for (const e of k.stlb.entries()) {
    const holder = k.asids.holder(e.asid);
    if (holder?.id !== e.env) bad.push(`STLB[${e.slot}]: ASID ${e.asid} is not environment ${e.env}'s`);
    check(`STLB[${e.slot}] va 0x${(e.vpn << 12 >>> 0).toString(16)}`, e.env, e.entryLo);
  }
  for (const env of k.envs.values()) {
    for (const g of env.guaranteed.values()) check(`env ${env.id} guaranteed va 0x${(g.vpn << 12 >>> 0).toString(16)}`, env.id, g.entryLo);
    if (env.state === 'destroyed' && (env.asid >= 0 || env.guaranteed.size > 0)) bad.push(`env ${env.id} is destroyed but keeps an ASID or mappings`);
  }
  bad.push(...checkFrameTable(k));
  return bad;
}

/** The frame table agrees with its mirror and with the environments. */
function checkFrameTable(k: Kernel): string[] {
  const bad: string[] = [];
  const ram32 = k.machine.bus.ram32;
  const alive = new Set<number>();
  for (const e of k.envs.values()) if (e.state !== 'destroyed') alive.add(e.id);
  const frames = k.frames.frames;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const base = k.frameTableFrames[(i * 4) >>> 12];
    const mirrored = ram32[((base << 12) + ((i * 4) & 0xfff)) >>> 2] >>> 0;
    if (mirrored !== k.frames.entry(i)) bad.push(`frame ${i}: user-visible entry 0x${mirrored.toString(16)} differs from the kernel's`);
    if (f.owner === 0) {
      if (f.caps.length > 0 || f.holders.size > 0) bad.push(`frame ${i}: free but has capabilities or holders`);
      continue;
    }
    if (f.owner !== KERNEL_OWNER && !alive.has(f.owner)) bad.push(`frame ${i}: owned by environment ${f.owner}, which is destroyed`);
    if (f.holders.size > 0) for (const id of f.holders.keys()) if (!alive.has(id)) bad.push(`frame ${i}: held by environment ${id}, which is destroyed`);
  }
  return bad;
}
