// The inject dialog (P) and `:inject`: a pure form and key function, the
// command line's parser, the dialog's view on a real snapshot, and the key
// in normal mode opening it.

import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/tui/commandline.js';
import { injectKey, openInject, type InjectForm } from '../../src/tui/inject.js';
import { handleKey } from '../../src/tui/input.js';
import { commandFor } from '../../src/tui/keymap.js';
import { listeners, selectInject } from '../../src/tui/selectors/inject.js';
import { initialUi, type KeyContext } from '../../src/tui/ui-state.js';
import { echoing } from './fixtures/snapshots.js';

/** The form after `keys`, from a new dialog. */
function typed(keys: string[], f: InjectForm = openInject()): InjectForm {
  for (const k of keys) {
    const s = injectKey(f, k);
    if (s.kind !== 'edit') throw new Error(`${k} ended the dialog`);
    f = s.form;
  }
  return f;
}

const udp = (to: string, port: number, payload: string) => ({ kind: 'udp', to, port, fromPort: 5000, payload });

describe('the inject dialog', () => {
  it('opens on the defaults, and Enter sends one "hello" to 10.0.0.2 port 7', () => {
    expect(openInject()).toMatchObject({ to: '10.0.0.2', port: '7', payload: 'hello', count: '1', field: 'to' });
    expect(injectKey(openInject(), 'enter')).toEqual({ kind: 'submit', command: { kind: 'inject', packet: udp('10.0.0.2', 7, 'hello'), count: 1 } });
  });

  it('replaces a field\'s default with the first key typed in it, then appends; Backspace deletes', () => {
    const f = typed(['1', '0', '.', '0', '.', '0', '.', '4', 'tab', 'tab', 'h', 'i', 'space', 'x', 'backspace', 'y', 'tab', '3']);
    expect(f).toMatchObject({ to: '10.0.0.4', port: '7', payload: 'hi y', count: '3', field: 'count' });
    expect(injectKey(f, 'enter')).toEqual({ kind: 'submit', command: { kind: 'inject', packet: udp('10.0.0.4', 7, 'hi y'), count: 3 } });
  });

  it('moves between fields with Tab, Shift-Tab and the arrows, wrapping', () => {
    expect(typed(['tab']).field).toBe('port');
    expect(typed(['shift-tab']).field).toBe('count');
    expect(typed(['down', 'down', 'up']).field).toBe('port');
  });

  it('refuses a bad address, port or count, says why and goes to the field', () => {
    const bad = (keys: string[]) => { const s = injectKey(typed(keys), 'enter'); return s.kind === 'edit' ? s.form : undefined; };
    expect(bad(['1', '0', '.', '9'])).toMatchObject({ field: 'to', error: '10.9 is not an IPv4 address (like 10.0.0.2)' });
    expect(bad(['tab', '7', '0', '0', '0', '0'])).toMatchObject({ field: 'port', error: 'The port must be a number from 1 to 65535' });
    expect(bad(['shift-tab', '0'])).toMatchObject({ field: 'count', error: 'How many must be a whole number from 1 to 1000' });
  });

  it('cancels on Esc', () => {
    expect(injectKey(typed(['tab', '9']), 'escape')).toEqual({ kind: 'cancel' });
  });
});

describe(':inject', () => {
  it('parses UDP datagrams with an optional count, and raw hex frames', () => {
    expect(parseCommand('inject udp 10.0.0.3 7 ping')).toEqual({ kind: 'inject', packet: udp('10.0.0.3', 7, 'ping'), count: 1 });
    expect(parseCommand('inject udp 10.0.0.3 7 ping 5')).toEqual({ kind: 'inject', packet: udp('10.0.0.3', 7, 'ping'), count: 5 });
    expect(parseCommand('inject hex ff ff ff ff ff ff 02 00')).toEqual({ kind: 'inject', packet: { kind: 'hex', bytes: 'ffffffffffff0200' }, count: 1 });
  });

  it('explains what is wrong', () => {
    expect(parseCommand('inject udp 10.0.0 7 x')).toEqual({ error: expect.stringMatching(/^10\.0\.0 is not an IPv4 address .*Usage: inject udp/) });
    expect(parseCommand('inject hex abc')).toEqual({ error: 'Usage: inject hex <bytes>, an even number of hex digits' });
    expect(parseCommand('inject tcp 1')).toEqual({ error: expect.stringMatching(/^Usage: inject udp <ip> <port> <payload> \[n\]/) });
  });
});

describe('the dialog\'s view', () => {
  const snap = echoing();

  it('says which environment\'s filter takes the datagram, or that none does', () => {
    expect(listeners(snap, '10.0.0.3', 7)).toEqual(['e3']);
    expect(listeners(snap, '10.0.0.9', 7)).toEqual([]);
    const v = selectInject(openInject(), snap, 78);
    expect(v.title).toBe('Inject UDP datagrams');
    expect(v.lines.map((l) => l.text)).toContain('A filter of e2 matches 10.0.0.2:7.');
    expect(v.lines.find((l) => l.kind === 'cursor')!.text).toMatch(/^▸ to address {2}10\.0\.0\.2█/);
    const off = selectInject(typed(['9', '.', '9', '.', '9', '.', '9']), snap, 78);
    expect(off.lines.map((l) => l.text)).toContain('No filter matches 9.9.9.9:7 yet: the packet will be dropped.');
  });
});

describe('P', () => {
  const ctx: KeyContext = { running: false, envs: ['a'], alive: ['a'], defaultEnv: 'a', scrollMax: {}, pageSize: {}, menu: [], overlayMax: 0, overlayPage: 10 };

  it('is in the command table and opens the dialog; Enter sends the :inject command', () => {
    expect(commandFor('P')?.id).toBe('inject');
    const open = handleKey(initialUi(), 'P', ctx);
    expect(open.ui.mode.kind).toBe('inject');
    const sent = handleKey(open.ui, 'enter', ctx);
    expect(sent.ui.mode.kind).toBe('normal');
    expect(sent.effects).toEqual([{ kind: 'line', command: { kind: 'inject', packet: udp('10.0.0.2', 7, 'hello'), count: 1 } }]);
    expect(handleKey(open.ui, 'escape', ctx).ui.message).toEqual({ text: 'Injection cancelled', error: false });
  });
});
