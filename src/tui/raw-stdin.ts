// A terminal's stdin with no terminal behind it: in raw mode (as Ink asks),
// into which the program types bytes that Ink then reads (useInput). The
// recorder's keyboard (record.ts) and the tests' and benches' stdin.

import { EventEmitter } from 'node:events';

/** A TTY stdin; `type(s)` makes `s` readable at once. */
export class RawStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => { const d = this.data; this.data = null; return d; };
  /** Types `s` (raw bytes: '\x1b' for Esc, '\x03' for Ctrl-C). */
  type(s: string): void { this.data = s; this.emit('readable'); }
}
