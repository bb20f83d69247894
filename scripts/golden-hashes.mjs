// npm run golden: replays every bundled scenario once and writes the
// SHA-256 of each JSON event log to test/session/golden/hashes.json, which
// the determinism test compares against, and the two whole logs kept as
// examples (pagefault as JSON lines, share as text, in test/session/golden),
// and the SHA-256 of two recordings (test/tui/golden/casts.json: the
// recorder tests' key track and mono-pipe, as `exoscope record` writes them).
// Run it after a change that is meant to change what the machine does, and
// commit the files with it.

import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logHash } from '../test/session/golden/log-hash.ts';
import { replayCommand } from '../src/cli/replay.ts';
import { CASTS, castHash } from '../test/tui/golden/cast-hash.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = {};
for (const f of readdirSync(join(ROOT, 'scenarios')).filter((n) => n.endsWith('.yaml')).sort()) {
  const h = logHash(f);
  if (h.failures.length) throw new Error(`scenarios/${f} does not replay cleanly: ${h.failures.join('; ')}`);
  out[f] = { sha256: h.sha256, lines: h.lines };
  console.log(`${f}: ${h.lines} lines ${h.sha256.slice(0, 16)}`);
}
writeFileSync(join(ROOT, 'test/session/golden/hashes.json'), JSON.stringify(out, null, 2) + '\n');

/** The whole log `exoscope replay` prints for a bundled scenario. */
function whole(name, json) {
  let text = '';
  replayCommand(join(ROOT, 'scenarios', `${name}.yaml`), { json, stdout: (t) => { text += t; }, stderr: () => {} });
  return text;
}
writeFileSync(join(ROOT, 'test/session/golden/pagefault.jsonl'), whole('pagefault', true));
writeFileSync(join(ROOT, 'test/session/golden/share.txt'), whole('share', false));
console.log('test/session/golden/pagefault.jsonl, share.txt');

const casts = {};
for (const name of CASTS) casts[name] = await castHash(name);
writeFileSync(join(ROOT, 'test/tui/golden/casts.json'), JSON.stringify(casts, null, 2) + '\n');
console.log('test/tui/golden/casts.json');
