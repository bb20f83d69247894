// What the wire has carried, kept for the pcap file: every frame with its
// cycle, in cycle order, up to a limit in bytes. A session left running
// (the living scenario answers periodic traffic for as long as the monitor
// is open) would otherwise keep every frame it ever saw; past the limit the
// oldest frames are dropped and counted, and the pcap writer says so.

import type { Captured } from './wire.js';

/** The capture keeps at most this many bytes of frames unless told otherwise (64 MiB). */
export const CAPTURE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Frames in cycle order, the oldest dropped past a byte limit; counted from the first frame ever captured. */
export class CaptureLog {
  /** The frames kept, oldest first. */
  readonly frames: Captured[] = [];
  /** How many frames were dropped from the front to keep under the limit. */
  private droppedCount = 0;
  private bytes = 0;

  /** Throws RangeError for a limit that is not a positive whole number of bytes. */
  constructor(readonly limitBytes = CAPTURE_LIMIT_BYTES) {
    if (!Number.isInteger(limitBytes) || limitBytes <= 0) throw new RangeError(`Capture limit ${limitBytes} is not a positive number of bytes`);
  }

  /** Frames captured since the start, dropped ones included (what a checkpoint saves). */
  get total(): number {
    return this.droppedCount + this.frames.length;
  }

  /** Frames dropped from the front because the capture was over its limit. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Adds `c` after every kept frame of an earlier or the same cycle. */
  add(c: Captured): void {
    let i = this.frames.length;
    while (i > 0 && this.frames[i - 1].cycle > c.cycle) i--;
    this.frames.splice(i, 0, c);
    this.bytes += c.frame.length;
    if (this.bytes > this.limitBytes) this.dropOldest();
  }

  /** Cuts the capture back to its first `total` frames (a checkpoint restored); frames already dropped stay dropped. */
  truncate(total: number): void {
    const keep = Math.max(0, Math.min(this.frames.length, total - this.droppedCount));
    for (let i = keep; i < this.frames.length; i++) this.bytes -= this.frames[i].frame.length;
    this.frames.length = keep;
    if (total < this.droppedCount) this.droppedCount = total;
  }

  /** Drops the oldest frames down to three quarters of the limit, so the cost is paid once per quarter. */
  private dropOldest(): void {
    let n = 0;
    while (n < this.frames.length && this.bytes > (this.limitBytes * 3) / 4) this.bytes -= this.frames[n++].frame.length;
    this.frames.splice(0, n);
    this.droppedCount += n;
  }
}
