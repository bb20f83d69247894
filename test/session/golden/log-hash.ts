// The determinism check's fingerprint of a bundled scenario: the SHA-256
// of its replay's JSON event log (the bytes `exoscope replay --json
// scenarios/<name>` prints from the package's folder), with the log's
// length. The scenario is parsed under its name relative to the package,
// so the notes (which name the file) are the same in every checkout. Used
// by replay.test.ts and by `npm run golden`, which rewrites hashes.json.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatJson, parseScenario, replay } from '../../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface LogHash { readonly sha256: string; readonly lines: number; readonly failures: readonly string[] }

/** Replays `scenarios/<name>` once (translated, or in the interpreter alone with `translate: false`) and fingerprints its JSON log. */
export function logHash(name: string, opts: { translate?: boolean } = {}): LogHash {
  const rel = `scenarios/${name}`;
  const hash = createHash('sha256');
  let lines = 0;
  const r = replay(parseScenario(readFileSync(join(ROOT, rel), 'utf8'), rel), {
    onLine: (l) => { hash.update(formatJson(l) + '\n'); lines++; },
    translate: opts.translate,
  });
  return { sha256: hash.digest('hex'), lines, failures: r.failures };
}
