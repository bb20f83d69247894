// Only the changed lines of a frame reach the terminal.
//
// Ink runs in its debug mode into a FrameStdout: every write is one whole
// frame (its rows joined by "\n"), handed over as soon as React commits.
// The FrameStdout compares it with the frame on screen and writes each row
// that differs at its absolute place (CUP, the row, EL), inside a
// synchronized update so the terminal shows the frame whole or not at all.
//
// Not Ink's own incrementalRendering: Ink 6.8's log-update moves the
// cursor back up one row too few whenever a frame ends with the newline it
// adds below every frame shorter than the terminal (it writes
// cursorUp(lines - 1) where lines + 1 rows were walked). Each frame then
// lands one row lower than the last; in an alternate screen whose frame is
// rows - 1 high the first frame's top line stays on screen and the tab bar
// is pushed off (tried in tmux at 120x40; test/tui/screen.test.ts replays
// it in @xterm/headless). Absolute addressing does not depend on where the
// cursor was left, so it cannot drift.

import { EventEmitter } from 'node:events';
import { frameUpdate } from '../session/index.js';

/** Begin and end synchronized update (DEC private mode 2026): terminals that lack it ignore both. */
const BSU = '\x1b[?2026h', ESU = '\x1b[?2026l';

/**
 * The bytes that turn `shown` (the rows on screen; undefined: unknown, so
 * the screen is cleared first) into `next`, at most `rows` rows: each row
 * that differs is rewritten where it is. '' when nothing changed.
 */
export function screenUpdate(shown: readonly string[] | undefined, next: readonly string[]): string {
  const out = frameUpdate(shown, next);
  return out === '' ? '' : BSU + out + ESU;
}

/** The terminal a FrameStdout draws on: a stream with a size that may change. */
export interface Terminal {
  readonly columns: number;
  readonly rows: number;
  write(data: string): boolean;
  on(event: 'resize', fn: () => void): unknown;
  off(event: 'resize', fn: () => void): unknown;
}

/**
 * The stdout Ink renders into (in debug mode): each write is a whole frame,
 * of which only the changed rows go on to `terminal`. A resize forgets
 * what is on screen, so the next frame is drawn whole on a cleared screen.
 */
export class FrameStdout extends EventEmitter {
  readonly isTTY = true;
  private shown: string[] | undefined;
  /** Frames received, and bytes written to the terminal (for bench/tui.mjs). */
  frames = 0;
  bytes = 0;

  constructor(private readonly terminal: Terminal) {
    super();
    terminal.on('resize', this.resized);
  }

  get columns(): number { return this.terminal.columns; }
  get rows(): number { return this.terminal.rows; }

  /** The rows of the last frame drawn (undefined before the first or after a resize). */
  get screen(): readonly string[] | undefined { return this.shown; }

  write(data: string | Uint8Array): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    // Ink writes '' when it "clears" after the terminal narrowed; that is no frame.
    if (text === '') return true;
    const next = text.split('\n').slice(0, Math.max(1, this.rows));
    const update = screenUpdate(this.shown, next);
    this.shown = next;
    this.frames++;
    if (update === '') return true;
    this.bytes += update.length;
    return this.terminal.write(update);
  }

  /** Stops following the terminal's size. */
  detach(): void {
    this.terminal.off('resize', this.resized);
  }

  private resized = (): void => {
    this.shown = undefined;
    this.emit('resize');
  };
}
