// The CLI's user-facing failure and its exit statuses, apart from run.ts so
// that main.ts can catch them without loading the machine (every command but
// the one asked for is loaded only when it runs).

/** Exit statuses of `exoscope run` (Mismatch: `--engine lockstep` found the translator and the interpreter apart). */
export const Exit = { Halted: 0, Failure: 1, BadInput: 2, NoHalt: 3, Mismatch: 4 } as const;

/** A user-facing failure: the message is printed as is, with this exit status. */
export class CliError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}
