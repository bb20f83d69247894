// What the kernel can accept, checked before it acts (docs/protection.md): an image's
// segments lie in the user image area, an environment's name and arguments
// fit its info page, the frames and time slices a new environment needs are
// free, and a clock tick is long enough for a slice to run anything. The
// kernel refuses a creation it cannot carry out with an `env-create-failed`
// event and an EnvCreateError, having changed nothing; the scenario schema
// applies the input checks itself, so a bad file is refused with its file,
// line and field before the machine boots.

import { ARGV_MAX, Info, Layout, SLICES } from './abi.js';
import { Costs } from './costs.js';
import type { EnvImage, Kernel } from './kernel.js';

/**
 * The shortest clock tick the kernel runs with, in cycles: ten times its
 * own work at a slice boundary (the clock interrupt, a context switch and
 * the prologue upcall, costs.ts), so that an environment gets most of
 * every tick. A tick that rounds to 0 cycles would end every slice before
 * its first instruction.
 */
export const MIN_TICK_CYCLES = 10 * (Costs.CLOCK_INTERRUPT + Costs.CONTEXT_SWITCH + Costs.UPCALL);

/** Bytes of the info page the argument strings may take (Info.ARGS to the end of the page). */
export const ARGS_SPACE = Layout.PAGE - Info.ARGS;

/**
 * Console text kept per environment (and by the monolithic kernel's
 * session), in characters: the last CONSOLE_KEEP at least, at most twice
 * that. A guest may print forever (1,024 bytes a cputs); kept whole, the
 * text reached V8's longest string (about 2^29 characters) and the append
 * threw, ending the session. What is dropped was reported as it was
 * written (a `console` event each cputs; the replay's log holds it all).
 */
export const CONSOLE_KEEP = 1 << 20;
/** The line a console's kept text starts with once output has been dropped. */
export const CONSOLE_DROPPED = `[exoscope: earlier console output dropped; the last ${CONSOLE_KEEP / 1024} KiB are kept]\n`;

/**
 * `text` with `add` appended, its start dropped (and CONSOLE_DROPPED put
 * first) when it passes twice CONSOLE_KEEP: the copy happens once a
 * mebibyte of output, and the result depends only on what was written.
 */
export function appendConsole(text: string, add: string): string {
  const t = text + add;
  return t.length <= 2 * CONSOLE_KEEP ? t : CONSOLE_DROPPED + t.slice(-CONSOLE_KEEP);
}

/** What a failed console expectation adds when the console's start was dropped (appendConsole); '' when nothing was. */
export function consoleDroppedNote(text: string): string {
  return text.startsWith(CONSOLE_DROPPED) ? ` (the console keeps its last ${CONSOLE_KEEP / 1024} KiB or more: earlier output was dropped)` : '';
}

/** Thrown by Kernel.createEnv when it cannot create the environment; the kernel has emitted `env-create-failed`. */
export class EnvCreateError extends RangeError {
  override readonly name = 'EnvCreateError';

  constructor(readonly envName: string, readonly reason: string) {
    super(`Cannot create environment ${envName}: ${reason}`);
  }
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/** Why `image` cannot run in an environment (a segment outside the user image area), or undefined. */
export function imageProblem(image: EnvImage): string | undefined {
  for (const seg of image.segments) {
    const start = seg.vaddr >>> 0, end = start + seg.memsz;
    if (start < Layout.PAGE || end > Layout.FRAMES) {
      return `the segment at ${hex(start)} (${seg.memsz} bytes) is outside the user image area ${hex(Layout.PAGE)}..${hex(Layout.FRAMES)}`;
    }
    if (seg.data.length > seg.memsz) return `the segment at ${hex(start)} has ${seg.data.length} bytes of data for ${seg.memsz} in memory`;
  }
  return undefined;
}

/** The number of distinct pages `image`'s segments cover (the frames loading it takes). */
export function imagePages(image: EnvImage): number {
  const pages = new Set<number>();
  for (const seg of image.segments) {
    const start = seg.vaddr >>> 0, end = start + seg.memsz;
    for (let vpn = start >>> 12; vpn < Math.ceil(end / Layout.PAGE); vpn++) pages.add(vpn);
  }
  return pages.size;
}

/** Bytes the argument strings of `name` and `args` take in the info page, NULs included. */
export function argsBytes(name: string, args: readonly string[]): number {
  return [name, ...args].reduce((n, a) => n + Buffer.byteLength(a, 'latin1') + 1, 0);
}

/** Why `name` and `args` do not fit the info page (too many, too long), or undefined. */
export function argsProblem(name: string, args: readonly string[]): string | undefined {
  if (args.length + 1 > ARGV_MAX) return `${args.length} arguments, at most ${ARGV_MAX - 1} fit beside the name`;
  const bytes = argsBytes(name, args);
  if (bytes > ARGS_SPACE) return `the name and arguments take ${bytes} bytes, the info page holds ${ARGS_SPACE}`;
  return undefined;
}

/** Why a clock of `cpuHz` with `tickHz` interrupts a second gives a tick too short to run in, or undefined. */
export function tickProblem(cpuHz: number, tickHz: number): string | undefined {
  const cycles = Math.round(cpuHz / tickHz);
  if (cycles >= MIN_TICK_CYCLES) return undefined;
  return `a clock of ${cpuHz} Hz ticking ${tickHz} times a second gives ${cycles}-cycle ticks, shorter than the ${MIN_TICK_CYCLES} a slice needs (at least ${MIN_TICK_CYCLES * tickHz} Hz)`;
}

/**
 * Why `k` cannot create an environment from `image` with `args` and
 * `slices` time slices now, or undefined: the image or the arguments are
 * bad, or the frames (image, stack, info and repossession pages) or the
 * free slices are not there.
 */
export function creationProblem(k: Kernel, image: EnvImage, name: string, args: readonly string[], slices: number): string | undefined {
  const bad = imageProblem(image) ?? argsProblem(name, args);
  if (bad) return bad;
  if (!Number.isInteger(slices) || slices < 0 || slices > SLICES) return `${slices} time slices asked for, 0 to ${SLICES} can be`;
  const frames = imagePages(image) + Layout.STACK_PAGES + 2;
  const free = k.frames.freeCount();
  if (frames > free) return `it needs ${frames} frames and ${free} are free`;
  const freeSlots = k.slices.owner.reduce((n, o) => n + (o === 0 ? 1 : 0), 0);
  if (slices > freeSlots) return `it needs ${slices} time slice${slices === 1 ? '' : 's'} and ${freeSlots} ${freeSlots === 1 ? 'is' : 'are'} free`;
  return undefined;
}
