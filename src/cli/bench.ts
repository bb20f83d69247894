// `exoscope bench --paper`: the table (ink-table, rendered to a string) or JSON.

import { runPaperBench, tableData } from './paper-bench.js';

/** Runs the paper benchmarks and prints them; returns the exit status (1 when a program's check failed). */
export async function paperBenchCommand(json: boolean, out: (t: string) => void): Promise<number> {
  const { results, missing } = runPaperBench();
  if (json) {
    out(JSON.stringify({ results: results.map(({ console: _c, ...r }) => r), missing }, null, 2) + '\n');
  } else {
    const React = (await import('react')).default;
    const { renderToString } = await import('ink');
    const { Table } = await import('@alcalzone/ink-table');
    // ink-table's class types predate React 19's; the component itself works with it.
    const TableFC = Table as unknown as (p: { data: Record<string, string>[] }) => null;
    out(renderToString(React.createElement(TableFC, { data: tableData(results) }), { columns: 200 }) + '\n');
    out('Emulated microseconds at 25 MHz; the paper: DECstation 5000, ExOS and Ultrix (reference/exokernel.md).\n');
    out('Kernel cycles by path (per operation): event counts in the timed window times the constants of src/exokernel/costs.ts;\n');
    out('sys system call, disp exception dispatch, upc upcall, stlb/gref refill from the STLB or a guaranteed mapping, ctx context switch, map tlb_map.\n');
    out('* udp-ping to the peer host on the wire, which answers after 100 us; the paper measured two DECstations.\n');
    out('The paper has no figures for the Appel-Li rows in reference/exokernel.md; prot100/unprot100 are per 100 pages.\n');
    if (missing.length) out(`Not measured (program not built or no timed window): ${missing.join(', ')}\n`);
  }
  return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
}
