// The monolithic kernel's breakpoints (docs/architecture.md, "The
// session"): the session's one breakpoint table (breakpoint-table.ts:
// the breakpoints by id, armed on the CPU, their hits kept by cycle so
// that time travel counts them the same), with what stops a run at them
// on this kernel. Its events and exceptions are observations made at the
// kernel entries the session watches (mono-session.ts), so an event or
// exception breakpoint stops at the boundary where the entry was
// observed, before the entry's first instruction; a pc breakpoint stops
// before the instruction at its address; a watchpoint before the load or
// store that touches its bytes (the CPU checks virtual addresses: one on a
// user address watches it in whichever process runs).

import type { ElfImage } from '../emu/index.js';
import { MONO_EVENTS, type MonoEvent } from '../monolithic/index.js';
import { resolvedWatch, watches, type Access, type Breakpoint, type ResolvedBreakpoint } from '../scenario/index.js';
import { BreakpointTable, watchDetail, type BreakpointTarget, type Caught } from './breakpoint-table.js';

/** What was seen at one instruction boundary (at a kernel entry the session watches). */
export interface Observation {
  readonly instret: number;
  readonly events: readonly MonoEvent[];
  /** The ExcCode, at trap(). */
  readonly exc: number | undefined;
}

/** The breakpoints of a MonoSession; see the file comment. */
export class MonoBreakpoints extends BreakpointTable {
  /** Breakpoints on `target`'s CPU; symbols are looked up in the kernel's `image`. */
  constructor(private readonly image: ElfImage, target: BreakpointTarget) {
    super(target);
  }

  /**
   * A breakpoint as the session holds it: a symbol resolved in the
   * kernel's symbol table (a breakpoint is for the whole machine: an
   * environment named is dropped); or why it cannot be set (an unknown
   * symbol, an event kind the monolithic kernel has not).
   */
  resolve(b: Breakpoint): ResolvedBreakpoint | string {
    if (b.kind === 'symbol' || b.kind === 'symbolWatch') {
      const base = this.symbolAddress(b.symbol);
      if (base === undefined) return `No symbol ${b.symbol} in the kernel ${this.image.fileName}`;
      return b.kind === 'symbolWatch' ? resolvedWatch(b, base, undefined) : { kind: 'pc', addr: (base + (b.offset ?? 0)) >>> 0 };
    }
    if (b.kind === 'event' && !(b.event in MONO_EVENTS)) return `The monolithic kernel has no ${b.event} events (its kinds: ${Object.keys(MONO_EVENTS).join(', ')})`;
    const { env: _, ...rest } = b;
    return rest as ResolvedBreakpoint;
  }

  /** The address of the kernel's symbol `name` (one defined in a section), if it has one. */
  symbolAddress(name: string): number | undefined {
    const s = this.image.symbols.find((x) => x.name === name && x.section !== '');
    return s === undefined ? undefined : s.value >>> 0;
  }

  /** Adds breakpoint `b` and returns its id. Throws Error for a breakpoint resolve refuses (callers resolve first). */
  override add(b: Breakpoint, byTimeline = false): number {
    const bp = this.resolve(b);
    if (typeof bp === 'string') throw new Error(bp);
    return super.add(bp, byTimeline);
  }

  /** The first watchpoint that watches `access` (the one the CPU stopped before), with the stop's detail. */
  watchAt(access: Access | undefined): Caught | undefined {
    if (!access) return undefined;
    for (const [id, b] of this.breakpoints) {
      if (b.kind === 'watch' && watches(b, access)) {
        return { detail: watchDetail(access), at: { id, breakpoint: b, access } };
      }
    }
    return undefined;
  }

  /** The first breakpoint that stops at pc `pc`, given what was observed at this boundary (`o`, if anything), with the stop's detail. */
  hitAt(pc: number, o: Observation | undefined): Caught | undefined {
    for (const [id, b] of this.breakpoints) {
      const hit = (b.kind === 'pc' && b.addr === pc)
        || (b.kind === 'exception' && o?.exc === b.code)
        || (b.kind === 'event' && o !== undefined && o.events.some((e) => e.kind === b.event));
      if (hit) return { detail: `breakpoint ${id}`, at: { id, breakpoint: b } };
    }
    return undefined;
  }
}
