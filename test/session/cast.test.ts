import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CastFile, castEvent, castHeader, frameUpdate, RecordError, ttyOutput } from '../../src/session/index.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'exo-cast-'));

describe('asciicast v2 lines', () => {
  it('castHeader writes version 2 and the size first, and a timestamp only when given', () => {
    expect(castHeader({ width: 120, height: 40 })).toBe('{"version":2,"width":120,"height":40}');
    expect(JSON.parse(castHeader({ width: 80, height: 24, title: 't', timestamp: 5, env: { TERM: 'xterm-256color' } })))
      .toEqual({ version: 2, width: 80, height: 24, timestamp: 5, title: 't', env: { TERM: 'xterm-256color' } });
  });

  it('castEvent prints whole microseconds with six decimals and the data as a JSON string', () => {
    expect(castEvent(1_250_000, 'a\x1b[1mb\n')).toBe('[1.250000, "o", "a\\u001b[1mb\\n"]');
    expect(castEvent(7, '')).toBe('[0.000007, "o", ""]');
  });

  it('ttyOutput turns each newline into CR LF, as a terminal\'s line discipline does', () => {
    expect(ttyOutput('a\nb\r\nc')).toBe('a\r\nb\r\nc');
  });
});

describe('frameUpdate', () => {
  it('draws a first frame on a cleared screen with the cursor hidden, one row at a time', () => {
    expect(frameUpdate(undefined, ['ab', '', 'c'])).toBe('\x1b[?25l\x1b[2J\x1b[1;1Hab\x1b[K\x1b[3;1Hc\x1b[K');
  });

  it('rewrites only the rows that changed, and blanks rows the new frame no longer has', () => {
    expect(frameUpdate(['a', 'b', 'c'], ['a', 'B', 'c'])).toBe('\x1b[2;1HB\x1b[K');
    expect(frameUpdate(['a', 'b'], ['a'])).toBe('\x1b[2;1H\x1b[K');
    expect(frameUpdate(['a'], ['a'])).toBe('');
  });
});

describe('CastFile', () => {
  it('writes the header and joins outputs of the same time into one event, renaming into place at the end', () => {
    const dir = tempDir();
    const path = join(dir, 'x.cast');
    const cast = new CastFile(path, { width: 80, height: 24 });
    cast.output(0, 'a');
    cast.output(0, 'b');
    cast.output(1500, 'c');
    cast.output(1000, 'd');
    expect(existsSync(path)).toBe(false);
    cast.finish();
    expect(readFileSync(path, 'utf8')).toBe('{"version":2,"width":80,"height":24}\n[0.000000, "o", "ab"]\n[0.001500, "o", "cd"]\n');
    expect(readdirSync(dir)).toEqual(['x.cast']);
  });

  it('leaves an existing file as it was, and no temporary file, when the recording is abandoned', () => {
    const dir = tempDir();
    const path = join(dir, 'x.cast');
    writeFileSync(path, 'old');
    const cast = new CastFile(path, { width: 80, height: 24 });
    cast.output(0, 'new');
    cast.abort();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['x.cast']);
  });

  it('refuses a path in a folder that does not exist, or a folder, with a RecordError saying why', () => {
    const dir = tempDir();
    expect(() => new CastFile(join(dir, 'none', 'x.cast'), { width: 80, height: 24 })).toThrow(RecordError);
    expect(() => new CastFile(join(dir, 'none', 'x.cast'), { width: 80, height: 24 })).toThrow(/^Cannot write .*x\.cast: its folder does not exist$/);
    mkdirSync(join(dir, 'd.cast'));
    expect(() => new CastFile(join(dir, 'd.cast'), { width: 80, height: 24 })).toThrow(/d\.cast: it is a folder$/);
    expect(readdirSync(dir)).toEqual(['d.cast']);
  });
});
