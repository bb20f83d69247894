// Reverse execution, as rr does it (docs/architecture.md, "Time travel"):
// a reverse search replays the stretch between the latest checkpoint and
// now, notes where what it looks for happened, and travels to the last
// such point; when the stretch has none, it looks in the stretch before.
// Everything here is built on Session.travelNow and Session.scanning.

import { decodeInstruction } from '../emu/index.js';
import type { Session, Stop } from './session.js';

/** A reverse search's answer: where it stopped, or why it could not go. */
export type Reverse = Stop | string;

/** A point a search found: its cycle, what to say, and the breakpoints hit there. */
interface Found { readonly cycle: number; readonly detail: string; readonly ids?: readonly number[] }

/** Where a search looks: the stretches between checkpoints, newest first. */
function* stretches(s: Session, here: number): Generator<{ from: number; to: number }> {
  const cps = s.checkpointCycles().filter((c) => c < here);
  let to = here;
  for (let i = cps.length - 1; i >= 0; i--) {
    if (cps[i] >= to) continue;
    yield { from: cps[i], to };
    to = cps[i];
  }
}

/**
 * Looks back from now for the last point before now that `find` reports
 * while the run replays each stretch; `find` is given the stretch's end and
 * returns the points (cycles, ascending) it saw. Travels there and returns
 * the stop, or a sentence when there is none since boot.
 */
function searchBack(s: Session, what: string, find: (to: number) => Found[]): Reverse {
  const here = s.kernel.now();
  for (const { from, to } of [...stretches(s, here)]) {
    const r = s.travelNow({ cycle: from }, 'searching');
    if (typeof r === 'string') return r;
    const found = find(to).filter((p) => p.cycle < here);
    if (found.length) {
      const last = found[found.length - 1];
      const r = s.travelNow({ cycle: last.cycle }, last.detail);
      for (const id of last.ids ?? []) s.noteHit(id);
      return r;
    }
  }
  const back = s.travelNow({ cycle: here }, 'back where it started');
  return typeof back === 'string' ? back : `No ${what} before cycle ${here}: the machine stays where it was`;
}

/**
 * Reverse-continue: back to the last point before now where a breakpoint
 * (pc, watch, exception or event) stopped or would have stopped a forward
 * run.
 */
export function reverseContinue(s: Session): Reverse {
  if (!s.listBreakpoints().length) return 'No breakpoints: set one first (b, e or :break)';
  return searchBack(s, 'breakpoint hit', (to) => scanHits(s, to, (stop) => `reverse-continue: ${stop.detail}`));
}

/**
 * Replays up to cycle `to` with breakpoints stopping (not counted) and
 * returns where they stopped it; `say` words each hit, or drops it
 * (undefined). After a hit the instruction there is stepped, so the next
 * hit of the same breakpoint is seen (Session.run's resuming would skip
 * it when it comes again within one call).
 */
function scanHits(s: Session, to: number, say: (stop: Stop) => string | undefined): Found[] {
  return s.scanning(() => {
    const out: Found[] = [];
    let stop = s.run(to - s.kernel.now(), true);
    while (stop.reason !== 'idle') {
      if (stop.reason === 'breakpoint') {
        const detail = say(stop);
        if (detail !== undefined) out.push({ cycle: stop.cycle, detail, ids: s.lastHit() });
        if (s.kernel.now() >= to) break;
        stop = s.step(1);
        if (stop.reason === 'breakpoint') continue;
      }
      if (s.kernel.now() >= to) break;
      stop = s.run(to - s.kernel.now(), true);
    }
    return out;
  });
}

/**
 * Reverse-step over: back one instruction in this environment; when the
 * instruction before was a call's return (the word 8 bytes before pc
 * links: Session.callReturn), back to the call instead.
 */
export function reverseNext(s: Session): Reverse {
  const pc = s.kernel.cpu.pc >>> 0;
  const env = s.kernel.current ? s.envNames.get(s.kernel.current.id) : undefined;
  const here = s.kernel.now();
  const r = s.stepBack(1);
  if (!r) return 'Cannot step back: this is the first instruction since boot';
  const cur = s.kernel.cpu.pc >>> 0;
  if (cur === ((pc - 4) >>> 0) || !env) return { ...r, detail: 'reverse-stepped over' };
  const call = (pc - 8) >>> 0;
  const word = s.readWord(call, env);
  if (word === undefined || !decodeInstruction(word)?.links) return { ...r, detail: 'reverse-stepped over' };
  s.travelNow({ cycle: here }, 'back');
  const id = s.addBreakpoint({ kind: 'pc', addr: call, env });
  try {
    const found = searchBack(s, `call at 0x${call.toString(16)}`, (to) => scanHits(s, to, () => ((s.kernel.cpu.pc >>> 0) === call ? 'reverse-stepped over the call' : undefined)));
    return typeof found === 'string' ? s.stepBack(1) ?? found : found;
  } finally {
    s.removeBreakpoint(id);
  }
}

/**
 * Reverse watch: back to just after the last change of the word at
 * virtual address `va` of environment `env` (by its physical address
 * now), checked after every instruction and kernel entry.
 */
export function reverseWatch(s: Session, env: string, va: number): Reverse {
  const e = s.kernel.envs.get(s.envIds.get(env) ?? -1);
  if (!e) return `No environment ${env}`;
  const pa = s.kernel.translate(e, va & ~3);
  if (pa < 0) return `0x${(va >>> 0).toString(16)} is not mapped in ${env}`;
  const ram = s.kernel.machine.bus.ram32;
  const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
  return searchBack(s, `change of ${hex(va)} in ${env}`, (to) => {
    const out: Found[] = [];
    let last = ram[pa >>> 2];
    while (s.kernel.now() < to) {
      const was = s.kernel.now();
      s.travelNow({ cycle: was + 1 }, 'watching');
      if (s.kernel.now() === was) break;
      const v = ram[pa >>> 2];
      if (v !== last) out.push({ cycle: s.kernel.now(), detail: `reverse-watch ${hex(va)} in ${env}: ${hex(last)} became ${hex(v)}` });
      last = v;
    }
    return out;
  });
}

/** Back to just after the last event of kind `kind` before now (the history's index finds it). */
export function reversePrevious(s: Session, kind: string): Reverse {
  const here = s.kernel.now();
  let i = s.history.lastOfKind(kind);
  while (i >= 0) {
    const e = s.history.at(i);
    const r = s.travelNow({ cycle: e.cycle }, `previous ${kind} (event ${i + 1})`);
    if (typeof r === 'string') return r;
    while (s.history.length <= i) {
      const was = s.kernel.now();
      s.travelNow({ cycle: was + 1 }, `previous ${kind}`);
      if (s.kernel.now() === was) break;
    }
    if (s.kernel.now() < here) return { ...s.lastStop, detail: `previous ${kind}: event ${i + 1} at cycle ${e.cycle}` };
    i = s.history.lastOfKind(kind, i);
  }
  s.travelNow({ cycle: here }, 'back');
  return `No ${kind} event before cycle ${here}`;
}
