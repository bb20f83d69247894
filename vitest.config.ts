import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { inlineConstEnums } from './test/const-enums.js';
import { LongestFirst } from './test/sequencer.js';

// Most test files run in worker threads that keep their modules from one
// file to the next (isolate: false): a file no longer re-imports and
// re-transforms the whole src tree, which was most of a quick file's CPU
// time. None of them mocks modules or stubs globals.
//
// Apart from the others (the 'colors' project), sharing workers only among
// themselves: the TUI's tests that need Ink and chalk imported with colors
// on. chalk picks its color level when first imported, and the recorder
// (FORCE_COLOR, through importUi) and ink-output.test.ts (which sets
// FORCE_COLOR itself) need colors on; with Ink's modules shared with the
// other files, test/tui/record.test.ts's cast drew an extra frame after
// other files had run in its worker. Among themselves they pass in every
// order (tried with one worker in each), and take about a second of CPU
// less than each in a fresh worker. The other TUI tests share workers
// (test/tui/record-live.test.ts too: its TUI is a child process in tmux):
// importing Ink, React and src again for each was about 0.7 s of CPU a
// file.
//
// Isolated, in a fresh worker: test/session/travel-property.test.ts, which
// ran a third slower in a worker that had run the other long files first.
//
// The files that run the machine for long share workers among themselves
// (the 'long' project), apart from the quick ones: in a worker shared with
// every quick file they ran two to three times slower in a whole run
// (likely the emulator's hot functions carrying type feedback, and a
// larger heap, from every file before them); among themselves they took
// about a seventh less CPU than each in a fresh worker, which imports src
// again.
const INK_COLORS = ['test/tui/record.test.ts', 'test/tui/record-mono.test.ts', 'test/tui/ink-output.test.ts'];
const ALONE = ['test/session/travel-property.test.ts'];
const LONG_RUNS = [
  'test/session/replay.test.ts', 'test/session/ram-sizes.test.ts',
  'test/session/travel.test.ts', 'test/session/session.test.ts', 'test/session/machines.test.ts', 'test/session/pace.test.ts',
  'test/emu/translate.test.ts', 'test/exokernel/lockstep.test.ts', 'test/exokernel/exos-sched.test.ts',
  'test/exokernel/fuzz-envs.test.ts', 'test/exokernel/attacker.test.ts', 'test/exokernel/sched.test.ts',
  'test/exokernel/dpf/property.test.ts', 'test/emu/devices/lance-fuzz.test.ts', 'test/gdb/session-target.test.ts',
  'test/mono/common.test.ts', 'test/mono/programs.test.ts',
];
// At least two workers: vitest's default is one fewer than the cores, which
// on a two-core machine runs every file one after another while the main
// process (with modules kept, little to transform) mostly waits.
const shared = { testTimeout: 60_000, pool: 'threads' as const };
// const enum members as numbers, as tsc writes them (test/const-enums.ts); each project's own (projects do not inherit the root's plugins).
const plugins = [inlineConstEnums(fileURLToPath(new URL('.', import.meta.url)))];
export default defineConfig({
  test: {
    // The command line bundled once for the tests that start it as a child process (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Longest files first, also in a fresh clone (test/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      { plugins, test: { ...shared, name: 'shared', include: ['test/**/*.test.ts'], exclude: [...INK_COLORS, ...LONG_RUNS, ...ALONE], isolate: false } },
      { plugins, test: { ...shared, name: 'long', include: LONG_RUNS, isolate: false } },
      { plugins, test: { ...shared, name: 'isolated', include: [...ALONE], isolate: true } },
      { plugins, test: { ...shared, name: 'colors', include: [...INK_COLORS], isolate: false } },
    ],
  },
});
