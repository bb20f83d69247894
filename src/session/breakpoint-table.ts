// The session's breakpoints (docs/architecture.md, "The session"): the
// table of them by id, each armed where it is checked (the CPU's pc
// breakpoints and watchpoints, an event subscription, the kernel's trap
// listener), which one a run stopped at and why, and the cycles at which
// each was hit, kept by cycle so that time travel counts them again the
// same. The breakpoint type itself is the scenario layer's
// (src/scenario/breakpoints.ts).
//
// BreakpointTable is what every session has: the breakpoints by id, armed
// on one CPU, their hits by cycle and the ones the timeline set. What
// stops a run at them is each kernel's: KernelBreakpoints here for the
// exokernel (environments, its event log, its trap listener), and
// MonoBreakpoints (mono-breakpoints.ts) for the monolithic kernel, whose
// events are observations made at its kernel entries.

import { excName, type Cpu, type ElfSymbol } from '../emu/index.js';
import type { KernelEvent } from '../exokernel/index.js';
import { resolvedWatch, watches, type Breakpoint, type Hit, type ResolvedBreakpoint } from '../scenario/index.js';
import type { SessionMachines } from './machines.js';

/** How the session treats breakpoints: live (stop and count), replay (ignore: time travel), scan (stop, not counted: reverse searches). */
export type Mode = 'live' | 'replay' | 'scan';

/** A breakpoint a run stopped at, with the stop's detail. */
export interface Caught {
  readonly detail: string;
  readonly at: Hit;
}

/** What a breakpoint table arms its breakpoints on and keeps their hits by. */
export interface BreakpointTarget {
  /** The CPU that checks pc breakpoints and watchpoints. */
  readonly cpu: Cpu;
  /** The cycle now: hits are kept by it. */
  now(): number;
  /** Addresses whose CPU breakpoint its owner keeps for its own use: removing the table's last breakpoint there leaves it armed. */
  readonly reserved?: ReadonlySet<number>;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** A watchpoint stop in words: "watchpoint write 0x10000000", and ` in <env>` when one is named. */
export const watchDetail = (access: { readonly addr: number; readonly write: boolean }, where = ''): string =>
  `watchpoint ${access.write ? 'write' : 'read'} 0x${hex8(access.addr >>> 0)}${where}`;

/** Breakpoints by id on one CPU, with their hits by cycle; see the file comment. */
export class BreakpointTable {
  mode: Mode = 'live';
  protected readonly breakpoints = new Map<number, ResolvedBreakpoint>();
  private nextBp = 1;
  /** Cycles at which each breakpoint was hit (time travel cuts them back). */
  private readonly hits = new Map<number, number[]>();
  private lastHitIds: number[] = [];
  /** Breakpoints the timeline set (time travel removes those set after the point). */
  private readonly timelineBps = new Set<number>();

  constructor(private readonly target: BreakpointTarget) {}

  /** Runs `fn` with the table in `mode` (scan: reverse searches; replay: time travel), the mode before restored however it ends. */
  inMode<T>(mode: Mode, fn: () => T): T {
    const was = this.mode;
    this.mode = mode;
    try { return fn(); } finally { this.mode = was; }
  }

  /** Adds resolved breakpoint `bp` (`byTimeline`: the scenario's timeline set it), armed on the CPU, and returns its id. */
  add(bp: ResolvedBreakpoint, byTimeline = false): number {
    const cpu = this.target.cpu;
    const id = this.nextBp++;
    this.breakpoints.set(id, bp);
    this.hits.set(id, []);
    if (byTimeline) this.timelineBps.add(id);
    if (bp.kind === 'pc') cpu.setBreakpoint(bp.addr, true);
    if (bp.kind === 'watch') cpu.setWatchpoint(bp.addr, bp.len, bp.read, bp.write, true);
    return id;
  }

  /** Removes breakpoint `id`, disarming it unless another breakpoint (or the target itself) uses its address; false when there is none. */
  remove(id: number): boolean {
    const bp = this.breakpoints.get(id);
    if (!bp) return false;
    const cpu = this.target.cpu;
    this.breakpoints.delete(id);
    this.hits.delete(id);
    this.timelineBps.delete(id);
    const used = (addr: number) => this.target.reserved?.has(addr) === true || [...this.breakpoints.values()].some((b) => b.kind === 'pc' && b.addr === addr);
    if (bp.kind === 'pc' && !used(bp.addr)) cpu.setBreakpoint(bp.addr, false);
    if (bp.kind === 'watch') cpu.setWatchpoint(bp.addr, bp.len, bp.read, bp.write, false);
    return true;
  }

  /** The breakpoints with their ids. */
  list(): [number, ResolvedBreakpoint][] {
    return [...this.breakpoints];
  }

  /** How many times breakpoint `id` has stopped the machine up to now (0 for none). */
  hitCount(id: number): number {
    const list = this.hits.get(id) ?? [];
    const now = this.target.now();
    let n = 0;
    while (n < list.length && list[n] <= now) n++;
    return n;
  }

  /** The breakpoints that made the last breakpoint stop. */
  lastHit(): readonly number[] {
    return this.lastHitIds;
  }

  /** Counts a hit of breakpoint `id` now (once per cycle: a hit seen again after time travel is the same hit). */
  noteHit(id: number): void {
    const list = this.hits.get(id);
    if (!list) return;
    const now = this.target.now();
    let i = list.length;
    while (i > 0 && list[i - 1] > now) i--;
    if (list[i - 1] !== now) list.splice(i, 0, now);
  }

  /** Forgets the hits after `cycle` (a new intervention there replaces the future they were in). */
  forgetHitsAfter(cycle: number): void {
    for (const list of this.hits.values()) while (list.length && list[list.length - 1] > cycle) list.pop();
  }

  /** Notes a stop at `hit`: counted in live runs, and the last hit. */
  noteStop(hit: Caught): void {
    if (this.mode === 'live') this.noteHit(hit.at.id);
    this.lastHitIds = [hit.at.id];
  }

  /** The ids of the breakpoints the timeline set (for checkpoints). */
  timelineIds(): number[] {
    return [...this.timelineBps];
  }

  /** Removes the breakpoints the timeline set that are not in `kept` (time travel went back before they were set). */
  keepTimeline(kept: readonly number[]): void {
    for (const id of [...this.timelineBps]) if (!kept.includes(id)) this.remove(id);
  }
}

/** The exokernel session's breakpoints on its first machine: for one environment or all, events from its log, exceptions from its trap listener. */
export class KernelBreakpoints extends BreakpointTable {
  /** The breakpoint an event or exception hit during the current run, and the stop's detail. */
  private hit: Caught | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Stops listening to the first machine's kernel entries (while an exception breakpoint exists). */
  private untrap: (() => void) | undefined;

  constructor(private readonly m: SessionMachines) {
    super({ cpu: m.kernel.cpu, now: () => m.kernel.now() });
  }

  private matchesEnv(bp: ResolvedBreakpoint, envId: number | undefined): boolean {
    return bp.env === undefined || (envId !== undefined && this.m.envIds.get(bp.env) === envId);
  }

  /** ` in NAME` for the environment on the CPU, or nothing. */
  private inCurrent(): string {
    return this.m.kernel.current ? ` in ${this.m.currentName()}` : '';
  }

  private onEvent(e: KernelEvent): void {
    if (this.hit !== undefined || this.mode === 'replay') return;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'event' || bp.event !== e.kind) continue;
      const envId = 'env' in e ? (e.env as number) : undefined;
      if (!this.matchesEnv(bp, envId)) continue;
      this.hit = { detail: `event ${e.kind}${envId !== undefined ? ` (${this.m.envNames.get(envId) ?? envId})` : ''}`, at: { id, breakpoint: bp, event: e } };
      this.m.kernel.stop();
      return;
    }
  }

  private onTrap(code: number): void {
    if (this.hit !== undefined || this.mode === 'replay') return;
    const k = this.m.kernel;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'exception' || bp.code !== code || !this.matchesEnv(bp, k.current?.id)) continue;
      this.hit = { detail: `exception ${excName(code)} at epc 0x${hex8(k.cpu.epc >>> 0)}${this.inCurrent()}`, at: { id, breakpoint: bp } };
      k.stop();
      return;
    }
  }

  /**
   * `b` with its symbol resolved to an address, or a message saying why it
   * cannot be set (an unknown environment or symbol).
   */
  resolve(b: Breakpoint): ResolvedBreakpoint | string {
    if (b.env !== undefined && !this.m.envIds.has(b.env) && !this.m.setup.envs.some((e) => e.name === b.env)) {
      // An environment of another machine (lockstep.ts): said as such, not as unknown.
      const other = this.m.companions.find((c) => c.envIds.has(b.env!) || c.setup.envs.some((e) => e.name === b.env));
      return other ? `${b.env} runs on machine ${other.name}: breakpoints stop the first machine (${this.m.machineName}) only` : `No environment ${b.env}`;
    }
    if (b.kind !== 'symbol' && b.kind !== 'symbolWatch') return b;
    const base = this.symbolAddress(b.symbol, b.env);
    if (base === undefined) return `No symbol ${b.symbol}${b.env ? ` in ${b.env}` : ''}`;
    if (b.kind === 'symbolWatch') return resolvedWatch(b, base);
    return { kind: 'pc', addr: (base + (b.offset ?? 0)) >>> 0, env: b.env };
  }

  /**
   * Adds a breakpoint (`byTimeline`: the scenario's timeline set it) and
   * returns its id. It listens to events only while an event breakpoint
   * exists, and to kernel entries only while an exception breakpoint
   * does, so a run that nobody watches pays nothing for them. Throws
   * Error for a breakpoint resolve refuses (callers resolve first).
   */
  override add(b: Breakpoint, byTimeline = false): number {
    const bp = this.resolve(b);
    if (typeof bp === 'string') throw new Error(bp);
    const id = super.add(bp, byTimeline);
    if (bp.kind === 'event' && !this.unsubscribe) this.unsubscribe = this.m.kernel.log.subscribe((e) => this.onEvent(e));
    if (bp.kind === 'exception' && !this.untrap) this.untrap = this.m.kernel.onTrap.add((code) => this.onTrap(code));
    return id;
  }

  /** Removes breakpoint `id`; false when there is none. */
  override remove(id: number): boolean {
    if (!super.remove(id)) return false;
    if (this.unsubscribe && ![...this.breakpoints.values()].some((b) => b.kind === 'event')) { this.unsubscribe(); this.unsubscribe = undefined; }
    if (this.untrap && ![...this.breakpoints.values()].some((b) => b.kind === 'exception')) { this.untrap(); this.untrap = undefined; }
    return true;
  }

  /** Resolves `name` (a symbol of an environment's image) to an address. */
  symbolAddress(name: string, env?: string): number | undefined {
    return symbolIn(this.m.symbols, name, env);
  }

  /** Forgets the event or exception breakpoint hit so far (a run begins, or time travel landed). */
  clearCaught(): void {
    this.hit = undefined;
  }

  /** The event or exception breakpoint hit during the current run (a method, so that no narrowing of `hit` hides what the kernel's callbacks set). */
  caught(): Caught | undefined {
    return this.hit;
  }

  /** The watchpoint of the current environment that the CPU stopped before, with the stop's detail. */
  watchpointHit(): Caught | undefined {
    const access = this.m.kernel.cpu.watchHit;
    const cur = this.m.kernel.current?.id;
    if (!access) return undefined;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'watch' || !watches(bp, access) || !this.matchesEnv(bp, cur)) continue;
      const detail = watchDetail(access, cur ? ` in ${this.m.currentName()}` : '');
      return { detail, at: { id, breakpoint: bp, access } };
    }
    return undefined;
  }

  /** A PC breakpoint matching the current environment, with the stop's detail. */
  pcBreakpointHit(): Caught | undefined {
    const pc = this.m.kernel.cpu.pc >>> 0;
    const cur = this.m.kernel.current?.id;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind === 'pc' && bp.addr === pc && this.matchesEnv(bp, cur)) {
        return { detail: `pc 0x${hex8(pc)}${cur ? ` in ${this.m.currentName()}` : ''}`, at: { id, breakpoint: bp } };
      }
    }
    return undefined;
  }
}

/** Symbol `name` of environment `env`'s image (any image's without `env`) among `symbols` (by environment), as an address. */
export function symbolIn(symbols: ReadonlyMap<string, readonly ElfSymbol[]>, name: string, env?: string): number | undefined {
  const lists = env ? [symbols.get(env) ?? []] : [...symbols.values()];
  for (const syms of lists) {
    const s = syms.find((x) => x.name === name);
    if (s) return s.value >>> 0;
  }
  return undefined;
}
