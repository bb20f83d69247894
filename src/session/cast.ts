// asciicast v2 files (https://docs.asciinema.org/manual/asciicast/v2/),
// written as a recording goes: the header and events go to a temporary file
// beside the output, which is renamed over the output only when the
// recording is complete. An interrupted recording leaves the output as it
// was (and at most a hidden temporary file), never half a cast.
//
// Times are whole microseconds, printed with six decimals, so that the same
// recording gives the same bytes on every machine. This file reads no clock:
// the caller says when each output happened.

import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The first line of a cast. */
export interface CastHeader {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  /** Unix time of the start in seconds (live recordings only: it would make a scenario's cast differ run to run). */
  readonly timestamp?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** A recording that cannot be made: a bad key track, a terminal too small, an output that cannot be written. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
}

/** The header line (without its newline). */
export function castHeader(h: CastHeader): string {
  const out: Record<string, unknown> = { version: 2, width: h.width, height: h.height };
  if (h.timestamp !== undefined) out.timestamp = h.timestamp;
  if (h.title !== undefined) out.title = h.title;
  if (h.env !== undefined) out.env = h.env;
  return JSON.stringify(out);
}

/** One output event line (without its newline): `[1.250000, "o", "text"]`. */
export function castEvent(us: number, data: string): string {
  return `[${(us / 1e6).toFixed(6)}, "o", ${JSON.stringify(data)}]`;
}

/**
 * What a terminal shows for `data` written by a program: its line
 * discipline (onlcr) turns each "\n" into "\r\n". A cast holds what the
 * terminal received, and players write it to a terminal in raw mode, where
 * a bare "\n" would not return the cursor to the first column.
 */
export function ttyOutput(data: string): string {
  return data.replace(/\r?\n/g, '\r\n');
}

/**
 * What a terminal needs to go from showing frame `prev` (its lines, or
 * undefined for a blank screen) to showing `next`: each line that differs
 * is written at its row, from the first column, and the rest of the row
 * erased. The first frame clears the screen and hides the cursor. Lines
 * must carry their own styles (Ink's do), and fit the terminal's width.
 */
export function frameUpdate(prev: readonly string[] | undefined, next: readonly string[]): string {
  let out = prev ? '' : '\x1b[?25l\x1b[2J';
  for (let i = 0; i < Math.max(next.length, prev?.length ?? 0); i++) {
    if (prev && prev[i] === next[i]) continue;
    if (!prev && !next[i]) continue;
    out += `\x1b[${i + 1};1H${next[i] ?? ''}\x1b[K`;
  }
  return out;
}

/** Why a file could not be written, in words. */
function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'ENOTDIR') return 'a part of its path is not a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'the disk is full';
  return (e as Error).message;
}

const FLUSH_AT = 1 << 16;

/**
 * A cast being written to `path`. Outputs at the same time are joined into
 * one event; times never go backwards (an earlier one counts as the last).
 */
export class CastFile {
  private fd: number | undefined;
  private readonly temp: string;
  private buf: string[] = [];
  private size = 0;
  private pending: { us: number; data: string } | undefined;
  private lastUs = 0;

  /** Opens the temporary file and writes the header; throws RecordError when `path` cannot be written. */
  constructor(readonly path: string, header: CastHeader) {
    let isDir = false;
    try { isDir = statSync(path).isDirectory(); } catch { /* absent: fine */ }
    if (isDir) throw new RecordError(`Cannot write ${path}: it is a folder`);
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.temp, 'w');
    } catch (e) {
      throw new RecordError(`Cannot write ${path}: ${writeFailure(e)}`);
    }
    this.line(castHeader(header));
  }

  /** Records `data` written to the terminal at `us` microseconds from the start. */
  output(us: number, data: string): void {
    if (data === '') return;
    const at = Math.max(this.lastUs, Math.round(us));
    if (this.pending && this.pending.us === at) { this.pending.data += data; return; }
    this.settle();
    this.pending = { us: at, data };
    this.lastUs = at;
  }

  /** Microseconds of the last output so far. */
  get endUs(): number {
    return this.lastUs;
  }

  /** Writes what is left, closes the file and renames it over `path`; throws RecordError when that fails. */
  finish(): void {
    this.settle();
    try {
      this.flush();
      closeSync(this.fd!);
      this.fd = undefined;
      renameSync(this.temp, this.path);
    } catch (e) {
      this.abort();
      throw e instanceof RecordError ? e : new RecordError(`Cannot write ${this.path}: ${writeFailure(e)}`);
    }
  }

  /** Gives up: closes and removes the temporary file; `path` is left as it was. Safe to call twice. */
  abort(): void {
    if (this.fd !== undefined) { try { closeSync(this.fd); } catch { /* already closed */ } }
    this.fd = undefined;
    try { unlinkSync(this.temp); } catch { /* already gone */ }
  }

  private settle(): void {
    if (this.pending) this.line(castEvent(this.pending.us, this.pending.data));
    this.pending = undefined;
  }

  private line(text: string): void {
    this.buf.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.buf.length === 0) return;
    const bytes = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    this.size = 0;
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off);
    } catch (e) {
      this.abort();
      throw new RecordError(`Cannot write ${this.path}: ${writeFailure(e)}`);
    }
  }
}
