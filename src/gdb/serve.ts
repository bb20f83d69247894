// Serving a Target to gdb until it goes: a session headless (exoscope
// gdbserver), a session beside the TUI (exoscope tui --gdb), a bare-metal
// program (exoscope run --gdb). The command lines themselves are in
// src/cli (gdb.ts, tui.ts, main.ts).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ElfError, Machine, parseElf } from '../emu/index.js';
import type { ExternalControl, Session, Stop } from '../session/index.js';
import { MachineTarget } from './machine-target.js';
import { GdbServer } from './server.js';
import { SessionTarget } from './session-target.js';
import type { Target } from './target.js';

/** Options of `serveSession`. */
export interface ServeOptions {
  readonly port: number;
  /** Stop on TLB faults the kernel dispatches to an environment, too. */
  readonly tlbFaults?: boolean;
  readonly stderr: (text: string) => void;
}

/**
 * How to start gdb for port `p` (README, "Debugging with gdb"): mips:3000
 * first, since the kernel's idle process has no program to say so, and
 * schedule-multiple on, since one CPU runs every environment.
 */
export const GDB_ARGS = (p: number): string => `-ex 'set architecture mips:3000' -ex 'target remote :${p}' -ex 'set schedule-multiple on'`;

/** The images of a scenario's environments by name, for qXfer:exec-file. */
export function imagePaths(sc: { environments: readonly { name: string; imagePath: string }[] }): Map<string, string> {
  return new Map(sc.environments.map((e) => [e.name, e.imagePath]));
}

/**
 * Serves `session` to one debugger on 127.0.0.1:`port`. Resolves with the
 * exit status once the debugger has gone (detach, kill or disconnect), or
 * 2 when the port cannot be opened.
 */
export async function serveSession(session: Session, images: ReadonlyMap<string, string>, o: ServeOptions): Promise<number> {
  return serve(new SessionTarget(session, { images, tlbFaults: o.tlbFaults }), o);
}

/** Serves `target` until its debugger goes; 2 when the port cannot be opened. */
async function serve(target: Target, o: Pick<ServeOptions, 'port' | 'stderr'>): Promise<number> {
  let gone!: () => void;
  const done = new Promise<void>((r) => { gone = r; });
  const server = new GdbServer(target, {
    port: o.port, log: (l) => o.stderr(`exoscope: ${l}\n`),
    onClient: (attached) => { if (!attached) gone(); },
  });
  try {
    const p = await server.listen();
    o.stderr(`exoscope: listening for gdb on 127.0.0.1:${p} (gdb-multiarch ${GDB_ARGS(p)})\n`);
  } catch (e) {
    o.stderr(`exoscope: cannot listen on 127.0.0.1:${o.port}: ${(e as Error).message}\n`);
    return 2;
  }
  await done;
  await server.close();
  return 0;
}

/** What the gdb wiring needs of the TUI's debugger (src/session's LiveDebugger has it). */
export interface ExternalDisplay {
  setExternal(label: string | undefined, control?: ExternalControl): void;
  externalRan(stop?: Pick<Stop, 'reason' | 'detail'>): void;
  /** Carries out the timeline steps that stopped gdb's run; the reason of a `break` among them. */
  externalTimeline(): string | undefined;
  /** Shows the session as it is now (while gdb runs it). */
  refresh(): void;
  /** Pauses the TUI's own run (gdb interrupted while it waited on it). */
  pause(detail?: string): unknown;
}

/** Redraws of the TUI a second while gdb runs the machine. */
const REFRESH_HZ = 10;

/**
 * `exoscope tui <scenario> --gdb N`: serves `session` to gdb while the TUI
 * shows it through `display` (the status line says whether gdb listens or
 * is attached). Both run and step the one machine, one run at a time: the
 * TUI shows gdb's runs and stops, and its pause interrupts gdb's run; gdb
 * hears of the TUI's runs through the target (SessionTarget.frontEndRan:
 * a continue of gdb's while the TUI runs waits for that run's stop).
 * Returns what stops the server, or a message when the port cannot be opened.
 */
export async function gdbBesideTui(session: Session, images: ReadonlyMap<string, string>, port: number, display: ExternalDisplay): Promise<{ close: () => Promise<void> } | string> {
  let lastRefresh = 0;
  const onChunk = () => {
    const now = performance.now();
    if (now - lastRefresh < 1000 / REFRESH_HZ) return;
    lastRefresh = now;
    display.refresh();
  };
  const target = new SessionTarget(session, {
    images, onRun: (stop) => display.externalRan(stop), onChunk, onTimeline: () => display.externalTimeline(),
    pauseFrontEnd: () => display.pause('paused by gdb'),
  });
  const show = (attached: boolean) => display.setExternal(attached ? 'gdb attached' : `gdb: listening on 127.0.0.1:${server.port}`, attached ? target : undefined);
  const server: GdbServer = new GdbServer(target, { port, log: () => {}, onClient: show });
  try {
    await server.listen();
  } catch (e) {
    return `exoscope: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`;
  }
  show(false);
  return { close: () => server.close() };
}

/** Options of `runElfGdb`. */
export interface RunGdbOptions {
  readonly port: number;
  readonly ramBytes?: number;
  readonly args?: readonly string[];
  /** Translated blocks (default true) or the interpreter alone (`--engine interpret`). */
  readonly translate?: boolean;
  readonly stdout: (bytes: Uint8Array) => void;
  readonly stderr: (text: string) => void;
}

/**
 * `exoscope run prog.elf --gdb N`: the bare-metal program, stopped before
 * its first instruction, served to a debugger; its console output goes to
 * stdout as it runs. Resolves with 0 when the debugger has gone, 2 for a
 * bad file or port.
 */
export async function runElfGdb(path: string, o: RunGdbOptions): Promise<number> {
  let m: Machine;
  let pending: Uint8Array[] = [];
  try {
    const elf = parseElf(new Uint8Array(readFileSync(path)), path);
    m = new Machine({ ramSize: o.ramBytes ?? 32 << 20, translate: o.translate, onConsole: (b) => pending.push(b) });
    m.load(elf, [path, ...(o.args ?? [])]);
  } catch (e) {
    if (e instanceof ElfError || e instanceof RangeError || (e as NodeJS.ErrnoException).code) {
      o.stderr(`exoscope: Cannot load ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  const flush = () => { if (pending.length) { o.stdout(Buffer.concat(pending)); pending = []; } };
  return serve(new MachineTarget(m, resolve(path), flush), o);
}
