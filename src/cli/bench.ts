// `exoscope bench --paper`: the table (ink-table, rendered to a string) or JSON.

import { paperNotes, runPaperBench, tableData } from './paper-bench.js';

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
    for (const line of paperNotes(results)) out(line + '\n');
    if (missing.length) out(`Not measured (program not built or no timed window): ${missing.join(', ')}\n`);
  }
  return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
}
