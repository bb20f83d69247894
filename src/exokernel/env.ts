// Environments (Aegis paper, sec. 5): the unit of protection and of
// accounting. Each holds the paper's four contexts: the exception context
// (handler pcs and the save area), the interrupt context (time-slice
// prologue and epilogue: issue 6), the protected entry context (PCT entry
// points: issue 6) and the addressing context (ASID, guaranteed mappings).
// Fields are grouped by who changes them.


import type { PacketRing } from './net.js';
/**
 * Life cycle of an environment: runnable, waiting for the answer to a
 * synchronous protected control transfer, or destroyed.
 */
export type EnvState = 'runnable' | 'waiting' | 'destroyed';


/** A revocation the kernel has asked for and not yet settled. */
export interface RevokeRequest {
  readonly what: 'frames' | 'slices';
  readonly count: number;
  /** Cycle at which the abort protocol takes what was not given back. */
  deadline: number;
  /** Times the abort waited for the environment to leave a handler. */
  deferrals: number;
  /** Given back so far. */
  given: number;
  /** The Revoke upcall has been delivered. */
  delivered: boolean;
}

/**
 * A mapping the kernel keeps for the environment whatever the STLB does,
 * with the key that was presented for it (0 for the kernel's own read-only
 * pages, which need none): the evidence the invariant checks.
 */
export interface Guaranteed {
  readonly vpn: number;
  readonly entryLo: number;
  readonly frame: number;
  readonly keyLo: number;
  readonly keyHi: number;
}

/** One environment. */
export interface Env {
  // Fixed at creation.
  readonly id: number;
  readonly name: string;
  readonly args: readonly string[];
  /** The frame of its info page (kernel-owned, mapped read-only). */
  readonly infoFrame: number;

  // Exception context: set by the environment through system calls.
  /** Handler pc per exception code (0 = none). */
  handlers: number[];
  /** Virtual address of the save area (0 = none). */
  saveArea: number;

  // Interrupt context (prologue, epilogue), revocation and protected entry
  // context: upcall pcs by Upcall kind (0 = none), set by set_upcall.
  upcalls: number[];

  // Addressing context: changed by the kernel.
  /** Its ASID, or -1 while it has none (after recycling). */
  asid: number;
  /** Guaranteed mappings by VPN. */
  guaranteed: Map<number, Guaranteed>;

  // Scheduling state, changed by the kernel.
  state: EnvState;
  destroyReason: string;
  /** Saved registers while not running: r0..r31, then hi, lo. */
  regs: Int32Array;
  pc: number;
  /** Cycle it last started running, for ASID recycling and CPU accounting. */
  lastRun: number;
  /**
   * How it resumes at its next slice: 'kernel' from the registers the kernel
   * saved; 'upcall' through its prologue (it saved its own context in its
   * epilogue); 'unsaved' after its syscall with its registers cleared (it
   * left by yield_to or PCT, which save nothing: sched.ts leaveUnsaved).
   */
  resume: 'kernel' | 'upcall' | 'unsaved';
  /** The environment whose pct_reply it waits for (state 'waiting'). */
  waitingOn: number;
  /** It got an epilogue upcall and has not yet yielded from it. */
  inEpilogue: boolean;
  /** Epilogue overruns in a row, and ticks still to deduct from its next slices. */
  overruns: number;
  penalty: number;
  /** Cycles it has had the CPU. */
  cpuCycles: number;
  /** The frame of its repossession page (kernel-owned, mapped read-only). */
  repoFrame: number;
  /** A revocation in progress, and upcalls waiting to be delivered. */
  revoke: RevokeRequest | undefined;
  pendingRepossess: { frames: number; slices: number } | undefined;
  /** Its packet rings (ring_create), and the cycle its net_wait ends (Infinity when not waiting). */
  rings: PacketRing[];
  netWaitUntil: number;

  // Accounting.
  console: string;
  /** Console input waiting to be read with cgets. */
  consoleIn: string;
  counters: { dispatches: number; syscalls: number; stlbHits: number; stlbMisses: number; guaranteedHits: number; refused: number; slices: number; overruns: number; upcalls: number };
}

/** A new environment record (no ASID, no mappings yet). */
export function newEnv(id: number, name: string, args: readonly string[], infoFrame: number, repoFrame: number): Env {
  return {
    id, name, args, infoFrame, repoFrame,
    handlers: new Array(13).fill(0),
    upcalls: new Array(6).fill(0),
    resume: 'kernel',
    waitingOn: 0,
    inEpilogue: false,
    overruns: 0,
    penalty: 0,
    cpuCycles: 0,
    revoke: undefined,
    pendingRepossess: undefined,
    rings: [],
    netWaitUntil: Infinity,
    saveArea: 0,
    asid: -1,
    guaranteed: new Map(),
    state: 'runnable',
    destroyReason: '',
    regs: new Int32Array(34),
    pc: 0,
    lastRun: 0,
    console: '',
    consoleIn: '',
    counters: { dispatches: 0, syscalls: 0, stlbHits: 0, stlbMisses: 0, guaranteedHits: 0, refused: 0, slices: 0, overruns: 0, upcalls: 0 },
  };
}

/** A deep copy of an environment as plain data (guaranteed mappings as an array). */
export function saveEnv(e: Env): Omit<Env, 'guaranteed' | 'regs'> & { guaranteed: Guaranteed[]; regs: number[] } {
  return {
    ...e, handlers: [...e.handlers], upcalls: [...e.upcalls], guaranteed: [...e.guaranteed.values()], regs: [...e.regs],
    counters: { ...e.counters }, revoke: e.revoke && { ...e.revoke }, pendingRepossess: e.pendingRepossess && { ...e.pendingRepossess },
    rings: [...e.rings],
  };
}

/** Rebuilds an environment from `saveEnv`. */
export function restoreEnv(s: ReturnType<typeof saveEnv>): Env {
  return {
    ...s, handlers: [...s.handlers], upcalls: [...s.upcalls], regs: Int32Array.from(s.regs), counters: { ...s.counters },
    revoke: s.revoke && { ...s.revoke }, pendingRepossess: s.pendingRepossess && { ...s.pendingRepossess }, rings: [...s.rings],
    guaranteed: new Map(s.guaranteed.map((g) => [g.vpn, { ...g }])),
  };
}

/** Number of ASIDs on the R3000 (6 bits). ASID 0 is never given out. */
export const ASID_COUNT = 64;

/**
 * Hands out ASIDs 1..63. When none is free it takes the one of the
 * environment that ran least recently (never `current`); the caller must
 * flush that ASID from the hardware TLB and the STLB.
 */
export class AsidPool {
  private readonly owner = new Array<Env | undefined>(ASID_COUNT).fill(undefined);
  /** Counts every change of an ASID's holder (the incremental invariant check rechecks everything then). */
  generation = 0;

  /** Gives `env` an ASID; returns the environment it was taken from, if any. */
  assign(env: Env, current: Env | undefined): Env | undefined {
    this.generation++;
    for (let a = 1; a < ASID_COUNT; a++) {
      if (!this.owner[a]) { this.owner[a] = env; env.asid = a; return undefined; }
    }
    let victim: Env | undefined;
    for (let a = 1; a < ASID_COUNT; a++) {
      const e = this.owner[a]!;
      if (e !== current && (!victim || e.lastRun < victim.lastRun)) victim = e;
    }
    const asid = victim!.asid;
    victim!.asid = -1;
    this.owner[asid] = env;
    env.asid = asid;
    return victim;
  }

  /** Returns `env`'s ASID to the pool. */
  release(env: Env): void {
    this.generation++;
    if (env.asid > 0) this.owner[env.asid] = undefined;
    env.asid = -1;
  }

  /** Rebuilds the pool from the environments' ASIDs (after a restore). */
  rebuild(envs: Iterable<Env>): void {
    this.generation++;
    this.owner.fill(undefined);
    for (const e of envs) if (e.asid > 0) this.owner[e.asid] = e;
  }

  /** The environment holding `asid`, if any. */
  holder(asid: number): Env | undefined {
    return this.owner[asid];
  }
}
