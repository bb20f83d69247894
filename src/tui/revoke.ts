// The revocation dialog (R) as plain data and a pure key function: choose
// the environment (the selected one first), then frames or slices, how
// many and the window, then confirm. What it sends is the command
// `:revoke <env> frames|slices <n> [window]` parses to, so the dialog and
// the command line do the same thing (Aegis paper, sec. 3.4: visible
// revocation, then the abort protocol at the deadline).

import type { LineCommand, RevokeWhat } from './commandline.js';

/** The dialog's fields, in order. */
export const REVOKE_FIELDS = ['env', 'what', 'count', 'window'] as const;
export type RevokeField = (typeof REVOKE_FIELDS)[number];

export interface RevokeForm {
  readonly env: string;
  readonly what: RevokeWhat;
  /** Digits typed; empty means the default (REVOKE_DEFAULTS). */
  readonly count: string;
  readonly window: string;
  readonly field: RevokeField;
  /** All fields are filled in and the bottom line asks y/n. */
  readonly confirming: boolean;
  readonly error: string | undefined;
}

/** What the dialog offers before anything is typed; the window is the session's default. */
export const REVOKE_DEFAULTS = { frames: 8, slices: 1, window: 50_000 } as const;

/** What a key did to the dialog. */
export type RevokeStep =
  | { readonly kind: 'edit'; readonly form: RevokeForm }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'submit'; readonly command: Extract<LineCommand, { kind: 'revoke' }> };

/** Digits a number field keeps. */
const MAX_DIGITS = 9;

/** A new dialog on `env` when it is alive, else on the first live environment; undefined when none is. */
export function openRevoke(env: string | undefined, alive: readonly string[]): RevokeForm | undefined {
  const e = env !== undefined && alive.includes(env) ? env : alive[0];
  return e === undefined ? undefined : { env: e, what: 'frames', count: '', window: '', field: 'env', confirming: false, error: undefined };
}

/** The count and window the form stands for, defaults filled in (NaN for a bad number). */
export function revokeValues(f: RevokeForm): { count: number; window: number } {
  const n = (text: string, dflt: number) => (text === '' ? dflt : /^[0-9]+$/.test(text) && Number(text) > 0 ? Number(text) : NaN);
  return { count: n(f.count, REVOKE_DEFAULTS[f.what]), window: n(f.window, REVOKE_DEFAULTS.window) };
}

const edit = (form: RevokeForm): RevokeStep => ({ kind: 'edit', form: { ...form, error: undefined } });

/** The field `delta` places after the current one, wrapping. */
function moved(f: RevokeForm, delta: number): RevokeForm {
  const i = REVOKE_FIELDS.indexOf(f.field);
  return { ...f, field: REVOKE_FIELDS[(i + delta + REVOKE_FIELDS.length) % REVOKE_FIELDS.length] };
}

/** The choice field's value `delta` places on (environment or what), wrapping. */
function changed(f: RevokeForm, delta: number, alive: readonly string[]): RevokeForm {
  if (f.field === 'what') return { ...f, what: f.what === 'frames' ? 'slices' : 'frames' };
  if (f.field !== 'env' || !alive.length) return f;
  const i = Math.max(0, alive.indexOf(f.env));
  return { ...f, env: alive[(((i + delta) % alive.length) + alive.length) % alive.length] };
}

/** Enter on the last field: confirm when the numbers are good, else say which is not. */
function toConfirm(f: RevokeForm): RevokeStep {
  const v = revokeValues(f);
  if (Number.isNaN(v.count)) return { kind: 'edit', form: { ...f, field: 'count', error: 'How many must be a positive whole number' } };
  if (Number.isNaN(v.window)) return { kind: 'edit', form: { ...f, field: 'window', error: 'The window must be a positive number of cycles' } };
  return { kind: 'edit', form: { ...f, confirming: true, error: undefined } };
}

function confirmKey(f: RevokeForm, key: string): RevokeStep {
  if (key === 'y' || key === 'Y') {
    const v = revokeValues(f);
    const window = f.window === '' ? {} : { window: v.window };
    return { kind: 'submit', command: { kind: 'revoke', env: f.env, what: f.what, count: v.count, ...window } };
  }
  if (key === 'backspace' || key === 'shift-tab') return edit({ ...f, confirming: false });
  return { kind: 'cancel' };
}

/**
 * Handles one key (keys.ts spelling) in the dialog. Tab and Enter go to the
 * next field (Enter on the last asks to confirm), Shift-Tab back; j/k, the
 * arrows and [ ] change the environment or what; f and s choose frames or
 * slices; digits and Backspace edit the numbers; Esc cancels. Confirming,
 * y sends, Backspace goes back, anything else cancels. `alive` lists the
 * environments that can be chosen.
 */
export function revokeKey(f: RevokeForm, key: string, alive: readonly string[]): RevokeStep {
  if (key === 'escape') return { kind: 'cancel' };
  if (f.confirming) return confirmKey(f, key);
  const numeric = f.field === 'count' || f.field === 'window';
  const text = f.field === 'count' ? f.count : f.window;
  const set = (t: string) => edit(f.field === 'count' ? { ...f, count: t } : { ...f, window: t });
  switch (key) {
    case 'enter': return f.field === 'window' ? toConfirm(f) : edit(moved(f, 1));
    case 'tab': return edit(moved(f, 1));
    case 'shift-tab': return edit(moved(f, -1));
    case 'j': case 'down': case ']': case 'l': case 'right': return edit(changed(f, 1, alive));
    case 'k': case 'up': case '[': case 'h': case 'left': return edit(changed(f, -1, alive));
    case 'f': return edit({ ...f, what: 'frames' });
    case 's': return edit({ ...f, what: 'slices' });
    case 'backspace': return numeric ? set(text.slice(0, -1)) : edit(f);
  }
  if (numeric && /^[0-9]$/.test(key)) return set((text + key).slice(0, MAX_DIGITS));
  return edit(f);
}
