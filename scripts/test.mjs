#!/usr/bin/env node
// `npm test`: the type check (tsc --noEmit) and the suite (vitest run) at
// once rather than one after the other. The type check runs at a lower
// priority, so it takes the CPU the suite's workers leave idle (the suite's
// main process mostly waits on its workers) instead of slowing them. Its
// output is held back and printed after the suite's, so the two do not
// interleave. Both always run to their end; the exit code is nonzero when
// either fails. Arguments go to vitest (`npm test -- test/emu`).
// The type check is incremental: dist/tsc-noemit.tsbuildinfo keeps what the
// last one found, and tsc checks again only the files changed since and
// those that depend on them (about 4 s of CPU instead of 14 here). `npm run
// build` (so `npm ci` too) ends its tsc step with the same check, `npm run
// typecheck`, of the tests as well as src: a fresh clone's first `npm test`
// then checks only what changed after the build instead of everything, and
// a type error in a test already fails the build. Deleting the file (or
// dist/) gives a whole check again.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs `cmd` to its end; resolves to its exit code (1 when killed by a signal). */
function run(cmd, args, stdio) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio, cwd: root });
    let out = '';
    child.stdout?.on('data', (d) => { out += d; });
    child.stderr?.on('data', (d) => { out += d; });
    child.on('error', (e) => { out += `${cmd}: ${e.message}\n`; resolve({ code: 1, out }); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    if (child.pid !== undefined && stdio === 'pipe') {
      try { setPriority(child.pid, 10); } catch { /* lower priority is only a preference */ }
    }
  });
}

// Flags of the suite's process, whose worker threads (vitest.config.ts)
// share them; they change how much CPU V8 spends besides running the
// tests, never what a test does. Together, `vitest run` here took 106.5
// and 106.7 s of CPU (user + system) against 126.6 and 120.2 without them
// in interleaved runs on this two-core machine (others loading it), all
// tests passing. A profile of the suite (perf) without them: TurboFan
// compiling 22% of the CPU, major garbage collection 16%, page faults and
// other kernel time 16%, the tests' own code and V8's builtins 27%.
// - --v8-pool-size=1: one V8 helper thread instead of four. The workers
//   already keep both cores busy, so parallel garbage collection and
//   background compiling gain nothing and four helpers cost more (spinning
//   and splitting work): 117 s of CPU against 133, alone.
// - --interrupt-budget: V8 optimizes a function (TurboFan) only after about
//   seven times as much work in it as by default, so less of it goes to
//   code (a test's setup, a translated block of a machine that soon ends)
//   that runs too little to pay the compiling back; the emulator's hot
//   loops are still optimized. With the pool at one: 26.3 s of CPU against
//   29.1 to 30.0 for five of the longest files.
const SUITE_FLAGS = ['--v8-pool-size=1', '--interrupt-budget=1000000'];

// The same command as package.json's `typecheck` script, whose buildinfo it
// shares (run directly, not through npm: npm's own start is about 0.3 s).
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const [tscName, ...tscArgs] = pkg.scripts.typecheck.split(' ');
const tsc = run(bin(tscName), tscArgs, 'pipe');
const vitest = run(process.execPath, [...SUITE_FLAGS, join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], 'inherit');
const [types, suite] = await Promise.all([tsc, vitest]);
process.stdout.write(types.out);
console.log(types.code === 0 ? 'tsc --noEmit: no type errors' : `tsc --noEmit: failed (exit ${types.code})`);
process.exitCode = types.code !== 0 || suite.code !== 0 ? 1 : 0;
