// User memory (docs/architecture.md, "The exokernel"): every read and write
// the kernel makes of an environment's memory goes through its mappings
// here, never through a pointer it was handed (Aegis paper, sec. 3: the
// kernel guards every binding; xv6's copyin/copyout). An address the
// environment has not mapped is an error for the caller to return
// (Err.Fault), never a host exception.

import { frameOf, lookup } from './bindings.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';

/** Copies `len` bytes from env's memory at `va`; undefined when any byte is unmapped. */
export function copyIn(k: Kernel, env: Env, va: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  const ram8 = k.machine.bus.ram8;
  for (let i = 0; i < len; i++) {
    const a = (va + i) >>> 0;
    if (a >= 0x80000000) return undefined;
    const lo = lookup(k, env, a >>> 12);
    if (lo === undefined) return undefined;
    out[i] = ram8[(frameOf(lo) << 12) | (a & 0xfff)];
  }
  return out;
}

/** The physical address of env's guaranteed writable mapping of `va`, or -1. */
export function guaranteedPa(env: Env, va: number): number {
  const g = env.guaranteed.get(va >>> 12);
  return g && (g.entryLo & 0x400) !== 0 ? (g.frame << 12) | (va & 0xfff) : -1;
}

/** Reads a word of env's ring (guaranteed memory); -1 if it is no longer mapped. */
export function ringWord(k: Kernel, env: Env, va: number): number {
  const pa = guaranteedPa(env, va);
  return pa < 0 ? -1 : k.machine.bus.ram32[pa >>> 2] >>> 0;
}

export function setRingWord(k: Kernel, env: Env, va: number, v: number): boolean {
  const pa = guaranteedPa(env, va);
  if (pa < 0) return false;
  k.machine.bus.hostWrite32(pa, v | 0);
  return true;
}
