// The order the suite's files start in. Longest first, so that the run does
// not end with one long file alone on a core. vitest's own sequencer orders
// by the durations of the last run, which it keeps in node_modules/.vite;
// a fresh clone has none, and by file size (its fallback) the suite took
// 64.4 s here against 57.8 s in the order of the last run's durations
// (both quiet, the same flags). So where vitest has no duration for a file,
// this takes the one committed in test/durations.json (a run's per-file
// times in ms, files under 0.3 s left out; a stale number only changes the
// order, never what a test does). Projects keep vitest's order.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const committed = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8')) as Record<string, number>;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const duration = (f: TestSpecification): number => {
      const file = relative(root, f.moduleId).split('\\').join('/');
      return this.ctx.cache.getFileTestResults(`${f.project.name}:${file}`)?.duration ?? committed[file] ?? 0;
    };
    const known = new Map(files.map((f) => [f, duration(f)]));
    return [...files].sort((a, b) =>
      a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder
      || (a.project.name === b.project.name ? 0 : a.project.name < b.project.name ? -1 : 1)
      || known.get(b)! - known.get(a)!);
  }
}
