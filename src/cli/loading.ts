// What a person sees while `exoscope tui` starts: the alternate screen with
// the scenario's name and the steps of the start, each as it begins
// (loading exoscope, reading the scenario, booting the machine, loading
// the TUI), before the machine and the TUI are even loaded. The TUI's first
// frame then replaces it (runTui's `onAltScreen`), drawn in one
// synchronized update, so the screen is never blank. This module imports
// nothing but Node's own, so that main.ts can draw it within a few
// milliseconds of Node starting.

const ENTER_ALT = '\x1b[?1049h', LEAVE_ALT = '\x1b[?1049l';
const HIDE_CURSOR = '\x1b[?25l', SHOW_CURSOR = '\x1b[?25h';
/** Begin and end synchronized update (as src/tui/screen.ts). */
const BSU = '\x1b[?2026h', ESU = '\x1b[?2026l';
const BOLD = '\x1b[1m', DIM = '\x1b[2m', NORMAL = '\x1b[22m';

/** The exit statuses of the signals that end a start (128 + the signal's number). */
const SIGNAL_STATUS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** Where the loading screen is drawn: a terminal's stdout. */
export interface LoadingTerminal {
  readonly columns: number;
  write(data: string): boolean;
}

/**
 * The loading screen; see the file comment. Each step() redraws it with
 * the steps so far, the last one under way; leave() puts the terminal
 * back when the TUI will not start (an error), handOver() when the TUI
 * takes the screen over.
 */
export class LoadingScreen {
  private readonly steps: { text: string; at: number }[] = [];
  private on = false;
  private readonly signals = Object.entries(SIGNAL_STATUS).map(([sig, status]) => [sig, () => { this.leave(); process.exit(status); }] as const);
  private readonly atExit = () => this.leave();

  /** `title`: what the status line names (the scenario, once known: retitle). */
  constructor(private title: string, private readonly out: LoadingTerminal = process.stdout, private readonly now: () => number = () => performance.now()) {}

  /** Shows `text` as the step under way (the one before it done), switching to the alternate screen the first time. */
  step(text: string): void {
    if (!this.on) {
      this.on = true;
      this.out.write(ENTER_ALT + HIDE_CURSOR);
      for (const [sig, fn] of this.signals) process.on(sig, fn);
      process.on('exit', this.atExit);
    }
    this.steps.push({ text, at: this.now() });
    this.draw();
  }

  /** Names the scenario on the status line from now on. */
  retitle(title: string): void {
    this.title = title;
  }

  /** The screen's rows now: the status line, then each step, done or under way, with the milliseconds it took. */
  lines(): string[] {
    const width = Math.max(20, this.out.columns || 80);
    const rows = [`${BOLD}${clip(`${this.title} │ starting`, width)}${NORMAL}`, ''];
    this.steps.forEach((s, i) => {
      const next = this.steps[i + 1];
      rows.push(next ? `  ✓ ${clip(s.text, width - 14)} ${DIM}${Math.round(next.at - s.at)} ms${NORMAL}` : `  … ${clip(s.text, width - 4)}`);
    });
    return rows;
  }

  private draw(): void {
    const rows = this.lines();
    this.out.write(BSU + '\x1b[2J' + rows.map((r, i) => `\x1b[${i + 1};1H${r}\x1b[K`).join('') + ESU);
  }

  /** Leaves the alternate screen, if it was entered, and forgets the signals. */
  leave(): void {
    if (this.on) this.out.write(SHOW_CURSOR + LEAVE_ALT);
    this.handOver();
  }

  /** The TUI has the screen now (it leaves the alternate screen itself): forgets the signals. */
  handOver(): void {
    this.on = false;
    for (const [sig, fn] of this.signals) process.off(sig, fn);
    process.off('exit', this.atExit);
  }

  /** Whether the alternate screen is the loading screen's now. */
  get shown(): boolean {
    return this.on;
  }
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
