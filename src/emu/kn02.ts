// The DECstation 5000/200 (KN02, "3MAX") physical address map as one table
// (docs/reference/decstation.md; NetBSD sys/arch/pmax/pmax/kn02.h; GXemul
// src/machines/machine_pmax.cc). Each on-board device decodes a 512 KiB
// window and mirrors its registers inside it. What is not listed here is
// unclaimed: an access there is a bus error, as an empty TURBOchannel slot
// times out on the real machine.
//
//   physical                 what                         here
//   0x00000000-0x1dffffff    RAM (up to 480 MB)           Bus RAM
//   0x1e000000-0x1ebfffff    TURBOchannel slots 0-2       empty
//   0x1f400000               slot 5: SCSI                 not modeled
//   0x1f800000-0x1fbfffff    slot 6: Ethernet (PMAD-AA)   Lance
//   0x1fc00000-0x1fc7ffff    boot ROM                     BootRom
//   0x1fe00000-0x1fe7ffff    DC7085 serial lines          Dc7085
//   0x1fe80000-0x1fefffff    MC146818 real-time clock     Rtc
//   0x1ff00000-0x1ff7ffff    system CSR                   SysCsr

/** The names of the KN02's on-board devices. */
export type Kn02DeviceName = 'lance' | 'rom' | 'dc7085' | 'rtc' | 'syscsr';

/** One row of the address map: a device and the physical window it decodes. */
export interface MapEntry {
  readonly name: Kn02DeviceName;
  readonly base: number;
  readonly size: number;
}

/** The KN02 address map, ascending. */
export const KN02_MAP: readonly MapEntry[] = [
  { name: 'lance', base: 0x1f800000, size: 0x400000 },
  { name: 'rom', base: 0x1fc00000, size: 0x80000 },
  { name: 'dc7085', base: 0x1fe00000, size: 0x80000 },
  { name: 'rtc', base: 0x1fe80000, size: 0x80000 },
  { name: 'syscsr', base: 0x1ff00000, size: 0x80000 },
];

/**
 * Interrupt wiring (docs/reference/decstation.md, "Interrupts"): the Cause.IP bit
 * each CPU interrupt input drives. I/O devices reach IP2 through the system
 * CSR; the clock has its own line.
 */
export const KN02_IP = {
  /** IP2: the system CSR's OR of enabled I/O interrupts. */
  io: 0x0400,
  /** IP3: the real-time clock. */
  rtc: 0x0800,
  /** IP5: memory error (RAM here never fails). */
  memory: 0x2000,
} as const;

/** Default RAM size in bytes: 32 MiB. */
export const DEFAULT_RAM = 32 << 20;
/** The nominal CPU clock of the 5000/200: 25 MHz. */
export const CPU_HZ = 25_000_000;
