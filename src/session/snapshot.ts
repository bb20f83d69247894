// Snapshots: plain, serializable, read-only data describing the whole
// session at one instant. The TUI renders only these (through the Debugger).

import type { MemoryWindow } from './memory-window.js';
import { CP0_NAMES, disassemble, EXC_NAMES, symbolizer, type ElfSymbol } from '../emu/index.js';
import { checkInvariant, UPCALL_NAMES, type DpfView, type Kernel, type KernelEvent } from '../exokernel/index.js';
import type { History } from './history.js';
import type { MonoCounters } from '../monolithic/index.js';
import type { MonoEvent } from '../monolithic/index.js';
import type { ProcessView } from '../monolithic/index.js';
import type { Session, Stop } from './session.js';
import type { PairCount } from './history.js';
import { MonoStation } from './mono-station.js';
import { takeMonoSnapshot } from './mono-snapshot.js';

export interface TlbRow { readonly index: number; readonly vpn: number; readonly asid: number; readonly pfn: number; readonly n: boolean; readonly d: boolean; readonly v: boolean; readonly g: boolean }
export interface StlbRow { readonly slot: number; readonly vpn: number; readonly pfn: number; readonly d: boolean }
export interface CodeLine {
  readonly addr: number; readonly word: number | undefined; readonly text: string; readonly label: string | undefined;
  /** The address as symbol+offset ("walk+0x1c") in the image on the CPU, when it has symbols. */
  readonly symbol: string | undefined;
  readonly breakpoint: boolean; readonly current: boolean;
}

export interface EnvView {
  readonly id: number;
  readonly name: string;
  readonly state: string;
  readonly reason: string;
  readonly asid: number;
  readonly current: boolean;
  readonly handlers: readonly { readonly exc: string; readonly pc: number }[];
  readonly saveArea: number;
  readonly guaranteed: number;
  readonly framesOwned: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly console: string;
  readonly stlb: readonly StlbRow[];
  /** The guaranteed mappings (Aegis paper, sec. 5.1): never evicted, refilled by the kernel without the STLB. */
  readonly guaranteedMappings: readonly { readonly vpn: number; readonly pfn: number; readonly d: boolean }[];
  /** Interrupt, revocation and protected entry contexts: the registered upcalls. */
  readonly upcalls: readonly { readonly upcall: string; readonly pc: number }[];
  readonly slots: number;
  readonly cpuCycles: number;
  readonly overruns: number;
  readonly penalty: number;
  readonly waitingOn: number;
  readonly revoke: { readonly what: string; readonly count: number; readonly given: number; readonly deadline: number } | undefined;
}

/**
 * Who may reach a frame that someone holds a binding of: the length of its
 * access list (entry 0 is the owner's capability, the rest granted) and
 * each environment holding a binding, with the rights it bound it with.
 */
export interface FrameAccess {
  readonly frame: number;
  readonly caps: number;
  readonly holders: readonly { readonly env: number; readonly rights: number }[];
}

/** The time-slice vector. */
export interface SlicesView {
  /** Owner environment id of each of the 128 slots (0 free). */
  readonly owner: readonly number[];
  readonly current: number;
  readonly phase: string;
  readonly ticksLeft: number;
  readonly sliceTicks: number;
}

export interface Snapshot {
  /** The memory pane's window (memory-window.ts), read only while a front end shows the pane (Debugger.showMemory). */
  readonly memory?: MemoryWindow;
  /** With several machines: the one every pane shows (its name); undefined for a one-machine session. */
  readonly machine: string | undefined;
  /** Every machine's name, the first first; empty for a one-machine session. */
  readonly machines: readonly string[];
  readonly cycle: number;
  readonly instret: number;
  readonly stop: Stop;
  readonly cpu: {
    readonly pc: number;
    readonly inDelay: boolean;
    readonly regs: readonly number[];
    readonly hi: number;
    readonly lo: number;
    readonly cp0: Readonly<Record<string, number>>;
  };
  readonly code: readonly CodeLine[];
  readonly tlb: readonly TlbRow[];
  readonly stlbCounters: { readonly hits: number; readonly misses: number; readonly evictions: number };
  readonly envs: readonly EnvView[];
  readonly slices: SlicesView;
  /** Owner environment id of every frame (0 free, 65535 kernel). */
  readonly frameOwners: readonly number[];
  /** Frames with capabilities granted beyond the owner's. */
  readonly sharedFrames: readonly number[];
  readonly guaranteedFrames: readonly number[];
  /** Frames with a binding or a granted capability, by frame number (any other owned frame has its owner's capability alone). */
  readonly frameAccess: readonly FrameAccess[];
  readonly events: readonly KernelEvent[];
  readonly eventsTotal: number;
  /** How many of the oldest events the history has forgotten (its spill file's bound, history.ts `first`); 0 or absent when none. */
  readonly eventsForgotten?: number;
  /**
   * Events of each kind and about each environment since boot (the whole
   * history, not only those carried); undefined in a snapshot taken
   * without them (SnapshotOptions.counts).
   */
  readonly eventKinds: Readonly<Record<string, number>> | undefined;
  readonly eventEnvs: Readonly<Record<number, number>> | undefined;
  /** Events of each kind about each set of environments since boot (History.pairCounts): combined filters count over them. */
  readonly eventPairs: readonly PairCount[] | undefined;
  /**
   * Every violation of the invariant (empty when it holds); undefined in a
   * snapshot taken without checking it (SnapshotOptions.invariant).
   */
  readonly invariant: readonly string[] | undefined;
  /** The packet filter's merged trie, when the machine has a network. */
  readonly dpf: DpfView | undefined;
  /**
   * Set when the machine runs the monolithic kernel (src/mono) instead of
   * the exokernel: its processes, console and events, read from its own
   * memory (mono-snapshot.ts). The exokernel's fields are then empty.
   */
  readonly mono?: MonoView;
}

/** The monolithic kernel as a snapshot shows it. */
export interface MonoView {
  /** The kernel image's file name. */
  readonly image: string;
  /** The first process's program and arguments. */
  readonly args: readonly string[];
  readonly processes: readonly ProcessView[];
  /** The process on the CPU (pid 0 and "-" when the scheduler or its idle loop is). */
  readonly current: { readonly pid: number; readonly name: string };
  readonly console: string;
  readonly events: readonly MonoEvent[];
  readonly eventsTotal: number;
  readonly counters: MonoCounters;
  readonly halted: boolean;
}

/** Options of `takeSnapshot`. */
export interface SnapshotOptions {
  /** Recent events to include (default 200). */
  events?: number;
  /** Instructions of disassembly before and after the pc (default 32, so that the TUI can scroll it). */
  codeContext?: number;
  /** Characters of each console kept, from the end (default 4096). */
  consoleTail?: number;
  /** The machine to show, by name (default, or a name there is none of: the first). */
  machine?: string;
  /**
   * Check the invariant (default true): a full check of the TLB, the STLB
   * and every frame, about half a millisecond. The frames a LiveDebugger
   * draws while the machine runs leave it out (no pane shows it; a
   * scenario that expects it checks it after every kernel entry).
   */
  invariant?: boolean;
  /**
   * Count the history's events by kind, environment and both (default
   * true). Counting the events since the last count makes garbage for
   * each; the frames a LiveDebugger draws while the machine runs leave it
   * out (its log pane counts through the debugger's window over the whole
   * history, Debugger.log, not these).
   */
  counts?: boolean;
}

/** One machine as a snapshot reads it: its kernel, names, symbols, history, breakpoints and memory. */
interface Shown {
  readonly kernel: Kernel;
  readonly envNames: ReadonlyMap<number, string>;
  readonly symbols: ReadonlyMap<string, readonly ElfSymbol[]>;
  readonly history: History;
  readonly pcBreakpoints: ReadonlySet<number>;
  readWord(va: number): number | undefined;
}

/** The machine named `name` of `s` as a snapshot reads it (breakpoints stop the first machine only). */
function shownMachine(s: Session, name: string | undefined): Shown {
  const c = s.companions.find((x) => x.name === name);
  if (!c) {
    const bps = new Set(s.listBreakpoints().flatMap(([, b]) => (b.kind === 'pc' ? [b.addr] : [])));
    return { kernel: s.kernel, envNames: s.envNames, symbols: s.symbols, history: s.history, pcBreakpoints: bps, readWord: (va) => s.readWord(va) };
  }
  return { kernel: c.kernel, envNames: c.envNames, symbols: c.symbols, history: c.history, pcBreakpoints: new Set(), readWord: (va) => c.readWord(va) };
}

const u = (v: number) => v >>> 0;

/**
 * A snapshot of `s` now. Costs O(frames + STLB); call it at most a few
 * times a second while running. A machine that runs the monolithic kernel
 * is shown as a monolithic kernel's session is (mono-snapshot.ts), under
 * its name, with the session's stop.
 */
export function takeSnapshot(s: Session, opts: SnapshotOptions = {}): Snapshot {
  const machines = s.machineNames;
  const st = s.stations.find((x) => x.name === opts.machine);
  if (st instanceof MonoStation) return { ...takeMonoSnapshot(st.session, st.context, st.args, opts), machine: st.name, machines, stop: s.lastStop };
  const m = shownMachine(s, opts.machine);
  const k = m.kernel, cpu = k.cpu;
  const cp0: Record<string, number> = {
    [CP0_NAMES[0]]: u(cpu.index), [CP0_NAMES[1]]: cpu.random << 8, [CP0_NAMES[2]]: u(cpu.entryLo),
    [CP0_NAMES[4]]: u(cpu.context), [CP0_NAMES[8]]: u(cpu.badVAddr), [CP0_NAMES[10]]: u(cpu.entryHi),
    [CP0_NAMES[12]]: u(cpu.status), [CP0_NAMES[13]]: cpu.causeValue, [CP0_NAMES[14]]: u(cpu.epc), [CP0_NAMES[15]]: cpu.prid,
  };
  return {
    machine: machines.length ? (m.kernel === s.kernel ? machines[0] : opts.machine) : undefined,
    machines,
    cycle: cpu.cycles,
    instret: cpu.instret,
    stop: s.lastStop,
    cpu: { pc: u(cpu.pc), inDelay: cpu.inDelay, regs: [...cpu.regs].map(u), hi: u(cpu.hi), lo: u(cpu.lo), cp0 },
    code: codeWindow(m, opts.codeContext ?? 32),
    tlb: tlbRows(k),
    stlbCounters: { hits: k.stlb.hits, misses: k.stlb.misses, evictions: k.stlb.evictions },
    envs: envViews(m, opts.consoleTail ?? 4096),
    slices: { owner: [...k.slices.owner], current: k.slices.current, phase: k.slices.phase, ticksLeft: k.slices.ticksLeft, sliceTicks: k.sliceTicks },
    ...frameTables(k),
    events: k.log.recent(opts.events ?? 200),
    eventsTotal: m.history.length,
    eventsForgotten: m.history.first,
    eventKinds: opts.counts === false ? undefined : m.history.kindCounts(),
    eventEnvs: opts.counts === false ? undefined : m.history.envCounts(),
    eventPairs: opts.counts === false ? undefined : m.history.pairCounts(),
    invariant: opts.invariant === false ? undefined : checkInvariant(k),
    dpf: k.dpf?.view(),
  };
}

/**
 * `next` with each part that reads the same as in `prev` replaced by
 * prev's object (the hardware TLB, the frame table's columns, the packet
 * filter, the disassembly, each environment's STLB entries, guaranteed
 * mappings, handlers and upcalls): while the machine runs most of them do
 * not change from one frame to the next, and a front end that compares
 * parts by identity (the TUI's panes, src/tui/views.ts) then knows at once
 * what it need not draw again. Only equal data is shared, so the result
 * reads exactly as `next`.
 */
export function shareUnchanged(prev: Snapshot | undefined, next: Snapshot): Snapshot {
  if (!prev || prev.mono || next.mono) return next;
  const keep = <T>(a: T, b: T): T => (same(a, b) ? a : b);
  const before = new Map(prev.envs.map((e) => [e.id, e]));
  const envs = next.envs.map((e) => {
    const p = before.get(e.id);
    if (!p) return e;
    return { ...e, stlb: keep(p.stlb, e.stlb), guaranteedMappings: keep(p.guaranteedMappings, e.guaranteedMappings), handlers: keep(p.handlers, e.handlers), upcalls: keep(p.upcalls, e.upcalls) };
  });
  return {
    ...next, envs, tlb: keep(prev.tlb, next.tlb), code: keep(prev.code, next.code), stlbCounters: keep(prev.stlbCounters, next.stlbCounters),
    frameOwners: keep(prev.frameOwners, next.frameOwners), sharedFrames: keep(prev.sharedFrames, next.sharedFrames),
    guaranteedFrames: keep(prev.guaranteedFrames, next.guaranteedFrames), frameAccess: keep(prev.frameAccess, next.frameAccess), dpf: keep(prev.dpf, next.dpf),
  };
}

/** Whether two pieces of plain snapshot data (numbers, strings, booleans, arrays, plain objects) read the same; anything else only when it is the same object. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  // for-in, not Object.keys: this runs for every frame drawn, and makes no arrays.
  const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(y, k) || !same(x[k], y[k])) return false;
    n++;
  }
  for (const _k in y) if (--n < 0) return false;
  return true;
}

/** The frame table's columns a snapshot carries, in one pass over the frames (a snapshot is taken for every frame the TUI draws). */
function frameTables(k: Kernel): Pick<Snapshot, 'frameOwners' | 'sharedFrames' | 'guaranteedFrames' | 'frameAccess'> {
  const frames = k.frames.frames;
  const owners = new Array<number>(frames.length), shared: number[] = [], guaranteed: number[] = [], access: FrameAccess[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    owners[i] = f.owner;
    if (f.caps.length > 1) shared.push(i);
    if (f.guaranteed) guaranteed.push(i);
    if (f.holders.size || f.caps.length > 1) access.push({ frame: i, caps: f.caps.length, holders: [...f.holders].map(([env, rights]) => ({ env, rights })) });
  }
  return { frameOwners: owners, sharedFrames: shared, guaranteedFrames: guaranteed, frameAccess: access };
}

function tlbRows(k: Kernel): TlbRow[] {
  const t = k.cpu.tlb;
  const rows: TlbRow[] = [];
  for (let i = 0; i < 64; i++) {
    const hi = u(t.hi[i]), lo = u(t.lo[i]);
    rows.push({ index: i, vpn: hi >>> 12, asid: (hi >>> 6) & 63, pfn: lo >>> 12, n: (lo & 0x800) !== 0, d: (lo & 0x400) !== 0, v: (lo & 0x200) !== 0, g: (lo & 0x100) !== 0 });
  }
  return rows;
}

function envViews(s: Shown, tail: number): EnvView[] {
  const k = s.kernel;
  const stlbByEnv = new Map<number, StlbRow[]>();
  for (const e of k.stlb.entries()) {
    const list = stlbByEnv.get(e.env) ?? [];
    list.push({ slot: e.slot, vpn: e.vpn, pfn: e.entryLo >>> 12, d: (e.entryLo & 0x400) !== 0 });
    stlbByEnv.set(e.env, list);
  }
  const owned = new Map<number, number>();
  for (const f of k.frames.frames) owned.set(f.owner, (owned.get(f.owner) ?? 0) + 1);
  return [...k.envs.values()].map((e) => ({
    id: e.id,
    name: s.envNames.get(e.id) ?? e.name,
    state: e.state,
    reason: e.destroyReason,
    asid: e.asid,
    current: k.current === e,
    handlers: e.handlers.flatMap((pc, code) => (pc ? [{ exc: EXC_NAMES[code], pc: u(pc) }] : [])),
    saveArea: u(e.saveArea),
    guaranteed: e.guaranteed.size,
    framesOwned: owned.get(e.id) ?? 0,
    counters: { ...e.counters },
    console: e.console.slice(-tail),
    stlb: stlbByEnv.get(e.id) ?? [],
    guaranteedMappings: [...e.guaranteed.values()].map((g) => ({ vpn: g.vpn, pfn: g.frame, d: (g.entryLo & 0x400) !== 0 })),
    upcalls: e.upcalls.flatMap((pc, kind) => (pc ? [{ upcall: UPCALL_NAMES[kind], pc: u(pc) }] : [])),
    slots: k.slices.slotsOf(e.id).length,
    cpuCycles: e.cpuCycles + (k.current === e ? k.now() - e.lastRun : 0),
    overruns: e.counters.overruns,
    penalty: e.penalty,
    waitingOn: e.waitingOn,
    revoke: e.revoke && { what: e.revoke.what, count: e.revoke.count, given: e.revoke.given, deadline: e.revoke.deadline },
  }));
}

const NO_SYMBOLS: readonly ElfSymbol[] = [];

/** An instruction as the disassembly shows it: its text, and its address's label and symbol+offset. */
interface Disassembled { readonly word: number | undefined; readonly text: string; readonly label: string | undefined; readonly symbol: string | undefined }

/**
 * Each symbol table's disassembly by address, kept from one snapshot to the
 * next (bounded): a snapshot is taken for every frame drawn while the
 * machine runs, and the pc mostly stays within the same few dozen words.
 * An entry is used again only for the same word at the same address.
 */
const disassembled = new WeakMap<readonly ElfSymbol[], { sym: ReturnType<typeof symbolizer>; byAddr: Map<number, Disassembled> }>();

/** The instruction `word` (undefined: unmapped) at `addr` with the labels of `syms`. */
function disassembledAt(syms: readonly ElfSymbol[], addr: number, word: number | undefined): Disassembled {
  let d = disassembled.get(syms);
  if (!d) disassembled.set(syms, (d = { sym: symbolizer(syms), byAddr: new Map() }));
  const hit = d.byAddr.get(addr);
  if (hit && hit.word === word) return hit;
  const sym = d.sym;
  const exact = syms.find((x) => u(x.value) === addr && x.name);
  const out: Disassembled = {
    word,
    text: word === undefined ? '(unmapped)' : disassemble(word, addr, (t) => sym.symbolize(t)),
    label: exact?.name, symbol: syms.length ? sym.symbolize(addr) : undefined,
  };
  if (d.byAddr.size >= 4096) d.byAddr.clear();
  d.byAddr.set(addr, out);
  return out;
}

/** Disassembly around the pc, in the address space of the environment on the CPU. */
function codeWindow(s: Shown, context: number): CodeLine[] {
  const k = s.kernel;
  const pc = u(k.cpu.pc);
  const env = k.current;
  const syms: readonly ElfSymbol[] = env ? s.symbols.get(s.envNames.get(env.id) ?? '') ?? NO_SYMBOLS : NO_SYMBOLS;
  const bps = s.pcBreakpoints;
  const out: CodeLine[] = [];
  for (let a = pc - 4 * context; a <= pc + 4 * context; a += 4) {
    const addr = u(a);
    const { word, text, label, symbol } = disassembledAt(syms, addr, s.readWord(addr));
    out.push({ addr, word, text, label, symbol, breakpoint: bps.has(addr), current: addr === pc });
  }
  return out;
}
