// exoscope record on the monolithic kernel: a `kernel: monolithic`
// scenario (scenarios/mono-pipe.yaml) is recorded as any scenario is,
// through the TUI over its MonoDebugger (it has no timeline, so the
// recorder starts it with `c` and it runs to the halt); and a scenario
// with both kernels (both-pipe). The casts are replayed through a terminal
// emulator; mono-pipe's is the committed fingerprint (npm run golden).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { recordCommand } from '../../src/cli/record.js';
import { fileHash, goldenCasts } from './golden/cast-hash.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function record(name: string): Promise<{ status: number; err: string; path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'exo-rec-mono-')), `${name}.cast`);
  let err = '';
  const status = await recordCommand(join(ROOT, 'scenarios', `${name}.yaml`), { output: path, cols: 120, rows: 40, stderr: (t) => { err += t; } });
  return { status, err, path };
}

/** The screen a terminal shows after playing the cast, one trimmed string per row. */
async function screenAfter(path: string): Promise<string[]> {
  const [head, ...rest] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(head);
  const term = new xterm.Terminal({ cols: header.width, rows: header.height, allowProposedApi: true });
  for (const l of rest) { const [, , data] = JSON.parse(l) as [number, string, string]; await new Promise<void>((r) => term.write(data, r)); }
  const b = term.buffer.active;
  return Array.from({ length: header.height }, (_, i) => b.getLine(i)!.translateToString(true));
}

describe('exoscope record on the monolithic kernel', () => {
  it('records mono-pipe to its halt, the committed bytes, its last screen the kernel\'s', async () => {
    const a = await record('mono-pipe');
    expect(a.err).toMatch(/mono-pipe\.cast: [\d.]+ s, 739812 cycles, ended end: halted: halt\n$/);
    expect(a.status).toBe(0);
    const cast = readFileSync(a.path, 'utf8');
    expect(JSON.parse(cast.split('\n')[0])).toMatchObject({ version: 2, width: 120, height: 40, title: expect.stringMatching(/^mono-pipe: 100 round trips/) });
    const screen = await screenAfter(a.path);
    expect(screen[0]).toMatch(/^mono-pipe │ ■ end: halted: halt · pace max +cycle 739,812/);
    expect(screen.join('\n')).toContain('bench-pipe: 100 iterations, result 0xdd9ff79e ok');
    expect(screen.join('\n')).toMatch(/739,812 +halt +halt/);
    // The same bytes every time: the fingerprint committed by `npm run golden`.
    expect(fileHash(a.path)).toBe(goldenCasts()['mono-pipe']);
  }, 120_000);

  it('records both-pipe, both kernels in one timeline, to the end of both', async () => {
    const a = await record('both-pipe');
    expect(a.status).toBe(0);
    expect(a.err).toMatch(/both-pipe\.cast: [\d.]+ s, \d+ cycles, ended idle: no environment is runnable\n$/);
    const screen = await screenAfter(a.path);
    expect(screen[0]).toMatch(/■ idle: no environment is runnable/);
  }, 120_000);
});
