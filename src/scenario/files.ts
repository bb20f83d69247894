// Reading the files a scenario names (the scenario itself, its images)
// without trusting them to be files: a device such as /dev/zero never ends,
// a FIFO blocks its reader until a writer comes, a folder has no bytes.
// Only a regular file of bounded size is read; anything else is a reason,
// in words, for the caller's ScenarioError (docs/protection.md).

import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** Largest scenario file read (a scenario is a page or two of YAML). */
export const SCENARIO_MAX_BYTES = 1 << 20;
/** Largest image read: no image loads more than the largest RAM (480 MiB). */
export const IMAGE_MAX_BYTES = 480 << 20;

/** Why the file at `path` cannot be read as a file of at most `max` bytes, or undefined. */
export function notAFile(path: string, max: number): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    return failure(e);
  }
  return kindProblem(st, max);
}

function kindProblem(st: import('node:fs').Stats, max: number): string | undefined {
  if (st.isDirectory()) return 'it is a folder, not a file';
  if (st.isFIFO()) return 'it is a pipe (FIFO), not a file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a file';
  if (st.isSocket()) return 'it is a socket, not a file';
  if (!st.isFile()) return 'it is not a regular file';
  if (st.size > max) return `it is ${st.size} bytes, more than the ${max} read`;
  return undefined;
}

/** Why a read failed, in words. */
function failure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return (e as Error).message;
}

/**
 * The bytes of the regular file at `path` (at most `max`), or why not. It
 * is opened without blocking and checked after opening, so a FIFO or a
 * device put there in between is refused, not read.
 */
export function readRegularFile(path: string, max: number): Uint8Array | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: failure(e) };
  }
  try {
    const st = fstatSync(fd);
    const problem = kindProblem(st, max);
    if (problem) return { problem };
    const out = new Uint8Array(st.size);
    let off = 0;
    while (off < out.length) {
      const n = readSync(fd, out, off, out.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === out.length ? out : out.subarray(0, off);
  } catch (e) {
    return { problem: failure(e) };
  } finally {
    closeSync(fd);
  }
}
