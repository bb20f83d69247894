// Helpers of the time-travel tests: a bundled scenario opened on a session
// with its ScenarioRun, driven as replay drives it, and a seeded PRNG.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MonoStation, parseScenario, ScenarioRun, sessionFromScenario, takeSnapshot, type Scenario, type Session } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** True when the suite runs its big loops (EXOSCOPE_FULL=1). */
export const FULL = process.env.EXOSCOPE_FULL === '1';

export function loadBundled(name: string): Scenario {
  const rel = `scenarios/${name}`;
  return parseScenario(readFileSync(join(ROOT, rel), 'utf8'), rel);
}

export interface Opened { readonly s: Session; readonly run: ScenarioRun }

/** The session a bundled scenario describes, with checkpoints every `every` cycles, and its ScenarioRun (headless). */
export function open(sc: Scenario, every = 100_000): Opened {
  const s = sessionFromScenario(sc, { checkpointEvery: every });
  return { s, run: new ScenarioRun(s, sc) };
}

/**
 * The session of a run that never travels, the forward run a travel is
 * compared with: no checkpoints (taking them is most of a short run's
 * cost, and a run must not depend on them).
 */
export const fresh = (sc: Scenario): Opened => open(sc, 0);

/** Drives `o` as headless replay does, until cycle `until` (or the scenario's end, or idle). */
export function drive(o: Opened, until: number): void {
  const { s, run } = o;
  const end = Math.min(until, run.limit);
  for (;;) {
    if (s.kernel.now() >= end) return;
    run.fire();
    const stop = s.run(Math.min(end - s.kernel.now(), 1_000_000));
    if (stop.reason === 'idle') {
      const at = run.nextCycleTrigger();
      if (at === Infinity) return;
      s.idleUntil(Math.min(end, at));
    }
  }
}

/** The events of a machine besides the first, as JSON (an exokernel's history, or the monolithic kernel's events). */
const stationEvents = (s: Session, name: string): string[] => {
  const st = s.stations.find((x) => x.name === name);
  if (st instanceof MonoStation) return st.history.slice(0).map((e) => JSON.stringify(e));
  const c = s.companions.find((x) => x.name === name)!;
  return c.history.slice(0, c.history.length).map((e) => JSON.stringify(e));
};

/** The whole event history as JSON lines, every machine's (the others' after the first's, each line with its machine). */
export const historyLines = (s: Session): string[] => [
  ...s.history.slice(0, s.history.length).map((e) => JSON.stringify(e)),
  ...s.stations.flatMap((c) => stationEvents(s, c.name).map((e) => `${c.name} ${e}`)),
];

/** The machines besides the first as plain data: clock, registers, a hash of RAM, events so far, and the console of a monolithic kernel. */
const others = (s: Session) => s.stations.map((c) => ({
  name: c.name, cycle: c.machine.cpu.cycles, instret: c.machine.cpu.instret, pc: c.machine.cpu.pc >>> 0, regs: [...c.machine.cpu.regs],
  ram: createHash('sha256').update(c.machine.bus.ram8).digest('hex'), events: stationEvents(s, c.name).length,
  console: c instanceof MonoStation ? c.console : undefined,
}));

/**
 * What a person sees, as plain data: the snapshot (without the stop's
 * wording), the other machines' snapshots (`m` in the TUI), and the
 * breakpoints with hit counts.
 */
export function shown(s: Session): unknown {
  const snapOf = (machine: string | undefined) => {
    const { stop: _stop, ...snap } = takeSnapshot(s, { events: 300, machine });
    return snap;
  };
  const otherSnaps = s.stations.map((c) => snapOf(c.name));
  return { snap: snapOf(undefined), otherSnaps, bps: s.listBreakpoints().map(([id, b]) => [b, s.hitCount(id)]), history: s.history.length, machines: others(s), wire: s.wire.capture.length };
}

/** mulberry32: a small seeded PRNG for choosing test points. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
