// The LANCE's saved state: plain JSON-serializable data (device.ts). Frames
// and the 128 KiB SRAM travel as base64; an untouched SRAM as null.

import { RESET_INIT, type InitBlock } from './lance-ring.js';

/** Counters since power-on. */
export interface LanceStats {
  transmitted: number; received: number; missed: number; dropped: number; filtered: number; errors: number;
}

/** Saved state of the LANCE; frames and the SRAM as base64 (the SRAM null while it is all zero). */
export interface LanceState {
  csr: number[]; rap: number; init: InitBlock; inited: boolean; rxPos: number; txPos: number;
  sending: { data: string; first: number; count: number; start: number; end: number } | null;
  arriving: { frame: string; end: number; loop: boolean }[];
  wireFree: number; lastPoll: number; pendingPoll: number | null;
  stats: LanceStats; irq: boolean; sram: string | null;
}

/** The state right after RESET, when CSR0 reads `csr0` (STOP). */
export function resetState(csr0: number): LanceState {
  return {
    csr: [csr0, 0, 0, 0], rap: 0, init: RESET_INIT, inited: false, rxPos: 0, txPos: 0, sending: null,
    arriving: [], wireFree: 0, lastPoll: 0, pendingPoll: null, stats: zeroStats(), irq: false, sram: null,
  };
}

/** All counters zero. */
export function zeroStats(): LanceStats {
  return { transmitted: 0, received: 0, missed: 0, dropped: 0, filtered: 0, errors: 0 };
}

/** `n`, or null for Infinity (which JSON cannot hold). */
export function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** The SRAM as base64, or null while every byte is zero. */
export function encodeSram(sram: Uint8Array): string | null {
  const words = new Int32Array(sram.buffer, sram.byteOffset, sram.length >>> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return base64(sram);
  return null;
}

/** `b` as base64. */
export function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** The bytes of base64 `text`. */
export function bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
