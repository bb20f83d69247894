// The network as Aegis exports it (paper, sec. 5.5; docs/architecture.md,
// "The exokernel"): the kernel owns the LANCE; a received frame is classified
// by the merged DPF trie and lands in the packet ring of the environment
// whose filter accepts it, in that environment's own memory (after its ASH,
// if it has one, had a look); transmit is a system call whose buffer the
// kernel checks, and nothing else.

import { Err, Ring, RINGS_MAX, RING_PAGES_MAX, RING_SLOT_MAX, RING_SLOT_MIN, Layout } from './abi.js';
import { Costs } from './costs.js';
import type { Dpf } from './dpf/index.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { copyIn, copyOutPinned, pinnedPa, readPinned, writePinned } from './usermem.js';

/** A packet ring the environment registered. */
export interface PacketRing {
  readonly va: number;
  readonly slots: number;
  readonly slotSize: number;
}

/** ring_create: checks that the whole ring is guaranteed writable memory of env. Returns the id or an error. */
export function ringCreate(k: Kernel, env: Env, va: number, slots: number, slotSize: number): number {
  va >>>= 0;
  if ((va & 0xfff) !== 0 || va >= Layout.FRAMES || slots < 1 || slotSize < RING_SLOT_MIN || slotSize > RING_SLOT_MAX || slotSize % 4 !== 0) return Err.Inval;
  const bytes = Ring.DATA + slots * slotSize;
  if (bytes > RING_PAGES_MAX * Layout.PAGE) return Err.Inval;
  for (let p = va; p < va + bytes; p += Layout.PAGE) if (pinnedPa(env, p) < 0) return Err.Inval;
  if (env.rings.length >= RINGS_MAX) return Err.NoSpc;
  env.rings.push({ va, slots, slotSize });
  writePinned(k, env, va + Ring.HEAD, 0);
  writePinned(k, env, va + Ring.TAIL, 0);
  writePinned(k, env, va + Ring.SLOTS, slots);
  writePinned(k, env, va + Ring.SLOT_SIZE, slotSize);
  writePinned(k, env, va + Ring.DROPPED, 0);
  return env.rings.length - 1;
}

/** Packets waiting in env's rings (head - tail summed). */
export function packetsWaiting(k: Kernel, env: Env): number {
  let n = 0;
  for (const r of env.rings) {
    const head = readPinned(k, env, r.va + Ring.HEAD), tail = readPinned(k, env, r.va + Ring.TAIL);
    if (head >= 0 && tail >= 0) n += Math.max(0, Math.min(r.slots, (head - tail) | 0));
  }
  return n;
}

/**
 * Copies `frame` into the next slot of env's ring `ringId` without
 * publishing it (the ASH sees it there first). Returns the slot's virtual
 * address, or why it could not: the ring is full (counted in DROPPED) or
 * no longer guaranteed memory.
 */
export function fillSlot(k: Kernel, env: Env, ringId: number, frame: Uint8Array): number | 'full' | 'unmapped' | 'too long' {
  const r = env.rings[ringId];
  if (!r) return 'unmapped';
  const head = readPinned(k, env, r.va + Ring.HEAD), tail = readPinned(k, env, r.va + Ring.TAIL);
  if (head < 0 || tail < 0) return 'unmapped';
  if (frame.length + 4 > r.slotSize) return 'too long';
  if (((head - tail) | 0) >= r.slots) {
    writePinned(k, env, r.va + Ring.DROPPED, readPinned(k, env, r.va + Ring.DROPPED) + 1);
    return 'full';
  }
  const slot = r.va + Ring.DATA + (head % r.slots) * r.slotSize;
  if (!writePinned(k, env, slot, frame.length)) return 'unmapped';
  if (!copyOutPinned(k, env, slot + 4, frame)) return 'unmapped';
  return slot;
}

/** Publishes the slot `fillSlot` filled: advances the ring's head. */
export function publishSlot(k: Kernel, env: Env, ringId: number): void {
  const r = env.rings[ringId];
  writePinned(k, env, r.va + Ring.HEAD, readPinned(k, env, r.va + Ring.HEAD) + 1);
}

/**
 * Runs `op` (an insert or a remove) on the kernel's packet filters and
 * charges the clock for the work it did: trie nodes walked, filters
 * compared by the conflict rule, nodes whose code it made out of date
 * (costs.ts, DPF_*). Precondition: k.dpf exists.
 */
export function dpfWork<T>(k: Kernel, op: (d: Dpf) => T): T {
  const d = k.dpf!, before = d.work;
  const out = op(d);
  const after = d.work;
  k.charge((after.atoms - before.atoms) * Costs.DPF_INSERT_ATOM + (after.compared - before.compared) * Costs.DPF_CONFLICT +
    (after.changed - before.changed) * Costs.DPF_COMPILE_NODE);
  return out;
}

/**
 * The LANCE's interrupt (kernel entry or idle): charges its entry
 * (Costs.NET_INTERRUPT), takes every frame received and delivers it.
 */
export function serviceNetwork(k: Kernel): void {
  if (!k.netdev) return;
  k.charge(Costs.NET_INTERRUPT);
  for (const frame of k.netdev.service()) deliver(k, frame);
}

/**
 * Delivers one received frame: classify it, copy it into the owner's ring,
 * let its ASH run, publish it unless the ASH consumed it, wake the owner.
 */
export function deliver(k: Kernel, frame: Uint8Array): void {
  k.emit({ kind: 'packet-received', cycle: k.now(), len: frame.length });
  if (k.dpf) k.charge(k.dpf.classifyCycles(frame));
  const m = k.dpf?.classify(frame);
  const env = m ? k.envs.get(m.env) : undefined;
  if (!m || !env || env.state === 'destroyed') {
    k.emit({ kind: 'packet-dropped', cycle: k.now(), env: 0, len: frame.length, why: 'no filter accepts it' });
    return;
  }
  const slot = fillSlot(k, env, m.ring, frame);
  if (typeof slot === 'string') {
    k.emit({ kind: 'packet-dropped', cycle: k.now(), env: env.id, len: frame.length, why: `ring ${m.ring}: ${slot}` });
    return;
  }
  k.charge(Costs.RING_SLOT + words(frame.length) * Costs.RING_COPY_WORD);
  if (m.ash && k.ash) {
    k.charge(Costs.ASH_SETUP);
    const out = k.ash.run(env, m.ash, slot + 4, frame.length);
    if (out.ok) {
      k.emit({ kind: 'ash', cycle: k.now(), env: env.id, filter: m.filter, consumed: out.consumed, instructions: out.instructions });
      if (out.consumed) return;
    } else {
      k.emit({ kind: 'ash-abort', cycle: k.now(), env: env.id, filter: m.filter, why: out.reason, instructions: out.instructions });
    }
  }
  publishSlot(k, env, m.ring);
  k.emit({ kind: 'packet-delivered', cycle: k.now(), env: env.id, filter: m.filter, ring: m.ring, len: frame.length });
  if (env.state === 'waiting' && env.waitingOn === NET_WAIT) wakeNet(k, env);
}

/** Ends env's net_wait: it becomes runnable with the number of packets waiting in v0. */
export function wakeNet(k: Kernel, env: Env): void {
  env.state = 'runnable';
  env.waitingOn = 0;
  env.netWaitUntil = Infinity;
  env.regs[2] = packetsWaiting(k, env);
}

/** waitingOn of an environment blocked in net_wait. */
export const NET_WAIT = -1;

/** net_send (a system call, or an ASH's): copies the caller's frame (checked) and hands it to the LANCE. Returns the length or an error. */
export function netSend(k: Kernel, env: Env, va: number, len: number): number {
  if (len < 14 || len > 1514) return Err.Inval;
  const frame = copyIn(k, env, va, len);
  if (!frame) return Err.Fault;
  if (!k.netdev || !k.netdev.send(frame)) {
    k.emit({ kind: 'packet-dropped', cycle: k.now(), env: env.id, len, why: 'the transmitter is busy' });
    return len;
  }
  k.charge(Costs.TRANSMIT + words(Math.max(60, len)) * Costs.RING_COPY_WORD);
  k.emit({ kind: 'packet-sent', cycle: k.now(), env: env.id, len });
  return len;
}

/** Words a copy of `bytes` bytes moves (asm/net.S copies whole words). */
function words(bytes: number): number {
  return Math.ceil(bytes / 4);
}
