// The inject-packet dialog (P) as plain data and a pure key function: a
// UDP datagram from the peer host to an address of the machine, its port,
// payload and how many. What it sends is the command `:inject udp <ip>
// <port> <payload> [count]` parses to, so the dialog and the command line
// do the same thing (Session.inject).

import type { Command, PacketSpec } from '../session/index.js';

/** The dialog's fields, in order. */
export const INJECT_FIELDS = ['to', 'port', 'payload', 'count'] as const;
export type InjectField = (typeof INJECT_FIELDS)[number];

export interface InjectForm {
  readonly to: string;
  readonly port: string;
  readonly payload: string;
  readonly count: string;
  readonly field: InjectField;
  /** The field was just entered: the first character typed replaces its text. */
  readonly fresh: boolean;
  readonly error: string | undefined;
}

/** What the dialog offers before anything is typed. */
export const INJECT_DEFAULTS = { to: '10.0.0.2', port: '7', payload: 'hello', count: '1' } as const;
/** The peer host's source port (the scenario format's default). */
export const INJECT_FROM_PORT = 5000;
/** Most datagrams one command queues. */
export const INJECT_MAX = 1000;

export type InjectCommand = Extract<Command, { kind: 'inject' }>;

/** What a key did to the dialog. */
export type InjectStep =
  | { readonly kind: 'edit'; readonly form: InjectForm }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'submit'; readonly command: InjectCommand };

/** A new dialog with the defaults filled in, on the address. */
export function openInject(): InjectForm {
  return { ...INJECT_DEFAULTS, field: 'to', fresh: true, error: undefined };
}

/** True for a dotted quad "a.b.c.d" of bytes. */
export function isIpv4(text: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return !!m && m.slice(1).every((p) => Number(p) <= 255);
}

/** A port 1..65535, or undefined. */
export function parsePort(text: string): number | undefined {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** A count 1..INJECT_MAX, or undefined. */
export function parseInjectCount(text: string): number | undefined {
  const n = /^[0-9]{1,4}$/.test(text) ? Number(text) : NaN;
  return n >= 1 && n <= INJECT_MAX ? n : undefined;
}

/** The `:inject udp` command for these values, or the sentence saying what is wrong and the field at fault. */
export function udpInject(to: string, port: string, payload: string, count: string): InjectCommand | { error: string; field: InjectField } {
  if (!isIpv4(to)) return { error: `${to || '(nothing)'} is not an IPv4 address (like 10.0.0.2)`, field: 'to' };
  const p = parsePort(port);
  if (p === undefined) return { error: 'The port must be a number from 1 to 65535', field: 'port' };
  const n = parseInjectCount(count);
  if (n === undefined) return { error: `How many must be a whole number from 1 to ${INJECT_MAX}`, field: 'count' };
  const packet: PacketSpec = { kind: 'udp', to, port: p, fromPort: INJECT_FROM_PORT, payload };
  return { kind: 'inject', packet, count: n };
}

const edit = (form: InjectForm): InjectStep => ({ kind: 'edit', form: { ...form, error: undefined } });

function moved(f: InjectForm, delta: number): InjectForm {
  const i = INJECT_FIELDS.indexOf(f.field);
  return { ...f, field: INJECT_FIELDS[(i + delta + INJECT_FIELDS.length) % INJECT_FIELDS.length], fresh: true };
}

/**
 * Handles one key (keys.ts spelling) in the dialog. Tab and the arrows
 * down/up move between fields; typing edits the field (the first key in a
 * field just entered replaces its default), Backspace deletes; Enter sends
 * when every field is good, else says which is not; Esc cancels.
 */
export function injectKey(f: InjectForm, key: string): InjectStep {
  switch (key) {
    case 'escape': return { kind: 'cancel' };
    case 'enter': {
      const c = udpInject(f.to, f.port, f.payload, f.count);
      return 'error' in c ? { kind: 'edit', form: { ...f, field: c.field, fresh: true, error: c.error } } : { kind: 'submit', command: c };
    }
    case 'tab': case 'down': return edit(moved(f, 1));
    case 'shift-tab': case 'up': return edit(moved(f, -1));
    case 'backspace': return edit({ ...f, [f.field]: f[f.field].slice(0, -1), fresh: false });
  }
  const ch = key === 'space' ? ' ' : key;
  if (ch.length !== 1) return edit(f);
  const text = (f.fresh ? '' : f[f.field]) + ch;
  return edit({ ...f, [f.field]: text.slice(0, f.field === 'payload' ? 200 : 15), fresh: false });
}
