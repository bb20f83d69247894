// Tab completion and the prompts' history (src/tui/complete.ts, input.ts):
// what a shell or gdb user expects of the `:` line, `b` and `/`.

import { describe, expect, it } from 'vitest';
import { commonPrefix, complete, VERBS, type CompletionSource } from '../../src/tui/complete.js';
import { LINE_COMMANDS, parseCommand } from '../../src/tui/commandline.js';
import { handleKey, type Effect } from '../../src/tui/input.js';
import { selectBottom, selectMenuItems } from '../../src/tui/selectors/chrome.js';
import { HISTORY_MAX, initialUi, type KeyContext, type UiState } from '../../src/tui/ui-state.js';

const SYMBOLS: Record<string, readonly string[]> = { memwalk: ['main', 'malloc', 'memcpy', 'memset', 'exos_upcall'], hello: ['main', 'puts'] };
const src: CompletionSource = {
  envs: ['memwalk', 'hello', 'writer'],
  symbols: (env) => (env ? SYMBOLS[env] ?? [] : [...new Set(Object.values(SYMBOLS).flat())]),
};

const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  running: false, envs: ['memwalk', 'hello', 'writer'], alive: ['memwalk', 'hello', 'writer'], defaultEnv: 'memwalk', menu: selectMenuItems([]),
  scrollMax: {}, pageSize: {}, overlayMax: 0, overlayPage: 10, symbols: src.symbols, ...over,
});

/** Feeds `keys` (a string's characters are single keys, other names pass as they are) in order. */
function press(keys: (string | string[])[], c = ctx(), ui: UiState = initialUi()): { ui: UiState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const k of keys.flatMap((k) => (Array.isArray(k) ? k : k.length > 1 && !['tab', 'up', 'down', 'enter', 'escape', 'backspace', 'space'].includes(k) ? [...k].map((ch) => (ch === ' ' ? 'space' : ch)) : [k]))) {
    const r = handleKey(ui, k, c);
    ui = r.ui;
    effects.push(...r.effects);
  }
  return { ui, effects };
}
const promptText = (ui: UiState) => (ui.mode.kind === 'prompt' ? ui.mode.text : undefined);

describe('complete', () => {
  it('the verbs are every command the help lists, each parseable', () => {
    for (const u of LINE_COMMANDS) expect(VERBS, u.usage).toContain(u.usage.split(/\s+/)[0]);
    for (const v of ['continue', 'pause', 'rnext', 'rc', 'machine', 'back', 'event', 'quit', 'watch']) expect(VERBS).toContain(v);
    expect(VERBS).toEqual([...VERBS].sort());
  });

  it('completes a verb: one choice whole with a space, several to their common prefix, then lists them', () => {
    expect(complete('command', 'con', src)).toEqual({ text: 'continue ', choices: [] });
    expect(complete('command', 're', src)).toEqual({ text: 're', choices: ['restart', 'revoke'] });
    expect(complete('command', 'rs', src)).toEqual({ text: 'rstep ', choices: [] });
    expect(complete('command', 'zzz', src)).toEqual({ text: 'zzz', choices: [] });
  });

  it('completes symbols, environments, exception names and event kinds where each can stand', () => {
    expect(complete('command', 'break mem', src)).toEqual({ text: 'break mem', choices: ['memcpy', 'memset', 'memwalk'].filter((x) => x !== 'memwalk') });
    expect(complete('command', 'break memc', src)).toEqual({ text: 'break memcpy ', choices: [] });
    expect(complete('command', 'break main w', src)).toEqual({ text: 'break main writer ', choices: [] });
    expect(complete('command', 'break exc TLB', src)).toEqual({ text: 'break exc TLB', choices: ['TLBL', 'TLBS'] });
    expect(complete('command', 'break event stlb-h', src)).toEqual({ text: 'break event stlb-hit ', choices: [] });
    expect(complete('command', 'x hel', src)).toEqual({ text: 'x hello ', choices: [] });
    expect(complete('command', 'x hello p', src)).toEqual({ text: 'x hello puts ', choices: [] });
    expect(complete('command', 'x memwalk p', src)).toEqual({ text: 'x memwalk p', choices: [] });
    expect(complete('command', 'kill ', src)).toEqual({ text: 'kill ', choices: ['hello', 'memwalk', 'writer'] });
    expect(complete('command', 'watch exos_ memwalk r', src)).toEqual({ text: 'watch exos_ memwalk read ', choices: [] });
    expect(complete('command', 'revoke hello s', src)).toEqual({ text: 'revoke hello slices ', choices: [] });
    expect(complete('command', 'mem exos', src)).toEqual({ text: 'mem exos_upcall ', choices: [] });
    expect(complete('command', 'until mems', src)).toEqual({ text: 'until memset ', choices: [] });
    expect(complete('command', 'rprev revoke-r', src)).toEqual({ text: 'rprev revoke-request ', choices: [] });
    expect(complete('break', 'puts h', src)).toEqual({ text: 'puts hello ', choices: [] });
    expect(complete('filter', 'kind:slice-st', src)).toEqual({ text: 'kind:slice-start ', choices: [] });
    expect(complete('filter', 'ok env:wr', src)).toEqual({ text: 'ok env:writer ', choices: [] });
  });

  it('on the monolithic kernel, its own event kinds', () => {
    expect(complete('command', 'break event sys', { ...src, eventKinds: ['trap', 'syscall', 'switch'] })).toEqual({ text: 'break event syscall ', choices: [] });
  });

  it('what it completes parses', () => {
    for (const line of ['break memc', 'break main w', 'break exc TLBL', 'kill hel', 'watch exos_upcall memwalk r']) {
      const c = complete('command', line, src);
      expect(parseCommand(c.text), c.text).not.toHaveProperty('error');
    }
  });

  it('commonPrefix', () => {
    expect(commonPrefix(['memcpy', 'memset'])).toBe('mem');
    expect(commonPrefix(['a'])).toBe('a');
    expect(commonPrefix([])).toBe('');
  });
});

describe('the prompts: Tab and history', () => {
  it('Tab completes on the : line, and the choices show after the cursor until the next key', () => {
    const r = press([':', 'break mem', 'tab']);
    expect(promptText(r.ui)).toBe('break mem');
    expect(selectBottom(r.ui, 80).text).toBe(':break mem█  memcpy  memset');
    const r2 = press(['c'], ctx(), r.ui);
    expect(promptText(r2.ui)).toBe('break memc');
    expect(r2.ui.message).toBeUndefined();
    const r3 = press(['tab', 'enter'], ctx(), r2.ui);
    expect(r3.effects).toEqual([{ kind: 'line', command: { kind: 'break', breakpoint: { kind: 'symbol', symbol: 'memcpy', offset: 0, env: undefined } } }]);
  });

  it('Tab completes b\'s and /\'s words too', () => {
    expect(promptText(press(['b', 'exos_u', 'tab']).ui)).toBe('exos_upcall ');
    expect(promptText(press(['/', 'kind:stlb-m', 'tab']).ui)).toBe('kind:stlb-miss ');
  });

  it('↑ recalls earlier lines of the same prompt, ↓ comes back to what was being typed', () => {
    let ui = press([':', 'step 5', 'enter', ':', 'goto 100', 'enter', '/', 'memwalk', 'enter']).ui;
    expect(ui.lineHistory).toEqual({ command: ['step 5', 'goto 100'], filter: ['memwalk'], break: [] });
    ui = press([':', 'ba', 'up'], ctx(), ui).ui;
    expect(promptText(ui)).toBe('goto 100');
    ui = press(['up'], ctx(), ui).ui;
    expect(promptText(ui)).toBe('step 5');
    ui = press(['up'], ctx(), ui).ui;
    expect(promptText(ui)).toBe('step 5');
    ui = press(['down', 'down'], ctx(), ui).ui;
    expect(promptText(ui)).toBe('ba');
    const r = press(['up', 'backspace', '7', 'enter'], ctx(), ui);
    expect(r.effects).toEqual([{ kind: 'line', command: { kind: 'goto', cycle: 107 } }]);
    expect(r.ui.lineHistory.command).toEqual(['step 5', 'goto 100', 'goto 107']);
  });

  it('the same line twice in a row is kept once, blank lines not at all, and each prompt keeps at most HISTORY_MAX', () => {
    let ui = press([':', 'step', 'enter', ':', 'step', 'enter', ':', 'enter']).ui;
    expect(ui.lineHistory.command).toEqual(['step']);
    for (let i = 0; i < HISTORY_MAX + 5; i++) ui = press([':', `step ${i + 1}`, 'enter'], ctx(), ui).ui;
    expect(ui.lineHistory.command.length).toBe(HISTORY_MAX);
    expect(ui.lineHistory.command.at(-1)).toBe(`step ${HISTORY_MAX + 5}`);
  });

  it('a line with an error is kept too, so it can be recalled and mended', () => {
    const r = press([':', 'stpe 3', 'enter']);
    expect(r.ui.message?.error).toBe(true);
    expect(promptText(press([':', 'up'], ctx(), r.ui).ui)).toBe('stpe 3');
  });
});
