// The revocation dialog (R): its key logic as a pure function, its view on
// a real session's snapshot, and the way input.ts opens it and sends what
// it makes as the `:revoke` command.

import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/tui/commandline.js';
import { handleKey, type Effect } from '../../src/tui/input.js';
import { openRevoke, REVOKE_DEFAULTS, revokeKey, revokeValues, type RevokeForm, type RevokeStep } from '../../src/tui/revoke.js';
import { selectBottom, selectMenuItems } from '../../src/tui/selectors/chrome.js';
import { revokeHint, revokeQuestion, selectRevoke } from '../../src/tui/selectors/revoke.js';
import { initialUi, type KeyContext, type UiState } from '../../src/tui/ui-state.js';
import { spinning } from './fixtures/snapshots.js';

const ALIVE = ['hog', 'a', 'b'];

/** Feeds `keys` to the dialog; returns the last step. */
function type(keys: string[], form: RevokeForm = openRevoke('hog', ALIVE)!): RevokeStep {
  let step: RevokeStep = { kind: 'edit', form };
  for (const k of keys) {
    if (step.kind !== 'edit') throw new Error(`The dialog ended before ${k}`);
    step = revokeKey(step.form, k, ALIVE);
  }
  return step;
}

const formOf = (s: RevokeStep) => (s.kind === 'edit' ? s.form : undefined);

describe('the revocation dialog', () => {
  it('opens on the selected environment when it is alive, else on the first live one', () => {
    expect(openRevoke('a', ALIVE)).toEqual({ env: 'a', what: 'frames', count: '', window: '', field: 'env', confirming: false, error: undefined });
    expect(openRevoke('gone', ALIVE)!.env).toBe('hog');
    expect(openRevoke(undefined, [])).toBeUndefined();
  });

  it('chooses the environment with j/k, then frames or slices, then the count and window, then asks', () => {
    const f = formOf(type(['j', 'j', 'enter', 's', 'enter', '3', 'enter', '9', '0', '0', '0', 'enter']))!;
    expect(f).toMatchObject({ env: 'b', what: 'slices', count: '3', window: '9000', confirming: true });
    expect(revokeQuestion(f)).toBe('Revoke 3 slices from b within 9,000 cycles? (y/n, Backspace edits)');
    expect(revokeKey(f, 'y', ALIVE)).toEqual({ kind: 'submit', command: { kind: 'revoke', env: 'b', what: 'slices', count: 3, window: 9000 } });
  });

  it('offers defaults: 8 frames or 1 slice, and the session\'s window, which it then leaves out', () => {
    const f = formOf(type(['enter', 'enter', 'enter', 'enter']))!;
    expect(revokeValues(f)).toEqual({ count: REVOKE_DEFAULTS.frames, window: REVOKE_DEFAULTS.window });
    expect(revokeKey(f, 'Y', ALIVE)).toEqual({ kind: 'submit', command: { kind: 'revoke', env: 'hog', what: 'frames', count: 8 } });
    expect(revokeValues(formOf(type(['tab', 's']))!).count).toBe(1);
  });

  it('edits numbers with digits and Backspace, and refuses a zero count with a message on that field', () => {
    expect(formOf(type(['tab', 'tab', '1', '2', 'backspace', 'x']))!.count).toBe('1');
    const bad = formOf(type(['tab', 'tab', '0', 'tab', 'enter']))!;
    expect(bad).toMatchObject({ field: 'count', confirming: false, error: 'How many must be a positive whole number' });
    expect(formOf(revokeKey(bad, '5', ALIVE))!.error).toBeUndefined();
  });

  it('moves between fields with Tab and Shift-Tab, wrapping; f and s choose what anywhere', () => {
    expect(formOf(type(['shift-tab']))!.field).toBe('window');
    expect(formOf(type(['tab', 'tab', 'tab', 'tab']))!.field).toBe('env');
    expect(formOf(type(['s', 'f']))!.what).toBe('frames');
    expect(formOf(type(['k']))!.env).toBe('b');
  });

  it('cancels on Esc, and while confirming on anything but y; Backspace goes back to the fields', () => {
    expect(type(['escape'])).toEqual({ kind: 'cancel' });
    const asking = formOf(type(['enter', 'enter', 'enter', 'enter']))!;
    expect(revokeKey(asking, 'n', ALIVE)).toEqual({ kind: 'cancel' });
    expect(formOf(revokeKey(asking, 'backspace', ALIVE))).toMatchObject({ confirming: false, field: 'window' });
  });

  it('shows the fields, what the environment holds and whether it can answer, on a real snapshot', () => {
    const { cur } = spinning();
    const hog = cur.envs.find((e) => e.name === 'hog')!;
    const v = selectRevoke(formOf(type(['tab', 'tab', '4']))!, cur, ALIVE, 120);
    const text = v.lines.map((l) => l.text);
    expect(v.title).toBe('Revoke resources from hog');
    expect(text).toContain('  environment  hog                j/k: hog a b');
    expect(v.lines.find((l) => l.kind === 'cursor')!.text).toMatch(new RegExp(`^▸ how many {5}4█ +hog owns ${hog.framesOwned} frames, \\d+ of them not guaranteed$`));
    expect(text.find((t) => t.startsWith('  window'))).toMatch(/^ {2}window {7}50,000 cycles +deadline about cycle [\d,]+$/);
    expect(text).toContain('hog has a revoke upcall at 004026a0: it chooses what to give back.');
    expect(text.some((t) => /^It already has a revocation pending \(8 frames, by cycle [\d,]+, in [\d,]+\): the kernel refuses another\.$/.test(t))).toBe(true);
    // The machine ran on while the dialog was open, past the deadline: it says so.
    const later = { ...cur, cycle: hog.revoke!.deadline + 10 };
    const after = selectRevoke(formOf(type(['tab', 'tab', '4']))!, later, ALIVE, 200).lines.map((l) => l.text);
    expect(after.some((t) => /^It already has a revocation pending \(8 frames, its deadline, cycle [\d,]+, has passed: the abort protocol takes them next\): the kernel refuses another\.$/.test(t))).toBe(true);
    const a = selectRevoke(openRevoke('a', ALIVE)!, cur, ALIVE, 60).lines.map((l) => l.text);
    expect(a.join(' ')).toContain('a has no revoke upcall: nothing asks it, and at the deadline the abort protocol takes them');
    expect(a.every((t) => t.length <= 60)).toBe(true);
  });

  it('puts a hint for the field, or the question, on the bottom line', () => {
    const f = openRevoke('hog', ALIVE)!;
    expect(revokeHint(f)).toBe('j/k choose the environment  Tab/Enter next  S-Tab back  Esc cancel');
    const ui: UiState = { ...initialUi(), mode: { kind: 'revoke', form: { ...f, confirming: true } } };
    expect(selectBottom(ui, 100)).toEqual({ kind: 'question', text: 'Revoke 8 frames from hog within 50,000 cycles? (y/n, Backspace edits)' });
  });
});

describe('R and :revoke', () => {
  const ctx: KeyContext = {
    running: false, envs: ['hog', 'a', 'b', 'dead'], alive: ALIVE, defaultEnv: 'a', menu: selectMenuItems([]),
    scrollMax: {}, pageSize: {}, overlayMax: 0, overlayPage: 10,
  };
  const press = (keys: string[], ui = initialUi()) => {
    const effects: Effect[] = [];
    for (const k of keys) { const r = handleKey(ui, k, ctx); ui = r.ui; effects.push(...r.effects); }
    return { ui, effects };
  };

  it('R opens the dialog on the selected environment and y sends the revoke command', () => {
    expect(press(['R']).ui.mode).toEqual({ kind: 'revoke', form: openRevoke('a', ALIVE) });
    const r = press(['R', 'enter', 'enter', '2', 'enter', 'enter', 'y']);
    expect(r.effects).toEqual([{ kind: 'line', command: { kind: 'revoke', env: 'a', what: 'frames', count: 2 } }]);
    expect(r.ui.mode.kind).toBe('normal');
  });

  it('R skips destroyed environments, and says so when none is alive; Esc cancels', () => {
    expect(press([']', ']', 'R']).ui.mode).toMatchObject({ kind: 'revoke', form: { env: 'hog' } });
    const none = handleKey(initialUi(), 'R', { ...ctx, alive: [] });
    expect(none.ui.message).toEqual({ text: 'No live environment to revoke from', error: true });
    expect(press(['R', 'escape']).ui.message).toEqual({ text: 'Revocation cancelled', error: false });
  });

  it(':revoke parses the same command, with an optional window', () => {
    expect(parseCommand('revoke hog frames 4')).toEqual({ kind: 'revoke', env: 'hog', what: 'frames', count: 4 });
    expect(parseCommand('revoke a slice 1 9000')).toEqual({ kind: 'revoke', env: 'a', what: 'slices', count: 1, window: 9000 });
    for (const bad of ['revoke', 'revoke hog', 'revoke hog pages 4', 'revoke hog frames 0', 'revoke hog frames 4 -1', 'revoke hog frames 4 10 x']) {
      expect(parseCommand(bad)).toEqual({ error: 'Usage: revoke <env> frames|slices <n> [window], n and window positive integers' });
    }
  });
});
