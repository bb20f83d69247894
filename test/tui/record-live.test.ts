// `exoscope tui --record`: a live session at a real terminal (tmux),
// recorded in real time. CI is unset for the program: Ink in CI mode draws
// only its last frame.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEntry } from '../cli-bundle.js';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `exoscope-rec-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'live');

async function until(re: RegExp, ms = 20_000): Promise<string> {
  let s = '';
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 40))) {
    s = screen();
    if (re.test(s)) return s;
  }
  throw new Error(`The screen never showed ${re}:\n${s}`);
}

describe.skipIf(!hasTmux)(`exoscope tui --record in tmux${hasTmux ? '' : ' (skipped: tmux is not installed)'}`, () => {
  afterAll(() => { if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']); });

  it('writes what the session showed, with real times and the terminal\'s size, once the TUI ends', async () => {
    const cast = join(mkdtempSync(join(tmpdir(), 'exo-live-')), 'live.cast');
    tmux('new-session', '-d', '-s', 'live', '-x', '100', '-y', '30', '-c', ROOT,
      `env -u CI -u CONTINUOUS_INTEGRATION node ${cliEntry('src/cli/main.ts', false)} tui scenarios/share.yaml --record ${cast}; echo EXIT=$?; sleep 60`);
    await until(/paused: booted/);
    tmux('send-keys', '-t', 'live', 's');
    await until(/step: stepped 1/);
    expect(existsSync(cast)).toBe(false);
    tmux('send-keys', '-t', 'live', 'q');
    await until(/EXIT=0/);
    const [head, ...events] = readFileSync(cast, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(head)).toMatchObject({ version: 2, width: 100, height: 30, title: 'share', timestamp: expect.any(Number) });
    const data = events.map((l) => JSON.parse(l) as [number, string, string]);
    expect(data.map(([t]) => t)).toEqual(data.map(([t]) => t).sort((a, b) => a - b));
    const all = data.map(([, , d]) => d).join('');
    expect(all.startsWith('\x1b[?1049h')).toBe(true);
    expect(all).toContain('step: stepped 1');
    expect(all.endsWith('\x1b[?1049l')).toBe(true);
    expect(all).not.toMatch(/[^\r]\n/);
  }, 60_000);
});
