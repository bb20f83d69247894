// The scenario pane's view model: what the scenario is (its description),
// how long it runs, and each expectation with its verdict so far (pending,
// holds, failed and why), as the scenario's run keeps them
// (session/expect.ts: Expectations.verdicts).

import type { ScenarioView, Verdict } from '../../session/index.js';
import { clip, num, windowOf, wrap } from '../format.js';

export type ScenarioLineKind = 'text' | 'heading' | 'dim' | Verdict;

export interface ScenarioLine { readonly text: string; readonly kind: ScenarioLineKind }

export interface ScenarioPaneView {
  readonly info: string;
  readonly lines: readonly ScenarioLine[];
  readonly offset: number;
  readonly max: number;
}

const MARK: Readonly<Record<Verdict, string>> = { holds: '✓ holds  ', pending: '… pending', failed: '✗ failed ' };

/** "5 hold, 3 pending, 1 failed" (the counts that are not zero). */
export function verdictCounts(sc: ScenarioView): string {
  const n = (v: Verdict) => sc.expectations.filter((x) => x.verdict === v).length;
  const parts = [[n('holds'), 'hold'], [n('pending'), 'pending'], [n('failed'), 'failed']] as const;
  return parts.filter(([c]) => c > 0).map(([c, w]) => `${c} ${w}`).join(', ') || 'none';
}

/**
 * Every line of the pane, `width` wide, before scrolling: the verdicts
 * first (one line each, so a short pane shows them all; a failed one
 * wrapped in full with why and where it was written), then what the
 * scenario is and how long it runs.
 */
function allLines(sc: ScenarioView, width: number): ScenarioLine[] {
  const out: ScenarioLine[] = [];
  const add = (text: string, kind: ScenarioLineKind, indent = '') => wrap(text, Math.max(10, width - indent.length)).forEach((l, i) => out.push({ text: clip(i ? indent + l : l, width), kind }));
  out.push({ text: clip(`Expectations: ${sc.expectations.length ? verdictCounts(sc) : 'none'}`, width), kind: 'heading' });
  const pad = ' '.repeat(MARK.holds.length + 1);
  for (const x of sc.expectations) {
    const line = `${MARK[x.verdict]} ${x.text}${x.why ? `: ${x.why}` : ''}`;
    if (x.verdict === 'failed') add(`${line} (${x.at})`, 'failed', pad);
    else out.push({ text: clip(line, width), kind: x.verdict });
  }
  out.push({ text: '', kind: 'text' });
  if (sc.description) add(sc.description, 'text');
  add(sc.limit === Infinity ? 'It runs on for as long as you watch (replay checks it to its run limit).' : `It runs to cycle ${num(sc.limit)}.`, 'dim');
  return out;
}

/** The scenario pane, `height` lines from `scroll` down; a session opened without a scenario says so. */
export function selectScenario(sc: ScenarioView | undefined, scroll: number, width: number, height: number): ScenarioPaneView {
  if (!sc) return { info: 'no scenario', lines: [{ text: 'This session plays no scenario.', kind: 'dim' }], offset: 0, max: 0 };
  const win = windowOf(allLines(sc, width), scroll, Math.max(0, height));
  return { info: `${sc.name}: ${verdictCounts(sc)}${win.offset ? `, ${win.offset} down` : ''}`, lines: win.items, offset: win.offset, max: win.max };
}
