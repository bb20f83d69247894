// Frames are handed out clean (docs/protection.md, "Frames are handed out
// zeroed"): a frame that changes
// owner must not carry the previous owner's data. Whatever path freed it
// (frame_free, the abort protocol of revoke.ts, destroyEnv, a failed
// creation), a frame gets its next owner only through claimFrame, which
// zeroes it before anyone can bind it. Zeroing is lazy (at allocation, not
// at free) so it is charged to the environment that asks for the frame.
//
// zeroFrame is the one function that clears guest memory on the kernel's
// behalf; like every kernel access to memory an environment sees, it goes
// through usermem.ts.

import { Costs } from './costs.js';
import type { Kernel } from './kernel.js';
import { clearFrame } from './usermem.js';

/** Zeroes physical frame `frame` and charges Costs.ZERO_FRAME. The caller checked the frame exists. */
export function zeroFrame(k: Kernel, frame: number): void {
  clearFrame(k, frame);
  k.charge(Costs.ZERO_FRAME);
}

/**
 * Gives `frame` (or the lowest free frame when it is -1) to `owner` with
 * the owner's key, zeroed. Returns the frame number, or FrameTable.alloc's
 * refusal ('inval', 'busy', 'nomem'), in which case nothing is zeroed or
 * charged.
 */
export function claimFrame(k: Kernel, frame: number, owner: number, keyLo: number, keyHi: number, guaranteed = false): ReturnType<Kernel['frames']['alloc']> {
  const r = k.frames.alloc(frame, owner, keyLo, keyHi, guaranteed);
  if (typeof r === 'number') zeroFrame(k, r);
  return r;
}
