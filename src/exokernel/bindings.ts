// Secure bindings for the TLB (Aegis paper, sec. 5.3): where the kernel
// writes, finds and breaks mappings in the hardware TLB, the STLB and the
// environments' guaranteed sets. Every function keeps the three consistent
// with the frame table's holder records. Every binding also keeps the key
// that was presented for it (in the guaranteed record, the STLB entry and,
// for the hardware TLB, the TlbEvidence below), so that the invariant can
// check each mapping against the frame's access list itself (invariant.ts).

import { Tlb, type Cpu } from '../emu/index.js';
import type { Env } from './env.js';
import type { Kernel as KernelCore } from './kernel.js';

/** The frame an EntryLo names. */
export const frameOf = (entryLo: number): number => (entryLo >>> 12) & 0xfffff;

/** An EntryHi that no access can match: a kseg0 page, never translated. */
const deadHi = (i: number): number => (0x80000000 | (i << 12)) | 0;

/** Makes every hardware TLB entry match nothing. */
export function clearTlb(cpu: Cpu): void {
  for (let i = 0; i < Tlb.ENTRIES; i++) cpu.tlb.write(i, deadHi(i), 0);
  cpu.flushTranslations();
}

/**
 * Writes (vpn, asid) -> entryLo into the hardware TLB: over the entry that
 * already maps it (never two matches), else at Random, as tlbwr would.
 * Returns the index written.
 */
export function writeTlb(cpu: Cpu, vpn: number, asid: number, entryLo: number): number {
  const hi = ((vpn << 12) | (asid << Tlb.ASID_SHIFT)) | 0;
  let i = cpu.tlb.find(hi & Tlb.VPN, hi);
  if (i < 0) i = cpu.random;
  cpu.tlb.write(i, hi, entryLo);
  cpu.flushTranslations();
  return i;
}

/**
 * What the kernel wrote into each hardware TLB entry and the key that
 * allowed it. An entry whose EntryHi/EntryLo differ from what is recorded
 * here was not written by a checked binding.
 */
export class TlbEvidence {
  readonly hi = new Int32Array(Tlb.ENTRIES);
  readonly lo = new Int32Array(Tlb.ENTRIES);
  readonly keyLo = new Uint32Array(Tlb.ENTRIES);
  readonly keyHi = new Uint32Array(Tlb.ENTRIES);

  /** Copies, for checkpoints (typed arrays: a checkpoint compares their bytes with the last ones', packed.ts). */
  save(): { hi: Int32Array; lo: Int32Array; keyLo: Uint32Array; keyHi: Uint32Array } {
    return { hi: this.hi.slice(), lo: this.lo.slice(), keyLo: this.keyLo.slice(), keyHi: this.keyHi.slice() };
  }

  /** Restores what `save()` returned. */
  restore(s: ReturnType<TlbEvidence['save']>): void {
    this.hi.set(s.hi); this.lo.set(s.lo); this.keyLo.set(s.keyLo); this.keyHi.set(s.keyHi);
  }
}

/** writeTlb for a binding made with `key`, recorded in the kernel's TlbEvidence. */
export function bindTlb(k: KernelCore, vpn: number, asid: number, entryLo: number, key: BindingKey): void {
  const i = writeTlb(k.cpu, vpn, asid, entryLo);
  const ev = k.tlbEvidence;
  ev.hi[i] = k.cpu.tlb.hi[i];
  ev.lo[i] = k.cpu.tlb.lo[i];
  ev.keyLo[i] = key.lo >>> 0;
  ev.keyHi[i] = key.hi >>> 0;
}

/** The key a binding was made with; { lo: 0, hi: 0 } for the kernel's own read-only pages. */
export interface BindingKey {
  readonly lo: number;
  readonly hi: number;
}

/** The key of the kernel's own pages (info, repossession, frame table): they need none. */
export const KERNEL_PAGE_KEY: BindingKey = { lo: 0, hi: 0 };

/** A valid entry for a user address (kuseg): what dropTlb and its in-place forms may drop. */
const userEntry = (hi: number, lo: number): boolean => (hi & 0x80000000) === 0 && (lo & Tlb.V) !== 0;

/** Invalidates hardware TLB entries `pred` selects (given EntryHi, EntryLo); returns how many. */
export function dropTlb(cpu: Cpu, pred: (hi: number, lo: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < Tlb.ENTRIES; i++) {
    const hi = cpu.tlb.hi[i], lo = cpu.tlb.lo[i];
    if (userEntry(hi, lo) && pred(hi >>> 0, lo >>> 0)) { cpu.tlb.write(i, deadHi(i), 0); n++; }
  }
  if (n) cpu.flushTranslations();
  return n;
}

/** Invalidates hardware TLB entry `i` (as dropTlb does). */
function dropEntry(cpu: Cpu, i: number): void {
  cpu.tlb.write(i, deadHi(i), 0);
}

/**
 * dropTlb for the valid user entries of `vpn` under `asid` (compared in
 * place: unmap runs at every unbinding); returns the frame the first one
 * mapped, or -1. Flushes the CPU's translations when it dropped any.
 */
function dropTlbPage(cpu: Cpu, vpn: number, asid: number): number {
  let frame = -1, n = 0;
  const hi = cpu.tlb.hi, lo = cpu.tlb.lo;
  for (let i = 0; i < Tlb.ENTRIES; i++) {
    const h = hi[i], l = lo[i];
    if (!userEntry(h, l) || (h >>> 12) !== vpn || ((h >>> 6) & 63) !== asid) continue;
    if (frame < 0) frame = frameOf(l);
    dropEntry(cpu, i);
    n++;
  }
  if (n) cpu.flushTranslations();
  return frame;
}

/**
 * dropTlb for the valid user entries that map `frame` under the ASID of an
 * environment `pred` accepts (the frame compared in place: breakFrame runs
 * at every frame freed). Flushes the CPU's translations when it dropped any.
 */
function dropTlbFrame(k: KernelCore, frame: number, pred: (envId: number) => boolean): void {
  let n = 0;
  const cpu = k.cpu, hi = cpu.tlb.hi, lo = cpu.tlb.lo;
  for (let i = 0; i < Tlb.ENTRIES; i++) {
    const h = hi[i], l = lo[i];
    if (!userEntry(h, l) || frameOf(l) !== frame) continue;
    if (!pred(k.asids.holder((h >>> 6) & 63)?.id ?? -1)) continue;
    dropEntry(cpu, i);
    n++;
  }
  if (n) cpu.flushTranslations();
}

/**
 * Installs a checked binding made with `key`: hardware TLB (when the
 * environment has an ASID) and STLB, or the guaranteed set. Records the
 * holder and the key. The caller checked the capability.
 */
export function install(k: KernelCore, env: Env, vpn: number, entryLo: number, rights: number, guaranteed: boolean, key: BindingKey): void {
  const frame = frameOf(entryLo);
  const keyLo = key.lo >>> 0, keyHi = key.hi >>> 0;
  k.frames.hold(frame, env.id, rights);
  if (guaranteed) env.guaranteed.set(vpn, { vpn, entryLo, frame, keyLo, keyHi });
  else if (env.asid > 0) {
    const evicted = k.stlb.insert(env.asid, vpn, entryLo, env.id, keyLo, keyHi);
    if (evicted) k.emit({ kind: 'stlb-evict', cycle: k.now(), env: evicted.env, vaddr: evicted.vpn << 12, by: env.id });
  }
  if (env.asid > 0) bindTlb(k, vpn, env.asid, entryLo, key);
  k.emit({ kind: 'binding-installed', cycle: k.now(), env: env.id, vaddr: (vpn << 12) >>> 0, frame, writable: (entryLo & Tlb.D) !== 0, guaranteed });
}

/** Removes env's mapping of `vpn` everywhere; returns the frame it mapped, or -1. */
export function unmap(k: KernelCore, env: Env, vpn: number, why: string): number {
  let frame = -1;
  const g = env.guaranteed.get(vpn);
  if (g) { frame = g.frame; env.guaranteed.delete(vpn); }
  if (env.asid > 0) {
    const lo = k.stlb.peek(env.asid, vpn);
    if (lo !== undefined) { frame = frameOf(lo); k.stlb.remove(env.asid, vpn); }
    const dropped = dropTlbPage(k.cpu, vpn, env.asid);
    if (frame < 0) frame = dropped;
  }
  if (frame >= 0) k.emit({ kind: 'binding-removed', cycle: k.now(), env: env.id, vaddr: (vpn << 12) >>> 0, frame, why });
  return frame;
}

/**
 * Breaks every binding of `frame` held by an environment `pred` accepts
 * (all of them by default): hardware TLB, STLB, guaranteed sets, holders.
 */
export function breakFrame(k: KernelCore, frame: number, why: string, pred: (envId: number) => boolean = () => true): void {
  dropTlbFrame(k, frame, pred);
  for (const e of k.stlb.removeFrame(frame, pred)) {
    k.emit({ kind: 'binding-removed', cycle: k.now(), env: e.env, vaddr: (e.vpn << 12) >>> 0, frame, why });
  }
  // Only when some guaranteed mapping names the frame (guaranteed.ts); forEach, not for-of: an
  // environment's destruction calls this for each of its frames, and each visits every guaranteed mapping.
  if (k.guaranteedCount.names(frame)) k.envs.forEach((env) => {
    if (env.guaranteed.size === 0 || !pred(env.id)) return; // the destroyed (the kernel keeps listing them) have none
    env.guaranteed.forEach((g) => { // deleting the entry being visited is safe in a Map iteration
      if (g.frame !== frame) return;
      env.guaranteed.delete(g.vpn);
      k.emit({ kind: 'binding-removed', cycle: k.now(), env: env.id, vaddr: (g.vpn << 12) >>> 0, frame, why });
    });
  });
  k.frames.release(frame, pred);
  k.frames.touchHolders(frame);
}

/** Forgets every binding made under `asid` (before the ASID changes hands). */
export function flushAsid(k: KernelCore, asid: number): void {
  dropTlb(k.cpu, (hi) => ((hi >>> 6) & 63) === asid);
  k.stlb.removeAsid(asid);
}

/**
 * Looks up env's mapping of `vpn` as the kernel holds it: guaranteed set,
 * then STLB, then the hardware TLB. Returns the EntryLo or undefined.
 */
export function lookup(k: KernelCore, env: Env, vpn: number): number | undefined {
  const g = env.guaranteed.get(vpn);
  if (g) return g.entryLo;
  if (env.asid <= 0) return undefined;
  const lo = k.stlb.peek(env.asid, vpn);
  if (lo !== undefined) return lo;
  const i = k.cpu.tlb.find(vpn << 12, env.asid << Tlb.ASID_SHIFT);
  return i >= 0 && (k.cpu.tlb.lo[i] & Tlb.V) !== 0 ? k.cpu.tlb.lo[i] >>> 0 : undefined;
}
