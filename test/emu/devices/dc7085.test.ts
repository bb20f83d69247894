import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../../src/emu/device.js';
import {
  DC_SILO_SIZE, Dc7085, DcCsr, DcLpr, DcRbuf, DcReg, DcTcr,
} from '../../../src/emu/devices/dc7085.js';

/** One character at 9600 baud, 8N1: 10 bits at 25 MHz, rounded up. */
const CHAR_9600 = 26042;

function setup(opts: { charCycles?: number } = {}) {
  const clock = { t: 0, now() { return this.t; } };
  const levels: boolean[] = [];
  const events: MachineEvent[] = [];
  const sent: [number, number][] = [];
  const dc = new Dc7085({
    clock, irq: { set: (l) => levels.push(l) }, trace: (e) => events.push(e),
    onTransmit: (line, byte) => sent.push([line, byte]), ...opts,
  });
  const rd = (reg: number) => dc.read(reg, 2);
  const wr = (reg: number, v: number) => dc.write(reg, 2, v);
  const at = (t: number) => { clock.t = t; dc.tick(t); };
  const irq = () => levels.length > 0 && levels[levels.length - 1];
  return { dc, clock, levels, events, sent, rd, wr, at, irq };
}

describe('Dc7085 transmitter', () => {
  it('starts as the PROM leaves it: scanning, TRDY for line 3', () => {
    const { rd } = setup();
    expect(rd(DcReg.CSR)).toBe(DcCsr.TRDY | (3 << DcCsr.TLINE_SHIFT) | DcCsr.MSE);
    expect(rd(DcReg.TCR)).toBe(DcTcr.EN3);
  });

  it('sends a TDR byte to the sink with its line and is busy for one character time', () => {
    const { dc, rd, wr, sent, at } = setup();
    wr(DcReg.TDR, 0x41);
    expect(sent).toEqual([[3, 0x41]]);
    expect(dc.charCycles(3)).toBe(CHAR_9600);
    expect(rd(DcReg.CSR) & DcCsr.TRDY).toBe(0);
    at(CHAR_9600 - 1);
    expect(rd(DcReg.CSR) & DcCsr.TRDY).toBe(0);
    at(CHAR_9600);
    expect(rd(DcReg.CSR) & DcCsr.TRDY).toBe(DcCsr.TRDY);
  });

  it('interrupts on TRDY while TIE is set and schedules the end of a character', () => {
    const { dc, wr, irq, at } = setup();
    wr(DcReg.CSR, DcCsr.MSE | DcCsr.TIE);
    expect(irq()).toBe(true);
    wr(DcReg.TDR, 0x42);
    expect(irq()).toBe(false);
    expect(dc.nextEvent()).toBe(CHAR_9600);
    at(CHAR_9600);
    expect(irq()).toBe(true);
  });

  it('scans enabled lines round robin and sends other lines to the sink too', () => {
    const { rd, wr, sent } = setup({ charCycles: 100 });
    wr(DcReg.TCR, DcTcr.EN0 | DcTcr.EN3);
    expect((rd(DcReg.CSR) & DcCsr.TLINE) >> DcCsr.TLINE_SHIFT).toBe(0);
    wr(DcReg.TDR, 0x30);
    expect((rd(DcReg.CSR) & DcCsr.TLINE) >> DcCsr.TLINE_SHIFT).toBe(3);
    wr(DcReg.TDR, 0x33);
    expect(sent).toEqual([[0, 0x30], [3, 0x33]]);
    expect(rd(DcReg.CSR) & DcCsr.TRDY).toBe(0);
  });

  it('still sends a byte written without TRDY, with an event', () => {
    const { wr, sent, events } = setup();
    wr(DcReg.TDR, 0x61);
    wr(DcReg.TDR, 0x62);
    expect(sent).toEqual([[3, 0x61], [3, 0x62]]);
    expect(events).toMatchObject([{ kind: 'dc7085-tdr-not-ready', line: 3, byte: 0x62 }]);
  });

  it('times characters by the LPR speed and format', () => {
    const { dc, wr } = setup();
    wr(DcReg.LPR, DcLpr.RXENAB | 0x0c00 | DcLpr.LEN8 | 3); // 4800 baud
    expect(dc.charCycles(3)).toBe(52084);
    wr(DcReg.LPR, DcLpr.RXENAB | DcLpr.B9600 | 0x10 | DcLpr.PARENB | DcLpr.STOP2 | 3); // 7E2
    expect(dc.charCycles(3)).toBe(Math.ceil((25e6 * 11) / 9600));
  });

  it('can be made instantaneous', () => {
    const { rd, wr } = setup({ charCycles: 0 });
    wr(DcReg.TDR, 0x41);
    expect(rd(DcReg.CSR) & DcCsr.TRDY).toBe(DcCsr.TRDY);
  });
});

describe('Dc7085 receiver', () => {
  it('delivers input one character time apart into RBUF with DVAL and the line', () => {
    const { dc, rd, at } = setup();
    dc.input(3, 'hi');
    expect(rd(DcReg.CSR) & DcCsr.RDONE).toBe(0);
    at(CHAR_9600);
    expect(rd(DcReg.CSR) & DcCsr.RDONE).toBe(DcCsr.RDONE);
    expect(rd(DcReg.RBUF)).toBe(DcRbuf.DVAL | (3 << DcRbuf.LINE_SHIFT) | 0x68);
    expect(rd(DcReg.CSR) & DcCsr.RDONE).toBe(0);
    at(2 * CHAR_9600);
    expect(rd(DcReg.RBUF)).toBe(DcRbuf.DVAL | (3 << DcRbuf.LINE_SHIFT) | 0x69);
    expect(rd(DcReg.RBUF)).toBe(0);
  });

  it('interrupts on RDONE while RIE is set and releases when the silo empties', () => {
    const { dc, rd, wr, irq, at } = setup();
    wr(DcReg.CSR, DcCsr.MSE | DcCsr.RIE);
    dc.input(3, [0x0d]);
    expect(dc.nextEvent()).toBe(CHAR_9600);
    at(CHAR_9600);
    expect(irq()).toBe(true);
    rd(DcReg.RBUF);
    expect(irq()).toBe(false);
  });

  it('drops characters past a full 64-entry silo and flags OERR on the newest entry', () => {
    const { dc, rd, events } = setup({ charCycles: 0 });
    dc.input(3, new Uint8Array(70).map((_, i) => i));
    const entries: number[] = [];
    for (let e = rd(DcReg.RBUF); e & DcRbuf.DVAL; e = rd(DcReg.RBUF)) entries.push(e);
    expect(entries.length).toBe(DC_SILO_SIZE);
    expect(entries[62] & DcRbuf.OERR).toBe(0);
    expect(entries[63] & (DcRbuf.OERR | 0xff)).toBe(DcRbuf.OERR | 63);
    expect(events.filter((e) => e.reason === 'silo overrun').length).toBe(6);
  });

  it('loses characters on a line whose receiver is not enabled', () => {
    const { dc, rd, events } = setup({ charCycles: 0 });
    dc.input(0, 'x');
    expect(rd(DcReg.RBUF)).toBe(0);
    expect(events).toMatchObject([{ kind: 'dc7085-rx-dropped', line: 0, reason: 'receiver disabled' }]);
  });

  it('hands the PROM the oldest byte of a line with pollReceive', () => {
    const { dc, wr } = setup({ charCycles: 0 });
    wr(DcReg.LPR, DcLpr.RXENAB | DcLpr.B9600 | DcLpr.LEN8 | 2);
    dc.input(2, 'm');
    dc.input(3, 'c');
    expect(dc.pollReceive(3)).toBe(0x63);
    expect(dc.pollReceive(3)).toBe(-1);
    expect(dc.pollReceive(2)).toBe(0x6d);
  });

  it('refuses a line outside 0..3', () => {
    expect(() => setup().dc.input(4, 'x')).toThrow(RangeError);
  });
});

describe('Dc7085 control', () => {
  it('reads TRDY and RDONE as 0 when MSE is clear', () => {
    const { dc, rd, wr } = setup({ charCycles: 0 });
    dc.input(3, 'a');
    wr(DcReg.CSR, 0);
    expect(rd(DcReg.CSR) & (DcCsr.TRDY | DcCsr.RDONE)).toBe(0);
  });

  it('master-clears silo, line parameters, TCR and CSR on CLR', () => {
    const { dc, rd, wr, events } = setup({ charCycles: 0 });
    dc.input(3, 'a');
    wr(DcReg.CSR, DcCsr.CLR | DcCsr.MSE);
    expect(rd(DcReg.CSR)).toBe(3 << DcCsr.TLINE_SHIFT);
    expect(rd(DcReg.TCR)).toBe(0);
    wr(DcReg.CSR, DcCsr.MSE);
    expect(rd(DcReg.RBUF)).toBe(0);
    dc.input(3, 'b');
    expect(events.at(-1)).toMatchObject({ kind: 'dc7085-rx-dropped', reason: 'receiver disabled' });
  });

  it('reports carrier and data set ready on lines 2 and 3 in MSR', () => {
    expect(setup().rd(DcReg.MSR)).toBe(0x0606);
  });

  it('gives byte lanes of the 16-bit registers and keeps the other CSR byte on a byte write', () => {
    const { dc, irq } = setup();
    expect(dc.read(DcReg.CSR + 1, 1)).toBe(0x83);
    expect(dc.read(DcReg.CSR, 4)).toBe(0x8320);
    dc.write(DcReg.CSR + 1, 1, DcCsr.TIE >> 8);
    expect(dc.read(DcReg.CSR, 2) & (DcCsr.TIE | DcCsr.MSE)).toBe(DcCsr.TIE | DcCsr.MSE);
    expect(irq()).toBe(true);
  });

  it('ignores a byte write to the high byte of TDR (the break bits)', () => {
    const { dc, sent } = setup();
    dc.write(DcReg.TDR + 1, 1, 0x0f);
    expect(sent).toEqual([]);
  });

  it('reads unimplemented byte lanes as 0 with an event and mirrors every 32 bytes', () => {
    const { dc, events } = setup();
    expect(dc.read(DcReg.TCR + 4, 2)).toBe(0);
    expect(events.at(-1)).toMatchObject({ kind: 'device-unimplemented', device: 'dc7085' });
    expect(dc.read(0x20 + DcReg.TCR, 2)).toBe(DcTcr.EN3);
  });

  it('saves and restores its whole state as JSON, re-driving the interrupt', () => {
    const a = setup();
    a.wr(DcReg.CSR, DcCsr.MSE | DcCsr.RIE);
    a.dc.input(3, 'xyz');
    a.at(CHAR_9600);
    const saved = JSON.parse(JSON.stringify(a.dc.save()));
    const b = setup();
    b.clock.t = CHAR_9600;
    b.dc.restore(saved);
    expect(b.irq()).toBe(true);
    expect(b.dc.save()).toEqual(a.dc.save());
    a.at(3 * CHAR_9600); b.at(3 * CHAR_9600);
    expect([b.rd(DcReg.RBUF), b.rd(DcReg.RBUF), b.rd(DcReg.RBUF)]).toEqual([a.rd(DcReg.RBUF), a.rd(DcReg.RBUF), a.rd(DcReg.RBUF)]);
  });
});
