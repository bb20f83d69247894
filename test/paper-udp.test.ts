import { beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../src/emu/index.js';
import { runUdpPaperRows, type UdpPaperResult } from '../src/cli/paper-udp.js';

describe('exoscope bench --paper: the UDP round trip on two DECstations', () => {
  let results: UdpPaperResult[] = [], missing: string[] = [];
  beforeAll(() => { ({ results, missing } = runUdpPaperRows()); }, 120_000);
  const row = (ash: boolean) => results.find((r) => r.operation === (ash ? 'udp round trip, ASH, 2 machines' : 'udp round trip, 2 machines'))!;

  it('measures both rows, udp-ping on one machine checking every echo from udp-echo on the other', () => {
    expect(missing).toEqual([]);
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.ok, r.console.slice(-300)).toBe(true);
      expect(r.image).toBe('udp-ping');
      expect(r.exos).toBeGreaterThan(0);
    }
  });

  it('has the client program\'s instructions in the window, and the echo program\'s where it answers', () => {
    const plain = row(false);
    expect(plain.ownInstructions).toBeGreaterThan(1000);
    expect(plain.server.own).toBeGreaterThan(500);
    expect(plain.server.ash).toBe(0);
    expect(plain.userInstructions).toBeCloseTo(plain.ownInstructions + plain.server.instructions, 0);
    expect(plain.kernel['net send']).toBeGreaterThan(0);
    expect(plain.kernel['net receive']).toBeGreaterThan(0);
  });

  it('has the ASH\'s instructions in the window and not the echo program\'s when the ASH answers', () => {
    const ash = row(true);
    expect(ash.ownInstructions).toBeGreaterThan(1000);
    expect(ash.server.ash).toBeGreaterThan(100);
    expect(ash.server.own).toBeLessThan(ash.server.ash);
    expect(ash.userInstructions).toBeCloseTo(ash.ownInstructions + ash.server.instructions + ash.server.ash, 0);
    // Answering in the kernel saves the wake-up, the context switches and the copies: the ASH row is faster.
    expect(ash.cyclesPerOp).toBeLessThan(row(false).cyclesPerOp);
  });

  it('holds the frames\' time on the wire: two 64-byte datagrams at 10 Mb/s besides the code', () => {
    const frame = new Machine({ ramSize: 1 << 20 }).lance.wireCycles(14 + 20 + 8 + 64 + 4);
    for (const r of results) {
      expect(r.cyclesPerOp).toBeGreaterThan(2 * frame + r.ownInstructions);
      expect(r.us).toBeCloseTo(r.cyclesPerOp / 25, 1);
    }
  });
});
