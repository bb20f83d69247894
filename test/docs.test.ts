// The generated parts of the docs match the tables they come from
// (npm run docs rewrites them).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, EVENTS, eventKindsMarkdown } from '../src/exokernel/index.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('docs/scenarios.md', () => {
  it('has the event kinds table of the event catalogue (run `npm run docs` when this fails)', () => {
    const text = readFileSync(join(ROOT, 'docs/scenarios.md'), 'utf8');
    const m = /<!-- event-kinds: [^\n]*-->\n([\s\S]*?)<!-- end event-kinds -->/.exec(text);
    expect(m, 'docs/scenarios.md lost the markers of its generated event table').not.toBeNull();
    expect(m![1], 'docs/scenarios.md: the event kinds table is stale; run `npm run docs`').toBe(eventKindsMarkdown());
  });

  it('the table names every kind with every field, and what it says', () => {
    const md = eventKindsMarkdown();
    for (const k of EVENT_KINDS) {
      const row = md.split('\n').find((l) => l.startsWith(`| \`${k}\` |`));
      expect(row, k).toBeDefined();
      for (const f of Object.keys(EVENTS[k].fields)) expect(row, `${k}.${f}`).toContain(`\`${f}\``);
      expect(row).toContain(EVENTS[k].what);
    }
  });
});
