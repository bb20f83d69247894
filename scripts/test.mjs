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
// those that depend on them (about 4 s of CPU instead of 16 here when a
// few files changed). Deleting it (or dist/) gives a whole check again.
import { spawn } from 'node:child_process';
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

const tsc = run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'dist/tsc-noemit.tsbuildinfo'], 'pipe');
const vitest = run(bin('vitest'), ['run', ...process.argv.slice(2)], 'inherit');
const [types, suite] = await Promise.all([tsc, vitest]);
process.stdout.write(types.out);
console.log(types.code === 0 ? 'tsc --noEmit: no type errors' : `tsc --noEmit: failed (exit ${types.code})`);
process.exitCode = types.code !== 0 || suite.code !== 0 ? 1 : 0;
