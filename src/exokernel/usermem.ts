// User memory (docs/architecture.md, "The exokernel"): every read and write
// the kernel makes of memory an environment sees goes through here. Memory
// named by a user virtual address is reached only through the environment's
// own bindings, never through a pointer it was handed (Aegis paper, sec. 3:
// the kernel guards every binding; xv6's copyin/copyout): an address it has
// not mapped, or mapped read-only where the kernel writes, is an error for
// the caller to return (Err.Fault or Err.Inval), never a host exception.
//
//   through any binding    userPa, copyIn, copyOut: system calls, while the
//                          environment is on the CPU
//   through a guaranteed   pinnedPa, readPinned, writePinned, copyOutPinned:
//   writable binding       what the kernel writes when the environment may
//                          not be running (packet rings, the save area);
//                          only the guaranteed set cannot be evicted
//   by frame               frameWord, setFrameWord, setFrameBytes,
//                          clearFrame: the kernel's own pages an environment
//                          maps read-only (info, repossession, frame table),
//                          the frames of an image loaded before they are
//                          mapped, and a frame zeroed for its next owner

import { Tlb } from '../emu/index.js';
import { Layout } from './abi.js';
import { frameOf, lookup } from './bindings.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';

/** The first address above kuseg: user addresses are below it (R3000 manual, "Memory management"). */
const KUSEG_END = 0x80000000;

/**
 * The physical address env's virtual address `va` maps to through the
 * bindings the kernel holds (guaranteed, STLB, hardware TLB), or -1 when
 * it maps nothing there in RAM. Changes nothing.
 */
export function userPa(k: Kernel, env: Env, va: number): number {
  const v = va >>> 0;
  if (v >= KUSEG_END) return -1;
  const lo = lookup(k, env, v >>> 12);
  if (lo === undefined) return -1;
  const pa = ((lo >>> 12) << 12) | (v & 0xfff);
  return pa < k.machine.bus.ramSize ? pa : -1;
}

/** Copies `len` bytes from env's memory at `va`; undefined when any byte is unmapped. */
export function copyIn(k: Kernel, env: Env, va: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  const ram8 = k.machine.bus.ram8;
  for (let i = 0; i < len; i++) {
    const a = (va + i) >>> 0;
    if (a >= KUSEG_END) return undefined;
    const lo = lookup(k, env, a >>> 12);
    if (lo === undefined) return undefined;
    out[i] = ram8[(frameOf(lo) << 12) | (a & 0xfff)];
  }
  return out;
}

/**
 * Copies `bytes` into env's memory at `va` through writable bindings
 * (EntryLo.D set). Returns false, having written nothing, when any byte is
 * unmapped or mapped read-only.
 */
export function copyOut(k: Kernel, env: Env, va: number, bytes: Uint8Array): boolean {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const a = (va + i) >>> 0;
    const lo = a < KUSEG_END ? lookup(k, env, a >>> 12) : undefined;
    if (lo === undefined || (lo & Tlb.D) === 0) return false;
  }
  for (let i = 0; i < n; i++) {
    const a = (va + i) >>> 0;
    k.machine.bus.hostWrite8((frameOf(lookup(k, env, a >>> 12)!) << 12) | (a & 0xfff), bytes[i]);
  }
  return true;
}

/** The physical address of env's guaranteed writable mapping of `va`, or -1. */
export function pinnedPa(env: Env, va: number): number {
  const g = env.guaranteed.get(va >>> 12);
  return g && (g.entryLo & Tlb.D) !== 0 ? (g.frame << 12) | (va & 0xfff) : -1;
}

/** Reads the word at `va` of env's guaranteed writable memory, unsigned; -1 if it is no longer mapped so. */
export function readPinned(k: Kernel, env: Env, va: number): number {
  const pa = pinnedPa(env, va);
  return pa < 0 ? -1 : k.machine.bus.ram32[pa >>> 2] >>> 0;
}

/** Writes the word at `va` of env's guaranteed writable memory; false (nothing written) if it is not mapped so. */
export function writePinned(k: Kernel, env: Env, va: number, v: number): boolean {
  const pa = pinnedPa(env, va);
  if (pa < 0) return false;
  k.machine.bus.hostWrite32(pa, v | 0);
  return true;
}

/**
 * Copies `bytes` to `va` in env's guaranteed writable memory, a byte at a
 * time in order. Returns false at the first byte that is not mapped so;
 * the bytes before it have been written.
 */
export function copyOutPinned(k: Kernel, env: Env, va: number, bytes: Uint8Array): boolean {
  const bus = k.machine.bus;
  for (let i = 0; i < bytes.length; i++) {
    const pa = pinnedPa(env, va + i);
    if (pa < 0) return false;
    bus.hostWrite8(pa, bytes[i]);
  }
  return true;
}

/** The word at byte `offset` of physical frame `frame` (signed, as RAM holds it). */
export function frameWord(k: Kernel, frame: number, offset: number): number {
  return k.machine.bus.ram32[((frame << 12) + offset) >>> 2];
}

/** Writes the word at byte `offset` of physical frame `frame`. */
export function setFrameWord(k: Kernel, frame: number, offset: number, value: number): void {
  k.machine.bus.hostWrite32((frame << 12) + offset, value | 0);
}

/**
 * Zeroes physical frame `frame` through the bus's host-write path, which
 * marks the page dirty and drops any code translated from the previous
 * owner's contents. Charges nothing (scrub.ts charges the zeroing).
 */
export function clearFrame(k: Kernel, frame: number): void {
  k.machine.bus.hostFill(frame * Layout.PAGE, Layout.PAGE, 0);
}

/** Writes `bytes` at byte `offset` of physical frame `frame`; the caller keeps them inside the frame. */
export function setFrameBytes(k: Kernel, frame: number, offset: number, bytes: Uint8Array): void {
  k.machine.bus.hostWrite((frame << 12) + offset, bytes);
}
