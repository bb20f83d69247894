// System control coprocessor (CP0) of the R3000A: register numbers, field
// masks and exception codes, named as the IDT R30xx Family Software
// Reference Manual (ch. 3 "Exception management" and ch. 6 "Memory
// management") spells them. Pure data; the CPU holds the registers.

/** CP0 register numbers (R30xx manual, table 3.1). */
export const enum Cp0Reg {
  Index = 0,
  Random = 1,
  EntryLo = 2,
  Context = 4,
  BadVAddr = 8,
  EntryHi = 10,
  Status = 12,
  Cause = 13,
  EPC = 14,
  PRId = 15,
}

/** Names of the CP0 registers by number, for the debugger. */
export const CP0_NAMES: Readonly<Record<number, string>> = {
  0: 'Index', 1: 'Random', 2: 'EntryLo', 4: 'Context', 8: 'BadVAddr',
  10: 'EntryHi', 12: 'Status', 13: 'Cause', 14: 'EPC', 15: 'PRId',
};

/** Exception codes, Cause bits 6:2 (R30xx manual, table 3.2). */
export const enum ExcCode {
  Int = 0, Mod = 1, TLBL = 2, TLBS = 3, AdEL = 4, AdES = 5, IBE = 6, DBE = 7,
  Sys = 8, Bp = 9, RI = 10, CpU = 11, Ov = 12,
}

/**
 * The exception codes with the names and meanings the R3000 manual gives
 * them (IDT R30xx Family Software Reference Manual, ch. 5, "ExcCode
 * values"), indexed by code. The one table of exception names: the
 * kernel's messages, scenario files, the break-on menu and the command
 * line all read it.
 */
export const EXCEPTIONS: readonly { readonly code: number; readonly name: string; readonly what: string }[] = [
  { code: 0, name: 'Int', what: 'interrupt' },
  { code: 1, name: 'Mod', what: 'TLB modified (store to a clean page)' },
  { code: 2, name: 'TLBL', what: 'TLB miss on a load or fetch' },
  { code: 3, name: 'TLBS', what: 'TLB miss on a store' },
  { code: 4, name: 'AdEL', what: 'address error on a load or fetch' },
  { code: 5, name: 'AdES', what: 'address error on a store' },
  { code: 6, name: 'IBE', what: 'bus error on a fetch' },
  { code: 7, name: 'DBE', what: 'bus error on a load or store' },
  { code: 8, name: 'Sys', what: 'syscall' },
  { code: 9, name: 'Bp', what: 'break instruction' },
  { code: 10, name: 'RI', what: 'reserved instruction' },
  { code: 11, name: 'CpU', what: 'coprocessor unusable' },
  { code: 12, name: 'Ov', what: 'arithmetic overflow' },
];

/** Mnemonics of the exception codes, indexed by code (from EXCEPTIONS). */
export const EXC_NAMES: readonly string[] = EXCEPTIONS.map((e) => e.name);

/** The name of exception code `code`, or its number when it has none. */
export function excName(code: number): string {
  return EXC_NAMES[code] ?? String(code);
}

/** Status register fields (R30xx manual, fig. 3.2). */
export const Status = {
  CU0: 0x10000000,
  CU1: 0x20000000,
  CU: 0xf0000000,
  BEV: 0x00400000,
  TS: 0x00200000,
  PE: 0x00100000,
  CM: 0x00080000,
  PZ: 0x00040000,
  SwC: 0x00020000,
  IsC: 0x00010000,
  IM: 0x0000ff00,
  KUo: 0x20, IEo: 0x10, KUp: 0x08, IEp: 0x04, KUc: 0x02, IEc: 0x01,
  /** The three-deep KU/IE stack, bits 5:0. */
  KUIE: 0x3f,
  /** Bits software can write; the rest read as zero. */
  WRITABLE: 0xf05fff3f,
} as const;

/** Cause register fields (R30xx manual, fig. 3.3). */
export const Cause = {
  BD: 0x80000000,
  CE: 0x30000000,
  CE_SHIFT: 28,
  IP: 0x0000ff00,
  /** The two software interrupt bits, the only ones software can write. */
  SW: 0x00000300,
  EXC: 0x7c,
  EXC_SHIFT: 2,
} as const;

/** EntryHi, EntryLo, Index and Context fields (R30xx manual, ch. 6). */
export const Tlb = {
  VPN: 0xfffff000,
  ASID: 0x00000fc0,
  ASID_SHIFT: 6,
  PFN: 0xfffff000,
  N: 0x800,
  D: 0x400,
  V: 0x200,
  G: 0x100,
  LO_MASK: 0xffffff00,
  HI_MASK: 0xffffffc0,
  INDEX_P: 0x80000000,
  INDEX_SHIFT: 8,
  INDEX_MASK: 0x3f00,
  ENTRIES: 64,
  WIRED: 8,
  CTX_PTEBASE: 0xffe00000,
  CTX_BADVPN: 0x001ffffc,
} as const;

/** Exception vectors (R30xx manual, table 3.4). */
export const Vector = {
  UTLB: 0x80000000,
  GENERAL: 0x80000080,
  BEV_UTLB: 0xbfc00100,
  BEV_GENERAL: 0xbfc00180,
  RESET: 0xbfc00000,
} as const;

/** PRId of an R3000A: implementation 2, revision 0x30. */
export const PRID_R3000A = 0x230;
