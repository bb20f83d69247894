import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../../src/emu/device.js';
import { Kn02Csr, Kn02Intr, SysCsr } from '../../../src/emu/devices/syscsr.js';

function setup() {
  const clock = { t: 0, now() { return this.t; } };
  const levels: boolean[] = [];
  const events: MachineEvent[] = [];
  const csr = new SysCsr({ clock, irq: { set: (l) => levels.push(l) }, trace: (e) => events.push(e) });
  const irq = () => levels.length > 0 && levels[levels.length - 1];
  return { csr, levels, events, irq };
}

describe('SysCsr', () => {
  it('reads NRMMOD and nothing else after reset', () => {
    expect(setup().csr.read(0, 4)).toBe(Kn02Csr.NRMMOD);
  });

  it('shows each input line in its pending bit without raising IP2 while disabled', () => {
    const { csr, irq, levels } = setup();
    csr.input(Kn02Intr.Serial).set(true);
    csr.input(Kn02Intr.Slot0).set(true);
    expect(csr.read(0, 4) & Kn02Csr.IOINT).toBe(0x81);
    expect(irq()).toBe(false);
    expect(levels).toEqual([]);
    csr.input(Kn02Intr.Slot0).set(false);
    expect(csr.read(0, 1)).toBe(0x80);
  });

  it('asserts IP2 while a pending source is enabled and releases it when either drops', () => {
    const { csr, irq, levels } = setup();
    const lance = csr.input(Kn02Intr.Lance);
    csr.write(0, 4, Kn02Intr.Lance << Kn02Csr.IOINTEN_SHIFT);
    expect(irq()).toBe(false);
    lance.set(true);
    expect(irq()).toBe(true);
    lance.set(true);
    expect(levels).toEqual([true]);
    lance.set(false);
    expect(irq()).toBe(false);
    lance.set(true);
    csr.write(0, 4, 0);
    expect(levels).toEqual([true, false, true, false]);
  });

  it('sends writes of bits 7:0 to the LEDs, not the pending bits, with an event', () => {
    const { csr, events } = setup();
    csr.write(0, 4, 0x5a);
    expect(csr.read(0, 4) & Kn02Csr.IOINT).toBe(0);
    expect(csr.ledBits()).toBe(0x5a);
    expect(events).toMatchObject([{ kind: 'syscsr-leds', leds: 0x5a }]);
    csr.write(0, 4, 0x5a);
    expect(events.length).toBe(1);
  });

  it('keeps control bits 15:8 and ignores writes to the read-only status bits', () => {
    const { csr } = setup();
    csr.write(0, 4, 0xff00_2000);
    expect(csr.read(0, 4)).toBe((Kn02Csr.NRMMOD | 0x2000) >>> 0);
  });

  it('writes only the addressed byte lane', () => {
    const { csr } = setup();
    csr.write(2, 1, 0x80);
    csr.write(1, 1, 0x20);
    expect(csr.read(0, 4)).toBe(Kn02Csr.NRMMOD | 0x80_0000 | 0x2000);
    expect(csr.read(2, 1)).toBe(0x80);
    expect(csr.read(2, 2)).toBe(0x0180);
  });

  it('reads 0 with an event outside the CSR word', () => {
    const { csr, events } = setup();
    expect(csr.read(8, 4)).toBe(0);
    expect(events).toMatchObject([{ kind: 'device-unimplemented', device: 'syscsr', offset: 8 }]);
  });

  it('accepts only single bits of 7:0 as inputs', () => {
    const { csr } = setup();
    expect(() => csr.input(0x18)).toThrow(RangeError);
    expect(() => csr.input(0x100)).toThrow(RangeError);
  });

  it('never needs time', () => {
    expect(setup().csr.nextEvent()).toBe(Infinity);
  });

  it('saves and restores as JSON and re-drives IP2', () => {
    const a = setup();
    a.csr.write(0, 4, (Kn02Intr.Serial << Kn02Csr.IOINTEN_SHIFT) | 0x2000 | 0x11);
    a.csr.input(Kn02Intr.Serial).set(true);
    const b = setup();
    b.csr.restore(JSON.parse(JSON.stringify(a.csr.save())));
    expect(b.csr.read(0, 4)).toBe(a.csr.read(0, 4));
    expect(b.csr.ledBits()).toBe(0x11);
    expect(b.irq()).toBe(true);
  });
});
