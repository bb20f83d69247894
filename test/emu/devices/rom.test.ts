import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../../src/emu/device.js';
import {
  BEV_GENERAL_VECTOR, BEV_UTLB_VECTOR, BootRom, Callback, Insn, JUMP_TABLE, JumpFn, PROM_BASE, PROM_ENTRIES,
  PROM_ENV_BASE, PROM_ENVIRONMENT, PROM_SIZE, PROM_TCINFO, PROM_TCINFO_WORDS, REX_CALLBACK_SLOTS,
  REX_CALLBACK_VECTOR, REX_ENTRY_BASE, buildRomImage, promEntryAt, promEnvironmentLayout,
} from '../../../src/emu/devices/rom.js';

const image = buildRomImage();
const view = new DataView(image.buffer);
const word = (va: number) => view.getUint32(va - PROM_BASE, true);
const cstring = (va: number) => {
  let s = '';
  for (let i = va - PROM_BASE; image[i] !== 0; i++) s += String.fromCharCode(image[i]);
  return s;
};

describe('buildRomImage', () => {
  it('is the 512 KiB KN02 ROM', () => {
    expect(image.length).toBe(PROM_SIZE);
  });

  it('puts jr ra; nop at every jump-table function', () => {
    expect([word(JUMP_TABLE), word(JUMP_TABLE + 4)]).toEqual([Insn.JR_RA, Insn.NOP]);
    expect(word(JUMP_TABLE + 8 * JumpFn.printf)).toBe(Insn.JR_RA);
    expect(word(JUMP_TABLE + 8 * 97)).toBe(Insn.JR_RA);
  });

  it('puts an endless loop on the BEV exception vectors', () => {
    expect([word(BEV_UTLB_VECTOR), word(BEV_GENERAL_VECTOR)]).toEqual([Insn.B_SELF, Insn.B_SELF]);
  });

  it('fills callback slot i with the address of its code, which is jr ra; nop', () => {
    for (let i = 0; i < REX_CALLBACK_SLOTS; i++) {
      expect(word(REX_CALLBACK_VECTOR + 4 * i)).toBe(REX_ENTRY_BASE + 8 * i);
      expect(word(REX_ENTRY_BASE + 8 * i)).toBe(Insn.JR_RA);
    }
    expect(word(REX_CALLBACK_VECTOR + Callback.printf)).toBe(0xbfc08060);
  });

  it('lays out the environment strings where promEnvironmentLayout says', () => {
    expect(cstring(PROM_ENV_BASE)).toBe('osconsole=2');
    for (const e of promEnvironmentLayout(PROM_ENVIRONMENT)) expect(cstring(e.address)).toBe(e.value);
  });

  it('holds the tcinfo block', () => {
    expect(PROM_TCINFO_WORDS.map((_, i) => word(PROM_TCINFO + 4 * i))).toEqual([...PROM_TCINFO_WORDS]);
  });

  it('refuses an environment that overruns the tcinfo block', () => {
    expect(() => buildRomImage([['x', 'y'.repeat(0x10000)]])).toThrow(RangeError);
  });
});

describe('PROM entry points', () => {
  it('lists 98 jump-table functions and 54 callback slots with their names', () => {
    expect(PROM_ENTRIES.length).toBe(98 + 54);
    expect(promEntryAt(0xbfc00088)).toMatchObject({ table: 'jump', index: 17, name: 'printf' });
    expect(promEntryAt(0xbfc08060)).toMatchObject({ table: 'callback', index: 0x30, name: 'printf' });
    expect(promEntryAt(0xbfc000b8)).toMatchObject({ name: 'jt23' });
    expect(promEntryAt(REX_ENTRY_BASE + 8 * (0xb0 / 4))).toMatchObject({ name: 'reserved_b0' });
  });

  it('accepts kseg0, kseg1 and physical addresses and nothing between entries', () => {
    expect(promEntryAt(0x9fc08060)?.name).toBe('printf');
    expect(promEntryAt(0x1fc08060)?.name).toBe('printf');
    expect(promEntryAt(0xbfc08064)).toBeUndefined();
    expect(promEntryAt(0xbfc04000)).toBeUndefined();
    expect(promEntryAt(0x80001000)).toBeUndefined();
  });
});

describe('BootRom', () => {
  function setup() {
    const events: MachineEvent[] = [];
    const rom = new BootRom({ clock: { now: () => 7 }, trace: (e) => events.push(e) });
    return { rom, events };
  }

  it('reads bytes, halfwords and words little-endian', () => {
    const { rom } = setup();
    expect(rom.read(0x4000 + Callback.printf, 4)).toBe(0xbfc08060);
    expect(rom.read(0x4000 + Callback.printf, 2)).toBe(0x8060);
    expect(rom.read(0x4000 + Callback.printf + 3, 1)).toBe(0xbf);
  });

  it('ignores writes and traces them', () => {
    const { rom, events } = setup();
    rom.write(0, 4, 0xdeadbeef);
    expect(rom.read(0, 4)).toBe(Insn.JR_RA);
    expect(events).toEqual([{ kind: 'rom-write', cycle: 7, offset: 0, size: 4, value: 0xdeadbeef }]);
  });

  it('has no state to save and never needs time', () => {
    const { rom } = setup();
    expect(JSON.parse(JSON.stringify(rom.save()))).toEqual({});
    rom.restore({});
    expect(rom.nextEvent()).toBe(Infinity);
  });
});
