// Commands: the one vocabulary for changing a session. A scenario's
// timeline, the TUI's keys and its command line, and the recorder all
// turn what they are given into a Command and call execute(); the live
// debugger (debugger.ts) runs the commands that take time in slices.

import type { Breakpoint, ResolvedBreakpoint } from '../scenario/index.js';
import { describeBreakpoint } from '../scenario/index.js';
import type { PacketSpec } from '../scenario/index.js';
import type { Session, Stop } from './session.js';
import { SavedSessionError, writeSaved } from './saved.js';
import { finish, reverseContinue, reverseNext, reversePrevious, reverseWatch, toEvent, type Rewindable, type Search } from './travel.js';
import { num } from './format.js';

/** What revocation takes back. */
export type RevokeWhat = 'frames' | 'slices';

/** An address as typed: a number, or a symbol plus an offset. */
export type AddrSpec = { readonly kind: 'addr'; readonly addr: number } | { readonly kind: 'symbol'; readonly name: string; readonly offset: number };

/** Every command a session takes. */
export type Command =
  | { readonly kind: 'step'; readonly n: number }
  | { readonly kind: 'stepBack'; readonly n: number }
  | { readonly kind: 'stepOver' }
  /** Runs until the function the pc is in returns to its caller (gdb's finish; finish.ts). */
  | { readonly kind: 'finish' }
  /** Runs until the pc reaches an address in the environment on the CPU (a temporary breakpoint; gdb's until/advance). */
  | { readonly kind: 'until'; readonly at: AddrSpec }
  /** Time travel to a cycle, forwards or backwards (the first instruction boundary at or after it). */
  | { readonly kind: 'goto'; readonly cycle: number }
  /** Time travel `cycles` back. */
  | { readonly kind: 'back'; readonly cycles: number }
  /** Time travel to just after event number `index` of the history (0 is the first since boot). */
  | { readonly kind: 'gotoEvent'; readonly index: number }
  /** Back to the last breakpoint hit before now (rr's reverse-continue). */
  | { readonly kind: 'reverseContinue' }
  /** Back one instruction, over a call that returned (rr's reverse-next, per instruction). */
  | { readonly kind: 'reverseNext' }
  /** Back to just after the last change of a word of an environment's memory (a watchpoint in reverse). */
  | { readonly kind: 'reverseWatch'; readonly env?: string; readonly at: AddrSpec }
  /** Back to just after the last event of a kind. */
  | { readonly kind: 'reversePrev'; readonly event: string }
  /** Saves the session (scenario, point, interventions, breakpoints) to a file that `exoscope tui --load` reopens. */
  | { readonly kind: 'save'; readonly file: string }
  | { readonly kind: 'continue' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'break'; readonly breakpoint: Breakpoint }
  /** Adds an exception or event breakpoint for every environment, or removes the one there is. */
  | { readonly kind: 'toggleBreak'; readonly breakpoint: Breakpoint }
  | { readonly kind: 'delete'; readonly id: number | 'all' }
  | { readonly kind: 'breaks' }
  | { readonly kind: 'examine'; readonly env: string; readonly at: AddrSpec; readonly n: number }
  | { readonly kind: 'kill'; readonly env: string }
  | { readonly kind: 'revoke'; readonly env: string; readonly what: RevokeWhat; readonly count: number; readonly window?: number }
  | { readonly kind: 'inject'; readonly packet: PacketSpec; readonly count: number; readonly every?: number }
  | { readonly kind: 'console'; readonly env: string; readonly text: string }
  /** With several machines: show machine `name` (default: the next one) in the panes; a debugger's view, the machines run on. */
  | { readonly kind: 'machine'; readonly name?: string }
  /** Back to the session's first point, the user's interventions forgotten (Session.restart). */
  | { readonly kind: 'restart' }
  /**
   * How fast a live debugger runs (pace.ts): to pace `index`, or `delta`
   * steps slower (positive) or faster. Only a live debugger has a pace.
   */
  | { readonly kind: 'pace'; readonly index?: number; readonly delta?: number };

/**
 * What a command did: `ok`, a message for a person, and maybe lines to
 * show in a popup.
 */
export interface Outcome {
  readonly ok: boolean;
  readonly text: string;
  readonly popup?: { readonly title: string; readonly lines: readonly string[] };
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const fail = (text: string): Outcome => ({ ok: false, text });

/**
 * Carries out `c` on `s` at once and says what happened; never throws for
 * bad input (an unknown environment or symbol is an outcome with ok
 * false). `running` only changes the wording of hints.
 */
export function execute(s: Session, c: Command, running = false): Outcome {
  switch (c.kind) {
    case 'step': { const r = s.step(c.n); return { ok: true, text: r.detail }; }
    case 'stepBack': {
      const r = s.stepBack(c.n);
      return r ? { ok: true, text: r.detail } : fail(`Cannot step back ${c.n}: no checkpoint is that early`);
    }
    case 'stepOver': { const r = s.stepOver(); return { ok: true, text: r.detail }; }
    case 'finish': case 'until': {
      const t = c.kind === 'finish' ? s.finishTarget() : s.untilTarget(c.at);
      return typeof t === 'string' ? fail(t) : { ok: true, text: s.runTo(t).detail };
    }
    case 'goto': return travelled(s.travelNow({ cycle: c.cycle }, `at cycle ${num(c.cycle)}`), `Cannot go to cycle ${num(c.cycle)}`);
    case 'back': return travelled(s.travelNow({ cycle: Math.max(0, s.kernel.now() - c.cycles) }, `back ${num(c.cycles)} cycles`), `Cannot go back ${num(c.cycles)} cycles`);
    case 'gotoEvent': case 'reverseContinue': case 'reverseNext': case 'reverseWatch': case 'reversePrev': {
      const r = search(s, c);
      return typeof r.work === 'string' ? fail(r.work) : travelled(finish(r.work), r.cannot);
    }
    case 'save': return save(s, c.file);
    case 'continue': { const r = s.run(Number.MAX_SAFE_INTEGER - s.kernel.now()); return { ok: true, text: r.detail }; }
    case 'pause': s.pause(); return { ok: true, text: 'paused' };
    case 'break': case 'toggleBreak': case 'delete': case 'breaks': return breakpointCommand(s, c, (addr) => symbolAt(s, addr));
    case 'examine': return examine(s, c.env, c.at, c.n);
    case 'kill': return s.kill(c.env) ? { ok: true, text: `Killed ${c.env}` } : fail(`No live environment ${c.env}`);
    case 'revoke': return revoke(s, c, running);
    case 'inject': return inject(s, c.packet, c.count, c.every, running);
    case 'console': return s.consoleInput(c.env, c.text) ? { ok: true, text: `Console input to ${c.env}` } : fail(`No live environment ${c.env}`);
    case 'machine': return machineOutcome(s, c.name);
    case 'restart': return travelled(s.restart(), 'Cannot restart');
    case 'pace': return fail('Only the live debugger (the TUI) has a pace');
  }
}

/** Whether machine `name` (default: the next) can be shown: a session of one machine has no other. */
export function machineOutcome(s: Session, name: string | undefined): Outcome {
  if (!s.stations.length) return fail('This session has one machine');
  const names = s.machineNames;
  if (name !== undefined && !names.includes(name)) return fail(`No machine ${name} (there are ${names.join(', ')})`);
  return { ok: true, text: name === undefined ? 'Next machine' : `Machine ${name}` };
}

/** Writes the session's scenario, point, interventions and breakpoints to `file`. */
function save(s: Session, file: string): Outcome {
  if (!s.setup.scenarioFile) return fail('Cannot save: this session was not opened from a scenario file');
  try {
    writeSaved(file, { scenario: s.setup.scenarioFile, cycle: s.kernel.now(), interventions: s.interventionsSoFar(), breakpoints: s.listBreakpoints().map(([, b]) => b) });
  } catch (e) {
    if (e instanceof SavedSessionError) return fail(e.message);
    throw e;
  }
  return { ok: true, text: `Saved at cycle ${num(s.kernel.now())} to ${file} (exoscope tui --load ${file} reopens it here)` };
}

/** A travel's outcome: where it stopped, or why it could not go. */
export function travelled(r: Stop | string, cannot: string): Outcome {
  if (typeof r === 'string') return fail(r.startsWith('No ') ? r : `${cannot}: ${r}`);
  return { ok: true, text: `${r.detail} (cycle ${num(r.cycle)}, instruction ${num(r.instret)})` };
}

/** The time-travel commands that search or replay for long: done in slices by a front end (travel.ts). */
export type SearchCommand = Extract<Command, { kind: 'gotoEvent' | 'reverseContinue' | 'reverseNext' | 'reverseWatch' | 'reversePrev' }>;

/**
 * The search command `c` is, not started: its work (or why it cannot
 * start), what to say when it cannot go, and what to call it while it runs.
 */
export function search(s: Rewindable, c: SearchCommand): { readonly work: Search | string; readonly cannot: string; readonly what: string } {
  switch (c.kind) {
    case 'gotoEvent': {
      const e = c.index >= s.history.first && c.index < s.history.length ? s.history.at(c.index) : undefined;
      return { work: toEvent(s, c.index, `at event ${c.index + 1}${e ? ` (${e.kind})` : ''}`), cannot: `Cannot go to event ${c.index + 1}`, what: `going to event ${c.index + 1}` };
    }
    case 'reverseContinue': return { work: reverseContinue(s), cannot: 'Cannot reverse-continue', what: 'reverse-continue' };
    case 'reverseNext': return { work: reverseNext(s), cannot: 'Cannot reverse-next', what: 'reverse-next' };
    case 'reverseWatch': {
      const va = c.at.kind === 'addr' ? c.at.addr : s.symbolAddress(c.at.name, c.env);
      if (va === undefined) return { work: `No symbol ${c.at.kind === 'symbol' ? c.at.name : ''}${c.env === undefined ? '' : ` in ${c.env}`}`, cannot: '', what: '' };
      return { work: reverseWatch(s, c.env, c.at.kind === 'symbol' ? (va + c.at.offset) >>> 0 : va), cannot: 'Cannot watch in reverse', what: 'reverse watch' };
    }
    case 'reversePrev': return { work: reversePrevious(s, c.event), cannot: 'Cannot go to the previous event', what: `previous ${c.event}` };
  }
}

/** The symbol of an environment's image exactly at `addr`, if any. */
function symbolAt(s: Session, addr: number): string | undefined {
  for (const syms of s.symbols.values()) {
    const x = syms.find((y) => y.value >>> 0 === addr && y.name);
    if (x) return x.name;
  }
  return undefined;
}

/**
 * What the breakpoint commands need of a session: its one breakpoint
 * table (breakpoint-table.ts), the exokernel's Session's and the
 * MonoSession's alike.
 */
export interface BreakpointHolder {
  resolveBreakpoint(b: Breakpoint): ResolvedBreakpoint | string;
  addBreakpoint(b: Breakpoint): number;
  removeBreakpoint(id: number): boolean;
  listBreakpoints(): [number, ResolvedBreakpoint][];
  hitCount(id: number): number;
}

/** The commands about breakpoints. */
export type BreakpointCommand = Extract<Command, { kind: 'break' | 'toggleBreak' | 'delete' | 'breaks' }>;

/** The symbol exactly at an address, for describing a pc breakpoint. */
type SymbolAt = (addr: number) => string | undefined;

/** Carries out breakpoint command `c` on `s`'s breakpoints; `named` names pc breakpoints' addresses. */
export function breakpointCommand(s: BreakpointHolder, c: BreakpointCommand, named: SymbolAt): Outcome {
  switch (c.kind) {
    case 'break': return addBreak(s, c.breakpoint, named);
    case 'toggleBreak': return toggleBreak(s, c.breakpoint, named);
    case 'delete': return deleteBreak(s, c.id);
    case 'breaks': return { ok: true, text: '', popup: { title: 'Breakpoints (:delete <id> removes one)', lines: breakpointList(s, named) } };
  }
}

const describeAt = (b: ResolvedBreakpoint, named: SymbolAt) => describeBreakpoint(b, b.kind === 'pc' ? named(b.addr) : undefined);

function addBreak(s: BreakpointHolder, b: Breakpoint, named: SymbolAt): Outcome {
  const bp = s.resolveBreakpoint(b);
  if (typeof bp === 'string') return fail(bp);
  const id = s.addBreakpoint(bp);
  return { ok: true, text: `Breakpoint ${id}: ${describeAt(bp, named)}` };
}

function toggleBreak(s: BreakpointHolder, b: Breakpoint, named: SymbolAt): Outcome {
  const same = s.listBreakpoints().find(([, x]) => x.env === undefined && (
    (x.kind === 'exception' && b.kind === 'exception' && x.code === b.code) || (x.kind === 'event' && b.kind === 'event' && x.event === b.event)));
  if (!same) return addBreak(s, b, named);
  s.removeBreakpoint(same[0]);
  return { ok: true, text: `Breakpoint ${same[0]} removed` };
}

function deleteBreak(s: BreakpointHolder, id: number | 'all'): Outcome {
  const ids = id === 'all' ? s.listBreakpoints().map(([i]) => i) : [id];
  const gone = ids.filter((i) => s.removeBreakpoint(i));
  return gone.length ? { ok: true, text: `Removed ${gone.length === 1 ? `breakpoint ${gone[0]}` : `${gone.length} breakpoints`}` } : fail(`No breakpoint ${id}`);
}

/** `s`'s breakpoints, one a line: id, description and hits so far. */
function breakpointList(s: BreakpointHolder, named: SymbolAt): string[] {
  const bps = s.listBreakpoints();
  const hits = (id: number) => { const n = s.hitCount(id); return n ? `  (hit ${n} time${n > 1 ? 's' : ''})` : ''; };
  return bps.length ? bps.map(([id, b]) => `${String(id).padStart(3)}  ${describeAt(b, named)}${hits(id)}`) : ['(none)'];
}

/** The breakpoints, one a line: id and description. */
export function breakpointLines(s: Session): string[] {
  return breakpointList(s, (addr) => symbolAt(s, addr));
}

/** `n` words of `env`'s memory from `at`, four a line with their characters, as a popup. */
function examine(s: Session, env: string, at: AddrSpec, n: number): Outcome {
  // On whichever machine has an environment of that name (names are unique across a session's machines).
  const space = s.memorySource(env, s.companions.find((c) => c.envIds.has(env))?.name);
  if (space.error) return fail(space.error);
  const sym = at.kind === 'symbol' ? space.symbol(at.name) : at.addr;
  if (sym === undefined) return fail(`No symbol ${at.kind === 'symbol' ? at.name : ''} in ${env}`);
  const base = at.kind === 'symbol' ? (sym + at.offset) >>> 0 : sym;
  const chars = (w: number) => [0, 8, 16, 24].map((b) => { const c = (w >>> b) & 255; return c >= 32 && c < 127 ? String.fromCharCode(c) : '.'; }).join('');
  const lines: string[] = [];
  for (let i = 0; i < n; i += 4) {
    const a = (base & ~3) + 4 * i;
    const words = Array.from({ length: Math.min(4, n - i) }, (_, j) => space.read(a + 4 * j));
    const text = words.map((w) => (w === undefined ? '--------' : hex8(w))).join(' ');
    lines.push(`${hex8(a)}  ${text.padEnd(35)}  ${words.map((w) => (w === undefined ? '....' : chars(w))).join('')}`);
  }
  return { ok: true, text: '', popup: { title: `x ${env} ${hex8(base)} ${n} (unmapped words show as --------)`, lines } };
}

/**
 * Visible revocation, then the abort protocol at the deadline (Aegis
 * paper, section 5.1); the message says why when the kernel refuses.
 */
function revoke(s: Session, c: Extract<Command, { kind: 'revoke' }>, running: boolean): Outcome {
  // On whichever machine has an environment of that name, as the revocation itself (interventions.ts).
  const e = s.envByName(c.env)?.env;
  if (!e || e.state === 'destroyed') return fail(`Cannot revoke from ${c.env}: no live environment has that name`);
  if (e.revoke) return fail(`Cannot revoke from ${c.env}: it has a revocation pending (${e.revoke.count} ${e.revoke.what} by cycle ${num(e.revoke.deadline)})`);
  if (!s.revoke(c.env, c.what, c.count, c.window)) return fail(`Cannot revoke from ${c.env}: the kernel refused`);
  const r = e.revoke as { deadline: number } | undefined;
  return { ok: true, text: `Asked ${c.env} for ${c.count} ${c.what} back${r ? ` by cycle ${num(r.deadline)}` : ''}${running ? '' : ' (c runs on to see it answer)'}` };
}

/** Puts `count` packets on the wire, `every` cycles apart (default 100,000), starting now. */
function inject(s: Session, packet: PacketSpec, count: number, every: number | undefined, running: boolean): Outcome {
  let queued: number;
  try { queued = s.inject(packet, count, every); } catch (e) { return fail(`Cannot inject: ${(e as Error).message}`); }
  if (!queued) return fail('Cannot inject a UDP datagram: the wire has no peer host');
  const what = packet.kind === 'udp' ? `UDP datagram${count > 1 ? 's' : ''} to ${packet.to}:${packet.port} (${JSON.stringify(packet.payload)})` : `raw frame${count > 1 ? 's' : ''}`;
  return { ok: true, text: `Injected ${count} ${what}${count > 1 ? `, ${num(every ?? 100_000)} cycles apart` : ''}${running ? '' : ' (c runs on to see it arrive)'}` };
}
