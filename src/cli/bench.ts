// `exoscope bench --paper`: the tables (ink-table, rendered to a string) or JSON.

import { type PaperResult, runPaperBench } from './paper-bench.js';
import { classifyData, classifyNotes, runClassifyBench } from './paper-dpf.js';
import { explainData, explainNotes, exosParts } from './paper-explain.js';
import { paperNotes, tableData, whereData } from './paper-table.js';

/** A result without its consoles (the JSON's row). */
function jsonRow({ console: _c, mono, ...r }: PaperResult): object {
  if (!mono) return r;
  const { console: _m, ...m } = mono;
  return { ...r, mono: m };
}

/** Renders ink-table data to text. */
async function render(data: Record<string, string>[]): Promise<string> {
  const React = (await import('react')).default;
  const { renderToString } = await import('ink');
  const { Table } = await import('@alcalzone/ink-table');
  // ink-table's class types predate React 19's; the component itself works with it.
  const TableFC = Table as unknown as (p: { data: Record<string, string>[] }) => null;
  return renderToString(React.createElement(TableFC, { data }), { columns: 240 }) + '\n';
}

/**
 * Runs the paper benchmarks on both kernels and the classification
 * comparison, and prints them (with `explain`, the sensitivity of each row
 * too); returns the exit status (1 when a program's check failed).
 */
export async function paperBenchCommand(json: boolean, out: (t: string) => void, explain = false): Promise<number> {
  const { results, missing } = runPaperBench();
  const classification = runClassifyBench();
  if (json) {
    const sensitivity = explain ? { sensitivity: Object.fromEntries(results.map((r) => [r.operation, exosParts(r)])) } : {};
    out(JSON.stringify({ results: results.map(jsonRow), missing, classification, ...sensitivity }, null, 2) + '\n');
  } else {
    out(await render(tableData(results)));
    out('Where the cycles go (per operation):\n');
    out(await render(whereData(results)));
    for (const line of paperNotes(results)) out(line + '\n');
    if (missing.length) out(`Not measured (program not built or no timed window): ${missing.join(', ')}\n`);
    out('\n' + await render(classifyData(classification)));
    for (const line of classifyNotes()) out(line + '\n');
    if (explain) {
      out('\n' + await render(explainData(results)));
      for (const line of explainNotes()) out(line + '\n');
    }
  }
  const ok = results.length > 0 && results.every((r) => r.ok) && classification.every((c) => c.agree);
  return ok ? 0 : 1;
}
