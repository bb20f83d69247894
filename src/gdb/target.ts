// The one place src/gdb touches the session. The protocol code (stub.ts)
// sees only the Target interface below; SessionTarget implements it over a
// Session. Environments are GDB threads (their thread id is the
// environment id); the kernel's idle loop is one more thread, IDLE_TID
// (65535, the id the frame table gives the kernel as owner). With GDB's
// multiprocess extensions each thread is also a process of its own (an
// environment is an address space with one thread), its process id the
// same number: stub.ts spells thread 2 `p2.2`.

import { ExcCode } from '../emu/index.js';

/** The thread id of the kernel's idle loop (no environment on the CPU). */
export const IDLE_TID = 0xffff;

/** One thread as GDB lists it. */
export interface ThreadInfo {
  readonly tid: number;
  readonly name: string;
  /** Words for qThreadExtraInfo, after the name: "environment 2, runnable". */
  readonly state: string;
}

/** Watchpoint kinds (Z2 write, Z3 read, Z4 access). */
export type WatchKind = 'write' | 'read' | 'access';

/** Why the target stopped, in the terms of a T stop reply. */
export interface StopInfo {
  /** The thread that stopped. */
  readonly tid: number;
  /** POSIX-style signal number GDB understands (SIGTRAP 5, SIGINT 2, SIGILL 4, SIGSEGV 11, ...). */
  readonly signal: number;
  readonly reason?:
    | { readonly kind: 'swbreak' }
    | { readonly kind: 'watch'; readonly watch: WatchKind; readonly addr: number }
    | { readonly kind: 'replaylog' };
  /** Text for the debugger's console (O packets): what the session says happened. */
  readonly message?: string;
  /**
   * The process of thread `tid` ended (W or X reply): it exited with a
   * code, or was ended by the kernel (`signal`). For the idle thread: no
   * environment is left at all.
   */
  readonly exited?: { readonly code: number } | { readonly signal: number };
}

/** What to do next. */
export interface Resume {
  readonly kind: 'continue' | 'step' | 'reverse-step' | 'reverse-continue';
  readonly tid?: number;
  /** Stop when any environment ends, naming it (GDB's multiprocess extensions: each is a process GDB must see exit). */
  readonly exits?: boolean;
}

/**
 * What the GDB stub needs from a target. All addresses are virtual, in the
 * address space of the thread named. Nothing here throws for a guest
 * reason: an unmapped address is `undefined` or false.
 */
export interface Target {
  threads(): ThreadInfo[];
  /** The thread on the CPU now. */
  currentThread(): number;
  /** Registers 0..37 of thread `tid` (undefined where not known). */
  readRegisters(tid: number): (number | undefined)[];
  /** Writes register n (0..37) of thread `tid`; false when it cannot be written. */
  writeRegister(tid: number, n: number, value: number): boolean;
  readMemory(tid: number, addr: number, length: number): Uint8Array | undefined;
  writeMemory(tid: number, addr: number, bytes: Uint8Array): boolean;
  /**
   * A breakpoint (software and hardware are the same to the emulator) in
   * thread `tid`'s address space (every one when undefined); false when refused.
   */
  setBreakpoint(addr: number, on: boolean, tid?: number): boolean;
  /** A watchpoint in thread `tid`'s address space (every one when undefined). */
  setWatchpoint(kind: WatchKind, addr: number, length: number, on: boolean, tid?: number): boolean;
  /** Starts `how`; calls `done` once when the target stops. Precondition: not already running. */
  resume(how: Resume, done: (stop: StopInfo) => void): void;
  /** Makes a running resume stop soon (SIGINT); nothing when stopped. */
  interrupt(): void;
  readonly running: boolean;
  /** The host path of thread `tid`'s program image, if known. */
  execFile(tid: number): string | undefined;
  /**
   * The debugger went away: forget its breakpoints and watchpoints, stop
   * running. With `tid`: it stopped debugging that thread's process only
   * (forget the breakpoints and watchpoints in its address space).
   */
  detach(tid?: number): void;
  /** Ends thread `tid`'s process (GDB's kill); false when it cannot be ended. Optional: without it kill detaches. */
  kill?(tid: number): boolean;
  /** Whether reverse execution is possible at all (the session keeps checkpoints). */
  readonly canReverse: boolean;
}

export const Signal = { INT: 2, ILL: 4, TRAP: 5, FPE: 8, KILL: 9, SEGV: 11 } as const;

/** The signal GDB is told for an exception code the environment took. */
export function signalOf(code: number): number {
  switch (code) {
    case ExcCode.RI: case ExcCode.CpU: return Signal.ILL;
    case ExcCode.Ov: return Signal.FPE;
    case ExcCode.Bp: return Signal.TRAP;
    default: return Signal.SEGV;
  }
}
