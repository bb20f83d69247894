// Key handling as a pure function: a key name and the state in, the new
// state and the effects on the machine out. The command table (keymap.ts)
// says which command a key is; this file says what each command does.

import { parseCommand, parseLogFilter, type LineCommand } from './commandline.js';
import { commandFor, type CommandId } from './keymap.js';
import { filterError } from './selectors/events.js';
import { MAX_ZOOM } from './selectors/frames.js';
import { PANES, paneNumber, type PaneId } from './layout.js';
import { injectKey, openInject, type InjectForm } from './inject.js';
import { openRevoke, revokeKey, type RevokeForm } from './revoke.js';
import { ANCHOR, envMoved, HISTORY_MAX, navOf, normal, scrolled, selectedEnv, type KeyContext, type MenuItem, type Mode, type PromptKind, type UiState } from './ui-state.js';
import { complete } from './complete.js';

/** What the machine must do; the container hands these to the driver. */
export type Effect =
  | { readonly kind: 'stepOver' }
  | { readonly kind: 'toggleBreak'; readonly item: MenuItem }
  | { readonly kind: 'line'; readonly command: LineCommand }
  | { readonly kind: 'quit'; readonly status: number };

export interface KeyResult {
  readonly ui: UiState;
  readonly effects: readonly Effect[];
}

/** Exit status of a Ctrl-C quit (128 + SIGINT). */
export const INTERRUPT_STATUS = 130;

const none = (ui: UiState): KeyResult => ({ ui, effects: [] });
const line = (ui: UiState, command: LineCommand): KeyResult => ({ ui, effects: [{ kind: 'line', command }] });

/**
 * Handles one key (keys.ts spelling). Ctrl-C quits from any mode; otherwise
 * the mode decides: prompts take text, menus and overlays take their own
 * keys, normal mode looks the key up in the command table.
 */
export function handleKey(ui: UiState, key: string, ctx: KeyContext): KeyResult {
  if (key === 'ctrl-c') return ctx.travelling ? line(normal(ui), { kind: 'pause' }) : { ui, effects: [{ kind: 'quit', status: INTERRUPT_STATUS }] };
  const m = ui.mode;
  switch (m.kind) {
    case 'normal': return normalKey({ ...ui, message: undefined }, key, ctx);
    case 'prompt': return promptKey(ui, m.prompt, m.text, key, ctx);
    case 'menu': return menuKey(ui, m.cursor, key, ctx);
    case 'confirm': return key === 'y' || key === 'Y' ? confirmed(ui, m) : none(normal(ui, 'Cancelled'));
    case 'revoke': return revokeDialogKey(ui, m.form, key, ctx);
    case 'inject': return injectDialogKey(ui, m.form, key);
    case 'help': case 'popup': return overlayKey(ui, m, key, ctx);
    case 'intro': return introKey(ui, key, ctx);
  }
}

function normalKey(ui: UiState, key: string, ctx: KeyContext): KeyResult {
  const cmd = commandFor(key);
  const base = normal(ui);
  if (key === 'escape' && ctx.travelling) return line(base, { kind: 'pause' });
  if (!cmd) return none(key === 'escape' ? base : normal(ui, `No command on ${key}: ? shows the keys`, true));
  return command(base, cmd.id, key, ctx);
}

function command(ui: UiState, id: CommandId, key: string, ctx: KeyContext): KeyResult {
  const env = selectedEnv(ui, ctx.envs, ctx.defaultEnv);
  switch (id) {
    case 'step': return line(ui, { kind: 'step', n: 1 });
    case 'stepBack': return line(ui, { kind: 'stepBack', n: 1 });
    case 'reverseContinue': return line(ui, { kind: 'reverseContinue' });
    case 'reverseNext': return line(ui, { kind: 'reverseNext' });
    case 'stepOver': return { ui, effects: [{ kind: 'stepOver' }] };
    case 'continue': return line(ui, { kind: 'continue' });
    case 'pause': return line(ui, { kind: 'pause' });
    case 'travelTo': return ui.focus === 'log' && ui.logCursor !== undefined ? line(ui, { kind: 'gotoEvent', index: ui.logCursor })
      : none(normal(ui, 'Enter travels to the event selected in the log: focus the log, select one with j/k', true));
    case 'faster': return line(ui, { kind: 'pace', delta: -1 });
    case 'slower': return line(ui, { kind: 'pace', delta: 1 });
    case 'restart': return line(ui, { kind: 'restart' });
    case 'breakMenu': return none({ ...ui, mode: { kind: 'menu', cursor: 0 } });
    case 'breakAt': return prompt(ui, 'break', '');
    case 'filter': return prompt(ui, 'filter', '');
    case 'command': return prompt(ui, 'command', '');
    case 'kill': return none(env ? { ...ui, mode: { kind: 'confirm', action: 'kill', env } } : normal(ui, 'No environment to kill', true));
    case 'revoke': {
      const form = openRevoke(env, ctx.alive);
      return none(form ? { ...ui, mode: { kind: 'revoke', form } } : normal(ui, 'No live environment to revoke from', true));
    }
    case 'inject': return none({ ...ui, mode: { kind: 'inject', form: openInject() } });
    case 'quit': return ctx.running ? none({ ...ui, mode: { kind: 'confirm', action: 'quit' } }) : { ui, effects: [{ kind: 'quit', status: 0 }] };
    case 'interrupt': return { ui, effects: [{ kind: 'quit', status: INTERRUPT_STATUS }] };
    case 'help': return none({ ...ui, mode: { kind: 'help', scroll: 0 } });
    case 'machineNext': return line(ui, { kind: 'machine' });
    case 'envNext': return none(envMoved(ui, ctx, 1));
    case 'envPrev': return none(envMoved(ui, ctx, -1));
    case 'focusNext': case 'focusPrev': {
      const i = PANES.indexOf(ui.focus) + (id === 'focusNext' ? 1 : -1);
      return none({ ...ui, focus: PANES[(i + PANES.length) % PANES.length] });
    }
    case 'focusPane': return none({ ...ui, focus: PANES.find((p) => String(paneNumber(p)) === key.replace(/^M-/, '')) ?? ui.focus });
    case 'finish': return line(ui, { kind: 'finish' });
    case 'untilCursor': return ctx.cpuCursor === undefined
      ? none(normal(ui, 'u runs to the instruction under the CPU pane\'s cursor: show the CPU pane (1) and move its cursor with j/k', true))
      // The cursor goes back to the pc, which is where it was once the run gets there.
      : line({ ...ui, scroll: { ...ui.scroll, cpu: 0 } }, { kind: 'until', at: { kind: 'addr', addr: ctx.cpuCursor } });
    case 'zoom': return none({ ...ui, zoom: !ui.zoom });
    case 'mapIn': return none({ ...ui, mapZoom: Math.min(MAX_ZOOM, ui.mapZoom + 1) });
    case 'mapOut': return none({ ...ui, mapZoom: Math.max(0, ui.mapZoom - 1) });
    case 'allEnvs': return none({ ...ui, allEnvs: !ui.allEnvs, scroll: { ...ui.scroll, tlb: 0, frames: 0 } });
    default: return none(scroll(ui, id, ctx));
  }
}

/** Scrolling commands on the focused pane. */
function scroll(ui: UiState, id: CommandId, ctx: KeyContext): UiState {
  const p: PaneId = ui.focus;
  const anchor = ANCHOR[p];
  const page = Math.max(1, (ctx.pageSize[p] ?? 10) - 1);
  const down = id === 'down' ? 1 : id === 'up' ? -1 : id === 'pageDown' ? page : id === 'pageUp' ? -page : id === 'bottom' ? Infinity : -Infinity;
  if (anchor === 'select') return Number.isFinite(down) ? envMoved(ui, ctx, down) : { ...ui, env: down > 0 ? ctx.envs.at(-1) : ctx.envs[0] };
  if (p === 'log') return logMoved(ui, id, ctx);
  // The memory pane scrolls through the whole address space; g (or G) goes back to where :mem put it.
  if (p === 'memory') return { ...ui, scroll: { ...ui.scroll, memory: Number.isFinite(down) ? ui.scroll.memory + down : 0 } };
  const max = ctx.scrollMax[p] ?? 0;
  if (anchor === 'centre') return { ...ui, scroll: { ...ui.scroll, [p]: Number.isFinite(down) ? Math.max(-max, Math.min(max, ui.scroll[p] + down)) : down > 0 ? max : 0 } };
  const delta = anchor === 'bottom' ? -down : down;
  const from = ui.scroll[p];
  return scrolled(ui, p, Number.isFinite(delta) ? from + delta : delta > 0 ? max : 0, max);
}

/**
 * The log's selection moved by a scrolling command: up and down by a line
 * or a page among the events the log shows, to the oldest (top), or none
 * and following the newest (bottom). The first move selects the newest
 * line in view. The scroll offset moves as little as keeps it in view.
 */
function logMoved(ui: UiState, id: CommandId, ctx: KeyContext): UiState {
  const nav = ctx.log ?? navOf(ctx.logIndexes ?? []);
  const n = nav.matched;
  if (id === 'bottom' || !n) return { ...ui, logCursor: undefined, scroll: { ...ui.scroll, log: 0 } };
  const h = Math.max(1, ctx.pageSize.log ?? 10);
  const page = Math.max(1, h - 1);
  // The selected event's rank, or the latest before it when it no longer passes the filter.
  const cur = ui.logCursor === undefined ? -1 : nav.rank(ui.logCursor + 1) - 1;
  const from = cur >= 0 ? cur : Math.max(0, n - 1 - ui.scroll.log);
  const delta = cur < 0 ? 0 : id === 'down' ? 1 : id === 'up' ? -1 : id === 'pageDown' ? page : id === 'pageUp' ? -page : 0;
  const p = id === 'top' ? 0 : Math.max(0, Math.min(n - 1, from + delta));
  const offset = Math.max(0, n - h - p, Math.min(n - 1 - p, ui.scroll.log));
  return { ...ui, logCursor: nav.indexAt(p), scroll: { ...ui.scroll, log: offset } };
}

function prompt(ui: UiState, kind: PromptKind, text: string): KeyResult {
  return none({ ...ui, mode: { kind: 'prompt', prompt: kind, text }, message: undefined });
}

function promptKey(ui: UiState, kind: PromptKind, text: string, key: string, ctx: KeyContext): KeyResult {
  if (key === 'escape') return none(normal(ui));
  if (key === 'backspace') return text ? prompt(ui, kind, text.slice(0, -1)) : none(normal(ui));
  if (key === 'enter') return submit(remembered(normal(ui), kind, text), kind, text, ctx);
  if (key === 'tab') return completed(ui, kind, text, ctx);
  if (key === 'up' || key === 'down') return recalled(ui, kind, text, key === 'up' ? -1 : 1);
  const ch = key === 'space' ? ' ' : key;
  return ch.length === 1 ? prompt(ui, kind, text + ch) : none(ui);
}

/** `ui` with `text` added to prompt `kind`'s history (not a blank line, nor the last one again). */
function remembered(ui: UiState, kind: PromptKind, text: string): UiState {
  const list = ui.lineHistory[kind];
  if (!text.trim() || list[list.length - 1] === text) return ui;
  return { ...ui, lineHistory: { ...ui.lineHistory, [kind]: [...list, text].slice(-HISTORY_MAX) } };
}

/** ↑ (`dir` -1) and ↓ (1): the prompt's earlier and later entries; past the newest, back to what was being typed. */
function recalled(ui: UiState, kind: PromptKind, text: string, dir: -1 | 1): KeyResult {
  const m = ui.mode, list = ui.lineHistory[kind];
  if (m.kind !== 'prompt') return none(ui);
  const at = m.recall ?? list.length, draft = m.recall === undefined ? text : m.draft ?? '';
  const next = Math.max(0, Math.min(list.length, at + dir));
  if (next === at) return none(ui);
  const mode = next === list.length ? { kind: 'prompt' as const, prompt: kind, text: draft } : { kind: 'prompt' as const, prompt: kind, text: list[next], recall: next, draft };
  return none({ ...ui, mode });
}

/** Tab: the last word completed (complete.ts); when it stays ambiguous, the choices on the bottom line. */
function completed(ui: UiState, kind: PromptKind, text: string, ctx: KeyContext): KeyResult {
  const c = complete(kind, text, { envs: ctx.envs, eventKinds: ctx.eventKinds, symbols: ctx.symbols });
  if (c.choices.length) {
    const shown = c.choices.length > 40 ? [...c.choices.slice(0, 40), `... ${c.choices.length - 40} more`] : c.choices;
    return none({ ...ui, mode: { kind: 'prompt', prompt: kind, text }, message: { text: shown.join('  '), error: false } });
  }
  return prompt(ui, kind, c.text);
}

function submit(ui: UiState, kind: PromptKind, text: string, ctx: KeyContext): KeyResult {
  if (kind === 'filter') return filtered(ui, text, ctx);
  if (kind === 'break' && !text.trim()) return none(ui);
  const parsed = parseCommand(kind === 'break' ? `break ${text}` : text);
  if ('error' in parsed) return none(normal(ui, parsed.error, true));
  return runLine(ui, parsed, ctx);
}

/** The log filtered by `text` and focused, or an error message when the filter names an unknown kind or environment. */
function filtered(ui: UiState, text: string, ctx: KeyContext): KeyResult {
  const filter = parseLogFilter(text);
  const error = filterError(filter, ctx.envs, ctx.eventKinds);
  if (error) return none(normal(ui, error, true));
  return none({ ...ui, filter, focus: 'log', scroll: { ...ui.scroll, log: 0 } });
}

/** A parsed command line: those about the view are done here, the rest go to the machine. */
export function runLine(ui: UiState, c: LineCommand, ctx: KeyContext): KeyResult {
  switch (c.kind) {
    case 'env':
      return none(ctx.envs.includes(c.env) ? { ...ui, env: c.env } : normal(ui, `No environment ${c.env}: there are ${ctx.envs.join(', ') || 'none'}`, true));
    case 'filter': return filtered(ui, c.text, ctx);
    case 'mem': return none({ ...ui, memAt: c.at, focus: 'memory', scroll: { ...ui.scroll, memory: 0 } });
    case 'help': return none({ ...ui, mode: { kind: 'help', scroll: 0 } });
    case 'quit': return { ui, effects: [{ kind: 'quit', status: 0 }] };
    default: return line(ui, c);
  }
}

function menuKey(ui: UiState, cursor: number, key: string, ctx: KeyContext): KeyResult {
  const last = Math.max(0, ctx.menu.length - 1);
  const at = (c: number) => none({ ...ui, mode: { kind: 'menu', cursor: Math.max(0, Math.min(last, c)) } });
  switch (key) {
    case 'j': case 'down': return at(cursor + 1);
    case 'k': case 'up': return at(cursor - 1);
    case 'pagedown': return at(cursor + 10);
    case 'pageup': return at(cursor - 10);
    case 'g': case 'home': return at(0);
    case 'G': case 'end': return at(last);
    case 'space': case 'enter': case 'x': {
      const item = ctx.menu[cursor];
      return item ? { ui, effects: [{ kind: 'toggleBreak', item }] } : none(ui);
    }
    case 'escape': case 'e': case 'q': return none(normal(ui));
    default: return none(ui);
  }
}

/** A key in the revocation dialog: it edits the form, cancels, or sends the `:revoke` command. */
function revokeDialogKey(ui: UiState, form: RevokeForm, key: string, ctx: KeyContext): KeyResult {
  const step = revokeKey(form, key, ctx.alive);
  if (step.kind === 'cancel') return none(normal(ui, 'Revocation cancelled'));
  if (step.kind === 'submit') return line(normal(ui), step.command);
  return none({ ...ui, mode: { kind: 'revoke', form: step.form } });
}

/** A key in the inject dialog: it edits the form, cancels, or sends the `:inject` command. */
function injectDialogKey(ui: UiState, form: InjectForm, key: string): KeyResult {
  const step = injectKey(form, key);
  if (step.kind === 'cancel') return none(normal(ui, 'Injection cancelled'));
  if (step.kind === 'submit') return line(normal(ui), step.command);
  return none({ ...ui, mode: { kind: 'inject', form: step.form } });
}

function confirmed(ui: UiState, m: Extract<Mode, { kind: 'confirm' }>): KeyResult {
  if (m.action === 'quit') return { ui: normal(ui), effects: [{ kind: 'quit', status: 0 }] };
  return line(normal(ui), { kind: 'kill', env: m.env ?? '' });
}

/** A key on the first screen: the run, help and quit commands do their work; any other key only closes it. */
function introKey(ui: UiState, key: string, ctx: KeyContext): KeyResult {
  const id = commandFor(key)?.id;
  if (id === 'continue' || id === 'step' || id === 'help' || id === 'quit') return command(normal(ui), id, key, ctx);
  return none(normal(ui));
}

function overlayKey(ui: UiState, m: Extract<Mode, { kind: 'help' | 'popup' }>, key: string, ctx: KeyContext): KeyResult {
  const page = Math.max(1, ctx.overlayPage - 1);
  const moves: Record<string, number> = { j: 1, down: 1, k: -1, up: -1, pagedown: page, space: page, pageup: -page, g: -Infinity, home: -Infinity, G: Infinity, end: Infinity };
  const d = moves[key];
  if (d !== undefined) {
    const s = Math.max(0, Math.min(ctx.overlayMax, m.scroll + d));
    return none({ ...ui, mode: { ...m, scroll: Number.isFinite(s) ? s : 0 } });
  }
  if (key === 'escape' || key === 'q' || key === 'enter' || (m.kind === 'help' && key === '?')) return none(normal(ui));
  return none(ui);
}
