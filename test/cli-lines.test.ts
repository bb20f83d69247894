// A command's output gathered into chunks of whole lines (src/cli/lines.ts):
// the chunks put together are every line with its newline, in order, as
// bytes or as text alike; a chunk never splits a line, not even one longer
// than a chunk or one of characters of several bytes; and `exoscope replay`
// writes the same log through either.

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, lines } from '../src/cli/lines.js';
import { replayCommand } from '../src/cli/replay.js';

const ROOT = resolve(import.meta.dirname, '..');

/** The chunks `lines` hands on for `all`, as bytes (copied: the buffer is reused) and as text. */
function chunks(all: readonly string[]): { bytes: Buffer[]; text: string[] } {
  const bytes: Buffer[] = [];
  const text: string[] = [];
  const b = lines({ bytes: (c) => bytes.push(Buffer.from(c)) });
  const t = lines({ text: (c) => text.push(c) });
  for (const l of all) { b.line(l); t.line(l); }
  b.flush();
  t.flush();
  return { bytes, text };
}

describe('lines', () => {
  const all = Array.from({ length: 5000 }, (_, i) => `${i} ${'é€😀'.repeat(i % 7)} ${'x'.repeat(i % 97)}`);
  all.splice(2500, 0, 'y'.repeat(CHUNK_BYTES * 2), '');

  it('hands on every line with its newline, in order, as UTF-8 bytes and as text alike', () => {
    const { bytes, text } = chunks(all);
    const want = all.map((l) => `${l}\n`).join('');
    expect(Buffer.concat(bytes).toString('utf8')).toBe(want);
    expect(text.join('')).toBe(want);
    expect(bytes.length).toBeGreaterThan(2);
  });

  it('never splits a line: every chunk ends with a newline and holds whole characters', () => {
    const { bytes, text } = chunks(all);
    for (const c of bytes) expect(c[c.length - 1]).toBe(0x0a);
    for (const c of text) expect(c.endsWith('\n')).toBe(true);
    expect(bytes.map((c) => c.toString('utf8')).join('')).toBe(text.join(''));
    expect(bytes.filter((c) => c.length > CHUNK_BYTES)).toHaveLength(1);
  });

  it('hands on nothing when there is nothing, and nothing twice', () => {
    const seen: string[] = [];
    const l = lines({ text: (c) => seen.push(c) });
    l.flush();
    l.line('a');
    l.flush();
    l.flush();
    expect(seen).toEqual(['a\n']);
  });

  it('exoscope replay writes the same log as bytes (the command line) and as text (the tests, golden hashes)', () => {
    const file = join(ROOT, 'scenarios', 'forger.yaml');
    let text = '';
    const bytes: Buffer[] = [];
    expect(replayCommand(file, { stdout: (t) => { text += t; }, stderr: () => {} })).toBe(0);
    expect(replayCommand(file, { stdout: () => { throw new Error('stdout used with stdoutBytes'); }, stdoutBytes: (b) => bytes.push(Buffer.from(b)), stderr: () => {} })).toBe(0);
    expect(text.split('\n').length).toBeGreaterThan(100);
    expect(Buffer.concat(bytes).toString('utf8')).toBe(text);
  });
});
