// The memory pane's view model: a hex dump of the window the snapshot
// carries (Snapshot.memory, read through the selected environment's own
// bindings: src/session/memory-window.ts), each line an address, its
// words and their characters, with the words that changed since the last
// frame marked and lines the address space cannot read said unmapped.

import type { MemoryWindow, Snapshot } from '../../session/index.js';
import { hex } from '../format.js';

/** A word of a line: its hex digits (or dashes, unmapped) and whether it changed since the last frame. */
export interface MemoryCell { readonly text: string; readonly changed: boolean }

/** One line of the dump: its address, its words and their characters; `unmapped` when none of its words can be read. */
export interface MemoryLine {
  readonly addr: string;
  readonly words: readonly MemoryCell[];
  readonly chars: string;
  readonly unmapped: boolean;
}

export interface MemoryView {
  readonly info: string;
  readonly lines: readonly MemoryLine[];
  /** What the pane says instead of lines (an error, or that the window is being read). */
  readonly note: string | undefined;
}

/** Columns of a line's address and the gaps around the words; each word takes 8 digits, a blank and 4 characters. */
const ADDR_COLS = 10;
const WORD_COLS = 13;

/**
 * The words a line and the lines of a `width` x `height` pane: 4 words a
 * line (16 bytes) where there is room for them and their characters, fewer
 * in a narrow pane; what the pane asks its debugger for (MemoryRequest).
 */
export function memoryShape(width: number, height: number): { perLine: number; lines: number } {
  return { perLine: Math.max(1, Math.min(4, Math.floor((width - ADDR_COLS - 1) / WORD_COLS))), lines: Math.max(1, height) };
}

/** The four characters of a little-endian word as they lie in memory (DECstation byte order), '.' for what does not print. */
function chars(w: number): string {
  let s = '';
  for (let b = 0; b < 32; b += 8) {
    const c = (w >>> b) & 255;
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
  }
  return s;
}

/**
 * The dump of window `w`, a line per `perLine` words. A word differs from
 * the one at the same address in `prev` (the last frame's window, of the
 * same address space) is marked changed.
 */
export function memoryLines(w: MemoryWindow, prev: MemoryWindow | undefined): MemoryLine[] {
  const same = prev && prev.space === w.space ? prev : undefined;
  const before = (a: number) => {
    if (!same) return undefined;
    const i = (a - same.addr) / 4;
    return i >= 0 && i < same.words.length ? same.words[i] : undefined;
  };
  const out: MemoryLine[] = [];
  for (let i = 0; i < w.words.length; i += w.perLine) {
    const row = w.words.slice(i, i + w.perLine), at = (w.addr + 4 * i) >>> 0;
    const words = row.map((v, j) => {
      const was = before(at + 4 * j);
      return { text: v === undefined ? '--------' : hex(v), changed: v !== undefined && was !== undefined && was !== v };
    });
    out.push({ addr: hex(at), words, chars: row.map((v) => (v === undefined ? '....' : chars(v))).join(''), unmapped: row.every((v) => v === undefined) });
  }
  return out;
}

/** The memory pane's view of `cur` (its window), with changes since `prev`. */
export function selectMemory(cur: Snapshot, prev: Snapshot | undefined): MemoryView {
  const w = cur.memory;
  if (!w) return { info: '', lines: [], note: 'reading memory…' };
  if (w.error) return { info: w.space, lines: [], note: `${w.error} (:mem <addr|symbol> moves the window; [ and ] select an environment)` };
  const last = (w.addr + 4 * w.words.length - 1) >>> 0;
  const from = w.addr === w.base ? '' : ` (${w.addr > w.base ? '+' : '-'}${Math.abs(w.addr - w.base).toString(16)} from ${hex(w.base)}, g: back)`;
  return { info: `${w.space} ${hex(w.addr)}-${hex(last)}${from}`, lines: memoryLines(w, prev?.memory), note: undefined };
}
