// The LANCE's saved state: plain JSON-serializable data (device.ts). Frames
// travel as base64, and the 128 KiB SRAM as base64 in chunks of 4 KiB (a
// chunk of zeroes as null; an untouched SRAM as null).

import { RESET_INIT, SRAM_CHUNK, type InitBlock } from './lance-ring.js';

/** Counters since power-on. */
export interface LanceStats {
  transmitted: number; received: number; missed: number; dropped: number; filtered: number; errors: number;
}

/** Saved state of the LANCE; frames as base64, the SRAM as SramChunks (null while it is all zero). */
export interface LanceState {
  csr: number[]; rap: number; init: InitBlock; inited: boolean; rxPos: number; txPos: number;
  sending: { data: string; first: number; count: number; start: number; end: number } | null;
  arriving: { frame: string; end: number; loop: boolean }[];
  wireFree: number; lastPoll: number; pendingPoll: number | null;
  stats: LanceStats; irq: boolean; sram: SramChunks | null;
}

/**
 * The SRAM in chunks of SRAM_CHUNK bytes (lance-ring.ts), in order: each
 * as base64, or null when it is all zero. A checkpoint is taken every few
 * hundred thousand cycles, and a LANCE in use writes its rings and a
 * buffer or two in between: encoding the whole 128 KiB each time was the
 * largest single part of a checkpoint of living.yaml (about 57 us each,
 * 20 ms of a 100M-cycle run's 400 checkpoints);
 * chunks not written since are the strings saved before, which a
 * checkpoint compares by identity.
 */
export type SramChunks = (string | null)[];

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

/** The SRAM chunk of `bytes` at `at` (SRAM_CHUNK bytes) as base64, or null while every byte is zero. */
export function encodeChunk(bytes: Uint8Array, at: number): string | null {
  const chunk = bytes.subarray(at, at + SRAM_CHUNK);
  const words = new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length >>> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return base64(chunk);
  return null;
}

/** Writes saved chunks `chunks` into `sram` (zeroed first; a missing or extra chunk is ignored). */
export function decodeSram(chunks: SramChunks | null, sram: Uint8Array): void {
  sram.fill(0);
  if (!chunks) return;
  for (let c = 0; c < chunks.length && c * SRAM_CHUNK < sram.length; c++) {
    const text = chunks[c];
    if (text) sram.set(bytes(text).subarray(0, SRAM_CHUNK), c * SRAM_CHUNK);
  }
}

/** `b` as base64. */
export function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** The bytes of base64 `text`. */
export function bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
