// The environments pane's view model: one row per environment and the
// selected one's contexts (handlers, save area, guaranteed mappings) and
// counters. The selection it shows drives the per-environment panes.

import type { Snapshot } from '../../session/index.js';
import { clip, fit, hex, num, right, windowOf } from '../format.js';

export interface EnvRow {
  readonly text: string;
  readonly selected: boolean;
  readonly current: boolean;
  readonly destroyed: boolean;
}

export interface EnvsView {
  readonly info: string;
  readonly header: string;
  readonly rows: readonly EnvRow[];
  readonly detail: readonly string[];
}

const HEADER = ' id name     state      asid frames guar    disp     sys';

function rowText(e: Snapshot['envs'][number]): string {
  const c = e.counters;
  return `${e.current ? '>' : ' '}${right(String(e.id), 2)} ${fit(e.name, 8)} ${fit(e.state, 10)} ${right(e.asid < 0 ? '-' : String(e.asid), 4)} ${right(String(e.framesOwned), 6)} ${right(String(e.guaranteed), 4)} ${right(num(c.dispatches ?? 0), 7)} ${right(num(c.syscalls ?? 0), 7)}`;
}

/** `head` then `items` joined by ", ", broken between items only; later lines indented. */
function list(head: string, items: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = head;
  items.forEach((it, i) => {
    const piece = it + (i < items.length - 1 ? ',' : '');
    if (line.trim() && line.length + 1 + piece.length > width) { out.push(line); line = '  ' + piece; }
    else line = line ? `${line} ${piece}` : piece;
  });
  out.push(line);
  return out.map((l) => clip(l, width));
}

/** The selected environment's contexts and counters, fitting `width`. */
function detailLines(e: Snapshot['envs'][number], width: number): string[] {
  const handlers = e.handlers.map((h) => `${h.exc} ${hex(h.pc)}`);
  const counters = Object.entries(e.counters).map(([k, v]) => `${k} ${num(v)}`);
  return [
    ...list(`${e.name} (env ${e.id}) ${e.state}${e.reason ? `: ${e.reason}` : ''}`, [], width),
    ...list('exception context:', [`save area ${hex(e.saveArea)}`, `handlers ${handlers.join(' ') || 'none'}`], width),
    ...list('addressing context:', [`asid ${e.asid < 0 ? '-' : e.asid}`, `${e.guaranteed} guaranteed mappings`, `${e.stlb.length} STLB entries`, `${e.framesOwned} frames`], width),
    ...list('counters:', counters, width),
  ];
}

/**
 * The environments view for `selected`, fitting `width` x `height`: the
 * table first (kept around the selection when it is long), then as much of
 * the detail as fits.
 */
export function selectEnvs(s: Snapshot, selected: string | undefined, width: number, height: number): EnvsView {
  const sel = s.envs.find((e) => e.name === selected);
  const detail = sel ? detailLines(sel, width) : [];
  const tableRows = Math.max(1, Math.min(s.envs.length, height - 1 - Math.min(detail.length, Math.max(0, height - 1 - s.envs.length))));
  const at = Math.max(0, s.envs.findIndex((e) => e.name === selected));
  const win = windowOf(s.envs, at - Math.floor(tableRows / 2), tableRows);
  const rows = win.items.map((e) => ({ text: clip(rowText(e), width), selected: e.name === selected, current: e.current, destroyed: e.state === 'destroyed' }));
  const room = Math.max(0, height - 1 - rows.length);
  const live = s.envs.filter((e) => e.state !== 'destroyed').length;
  return { info: `${live} of ${s.envs.length} alive; selected ${sel?.name ?? '(none)'}`, header: clip(HEADER, width), rows, detail: detail.slice(0, room) };
}

/** Environment names in id order, and the one the selection falls back to. */
export function envChoices(s: Snapshot): { names: string[]; fallback: string | undefined } {
  const names = [...s.envs].sort((a, b) => a.id - b.id).map((e) => e.name);
  return { names, fallback: s.envs.find((e) => e.current)?.name ?? names[0] };
}
