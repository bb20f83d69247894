// The monolithic baseline kernel (src/mono) seen from the debugger. Its
// counters are ordinary C globals in the guest's memory: this module finds
// them by name in the kernel's ELF symbol table and reads them from RAM,
// so the events shown are what the kernel itself counted; nothing here
// models or charges the kernel's work. `measureMono` runs a benchmark and
// returns the windows between its two null system calls (bench.h's
// bench_mark), found by an instruction breakpoint on the kernel's sys_null.

import { basename } from 'node:path';
import { EXC_NAMES, Machine, type ElfImage } from '../emu/index.js';
import { PeerHost, Wire } from '../net/index.js';

/** System call names by number, as src/mono/kernel/syscall.h numbers them (a test checks). */
export const MONO_SYSCALLS = ['', 'exit', 'fork', 'wait', 'exec', 'getpid', 'write', 'read', 'pipe', 'close', 'dup',
  'sbrk', 'shmget', 'shmat', 'mprotect', 'signal', 'sigreturn', 'kill', 'uptime', 'yield', 'null', 'freemem',
  'socket', 'bind', 'sendto', 'recvfrom', 'netconfig'] as const;

/** What the kernel has counted since boot (only nonzero entries in the records). */
export interface MonoCounters {
  /** Exceptions by ExcCode name (Int, Sys, TLBL, Mod, ...). UTLB refills that find a PTE never reach C and are not counted. */
  readonly traps: Record<string, number>;
  /** System calls by name. */
  readonly syscalls: Record<string, number>;
  /** Interrupts by line: clock (IP3) and io (IP2, the LANCE). */
  readonly interrupts: { readonly clock: number; readonly io: number };
  readonly contextSwitches: number;
  readonly copyinBytes: number;
  readonly copyoutBytes: number;
  readonly ticks: number;
  readonly net: { readonly sent: number; readonly received: number; readonly errors: number; readonly udpDropped: number };
}

/** The counters' addresses in one kernel image. */
export interface MonoSymbols {
  readonly [name: string]: number;
}

const COUNTERS = ['trap_count', 'intr_count', 'syscall_count', 'sched_switches', 'copyin_bytes', 'copyout_bytes',
  'ticks', 'net_sent', 'net_received', 'net_errors', 'udp_dropped', 'sys_null', 'utlb_refill', 'trapret'] as const;

/** Finds the kernel's counters (and sys_null) in `elf`; throws Error naming the first symbol it lacks. */
export function monoSymbols(elf: ElfImage): MonoSymbols {
  const out: Record<string, number> = {};
  for (const name of COUNTERS) {
    const sym = elf.symbols.find((s) => s.name === name);
    if (!sym) throw new Error(`${elf.fileName} is not the monolithic kernel: it has no symbol ${name}`);
    out[name] = sym.value >>> 0;
  }
  return out;
}

/** Reads the word at kseg0 address `va` from RAM. */
function word(m: Machine, va: number): number {
  return m.bus.read((va - 0x80000000) >>> 0, 4) >>> 0;
}

/** Nonzero words of the array at `va`, keyed by `names[i]` (or the index). */
function table(m: Machine, va: number, count: number, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const v = word(m, va + 4 * i);
    if (v) out[names[i] || String(i)] = v;
  }
  return out;
}

/** Reads every counter from the running (or halted) machine. */
export function readMonoCounters(m: Machine, syms: MonoSymbols): MonoCounters {
  const w = (n: string) => word(m, syms[n]);
  return {
    traps: table(m, syms.trap_count, 32, EXC_NAMES),
    syscalls: table(m, syms.syscall_count, MONO_SYSCALLS.length, MONO_SYSCALLS),
    interrupts: { clock: word(m, syms.intr_count + 4 * 3), io: word(m, syms.intr_count + 4 * 2) },
    contextSwitches: w('sched_switches'), copyinBytes: w('copyin_bytes'), copyoutBytes: w('copyout_bytes'), ticks: w('ticks'),
    net: { sent: w('net_sent'), received: w('net_received'), errors: w('net_errors'), udpDropped: w('udp_dropped') },
  };
}

/** Counter differences b - a (records keep only nonzero differences). */
export function diffMonoCounters(a: MonoCounters, b: MonoCounters): MonoCounters {
  const rec = (x: Record<string, number>, y: Record<string, number>) =>
    Object.fromEntries(Object.keys(y).map((k) => [k, y[k] - (x[k] ?? 0)]).filter(([, v]) => v !== 0));
  return {
    traps: rec(a.traps, b.traps), syscalls: rec(a.syscalls, b.syscalls),
    interrupts: { clock: b.interrupts.clock - a.interrupts.clock, io: b.interrupts.io - a.interrupts.io },
    contextSwitches: b.contextSwitches - a.contextSwitches, copyinBytes: b.copyinBytes - a.copyinBytes,
    copyoutBytes: b.copyoutBytes - a.copyoutBytes, ticks: b.ticks - a.ticks,
    net: { sent: b.net.sent - a.net.sent, received: b.net.received - a.net.received,
      errors: b.net.errors - a.net.errors, udpDropped: b.net.udpDropped - a.net.udpDropped },
  };
}

/** One window between two null calls. */
export interface MonoWindow {
  readonly cycles: number;
  readonly instructions: number;
  /** Cycles the CPU spent in the kernel (vector to the rfe back to user mode, the idle loop included); with `kernelTime` only. */
  readonly kernelCycles?: number;
  readonly counters: MonoCounters;
}

/** One run of the kernel: its console, why it stopped, and the windows between pairs of null calls. */
export interface MonoRun {
  readonly console: string;
  readonly reason: string;
  /** The cycle the run stopped at (the halt, for a run to the end). */
  readonly cycles: number;
  readonly windows: readonly MonoWindow[];
  readonly counters: MonoCounters;
}

/**
 * The kernel's argv: its file name, not its path (the guest copies its
 * arguments, so a path would make the run depend on where the checkout is),
 * then the first process's program and arguments.
 */
export function monoArgv(elf: ElfImage, args: readonly string[]): string[] {
  return [basename(elf.fileName), ...args];
}

/** Options of `measureMono`. */
export interface MonoRunOptions {
  /** argv after the kernel's own name: the first process's program and its arguments. */
  readonly args: readonly string[];
  /** Attach a wire with an echo host at 10.0.0.1 (port 7), as the session's default peer. */
  readonly wire?: boolean;
  /** Instructions before giving up (default 2e9). */
  readonly budget?: number;
  /** Also time the kernel: stops at the two exception vectors and at the two returns to user mode (`kernelCycles`). */
  readonly kernelTime?: boolean;
}

/** The MIPS I `rfe` (R3000 manual, "Return from exception"). */
const RFE = 0x42000010;
const KSEG0 = 0x80000000;
/** The exception vectors the kernel copies its handlers to (R3000 manual, "Exception vectors": BEV clear). */
const VEC_UTLB = 0x80000000, VEC_GENERAL = 0x80000080;

/** The address of the `jr` before the first rfe from `va` (a return from exception: jr in the branch, rfe in its slot). */
function returnJump(m: Machine, va: number): number {
  for (let a = va; a < va + 4 * 64; a += 4) if (word(m, a) === RFE) return a - 4;
  throw new Error(`The monolithic kernel has no rfe within 64 instructions of 0x${va.toString(16)}`);
}

/**
 * Where the kernel's time starts and ends: the two vectors (every entry)
 * and the jumps of its two returns from exception (utlb_refill's, as copied
 * to the UTLB vector, and trapret's). Breakpoints on all four.
 */
function kernelClock(m: Machine, syms: MonoSymbols): { readonly enter: ReadonlySet<number>; readonly leave: ReadonlyMap<number, number> } {
  const utlbJr = VEC_UTLB + (returnJump(m, syms.utlb_refill) - syms.utlb_refill);
  const leave = new Map([[utlbJr, 27], [returnJump(m, syms.trapret), 26]]);   // the register each jumps through: k1, k0
  const enter = new Set([VEC_UTLB, VEC_GENERAL]);
  for (const a of [...enter, ...leave.keys()]) m.cpu.setBreakpoint(a, true);
  return { enter, leave };
}

/**
 * Boots the kernel image `elf` with `opts.args` and runs it to its halt
 * (or the budget), stopping at each entry to sys_null to record the cycle,
 * instruction count and counters there; consecutive pairs of null calls
 * make the windows. With `opts.kernelTime` it also stops at every kernel
 * entry and return to user mode, to split each window's cycles into the
 * kernel's and the user's (the stops change no cycle). Throws Error if
 * `elf` is not the monolithic kernel.
 */
export function measureMono(elf: ElfImage, opts: MonoRunOptions): MonoRun {
  const syms = monoSymbols(elf);
  const chunks: Uint8Array[] = [];
  const m = new Machine({ onConsole: (b) => chunks.push(b) });
  m.load(elf, monoArgv(elf, opts.args));
  if (opts.wire) new Wire(m).attach(new PeerHost({ ip: '10.0.0.1', mac: '02:00:00:00:00:01', echoPort: 7 }));
  m.cpu.setBreakpoint(syms.sys_null, true);
  const clock = opts.kernelTime ? kernelClock(m, syms) : undefined;
  const marks: { cycles: number; instret: number; kernel: number; counters: MonoCounters }[] = [];
  const budget = opts.budget ?? 2e9;
  let reason: string = 'budget', kernel = 0, since = -1;   // since: the cycle the kernel was entered from user mode, -1 in user mode
  while (m.cpu.instret < budget) {
    reason = m.run(Math.min(50_000_000, budget - m.cpu.instret));
    if (reason !== 'breakpoint') { if (reason !== 'budget') break; continue; }
    const pc = m.cpu.pc >>> 0, now = m.cpu.cycles;
    if (pc === syms.sys_null) {
      marks.push({ cycles: now, instret: m.cpu.instret, kernel: kernel + (since < 0 ? 0 : now - since), counters: readMonoCounters(m, syms) });
    } else if (clock?.enter.has(pc)) {
      if (since < 0) since = now;
    } else if (clock?.leave.has(pc) && since >= 0 && (m.cpu.regs[clock.leave.get(pc)!] >>> 0) < KSEG0) {
      kernel += now + 2 - since;   // the jr and the rfe in its slot are the kernel's
      since = -1;
    }
    m.cpu.skipBreakpoint = m.cpu.pc;
  }
  const windows: MonoWindow[] = [];
  for (let i = 0; i + 1 < marks.length; i += 2) {
    const [a, b] = [marks[i], marks[i + 1]];
    windows.push({ cycles: b.cycles - a.cycles, instructions: b.instret - a.instret,
      ...(clock ? { kernelCycles: b.kernel - a.kernel } : {}), counters: diffMonoCounters(a.counters, b.counters) });
  }
  return { console: Buffer.concat(chunks).toString('latin1'), reason, cycles: m.cpu.cycles, windows, counters: readMonoCounters(m, syms) };
}
