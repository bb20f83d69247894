// Environments (Aegis paper, sec. 5): the unit of protection and of
// accounting. Each holds the paper's four contexts: the exception context
// (handler pcs and the save area), the interrupt context (time-slice
// prologue and epilogue), the protected entry context (PCT entry points)
// and the addressing context (ASID, guaranteed mappings). Fields are
// grouped by who changes them. The life cycle is here too: creation from
// a program image, and destruction (exit, a fatal fault, the debugger).

import { Tlb } from '../emu/index.js';
import { ARGV_MAX, Info, KERNEL_OWNER, Layout, Rights } from './abi.js';
import { breakFrame, flushAsid, install, KERNEL_PAGE_KEY } from './bindings.js';
import { Costs, copyCycles } from './costs.js';
import type { Kernel } from './kernel.js';
import { GuaranteedMap, type GuaranteedCount, type Guaranteed } from './guaranteed.js';
import { creationProblem, EnvCreateError } from './limits.js';
import type { PacketRing } from './net.js';
import { releaseWaiters } from './pct.js';
import { advance } from './sched.js';
import { claimFrame } from './scrub.js';
import { setFrameBytes, setFrameWord } from './usermem.js';

export type { Guaranteed } from './guaranteed.js';

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
  /** Guaranteed mappings by VPN (counted by frame in the kernel's GuaranteedCount). */
  readonly guaranteed: GuaranteedMap;

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

/**
 * What the fields that hold cycle counts start as: a double. The cycle
 * counter is one (it passes 2^31 in under 90 s of guest time), and a field
 * that started as a small integer would change the record's hidden class
 * (V8) at the first double stored there, deoptimizing every function that
 * had seen it; stores of 0 later keep the field a double.
 */
const CYCLES = -0;

/** A new environment record (no ASID, no mappings yet; its guaranteed mappings counted in `count`). */
export function newEnv(id: number, name: string, args: readonly string[], infoFrame: number, repoFrame: number, count: GuaranteedCount): Env {
  const env: Env = {
    id, name, args, infoFrame, repoFrame,
    handlers: new Array(13).fill(0),
    upcalls: new Array(6).fill(0),
    resume: 'kernel',
    waitingOn: 0,
    inEpilogue: false,
    overruns: 0,
    penalty: 0,
    cpuCycles: CYCLES,
    revoke: undefined,
    pendingRepossess: undefined,
    rings: [],
    netWaitUntil: Infinity,
    saveArea: 0,
    asid: -1,
    guaranteed: new GuaranteedMap(count),
    state: 'runnable',
    destroyReason: '',
    regs: new Int32Array(34),
    pc: 0,
    lastRun: CYCLES,
    console: '',
    consoleIn: '',
    counters: { dispatches: 0, syscalls: 0, stlbHits: 0, stlbMisses: 0, guaranteedHits: 0, refused: 0, slices: 0, overruns: 0, upcalls: 0 },
  };
  env.cpuCycles = 0;
  env.lastRun = 0;
  return env;
}

/** A deep copy of an environment as plain data (guaranteed mappings as one Float64Array: saveGuaranteed). */
export function saveEnv(e: Env): Omit<Env, 'guaranteed'> & { guaranteed: Float64Array } {
  return {
    // regs as a typed copy: a checkpoint compares and keeps it as bytes, not as 34 numbers.
    ...e, handlers: [...e.handlers], upcalls: [...e.upcalls], guaranteed: saveGuaranteed(e.guaranteed), regs: e.regs.slice(),
    counters: { ...e.counters }, revoke: e.revoke && { ...e.revoke }, pendingRepossess: e.pendingRepossess && { ...e.pendingRepossess },
    rings: [...e.rings],
  };
}

/**
 * Guaranteed mappings `g`, in order, as five numbers each (vpn, entryLo,
 * frame, keyLo, keyHi) in one typed array, made again only after the set
 * changed (GuaranteedMap.saved): a checkpoint compares and keeps it as
 * bytes. As records (six values each, twenty mappings an environment in
 * living.yaml), they were nine tenths of the values a checkpoint packed
 * of the environments and three fifths of the kernel's state, and packing
 * them a quarter of its time (about 45 us, now 34). Float64: exact
 * for every field, signed or not. Shared between saves: never written.
 */
function saveGuaranteed(g: GuaranteedMap): Float64Array {
  if (g.saved !== undefined) return g.saved;
  const out = new Float64Array(5 * g.size);
  let i = 0;
  for (const m of g.values()) { out[i] = m.vpn; out[i + 1] = m.entryLo; out[i + 2] = m.frame; out[i + 3] = m.keyLo; out[i + 4] = m.keyHi; i += 5; }
  return (g.saved = out);
}

/** The mappings saveGuaranteed laid out in `a`, in order. */
function restoreGuaranteed(a: Float64Array): Guaranteed[] {
  const out: Guaranteed[] = [];
  for (let i = 0; i + 5 <= a.length; i += 5) out.push({ vpn: a[i], entryLo: a[i + 1], frame: a[i + 2], keyLo: a[i + 3], keyHi: a[i + 4] });
  return out;
}

/** Rebuilds an environment from `saveEnv`, its guaranteed mappings counted in `count`. */
export function restoreEnv(s: ReturnType<typeof saveEnv>, count: GuaranteedCount): Env {
  return {
    ...s, handlers: [...s.handlers], upcalls: [...s.upcalls], regs: Int32Array.from(s.regs), counters: { ...s.counters },
    revoke: s.revoke && { ...s.revoke }, pendingRepossess: s.pendingRepossess && { ...s.pendingRepossess }, rings: [...s.rings],
    guaranteed: new GuaranteedMap(count, restoreGuaranteed(s.guaranteed)),
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

/** A program to run in a new environment: what the ELF loader gives. */
export interface EnvImage {
  readonly entry: number;
  readonly segments: readonly { readonly vaddr: number; readonly memsz: number; readonly data: Uint8Array; readonly flags: number }[];
}

/** How an environment starts: its time slices. */
export interface EnvOptions {
  /** Number of slices it is given, anywhere in the vector (default 1; 0 for none). */
  slices?: number;
}

/**
 * Creates an environment from `image` (kuseg PT_LOAD segments): frames for
 * every page it loads, a stack, its info page and the frame table, all as
 * guaranteed mappings. Returns it, runnable. When it cannot (the image
 * is outside the user image area, the arguments overflow the info page,
 * the frames or slices it needs are not free) it emits env-create-failed
 * and throws EnvCreateError, having changed nothing else (limits.ts).
 */
export function createEnv(k: Kernel, image: EnvImage, name: string, args: readonly string[] = [], opts: EnvOptions = {}): Env {
  const refused = creationProblem(k, image, name, args, opts.slices ?? 1);
  if (refused) { k.emit({ kind: 'env-create-failed', cycle: k.now(), name, reason: refused }); throw new EnvCreateError(name, refused); }
  const id = k.nextId++;
  const info = allocKernelFrame(k);
  const env = newEnv(id, name, args, info, allocKernelFrame(k), k.guaranteedCount);
  k.envs.set(id, env);
  const issued = k.keys.next();
  const keyLo = issued.key.lo, keyHi = issued.key.hi;
  k.charge(Costs.ENV_CREATE + k.frameTableFrames.length * Costs.ENV_FT_PAGE);
  try {
    loadImage(k, env, image, keyLo, keyHi);
    mapStack(k, env, keyLo, keyHi);
  } catch (e) {
    destroyEnv(k, env, `creation failed: ${(e as Error).message}`);
    throw e;
  }
  const slots = opts.slices ?? 1;
  if (slots > 0) {
    const got = k.slices.alloc(id, -1, slots, 0);
    if (typeof got === 'string') { destroyEnv(k, env, 'no free time slice'); throw new RangeError(`Environment ${name}: no ${slots} free time slices`); }
    for (const slot of got) k.emit({ kind: 'slice-alloc', cycle: k.now(), env: id, slot });
  }
  install(k, env, Layout.INFO >>> 12, (info << 12) | Tlb.V, Rights.Read, true, KERNEL_PAGE_KEY);
  install(k, env, Layout.REPO >>> 12, (env.repoFrame << 12) | Tlb.V, Rights.Read, true, KERNEL_PAGE_KEY);
  k.frameTableFrames.forEach((f, i) => install(k, env, (Layout.FRAMES >>> 12) + i, (f << 12) | Tlb.V, Rights.Read, true, KERNEL_PAGE_KEY));
  writeInfo(k, env, keyLo, keyHi, issued.seed);
  env.regs[29] = Layout.STACK_TOP;
  env.pc = image.entry | 0;
  k.emit({ kind: 'env-created', cycle: k.now(), env: id, name, asid: env.asid });
  return env;
}

function allocKernelFrame(k: Kernel): number {
  const f = claimFrame(k, -1, KERNEL_OWNER, 0, 0, true);
  if (typeof f !== 'number') throw new RangeError('Out of physical memory');
  k.frames.frames[f].caps = [];
  k.frames.touch(f);
  k.frames.changed.add(f);
  k.frames.narrowed.add(f);
  return f;
}

function ownFrame(k: Kernel, env: Env, keyLo: number, keyHi: number): number {
  const f = claimFrame(k, -1, env.id, keyLo, keyHi, true);
  if (typeof f !== 'number') throw new RangeError('Out of physical memory');
  k.charge(Costs.FRAME_CLAIM);
  return f;
}

function loadImage(k: Kernel, env: Env, image: EnvImage, keyLo: number, keyHi: number): void {
  const pages = new Map<number, { frame: number; writable: boolean }>();
  for (const seg of image.segments) {
    const start = seg.vaddr >>> 0, end = start + seg.memsz;
    if (end > Layout.FRAMES || start < Layout.PAGE) {
      throw new RangeError(`Segment at 0x${start.toString(16)} is outside the user image area`);
    }
    for (let vpn = start >>> 12; vpn < Math.ceil(end / Layout.PAGE); vpn++) {
      let p = pages.get(vpn);
      if (!p) { p = { frame: ownFrame(k, env, keyLo, keyHi), writable: false }; pages.set(vpn, p); }
      p.writable ||= (seg.flags & 2) !== 0;
    }
    const data = seg.data;
    // The kernel's copy of the image lies at the segment's offset in a page (ELF: p_offset = p_vaddr mod the page).
    k.charge(copyCycles(data.length, start));
    for (let i = 0; i < data.length;) {
      const va = start + i, n = Math.min(data.length - i, Layout.PAGE - (va & 0xfff));
      setFrameBytes(k, pages.get(va >>> 12)!.frame, va & 0xfff, data.subarray(i, i + n));
      i += n;
    }
  }
  for (const [vpn, p] of pages) {
    install(k, env, vpn, (p.frame << 12) | Tlb.V | (p.writable ? Tlb.D : 0), Rights.ReadWrite, true, { lo: keyLo, hi: keyHi });
  }
}

function mapStack(k: Kernel, env: Env, keyLo: number, keyHi: number): void {
  for (let i = 1; i <= Layout.STACK_PAGES; i++) {
    const f = ownFrame(k, env, keyLo, keyHi);
    install(k, env, (Layout.STACK_TOP >>> 12) - i, (f << 12) | Tlb.D | Tlb.V, Rights.ReadWrite, true, { lo: keyLo, hi: keyHi });
  }
}

/** Fills the info page (Info offsets in abi.ts); `seed` is the environment's guest seed (keys.ts). */
function writeInfo(k: Kernel, env: Env, keyLo: number, keyHi: number, seed: { lo: number; hi: number }): void {
  const w = (off: number, v: number) => { setFrameWord(k, env.infoFrame, off, v); };
  w(Info.ENVID, env.id);
  w(Info.ASID, env.asid);
  w(Info.KEY_LO, keyLo);
  w(Info.KEY_HI, keyHi);
  w(Info.NFRAMES, k.frames.count);
  setFrameBytes(k, env.infoFrame, Info.MAC, Uint8Array.from(k.netdev?.mac ?? []));
  w(Info.SEED_LO, seed.lo);
  w(Info.SEED_HI, seed.hi);
  const argv = [env.name, ...env.args].slice(0, ARGV_MAX);
  w(Info.ARGC, argv.length);
  let off = Info.ARGS;
  argv.forEach((a, i) => {
    const bytes = Buffer.from(a, 'latin1');
    if (off + bytes.length + 1 > Layout.PAGE) throw new RangeError(`Environment ${env.name}: arguments exceed a page`);
    w(Info.ARGV + 4 * i, Layout.INFO + off);
    setFrameBytes(k, env.infoFrame, off, bytes);
    setFrameBytes(k, env.infoFrame, off + bytes.length, Uint8Array.of(0));
    off += bytes.length + 1;
  });
}

/** sys_exit: env ends itself with `status`; destroyed like any other (destroyEnv). */
export function exitEnv(k: Kernel, env: Env, status: number): void {
  destroyEnv(k, env, `exit(${status})`);
}

/**
 * Destroys `env`: breaks every binding of every frame it owns and frees
 * them, drops its holds on others' frames, returns its ASID and info page.
 * If it was running, the next runnable environment takes the CPU.
 */
export function destroyEnv(k: Kernel, env: Env, reason: string): void {
  if (env.state === 'destroyed') return;
  const owned = k.frames.ownedBy(env.id);
  for (const f of owned) { breakFrame(k, f, `env ${env.id} destroyed`); k.frames.free(f); }
  k.frames.releaseAll(env.id);
  const hadAsid = env.asid > 0;
  if (hadAsid) flushAsid(k, env.asid);
  k.asids.release(env);
  env.guaranteed.clear();
  k.frames.free(env.infoFrame);
  k.frames.free(env.repoFrame);
  for (const slot of k.slices.freeAll(env.id)) k.emit({ kind: 'slice-free', cycle: k.now(), env: env.id, slot });
  env.revoke = undefined;
  env.pendingRepossess = undefined;
  for (const id of k.dpf?.removeEnv(env.id) ?? []) k.emit({ kind: 'filter-removed', cycle: k.now(), env: env.id, filter: id });
  env.rings = [];
  env.netWaitUntil = Infinity;
  releaseWaiters(k, env);
  env.state = 'destroyed';
  env.destroyReason = reason;
  k.charge(Costs.ENV_DESTROY + (hadAsid ? Costs.ASID_FLUSH : 0) + owned.length * Costs.FRAME_FREE);
  k.emit({ kind: 'env-destroyed', cycle: k.now(), env: env.id, reason, frames: owned.length });
  if (k.current === env) {
    env.cpuCycles += k.now() - env.lastRun;
    k.current = undefined;
    if (k.slices.phase === 'epilogue') k.slices.phase = 'run';
    advance(k);
  }
}
