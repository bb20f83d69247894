// npm run golden: replays every bundled scenario once and writes the
// SHA-256 of each JSON event log to test/session/golden/hashes.json, which
// the determinism test compares against. Run it after a change that is
// meant to change what the machine does, and commit the file with it.

import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logHash } from '../test/session/golden/log-hash.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = {};
for (const f of readdirSync(join(ROOT, 'scenarios')).filter((n) => n.endsWith('.yaml')).sort()) {
  const h = logHash(f);
  if (h.failures.length) throw new Error(`scenarios/${f} does not replay cleanly: ${h.failures.join('; ')}`);
  out[f] = { sha256: h.sha256, lines: h.lines };
  console.log(`${f}: ${h.lines} lines ${h.sha256.slice(0, 16)}`);
}
writeFileSync(join(ROOT, 'test/session/golden/hashes.json'), JSON.stringify(out, null, 2) + '\n');
