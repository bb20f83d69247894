// Frames are handed out clean (issue 12, class 4): a frame that changes
// owner must not carry the previous owner's data. Whatever path freed it
// (frame_free, the abort protocol of revoke.ts, destroyEnv, a failed
// creation), a frame gets its next owner only through claimFrame, which
// zeroes it before anyone can bind it. Zeroing is lazy (at allocation, not
// at free) so it is charged to the environment that asks for the frame.
//
// zeroFrame is the one function that clears guest memory on the kernel's
// behalf, so that it can be routed through the bus's host-write path in
// one place.

import { Layout } from './abi.js';
import { Costs } from './costs.js';
import type { Kernel } from './kernel.js';

/** Zeroes physical frame `frame` and charges Costs.ZERO_FRAME. The caller checked the frame exists. */
export function zeroFrame(k: Kernel, frame: number): void {
  // The bus's host-write choke point: marks the page dirty and drops any
  // code translated from the previous owner's contents.
  k.machine.bus.hostFill(frame * Layout.PAGE, Layout.PAGE, 0);
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
