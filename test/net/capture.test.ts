import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/emu/index.js';
import { CaptureLog, type Captured, ethernet, Wire } from '../../src/net/index.js';
import { A } from '../emu/helpers/asm.js';

const frame = (cycle: number, n = 100): Captured => ({ cycle, direction: 'in', frame: new Uint8Array(n).fill(cycle & 0xff) });

describe('CaptureLog: the wire capture, bounded', () => {
  it('keeps frames in cycle order, later frames of the same cycle after earlier ones', () => {
    const log = new CaptureLog(1 << 20);
    for (const c of [frame(30), frame(10), { ...frame(10), direction: 'out' as const }, frame(20)]) log.add(c);
    expect(log.frames.map((c) => `${c.cycle}${c.direction}`)).toEqual(['10in', '10out', '20in', '30in']);
    expect(log.total).toBe(4);
    expect(log.dropped).toBe(0);
  });

  it('drops the oldest frames past its limit, keeps the newest and counts what it dropped', () => {
    const log = new CaptureLog(10_000);
    for (let i = 0; i < 1_000; i++) log.add(frame(i));
    const kept = log.frames.reduce((n, c) => n + c.frame.length, 0);
    expect(kept).toBeLessThanOrEqual(10_000);
    expect(kept).toBeGreaterThanOrEqual(7_500 - 100);
    expect(log.dropped + log.frames.length).toBe(1_000);
    expect(log.total).toBe(1_000);
    expect(log.frames.at(-1)!.cycle).toBe(999);
    expect(log.frames[0].cycle).toBe(log.dropped);
  });

  it('cuts back to a saved total across a drop, and keeps counting from there', () => {
    const log = new CaptureLog(1_000);
    for (let i = 0; i < 8; i++) log.add(frame(i));
    const saved = log.total; // 8 frames, 800 bytes: nothing dropped yet
    for (let i = 8; i < 30; i++) log.add(frame(i));
    expect(log.dropped).toBeGreaterThan(8);
    log.truncate(saved); // back before frames that were dropped: nothing of them is left to show
    expect(log.frames).toEqual([]);
    expect(log.total).toBe(8);
    log.add(frame(8));
    expect(log.total).toBe(9);
    const mid = log.total;
    log.add(frame(9));
    log.truncate(mid);
    expect(log.frames.map((c) => c.cycle)).toEqual([8]);
  });

  it('refuses a limit that is not a positive number of bytes', () => {
    expect(() => new CaptureLog(0)).toThrow(/Capture limit 0/);
    expect(() => new CaptureLog(1.5)).toThrow(RangeError);
  });
});

describe('Wire with a small capture limit', () => {
  it('keeps the newest frames in the pcap file and says how many it dropped', () => {
    const machine = new Machine({ ramSize: 1 << 20 });
    const code = new Uint8Array(new Int32Array([A.beq(0, 0, -1), A.nop()]).buffer);
    machine.load({ entry: 0x80001000, segments: [{ vaddr: 0x80001000, memsz: code.length, data: code }] });
    const wire = new Wire(machine, 4_000);
    const start = machine.cpu.cycles;
    for (let i = 0; i < 100; i++) wire.inject(ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', type: 0x88b5, payload: new Uint8Array(186).fill(i) }), start + 1_000 * (i + 1));
    const before = wire.save();
    machine.run(101_000);
    expect(wire.captureDropped).toBeGreaterThan(0);
    expect(wire.captureDropped + wire.capture.length).toBe(100);
    expect(wire.capture.at(-1)!.frame[14]).toBe(99);
    const pcap = wire.pcap();
    expect(pcap.length).toBe(24 + wire.capture.length * (16 + 200));
    wire.restore(before);
    expect(wire.capture.length).toBe(0);
  });
});
