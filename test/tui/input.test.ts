import { describe, expect, it } from 'vitest';
import { handleKey, INTERRUPT_STATUS, type Effect } from '../../src/tui/input.js';
import { selectMenuItems } from '../../src/tui/selectors/chrome.js';
import { initialUi, type KeyContext, type UiState } from '../../src/tui/ui-state.js';

const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  running: false, envs: ['a', 'b', 'c'], alive: ['a', 'b', 'c'], defaultEnv: 'b', menu: selectMenuItems([]),
  scrollMax: { log: 50, tlb: 20, console: 5 }, pageSize: { log: 10, tlb: 10 }, overlayMax: 30, overlayPage: 10,
  ...over,
});

/** Feeds `keys` in order; returns the final state and every effect. */
function press(keys: string[], c = ctx(), ui: UiState = initialUi()): { ui: UiState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const k of keys) {
    const r = handleKey(ui, k, c);
    ui = r.ui;
    effects.push(...r.effects);
  }
  return { ui, effects };
}

describe('handleKey', () => {
  it('s steps one and S steps back one; digits are no counts (:step <n> is)', () => {
    expect(press(['s']).effects).toEqual([{ kind: 'line', command: { kind: 'step', n: 1 } }]);
    expect(press(['S']).effects).toEqual([{ kind: 'line', command: { kind: 'stepBack', n: 1 } }]);
    expect(press(['1', '0', 's']).effects).toEqual([{ kind: 'line', command: { kind: 'step', n: 1 } }]);
    expect(press([':', 's', 't', 'e', 'p', 'space', '1', '0', '0', '0', 'enter']).effects).toEqual([{ kind: 'line', command: { kind: 'step', n: 1000 } }]);
  });

  it('digits 1 to 9 and 0 focus the pane of that number, as the tab bar says', () => {
    expect(press(['2']).ui.focus).toBe('tlb');
    expect(press(['5']).ui.focus).toBe('log');
    expect(press(['8']).ui.focus).toBe('dpf');
    expect(press(['9']).ui.focus).toBe('scenario');
    expect(press(['0']).ui.focus).toBe('memory');
    expect(press(['0']).ui.message).toBeUndefined();
  });

  it('a shows every environment in the TLB/STLB and frames panes, and a again the selected one only', () => {
    expect(initialUi().allEnvs).toBe(false);
    expect(press(['a']).ui.allEnvs).toBe(true);
    expect(press(['a', 'a']).ui.allEnvs).toBe(false);
  });

  it('> and < zoom the frame map in and out, between all of memory and the deepest level', () => {
    expect(press(['>', '>']).ui.mapZoom).toBe(2);
    expect(press(['>', '<', '<']).ui.mapZoom).toBe(0);
    expect(press(Array(40).fill('>')).ui.mapZoom).toBe(12);
  });

  it('z zooms the focused pane and z again goes back', () => {
    expect(initialUi().zoom).toBe(false);
    expect(press(['3', 'z']).ui).toMatchObject({ focus: 'envs', zoom: true });
    expect(press(['3', 'z', 'z']).ui.zoom).toBe(false);
  });

  it('n steps over, c continues, space pauses', () => {
    expect(press(['n', 'c', 'space']).effects.map((e) => (e.kind === 'line' ? e.command.kind : e.kind))).toEqual(['stepOver', 'continue', 'pause']);
  });

  it('q quits at once when stopped and asks first while running', () => {
    expect(press(['q']).effects).toEqual([{ kind: 'quit', status: 0 }]);
    const asked = press(['q'], ctx({ running: true }));
    expect(asked.effects).toEqual([]);
    expect(asked.ui.mode).toEqual({ kind: 'confirm', action: 'quit' });
    expect(press(['y'], ctx({ running: true }), asked.ui).effects).toEqual([{ kind: 'quit', status: 0 }]);
    expect(press(['n'], ctx({ running: true }), asked.ui).ui.mode.kind).toBe('normal');
  });

  it('Ctrl-C quits from any mode without asking', () => {
    const inPrompt = press([':', 'x']).ui;
    expect(press(['ctrl-c'], ctx({ running: true }), inPrompt).effects).toEqual([{ kind: 'quit', status: INTERRUPT_STATUS }]);
  });

  it('K asks before killing the selected environment', () => {
    const asked = press([']', 'K']);
    expect(asked.ui.mode).toEqual({ kind: 'confirm', action: 'kill', env: 'c' });
    expect(press(['y'], ctx(), asked.ui).effects).toEqual([{ kind: 'line', command: { kind: 'kill', env: 'c' } }]);
    expect(press(['x'], ctx(), asked.ui).effects).toEqual([]);
  });

  it('[ and ] select environments, wrapping, starting from the default', () => {
    expect(press([']']).ui.env).toBe('c');
    expect(press([']', ']']).ui.env).toBe('a');
    expect(press(['[']).ui.env).toBe('a');
  });

  it('Tab, Shift-Tab and Alt-digit move the focus too', () => {
    expect(press(['tab']).ui.focus).toBe('tlb');
    expect(press(['shift-tab']).ui.focus).toBe('memory');
    expect(press(['M-0']).ui.focus).toBe('memory');
    expect(press(['M-8']).ui.focus).toBe('dpf');
    expect(press(['M-5']).ui.focus).toBe('log');
  });

  it('scrolls the focused pane within its range; in the log j and k select an event, and the log scrolls to keep it in view', () => {
    const log = press(['M-5']).ui;
    // The log shows events 100..159 of the history (a filter passes every other one); 10 lines a page.
    const c = ctx({ logIndexes: Array.from({ length: 60 }, (_, i) => 100 + 2 * i) });
    expect(press(['k'], c, log).ui).toMatchObject({ logCursor: 218, scroll: { log: 0 } });
    expect(press(['k', 'k'], c, log).ui).toMatchObject({ logCursor: 216, scroll: { log: 0 } });
    expect(press(Array(12).fill('k'), c, log).ui).toMatchObject({ logCursor: 196, scroll: { log: 2 } });
    expect(press(Array(100).fill('k'), c, log).ui).toMatchObject({ logCursor: 100, scroll: { log: 50 } });
    expect(press(['k', 'pageup', 'j'], c, log).ui).toMatchObject({ logCursor: 202, scroll: { log: 0 } });
    expect(press(['g'], c, log).ui).toMatchObject({ logCursor: 100, scroll: { log: 50 } });
    expect(press(['g', 'G'], c, log).ui).toMatchObject({ logCursor: undefined, scroll: { log: 0 } });
    const tlb = press(['M-2', ...Array(5).fill('j')]).ui;
    expect(tlb.scroll.tlb).toBe(5);
    expect(press(['M-3', 'j']).ui.env).toBe('c');
  });

  it('scrolls the disassembly either way from the pc, within what the snapshot carries; g goes back to the pc', () => {
    const c = ctx({ scrollMax: { cpu: 12 } });
    expect(press(['k', 'k', 'k'], c).ui.scroll.cpu).toBe(-3);
    expect(press(Array(20).fill('j'), c).ui.scroll.cpu).toBe(12);
    expect(press(['j', 'j', 'g'], c).ui.scroll.cpu).toBe(0);
  });

  it('Enter travels to the event selected in the log; without one it says how to select one', () => {
    const c = ctx({ logIndexes: [7, 8, 9] });
    expect(press(['M-5', 'k', 'k', 'enter'], c).effects).toEqual([{ kind: 'line', command: { kind: 'gotoEvent', index: 8 } }]);
    const none = press(['M-5', 'enter'], c);
    expect(none.effects).toEqual([]);
    expect(none.ui.message).toEqual({ text: 'Enter travels to the event selected in the log: focus the log, select one with j/k', error: true });
  });

  it('Esc and Ctrl-C cancel a running time travel or reverse search (pause) instead of clearing or quitting', () => {
    const busy = ctx({ running: true, travelling: true });
    expect(press(['escape'], busy).effects).toEqual([{ kind: 'line', command: { kind: 'pause' } }]);
    expect(press(['ctrl-c'], busy).effects).toEqual([{ kind: 'line', command: { kind: 'pause' } }]);
    expect(press(['escape'], ctx({ running: true })).effects).toEqual([]);
    expect(press(['ctrl-c'], ctx({ running: true })).effects).toEqual([{ kind: 'quit', status: INTERRUPT_STATUS }]);
  });

  it('/ filters the log: typed text, backspace, enter', () => {
    const r = press(['/', 'k', 'i', 'n', 'd', ':', 's', 't', 'x', 'backspace', 'space', 'z', 'enter']);
    expect(r.ui.filter).toEqual({ text: 'kind:st z', kinds: ['st'], envs: [], words: ['z'] });
    expect(r.ui.focus).toBe('log');
    expect(press(['/', 'a', 'escape']).ui.filter.text).toBe('');
  });

  it('/ starts empty: new text replaces the old filter instead of being glued onto it', () => {
    const first = press(['/', 'e', 'n', 'v', ':', 'a', 'enter']).ui;
    expect(first.filter.text).toBe('env:a');
    const r = press(['/', 'k', 'i', 'n', 'd', ':', 'a', 'b', 'o', 'r', 't', 'enter'], ctx(), first);
    expect(r.ui.filter).toMatchObject({ text: 'kind:abort', kinds: ['abort'], envs: [] });
  });

  it('an unknown kind: or env: in a filter is an error naming the known ones, and the old filter stays', () => {
    const typed = (s: string) => ['/', ...[...s].map((ch) => (ch === ' ' ? 'space' : ch)), 'enter'];
    const r = press(typed('kind:stbl-hit'));
    expect(r.ui.message?.error).toBe(true);
    expect(r.ui.message?.text).toMatch(/^No event kind starts with "stbl-hit": the kinds are env-created .*stlb-hit .*ash-abort$/);
    expect(r.ui.filter.text).toBe('');
    expect(press(typed('env:zz')).ui.message).toEqual({ text: 'No environment zz to filter on: there are a, b, c', error: true });
    expect(press([':', 'f', 'i', 'l', 't', 'e', 'r', 'space', 'k', 'i', 'n', 'd', ':', 'q', 'enter']).ui.message?.error).toBe(true);
  });

  it(': runs a command line; errors become messages', () => {
    const typed = (s: string) => [':', ...[...s].map((ch) => (ch === ' ' ? 'space' : ch)), 'enter'];
    expect(press(typed('break exc TLBL')).effects).toEqual([{ kind: 'line', command: { kind: 'break', breakpoint: { kind: 'exception', code: 2, env: undefined } } }]);
    expect(press(typed('x b 0x10000000 4')).effects).toEqual([{ kind: 'line', command: { kind: 'examine', env: 'b', at: { kind: 'addr', addr: 0x10000000 }, n: 4 } }]);
    expect(press(typed('env c')).ui.env).toBe('c');
    expect(press(typed('env z')).ui.message).toEqual({ text: 'No environment z: there are a, b, c', error: true });
    expect(press(typed('bogus')).ui.message?.error).toBe(true);
    expect(press(typed('help')).ui.mode.kind).toBe('help');
  });

  it('b prompts for a breakpoint and sends it as :break', () => {
    expect(press(['b', 'w', 'a', 'l', 'k', 'space', 'b', 'enter']).effects)
      .toEqual([{ kind: 'line', command: { kind: 'break', breakpoint: { kind: 'symbol', symbol: 'walk', offset: 0, env: 'b' } } }]);
  });

  it('e opens the break-on menu; j moves, space toggles the item under the cursor, Esc closes', () => {
    const r = press(['e', 'j', 'space']);
    expect(r.ui.mode).toEqual({ kind: 'menu', cursor: 1 });
    expect(r.effects).toEqual([{ kind: 'toggleBreak', item: expect.objectContaining({ spec: { kind: 'exception', code: 2 }, label: 'TLBL' }) }]);
    expect(press(['e', 'escape']).ui.mode.kind).toBe('normal');
    expect(press(['e', 'G']).ui.mode).toEqual({ kind: 'menu', cursor: ctx().menu.length - 1 });
  });

  it('? shows help, which scrolls and closes with ? or Esc', () => {
    expect(press(['?', 'j', 'j']).ui.mode).toEqual({ kind: 'help', scroll: 2 });
    expect(press(['?', 'G']).ui.mode).toEqual({ kind: 'help', scroll: 30 });
    expect(press(['?', '?']).ui.mode.kind).toBe('normal');
  });

  it('an unbound key says so, and the next key clears the message', () => {
    const r = press(['Z']);
    expect(r.ui.message).toEqual({ text: 'No command on Z: ? shows the keys', error: true });
    expect(press(['tab'], ctx(), r.ui).ui.message).toBeUndefined();
  });
});
