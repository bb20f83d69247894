// The kernel's invariant (docs/architecture.md, "The exokernel"; docs/protection.md): no
// valid TLB or STLB entry, and no guaranteed mapping, maps a frame its
// environment may not map; a writable one needs a write right. Tests run it
// after every kernel entry.
//
// It is derived here from ground truth, not from the bookkeeping that
// install() writes: each mapping must carry the key that was presented for
// it (guaranteed record, STLB entry, TlbEvidence for the hardware TLB), that
// key must be on the frame's access list now with the rights the entry
// needs, and a hardware TLB entry must be exactly what the kernel recorded
// writing there. The kernel's own pages need no key: an environment may
// map only its own info and repossession pages and the frame table, at
// their fixed addresses, read-only. The holder lists are checked only for
// consistency, never as a grant. Returns the violations as sentences.

import { Tlb } from '../emu/index.js';
import { KERNEL_OWNER, Layout, Rights } from './abi.js';
import { frameOf } from './bindings.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';

/** Every violation of the invariant, as sentences (empty when it holds). */
export function checkInvariant(k: Kernel): string[] {
  const bad: string[] = [];
  checkTlb(k, bad);
  for (const e of k.stlb.entries()) {
    const where = `STLB[${e.slot}] va 0x${((e.vpn << 12) >>> 0).toString(16)}`;
    if (k.asids.holder(e.asid)?.id !== e.env) bad.push(`${where}: ASID ${e.asid} is not environment ${e.env}'s`);
    checkMapping(k, bad, where, k.envs.get(e.env), e.env, e.vpn, e.entryLo, e.keyLo, e.keyHi);
  }
  for (const env of k.envs.values()) {
    for (const g of env.guaranteed.values()) {
      const where = `env ${env.id} guaranteed va 0x${((g.vpn << 12) >>> 0).toString(16)}`;
      if (g.frame !== frameOf(g.entryLo)) bad.push(`${where}: records frame ${g.frame} but maps frame ${frameOf(g.entryLo)}`);
      checkMapping(k, bad, where, env, env.id, g.vpn, g.entryLo, g.keyLo, g.keyHi);
    }
    if (env.state === 'destroyed' && (env.asid >= 0 || env.guaranteed.size > 0)) bad.push(`env ${env.id} is destroyed but keeps an ASID or mappings`);
  }
  bad.push(...checkFrameTable(k));
  return bad;
}

/** Each valid hardware TLB entry: written by a checked binding, of a live environment, allowed. */
function checkTlb(k: Kernel, bad: string[]): void {
  const tlb = k.cpu.tlb, ev = k.tlbEvidence;
  for (let i = 0; i < Tlb.ENTRIES; i++) {
    const hi = tlb.hi[i] >>> 0, lo = tlb.lo[i] >>> 0;
    if (hi >= 0x80000000 || (lo & Tlb.V) === 0) continue;
    const where = `TLB[${i}] va 0x${(hi & 0xfffff000).toString(16)}`;
    if ((lo & Tlb.G) !== 0) bad.push(`${where}: global entry in user space`);
    if ((ev.hi[i] >>> 0) !== hi || (ev.lo[i] >>> 0) !== lo) { bad.push(`${where}: entry was not written by a checked binding`); continue; }
    const env = k.asids.holder((hi >>> 6) & 63);
    if (!env) { bad.push(`${where}: valid entry under an ASID no environment holds`); continue; }
    checkMapping(k, bad, where, env, env.id, hi >>> 12, lo, ev.keyLo[i], ev.keyHi[i]);
  }
}

/**
 * One mapping of `vpn` to the frame `entryLo` names, by environment
 * `envId`, made with key (keyLo, keyHi): allowed by the frame's access
 * list, or one of the environment's kernel pages.
 */
function checkMapping(k: Kernel, bad: string[], where: string, env: Env | undefined, envId: number, vpn: number, entryLo: number, keyLo: number, keyHi: number): void {
  if (!env || env.state === 'destroyed') { bad.push(`${where}: entry of environment ${envId}, which is destroyed`); return; }
  const frame = frameOf(entryLo), writable = (entryLo & Tlb.D) !== 0;
  if (frame >= k.frames.count) { bad.push(`${where}: frame ${frame} does not exist`); return; }
  const f = k.frames.frames[frame];
  if (f.owner === 0) { bad.push(`${where}: maps free frame ${frame}`); return; }
  if (f.owner === KERNEL_OWNER) {
    if (kernelPage(k, env, vpn) !== frame) bad.push(`${where}: maps kernel frame ${frame}, which is not this environment's page there`);
    else if (writable) bad.push(`${where}: writable mapping of kernel frame ${frame}`);
    return;
  }
  // The owner holds the owner's capability (entry 0) whatever key it bound with.
  let rights = f.owner === envId ? f.caps[0]?.rights ?? 0 : 0;
  for (const c of f.caps) if (c.keyLo === keyLo >>> 0 && c.keyHi === keyHi >>> 0) rights |= c.rights;
  if (rights === 0) bad.push(`${where}: environment ${envId} holds no capability for frame ${frame} (its key is not on the access list)`);
  else if (writable && (rights & Rights.Write) === 0) bad.push(`${where}: writable mapping of frame ${frame} with read rights only`);
}

/** The kernel frame env may map read-only at `vpn` (info page, repossession page, frame table), or -1. */
function kernelPage(k: Kernel, env: Env, vpn: number): number {
  if (vpn === Layout.INFO >>> 12) return env.infoFrame;
  if (vpn === Layout.REPO >>> 12) return env.repoFrame;
  const i = vpn - (Layout.FRAMES >>> 12);
  return i >= 0 && i < k.frameTableFrames.length ? k.frameTableFrames[i] : -1;
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
