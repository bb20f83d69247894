// The demo casts in docs/demos and the scenarios they are recorded from
// (scenarios/demos): every cast plays with Debian's asciinema 2.2 (`asciinema
// cat` needs a terminal, so it runs under `script`), every demo scenario has
// its cast, a key track the TUI reads, and expectations that hold.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, replay } from '../../src/session/index.js';
import { checkKeyTrack } from '../../src/tui/keytrack.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CASTS = join(ROOT, 'docs/demos');
const DEMOS = join(ROOT, 'scenarios/demos');
const casts = readdirSync(CASTS).filter((f) => f.endsWith('.cast')).sort();
const demos = readdirSync(DEMOS).filter((f) => f.endsWith('.yaml')).sort();

const hasAsciinema = spawnSync('asciinema', ['--version']).status === 0 && spawnSync('script', ['--version']).status === 0;
// CI installs asciinema (.ci/run): there a missing one is a failure, not a skip.
const skipPlay = !hasAsciinema && process.env.CI !== 'true';

describe('the demos', () => {
  it('are one cast for each demo scenario', () => {
    expect(casts.map((f) => basename(f, '.cast'))).toEqual(demos.map((f) => basename(f, '.yaml')));
    expect(demos.length).toBeGreaterThanOrEqual(5);
  });

  for (const f of demos) {
    it(`${f} says what it shows, has a key track the TUI reads, and its expectations hold`, () => {
      const file = join(DEMOS, f);
      expect(readFileSync(file, 'utf8')).toMatch(/^# Demo: \S.*\n# /);
      const sc = loadScenario(file);
      expect(checkKeyTrack(sc)).toEqual([]);
      expect(sc.timeline.some((st) => st.action.kind === 'key')).toBe(true);
      expect(replay(sc).failures).toEqual([]);
    });
  }

  for (const f of casts) {
    it(`${f} is asciicast v2 at 160x45 in virtual time (no timestamp)`, () => {
      const [head, ...events] = readFileSync(join(CASTS, f), 'utf8').trimEnd().split('\n');
      expect(JSON.parse(head)).toMatchObject({ version: 2, width: 160, height: 45 });
      expect(JSON.parse(head).timestamp).toBeUndefined();
      const times = events.map((l) => (JSON.parse(l) as [number, string, string])[0]);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it.skipIf(skipPlay)(`${f} plays with asciinema cat${skipPlay ? ' (skipped: asciinema or script is not installed)' : ''}`, () => {
      const r = spawnSync('script', ['-qec', `asciinema cat ${JSON.stringify(join(CASTS, f))}`, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toMatch(/asciinema: .*failed/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('demo-');
    });
  }
});
