import { describe, expect, it } from 'vitest';
import { COMMANDS, commandFor, helpRows, keysLabel, legendEntries } from '../../src/tui/keymap.js';
import { keysFromInput } from '../../src/tui/keys.js';
import { EVENT_KINDS, EXCEPTIONS } from '../../src/tui/names.js';
import { EXC_NAMES } from '../../src/emu/index.js';

describe('the command table', () => {
  it('binds every key to one command only', () => {
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('binds the digits 0 to 9 to focusing the pane of that number, and z to zoom', () => {
    expect(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'z'].map((k) => commandFor(k)?.id)).toEqual([...Array(10).fill('focusPane'), 'zoom']);
    expect([commandFor('f')?.id, commandFor('u')?.id]).toEqual(['finish', 'untilCursor']);
  });

  it('has the commands the TUI promises, on their keys', () => {
    const on = (k: string) => commandFor(k)?.id;
    expect([on('s'), on('n'), on('S'), on('c'), on('space'), on('e'), on('b'), on('K')]).toEqual(['step', 'stepOver', 'stepBack', 'continue', 'pause', 'breakMenu', 'breakAt', 'kill']);
    expect([on('C'), on('N')]).toEqual(['reverseContinue', 'reverseNext']);
    expect([on('['), on(']'), on('tab'), on('shift-tab'), on('M-3'), on('j'), on('down'), on('pagedown'), on('/'), on(':'), on('?'), on('q')])
      .toEqual(['envPrev', 'envNext', 'focusNext', 'focusPrev', 'focusPane', 'down', 'down', 'pageDown', 'filter', 'command', 'help', 'quit']);
  });

  it('feeds the help overlay every command and the footer those with a legend, help and quit first', () => {
    expect(helpRows()).toHaveLength(COMMANDS.length);
    expect(helpRows().find((r) => r.keys === '0..9')).toBeDefined();
    expect(legendEntries()).toContain('0..9 pane');
    expect(legendEntries()).toContain('f finish');
    expect(legendEntries()).toContain('+ faster');
    expect(legendEntries()).toContain('r restart');
    expect(legendEntries()).toContain('z zoom');
    expect(legendEntries().slice(0, 3)).toEqual(['? help', 'q quit', 's step']);
    expect(keysLabel(COMMANDS.find((c) => c.id === 'down')!)).toBe('j ↓');
  });
});

describe('keysFromInput', () => {
  it('splits typed text into one key per character', () => {
    expect(keysFromInput('10s', {})).toEqual(['1', '0', 's']);
    expect(keysFromInput(' ', {})).toEqual(['space']);
    expect(keysFromInput('ab\r', {})).toEqual(['a', 'b', 'enter']);
  });

  it('names special keys, Ctrl and Alt combinations; an unbound Alt chord is Esc and the key', () => {
    expect(keysFromInput('', { tab: true, shift: true })).toEqual(['shift-tab']);
    expect(keysFromInput('', { pageDown: true })).toEqual(['pagedown']);
    expect(keysFromInput('', { escape: true, meta: true })).toEqual(['escape']);
    expect(keysFromInput('c', { ctrl: true })).toEqual(['ctrl-c']);
    expect(keysFromInput('2', { meta: true })).toEqual(['M-2']);
    expect(keysFromInput('e', { meta: true })).toEqual(['escape', 'e']);
    expect(keysFromInput('', { delete: true })).toEqual(['backspace']);
  });
});

describe('names', () => {
  it('spells exception codes as the emulator does', () => {
    for (const e of EXCEPTIONS) expect(e.name).toBe(EXC_NAMES[e.code]);
  });

  it('lists each event kind once', () => {
    expect(new Set(EVENT_KINDS.map((k) => k.kind)).size).toBe(EVENT_KINDS.length);
  });
});
