// Names the TUI shows: MIPS register names, the R3000A exception codes and
// the kernel's event kinds. Plain data, so the TUI needs nothing from the
// layers below the session to label what it draws.

import type { Snapshot } from '../session/index.js';

/** A kernel event as snapshots carry it. */
export type KernelEvent = Snapshot['events'][number];
/** The kind of a kernel event. */
export type EventKind = KernelEvent['kind'];

/** General registers by number, as the MIPS ABI names them. */
export const REG_NAMES: readonly string[] = [
  'zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3',
  't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7',
  't8', 't9', 'k0', 'k1', 'gp', 'sp', 'fp', 'ra',
];

/**
 * Cause.ExcCode values an environment can take, with the names the R3000
 * manual gives them (IDT R30xx Family Software Reference Manual, ch. 5,
 * "ExcCode values"). Code 0 (Int) is the kernel's and is left out.
 */
export const EXCEPTIONS: readonly { readonly code: number; readonly name: string; readonly what: string }[] = [
  { code: 1, name: 'Mod', what: 'TLB modified (store to a clean page)' },
  { code: 2, name: 'TLBL', what: 'TLB miss on a load or fetch' },
  { code: 3, name: 'TLBS', what: 'TLB miss on a store' },
  { code: 4, name: 'AdEL', what: 'address error on a load or fetch' },
  { code: 5, name: 'AdES', what: 'address error on a store' },
  { code: 6, name: 'IBE', what: 'bus error on a fetch' },
  { code: 7, name: 'DBE', what: 'bus error on a load or store' },
  { code: 8, name: 'Sys', what: 'syscall' },
  { code: 9, name: 'Bp', what: 'break instruction' },
  { code: 10, name: 'RI', what: 'reserved instruction' },
  { code: 11, name: 'CpU', what: 'coprocessor unusable' },
  { code: 12, name: 'Ov', what: 'arithmetic overflow' },
];

/** Every event kind, each once; the Record makes the compiler check the list is complete. */
const KINDS: Record<EventKind, string> = {
  'env-created': 'an environment was created',
  'env-destroyed': 'an environment was destroyed',
  'env-create-failed': 'an environment could not be created',
  'asid-recycled': 'an ASID was taken from one environment for another',
  'dispatch': 'an exception was dispatched to an environment',
  'stlb-hit': 'the STLB served a TLB miss',
  'stlb-miss': 'a TLB miss the STLB could not serve',
  'guaranteed-hit': 'a guaranteed mapping served a TLB miss',
  'binding-installed': 'a secure binding was installed',
  'binding-refused': 'a secure binding was refused',
  'binding-removed': 'a secure binding was removed',
  'stlb-evict': 'an STLB entry was evicted',
  'frame-alloc': 'a frame was allocated',
  'frame-free': 'a frame was freed',
  'frame-grant': 'a capability for a frame was granted',
  'frame-rekey': 'a frame was rekeyed',
  'syscall': 'a system call returned',
  'context-switch': 'the CPU went to another environment',
  'console': 'an environment wrote to its console',
  'idle': 'no environment was runnable',
  'slice-start': 'a time slice began',
  'slice-end': 'a time slice ended',
  'slice-skipped': 'a time slice was skipped (overrun penalty)',
  'slice-alloc': 'a time slice was allocated',
  'slice-free': 'a time slice was freed',
  'epilogue': 'the end-of-slice upcall was delivered',
  'overrun': 'an environment overran its slice',
  'yield': 'an environment yielded its slice',
  'pct': 'a protected control transfer',
  'upcall': 'the kernel made an upcall (prologue, epilogue, revoke, repossess, pct)',
  'revoke-request': 'the kernel asked an environment for frames or slices back',
  'revoke-honoured': 'an environment gave back all it was asked for',
  'abort': 'the abort protocol took resources by force (repossession)',
  'packet-received': 'a packet arrived at the network interface',
  'packet-delivered': 'a packet filter delivered a packet to its ring',
  'packet-dropped': 'a packet was dropped',
  'packet-sent': 'an environment sent a packet',
  'filter-inserted': 'a packet filter was inserted',
  'filter-refused': 'a packet filter was refused',
  'filter-removed': 'a packet filter was removed',
  'ash': 'an application-specific handler ran on a packet',
  'ash-abort': 'an application-specific handler was aborted',
};

/** The event kinds with a one-line description, in the kernel's order. */
export const EVENT_KINDS: readonly { readonly kind: EventKind; readonly what: string }[] =
  Object.entries(KINDS).map(([kind, what]) => ({ kind: kind as EventKind, what }));

/**
 * The kinds about revocation, repossession and the CPU, most wanted first:
 * the break-on menu shows them in a section of their own.
 */
export const REVOCATION_KINDS: readonly EventKind[] = [
  'revoke-request', 'revoke-honoured', 'abort', 'upcall', 'overrun', 'slice-skipped', 'epilogue',
  'yield', 'pct', 'slice-start', 'slice-end', 'slice-alloc', 'slice-free',
];

/**
 * The network's kinds, most wanted first: packets delivered and dropped and
 * the application-specific handlers, then the rest. The break-on menu shows
 * them in a section of their own.
 */
export const NETWORK_KINDS: readonly EventKind[] = [
  'packet-delivered', 'packet-dropped', 'ash', 'ash-abort',
  'packet-received', 'packet-sent', 'filter-inserted', 'filter-refused', 'filter-removed',
];

/** The name of exception code `code`, or its number. */
export function excName(code: number): string {
  return EXCEPTIONS.find((e) => e.code === code)?.name ?? (code === 0 ? 'Int' : String(code));
}
