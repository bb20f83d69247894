import { describe, expect, it } from 'vitest';
import { LanceCsr0, Machine, PMAD_PHYS_BASE, PmadOffset, type MachineEvent } from '../../src/emu/index.js';
import { NET_BUFFER, NetDev, NetLayout } from '../../src/exokernel/netdev.js';
import { A } from '../emu/helpers/asm.js';

/** A booted machine idling in `b .` at 0x80001000, and the driver on its bus. */
function boot(rx = 8, tx = 4) {
  const events: MachineEvent[] = [];
  const machine = new Machine({ ramSize: 1 << 20, trace: (e) => events.push(e) });
  const code = new Uint8Array(new Int32Array([A.beq(0, 0, -1), A.nop()]).buffer);
  machine.load({ entry: 0x80001000, segments: [{ vaddr: 0x80001000, memsz: code.length, data: code }] });
  const sent: Uint8Array[] = [];
  machine.lance.onTransmit.add((f) => sent.push(f));
  const net = new NetDev({ bus: machine.bus, now: () => machine.cpu.cycles, trace: (e) => events.push(e) });
  expect(net.init(rx, tx)).toBe(true);
  return { machine, net, sent, events };
}

/** A frame to `dst` with a one-byte tag in its payload, `len` bytes long. */
function frame(dst: readonly number[], tag: number, len = 64): Uint8Array {
  const f = new Uint8Array(len);
  f.set(dst, 0);
  f.set([0x02, 0, 0, 0, 0, 0x99], 6);
  f[12] = 0x88; f[13] = 0xb5; f[14] = tag;
  for (let i = 15; i < len; i++) f[i] = (i * 7) & 0xff;
  return f;
}

const lancePending = (m: Machine) => (m.csr.read(0, 4) & 0x40) !== 0;

describe('NetDev', () => {
  it('reads the station address from the ROM and starts the chip with INEA', () => {
    const { machine, net } = boot();
    expect(net.mac).toEqual(machine.lance.mac);
    const { csr } = machine.lance.registers();
    expect(csr[0] & 0xffff).toBe(LanceCsr0.INEA | LanceCsr0.RXON | LanceCsr0.TXON | LanceCsr0.STRT | LanceCsr0.INIT);
    expect(lancePending(machine)).toBe(false);
  });

  it('returns frames injected on the wire from service(), oldest first, and gives their buffers back', () => {
    const { machine, net } = boot();
    const frames = [1, 2, 3].map((t) => frame(net.mac, t, 60 + 100 * t));
    for (const f of frames) machine.lance.receive(f);
    machine.run(20_000);
    expect(lancePending(machine)).toBe(true);
    const got = net.service();
    expect(got.map((f) => Array.from(f))).toEqual(frames.map((f) => Array.from(f)));
    expect(lancePending(machine)).toBe(false);
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 8; k++) machine.lance.receive(frame(net.mac, k));
      machine.run(20_000);
      expect(net.service().map((f) => f[14])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    expect(net.stats).toMatchObject({ received: 43, rxErrors: 0, missed: 0 });
  });

  it('raises Cause.IP2 through the system CSR once its enable bit is set', () => {
    const { machine, net } = boot();
    net.enableInterrupt();
    expect(machine.csr.read(2, 1) & 0x40).toBe(0x40);
    machine.lance.receive(frame(net.mac, 1));
    machine.run(5_000);
    expect(machine.cpu.causeValue & 0x400).toBe(0x400);
    net.service();
    expect(machine.cpu.causeValue & 0x400).toBe(0);
  });

  it('sends frames, padded to 60 bytes, and reaps the ring so it can go round many times', () => {
    const { machine, net, sent } = boot(8, 4);
    for (let k = 0; k < 20; k++) {
      expect(net.send(frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], k, k === 0 ? 20 : 100))).toBe(true);
      machine.run(5_000);
      net.service();
    }
    expect(sent.map((f) => f[14])).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(sent[0].length).toBe(60);
    expect(Array.from(sent[0].subarray(20))).toEqual(new Array(40).fill(0));
    expect(net.stats).toMatchObject({ sent: 20, txErrors: 0, refused: 0 });
  });

  it('refuses a frame when every transmit buffer is in use, and one longer than 1514 bytes', () => {
    const { machine, net, sent, events } = boot(8, 2);
    expect(net.send(frame(net.mac, 1))).toBe(true);
    expect(net.send(frame(net.mac, 2))).toBe(true);
    expect(net.send(frame(net.mac, 3))).toBe(false);
    expect(net.send(new Uint8Array(1515))).toBe(false);
    machine.run(10_000);
    expect(net.send(frame(net.mac, 4))).toBe(true);
    machine.run(10_000);
    expect(sent.map((f) => f[14])).toEqual([1, 2, 4]);
    expect(events.filter((e) => e.kind === 'netdev-send-refused').map((e) => e.reason)).toEqual(['ring full', 'too long']);
  });

  it('counts frames missed while its ring was full and picks up again after service()', () => {
    const { machine, net } = boot(4, 2);
    for (let k = 0; k < 6; k++) machine.lance.receive(frame(net.mac, k));
    machine.run(20_000);
    expect(machine.lance.stats()).toMatchObject({ received: 4, missed: 2 });
    expect(net.service().map((f) => f[14])).toEqual([0, 1, 2, 3]);
    expect(net.stats.missed).toBe(1);
    machine.lance.receive(frame(net.mac, 9));
    machine.run(5_000);
    expect(net.service().map((f) => f[14])).toEqual([9]);
  });

  it('receives a frame longer than a buffer chained over two descriptors', () => {
    const { machine, net } = boot();
    const big = frame(net.mac, 7, 2000);
    machine.lance.receive(big);
    machine.run(50_000);
    const got = net.service();
    expect(got).toHaveLength(1);
    expect(Array.from(got[0])).toEqual(Array.from(big));
    expect(NET_BUFFER).toBeLessThan(2004);
  });

  it('restarts the chip after a memory error and sends again', () => {
    const { machine, net, sent, events } = boot(8, 4);
    // A hostile write: the next transmit descriptor points past the SRAM.
    const d = PMAD_PHYS_BASE + NetLayout.RINGS + 8 * 8;
    machine.bus.write(d, 2, 0xfff0);
    machine.bus.write(d + 4, 2, -100 & 0xffff);
    machine.bus.write(d + 2, 2, 0x8300 | 0x01);
    machine.bus.write(PMAD_PHYS_BASE + PmadOffset.RAP, 2, 0);
    machine.bus.write(PMAD_PHYS_BASE + PmadOffset.RDP, 2, LanceCsr0.TDMD | LanceCsr0.INEA);
    expect(machine.lance.registers().csr[0] & LanceCsr0.MERR).toBe(LanceCsr0.MERR);
    net.service();
    expect(net.stats.restarts).toBe(1);
    expect(events.map((e) => e.kind)).toContain('netdev-restart');
    expect(net.send(frame(net.mac, 5))).toBe(true);
    machine.run(10_000);
    expect(sent.map((f) => f[14])).toEqual([5]);
  });

  it('throws RangeError for ring lengths that are not powers of two or do not fit', () => {
    const { net } = boot();
    expect(() => net.init(3, 4)).toThrow(RangeError);
    expect(() => net.init(64, 32)).toThrow(RangeError);
  });
});
