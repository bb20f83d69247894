// The determinism check's fingerprint of a recording: the SHA-256 of the
// cast `exoscope record` writes at 120x40 for the recorder tests' key
// track (fixtures/rec-track.ts, parsed as test/rec.yaml) and for
// scenarios/mono-pipe.yaml. A cast is in virtual time (docs/recording.md),
// so the same scenario gives the same bytes in every run and on every
// machine. Used by record.test.ts and record-mono.test.ts, and by `npm run
// golden`, which rewrites casts.json.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { recordCommand } from '../../../src/cli/record.js';
import { TRACK } from '../fixtures/rec-track.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The recordings fingerprinted, by name. */
export const CASTS = ['rec-track', 'mono-pipe'] as const;
export type CastName = (typeof CASTS)[number];

/** The SHA-256 of the cast at `path`. */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The committed fingerprints (test/tui/golden/casts.json). */
export function goldenCasts(): Record<CastName, string> {
  return JSON.parse(readFileSync(join(ROOT, 'test/tui/golden/casts.json'), 'utf8')) as Record<CastName, string>;
}

/** Records `name` through `exoscope record` at 120x40 and fingerprints the cast. */
export async function castHash(name: CastName): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'exo-golden-cast-'));
  try {
    let file = join(ROOT, 'scenarios', `${name}.yaml`);
    if (name === 'rec-track') writeFileSync((file = join(dir, 'rec.yaml')), TRACK);
    let err = '';
    const out = join(dir, `${name}.cast`);
    const status = await recordCommand(file, { output: out, cols: 120, rows: 40, stderr: (t) => { err += t; } });
    if (status !== 0) throw new Error(`recording ${name} failed (exit ${status}): ${err}`);
    return fileHash(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
