// The replay log's text lines (src/session/format.ts): columns padded to
// their widths (never cut), addresses as eight hex digits, environments by
// name, notes.

import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/session/format.js';
import type { KernelEvent } from '../../src/exokernel/index.js';

const names = new Map([[1, 'init'], [2, 'a-name-longer-than-ten']]);
const line = (event: KernelEvent) => formatText({ kind: 'event', event }, names);

describe('formatText', () => {
  it('pads the cycle and environment columns, and widens them rather than cut a longer value', () => {
    expect(line({ kind: 'slice-alloc', cycle: 7, env: 1, slot: 3 })).toBe(`${' '.repeat(11)}7  init       slice-alloc        slot=3`);
    expect(line({ kind: 'slice-alloc', cycle: 1234567890123, env: 2, slot: 0 })).toBe('1234567890123  a-name-longer-than-ten slice-alloc        slot=0');
    expect(line({ kind: 'slice-alloc', cycle: 5, env: 9, slot: 0 })).toBe(`${' '.repeat(11)}5  #9         slice-alloc        slot=0`);
  });

  it('shows addresses as eight hex digits, the lowest and the highest', () => {
    const at = (vaddr: number) => line({ kind: 'binding-installed', cycle: 1, env: 1, vaddr, frame: 4, writable: false, guaranteed: true });
    expect(at(0)).toContain(' vaddr=0x00000000 frame=4 writable=false guaranteed=true');
    expect(at(0x4000)).toContain(' vaddr=0x00004000 ');
    expect(at(0xfffff000)).toContain(' vaddr=0xfffff000 ');
  });

  it('writes a note with a dash for the environment and in a machine\'s name when there are several', () => {
    expect(formatText({ kind: 'note', cycle: 42, instret: 40, text: 'hello' }, names)).toBe(`${' '.repeat(10)}42  -          note               hello`);
    expect(formatText({ kind: 'event', event: { kind: 'slice-alloc', cycle: 3, env: 1, slot: 1 }, machine: 'b' }, names)).toBe(`${' '.repeat(11)}3  b/init     slice-alloc        slot=1`);
  });
});
