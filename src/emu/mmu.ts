// The R3000A's address translation (R30xx manual, ch. 6 "Memory
// management"): the fixed segments kseg0/kseg1, then the TLB for kuseg and
// kseg2, behind the CPU's one-entry caches (fTag, lTag, sTag in cpu.ts) and
// the soft TLB (tlb.ts). These functions are methods of `Cpu`, set on its
// prototype (cpu.ts), as the interpreter's are (interp.ts).

import { Access, type Cpu } from './cpu.js';
import { ExcCode, Status, Tlb } from './cp0.js';
import { softIndex } from './tlb.js';

/** Returned by `translate` when the access raised an exception. */
export const FAULT = -1;
/** Returned by `translate` for a cached access while Status.IsC isolates the cache. */
export const ISOLATED = -2;
/** A translation-cache tag that no address matches. */
export const NO_TAG = -1;

/** Raises a TLB exception for `va`: BadVAddr, Context.BadVPN, EntryHi.VPN. */
export function tlbException(this: Cpu, va: number, code: ExcCode, refill: boolean): void {
  this.badVAddr = va | 0;
  this.context = (this.context & Tlb.CTX_PTEBASE) | (((va >>> 12) << 2) & Tlb.CTX_BADVPN);
  this.entryHi = (va & Tlb.VPN) | (this.entryHi & Tlb.ASID);
  this.raise(code, refill);
}

/**
 * Refills the one-entry fetch cache (fTag, fBase) for word-aligned `pc`
 * from the soft TLB, as the interpreter's fetch first tries (`translate`:
 * softLookup); nothing else changes. False when the soft TLB has no entry
 * (or `pc` is misaligned): then only the interpreter's fetch can go on.
 */
export function refillFetch(this: Cpu, pc: number): boolean {
  return (pc & 3) === 0 && this.softLookup(pc, Access.Fetch) >= 0;
}

/**
 * Translates virtual `va` for an access of `kind` (R30xx manual, 6.2).
 * Returns the physical address, ISOLATED for a cached data access while
 * Status.IsC is set, or FAULT after raising the exception.
 */
export function translate(this: Cpu, va: number, kind: Access): number {
  const hit = this.softLookup(va, kind);
  if (hit >= 0) return hit;
  const seg = va >>> 29;
  let pa: number;
  if (seg >= 4) {
    if ((this.status & Status.KUc) !== 0) { this.addressError(va, kind); return FAULT; }
    if (seg < 6) {
      pa = va & 0x1fffffff;
      if (kind !== Access.Fetch && seg === 4 && (this.status & Status.IsC) !== 0) return ISOLATED;
      this.fill(va, pa, kind);
      return pa;
    }
  }
  const i = this.tlb.find(va & Tlb.VPN, this.entryHi);
  const store = kind === Access.Store;
  if (i < 0) { this.tlbException(va, store ? ExcCode.TLBS : ExcCode.TLBL, seg < 4); return FAULT; }
  const lo = this.tlb.lo[i];
  if ((lo & Tlb.V) === 0) { this.tlbException(va, store ? ExcCode.TLBS : ExcCode.TLBL, false); return FAULT; }
  if (store && (lo & Tlb.D) === 0) { this.tlbException(va, ExcCode.Mod, false); return FAULT; }
  pa = ((lo & Tlb.PFN) | (va & 0xfff)) >>> 0;
  if (kind !== Access.Fetch && (this.status & Status.IsC) !== 0 && (lo & Tlb.N) === 0) return ISOLATED;
  this.fill(va, pa, kind);
  return pa;
}

/**
 * Translates `va` as a data access would, without raising anything or
 * touching CP0: for firmware and the debugger. Returns the physical
 * address, or -1 when the access would fault (or hit the isolated cache).
 */
export function peek(this: Cpu, va: number, write: boolean): number {
  const seg = va >>> 29;
  if (seg >= 4 && seg < 6) return (this.status & Status.KUc) !== 0 ? -1 : va & 0x1fffffff;
  if (seg >= 4 && (this.status & Status.KUc) !== 0) return -1;
  const i = this.tlb.find(va & Tlb.VPN, this.entryHi);
  if (i < 0) return -1;
  const lo = this.tlb.lo[i];
  if ((lo & Tlb.V) === 0 || (write && (lo & Tlb.D) === 0)) return -1;
  return ((lo & Tlb.PFN) | (va & 0xfff)) >>> 0;
}

/** The soft TLB's translation of `va` for `kind` (refilling the one-entry cache), or -1. */
export function softLookup(this: Cpu, va: number, kind: Access): number {
  this.updateContexts(); // live: a host may have set Status or EntryHi without a flush
  const soft = this.tlb.soft, tag = va & 0xfffff000;
  if (kind === Access.Fetch) {
    const fx = softIndex(va, this.ctxF);
    if (soft.fTag[fx] !== (tag | this.ctxF)) return -1;
    this.fTag = tag; this.fBase = soft.fBase[fx];
    return this.fBase | (va & 0xfff);
  }
  const ix = softIndex(va, this.ctxD);
  if (kind === Access.Load) {
    if (soft.lTag[ix] !== (tag | this.ctxD)) return -1;
    this.lTag = tag; this.lBase = soft.lBase[ix];
    return this.lBase | (va & 0xfff);
  }
  if (soft.sTag[ix] !== (tag | this.ctxD)) return -1;
  this.sTag = tag; this.sBase = soft.sBase[ix];
  return this.sBase | (va & 0xfff);
}

/**
 * Caches a successful translation of a RAM page in the one-entry cache and
 * the soft TLB. A store marks its page dirty; a page with translated code
 * gets no store translation, so that every store to it reaches the slow
 * path that invalidates the code (bus.ts, `codePages`).
 */
export function fill(this: Cpu, va: number, pa: number, kind: Access): void {
  if (pa >= this.bus.ramSize) return; // devices: always the slow path
  const tag = va & 0xfffff000, base = pa & 0xfffff000, soft = this.tlb.soft;
  if (kind === Access.Fetch) {
    const fx = softIndex(va, this.ctxF);
    this.fTag = tag; this.fBase = base;
    soft.fTag[fx] = tag | this.ctxF; soft.fBase[fx] = base;
    return;
  }
  const ix = softIndex(va, this.ctxD);
  if (kind === Access.Load) {
    this.lTag = tag; this.lBase = base;
    soft.lTag[ix] = tag | this.ctxD; soft.lBase[ix] = base;
  } else {
    const page = pa >>> 12;
    if (this.bus.dirty[page] === 0) this.bus.markDirty(page);
    if (this.bus.codePages[page] !== 0) return;
    this.sTag = tag; this.sBase = base;
    soft.sTag[ix] = tag | this.ctxD; soft.sBase[ix] = base;
  }
}
