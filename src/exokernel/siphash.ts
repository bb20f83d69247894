// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
// INDOCRYPT 2012): a keyed pseudo-random function with a 128-bit key and a
// 64-bit output. The kernel derives capability keys with it (keys.ts), so
// that no output tells anything about another output without the key.
//
// JavaScript has no 64-bit integers that are fast, so every 64-bit word is a
// pair of unsigned 32-bit halves (lo, hi), little-endian as in the paper.

/** A 128-bit SipHash key as four 32-bit words: k0 low, k0 high, k1 low, k1 high. */
export type SipKey = readonly [number, number, number, number];

/** A 64-bit value as two unsigned 32-bit halves. */
export interface Word64 {
  readonly lo: number;
  readonly hi: number;
}

/** The internal state v0..v3, each as lo/hi at indices 2i/2i+1. */
type State = Uint32Array;

/** v[a] += v[b] (mod 2^64). */
function add(v: State, a: number, b: number): void {
  const lo = v[2 * a] + v[2 * b];
  v[2 * a + 1] = v[2 * a + 1] + v[2 * b + 1] + (lo > 0xffffffff ? 1 : 0);
  v[2 * a] = lo;
}

/** v[a] = v[a] rotated left by n bits (0 < n < 64). */
function rotl(v: State, a: number, n: number): void {
  let lo = v[2 * a], hi = v[2 * a + 1];
  if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; }
  if (n === 0) { v[2 * a] = lo; v[2 * a + 1] = hi; return; }
  v[2 * a] = (lo << n) | (hi >>> (32 - n));
  v[2 * a + 1] = (hi << n) | (lo >>> (32 - n));
}

/** v[a] ^= v[b]. */
function xor(v: State, a: number, b: number): void {
  v[2 * a] ^= v[2 * b];
  v[2 * a + 1] ^= v[2 * b + 1];
}

/** One SipRound (the paper, sec. 2, fig. 2). */
function sipRound(v: State): void {
  add(v, 0, 1); rotl(v, 1, 13); xor(v, 1, 0); rotl(v, 0, 32);
  add(v, 2, 3); rotl(v, 3, 16); xor(v, 3, 2);
  add(v, 0, 3); rotl(v, 3, 21); xor(v, 3, 0);
  add(v, 2, 1); rotl(v, 1, 17); xor(v, 1, 2); rotl(v, 2, 32);
}

/** Absorbs the 64-bit message word (lo, hi): v3 ^= m, two rounds, v0 ^= m. */
function compress(v: State, lo: number, hi: number): void {
  v[6] ^= lo; v[7] ^= hi;
  sipRound(v); sipRound(v);
  v[0] ^= lo; v[1] ^= hi;
}

/** Little-endian 32-bit word of `m` at byte `at`, reading zero past `end`. */
function word(m: Uint8Array, at: number, end: number): number {
  let w = 0;
  for (let i = 3; i >= 0; i--) w = (w << 8) | (at + i < end ? m[at + i] : 0);
  return w >>> 0;
}

/**
 * SipHash-2-4 of `msg` under `key`: two compression rounds a message word,
 * four finalization rounds. Returns the 64-bit tag as two halves.
 */
export function sipHash24(key: SipKey, msg: Uint8Array): Word64 {
  // "somepseudorandomlygeneratedbytes", the initialization constants of sec. 2.
  const v: State = new Uint32Array([
    key[0] ^ 0x70736575, key[1] ^ 0x736f6d65,
    key[2] ^ 0x6e646f6d, key[3] ^ 0x646f7261,
    key[0] ^ 0x6e657261, key[1] ^ 0x6c796765,
    key[2] ^ 0x79746573, key[3] ^ 0x74656462,
  ]);
  const n = msg.length, full = n - (n % 8);
  for (let i = 0; i < full; i += 8) compress(v, word(msg, i, n), word(msg, i + 4, n));
  // The last word: the remaining bytes, and the length mod 256 in the top byte.
  compress(v, word(msg, full, n), (word(msg, full + 4, n) | ((n & 0xff) << 24)) >>> 0);
  v[4] ^= 0xff;
  for (let r = 0; r < 4; r++) sipRound(v);
  return { lo: (v[0] ^ v[2] ^ v[4] ^ v[6]) >>> 0, hi: (v[1] ^ v[3] ^ v[5] ^ v[7]) >>> 0 };
}

/** A SipKey from 16 bytes, little-endian (the paper's byte order). Throws RangeError on another length. */
export function sipKeyFromBytes(bytes: Uint8Array): SipKey {
  if (bytes.length !== 16) throw new RangeError(`A SipHash key is 16 bytes, not ${bytes.length}`);
  return [word(bytes, 0, 16), word(bytes, 4, 16), word(bytes, 8, 16), word(bytes, 12, 16)];
}
