// The memory pane's window into an address space: what the front end asks
// to see (MemoryRequest) and what a debugger reads for it into each
// snapshot while the pane is shown (MemoryWindow). On the exokernel the
// words are read through the selected environment's own bindings, as `:x`
// does (lockstep.ts readWordOf): a page it holds no capability for reads
// as unmapped, never as the frame's contents. On the monolithic kernel
// they are read as the kernel sees them (its page table for user
// addresses: MonoSession.readWord).

import type { AddrSpec } from './command.js';

/** What the memory pane asks to see. */
export interface MemoryRequest {
  /** The environment's name (the one on the CPU when undefined; ignored on the monolithic kernel). */
  readonly env?: string;
  /** Where the window starts before scrolling (the environment's sp when undefined). */
  readonly at?: AddrSpec;
  /** Lines scrolled from `at` (negative: upwards). */
  readonly scroll: number;
  /** Words a line, and lines. */
  readonly perLine: number;
  readonly lines: number;
}

/** Words of an address space as a snapshot carries them for the memory pane. */
export interface MemoryWindow {
  /** Whose address space: an environment's name, or the process on the CPU ("pid 3 sh") on the monolithic kernel. */
  readonly space: string;
  /** Where the window was asked to start (`at` resolved, or the sp), and the first word shown. */
  readonly base: number;
  readonly addr: number;
  readonly perLine: number;
  /** The words from `addr` on, undefined where the address space has no readable mapping. */
  readonly words: readonly (number | undefined)[];
  /** Why nothing could be read (an unknown environment or symbol). */
  readonly error?: string;
}

/** What a debugger gives readMemoryWindow of its session. */
export interface MemorySource {
  /** The address space's name, or why there is none. */
  readonly space: string;
  readonly error?: string;
  /** The word at `va` in that space, undefined when unmapped. */
  read(va: number): number | undefined;
  /** A symbol's address in that space, undefined when unknown. */
  symbol(name: string): number | undefined;
  /** Where the window starts when the request names no address (the space's sp). */
  readonly sp: number;
}

const LAST = 0xffffffff;

/**
 * The window `req` asks for, read from `src`: `lines` lines of `perLine`
 * words from `at` (or the sp; on a 16-byte boundary for 4 words a line)
 * moved `scroll` lines, kept inside the 32-bit address space. An unknown
 * symbol or a source with an error gives a window with no words and the
 * error.
 */
export function readMemoryWindow(req: MemoryRequest, src: MemorySource): MemoryWindow {
  const perLine = Math.max(1, Math.min(8, req.perLine)), lineBytes = 4 * perLine, n = Math.max(0, req.lines) * perLine;
  const empty = (error: string): MemoryWindow => ({ space: src.space, base: 0, addr: 0, perLine, words: [], error });
  if (src.error) return empty(src.error);
  let base = src.sp;
  if (req.at?.kind === 'addr') base = req.at.addr;
  else if (req.at?.kind === 'symbol') {
    const v = src.symbol(req.at.name);
    if (v === undefined) return empty(`No symbol ${req.at.name} in ${src.space}`);
    base = (v + req.at.offset) >>> 0;
  }
  base = (base & ~(perLine === 4 ? 15 : 3)) >>> 0;
  const span = n * 4;
  const addr = Math.max(0, Math.min(LAST + 1 - span, base + req.scroll * lineBytes));
  const words: (number | undefined)[] = [];
  for (let i = 0; i < n; i++) words.push(src.read((addr + 4 * i) >>> 0));
  return { space: src.space, base, addr, perLine, words };
}
