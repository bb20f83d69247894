// Revocation (Aegis paper, sec. 3.4 and 5.1; docs/architecture.md,
// "The exokernel"): visible first — the kernel asks the library OS to give
// back frames or slices by a deadline, and the library OS chooses which —
// then, if it does not comply, the abort protocol: the kernel breaks the
// bindings by force, takes the resources, records them in the environment's
// repossession vector and tells it with a repossession upcall. Guaranteed
// frames are never taken.

import { Repo, RevokeKind, Upcall } from './abi.js';
import { breakFrame, frameOf } from './bindings.js';
import type { Env } from './env.js';
import type { Kernel } from './kernel.js';
import { dispatchUpcall, saveAreaBusy } from './upcall.js';
import { frameWord, setFrameWord } from './usermem.js';

/** Writes a word of env's repossession page. */
function repo(k: Kernel, env: Env, offset: number, value: number): void {
  setFrameWord(k, env.repoFrame, offset, value);
}

/**
 * Asks `env` to give back `count` frames or slices within `window` cycles.
 * Returns false when it is not alive or a request is already pending.
 */
export function requestRevoke(k: Kernel, env: Env, what: 'frames' | 'slices', count: number, window: number): boolean {
  if (env.state === 'destroyed' || env.revoke || count < 1) return false;
  const deadline = k.now() + window;
  env.revoke = { what, count, deadline, given: 0, delivered: false, deferrals: 0 };
  repo(k, env, Repo.REQ_KIND, what === 'frames' ? RevokeKind.Frames : RevokeKind.Slices);
  repo(k, env, Repo.REQ_COUNT, count);
  repo(k, env, Repo.REQ_WINDOW, window);
  k.emit({ kind: 'revoke-request', cycle: k.now(), env: env.id, what, count, deadline });
  k.reschedule();
  return true;
}

/** env gave back one frame or slice (frame_free, slice_free): honoured once it is enough. */
export function noteGiven(k: Kernel, env: Env, what: 'frames' | 'slices'): void {
  const r = env.revoke;
  if (!r || r.what !== what) return;
  if (++r.given < r.count) return;
  env.revoke = undefined;
  repo(k, env, Repo.REQ_KIND, 0);
  k.emit({ kind: 'revoke-honoured', cycle: k.now(), env: env.id, what, count: r.given });
  k.reschedule();
}

/** The frames the abort protocol may take from env: owned, never guaranteed, highest first. */
function takeable(k: Kernel, env: Env): number[] {
  const pinned = new Set([...env.guaranteed.values()].map((g) => g.frame));
  return k.frames.ownedBy(env.id).filter((f) => !k.frames.frames[f].guaranteed && !pinned.has(f)).reverse();
}

/** The virtual address of the page env had `frame` bound at (STLB, then hardware TLB), or 0. */
function boundAt(k: Kernel, env: Env, frame: number): number {
  const vpn = k.stlb.vpnOf(env.id, frame);
  if (vpn >= 0) return (vpn << 12) >>> 0;
  const tlb = k.cpu.tlb;
  for (let i = 0; i < 64; i++) {
    const hi = tlb.hi[i] >>> 0;
    if (hi < 0x80000000 && ((hi >>> 6) & 63) === env.asid && (tlb.lo[i] & 0x200) !== 0 && frameOf(tlb.lo[i]) === frame) return (hi & 0xfffff000) >>> 0;
  }
  return 0;
}

/** How often, and by how much, an abort waits for an environment inside a handler. */
const ABORT_DEFERRALS = 5;
const ABORT_DEFER_CYCLES = 10_000;

/**
 * The deadline passed: take what was not given back, record it, queue the
 * repossession upcall. While env is inside a handler (its save area busy)
 * the abort waits a little, a bounded number of times, so that a frame is
 * not pulled from under a page-fault handler that is filling it.
 */
export function abortRevoke(k: Kernel, env: Env): void {
  const r = env.revoke!;
  if (saveAreaBusy(k, env) && r.deferrals < ABORT_DEFERRALS) {
    r.deferrals++;
    r.deadline = k.now() + ABORT_DEFER_CYCLES;
    k.reschedule();
    return;
  }
  env.revoke = undefined;
  repo(k, env, Repo.REQ_KIND, 0);
  const want = r.count - r.given;
  const taken: [number, number][] = [];
  if (r.what === 'frames') {
    for (const f of takeable(k, env).slice(0, want)) {
      taken.push([f, boundAt(k, env, f)]);
      breakFrame(k, f, 'repossessed');
      k.frames.free(f);
    }
  } else {
    for (const slot of k.slices.slotsOf(env.id).reverse().slice(0, want)) {
      k.slices.owner[slot] = 0;
      taken.push([slot, 0]);
      k.emit({ kind: 'slice-free', cycle: k.now(), env: env.id, slot });
    }
  }
  // The vector holds what was taken since the last Repossess upcall was delivered.
  let n = env.pendingRepossess ? frameWord(k, env.repoFrame, Repo.TAKEN_COUNT) : 0;
  for (const [what, va] of taken) {
    if (n >= Repo.TAKEN_MAX) break;
    repo(k, env, Repo.TAKEN + n * Repo.TAKEN_ENTRY, what);
    repo(k, env, Repo.TAKEN + n * Repo.TAKEN_ENTRY + 4, va);
    n++;
  }
  repo(k, env, Repo.TAKEN_COUNT, n);
  repo(k, env, Repo.TAKEN_SEQ, (frameWord(k, env.repoFrame, Repo.TAKEN_SEQ) + 1) | 0);
  k.emit({ kind: 'abort', cycle: k.now(), env: env.id, what: r.what, taken: taken.length });
  const prev = env.pendingRepossess ?? { frames: 0, slices: 0 };
  env.pendingRepossess = r.what === 'frames' ? { ...prev, frames: prev.frames + taken.length } : { ...prev, slices: prev.slices + taken.length };
  k.reschedule();
}

/**
 * Delivers a revocation request or a repossession notice to the running
 * environment when it has the handler and is not inside a handler; returns
 * true when an upcall was dispatched. Called as a kernel entry ends.
 */
export function deliverPending(k: Kernel): boolean {
  const env = k.current;
  if (!env || env.state !== 'runnable') return false;
  const r = env.revoke;
  if (r && !r.delivered) {
    if (!env.upcalls[Upcall.Revoke]) { r.delivered = true; return false; }
    if (saveAreaBusy(k, env)) return false;
    r.delivered = true;
    dispatchUpcall(k, env, Upcall.Revoke, k.cpu.pc, r.what === 'frames' ? RevokeKind.Frames : RevokeKind.Slices, r.count - r.given);
    return true;
  }
  const p = env.pendingRepossess;
  if (p) {
    if (!env.upcalls[Upcall.Repossess]) { env.pendingRepossess = undefined; return false; }
    if (saveAreaBusy(k, env)) return false;
    env.pendingRepossess = undefined;
    dispatchUpcall(k, env, Upcall.Repossess, k.cpu.pc, p.frames, p.slices);
    return true;
  }
  return false;
}
