// Breakpoints: the one type that scenario files, the TUI's command line,
// its break-on menu, step-over and gdb's breakpoints and watchpoints all
// use, and how one is described. A `symbol` breakpoint names a symbol of
// an environment's image; the session resolves it to a `pc` breakpoint
// when it is set. A `watch` breakpoint is a data watchpoint, which the CPU
// checks before each load and store (guest memory is never patched); a
// `symbolWatch` names its address by a symbol, resolved to a `watch` the
// same way.

import { excName } from '../emu/index.js';
import type { KernelEvent, KernelEventKind } from '../exokernel/index.js';
import type { MonoEventKind } from '../monolithic/index.js';

/** A breakpoint; `env` (an environment name) restricts it to one environment. */
export type Breakpoint =
  | { readonly kind: 'pc'; readonly addr: number; readonly env?: string }
  | { readonly kind: 'symbol'; readonly symbol: string; readonly offset?: number; readonly env?: string }
  | { readonly kind: 'exception'; readonly code: number; readonly name?: string; readonly env?: string }
  /** An event kind: the exokernel's (EVENTS) or, on the monolithic kernel, its own (MONO_EVENTS). */
  | { readonly kind: 'event'; readonly event: KernelEventKind | MonoEventKind; readonly env?: string }
  | { readonly kind: 'watch'; readonly addr: number; readonly len: number; readonly read: boolean; readonly write: boolean; readonly env?: string }
  | { readonly kind: 'symbolWatch'; readonly symbol: string; readonly offset?: number; readonly len: number; readonly read: boolean; readonly write: boolean; readonly env?: string };

/** A breakpoint as the session holds it: symbols resolved to addresses. */
export type ResolvedBreakpoint = Exclude<Breakpoint, { kind: 'symbol' | 'symbolWatch' }>;

/** The watchpoint `b` names once its symbol is at `base`. */
export function resolvedWatch(b: Extract<Breakpoint, { kind: 'symbolWatch' }>, base: number, env = b.env): ResolvedBreakpoint {
  return { kind: 'watch', addr: (base + (b.offset ?? 0)) >>> 0, len: b.len, read: b.read, write: b.write, ...(env === undefined ? {} : { env }) };
}

/** A load or store that a watchpoint stopped before. */
export interface Access {
  readonly addr: number;
  readonly size: number;
  readonly write: boolean;
}

/** What a stop with reason 'breakpoint' hit: the breakpoint, its id and, for a watchpoint the access, for an event breakpoint the event. */
export interface Hit {
  readonly id: number;
  readonly breakpoint: ResolvedBreakpoint;
  readonly access?: Access;
  readonly event?: KernelEvent;
}

/** Whether watchpoint `w` watches access `a` (its kind, and the bytes overlap). */
export function watches(w: Extract<Breakpoint, { kind: 'watch' }>, a: Access): boolean {
  return (a.write ? w.write : w.read) && a.addr < w.addr + Math.max(1, w.len) && a.addr + a.size > w.addr;
}

/** A watchpoint's kind in gdb's words: write, read or access (both). */
export const watchKind = (w: { readonly read: boolean; readonly write: boolean }): 'write' | 'read' | 'access' =>
  w.read && w.write ? 'access' : w.write ? 'write' : 'read';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/**
 * One breakpoint in words: "pc 0x00400098 <handler> in b", "main+0x8 in b",
 * "exception TLBL", "event stlb-miss". `symbol` names the symbol a pc
 * breakpoint is exactly at, when known.
 */
export function describeBreakpoint(b: Breakpoint, symbol?: string): string {
  const where = b.env ? ` in ${b.env}` : '';
  switch (b.kind) {
    case 'pc': return `pc 0x${hex8(b.addr)}${symbol ? ` <${symbol}>` : ''}${where}`;
    case 'symbol': return `${b.symbol}${b.offset ? `+0x${b.offset.toString(16)}` : ''}${where}`;
    case 'exception': return `exception ${excName(b.code)}${where}`;
    case 'event': return `event ${b.event}${where}`;
    case 'watch': return `watch ${watchKind(b)} 0x${hex8(b.addr)} (${b.len} byte${b.len === 1 ? '' : 's'})${where}`;
    case 'symbolWatch': return `watch ${watchKind(b)} ${b.symbol}${b.offset ? `+0x${b.offset.toString(16)}` : ''} (${b.len} byte${b.len === 1 ? '' : 's'})${where}`;
  }
}

/** True when `a` and `b` stop at the same thing, environments aside. */
export function sameTarget(a: Breakpoint, b: Breakpoint): boolean {
  if (a.kind === 'exception' && b.kind === 'exception') return a.code === b.code;
  if (a.kind === 'event' && b.kind === 'event') return a.event === b.event;
  if (a.kind === 'pc' && b.kind === 'pc') return a.addr === b.addr;
  if (a.kind === 'watch' && b.kind === 'watch') return a.addr === b.addr && a.len === b.len && a.read === b.read && a.write === b.write;
  return false;
}
