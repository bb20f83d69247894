// `exoscope gdbserver <scenario> --port N`: a scenario's session served to
// gdb, headless (src/gdb). The scenario plays as replay plays it: its
// breakpoints are set, its machine actions fire at their triggers, its
// `break`, `key` and `pause` steps are only noted, and its run limit stops
// gdb's run (SIGTRAP, with the reason in gdb's console).

import { Command, InvalidArgumentError } from 'commander';
import type { ScenarioRun } from '../session/index.js';
import { CliError } from './errors.js';

/** Options of `gdbserverCommand`. */
export interface GdbServerCliOptions {
  readonly port: number;
  /** Cycles between the session's checkpoints (how far a step back replays at most; default 500,000). */
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

/**
 * Loads scenario `file` and serves its session until the debugger goes;
 * returns the exit status (2 for a bad scenario or port). A breakpoint the
 * session cannot set is a warning on stderr.
 */
export async function gdbserverCommand(file: string, o: GdbServerCliOptions): Promise<number> {
  // Loaded here, not at the top: `exoscope replay` and the rest need none of it.
  const [{ serveSession, imagePaths }, { CHECKPOINT_EVERY, ScenarioError, ScenarioRun, sessionFromScenario }, { openScenario }] =
    await Promise.all([import('../gdb/index.js'), import('../session/index.js'), import('./open.js')]);
  let run: ScenarioRun, images: Map<string, string>;
  try {
    const sc = openScenario(file);
    run = new ScenarioRun(sessionFromScenario(sc, { checkpointEvery: o.checkpointEvery ?? CHECKPOINT_EVERY }), sc);
    images = imagePaths(sc);
  } catch (e) {
    if (e instanceof CliError) { o.stderr(`${e.message}\n`); return e.status; }
    if (e instanceof ScenarioError) { o.stderr(`${e.message}\n`); return 2; }
    throw e;
  }
  for (const f of run.failures) o.stderr(`warning: ${f}\n`);
  try {
    return await serveSession(run.session, images, o);
  } finally {
    run.dispose();
  }
}

/** Adds `gdbserver` to `program`; `setStatus` receives the exit status. */
export function addGdbServerCommand(program: Command, stderr: (t: string) => void, setStatus: (n: number) => void): void {
  program.command('gdbserver')
    .description("serve a scenario's session to gdb (the GDB remote protocol on 127.0.0.1), headless")
    .argument('<scenario>', 'a scenario file')
    .requiredOption('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one and prints it)', port)
    // The default is the session's (CHECKPOINT_EVERY), in words: this module is loaded at every start, the session only by the command.
    .option('--checkpoint-every <cycles>', "cycles between checkpoints: a step back replays at most this far (default 500,000, the session's)", positiveInt)
    .option('--tlb-faults', 'also stop (SIGSEGV) on TLB faults the kernel hands to an environment')
    .action(async (file: string, opts: { port: number; checkpointEvery?: number; tlbFaults?: boolean }) => {
      setStatus(await gdbserverCommand(file, { ...opts, stderr }));
    });
}
