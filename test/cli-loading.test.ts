// What `exoscope tui` shows while it starts (src/cli/loading.ts): the
// scenario's name and each step of the start as it begins, in the
// alternate screen, until the TUI's first frame replaces it; and the
// terminal put back before an error is printed.

import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoadingScreen } from '../src/cli/loading.js';
import { tuiCommand } from '../src/cli/tui.js';
import { cliEntry } from './cli-bundle.js';

const ROOT = resolve(import.meta.dirname, '..');
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');

/** A terminal that keeps what is written to it, in order, with what else happened in between. */
function terminal(columns = 80) {
  const log: string[] = [];
  return { log, out: { columns, write: (d: string) => { log.push(d); return true; } } };
}

describe('the loading screen', () => {
  it('switches to the alternate screen once and shows each step, the ones done with the milliseconds they took', () => {
    const t = terminal();
    let now = 0;
    const l = new LoadingScreen('living', t.out, () => now);
    l.step('loading exoscope');
    now = 120;
    l.retitle('living (scenario)');
    l.step('reading scenarios/living.yaml');
    expect(t.log.filter((d) => d.includes('\x1b[?1049h'))).toHaveLength(1);
    expect(l.lines().map(plain)).toEqual(['living (scenario) │ starting', '', '  ✓ loading exoscope 120 ms', '  … reading scenarios/living.yaml']);
    // Each step is one synchronized update that redraws the screen whole.
    expect(t.log.at(-1)).toMatch(/^\x1b\[\?2026h\x1b\[2J.*\x1b\[\?2026l$/s);
    l.leave();
    expect(t.log.at(-1)).toContain('\x1b[?1049l');
  });

  it('leaves the screen to the TUI on a hand-over: no switch back afterwards', () => {
    const t = terminal();
    const l = new LoadingScreen('x', t.out);
    l.step('booting x');
    l.handOver();
    l.leave();
    expect(l.shown).toBe(false);
    expect(t.log.join('')).not.toContain('\x1b[?1049l');
  });

  it('puts the terminal back before what went wrong is printed', async () => {
    const t = terminal();
    const l = new LoadingScreen('nowhere', t.out);
    l.step('loading exoscope');
    // No such file (or, where stdin is no terminal, no terminal): said after the screen is back.
    const status = await tuiCommand('scenarios/nowhere.yaml', (m) => { t.log.push(`stderr: ${m}`); }, { loading: l });
    expect(status).toBe(2);
    const back = t.log.findIndex((d) => d.includes('\x1b[?1049l'));
    const said = t.log.findIndex((d) => /^stderr: .*(nowhere\.yaml|needs a terminal)/.test(d));
    expect(back).toBeGreaterThan(0);
    expect(said).toBeGreaterThan(back);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `exoscope-loading-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

describe.skipIf(!hasTmux)(`exoscope tui starting in tmux${hasTmux ? '' : ' (skipped: tmux is not installed)'}`, () => {
  afterAll(() => { if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']); });

  it('shows the scenario and the steps of the start, then the TUI in its place', async () => {
    tmux('new-session', '-d', '-s', 'start', '-x', '120', '-y', '40', '-c', ROOT,
      `env -u CI -u CONTINUOUS_INTEGRATION node ${cliEntry('src/cli/main.ts', false)} scenarios/living.yaml; echo EXIT=$?; sleep 60`);
    const screens: string[] = [];
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
      const s = tmux('capture-pane', '-p', '-t', 'start');
      if (screens.at(-1) !== s) screens.push(s);
      if (/1 CPU {2}2 TLB/.test(s)) break;
    }
    // The screen is sampled, so which steps are seen depends on the host's speed; each one seen is in order.
    const loading = screens.filter((s) => /^living │ starting/.test(s));
    expect(loading.length).toBeGreaterThan(0);
    const steps = ['loading exoscope', 'reading scenarios/living.yaml', 'booting living', 'loading the TUI \\(Ink and React\\)'];
    for (const s of loading) {
      const lines = s.split('\n').slice(2).filter((l) => l.trim());
      lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^  ${i === lines.length - 1 ? '…' : '✓'} ${steps[i]}${i === lines.length - 1 ? '$' : ' +\\d+ ms'}`)));
    }
    expect(screens.at(-1)).toMatch(/^living │ ■ paused: booted/);
    // Never a blank screen between the loading screen and the TUI.
    const first = screens.findIndex((s) => /^living │ starting/.test(s));
    expect(screens.slice(first).filter((s) => !s.trim())).toEqual([]);
    tmux('send-keys', '-t', 'start', 'q');
  }, 60_000);
});
