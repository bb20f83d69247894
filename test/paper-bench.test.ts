import { beforeAll, describe, expect, it } from 'vitest';
import { Costs } from '../src/exokernel/costs.js';
import { type PaperResult, runPaperBench, tableData } from '../src/cli/paper-bench.js';

/** The program each row must have measured. */
const IMAGE: Readonly<Record<string, string>> = {
  pipe: 'ipc-pipe', "pipe'": 'ipc-pipe', shm: 'ipc-shm', lrpc: 'ipc-lrpc',
  dirty: 'vm-bench', prot1: 'vm-bench', prot100: 'vm-bench', unprot100: 'vm-bench', trap: 'vm-bench', appel1: 'vm-bench', appel2: 'vm-bench',
  'exception dispatch': 'exc-bench', 'udp round trip*': 'udp-ping',
  'udp round trip, 2 machines': 'udp-ping', 'udp round trip, ASH, 2 machines': 'udp-ping',
};

describe('exoscope bench --paper', () => {
  let results: PaperResult[] = [], missing: string[] = [];
  beforeAll(() => { ({ results, missing } = runPaperBench()); }, 120_000);
  const row = (name: string) => results.find((r) => r.operation === name)!;

  it('measures every row, each from a window of its own program\'s guest code, and checks their results', () => {
    expect(missing).toEqual([]);
    expect(results.map((r) => r.operation).sort()).toEqual(Object.keys(IMAGE).sort());
    for (const r of results) {
      expect(r.ok, `${r.operation}: ${r.console.slice(-200)}`).toBe(true);
      expect(r.image, r.operation).toBe(IMAGE[r.operation]);
      expect(r.window.length, r.operation).toBeGreaterThan(40);
      // Guest instructions of the measured program ran in the window...
      expect(r.ownInstructions, r.operation).toBeGreaterThan(0);
      expect(r.userInstructions, r.operation).toBeGreaterThanOrEqual(r.ownInstructions);
      // ...and the figure is the window's cycles: its instructions plus the kernel's charges, never the constants alone.
      const kernel = Object.values(r.kernel).reduce((a, b) => a + b, 0);
      expect(r.cyclesPerOp, r.operation).toBeGreaterThanOrEqual(r.userInstructions + kernel - 1);
      expect(r.cyclesPerOp, r.operation).toBeGreaterThan(kernel);
    }
    expect(tableData(results)[0]).toHaveProperty('ours (us)');
  });

  it('times exception dispatch in guest code: a breakpoint to its handler and back, the kernel\'s dispatch inside', () => {
    const r = row('exception dispatch');
    expect(r.kernel).toEqual({ dispatch: Costs.DISPATCH });
    expect(r.kernelEntries).toBe(1);
    // The handler's instructions (exc-bench-asm.S bp_handler: 8) are the guest's part; the loop itself cancels against the baseline.
    expect(r.ownInstructions).toBe(8);
    expect(r.cyclesPerOp).toBe(Costs.DISPATCH + r.ownInstructions);
  });

  it('times the UDP round trip as udp-ping\'s own loop, wire and peer included', () => {
    const r = row('udp round trip*');
    expect(r.kernel['net send']).toBeGreaterThan(0);
    expect(r.kernel['net receive']).toBeGreaterThan(0);
    // Two 64-byte datagrams on a 10 Mb/s wire are over 2 x 2,000 cycles the guest does not execute.
    expect(r.cyclesPerOp - r.userInstructions - Object.values(r.kernel).reduce((a, b) => a + b, 0)).toBeGreaterThan(4000);
  });

  it('says "no paper figure" where the reference has none', () => {
    const t = tableData(results);
    for (const name of ['dirty', 'prot1', 'prot100', 'unprot100', 'trap', 'appel1', 'appel2']) {
      expect(t.find((x) => x.operation === name)!['ExOS (us)']).toBe('no paper figure');
    }
    expect(t.find((x) => x.operation === 'exception dispatch')!['ExOS (us)']).toBe('1.5');
  });
});
