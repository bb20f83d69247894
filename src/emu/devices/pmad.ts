// The PMAD-AA TURBOchannel Ethernet module around the LANCE: its address
// window and its two ROMs. Offsets from docs/reference/decstation.md and NetBSD
// sys/dev/tc/if_le_tc.c (LE_OFFSET_RAM, LE_OFFSET_LANCE, LE_OFFSET_ROM);
// the option ROM header from NetBSD sys/dev/tc/tcreg.h (struct tc_rommap at
// TC_SLOT_PROTOROM 0x3c03e0, one byte per 32-bit word).
//
//   +0x000000  buffer SRAM, 128 KiB (the rest up to 0x100000 is not decoded)
//   +0x100000  RDP, the LANCE's register data port (16 bits in byte lanes 1:0)
//   +0x100004  RAP, the register address port; the pair repeats to 0x17ffff
//   +0x1c0000  station address ROM: 32 bytes, byte n at +4n, repeating
//   +0x3c0000  TURBOchannel option ROM; its header at +0x3e0, "PMAD-AA " at +0x440

/** Offsets inside the module's 4 MiB window. */
export const PmadOffset = {
  SRAM: 0x000000, SRAM_WINDOW_END: 0x100000,
  RDP: 0x100000, RAP: 0x100004, REG_WINDOW_END: 0x180000,
  ESAR: 0x1c0000, ESAR_END: 0x200000,
  OPTION_ROM: 0x3c0000,
} as const;
/** The module decodes one TURBOchannel slot: 4 MiB. */
export const PMAD_WINDOW = 0x400000;
/** Physical base of the KN02's built-in Ethernet (slot 6). */
export const PMAD_PHYS_BASE = 0x1f800000;
/** Bytes in the station address ROM before it repeats. */
export const ESAR_BYTES = 32;
/** The default station address: DEC's OUI 08:00:2b, then 95:12:03 (the SOSP '95 date, as the RTC's). */
export const DEFAULT_MAC: readonly number[] = [0x08, 0x00, 0x2b, 0x95, 0x12, 0x03];

/**
 * The 32 bytes of DEC's Ethernet station address ROM for `mac`: the address
 * and its checksum, the same eight bytes reversed, again forward, then the
 * test pattern ff 00 55 aa ff 00 55 aa (the layout GXemul's dev_le.cc fills;
 * the checksum is DEC's, as Linux depca.c get_hw_addr checks it).
 * Throws RangeError unless `mac` is six bytes.
 */
export function stationRom(mac: readonly number[]): Uint8Array {
  if (mac.length !== 6 || mac.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
    throw new RangeError(`Station address ${JSON.stringify(mac)} is not six bytes`);
  }
  const sum = addressChecksum(mac);
  const head = [...mac, sum & 0xff, sum >>> 8];
  return Uint8Array.from([...head, ...[...head].reverse(), ...head, 0xff, 0x00, 0x55, 0xaa, 0xff, 0x00, 0x55, 0xaa]);
}

/** DEC's station address checksum: an end-around-carry sum of the address's three words, rotated. */
export function addressChecksum(mac: readonly number[]): number {
  let k = 0;
  for (let j = 0; j < 3; j++) {
    k <<= 1;
    if (k > 0xffff) k -= 0xffff;
    k += mac[2 * j] | (mac[2 * j + 1] << 8);
    if (k > 0xffff) k -= 0xffff;
  }
  return k === 0xffff ? 0 : k;
}

/**
 * The option ROM header (tcreg.h struct tc_rommap) as 32-bit words from the
 * ROM's +0x3e0: one-byte fields sit in byte 0 of their word; the 16-byte test
 * pattern fills whole words (NetBSD tc.c checks all four bytes of each).
 */
function romHeader(): number[] {
  const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  const fill = (b: number) => (b * 0x01010101) >>> 0;
  return [
    1, 4, 8, 1,                                   // width, stride, ROM size (8 KiB units), slot size (4 MiB units)
    fill(0x55), fill(0x00), fill(0xaa), fill(0xff), // test pattern
    ...text('V5.3a   '),                          // firmware revision
    ...text('DEC     '),                          // vendor
    ...text('PMAD-AA '),                          // module name, what drivers match on
    ...text('TCF0'),                              // firmware type
  ];
}

/** Offset of the option ROM header inside the option ROM. */
export const ROM_HEADER = 0x3e0;
const HEADER = romHeader();

/** The aligned 32-bit word of the option ROM at `offset` from its start (+0x3c0000); 0 outside the header. */
export function optionRomWord(offset: number): number {
  const rel = (offset & ~3) - ROM_HEADER;
  return rel < 0 ? 0 : HEADER[rel >>> 2] ?? 0;
}

/** "08:00:2b:95:12:03". */
export function macString(mac: ArrayLike<number>): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}
