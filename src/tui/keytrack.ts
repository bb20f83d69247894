// A scenario's key track (docs/recording.md): the text of each `key` step,
// typed into the TUI as a person would type it. A character is that key
// (a space is `space`); `<name>` is a key that is not a character:
//
//   <enter> <esc> <tab> <s-tab> <space> <bs> <up> <down> <left> <right>
//   <pgup> <pgdn> <home> <end> <C-c> <M-0>..<M-9>, and <lt> for "<"
//
// The track is checked against the command table before anything is
// recorded: in normal mode a key must be bound to a command; in a prompt,
// a menu or a dialog the TUI takes any key.

import { formatLocation, type Scenario } from '../session/index.js';
import { handleKey } from './input.js';
import { commandFor } from './keymap.js';
import { selectMenuItems } from './selectors/chrome.js';
import { initialUi, type KeyContext, type UiState } from './ui-state.js';

/** `<name>` spellings and the key names (keys.ts spelling) they stand for. */
export const NAMED_KEYS: Readonly<Record<string, string>> = {
  enter: 'enter', esc: 'escape', escape: 'escape', tab: 'tab', 's-tab': 'shift-tab', 'shift-tab': 'shift-tab',
  space: 'space', bs: 'backspace', backspace: 'backspace', up: 'up', down: 'down', left: 'left', right: 'right',
  pgup: 'pageup', pageup: 'pageup', pgdn: 'pagedown', pagedown: 'pagedown', home: 'home', end: 'end',
  'c-c': 'ctrl-c', lt: '<',
};

const KNOWN = '<enter> <esc> <tab> <s-tab> <space> <bs> <up> <down> <left> <right> <pgup> <pgdn> <home> <end> <C-c> <M-0>..<M-9> <lt>';

/** The key names a key text stands for, or why it cannot be read. */
export function parseKeyText(text: string): { keys: string[] } | { error: string } {
  const keys: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '<') { keys.push(ch === ' ' ? 'space' : ch); continue; }
    const close = text.indexOf('>', i);
    if (close < 0) return { error: `"<" at column ${i + 1} opens a key name that is never closed (write <lt> for a "<")` };
    const name = text.slice(i + 1, close);
    const alt = /^M-(\d)$/.exec(name);
    const key = alt ? `M-${alt[1]}` : NAMED_KEYS[name.toLowerCase()];
    if (key === undefined) return { error: `unknown key <${name}> (known: ${KNOWN})` };
    keys.push(key);
    i = close;
  }
  return { keys };
}

/** What an xterm sends for the named keys (keys.ts spelling) that are not one character. */
const KEY_BYTES: Readonly<Record<string, string>> = {
  space: ' ', enter: '\r', escape: '\x1b', tab: '\t', 'shift-tab': '\x1b[Z', backspace: '\x7f', 'ctrl-c': '\x03',
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', pageup: '\x1b[5~', pagedown: '\x1b[6~', home: '\x1b[H', end: '\x1b[F',
};

/**
 * The bytes a terminal sends when key `key` (keys.ts spelling, as
 * parseKeyText gives) is typed; Ink reads them back into the same key.
 */
export function keyBytes(key: string): string {
  if (key.startsWith('M-') && key.length === 3) return `\x1b${key[2]}`;
  return KEY_BYTES[key] ?? key;
}

/** What the keys see while the track is checked: no machine, the scenario's environments. */
function checkContext(sc: Scenario): KeyContext {
  const names = sc.environments.map((e) => e.name);
  return {
    running: false, envs: names, alive: names, defaultEnv: names[0], menu: selectMenuItems([]),
    scrollMax: {}, pageSize: {}, overlayMax: 0, overlayPage: 1,
  };
}

/** Why `key` does nothing in `ui`'s mode, or undefined when the TUI reads it. */
function unknownIn(ui: UiState, key: string): string | undefined {
  if (ui.mode.kind !== 'normal' || key === 'escape' || commandFor(key)) return undefined;
  return `no command is bound to "${key}" (the TUI's ? lists the keys)`;
}

/**
 * The problems of a scenario's key track, one per bad step, each naming the
 * file and line of its step; empty when every key is one the TUI reads.
 * Steps are followed in file order, carrying the mode (a prompt, a menu)
 * from one to the next; keys after a quit are not checked.
 */
export function checkKeyTrack(sc: Scenario): string[] {
  const ctx = checkContext(sc);
  const problems: string[] = [];
  let ui = initialUi();
  let quit = false;
  sc.timeline.forEach((st, i) => {
    if (st.action.kind !== 'key' || quit) return;
    const where = `${formatLocation(st.source)}: timeline[${i}].do.key ${JSON.stringify(st.action.keys)}`;
    const parsed = parseKeyText(st.action.keys);
    if ('error' in parsed) { problems.push(`${where}: ${parsed.error}`); return; }
    for (const k of parsed.keys) {
      const why = unknownIn(ui, k);
      if (why) { problems.push(`${where}: ${why}`); return; }
      const r = handleKey(ui, k, ctx);
      ui = r.ui;
      if (r.effects.some((e) => e.kind === 'quit')) { quit = true; return; }
    }
  });
  return problems;
}
