// The system calls of abi.ts. Each checks its arguments, never trusts a
// pointer, emits an event, and returns a result for v0 (negative = Err), or
// undefined when the calling environment no longer runs (exit, yield).

import { Tlb } from '../emu/index.js';
import { CPUTS_MAX, DpfAtom, DPF_ATOMS_MAX, Err, Layout, MapFlag, Rights, SLICES, Sys, SYS_COUNT, GUARANTEED_MAX, SAVE_SIZE, Upcall } from './abi.js';
import { advance, yieldSlice, yieldTo } from './sched.js';
import { pct } from './pct.js';
import { dpfWork, netSend, NET_WAIT, packetsWaiting, ringCreate } from './net.js';
import { noteGiven } from './revoke.js';
import { breakFrame, frameOf, install, lookup, unmap } from './bindings.js';
import { Costs, copyCycles } from './costs.js';
import { copyIn, copyOut, pinnedPa } from './usermem.js';
import { claimFrame } from './scrub.js';
import { exitEnv, type Env } from './env.js';
import type { Kernel } from './kernel.js';

/** Names of the calls by number, for events. */
export const SYS_NAMES: readonly string[] = Object.entries(Sys).sort((a, b) => a[1] - b[1]).map(([n]) => n);


type Handler = (k: Kernel, env: Env, a: Int32Array, pc: number) => number | undefined;

const u = (v: number) => v >>> 0;

/** True when `vpn` is a page the kernel maps for itself (info page, frame table). */
function reservedPage(k: Kernel, vpn: number): boolean {
  const ft = Layout.FRAMES >>> 12;
  return vpn === Layout.INFO >>> 12 || vpn === Layout.REPO >>> 12 || (vpn >= ft && vpn < ft + k.frameTableFrames.length);
}

/**
 * The guaranteed mappings of env that count against GUARANTEED_MAX: all but
 * the kernel's own pages (info page, repossession page, frame table), whose
 * number grows with the machine's RAM (a frame-table page per 1024 frames)
 * and is no choice of the library OS.
 */
function guaranteedUsed(k: Kernel, env: Env): number {
  let n = 0;
  env.guaranteed.forEach((_, vpn) => { if (!reservedPage(k, vpn)) n++; });
  return n;
}

function ownedFrame(k: Kernel, env: Env, frame: number): number | Err {
  if (!Number.isInteger(frame) || frame < 0 || frame >= k.frames.count) return Err.Inval;
  return k.frames.frames[frame].owner === env.id ? 0 : Err.Perm;
}
type Err = (typeof Err)[keyof typeof Err];

/** A refused tlb_map of `va` to `frame`: counted, its event emitted; returns `err`. */
function refuse(k: Kernel, env: Env, va: number, frame: number, reason: 'inval' | 'cap' | 'perm' | 'nospc', detail: string, err: number): number {
  env.counters.refused++;
  k.emit({ kind: 'binding-refused', cycle: k.now(), env: env.id, vaddr: va, frame, reason, detail });
  return err;
}

function tlbMap(k: Kernel, env: Env, a: Int32Array): number {
  const va = (a[4] & ~0xfff) >>> 0, flags = a[4] & 0xfff, lo = u(a[5]);
  const frame = frameOf(lo), vpn = va >>> 12;
  k.charge(Costs.TLB_MAP);
  if ((flags & ~MapFlag.Guaranteed) !== 0) return refuse(k, env, va, frame, 'inval', `unknown flags 0x${flags.toString(16)}`, Err.Inval);
  if (va >= 0x80000000 || reservedPage(k, vpn)) return refuse(k, env, va, frame, 'inval', 'not a user page', Err.Inval);
  if ((lo & Tlb.G) !== 0) return refuse(k, env, va, frame, 'inval', 'EntryLo.G is not for user bindings', Err.Inval);
  if ((lo & Tlb.V) === 0) return refuse(k, env, va, frame, 'inval', 'EntryLo.V is clear', Err.Inval);
  if (frame >= k.frames.count) return refuse(k, env, va, frame, 'inval', `no frame ${frame}`, Err.Inval);
  const rights = k.frames.rightsOf(frame, a[6], a[7]);
  if (rights === 0) return refuse(k, env, va, frame, 'cap', `key is no capability for frame ${frame}`, Err.Cap);
  const writable = (lo & Tlb.D) !== 0;
  if (writable && (rights & Rights.Write) === 0) return refuse(k, env, va, frame, 'perm', `read-only capability with D set`, Err.Perm);
  const guaranteed = (flags & MapFlag.Guaranteed) !== 0;
  if (guaranteed && !env.guaranteed.has(vpn) && guaranteedUsed(k, env) >= GUARANTEED_MAX) {
    return refuse(k, env, va, frame, 'nospc', `guaranteed set full (${GUARANTEED_MAX})`, Err.NoSpc);
  }
  unmap(k, env, vpn, 'replaced');
  install(k, env, vpn, lo & (Tlb.PFN | Tlb.N | Tlb.D | Tlb.V), writable ? Rights.ReadWrite : Rights.Read, guaranteed, { lo: a[6], hi: a[7] });
  return 0;
}

const calls: Record<number, Handler> = {
  [Sys.Null]: () => 0,
  [Sys.Cputs]: (k, env, a) => {
    const len = a[5];
    if (len < 0 || len > CPUTS_MAX) return Err.Inval;
    const bytes = copyIn(k, env, a[4], len);
    if (!bytes) return Err.Fault;
    k.charge(copyCycles(len, a[4])); // into the console's buffer (asm/copy.S)
    k.console(env, Buffer.from(bytes).toString('latin1'));
    return len;
  },
  [Sys.Cgets]: (k, env, a) => {
    const max = a[5];
    if (max < 0 || max > CPUTS_MAX) return Err.Inval;
    const n = Math.min(max, env.consoleIn.length);
    if (!copyOut(k, env, a[4], Buffer.from(env.consoleIn.slice(0, n), 'latin1'))) return Err.Fault;
    env.consoleIn = env.consoleIn.slice(n);
    k.charge(copyCycles(n, a[4])); // out of the console's buffer (asm/copy.S)
    return n;
  },
  [Sys.Exit]: (k, env, a) => { exitEnv(k, env, a[4]); return undefined; },
  [Sys.GetEnvId]: (_k, env) => env.id,
  [Sys.FrameAlloc]: (k, env, a) => {
    const r = claimFrame(k, a[4], env.id, a[5], a[6]);
    if (r === 'inval') return Err.Inval;
    if (r === 'busy') return Err.Busy;
    if (r === 'nomem') return Err.NoMem;
    k.emit({ kind: 'frame-alloc', cycle: k.now(), env: env.id, frame: r });
    return r;
  },
  [Sys.FrameFree]: (k, env, a) => {
    const e = ownedFrame(k, env, a[4]);
    if (e !== 0) return e;
    breakFrame(k, a[4], 'frame freed');
    k.frames.free(a[4]);
    k.emit({ kind: 'frame-free', cycle: k.now(), env: env.id, frame: a[4] });
    noteGiven(k, env, 'frames');
    return 0;
  },
  [Sys.FrameGrant]: (k, env, a) => {
    const e = ownedFrame(k, env, a[4]);
    if (e !== 0) return e;
    const rights = a[5];
    if (rights !== Rights.Read && rights !== Rights.Write && rights !== Rights.ReadWrite) return Err.Inval;
    if (!k.frames.grant(a[4], { keyLo: a[6], keyHi: a[7], rights })) return Err.NoSpc;
    k.emit({ kind: 'frame-grant', cycle: k.now(), env: env.id, frame: a[4], rights });
    return 0;
  },
  [Sys.FrameRekey]: (k, env, a) => {
    const e = ownedFrame(k, env, a[4]);
    if (e !== 0) return e;
    k.frames.rekey(a[4]);
    breakFrame(k, a[4], 'frame rekeyed', (id) => id !== env.id);
    k.emit({ kind: 'frame-rekey', cycle: k.now(), env: env.id, frame: a[4] });
    return 0;
  },
  [Sys.TlbMap]: (k, env, a) => tlbMap(k, env, a),
  [Sys.TlbUnmap]: (k, env, a) => {
    const vpn = u(a[4]) >>> 12;
    if (u(a[4]) >= 0x80000000 || reservedPage(k, vpn)) return Err.Inval;
    return unmap(k, env, vpn, 'unmapped') < 0 ? Err.NoEnt : 0;
  },
  [Sys.TlbRead]: (k, env, a) => {
    if (u(a[4]) >= 0x80000000) return Err.Inval;
    const lo = lookup(k, env, u(a[4]) >>> 12);
    return lo === undefined ? Err.NoEnt : lo | 0;
  },
  [Sys.SetHandler]: (_k, env, a) => {
    const code = a[4], pc = u(a[5]);
    if (code < 1 || code > 12 || code === 8 || pc >= 0x80000000 || (pc & 3) !== 0) return Err.Inval;
    env.handlers[code] = pc;
    return 0;
  },
  [Sys.SetSaveArea]: (_k, env, a) => {
    const va = u(a[4]);
    if (va === 0 || va >= 0x80000000 || (va & 3) !== 0 || (va & 0xfff) + SAVE_SIZE > 0x1000) return Err.Inval;
    if (pinnedPa(env, va) < 0) return Err.Inval;
    env.saveArea = va;
    return 0;
  },
  [Sys.Yield]: (k, env, _a, pc) => { yieldSlice(k, env, pc); return undefined; },
  [Sys.YieldTo]: (k, env, a, pc) => yieldTo(k, env, a[4], pc),
  [Sys.PctSync]: (k, env, _a, pc) => pct(k, env, 'PctSync', Sys.PctSync, pc),
  [Sys.PctAsync]: (k, env, _a, pc) => pct(k, env, 'PctAsync', Sys.PctAsync, pc),
  [Sys.PctReply]: (k, env, _a, pc) => pct(k, env, 'PctReply', Sys.PctReply, pc),
  [Sys.RingCreate]: (k, env, a) => ringCreate(k, env, a[4], a[5], a[6]),
  [Sys.DpfInsert]: (k, env, a) => {
    const n = a[5];
    if (!k.dpf || n < 1 || n > DPF_ATOMS_MAX || !env.rings[a[6]] || u(a[7]) >= 0x80000000 || (a[7] & 3) !== 0) return Err.Inval;
    const bytes = copyIn(k, env, a[4], n * DpfAtom.SIZE);
    if (!bytes) return Err.Fault;
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, n * 4);
    const r = dpfWork(k, (d) => d.insert(words, { env: env.id, ring: a[6], ash: u(a[7]) }));
    if ('refused' in r) {
      k.emit({ kind: 'filter-refused', cycle: k.now(), env: env.id, why: r.refused });
      return r.err;
    }
    k.emit({ kind: 'filter-inserted', cycle: k.now(), env: env.id, filter: r.id, atoms: n, ring: a[6], ash: a[7] !== 0 });
    return r.id;
  },
  [Sys.DpfRemove]: (k, env, a) => {
    if (!k.dpf) return Err.Inval;
    const r = dpfWork(k, (d) => d.remove(a[4], env.id));
    if ('refused' in r) return r.err;
    k.emit({ kind: 'filter-removed', cycle: k.now(), env: env.id, filter: a[4] });
    return 0;
  },
  [Sys.NetSend]: (k, env, a) => netSend(k, env, a[4], a[5]),
  [Sys.NetWait]: (k, env, a, pc) => {
    const waiting = packetsWaiting(k, env);
    if (waiting > 0 || a[4] <= 0) return waiting;
    k.saveContext(env, pc);
    k.charge(Costs.CONTEXT_SAVE);
    env.resume = 'kernel';
    env.state = 'waiting';
    env.waitingOn = NET_WAIT;
    env.netWaitUntil = k.now() + (a[4] >>> 0);
    k.reschedule();
    advance(k);
    return undefined;
  },
  [Sys.SetUpcall]: (_k, env, a) => {
    const kind = a[4], pc = u(a[5]);
    if (kind < Upcall.Prologue || kind > Upcall.Pct || pc >= 0x80000000 || (pc & 3) !== 0) return Err.Inval;
    env.upcalls[kind] = pc;
    return 0;
  },
  [Sys.SliceAlloc]: (k, env, a) => {
    const got = k.slices.alloc(env.id, a[4], a[5], a[6]);
    if (got === 'inval') return Err.Inval;
    if (got === 'busy') return Err.Busy;
    if (got === 'nospc') return Err.NoSpc;
    for (const slot of got) k.emit({ kind: 'slice-alloc', cycle: k.now(), env: env.id, slot });
    return got[0];
  },
  [Sys.SliceFree]: (k, env, a) => {
    const slot = a[4];
    if (!Number.isInteger(slot) || slot < 0 || slot >= SLICES) return Err.Inval;
    if (k.slices.owner[slot] !== env.id) return Err.Perm;
    k.slices.owner[slot] = 0;
    k.emit({ kind: 'slice-free', cycle: k.now(), env: env.id, slot });
    noteGiven(k, env, 'slices');
    return 0;
  },
};

/**
 * Performs the system call in v0 for `env`, whose next instruction is `pc`.
 * Returns the value for v0, or undefined when env no longer runs here.
 */
export function syscall(k: Kernel, env: Env, pc: number): number | undefined {
  const regs = k.cpu.regs;
  const num = regs[2];
  const h = num >= 0 && num < SYS_COUNT ? calls[num] : undefined;
  const result = h ? h(k, env, regs, pc) : Err.NoSys;
  k.emit({ kind: 'syscall', cycle: k.now(), env: env.id, call: SYS_NAMES[num] ?? `#${num}`, result: result ?? 0 });
  return result;
}
