// Ink hands `useInput` a string and a set of flags; a fast typist or a
// paste hands it several characters at once ("10s"). keysFromInput turns
// either into the key names of the command table, one per key.

import { commandFor } from './keymap.js';

/** The flags of Ink's `Key` that matter here. */
export interface InkKey {
  readonly upArrow?: boolean; readonly downArrow?: boolean; readonly leftArrow?: boolean; readonly rightArrow?: boolean;
  readonly pageDown?: boolean; readonly pageUp?: boolean; readonly home?: boolean; readonly end?: boolean;
  readonly return?: boolean; readonly escape?: boolean; readonly ctrl?: boolean; readonly shift?: boolean;
  readonly tab?: boolean; readonly backspace?: boolean; readonly delete?: boolean; readonly meta?: boolean;
}

const FLAG_NAMES: readonly [keyof InkKey, string][] = [
  ['upArrow', 'up'], ['downArrow', 'down'], ['leftArrow', 'left'], ['rightArrow', 'right'],
  ['pageDown', 'pagedown'], ['pageUp', 'pageup'], ['home', 'home'], ['end', 'end'],
  ['return', 'enter'], ['escape', 'escape'], ['backspace', 'backspace'], ['delete', 'backspace'],
];

/** One character typed as text, as a key name. */
function charKey(ch: string): string {
  if (ch === ' ') return 'space';
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === '\x7f' || ch === '\b') return 'backspace';
  if (ch === '\x1b') return 'escape';
  const c = ch.charCodeAt(0);
  if (c >= 1 && c <= 26) return `ctrl-${String.fromCharCode(c + 96)}`;
  return ch;
}

/**
 * The key names (keymap.ts spelling: "s", "space", "enter", "tab",
 * "shift-tab", "ctrl-c", "M-1", "pagedown", ...) that one `useInput` call
 * stands for. Text of several characters gives one name per character.
 */
export function keysFromInput(input: string, key: InkKey): string[] {
  if (key.tab) return [key.shift ? 'shift-tab' : 'tab'];
  for (const [flag, name] of FLAG_NAMES) if (key[flag]) return [name];
  if (key.ctrl && input.length === 1) return [`ctrl-${input.toLowerCase()}`];
  // Esc and a key typed fast arrive as one Alt chord; unbound, they are the two keys.
  if (key.meta && input.length === 1) return commandFor(`M-${input}`) ? [`M-${input}`] : ['escape', charKey(input)];
  return [...input].map(charKey);
}
