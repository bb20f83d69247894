#!/usr/bin/env node
// demos.mjs: records every demo scenario (scenarios/demos/*.yaml) to
// docs/demos/<name>.cast, at 160x45 so that every pane is on screen.
//
//   npm run demos              record them all
//   npm run demos -- NAME...   record only the named ones (stlb, pct, ...)
//   npm run demos -- --check   record into a temporary folder and exit 1
//                              naming every committed cast that differs
//
// A cast is in virtual time (docs/recording.md): the same scenario gives
// the same bytes on every machine, so a committed cast that differs from a
// fresh recording is out of date.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/session/index.ts';
import { recordScenario } from '../src/tui/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIOS = join(ROOT, 'scenarios', 'demos');
const OUT = join(ROOT, 'docs', 'demos');
const SIZE = { cols: 160, rows: 45 };

const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
const names = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).map((f) => basename(f, '.yaml')).sort()
  .filter((n) => only.length === 0 || only.includes(n));
for (const n of only) if (!names.includes(n)) { console.error(`demos: no scenario ${n} in scenarios/demos`); process.exit(2); }

const dir = check ? mkdtempSync(join(tmpdir(), 'exoscope-demos-')) : OUT;
const stale = [];
for (const n of names) {
  const out = join(dir, `${n}.cast`);
  const r = await recordScenario(loadScenario(join(SCENARIOS, `${n}.yaml`)), out, SIZE);
  for (const w of [...r.failures, ...r.unfired.map((at) => `the step at ${at} never fired`)]) console.error(`demos: ${n}: warning: ${w}`);
  if (check) {
    let committed;
    try { committed = readFileSync(join(OUT, `${n}.cast`)); } catch { committed = undefined; }
    const same = committed !== undefined && committed.equals(readFileSync(out));
    if (!same) stale.push(n);
    console.log(`${n}: ${same ? 'up to date' : 'differs from docs/demos/' + n + '.cast'}`);
  } else {
    console.log(`docs/demos/${n}.cast: ${(r.us / 1e6).toFixed(1)} s, ${r.cycles} cycles, ended ${r.end}`);
  }
}
if (check) {
  rmSync(dir, { recursive: true, force: true });
  if (stale.length) { console.error(`demos: ${stale.join(', ')} out of date: run npm run demos`); process.exit(1); }
}
