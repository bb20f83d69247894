// Names the TUI shows, from the catalogues below the session (one place
// each): the general registers, the R3000A exception codes an environment
// can take, and the kernel's event kinds with the break-on menu's sections.

import { EVENT_KINDS as KINDS, EVENTS, EXCEPTIONS as ALL_EXCEPTIONS, GPR_NAMES, excName as catalogueExcName, type KernelEvent as Event, type KernelEventKind } from '../session/index.js';

/** A kernel event as snapshots carry it. */
export type KernelEvent = Event;
/** The kind of a kernel event. */
export type EventKind = KernelEventKind;

/** General registers by number, as objdump (and the disassembly) names them. */
export const REG_NAMES: readonly string[] = GPR_NAMES;

/**
 * Cause.ExcCode values an environment can take, with the names the R3000
 * manual gives them (IDT R30xx Family Software Reference Manual, ch. 5,
 * "ExcCode values"). Code 0 (Int) is the kernel's and is left out.
 */
export const EXCEPTIONS: readonly { readonly code: number; readonly name: string; readonly what: string }[] = ALL_EXCEPTIONS.filter((e) => e.code !== 0);

/** The event kinds with a one-line description, in the kernel's order. */
export const EVENT_KINDS: readonly { readonly kind: EventKind; readonly what: string }[] = KINDS.map((kind) => ({ kind, what: EVENTS[kind].what }));

/** The kinds of one break-on menu section, most wanted first (the catalogue's rank). */
function section(group: 'revocation' | 'network'): EventKind[] {
  const rank = (k: EventKind) => (EVENTS[k] as { rank?: number }).rank ?? 0;
  return KINDS.filter((k) => EVENTS[k].group === group).sort((a, b) => rank(a) - rank(b));
}

/**
 * The kinds about revocation, repossession and the CPU, most wanted first:
 * the break-on menu shows them in a section of their own.
 */
export const REVOCATION_KINDS: readonly EventKind[] = section('revocation');

/**
 * The network's kinds, most wanted first: packets delivered and dropped and
 * the application-specific handlers, then the rest. The break-on menu shows
 * them in a section of their own.
 */
export const NETWORK_KINDS: readonly EventKind[] = section('network');

/** The name of exception code `code`, or its number. */
export const excName = catalogueExcName;
