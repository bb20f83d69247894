// The CP0 instructions other than branches: mfc0/mtc0 register semantics,
// the TLB instructions and rfe (R30xx manual, ch. 3 and 6). Each leaves the
// CPU's translation caches and interrupt state consistent.

import type { Cpu } from './cpu.js';
import { Cause, Cp0Reg, Status, Tlb } from './cp0.js';

/** The funct field of the COP0 instructions with CO set (R30xx manual, ch. 6 and 3.4). */
export const enum Cop0Funct { TLBR = 1, TLBWI = 2, TLBWR = 6, TLBP = 8, RFE = 16 }

/** Returns CP0 register `n` as mfc0 sees it; unimplemented registers read 0. */
export function cp0Read(cpu: Cpu, n: number): number {
  switch (n) {
    case Cp0Reg.Index: return cpu.index;
    case Cp0Reg.Random: return cpu.random << Tlb.INDEX_SHIFT;
    case Cp0Reg.EntryLo: return cpu.entryLo;
    case Cp0Reg.Context: return cpu.context;
    case Cp0Reg.BadVAddr: return cpu.badVAddr;
    case Cp0Reg.EntryHi: return cpu.entryHi;
    case Cp0Reg.Status: return cpu.status;
    case Cp0Reg.Cause: return cpu.causeValue | 0;
    case Cp0Reg.EPC: return cpu.epc;
    case Cp0Reg.PRId: return cpu.prid;
    default: return 0;
  }
}

/**
 * mtc0: writes the writable fields of CP0 register `n`. Random, BadVAddr,
 * EPC and PRId are read-only (R30xx manual, table 3.1); Index.P is set
 * only by tlbp; of Cause only the software interrupt bits IP1:0 are writable.
 */
export function cp0Write(cpu: Cpu, n: number, v: number): void {
  switch (n) {
    case Cp0Reg.Index: cpu.index = (cpu.index & Tlb.INDEX_P) | (v & Tlb.INDEX_MASK); break;
    case Cp0Reg.EntryLo: cpu.entryLo = v & Tlb.LO_MASK; break;
    case Cp0Reg.Context: cpu.context = (v & Tlb.CTX_PTEBASE) | (cpu.context & Tlb.CTX_BADVPN); break;
    case Cp0Reg.EntryHi: cpu.entryHi = v & Tlb.HI_MASK; cpu.flushTranslations(); break;
    case Cp0Reg.Status:
      cpu.status = v & Status.WRITABLE;
      cpu.flushTranslations();
      cpu.updateInterrupts();
      break;
    case Cp0Reg.Cause:
      cpu.cause = (cpu.cause & ~Cause.SW) | (v & Cause.SW);
      cpu.updateInterrupts();
      break;
    default: break;
  }
}

/** tlbr: loads EntryHi and EntryLo from the entry Index names. */
export function tlbr(cpu: Cpu): void {
  const i = (cpu.index & Tlb.INDEX_MASK) >>> Tlb.INDEX_SHIFT;
  cpu.entryHi = cpu.tlb.hi[i];
  cpu.entryLo = cpu.tlb.lo[i];
  cpu.flushTranslations();
}

/** tlbwi: writes EntryHi/EntryLo into the entry Index names. */
export function tlbwi(cpu: Cpu): void {
  cpu.tlb.write((cpu.index & Tlb.INDEX_MASK) >>> Tlb.INDEX_SHIFT, cpu.entryHi, cpu.entryLo);
  cpu.flushTranslations();
}

/** tlbwr: writes EntryHi/EntryLo into the entry Random names (8..63). */
export function tlbwr(cpu: Cpu): void {
  tlbwrAt(cpu, cpu.random);
}

/**
 * tlbwr with Random's value `random` (8..63) given: for a translated block,
 * which knows the instruction's cycle while the CPU's count lags behind.
 */
export function tlbwrAt(cpu: Cpu, random: number): void {
  cpu.tlb.write(random, cpu.entryHi, cpu.entryLo);
  cpu.flushTranslations();
}

/** tlbp: sets Index to the entry matching EntryHi, or sets Index.P when none does. */
export function tlbp(cpu: Cpu): void {
  const i = cpu.tlb.find(cpu.entryHi & Tlb.VPN, cpu.entryHi);
  cpu.index = i < 0 ? (Tlb.INDEX_P | (cpu.index & Tlb.INDEX_MASK)) : i << Tlb.INDEX_SHIFT;
}

/** rfe: pops the KU/IE stack; KUo/IEo keep their values (R30xx manual, 3.4). */
export function rfe(cpu: Cpu): void {
  const s = cpu.status;
  cpu.status = (s & ~0xf) | ((s >>> 2) & 0xf);
  cpu.flushTranslations();
  cpu.updateInterrupts();
}
