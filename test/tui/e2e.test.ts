// The real program in a real terminal: tmux runs the TUI on a fixture
// session (pager "a" and endless walker "b"; or ExOS hog and two
// spinners); keys go in with send-keys and the screen comes back with
// capture-pane. CI is unset for the program: Ink in CI mode draws only its
// last frame.

import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEntry } from '../cli-bundle.js';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `exoscope-e2e-${process.pid}`;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

/** A tmux window `cols` x `rows` running the fixture entry with `args`, and what to do with it. */
function terminal(name: string, cols: number, rows: number, args = '') {
  tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), '-c', ROOT,
    `env -u CI -u CONTINUOUS_INTEGRATION node ${cliEntry('test/tui/fixtures/tui-entry.ts', false)} ${args}; echo EXIT=$?; sleep 60`);
  const screen = () => tmux('capture-pane', '-p', '-t', name);
  const keys = (...ks: string[]) => tmux('send-keys', '-t', name, ...ks);
  /** Waits until the screen matches `re`; fails with the screen when it does not within `ms`. */
  const until = async (re: RegExp, ms = 30_000): Promise<string> => {
    let s = '';
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 40))) {
      s = screen();
      if (re.test(s)) return s;
    }
    throw new Error(`The screen never showed ${re}:\n${s}`);
  };
  return { keys, until };
}

describe.skipIf(!hasTmux)(`exoscope tui in tmux${hasTmux ? '' : ' (skipped: tmux is not installed)'}`, () => {
  afterAll(() => { if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']); });

  it('steps, breaks on a TLB miss, continues, shows help and quits', async () => {
    const { keys, until } = terminal('tui', 120, 40);
    let s = await until(/paused: booted/);
    expect(s.split('\n')[1]).toMatch(/^ 1 CPU {2}2 TLB/);

    keys('s');
    await until(/■ step: stepped 1 .*insn 1 {2}a @ 00400004/);
    keys(':', 'step 10', 'Enter');
    s = await until(/■ step: stepped 10 .*insn 11 {2}a @ 0040002c/);
    expect(s).toMatch(/ > 0040002c {2}ori {5}a1,a1,0x9c/);

    keys('e');
    await until(/Break on \(for every environment/);
    keys('j', 'Space');
    await until(/\[x\] TLBL/);
    keys('Escape');
    await until(/\? help {2}q quit/);
    keys('c');
    s = await until(/■ breakpoint: exception TLBL at epc 0x[0-9a-f]{8} in a/);

    keys(':', 'break exc TLBL b', 'Enter');
    await until(/Breakpoint 2: exception TLBL in b/);
    keys('e', 'j', 'Space', 'Escape');
    keys('c');
    await until(/■ breakpoint: exception TLBL at epc 0x[0-9a-f]{8} in b/);

    keys('?');
    await until(/Keys \(from the command table\)/);
    keys('?');
    await until(/\? help {2}q quit/);

    keys(':', 'delete all', 'Enter', 'c');
    await until(/▶ running/);
    keys('q');
    await until(/The machine is running\. Quit\? \(y\/n\)/);
    keys('y');
    s = await until(/EXIT=0/);
    expect(s).not.toMatch(/q quit/);
  }, 120_000);

  it('forces a revocation on ExOS hog through the R dialog and shows the request and its answer in the log', async () => {
    const { keys, until } = terminal('revoke', 200, 60, 'revoke');
    await until(/paused: booted/);
    // The slice vector: hog's slot, a's two, b's five; the rest free.
    await until(/7 Slices {2}8 of 128 slots owned/);
    await until(/│ {2}0 12233333\.{24} +│/);

    // Run until hog has its pages and yields for the first time.
    keys(':', 'break event yield hog', 'Enter');
    await until(/Breakpoint 1: event yield in hog/);
    keys('c');
    await until(/■ breakpoint: event yield \(hog\)/);
    keys(':', 'delete all', 'Enter');
    await until(/Removed breakpoint 1/);

    // The dialog starts on the selected environment.
    keys(':', 'env hog', 'Enter', 'R');
    await until(/Revoke resources from hog/);
    await until(/hog has a revoke upcall at [0-9a-f]{8}: it chooses what to give back\./);
    keys('Enter', 'Enter', '4', 'Enter', '1000000', 'Enter');
    await until(/Revoke 4 frames from hog within 1,000,000 cycles\? \(y\/n, Backspace edits\)/);
    keys('y');
    await until(/Asked hog for 4 frames back by cycle [\d,]+/);
    await until(/revocation pending: 4 frames asked, 0 given back/);

    // Break when hog answers, or when the abort protocol takes them instead.
    keys('e');
    await until(/Revocation, repossession and the CPU/);
    keys(...Array<string>(13).fill('j'), 'Space', 'j', 'Space');
    await until(/\[x\] revoke-honoured[^\n]*\n[^\n]*\[x\] abort/);
    keys('Escape');
    await until(/\? help {2}q quit/);
    keys('/', 'kind:revoke kind:abort', 'Enter');
    await until(/5 Log {2}1 of [\d,]+ match kind:revoke kind:abort/);
    keys('c');
    await until(/■ breakpoint: event (revoke-honoured|abort) \(hog\)/);
    await until(/ hog +revoke-request +4 frames by cycle [\d,]+/);
    await until(/ hog +(revoke-honoured +4 frames given back|abort +took \d+ frames)/);

    keys('q');
    const s = await until(/EXIT=0/);
    expect(s).not.toMatch(/q quit/);
  }, 180_000);
});
