// Reverse execution, as rr does it (docs/architecture.md, "Time travel"):
// a reverse search replays the stretch between the latest checkpoint and
// now, notes where what it looks for happened, and travels to the last
// such point; when the stretch has none, it looks in the stretch before.
// Everything here is built on Session.travel and Session.scanning.
//
// Every search needs only what Rewindable names, so they work the same on
// the monolithic kernel's session (mono-session.ts).
//
// Each search is a generator (Search) that does a bounded piece of work
// (about SLICE cycles) between yields and yields a few words on where it
// is, so a front end runs it in slices with progress and can cancel it
// (LiveDebugger); `finish` runs one to its end at once. Either way it
// does the same runs in the same order, so the answer is the same.

import { decodeInstruction } from '../emu/index.js';
import type { Breakpoint, ResolvedBreakpoint } from '../scenario/index.js';
import type { CheckpointTarget } from './checkpoints.js';
import type { Stop, TravelJob } from './session.js';
import { num } from './format.js';

/** What reverse-continue and reverse-next need of a session: Session and MonoSession are both one. */
export interface Rewindable {
  /** The cycle now. */
  readonly cycle: number;
  /** Instructions retired since boot. */
  readonly instret: number;
  checkpointCycles(): number[];
  travel(t: CheckpointTarget, detail: string): TravelJob | string;
  /** Runs `fn` with breakpoints stopping the machine but not counted. */
  scanning<T>(fn: () => T): T;
  run(budget: number, continuing?: boolean): Stop;
  step(n: number): Stop;
  lastHit(): readonly number[];
  noteHit(id: number): void;
  listBreakpoints(): [number, ResolvedBreakpoint][];
  addBreakpoint(b: Breakpoint): number;
  removeBreakpoint(id: number): boolean;
  /** The pc, and the address space it runs in: an environment's name, undefined on a kernel of one address space, null when it runs in none. */
  codeAt(): { readonly pc: number; readonly env: string | undefined | null };
  /** The word at virtual address `va` (of environment `env`, where there are several). */
  readWord(va: number, env?: string): number | undefined;
  /**
   * A reader of the word at the physical address virtual address `va` (of
   * environment `env`, where there are several) maps to now, for a watch
   * that follows that word however the mapping changes; or why there is none.
   */
  wordAt(va: number, env?: string): (() => number) | string;
  /** Resolves `name`, a symbol of `env`'s image (of the kernel's, on a kernel of one address space). */
  symbolAddress(name: string, env?: string): number | undefined;
  /** Every event since boot, by index (0 the first), with an index by kind. */
  readonly history: { readonly length: number; readonly first: number; at(i: number): { readonly cycle: number; readonly kind: string }; lastOfKind(kind: string, before?: number): number };
  readonly lastStop: Stop;
  travelNow(t: CheckpointTarget, detail: string): Stop | string;
}

/** A reverse search's answer: where it stopped, or why it could not go. */
export type Reverse = Stop | string;

/** Work in slices: yields what it is doing (for a status line) until it returns its answer. */
export type Search<T = Reverse> = Generator<string, T, void>;

/** Cycles of replay or scanning between yields. */
const SLICE = 500_000;
/** Single-cycle steps of a reverse watch between yields. */
const WATCH_SLICE = 5_000;

/** Runs `g` to its end at once and returns its answer. */
export function finish<T>(g: Search<T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}


/** Session.travel in slices, yielding `doing` with the share done. */
export function* travelling(s: Rewindable, t: CheckpointTarget, detail: string, doing = detail): Search<Stop | string> {
  const job = s.travel(t, detail);
  if (typeof job === 'string') return job;
  for (;;) {
    const stop = job.advance(SLICE);
    if (stop) return stop;
    yield `${doing}: ${Math.floor(100 * job.fraction())}%`;
  }
}

/** A point a search found: its cycle, what to say, and the breakpoints hit there. */
interface Found { readonly cycle: number; readonly detail: string; readonly ids?: readonly number[] }

/** Where a search looks: the stretches between checkpoints, newest first. */
function stretches(s: Rewindable, here: number): { from: number; to: number }[] {
  const cps = s.checkpointCycles().filter((c) => c < here);
  const out: { from: number; to: number }[] = [];
  let to = here;
  for (let i = cps.length - 1; i >= 0; i--) {
    if (cps[i] >= to) continue;
    out.push({ from: cps[i], to });
    to = cps[i];
  }
  return out;
}

/** What a search looks for in one stretch: given its end, it replays up to it and returns the points it saw, ascending. */
type Finder = (to: number, doing: string) => Search<Found[]>;

/**
 * Looks back from now for the last point before now that `find` reports
 * while the run replays each stretch. Travels there and returns the stop,
 * or a sentence when there is none since boot.
 */
function* searchBack(s: Rewindable, what: string, find: Finder): Search<Reverse> {
  const here = s.cycle;
  for (const { from, to } of stretches(s, here)) {
    const doing = `looking for a ${what} between cycles ${num(from)} and ${num(to)} (${Math.floor((100 * (here - to)) / Math.max(1, here))}% of the history searched)`;
    const r = yield* travelling(s, { cycle: from }, 'searching', doing);
    if (typeof r === 'string') return r;
    const found = (yield* find(to, doing)).filter((p) => p.cycle < here);
    if (found.length) {
      const last = found[found.length - 1];
      const r = yield* travelling(s, { cycle: last.cycle }, last.detail, `going to cycle ${num(last.cycle)}`);
      for (const id of last.ids ?? []) s.noteHit(id);
      return r;
    }
    yield doing;
  }
  const back = yield* travelling(s, { cycle: here }, 'back where it started', `no ${what} found: going back to cycle ${num(here)}`);
  return typeof back === 'string' ? back : `No ${what} before cycle ${here}: the machine stays where it was`;
}

/**
 * Reverse-continue: back to the last point before now where a breakpoint
 * (pc, watch, exception or event) stopped or would have stopped a forward
 * run.
 */
export function* reverseContinue(s: Rewindable): Search {
  if (!s.listBreakpoints().length) return 'No breakpoints: set one first (b, e or :break)';
  return yield* searchBack(s, 'breakpoint hit', (to, doing) => scanHits(s, to, doing, (stop) => `reverse-continue: ${stop.detail}`));
}

/**
 * Replays up to cycle `to` with breakpoints stopping (not counted), in
 * runs of at most SLICE cycles (a run's boundaries do not depend on how it
 * is sliced), and returns where they stopped it; `say` words each hit, or
 * drops it (undefined). After a hit the instruction there is stepped, so
 * the next hit of the same breakpoint is seen.
 */
function* scanHits(s: Rewindable, to: number, doing: string, say: (stop: Stop) => string | undefined): Search<Found[]> {
  const out: Found[] = [];
  const run = (): Stop => s.scanning(() => s.run(Math.min(SLICE, to - s.cycle), true));
  let stop = run();
  // Idle (nothing left to run) or the end (a halted machine) ends the scan too.
  while (stop.reason !== 'idle' && stop.reason !== 'end') {
    if (stop.reason === 'breakpoint') {
      const detail = say(stop);
      if (detail !== undefined) out.push({ cycle: stop.cycle, detail, ids: s.lastHit() });
      if (s.cycle >= to) break;
      stop = s.scanning(() => s.step(1));
      if (stop.reason === 'breakpoint') continue;
    }
    if (s.cycle >= to) break;
    if (stop.reason === 'budget') yield doing;
    stop = run();
  }
  return out;
}

/**
 * Reverse-step over: back one instruction in this environment; when the
 * instruction before was a call's return (the word 8 bytes before pc
 * links: Session.callReturn), back to the call instead.
 */
export function* reverseNext(s: Rewindable): Search {
  const at = s.codeAt();
  const here = s.cycle;
  const back = { instret: s.instret - 1 };
  const r = yield* travelling(s, back, 'stepped back 1');
  if (typeof r === 'string') return 'Cannot step back: this is the first instruction since boot';
  if (at.env === null || s.codeAt().pc === ((at.pc - 4) >>> 0)) return { ...r, detail: 'reverse-stepped over' };
  const call = (at.pc - 8) >>> 0;
  const word = s.readWord(call, at.env);
  if (word === undefined || !decodeInstruction(word)?.links) return { ...r, detail: 'reverse-stepped over' };
  yield* travelling(s, { cycle: here }, 'back', 'looking for the call');
  const id = s.addBreakpoint({ kind: 'pc', addr: call, env: at.env });
  try {
    const found = yield* searchBack(s, `call at 0x${call.toString(16)}`, (to, doing) => scanHits(s, to, doing, () => (s.codeAt().pc === call ? 'reverse-stepped over the call' : undefined)));
    if (typeof found !== 'string') return found;
    const again = yield* travelling(s, { instret: s.instret - 1 }, 'stepped back 1');
    return typeof again === 'string' ? found : again;
  } finally {
    s.removeBreakpoint(id);
  }
}

/**
 * Reverse watch: back to just after the last change of the word at
 * virtual address `va` (of environment `env`, where there are several), by
 * the physical address it maps to now, checked after every instruction and
 * kernel entry.
 */
export function* reverseWatch(s: Rewindable, env: string | undefined, va: number): Search {
  const read = s.wordAt(va, env);
  if (typeof read === 'string') return read;
  const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
  const where = env === undefined ? '' : ` in ${env}`;
  return yield* searchBack(s, `change of ${hex(va)}${where}`, function* (to, doing) {
    const out: Found[] = [];
    let last = read();
    for (let n = 1; s.cycle < to; n++) {
      const was = s.cycle;
      s.travelNow({ cycle: was + 1 }, 'watching');
      if (s.cycle === was) break;
      const v = read();
      if (v !== last) out.push({ cycle: s.cycle, detail: `reverse-watch ${hex(va)}${where}: ${hex(last)} became ${hex(v)}` });
      last = v;
      if (n % WATCH_SLICE === 0) yield `${doing}, at cycle ${num(s.cycle)}`;
    }
    return out;
  });
}

/**
 * Travels to just after the event numbered `index` of the history (0 is
 * the first since boot): to its cycle, then on one cycle at a time until
 * the history holds it. A sentence when there is no such event.
 */
export function* toEvent(s: Rewindable, index: number, detail: string): Search {
  if (!Number.isInteger(index) || index < 0 || index >= s.history.length) return `No event ${index + 1}: the history holds ${num(s.history.length)}`;
  if (index < s.history.first) return `Event ${num(index + 1)} was forgotten: the history keeps the newest events, from ${num(s.history.first + 1)} on (its spill file is full)`;
  const e = s.history.at(index);
  let r = yield* travelling(s, { cycle: e.cycle }, detail, `going to event ${num(index + 1)}`);
  while (typeof r !== 'string' && s.history.length <= index) {
    const was = s.cycle;
    r = s.travelNow({ cycle: was + 1 }, detail);
    if (s.cycle === was) break;
  }
  return r;
}

/** Back to just after the last event of kind `kind` before now (the history's index finds it). */
export function* reversePrevious(s: Rewindable, kind: string): Search {
  const here = s.cycle;
  let i = s.history.lastOfKind(kind);
  while (i >= 0) {
    const e = s.history.at(i);
    const r = yield* toEvent(s, i, `previous ${kind} (event ${i + 1})`);
    if (typeof r === 'string') return r;
    if (s.cycle < here) return { ...s.lastStop, detail: `previous ${kind}: event ${i + 1} at cycle ${e.cycle}` };
    i = s.history.lastOfKind(kind, i);
  }
  yield* travelling(s, { cycle: here }, 'back', `no ${kind} found: going back to cycle ${num(here)}`);
  return `No ${kind} event before cycle ${here}`;
}
