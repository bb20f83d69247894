// The event catalogue: every kind of kernel event, once. The KernelEvent
// type, the scenario schema's event fields (src/scenario/events.ts),
// the replay log's formatting, the TUI's one-line summaries, tones and
// break-on menu, and the table in docs/scenarios.md are all derived from
// EVENTS; a test fails when the doc is stale (npm run docs rewrites it).
//
// Each kind has: `what`, one line for menus and docs; `group`, the break-on
// menu's section ('revocation': revocation, repossession and the CPU;
// 'network'; 'other') with `rank` ordering a section most wanted first;
// `fields`, each with how a scenario pattern writes it (EventFieldType);
// `summary`, the TUI's summary as a template (see summarizeEvent); `tone`,
// how the log colours it; `notes`, remarks on fields for the docs.

/** Why a binding (tlb_map) was refused. */
export type RefusalReason = 'inval' | 'cap' | 'perm' | 'nospc';

/**
 * How a field is written in a pattern and shown: `env` an environment (an
 * id in the event, a name in patterns and logs); `address` a virtual
 * address (hex); `int`; `text`; `boolean`; `exception` a name from
 * EXC_NAMES; `refusal` a RefusalReason; `syscall` a system call name.
 */
export type EventFieldType = 'env' | 'address' | 'int' | 'text' | 'boolean' | 'exception' | 'refusal' | 'syscall';

/** The break-on menu's sections. */
export type EventGroup = 'revocation' | 'network' | 'other';

/** How the event log colours an event. */
export type EventTone = 'normal' | 'warn' | 'error' | 'dim';

/** One kind of the catalogue. */
export interface EventSpec {
  readonly what: string;
  readonly group: EventGroup;
  readonly rank?: number;
  readonly tone?: EventTone;
  readonly fields: Readonly<Record<string, EventFieldType>>;
  readonly notes?: Readonly<Record<string, string>>;
  readonly summary: string;
}

/** Every event the kernel emits, by kind, in the kernel's order. */
export const EVENTS = {
  'env-created': {
    what: 'an environment was created', group: 'other',
    fields: { env: 'env', name: 'text', asid: 'int' },
    summary: '{name}{asid+? asid @|, no ASID until it first runs}',
  },
  'env-destroyed': {
    what: 'an environment was destroyed', group: 'other', tone: 'error',
    fields: { env: 'env', reason: 'text', frames: 'int' },
    summary: '{reason}, {frames} frames back',
  },
  'env-create-failed': {
    what: 'an environment could not be created', group: 'other', tone: 'error',
    fields: { name: 'text', reason: 'text' },
    summary: '{name}: {reason}',
  },
  'asid-recycled': {
    what: 'an ASID was taken from one environment for another', group: 'other',
    fields: { asid: 'int', from: 'env', to: 'env' },
    summary: 'asid {asid} from {from} to {to}',
  },
  'dispatch': {
    what: 'an exception was dispatched to an environment', group: 'other', tone: 'warn',
    fields: { env: 'env', exc: 'exception', epc: 'address', badvaddr: 'address', handler: 'address' },
    summary: '{exc} at {epc} va {badvaddr} -> {handler}',
  },
  'stlb-hit': {
    what: 'the STLB served a TLB miss', group: 'other',
    fields: { env: 'env', vaddr: 'address' },
    summary: 'vaddr {vaddr}',
  },
  'stlb-miss': {
    what: 'a TLB miss the STLB could not serve', group: 'other', tone: 'warn',
    fields: { env: 'env', vaddr: 'address' },
    summary: 'vaddr {vaddr}',
  },
  'guaranteed-hit': {
    what: 'a guaranteed mapping served a TLB miss', group: 'other',
    fields: { env: 'env', vaddr: 'address' },
    summary: 'vaddr {vaddr}',
  },
  'binding-installed': {
    what: 'a secure binding was installed', group: 'other',
    fields: { env: 'env', vaddr: 'address', frame: 'int', writable: 'boolean', guaranteed: 'boolean' },
    summary: 'vaddr {vaddr} -> frame {frame}{writable? rw| ro}{guaranteed? guaranteed}',
  },
  'binding-refused': {
    what: 'a secure binding was refused', group: 'other', tone: 'error',
    fields: { env: 'env', vaddr: 'address', frame: 'int', reason: 'refusal', detail: 'text' },
    summary: 'vaddr {vaddr} frame {frame}: {reason} {detail}',
  },
  'binding-removed': {
    what: 'a secure binding was removed', group: 'other',
    fields: { env: 'env', vaddr: 'address', frame: 'int', why: 'text' },
    summary: 'vaddr {vaddr} frame {frame}: {why}',
  },
  'stlb-evict': {
    what: 'an STLB entry was evicted', group: 'other', tone: 'warn',
    fields: { env: 'env', vaddr: 'address', by: 'env' },
    summary: 'vaddr {vaddr} by {by}',
  },
  'frame-alloc': {
    what: 'a frame was allocated', group: 'other',
    fields: { env: 'env', frame: 'int' },
    summary: 'frame {frame}',
  },
  'frame-free': {
    what: 'a frame was freed', group: 'other',
    fields: { env: 'env', frame: 'int' },
    summary: 'frame {frame}',
  },
  'frame-grant': {
    what: 'a capability for a frame was granted', group: 'other',
    fields: { env: 'env', frame: 'int', rights: 'int' },
    summary: 'frame {frame} rights {rights}',
  },
  'frame-rekey': {
    what: 'a frame was rekeyed', group: 'other',
    fields: { env: 'env', frame: 'int' },
    summary: 'frame {frame}',
  },
  'syscall': {
    what: 'a system call returned', group: 'other',
    fields: { env: 'env', call: 'syscall', result: 'int' },
    summary: '{call} -> {result}',
  },
  'context-switch': {
    what: 'the CPU went to another environment', group: 'other',
    fields: { from: 'env', to: 'env' },
    summary: '{from} -> {to}',
  },
  'console': {
    what: 'an environment wrote to its console', group: 'other',
    fields: { env: 'env', text: 'text' },
    summary: '{text:json}',
  },
  'idle': {
    what: 'no environment was runnable', group: 'other', tone: 'dim',
    fields: {},
    summary: '',
  },
  'no-slice': {
    what: 'the CPU idles while an environment that holds no time slice is runnable', group: 'revocation', rank: 13, tone: 'warn',
    fields: { env: 'env' },
    summary: 'holds no slice: runs only when donated to',
  },
  'slice-start': {
    what: 'a time slice began', group: 'revocation', rank: 9,
    fields: { env: 'env', slot: 'int', cycles: 'int', upcall: 'boolean' },
    summary: 'slot {slot}, {cycles:n} cycles{upcall?, prologue upcall}',
  },
  'slice-end': {
    what: 'a time slice ended', group: 'revocation', rank: 10,
    fields: { env: 'env', slot: 'int', why: 'text' },
    summary: 'slot {slot}: {why}',
  },
  'slice-skipped': {
    what: 'a time slice was skipped (overrun penalty)', group: 'revocation', rank: 5, tone: 'warn',
    fields: { env: 'env', slot: 'int', penalty: 'int' },
    summary: 'slot {slot}, penalty {penalty:n}',
  },
  'slice-alloc': {
    what: 'a time slice was allocated', group: 'revocation', rank: 11,
    fields: { env: 'env', slot: 'int' },
    summary: 'slot {slot}',
  },
  'slice-free': {
    what: 'a time slice was freed', group: 'revocation', rank: 12,
    fields: { env: 'env', slot: 'int' },
    summary: 'slot {slot}',
  },
  'epilogue': {
    what: 'the end-of-slice upcall was delivered', group: 'revocation', rank: 6,
    fields: { env: 'env', grace: 'int' },
    summary: 'grace {grace:n} cycles',
  },
  'overrun': {
    what: 'an environment overran its slice', group: 'revocation', rank: 4, tone: 'warn',
    fields: { env: 'env', count: 'int', penalty: 'int' },
    summary: '{count} times, penalty {penalty:n}',
  },
  'yield': {
    what: 'an environment yielded its slice', group: 'revocation', rank: 7, notes: { to: '0 for a plain yield' },
    fields: { env: 'env', to: 'env' },
    summary: '{to?to @|the rest of its slice}',
  },
  'pct': {
    what: 'a protected control transfer', group: 'revocation', rank: 8,
    fields: { env: 'env', to: 'env', call: 'syscall' },
    summary: '{call} to {to}',
  },
  'upcall': {
    what: 'the kernel made an upcall (prologue, epilogue, revoke, repossess, pct)', group: 'revocation', rank: 3, notes: { upcall: 'prologue, epilogue, revoke, repossess, pct' },
    fields: { env: 'env', upcall: 'text', a0: 'int', a1: 'int' },
    summary: '{upcall} a0 {a0:x} a1 {a1:x}',
  },
  'revoke-request': {
    what: 'the kernel asked an environment for frames or slices back', group: 'revocation', rank: 0, tone: 'warn', notes: { what: 'frames or slices' },
    fields: { env: 'env', what: 'text', count: 'int', deadline: 'int' },
    summary: '{count} {what} by cycle {deadline:n}',
  },
  'revoke-honoured': {
    what: 'an environment gave back all it was asked for', group: 'revocation', rank: 1,
    fields: { env: 'env', what: 'text', count: 'int' },
    summary: '{count} {what} given back',
  },
  'abort': {
    what: 'the abort protocol took resources by force (repossession)', group: 'revocation', rank: 2, tone: 'error',
    fields: { env: 'env', what: 'text', taken: 'int' },
    summary: 'took {taken} {what}',
  },
  'packet-received': {
    what: 'a packet arrived at the network interface', group: 'network', rank: 4,
    fields: { len: 'int' },
    summary: 'len {len}',
  },
  'packet-delivered': {
    what: 'a packet filter delivered a packet to its ring', group: 'network', rank: 0,
    fields: { env: 'env', filter: 'int', ring: 'int', len: 'int' },
    summary: 'filter {filter} ring {ring} len {len}',
  },
  'packet-dropped': {
    what: 'a packet was dropped', group: 'network', rank: 1, notes: { env: '0 when no filter matched' },
    fields: { env: 'env', len: 'int', why: 'text' },
    summary: 'len {len} why {why}',
  },
  'packet-sent': {
    what: 'an environment sent a packet', group: 'network', rank: 5,
    fields: { env: 'env', len: 'int' },
    summary: 'len {len}',
  },
  'filter-inserted': {
    what: 'a packet filter was inserted', group: 'network', rank: 6,
    fields: { env: 'env', filter: 'int', atoms: 'int', ring: 'int', ash: 'boolean' },
    summary: 'filter {filter} atoms {atoms} ring {ring} ash {ash}',
  },
  'filter-refused': {
    what: 'a packet filter was refused', group: 'network', rank: 7,
    fields: { env: 'env', why: 'text' },
    summary: 'why {why}',
  },
  'filter-removed': {
    what: 'a packet filter was removed', group: 'network', rank: 8,
    fields: { env: 'env', filter: 'int' },
    summary: 'filter {filter}',
  },
  'ash': {
    what: 'an application-specific handler ran on a packet', group: 'network', rank: 2,
    fields: { env: 'env', filter: 'int', consumed: 'boolean', instructions: 'int' },
    summary: 'filter {filter} consumed {consumed} instructions {instructions}',
  },
  'ash-abort': {
    what: 'an application-specific handler was aborted', group: 'network', rank: 3,
    fields: { env: 'env', filter: 'int', why: 'text', instructions: 'int' },
    summary: 'filter {filter} why {why} instructions {instructions}',
  },
} as const satisfies Readonly<Record<string, EventSpec>>;

/** The kinds, for filters and schemas. */
export type KernelEventKind = keyof typeof EVENTS;

/** The TypeScript type of a field of each EventFieldType. */
interface FieldValue {
  env: number; address: number; int: number; text: string; boolean: boolean;
  exception: string; refusal: RefusalReason; syscall: string;
}

type FieldsOf<K extends KernelEventKind> = (typeof EVENTS)[K]['fields'];

/** The event of kind K: kind, cycle and its fields, typed from the table. */
export type EventOf<K extends KernelEventKind> = { kind: K; cycle: number } & { -readonly [F in keyof FieldsOf<K>]: FieldValue[FieldsOf<K>[F] & EventFieldType] };

/** Every event the kernel emits, by kind. */
export type KernelEvent = { [K in KernelEventKind]: EventOf<K> }[KernelEventKind];

/** Every event kind, in the table's order. */
export const EVENT_KINDS = Object.keys(EVENTS) as KernelEventKind[];

/** The catalogue entry of `kind`. */
export function eventSpec(kind: KernelEventKind): EventSpec {
  return EVENTS[kind];
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
const withCommas = (n: number) => Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** An environment's name for logs: its name, "-" for none (0), or "env id" when no name is known. */
export function envLabel(names: ReadonlyMap<number, string>, id: number): string {
  return names.get(id) ?? (id === 0 ? '-' : `env ${id}`);
}

/**
 * Event `e` in a few words, from its kind's `summary` template: `{f}` is
 * field f shown by its type (an address as 8 hex digits, an environment by
 * name), `{f:n}` a number with thousands separators, `{f:x}` 8 hex digits,
 * `{f:json}` a JSON string, `{f?yes|no}` one text or the other by truth,
 * `{f+?yes|no}` by f >= 0; in yes and no, `@` is the field as `{f}` shows it.
 */
export function summarizeEvent(e: KernelEvent, names: ReadonlyMap<number, string>): string {
  const spec = EVENTS[e.kind] as EventSpec;
  return summarizeFields(spec.summary, spec.fields, e as unknown as Record<string, unknown>, names);
}

/**
 * The event `rec` in words from a `summary` template of the syntax
 * summarizeEvent describes, with `fields` saying how each field is shown
 * (an 'address' as 8 hex digits, an 'env' by name, any other type as
 * String does). For event tables kept above this layer (the monolithic
 * kernel's, src/monolithic/events.ts), which share the template syntax.
 */
export function summarizeFields(summary: string, fields: Readonly<Record<string, string>>, rec: Record<string, unknown>, names: ReadonlyMap<number, string>): string {
  return summary.replace(/\{(\w+)(?::(\w+)|(\+?)\?([^|}]*)(?:\|([^}]*))?)?\}/g, (_, f: string, fmt?: string, sign?: string, yes?: string, no?: string) => {
    const v = rec[f];
    if (yes !== undefined) {
      const holds = sign ? Number(v) >= 0 : Boolean(v);
      return (holds ? yes : no ?? '').replace('@', () => shown(fields[f], v, names));
    }
    if (fmt === 'n') return withCommas(Number(v));
    if (fmt === 'x') return hex8(Number(v));
    if (fmt === 'json') return JSON.stringify(v);
    return shown(fields[f], v, names);
  });
}

/** A field's value as its type shows it: an address as 8 hex digits, an environment by name. */
function shown(type: string | undefined, v: unknown, names: ReadonlyMap<number, string>): string {
  if (type === 'address') return hex8(Number(v));
  if (type === 'env') return envLabel(names, Number(v));
  return String(v);
}

/** The docs' table of event kinds (docs/scenarios.md, "Event kinds"), as Markdown. */
export function eventKindsMarkdown(): string {
  const rows = EVENT_KINDS.map((k) => {
    const s = EVENTS[k] as EventSpec;
    const fields = Object.keys(s.fields).map((f) => `\`${f}\`${s.notes?.[f] ? ` (${s.notes[f]})` : ''}`).join(', ') || '(none)';
    return `| \`${k}\` | ${fields} | ${s.what} |`;
  });
  return ['| kind | fields | what it says |', '|------|--------|--------------|', ...rows].join('\n') + '\n';
}
