// runTui on fake terminal streams: the alternate screen is entered, and left
// on every way out, with the right exit status.

import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTerminal, noTerminalMessage, runTui } from '../../src/tui/index.js';
import { fixtureSession, liveDebugger } from './fixtures/programs.js';
import { FakeStdin } from './fixtures/stdin.js';
import { waitFor } from './fixtures/wait.js';

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  text = '';
  constructor(public columns = 100, public rows = 30) { super(); }
  write(s: string | Uint8Array): boolean { this.text += String(s); return true; }
}


const ENTER = '\x1b[?1049h', LEAVE = '\x1b[?1049l';

/** Waits until the TUI has drawn `text` (the first run imports Ink and the panes) and reads keys (Ink listens once the App's effects ran). */
async function drawn(t: { stdout: FakeStdout; stdin: FakeStdin }, text = 'paused: booted'): Promise<void> {
  await waitFor(() => t.stdout.text.includes(text) && t.stdin.listenerCount('readable') > 0, `the TUI to draw ${JSON.stringify(text)} and read keys`, () => t.stdout.text);
}

function start(opts: { record?: (d: string) => void; env?: NodeJS.ProcessEnv; cols?: number; rows?: number } = {}) {
  const stdout = new FakeStdout(opts.cols, opts.rows), stdin = new FakeStdin();
  const session = fixtureSession();
  const done = runTui({ driver: liveDebugger(session), title: 'fake', stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, record: opts.record, env: opts.env ?? {} });
  return { stdout, stdin, session, done };
}

let restore: (() => void) | undefined;
afterEach(() => { restore?.(); restore = undefined; });

describe('runTui', () => {
  it('says why it needs a terminal', () => {
    expect(hasTerminal({ isTTY: true }, { isTTY: undefined })).toBe(false);
    expect(hasTerminal({ isTTY: true }, { isTTY: true })).toBe(true);
    expect(noTerminalMessage()).toMatch(/needs a terminal.*exoscope replay <scenario>/);
  });

  it('enters the alternate screen, draws, and on q leaves it with status 0', async () => {
    const recorded: string[] = [];
    const t = start({ record: (d) => recorded.push(d) });
    await drawn(t);
    t.stdin.type('q');
    expect(await t.done).toBe(0);
    expect(t.stdout.text.startsWith(ENTER)).toBe(true);
    expect(t.stdout.text.endsWith(LEAVE)).toBe(true);
    expect(t.stdout.text).toContain('fake │ ■ paused: booted');
    expect(recorded.join('')).toBe(t.stdout.text);
  });

  it('leaves the alternate screen on Ctrl-C (130) and on SIGTERM (143)', async () => {
    const a = start();
    await drawn(a);
    a.stdin.type('\x03');
    expect(await a.done).toBe(130);
    expect(a.stdout.text.endsWith(LEAVE)).toBe(true);
    const b = start();
    await drawn(b);
    process.emit('SIGTERM', 'SIGTERM');
    expect(await b.done).toBe(143);
    expect(b.stdout.text.endsWith(LEAVE)).toBe(true);
  });

  it('leaves the alternate screen after an uncaught exception, with status 1', async () => {
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const writes: string[] = [];
    const realErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { writes.push(String(s)); return true; }) as typeof process.stderr.write;
    restore = () => { process.stderr.write = realErr; for (const l of saved) process.on('uncaughtException', l); };
    const t = start();
    await drawn(t);
    t.session.run = () => { throw new Error('boom in a slice'); };
    t.stdin.type('c');
    expect(await t.done).toBe(1);
    expect(t.stdout.text.endsWith(LEAVE)).toBe(true);
    expect(writes.join('')).toMatch(/^exoscope: Error: boom in a slice/);
  });

  it('shows a message instead of panes in a terminal smaller than 80x24', async () => {
    const t = start({ cols: 70, rows: 20 });
    await drawn(t, 'make it at least');
    t.stdin.type('q');
    expect(await t.done).toBe(0);
    expect(t.stdout.text).toContain('This one is 70x20; make it at least 80x24.');
  });

  it('redraws at a new size after a resize', async () => {
    const t = start({ cols: 100, rows: 30 });
    await drawn(t);
    t.stdout.columns = 200;
    t.stdout.rows = 60;
    const before = t.stdout.text.length;
    t.stdout.emit('resize');
    await waitFor(() => t.stdout.text.slice(before).includes('╭'), 'the frame at 200x60', () => t.stdout.text.slice(before));
    t.stdin.type('q');
    expect(await t.done).toBe(0);
    expect(t.stdout.text).toContain('╭');
  });
});
