// `exoscope gdbserver <scenario> --port N`: a scenario's session served to
// GDB, headless. Kept here, apart from src/cli.ts, so the command-line
// layout can change around it: the CLI calls `addGdbServerCommand`.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ElfError, Machine, parseElf } from '../emu/index.js';
import { MachineTarget } from './machine-target.js';
import type { Target } from './target.js';
import { loadScenario, ScenarioError, sessionFromScenario, toBreakpoint, type Session, type Stop } from '../session/index.js';
import { GdbServer } from './server.js';
import { SessionTarget } from './session-target.js';

/** Options of `gdbserverCommand`. */
export interface GdbServerCliOptions {
  readonly port: number;
  /** Cycles between the session's checkpoints (how far a step back replays at most). */
  readonly checkpointEvery?: number;
  /** Stop on TLB faults the kernel dispatches to an environment, too. */
  readonly tlbFaults?: boolean;
  readonly stderr: (text: string) => void;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a TCP port (0-65535; 0 picks a free one)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** The images of a scenario's environments by name, for qXfer:exec-file. */
export function imagePaths(sc: { environments: readonly { name: string; imagePath: string }[] }): Map<string, string> {
  return new Map(sc.environments.map((e) => [e.name, e.imagePath]));
}

/**
 * Serves `session` to one debugger on 127.0.0.1:`port`. Resolves with the
 * exit status once the debugger has gone (detach, kill or disconnect), or
 * 2 when the port cannot be opened.
 */
export async function serveSession(session: Session, images: ReadonlyMap<string, string>, o: GdbServerCliOptions): Promise<number> {
  return serve(new SessionTarget(session, { images, tlbFaults: o.tlbFaults }), o);
}

/** Serves `target` until its debugger goes; 2 when the port cannot be opened. */
async function serve(target: Target, o: Pick<GdbServerCliOptions, 'port' | 'stderr'>): Promise<number> {
  let gone!: () => void;
  const done = new Promise<void>((r) => { gone = r; });
  const server = new GdbServer(target, {
    port: o.port, log: (l) => o.stderr(`exoscope: ${l}\n`),
    onClient: (attached) => { if (!attached) gone(); },
  });
  try {
    const p = await server.listen();
    o.stderr(`exoscope: listening for gdb on 127.0.0.1:${p} (gdb-multiarch -ex 'target remote :${p}')\n`);
  } catch (e) {
    o.stderr(`exoscope: cannot listen on 127.0.0.1:${o.port}: ${(e as Error).message}\n`);
    return 2;
  }
  await done;
  await server.close();
  return 0;
}

/** `exoscope gdbserver`: loads the scenario and serves its session until the debugger goes. */
export async function gdbserverCommand(file: string, o: GdbServerCliOptions): Promise<number> {
  let session: Session, images: Map<string, string>;
  try {
    const sc = loadScenario(file);
    session = sessionFromScenario(sc, { checkpointEvery: o.checkpointEvery ?? 500_000 });
    for (const b of sc.breakpoints) { const bp = toBreakpoint(session, b); if (bp) session.addBreakpoint(bp); }
    session.playTimeline(sc.timeline);
    images = imagePaths(sc);
  } catch (e) {
    if (e instanceof ScenarioError) { o.stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  return serveSession(session, images, o);
}

/** What the gdb wiring needs of a TUI's driver (src/tui's Driver has it). */
export interface DebuggerDisplay {
  setDebugger(label: string | undefined, control?: { readonly running: boolean; interrupt(): void }): void;
  debuggerRan(stop?: { readonly reason: Stop['reason']; readonly detail: string }): void;
  /** Shows the session as it is now (while gdb runs it). */
  refresh(): void;
}

/** Redraws of the TUI a second while gdb runs the machine. */
const REFRESH_HZ = 10;

/**
 * `exoscope tui <scenario> --gdb N`: serves `session` to gdb while the TUI
 * shows it. Returns what the TUI calls with its driver (the status line
 * says whether gdb is attached; while it is, gdb runs the machine, and the
 * TUI's pause interrupts it), and what stops the server; or a message
 * when the port cannot be opened.
 */
export async function gdbBesideTui(session: Session, images: ReadonlyMap<string, string>, port: number): Promise<{ onDriver: (d: DebuggerDisplay | undefined) => void; close: () => Promise<void> } | string> {
  let display: DebuggerDisplay | undefined;
  let label = '';
  let lastRefresh = 0;
  const onChunk = () => {
    const now = performance.now();
    if (now - lastRefresh < 1000 / REFRESH_HZ) return;
    lastRefresh = now;
    display?.refresh();
  };
  const target = new SessionTarget(session, { images, onRun: (stop) => display?.debuggerRan(stop), onChunk });
  const show = (attached: boolean) => { label = attached ? 'gdb attached' : `gdb: listening on 127.0.0.1:${server.port}`; display?.setDebugger(label, attached ? target : undefined); };
  const server: GdbServer = new GdbServer(target, { port, log: () => {}, onClient: show });
  try {
    await server.listen();
  } catch (e) {
    return `exoscope: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`;
  }
  show(false);
  return { onDriver: (d) => { display = d; show(server.attached); }, close: () => server.close() };
}

/** Options of `runElfGdb`. */
export interface RunGdbOptions {
  readonly port: number;
  readonly ramBytes?: number;
  readonly args?: readonly string[];
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
    m = new Machine({ ramSize: o.ramBytes ?? 32 << 20, onConsole: (b) => pending.push(b) });
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

/**
 * Adds `gdbserver` to `program`. `locate` finds a bundled scenario;
 * `setStatus` receives the exit status.
 */
export function addGdbServerCommand(program: Command, locate: (f: string) => string, stderr: (t: string) => void, setStatus: (n: number) => void): void {
  program.command('gdbserver')
    .description("serve a scenario's session to gdb (the GDB remote protocol on 127.0.0.1), headless")
    .argument('<scenario>', 'a scenario file')
    .requiredOption('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one and prints it)', port)
    .option('--checkpoint-every <cycles>', 'cycles between checkpoints: a step back replays at most this far', positiveInt, 500_000)
    .option('--tlb-faults', 'also stop (SIGSEGV) on TLB faults the kernel hands to an environment')
    .action(async (file: string, opts: { port: number; checkpointEvery: number; tlbFaults?: boolean }) => {
      setStatus(await gdbserverCommand(locate(file), { ...opts, stderr }));
    });
}
