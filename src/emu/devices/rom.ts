// The KN02 boot ROM region (physical 0x1fc00000, 512 KiB; NetBSD
// sys/arch/pmax/pmax/kn02.h KN02_SYS_ROM) as exoscope fills it: no DEC
// firmware, only what programs look at, laid out where GXemul puts it
// (src/machines/machine_pmax.cc, src/include/machine.h DEC_PROM_*):
//
//   0xbfc00000 + 8n   old jump table, function n (NetBSD dec_prom.h DEC_PROM_*):
//                     `jr ra; nop`. Functions 32 and 48 sit on the BEV
//                     exception vectors 0xbfc00100 and 0xbfc00180 and hold
//                     `b .; nop`: an unexpected exception with BEV set halts.
//   0xbfc04000 + 4i   REX callback vector (struct callback): slot i holds
//                     the address 0xbfc08000 + 8i
//   0xbfc08000 + 8i   slot i's entry point: `jr ra; nop`
//   0xbfc20000        environment, "name=value\0" strings, then "\0"
//   0xbfc2c000        tcinfo block returned by gettcinfo()
//
// The machine runs each entry point at high level through src/emu/prom.ts;
// the instructions are here so a disassembler shows something true.

import type { AccessSize, Clock, Device, TraceSink } from '../device.js';

/** kseg1 address of the boot ROM, its physical base and its size. */
export const PROM_BASE = 0xbfc00000;
export const PROM_PHYS_BASE = 0x1fc00000;
export const PROM_SIZE = 0x80000;
/** The old jump table: function n at JUMP_TABLE + 8n, n < JUMP_TABLE_ENTRIES (97 is the last named). */
export const JUMP_TABLE = 0xbfc00000;
export const JUMP_TABLE_STRIDE = 8;
export const JUMP_TABLE_ENTRIES = 98;
/** The REX callback vector (what a3 points at on entry) and its 4-byte slots 0x00..0xd4. */
export const REX_CALLBACK_VECTOR = 0xbfc04000;
export const REX_CALLBACK_SLOTS = 54;
/** Code of callback slot i is at REX_ENTRY_BASE + 8i (GXemul's DEC_PROM_EMULATION). */
export const REX_ENTRY_BASE = 0xbfc08000;
/** a2 at program start on a REX PROM: "TCF0" (NetBSD DEC_PROM_MAGIC / DEC_REX_MAGIC). */
export const REX_MAGIC = 0x30464354;
/** Environment strings and the tcinfo block (GXemul DEC_PROM_STRINGS, DEC_PROM_TCINFO). */
export const PROM_ENV_BASE = 0xbfc20000;
export const PROM_TCINFO = 0xbfc2c000;
/** The BEV exception vectors (R30xx manual, ch. 3); jump-table functions 32 and 48. */
export const BEV_UTLB_VECTOR = 0xbfc00100;
export const BEV_GENERAL_VECTOR = 0xbfc00180;
/**
 * tcinfo words: revision, clock period in ns, slot size in MB, I/O timeout,
 * DMA range in MB, maximum DMA burst, parity, reserved. GXemul's values,
 * except the period: the KN02's TURBOchannel runs at 25 MHz, 40 ns.
 */
export const PROM_TCINFO_WORDS: readonly number[] = [0, 40, 4, 10, 1, 100, 0, 0];
/** The environment GXemul gives a 3MAX with a serial console (machine_pmax.cc). */
export const PROM_ENVIRONMENT: readonly (readonly [string, string])[] = [
  ['osconsole', '2'], ['scsiid0', '7'], ['bootmode', 'a'], ['testaction', 'q'],
  ['haltaction', 'h'], ['more', '24'], ['scsiid', '7'], ['baud0', '9600'],
  ['baud1', '9600'], ['baud2', '9600'], ['baud3', '9600'], ['iooption', '0x1'],
];

/** REX callback slot offsets (NetBSD dec_prom.h, struct callback). */
export const Callback = {
  memcpy: 0x00, memset: 0x04, strcat: 0x08, strcmp: 0x0c, strcpy: 0x10, strlen: 0x14,
  strncat: 0x18, strncpy: 0x1c, strncmp: 0x20, getchar: 0x24, gets: 0x28, puts: 0x2c,
  printf: 0x30, sprintf: 0x34, io_poll: 0x38, strtol: 0x3c, signal: 0x40, raise: 0x44,
  time: 0x48, setjmp: 0x4c, longjmp: 0x50, bootinit: 0x54, bootread: 0x58, bootwrite: 0x5c,
  setenv: 0x60, getenv: 0x64, unsetenv: 0x68, slot_address: 0x6c, wbflush: 0x70, msdelay: 0x74,
  leds: 0x78, clear_cache: 0x7c, getsysid: 0x80, getbitmap: 0x84, disableintr: 0x88,
  enableintr: 0x8c, testintr: 0x90, reserved_data: 0x94, console_init: 0x98, halt: 0x9c,
  showfault: 0xa0, gettcinfo: 0xa4, execute_cmd: 0xa8, rex: 0xac,
} as const;

/** Old jump-table function numbers (NetBSD dec_prom.h DEC_PROM_*; 32 and 48 renamed for the vectors). */
export const JumpFn: Readonly<Record<string, number>> = {
  reset: 0, exec: 1, restart: 2, reinit: 3, reboot: 4, autoboot: 5, open: 6, read: 7,
  write: 8, ioctl: 9, close: 10, lseek: 11, getchar: 12, putchar: 13, showchar: 14,
  gets: 15, puts: 16, printf: 17, initproto: 18, protoenable: 19, protodisable: 20,
  getpkt: 21, putpkt: 22, flushcache: 28, clearcache: 29, saveregs: 30, loadregs: 31,
  bev_utlb_vector: 32, getenv2: 33, setenv2: 34, atonum: 35, strcmp: 36, strlen: 37,
  strcpy: 38, strcat: 39, getcmd: 40, getnums: 41, argparse: 42, help: 43, dump: 44,
  setenv: 45, unsetenv: 46, printenv: 47, bev_general_vector: 48, enable: 49,
  disable: 50, zerob: 51, halt: 54, startcvax: 97,
};

/** One PROM entry point. */
export interface PromEntry {
  /** kseg1 address of the entry's code. */
  readonly address: number;
  readonly table: 'jump' | 'callback';
  /** Function number (jump table) or slot offset (callback vector). */
  readonly index: number;
  /** Name for the disassembler and trace events: "printf", or "jt23" / "reserved_b0" when unnamed. */
  readonly name: string;
}

/** MIPS words placed in the ROM (R30xx manual, ch. 2). */
export const Insn = { JR_RA: 0x03e00008, NOP: 0x00000000, B_SELF: 0x1000ffff } as const;

function buildEntries(): PromEntry[] {
  const jumpNames = new Map(Object.entries(JumpFn).map(([n, i]) => [i, n]));
  const slotNames = new Map<number, string>(Object.entries(Callback).map(([n, o]) => [o, n]));
  const list: PromEntry[] = [];
  for (let n = 0; n < JUMP_TABLE_ENTRIES; n++) {
    list.push({ address: JUMP_TABLE + n * JUMP_TABLE_STRIDE, table: 'jump', index: n, name: jumpNames.get(n) ?? `jt${n}` });
  }
  for (let i = 0; i < REX_CALLBACK_SLOTS; i++) {
    const name = slotNames.get(i * 4) ?? `reserved_${(i * 4).toString(16)}`;
    list.push({ address: REX_ENTRY_BASE + i * 8, table: 'callback', index: i * 4, name });
  }
  return list;
}

/** Every PROM entry point: the jump table's functions, then the callback slots' code. */
export const PROM_ENTRIES: readonly PromEntry[] = buildEntries();
const ENTRY_BY_OFFSET = new Map(PROM_ENTRIES.map((e) => [e.address - PROM_BASE, e]));

/**
 * Returns the entry point at `address` (a kseg0, kseg1 or physical address),
 * or undefined when the address is not one.
 */
export function promEntryAt(address: number): PromEntry | undefined {
  const pa = (address >>> 0) & 0x1fffffff;
  if (pa < PROM_PHYS_BASE || pa >= PROM_PHYS_BASE + PROM_SIZE) return undefined;
  return ENTRY_BY_OFFSET.get(pa - PROM_PHYS_BASE);
}

/**
 * Returns each environment variable with the ROM address of its value, as
 * the strings are laid out from PROM_ENV_BASE. Names and values are Latin-1.
 */
export function promEnvironmentLayout(env: readonly (readonly [string, string])[]): { name: string; value: string; address: number }[] {
  let at = PROM_ENV_BASE;
  return env.map(([name, value]) => {
    const entry = { name, value, address: at + name.length + 1 };
    at += name.length + value.length + 2;
    return entry;
  });
}

/**
 * Returns the ROM contents described above (PROM_SIZE bytes, little-endian).
 * Throws RangeError when the environment does not fit below PROM_TCINFO.
 */
export function buildRomImage(env: readonly (readonly [string, string])[] = PROM_ENVIRONMENT): Uint8Array {
  const image = new Uint8Array(PROM_SIZE);
  const view = new DataView(image.buffer);
  const put = (va: number, w: number) => view.setUint32(va - PROM_BASE, w >>> 0, true);
  for (const e of PROM_ENTRIES) {
    const vector = e.address === BEV_UTLB_VECTOR || e.address === BEV_GENERAL_VECTOR;
    put(e.address, vector ? Insn.B_SELF : Insn.JR_RA);
    put(e.address + 4, Insn.NOP);
    if (e.table === 'callback') put(REX_CALLBACK_VECTOR + e.index, e.address);
  }
  let at = PROM_ENV_BASE - PROM_BASE;
  for (const [name, value] of env) {
    for (const ch of `${name}=${value}`) image[at++] = ch.charCodeAt(0) & 0xff;
    image[at++] = 0;
  }
  if (at >= PROM_TCINFO - PROM_BASE) throw new RangeError(`PROM environment of ${at - (PROM_ENV_BASE - PROM_BASE)} bytes overruns the tcinfo block`);
  PROM_TCINFO_WORDS.forEach((w, i) => put(PROM_TCINFO + 4 * i, w));
  return image;
}

/** Construction options of the ROM. */
export interface BootRomOptions {
  clock: Clock;
  trace: TraceSink;
  /** Environment strings to place in the ROM (default PROM_ENVIRONMENT). */
  environment?: readonly (readonly [string, string])[];
}

/** The boot ROM: read-only; a write is ignored and traced. */
export class BootRom implements Device {
  readonly name = 'rom';
  private readonly clock: Clock;
  private readonly trace: TraceSink;
  private readonly image: Uint8Array;
  private readonly view: DataView;

  /** Builds the ROM image; throws RangeError as buildRomImage does. */
  constructor(opts: BootRomOptions) {
    this.clock = opts.clock;
    this.trace = opts.trace;
    this.image = buildRomImage(opts.environment);
    this.view = new DataView(this.image.buffer);
  }

  /** Reads `size` bytes at `offset` (little-endian); offsets repeat every PROM_SIZE. */
  read(offset: number, size: AccessSize): number {
    const off = offset % PROM_SIZE;
    if (off + size > PROM_SIZE) return 0;
    if (size === 4) return this.view.getUint32(off, true);
    if (size === 2) return this.view.getUint16(off, true);
    return this.image[off];
  }

  /** ROM: ignores the write and emits a 'rom-write' event. */
  write(offset: number, size: AccessSize, value: number): void {
    this.trace({ kind: 'rom-write', cycle: this.clock.now(), offset, size, value: value >>> 0 });
  }

  /** The ROM never needs time. */
  nextEvent(): number {
    return Infinity;
  }

  /** Nothing to do. */
  tick(_now: number): void {}

  /** The contents are fixed by the constructor options, so there is no state to save. */
  save(): Record<string, never> {
    return {};
  }

  /** Nothing to restore. */
  restore(_state: unknown): void {}
}
