import { describe, expect, it } from 'vitest';
import { clip, fit, fitWords, hex, num, printable, ranges, windowOf, wrap } from '../../src/tui/format.js';

describe('format', () => {
  it('hex() pads unsigned values and num() groups thousands', () => {
    expect(hex(-1)).toBe('ffffffff');
    expect(hex(0x400, 5)).toBe('00400');
    expect(num(1234567)).toBe('1,234,567');
    expect(num(12)).toBe('12');
  });

  it('clip() cuts after the last whole word that fits and marks the cut', () => {
    expect(clip('stopped at a breakpoint', 30)).toBe('stopped at a breakpoint');
    expect(clip('stopped at a breakpoint', 15)).toBe('stopped at a…');
    expect(clip('0123456789abcdef', 8)).toBe('0123456…');
    expect(clip('abc', 0)).toBe('');
    expect(fit('ab', 4)).toBe('ab  ');
  });

  it('fitWords() keeps whole items only', () => {
    expect(fitWords(['? help', 'q quit', 's step'], 14)).toBe('? help  q quit');
  });

  it('wrap() breaks at spaces, or hard when a word is too long', () => {
    expect(wrap('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('a\nb', 10)).toEqual(['a', 'b']);
  });

  it('printable() replaces control characters but keeps newlines', () => {
    expect(printable('a\x00b\r\nc\x1b')).toBe('a·b\nc·');
  });

  it('ranges() compresses runs and windowOf() clamps its offset', () => {
    expect(ranges([0, 1, 2, 7, 9, 10])).toBe('0-2 7 9-10');
    expect(windowOf([1, 2, 3, 4, 5], 10, 2)).toEqual({ items: [4, 5], offset: 3, max: 3 });
    expect(windowOf([1, 2], -3, 5)).toEqual({ items: [1, 2], offset: 0, max: 0 });
  });
});
