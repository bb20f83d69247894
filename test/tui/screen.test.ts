// Only changed rows reach the terminal (src/tui/screen.ts), and the screen
// is still right: the real renderer (runTui, Ink, the panes) drives a
// terminal emulator (@xterm/headless) through many frames, and what it
// shows is compared with the same frame drawn whole on a cleared screen.

import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { runTui } from '../../src/tui/index.js';
import { FrameStdout, screenUpdate } from '../../src/tui/screen.js';
import { fixtureSession, liveDebugger } from './fixtures/programs.js';
import { FakeStdin } from './fixtures/stdin.js';
import { waitFor } from './fixtures/wait.js';

/** A terminal emulator of `cols` x `rows` as a stdout; `also` sees the same bytes from when it is set. */
class XtermStdout extends EventEmitter {
  readonly isTTY = true;
  readonly term: xterm.Terminal;
  also: xterm.Terminal | undefined;
  writes: string[] = [];
  private pending = Promise.resolve();
  constructor(readonly columns: number, readonly rows: number) {
    super();
    this.term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true });
  }
  write(d: string | Uint8Array): boolean {
    const s = String(d);
    this.writes.push(s);
    for (const t of [this.term, this.also]) if (t) this.pending = this.pending.then(() => new Promise<void>((r) => t.write(s, r)));
    return true;
  }
  /** Resolves when the emulators have taken every byte so far. */
  flushed(): Promise<void> { return this.pending; }
}


/** The emulator's screen, one string per row, trailing blanks dropped. */
function rowsOf(t: xterm.Terminal): string[] {
  const b = t.buffer.active;
  return Array.from({ length: t.rows }, (_, i) => b.getLine(b.viewportY + i)!.translateToString(true));
}

/** Waits until `out` was written what `ok` wants; fails after 20 s saying `what`, with the last write. */
const until = (out: XtermStdout, ok: () => boolean, what: string) => waitFor(ok, what, () => out.writes.at(-1) ?? '');
const CUP = /\x1b\[\d+;1H/g;

describe('screenUpdate', () => {
  it('writes nothing for an unchanged frame and only the rows that changed otherwise', () => {
    const a = ['status', 'tabs', 'one', 'two'];
    expect(screenUpdate(a, a)).toBe('');
    const u = screenUpdate(a, ['status', 'tabs', 'ONE', 'two']);
    expect(u.match(CUP)).toEqual(['\x1b[3;1H']);
    expect(u).toContain('ONE\x1b[K');
  });

  it('clears the screen first when it does not know what is on it, and blanks rows a shorter frame leaves', () => {
    expect(screenUpdate(undefined, ['a', 'b'])).toContain('\x1b[2J');
    expect(screenUpdate(['a', 'b', 'c'], ['a', 'b'])).toContain('\x1b[3;1H\x1b[K');
  });
});

describe('FrameStdout', () => {
  it('draws the next frame whole on a cleared screen after a resize', () => {
    const term = Object.assign(new EventEmitter(), { columns: 80, rows: 24, out: '', write(s: string) { this.out += s; return true; } });
    const fs = new FrameStdout(term);
    fs.write('a\nb');
    fs.write('a\nc');
    expect(term.out.match(CUP)!.length).toBe(3);
    term.emit('resize');
    term.out = '';
    fs.write('a\nc');
    expect(term.out).toContain('\x1b[2J');
    expect(term.out.match(CUP)!.length).toBe(2);
    fs.detach();
  });
});

describe('the TUI on a terminal emulator', () => {
  for (const [cols, rows] of [[80, 24], [120, 40], [160, 50]] as const) {
    it(`at ${cols}x${rows}, after many frames, shows exactly the frame drawn whole`, async () => {
      const out = new XtermStdout(cols, rows), stdin = new FakeStdin();
      const done = runTui({ driver: liveDebugger(fixtureSession()), title: 'fake', stdout: out as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, env: {} });
      // Ink reads keys once the App's effects ran.
      await until(out, () => out.writes.join('').includes('paused: booted') && stdin.listenerCount('readable') > 0, 'the first frame');
      const first = out.writes.length;
      // Run, move the focus about and pause: frames of every kind. Each key
      // changes the screen: the next key waits for the frame that does.
      for (const k of ['c', '\t', '2', '\t', '5', '3', ' ', 'c']) {
        const n = out.writes.length;
        stdin.type(k);
        await until(out, () => out.writes.length > n, `the frame after the key ${JSON.stringify(k)}`);
      }
      const paused = out.writes.length;
      stdin.type(' ');
      // The pause's frame is the last: the machine stopped, and nothing else draws.
      await until(out, () => out.writes.slice(paused).join('').includes('paused by you'), 'the pause');
      await out.flushed();
      const updates = out.writes.slice(first);
      expect(updates.length).toBeGreaterThan(4);
      const shown = rowsOf(out.term);
      // The same frame drawn whole: a resize (to the same size) makes the next frame start from a cleared screen.
      const whole = new xterm.Terminal({ cols, rows, allowProposedApi: true });
      out.also = whole;
      const resized = out.writes.length;
      out.emit('resize');
      await until(out, () => out.writes.length > resized, 'the frame after the resize');
      await out.flushed();
      expect(shown).toEqual(rowsOf(whole));
      expect(shown[0]).toMatch(/■ paused: paused by you/);
      if (cols < 160) expect(shown[1]).toMatch(/^ 1 CPU  2 TLB/);
      // Only changed rows were written: some updates leave rows alone.
      expect(updates.some((u) => (u.match(CUP) ?? []).length < rows - 1)).toBe(true);
      stdin.type('q');
      expect(await done).toBe(0);
    }, 30_000);
  }
});
