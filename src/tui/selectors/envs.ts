// The environments pane's view model: one row per environment and the
// selected one's contexts (handlers and save area; the interrupt,
// revocation and protected entry contexts its upcalls make; guaranteed
// mappings), its share of the CPU, a pending revocation, and counters.
// The selection it shows drives the per-environment panes.

import type { EnvView, Snapshot } from '../../session/index.js';
import { clip, fit, hex, num, percent, right, windowOf } from '../format.js';

export interface EnvRow {
  /** The environment's id: its look comes from the palette (theme.ts). */
  readonly id: number;
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

/** The table's header, its id column `idWidth` wide. */
const header = (idWidth: number) => `${' '.repeat(idWidth - 1)}id name     state      asid frames slot   cpu% guar    disp     sys`;

/** ">" before the id (`idWidth` columns: as wide as the largest id, at least 2): on the CPU; "!" after the state: a revocation is pending. */
function rowText(e: EnvView, cycle: number, idWidth: number): string {
  const c = e.counters;
  const state = `${e.state}${e.revoke ? '!' : ''}`;
  return `${e.current ? '>' : ' '}${right(String(e.id), idWidth)} ${fit(e.name, 8)} ${fit(state, 10)} ${right(e.asid < 0 ? '-' : String(e.asid), 4)} ${right(String(e.framesOwned), 6)} ${right(String(e.slots), 4)} ${right(percent(e.cpuCycles, cycle), 6)} ${right(String(e.guaranteed), 4)} ${right(num(c.dispatches ?? 0), 7)} ${right(num(c.syscalls ?? 0), 7)}`;
}

/**
 * The contexts the upcalls make (Aegis paper, sec. 5.3-5.5): the interrupt
 * context (prologue, epilogue), the revocation context (revoke,
 * repossess) and the protected entry context (pct).
 */
const CONTEXTS: readonly (readonly [string, readonly string[]])[] = [
  ['interrupt context:', ['prologue', 'epilogue']],
  ['revocation context:', ['revoke', 'repossess']],
  ['protected entry context:', ['pct']],
];

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

/** The upcall contexts `e` registered, one list each; "upcalls: none" when it has none. */
function upcallLines(e: EnvView, width: number): string[] {
  const pcs = new Map(e.upcalls.map((u) => [u.upcall, u.pc]));
  const out = CONTEXTS.flatMap(([head, kinds]) => {
    const have = kinds.filter((k) => pcs.has(k));
    return have.length ? list(head, have.map((k) => `${k} ${hex(pcs.get(k)!)}`), width) : [];
  });
  const other = e.upcalls.filter((u) => !CONTEXTS.some(([, kinds]) => kinds.includes(u.upcall)));
  if (other.length) out.push(...list('upcalls:', other.map((u) => `${u.upcall} ${hex(u.pc)}`), width));
  return out.length ? out : list('upcalls: none (the kernel saves it; the abort protocol takes what is asked)', [], width);
}

/** The pending revocation in words, with the cycles left before the abort protocol. */
function revokeLine(e: EnvView, cycle: number, width: number): string[] {
  const r = e.revoke;
  if (!r) return [];
  const left = r.deadline - cycle;
  return list('revocation pending:', [`${r.count} ${r.what} asked`, `${r.given} given back`, `deadline cycle ${num(r.deadline)} (${left > 0 ? `in ${num(left)}` : 'passed'})`], width);
}

/** waitingOn of an environment blocked in net_wait (exokernel/net.ts NET_WAIT). */
const NET_WAIT = -1;

/** What a waiting environment waits for: a PCT reply from another environment, or a packet or timeout (net_wait). */
function waitingText(on: number, s: Snapshot): string {
  if (on === NET_WAIT) return 'waiting for a packet or its timeout (net_wait)';
  const who = s.envs.find((x) => x.id === on)?.name;
  return on > 0 ? `waiting for ${who ?? `env ${on}`} to reply (PCT)` : 'waiting';
}

/** The selected environment's contexts and counters, fitting `width`; the most telling first. */
function detailLines(e: EnvView, s: Snapshot, width: number): string[] {
  const handlers = e.handlers.map((h) => `${h.exc} ${hex(h.pc)}`);
  const counters = Object.entries(e.counters).map(([k, v]) => `${k} ${num(v)}`);
  const waiting = e.state === 'waiting' ? [waitingText(e.waitingOn, s)] : [];
  return [
    ...list(`${e.name} (env ${e.id}) ${e.state}${e.reason ? `: ${e.reason}` : ''}`, [], width),
    ...revokeLine(e, s.cycle, width),
    ...list('scheduling:', [`${e.slots} ${e.slots === 1 ? 'slot' : 'slots'}`, `cpu ${percent(e.cpuCycles, s.cycle)} (${num(e.cpuCycles)} cycles)`, `overruns ${e.overruns}`, `penalty ${e.penalty} ticks`, ...waiting], width),
    ...list('exception context:', [`save area ${hex(e.saveArea)}`, `handlers ${handlers.join(' ') || 'none'}`], width),
    ...upcallLines(e, width),
    ...list('addressing context:', [`asid ${e.asid < 0 ? '-' : e.asid}`, `${e.guaranteed} guaranteed mappings`, `${e.stlb.length} STLB entries`, `${e.framesOwned} frames`], width),
    ...list('counters:', counters, width),
  ];
}

/**
 * The table's rows for `height` rows (the detail needing `detail` more):
 * every environment in id order when all fit; else the live ones first (in
 * id order), then the destroyed ones, latest first; from the top, scrolled
 * only as far as keeps the selection in view, with the detail given the rows the destroyed would take and
 * one row saying how many are not shown (on a long run the destroyed
 * outnumber the live many times over, and in id order they pushed the
 * live ones out of the pane).
 */
function tableOf(s: Snapshot, selected: string | undefined, detail: number, height: number): { envs: readonly EnvView[]; hidden: number } {
  const all = s.envs;
  // From the top (the live ones), scrolled only as far as the selection needs: centred on it, a window hid live environments above it behind destroyed ones below.
  const around = (list: readonly EnvView[], rows: number) => windowOf(list, Math.max(0, list.findIndex((e) => e.name === selected) - (rows - 1)), rows).items;
  if (all.length <= height - 1 || all.every((e) => e.state !== 'destroyed')) {
    const rows = Math.max(1, Math.min(all.length, height - 1 - Math.min(detail, Math.max(0, height - 1 - all.length))));
    return { envs: around(all, rows), hidden: 0 };
  }
  const live = all.filter((e) => e.state !== 'destroyed');
  const list = [...live, ...all.filter((e) => e.state === 'destroyed').reverse()];
  const rows = Math.max(2, height - 1 - Math.min(detail, Math.max(0, height - 2 - live.length)));
  const shown = around(list, rows - 1);
  return { envs: shown, hidden: list.length - shown.length };
}

/**
 * The environments view for `selected`, fitting `width` x `height`: the
 * table first (tableOf), then as much of the detail as fits.
 */
export function selectEnvs(s: Snapshot, selected: string | undefined, width: number, height: number): EnvsView {
  const sel = s.envs.find((e) => e.name === selected);
  const detail = sel ? detailLines(sel, s, width) : [];
  const table = tableOf(s, selected, detail.length, height);
  const idWidth = Math.max(2, ...table.envs.map((e) => String(e.id).length));
  const rows: EnvRow[] = table.envs.map((e) => ({ id: e.id, text: clip(rowText(e, s.cycle, idWidth), width), selected: e.name === selected, current: e.current, destroyed: e.state === 'destroyed' }));
  if (table.hidden) rows.push({ id: 0, text: clip(`    ${num(table.hidden)} more not shown (live ones first, then the latest destroyed)`, width), selected: false, current: false, destroyed: true });
  const room = Math.max(0, height - 1 - rows.length);
  const live = s.envs.filter((e) => e.state !== 'destroyed').length;
  const pending = s.envs.filter((e) => e.revoke).length;
  return { info: `${live} of ${s.envs.length} alive; selected ${sel?.name ?? '(none)'}${pending ? `; ! ${pending} revocation${pending > 1 ? 's' : ''} pending` : ''}`, header: clip(header(idWidth), width), rows, detail: detail.slice(0, room) };
}

/** Environment names in id order, those alive, and the one the selection falls back to. */
export function envChoices(s: Snapshot): { names: string[]; alive: string[]; fallback: string | undefined } {
  const byId = [...s.envs].sort((a, b) => a.id - b.id);
  const names = byId.map((e) => e.name);
  return { names, alive: byId.filter((e) => e.state !== 'destroyed').map((e) => e.name), fallback: s.envs.find((e) => e.current)?.name ?? names[0] };
}
