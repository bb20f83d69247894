// The real program in a real terminal: tmux runs the TUI on the fixture
// session (pager "a", endless walker "b"); keys go in with send-keys and the
// screen comes back with capture-pane. CI is unset for the program: Ink in
// CI mode draws only its last frame.

import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `exoscope-e2e-${process.pid}`;
const SESSION = 'tui';

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...ks: string[]) => tmux('send-keys', '-t', SESSION, ...ks);

/** Waits until the screen matches `re`; fails with the screen when it does not within `ms`. */
async function until(re: RegExp, ms = 15_000): Promise<string> {
  let s = '';
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    s = screen();
    if (re.test(s)) return s;
  }
  throw new Error(`The screen never showed ${re}:\n${s}`);
}

describe.skipIf(!hasTmux)(`exoscope tui in tmux${hasTmux ? '' : ' (skipped: tmux is not installed)'}`, () => {
  afterAll(() => { if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']); });

  it('steps, breaks on a TLB miss, continues, shows help and quits', async () => {
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-c', ROOT,
      'env -u CI -u CONTINUOUS_INTEGRATION node --import tsx test/tui/fixtures/tui-entry.ts; echo EXIT=$?; sleep 60');
    let s = await until(/paused: booted/);
    expect(s.split('\n')[1]).toMatch(/^ 1 CPU {2}2 TLB/);

    keys('s');
    await until(/■ step: stepped 1 .*insn 1 {2}a @ 00400004/);
    keys('1', '0', 's');
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
});
