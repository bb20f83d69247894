// The inject dialog's view model: its fields with the one being edited
// marked, where the datagrams go, and which environment's filter would take
// them (from the DPF view: the owner of a filter on that address and port).

import type { Snapshot } from '../../session/index.js';
import { clip, fit, wrap } from '../format.js';
import { INJECT_FROM_PORT, isIpv4, parsePort, type InjectField, type InjectForm } from '../inject.js';
import type { RevokeLineKind, RevokeView } from './revoke.js';

const LABELS: Readonly<Record<InjectField, string>> = { to: 'to address', port: 'port', payload: 'payload', count: 'how many' };
const HINTS: Readonly<Record<InjectField, string>> = {
  to: 'an address of the machine', port: 'UDP destination port', payload: 'the datagram\'s bytes (as text)', count: '100,000 cycles apart',
};

/** The environments whose filters test for `ip` and `port` (by the atoms' text), by name. */
export function listeners(s: Snapshot, ip: string, port: number): string[] {
  if (!s.dpf) return [];
  const ipHex = `0x${ip.split('.').reduce((v, p) => v * 256 + Number(p), 0).toString(16)}`;
  const portHex = `0x${port.toString(16)}`;
  const names = new Map(s.envs.map((e) => [e.id, e.name]));
  const hits = s.dpf.filters.filter((f) => f.atoms.some((a) => a.endsWith(`== ${ipHex}`)) && f.atoms.some((a) => a.endsWith(`== ${portHex}`)));
  return [...new Set(hits.map((f) => names.get(f.env) ?? `#${f.env}`))];
}

/** The dialog for `form` over snapshot `s`, `width` columns wide. */
export function selectInject(f: InjectForm, s: Snapshot, width: number): RevokeView {
  const lines: { text: string; kind: RevokeLineKind }[] = [
    { text: `A UDP datagram from the peer host 10.0.0.1 port ${INJECT_FROM_PORT}, put on the wire towards the machine's LANCE; the packet filter decides who gets it.`, kind: 'note' },
    { text: '', kind: 'text' },
  ];
  for (const field of ['to', 'port', 'payload', 'count'] as const) {
    const cur = field === f.field;
    const value = f[field] + (cur ? '█' : '');
    lines.push({ text: `${cur ? '▸' : ' '} ${fit(LABELS[field], 11)} ${fit(value, 22)} ${HINTS[field]}`, kind: cur ? 'cursor' : 'field' });
  }
  const port = parsePort(f.port);
  if (!s.dpf) lines.push({ text: '', kind: 'text' }, { text: 'This machine has no network: nothing will arrive.', kind: 'error' });
  else if (isIpv4(f.to) && port !== undefined) {
    const who = listeners(s, f.to, port);
    lines.push({ text: '', kind: 'text' }, {
      text: who.length ? `A filter of ${who.join(', ')} matches ${f.to}:${port}.` : `No filter matches ${f.to}:${port} yet: the packet will be dropped.`, kind: 'note',
    });
  }
  if (f.error) lines.push({ text: '', kind: 'text' }, { text: f.error, kind: 'error' });
  const fitted = lines.flatMap((l) => (l.kind === 'field' || l.kind === 'cursor' ? [{ ...l, text: clip(l.text, width) }] : wrap(l.text, width).map((text) => ({ ...l, text }))));
  return { title: 'Inject UDP datagrams', lines: fitted };
}

/** The bottom line's hint in the dialog. */
export function injectHint(): string {
  return 'type to edit  Tab/↓ next  S-Tab/↑ back  Enter send  Esc cancel';
}
