// The size of the suite's big randomized loops. `npm test` runs a small
// seeded slice of each (the same slice every run); `npm run fuzz` sets
// EXOSCOPE_FUZZ=full and runs them at full size. README.md, "Tests".

/** True under EXOSCOPE_FUZZ=full (npm run fuzz). */
export const FULL = process.env.EXOSCOPE_FUZZ === 'full';

/** `full` iterations under EXOSCOPE_FUZZ=full, else `slice`. */
export function scaled(full: number, slice: number): number {
  return FULL ? full : slice;
}

/** A count for a test's title: 100000 -> "100,000". */
export const count = (n: number) => n.toLocaleString('en-US');

/** A timeout in ms for a loop of this size: `ms` for the slice, scaled up with it at full size. */
export function timeoutFor(full: number, slice: number, ms: number): number {
  return FULL ? Math.ceil((ms * full) / slice) : ms;
}
