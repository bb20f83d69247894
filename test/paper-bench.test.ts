// exoscope bench --paper, run once through the CLI's JSON: every row measured
// on both kernels from windows of the right programs, never from constants.

import { beforeAll, describe, expect, it } from 'vitest';
import { Costs } from '../src/exokernel/costs.js';
import { paperBenchCommand } from '../src/cli/bench.js';
import type { PaperResult } from '../src/cli/paper-bench.js';
import type { Part } from '../src/cli/paper-explain.js';
import { paperRows } from '../src/cli/paper-rows.js';
import { tableData } from '../src/cli/paper-table.js';

/** The program each row must have measured on the exokernel. */
const IMAGE: Readonly<Record<string, string>> = {
  pipe: 'bench-pipe', "pipe'": 'ipc-pipe', shm: 'bench-shm', lrpc: 'ipc-lrpc',
  dirty: 'bench-vm', prot1: 'bench-vm', prot100: 'bench-vm', unprot100: 'bench-vm', trap: 'bench-vm', appel1: 'bench-vm', appel2: 'bench-vm',
  'exception dispatch': 'exc-bench', 'udp round trip*': 'bench-udp-ping',
  'udp round trip, 2 machines': 'udp-ping', 'udp round trip, ASH, 2 machines': 'udp-ping',
};

/** The iterations of the pipe row and of the one-machine UDP row, from their scenario files. */
const ROWS = paperRows();
const N = ROWS.find((r) => r.operation === 'pipe')!.iterations;
const UDP_N = ROWS.find((r) => r.operation === 'udp round trip*')!.iterations;

/**
 * The system calls the monolithic kernel must count in each row's window:
 * what the benchmark's own loop makes (src/bench-common), so the window
 * holds that program's run and not another's.
 */
const MONO_CALLS: Readonly<Record<string, Record<string, number>>> = {
  pipe: { write: 2 * N, read: 2 * N, null: 1 },
  prot1: { mprotect: N, null: 1 }, prot100: { mprotect: N, null: 1 }, unprot100: { mprotect: N, null: 1 },
  trap: { sigreturn: N, null: 1 },
  'udp round trip*': { sendto: UDP_N, recvfrom: UDP_N, null: 1 },
};
const NO_MONO = ["pipe'", 'lrpc', 'dirty', 'exception dispatch', 'udp round trip, 2 machines', 'udp round trip, ASH, 2 machines'];

type JsonResult = Omit<PaperResult, 'console' | 'mono'> & { mono?: Omit<NonNullable<PaperResult['mono']>, 'console'> };

describe('exoscope bench --paper', () => {
  let results: JsonResult[] = [], missing: string[] = [], sensitivity: Record<string, Part[]> = {}, status = -1;
  beforeAll(async () => {
    let text = '';
    status = await paperBenchCommand(true, (t) => { text += t; }, true);
    ({ results, missing, sensitivity } = JSON.parse(text));
  }, 300_000);
  const row = (name: string) => results.find((r) => r.operation === name)!;

  it('measures every row, each from a window of its own program\'s guest code, and checks their results', () => {
    expect(status).toBe(0);
    expect(missing).toEqual([]);
    expect(results.map((r) => r.operation).sort()).toEqual(Object.keys(IMAGE).sort());
    for (const r of results) {
      expect(r.ok, r.operation).toBe(true);
      expect(r.image, r.operation).toBe(IMAGE[r.operation]);
      expect(r.window.length, r.operation).toBeGreaterThan(40);
      // Guest instructions of the measured program ran in the window...
      expect(r.ownInstructions, r.operation).toBeGreaterThan(0);
      expect(r.userInstructions, r.operation).toBeGreaterThanOrEqual(r.ownInstructions);
      // Two machines (test/paper-udp.test.ts checks their windows): on the client's timeline, its instructions, its
      // kernel's charges, its stalls, and waiting (for the echo machine and the wire) are the row.
      if ('server' in r) {
        expect(Math.abs(r.ownInstructions + r.charged + r.stalls + r.wait - r.cyclesPerOp), r.operation).toBeLessThan(1);
        continue;
      }
      // ...and the figure is the window's cycles: its instructions plus the kernel's charges, never the constants alone.
      const kernel = Object.values(r.kernel).reduce((a, b) => a + b, 0);
      expect(r.cyclesPerOp, r.operation).toBeGreaterThanOrEqual(r.userInstructions + kernel - 1);
      expect(r.cyclesPerOp, r.operation).toBeGreaterThan(kernel);
      expect(r.charged, r.operation).toBeGreaterThanOrEqual(kernel - 1);
      expect(r.stalls, r.operation).toBeGreaterThanOrEqual(0);
      expect(Math.abs(r.userInstructions + r.charged + r.stalls + r.wait - r.cyclesPerOp), r.operation).toBeLessThan(1);
    }
  });

  it('measures the monolithic column: the same program\'s window on the monolithic kernel, every cycle an instruction it ran or a multiply/divide stall', () => {
    for (const r of results.filter((x) => !NO_MONO.includes(x.operation))) {
      const m = r.mono!;
      expect(m.ok, r.operation).toBe(true);
      expect(r.monolithic, r.operation).toBe(m.us);
      expect(m.us, r.operation).toBeCloseTo(m.cyclesPerOp / 25, 1);
      // Nothing is charged: the kernel's time is its own instructions (and their multiply/divide stalls), and some of the window ran in user mode.
      expect(m.stalls, r.operation).toBeGreaterThanOrEqual(0);
      expect(m.stalls, r.operation).toBeLessThan(m.instructions);
      expect(Math.abs(m.instructions + m.stalls - m.cyclesPerOp), r.operation).toBeLessThanOrEqual(0.2);   // each rounded to 0.1
      expect(m.kernelCycles, r.operation).toBeGreaterThan(0);
      expect(m.cyclesPerOp - m.kernelCycles, r.operation).toBeGreaterThan(2);
      expect(m.kernelEntries, r.operation).toBeGreaterThanOrEqual(m.syscalls);
      if (MONO_CALLS[r.operation]) expect(m.syscallCounts, r.operation).toEqual(MONO_CALLS[r.operation]);
      expect(r.ratio, r.operation).toBeCloseTo(m.us / r.us, 1);
    }
    // The pipe's 4 bytes each way go through copyin and copyout on both sides: 16 bytes a round trip.
    expect(row('pipe').mono!.copyBytes).toBe(16);
    expect(row('pipe').copyBytes).toBe(0);   // ExOS's library pipe copies into a shared frame in user mode
    // vm.c's trap loop stores to word 1 + (i & 1023) % 1023: a divu whose remainder it reads at once, the same on both kernels.
    expect(row('trap').stalls).toBeGreaterThan(25);
    // Within half a cycle: a kernel entry between a divu and its mfhi hides the wait, and the two kernels' entries differ.
    expect(Math.abs(row('trap').mono!.stalls - row('trap').stalls)).toBeLessThanOrEqual(0.5);
    expect(row('pipe').mono!.contextSwitches).toBeGreaterThanOrEqual(2);
    expect(row('appel2').mono!.syscallCounts).toMatchObject({ mprotect: 20 + 20 * 100, sigreturn: 20 * 100 });
  });

  it('gives the paper\'s ratio beside ours, and says where there is no monolithic equivalent', () => {
    expect(row('pipe').paperRatio).toBeCloseTo(199 / 14.2, 2);
    expect(row('shm').paperRatio).toBeCloseTo(118 / 5.7, 2);
    const t = tableData(results as PaperResult[]);
    for (const name of NO_MONO) {
      expect(row(name).monolithic, name).toBeNull();
      expect(row(name).monolithicNone!.length, name).toBeGreaterThan(10);
      expect(t.find((x) => x.operation === name)!['mono here (us)'], name).toBe('no equivalent');
    }
    expect(t.find((x) => x.operation === 'pipe')!['ratio paper']).toBe('14.0x');
  });

  it('times exception dispatch in guest code: a breakpoint to its handler and back, the kernel\'s dispatch inside', () => {
    const r = row('exception dispatch');
    expect(r.kernel).toEqual({ dispatch: Costs.DISPATCH });
    expect(r.kernelEntries).toBe(1);
    // The handler's instructions (exc-bench-asm.S bp_handler: 8) are the guest's part; the loop itself cancels against the baseline.
    expect(r.ownInstructions).toBe(8);
    // Every other cycle is the kernel's: DISPATCH, and a clock tick's work when one lands in one window and not the
    // other (the program is alone on the slice vector, so a slice's end there is a switch probing 127 free slots).
    expect(r.cyclesPerOp).toBeCloseTo(r.charged + r.ownInstructions, 1);
    expect(r.charged).toBeGreaterThanOrEqual(Costs.DISPATCH);
  });

  it('times the UDP round trip as bench-udp-ping\'s own loop, wire and peer included, on both kernels', () => {
    const r = row('udp round trip*');
    expect(r.kernel['net send']).toBeGreaterThan(0);
    expect(r.kernel['net receive']).toBeGreaterThan(0);
    // A 64-byte datagram out and its echo in (Ethernet, IP, UDP headers and payload) each round trip.
    expect(r.copyBytes).toBeGreaterThanOrEqual(2 * 60);
    // Two 64-byte datagrams on a 10 Mb/s wire are over 2 x 2,000 cycles the guest does not execute.
    expect(r.wait).toBeGreaterThan(4000);
    // The monolithic kernel waits for the same wire in its idle loop: kernel time.
    expect(r.mono!.kernelCycles).toBeGreaterThan(4000);
  });

  it('says "no paper figure" where the reference has none', () => {
    const t = tableData(results as PaperResult[]);
    for (const name of ['dirty', 'prot1', 'prot100', 'unprot100', 'trap', 'appel1', 'appel2']) {
      expect(t.find((x) => x.operation === name)!['ExOS paper (us)']).toBe('no paper figure');
    }
    expect(t.find((x) => x.operation === 'exception dispatch')!['ExOS paper (us)']).toBe('1.5');
  });

  it('--explain splits each row by assumption: the parts sum to the row and name the constants behind it', () => {
    for (const r of results) {
      const parts = sensitivity[r.operation];
      const sum = parts.reduce((a, p) => a + p.cycles, 0);
      expect(Math.abs(sum - r.cyclesPerOp), r.operation).toBeLessThan(0.01 * r.cyclesPerOp + 1);
    }
    const dispatch = sensitivity['exception dispatch'];
    expect(dispatch[0]).toEqual({ assumption: 'DISPATCH', cycles: Costs.DISPATCH });
    // The pipe's directed yields are charged their measured sequence (YIELD), no context switch: the kernel saves no register.
    const pipe = sensitivity.pipe.find((p) => p.assumption === 'YIELD')!;
    expect(pipe.cycles).toBe(row('pipe').kernel.yield_to);
    expect(sensitivity.pipe.some((p) => p.assumption.startsWith('CONTEXT_SWITCH'))).toBe(false);
    expect(sensitivity['udp round trip*'][0].assumption).toMatch(/^wait/);
  });
});
