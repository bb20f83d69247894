// lwl, lwr, swl and swr on a little-endian R3000 (R30xx manual, ch. 2,
// "Unaligned loads and stores"). `b` is the byte offset va & 3. In little-
// endian mode lwl fills the most significant bytes of rt from memory bytes
// 0..b of the word, lwr the least significant bytes from bytes b..3.

/** lwl: rt with its top b+1 bytes replaced by memory bytes 0..b. */
export function lwlMerge(rt: number, mem: number, b: number): number {
  const sh = 24 - 8 * b;
  return ((mem << sh) | (rt & (0x00ffffff >>> (8 * b)))) | 0;
}

/** lwr: rt with its low 4-b bytes replaced by memory bytes b..3. */
export function lwrMerge(rt: number, mem: number, b: number): number {
  if (b === 0) return mem | 0;
  return ((mem >>> (8 * b)) | (rt & (0xffffff00 << (24 - 8 * b)))) | 0;
}

/** swl: the memory word with bytes 0..b replaced by rt's top b+1 bytes. */
export function swlMerge(mem: number, rt: number, b: number): number {
  if (b === 3) return rt | 0;
  return ((mem & (0xffffff00 << (8 * b))) | (rt >>> (24 - 8 * b))) | 0;
}

/** swr: the memory word with bytes b..3 replaced by rt's low 4-b bytes. */
export function swrMerge(mem: number, rt: number, b: number): number {
  if (b === 0) return rt | 0;
  return ((mem & (0x00ffffff >>> (24 - 8 * b))) | (rt << (8 * b))) | 0;
}
