// 32x32 -> 64-bit multiply and divide for the R3000A's HI/LO unit, in
// 32-bit JavaScript arithmetic (no BigInt: it is the hot path of mult).
// Results land in the exported `hilo` pair to avoid allocating.

/**
 * The last result: [hi, lo] as signed 32-bit integers, in a typed array (a
 * plain field holding a 32-bit value would box a heap number on each write;
 * getters over a typed array measured slower still).
 */
export const hilo = new Int32Array(2);

/**
 * Cycles from issuing mult/multu (MULT_LATENCY) or div/divu (DIV_LATENCY)
 * until HI and LO hold the result. The unit works beside the pipeline; an
 * mfhi or mflo issued earlier stalls until then (R3000 manual / Kane,
 * "MIPS RISC Architecture", integer multiply and divide: 12 and 35
 * cycles). A multiply or divide issued while one is in progress starts the
 * count over with its own latency: our model's choice, not from the
 * manual. Used alike by the interpreter (cpu.ts) and the translator
 * (blockgen.ts).
 */
export const MULT_LATENCY = 12;
export const DIV_LATENCY = 35;

/** multu: unsigned 64-bit product of a and b (any int32 bit patterns). */
export function multu(a: number, b: number): void {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  hilo[1] = ((mid << 16) | (ll & 0xffff)) | 0;
  hilo[0] = (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** mult: signed 64-bit product; the unsigned product corrected by the signs. */
export function mult(a: number, b: number): void {
  multu(a, b);
  let hi = hilo[0];
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  hilo[0] = hi;
}

/**
 * div: signed quotient in lo, remainder (sign of the dividend) in hi.
 * 0x80000000 / -1 gives lo = 0x80000000, hi = 0 (R30xx manual, DIV).
 * Division by zero is undefined in the manual; we give what the R3000A
 * hardware is documented to produce (lo = -1 for a >= 0 else 1, hi = a).
 */
export function div(a: number, b: number): void {
  if (b === 0) { hilo[1] = a >= 0 ? -1 : 1; hilo[0] = a; return; }
  if (b === -1) { hilo[1] = -a | 0; hilo[0] = 0; return; }
  hilo[1] = (a / b) | 0;
  hilo[0] = (a % b) | 0;
}

/** divu: unsigned quotient and remainder; by zero: lo = 0xffffffff, hi = a. */
export function divu(a: number, b: number): void {
  const ua = a >>> 0, ub = b >>> 0;
  if (ub === 0) { hilo[1] = -1; hilo[0] = a | 0; return; }
  hilo[1] = (ua / ub) | 0;
  hilo[0] = (ua % ub) | 0;
}
