// View models of everything around the panes: the status line, the tab bar
// of the compact layout, the bottom line (legend, message or prompt), the
// break-on menu and the help overlay.

import type { Breakpoint, RunStatus, Snapshot } from '../../session/index.js';
import { MONO_EVENT_KINDS, MONO_EVENTS } from '../../session/index.js';
import { LINE_COMMANDS } from '../commandline.js';
import { clip, fit, fitWords, hex, num, wrap } from '../format.js';
import { helpRows, legendEntries } from '../keymap.js';
import { PANE_TITLES, PANES, paneNumber, type PaneId } from '../layout.js';
import { EVENT_KINDS, EXCEPTIONS, NETWORK_KINDS, REVOCATION_KINDS, type EventKind } from '../names.js';
import type { MenuItem, Mode, UiState } from '../ui-state.js';
import { injectHint } from './inject.js';
import { revokeHint } from './revoke.js';

export interface StatusView {
  readonly running: boolean;
  /** "running", "breakpoint", "step", ... */
  readonly state: string;
  readonly left: string;
  readonly right: string;
}

/**
 * The status line within `width`: the run state, stop reason and pace on
 * the left, the clock and the pc on the right. When it is narrow, the
 * pace's rate, the title, the instruction count, the cycle and the pace
 * go first, in that order.
 */
export function selectStatus(title: string, s: Snapshot, status: RunStatus, running: boolean, width: number, pace?: string): StatusView {
  const cur = s.envs.find((e) => e.current);
  const state = running ? `▶ running${status.detail ? ` (${status.detail})` : ''}` : `■ ${status.reason}: ${status.detail}`;
  const who = s.mono ? (s.mono.current.pid ? `${s.mono.current.name}:${s.mono.current.pid}` : 'kernel') : cur ? cur.name : 'idle';
  const where = `${who} @ ${hex(s.cpu.pc)}`;
  const full = pace === undefined ? state : `${state} · pace ${pace}`;
  const short = pace === undefined ? state : `${state} · pace ${pace.replace(/ \(.*\)$/, '')}`;
  const tries: [string, string][] = [
    [`${title} │ ${full}`, `cycle ${num(s.cycle)}  insn ${num(s.instret)}  ${where}`],
    [`${title} │ ${short}`, `cycle ${num(s.cycle)}  insn ${num(s.instret)}  ${where}`],
    [short, `cycle ${num(s.cycle)}  insn ${num(s.instret)}  ${where}`],
    [short, `cycle ${num(s.cycle)}  ${where}`],
    [short, where],
    [state, where],
  ];
  for (const [left, right] of tries) {
    if (left.length + 2 + right.length <= width) return { running, state: status.reason, left: fit(left, width - right.length - 2), right };
  }
  const right = tries[tries.length - 1][1];
  return { running, state: status.reason, left: fit(state, width - right.length - 2), right };
}

/** A tab of the tab bar: its label, and whether its pane is focused and on screen. */
export interface Tab { readonly label: string; readonly focused: boolean; readonly shown: boolean }

/** Shorter titles for a tab bar that the full ones would overflow (80 columns). */
const SHORT_TITLES: Partial<Record<PaneId, string>> = { tlb: 'TLB', console: 'Cons', scenario: 'Scen', memory: 'Mem' };

/**
 * The tab bar's tabs: "1 CPU", "2 TLB/STLB", ... with the focused one and
 * those on screen marked; within `width`, shorter titles ("2 TLB", "9 Scen")
 * when the full ones do not fit. `titles` replaces some (the monolithic
 * kernel's panes).
 */
export function selectTabs(focus: PaneId, shown: ReadonlySet<PaneId>, width = Infinity, titles: Partial<Record<PaneId, string>> = {}): Tab[] {
  const tabs = (short: boolean) => PANES.map((p) => ({ label: `${paneNumber(p)} ${titles[p] ?? ((short && SHORT_TITLES[p]) || PANE_TITLES[p])}`, focused: p === focus, shown: shown.has(p) }));
  const long = tabs(false);
  return long.reduce((n, t) => n + t.label.length + 2, 0) <= width ? long : tabs(true);
}

export interface BottomView {
  readonly kind: 'legend' | 'message' | 'error' | 'prompt' | 'question' | 'hint';
  readonly text: string;
}

const PROMPTS = { command: ':', filter: 'filter (kind:<kind> env:<name> words)> /', break: 'break at <addr|symbol> [env]> ' } as const;

/** The bottom line for the mode: a prompt, a question, a hint, the last message, or the key legend. */
export function selectBottom(ui: UiState, width: number): BottomView {
  const m: Mode = ui.mode;
  switch (m.kind) {
    case 'prompt': {
      const p = PROMPTS[m.prompt];
      const room = Math.max(1, width - p.length - 1);
      const line = p + m.text.slice(-room) + '█';
      // Tab's choices, when the word is still ambiguous, after the cursor as far as they fit.
      return { kind: 'prompt', text: ui.message ? clip(`${line}  ${ui.message.text}`, width) : line };
    }
    case 'confirm': return { kind: 'question', text: clip(m.action === 'kill' ? `Kill environment ${m.env}? (y/n)` : 'The machine is running. Quit? (y/n)', width) };
    case 'menu': return { kind: 'hint', text: clip('j/k move  space toggle (every environment)  Esc close', width) };
    case 'revoke': return { kind: m.form.confirming ? 'question' : 'hint', text: clip(revokeHint(m.form), width) };
    case 'inject': return { kind: 'hint', text: clip(injectHint(), width) };
    case 'help': return { kind: 'hint', text: clip('j/k PgUp/PgDn scroll  ? or Esc close', width) };
    case 'intro': return { kind: 'hint', text: clip('c starts the machine  ? keys  q quits  any other key closes this', width) };
    case 'popup': return { kind: 'hint', text: clip('j/k PgUp/PgDn scroll  Esc close', width) };
    case 'normal':
      if (ui.message) return { kind: ui.message.error ? 'error' : 'message', text: clip(ui.message.text, width) };
      return { kind: 'legend', text: fitWords(legendEntries(), width) };
  }
}

/**
 * The break-on menu's rows, each on or off: every exception code, then the
 * event kinds of revocation, repossession and the CPU, then the network's
 * (packets delivered and dropped, ASHes), then every other event kind.
 */
export function selectMenuItems(bps: readonly (readonly [number, Breakpoint])[], mono = false): MenuItem[] {
  const all = bps.map(([, b]) => b).filter((b) => b.env === undefined);
  const exc = EXCEPTIONS.map((e, i) => ({
    spec: { kind: 'exception' as const, code: e.code }, label: e.name, what: e.what,
    on: all.some((b) => b.kind === 'exception' && b.code === e.code), heading: i === 0 ? 'Exceptions (Cause.ExcCode)' : undefined,
  }));
  const what = new Map(EVENT_KINDS.map((k) => [k.kind, k.what]));
  const events = (kinds: readonly EventKind[], heading: string) => kinds.map((kind, i) => ({
    spec: { kind: 'event' as const, event: kind }, label: kind, what: what.get(kind) ?? '',
    on: all.some((b) => b.kind === 'event' && b.event === kind), heading: i === 0 ? heading : undefined,
  }));
  if (mono) {
    // The monolithic kernel's own kinds (MONO_EVENTS): an exokernel event never comes there.
    return [...exc, ...MONO_EVENT_KINDS.map((kind, i) => ({
      spec: { kind: 'event' as const, event: kind }, label: kind, what: MONO_EVENTS[kind].what,
      on: all.some((b) => b.kind === 'event' && b.event === kind), heading: i === 0 ? 'The monolithic kernel\'s events (read from its memory)' : undefined,
    }))];
  }
  const rest = EVENT_KINDS.map((k) => k.kind).filter((k) => !REVOCATION_KINDS.includes(k) && !NETWORK_KINDS.includes(k));
  return [...exc, ...events(REVOCATION_KINDS, 'Revocation, repossession and the CPU (kernel events)'),
    ...events(NETWORK_KINDS, 'Network (packet filter, ASHes)'), ...events(rest, 'Other kernel events')];
}

export interface MenuRow { readonly text: string; readonly kind: 'heading' | 'item'; readonly cursor: boolean; readonly on: boolean }

/** The menu's rows around `cursor`, headings included, fitting `height` x `width`. */
export function selectMenu(items: readonly MenuItem[], cursor: number, width: number, height: number): MenuRow[] {
  const rows: MenuRow[] = [];
  let at = 0;
  items.forEach((it, i) => {
    if (it.heading) rows.push({ text: clip(it.heading, width), kind: 'heading', cursor: false, on: false });
    if (i === cursor) at = rows.length;
    rows.push({ text: clip(`${it.on ? '[x]' : '[ ]'} ${it.label.padEnd(18)} ${it.what}`, width), kind: 'item', cursor: i === cursor, on: it.on });
  });
  const h = Math.max(1, height);
  const start = Math.max(0, Math.min(rows.length - h, at - Math.floor(h / 2)));
  return rows.slice(start, start + h);
}

/** "  left  help", the help wrapped under itself when it is long. */
function helpEntry(left: string, help: string, width: number): { text: string; heading: boolean }[] {
  const indent = left.length + 3;
  return wrap(help, Math.max(10, width - indent)).map((l, i) => ({ text: clip(`${i ? ' '.repeat(indent) : `  ${left} `}${l}`, width), heading: false }));
}

/** The help overlay's lines, `width` wide: the command table, then the command line's commands. */
export function helpLines(width: number): { text: string; heading: boolean }[] {
  const out: { text: string; heading: boolean }[] = [];
  let group = '';
  for (const r of helpRows()) {
    if (r.group !== group) { group = r.group; out.push({ text: group, heading: true }); }
    out.push(...helpEntry(r.keys.padEnd(14), r.help, width));
  }
  out.push({ text: 'Command line (:)', heading: true });
  for (const c of LINE_COMMANDS) out.push(...helpEntry(c.usage.padEnd(34), c.help, width));
  return out;
}
