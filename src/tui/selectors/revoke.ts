// The revocation dialog's view model: its fields with the one being edited
// marked, and what the chosen environment holds and whether it can answer
// (a revoke upcall lets it choose what to give; without one the abort
// protocol takes the resources at the deadline).

import type { EnvView, Snapshot } from '../../session/index.js';
import { clip, fit, hex, num, wrap } from '../format.js';
import { REVOKE_DEFAULTS, revokeValues, type RevokeField, type RevokeForm } from '../revoke.js';

export type RevokeLineKind = 'text' | 'field' | 'cursor' | 'note' | 'error' | 'question';

export interface RevokeView {
  readonly title: string;
  readonly lines: readonly { readonly text: string; readonly kind: RevokeLineKind }[];
}

const LABELS: Readonly<Record<RevokeField, string>> = { env: 'environment', what: 'what', count: 'how many', window: 'window' };

/** The question the bottom line asks when the form is complete. */
export function revokeQuestion(f: RevokeForm): string {
  const v = revokeValues(f);
  return `Revoke ${v.count} ${f.what} from ${f.env} within ${num(v.window)} cycles? (y/n, Backspace edits)`;
}

/** Frames `e` owns that the abort protocol could take (not guaranteed). */
function takeable(s: Snapshot, e: EnvView): number {
  const pinned = new Set(s.guaranteedFrames);
  return s.frameOwners.reduce((n, o, f) => n + (o === e.id && !pinned.has(f) ? 1 : 0), 0);
}

/** Each field's value as shown, and the hint beside it. */
function fieldRows(f: RevokeForm, s: Snapshot, e: EnvView | undefined, alive: readonly string[]): [RevokeField, string, string][] {
  const v = revokeValues(f);
  const typed = (text: string, dflt: number, field: RevokeField) => (text === '' ? num(dflt) : text) + (f.field === field && !f.confirming ? '█' : '');
  const holds = !e ? '' : f.what === 'frames' ? `${f.env} owns ${e.framesOwned} frames, ${takeable(s, e)} of them not guaranteed` : `${f.env} owns ${e.slots} of 128 slots`;
  const deadline = Number.isNaN(v.window) ? '' : `deadline about cycle ${num(s.cycle + v.window)}`;
  return [
    ['env', f.env, `j/k: ${alive.join(' ')}`],
    ['what', f.what, 'f frames, s slices (j/k)'],
    ['count', typed(f.count, REVOKE_DEFAULTS[f.what], 'count'), holds],
    ['window', `${typed(f.window, REVOKE_DEFAULTS.window, 'window')} cycles`, deadline],
  ];
}

/** How the chosen environment can answer, in a sentence or two, as of `cycle`. */
function answerNotes(e: EnvView | undefined, name: string, cycle: number): string[] {
  if (!e) return [`${name} is gone`];
  const up = new Map(e.upcalls.map((u) => [u.upcall, u.pc]));
  const out = [up.has('revoke')
    ? `${name} has a revoke upcall at ${hex(up.get('revoke')!)}: it chooses what to give back.`
    : `${name} has no revoke upcall: nothing asks it, and at the deadline the abort protocol takes them (guaranteed frames are never taken).`];
  if (up.has('repossess')) out.push(`Its repossess upcall at ${hex(up.get('repossess')!)} hears what the abort protocol took.`);
  const r = e.revoke;
  if (r) {
    const when = r.deadline > cycle ? `by cycle ${num(r.deadline)}, in ${num(r.deadline - cycle)}` : `its deadline, cycle ${num(r.deadline)}, has passed: the abort protocol takes them next`;
    out.push(`It already has a revocation pending (${r.count} ${r.what}, ${when}): the kernel refuses another.`);
  }
  return out;
}

/** The dialog for `form` over snapshot `s`, `width` columns wide; `alive` are the environments it can choose. */
export function selectRevoke(f: RevokeForm, s: Snapshot, alive: readonly string[], width: number): RevokeView {
  const e = s.envs.find((x) => x.name === f.env);
  const lines: { text: string; kind: RevokeLineKind }[] = [
    { text: 'Visible revocation (Aegis, sec. 3.4): the kernel asks; at the deadline the abort protocol takes what was not given.', kind: 'note' },
    { text: '', kind: 'text' },
  ];
  for (const [field, value, hint] of fieldRows(f, s, e, alive)) {
    const cur = field === f.field && !f.confirming;
    lines.push({ text: `${cur ? '▸' : ' '} ${fit(LABELS[field], 12)} ${fit(value, 18)} ${hint}`, kind: cur ? 'cursor' : 'field' });
  }
  lines.push({ text: '', kind: 'text' }, ...answerNotes(e, f.env, s.cycle).map((text) => ({ text, kind: 'note' as const })));
  if (f.error) lines.push({ text: '', kind: 'text' }, { text: f.error, kind: 'error' });
  if (f.confirming) lines.push({ text: '', kind: 'text' }, { text: revokeQuestion(f), kind: 'question' });
  // Sentences wrap; the field rows are cut, so that they stay one a line.
  const fitted = lines.flatMap((l) => (l.kind === 'field' || l.kind === 'cursor' ? [{ ...l, text: clip(l.text, width) }] : wrap(l.text, width).map((text) => ({ ...l, text }))));
  return { title: `Revoke resources from ${f.env}`, lines: fitted };
}

/** The bottom line's hint for the field being edited. */
export function revokeHint(f: RevokeForm): string {
  if (f.confirming) return revokeQuestion(f);
  const keys: Readonly<Record<RevokeField, string>> = {
    env: 'j/k choose the environment', what: 'f frames  s slices', count: 'type how many', window: 'type the cycles before the abort protocol',
  };
  return `${keys[f.field]}  Tab/Enter next${f.field === 'window' ? ' (Enter: confirm)' : ''}  S-Tab back  Esc cancel`;
}
