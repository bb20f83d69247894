import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Worker threads that keep their modules from one test file to the next
// (isolate: false): each file no longer re-imports and re-transforms the
// whole src tree, a large share of the suite's CPU time on a small
// machine. None of those files mocks modules or stubs globals. The TUI's
// tests stay isolated, one fresh module graph per file: with Ink's modules
// shared, test/tui/record.test.ts's cast drew an extra frame after other
// files had run in its worker.
//
// At least two workers: vitest's default is one fewer than the cores, which
// on a two-core machine runs every file one after another while the main
// process (with modules kept, little to transform) mostly waits.
const shared = { include: ['test/**/*.test.ts'], testTimeout: 60_000, pool: 'threads' as const };
export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { test: { ...shared, name: 'shared', exclude: ['test/tui/**'], isolate: false } },
      { test: { ...shared, name: 'tui', include: ['test/tui/**/*.test.ts'], isolate: true } },
    ],
  },
});
