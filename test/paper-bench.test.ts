import { describe, expect, it } from 'vitest';
import { runPaperBench, tableData } from '../src/cli/paper-bench.js';

describe('exoscope bench --paper', () => {
  it('measures the rows whose programs are built, checks their results, and lists the others', () => {
    const { results, missing } = runPaperBench();
    const names = results.map((r) => r.operation);
    expect(names).toContain('exception dispatch');
    expect(names.some((n) => n.startsWith('udp round trip'))).toBe(true);
    for (const r of results) {
      expect(r.ok, `${r.operation}: ${r.console.slice(-200)}`).toBe(true);
      expect(r.us).toBeGreaterThan(0);
    }
    expect(names).toEqual(expect.arrayContaining(['pipe', "pipe'", 'shm', 'lrpc', 'dirty', 'prot1', 'prot100', 'unprot100', 'trap', 'appel1', 'appel2']));
    expect(missing).toEqual([]);
    expect(tableData(results)[0]).toHaveProperty('ours (us)');
  }, 120_000);
});
