// The monolithic baseline kernel (src/mono) seen from the debugger. Its
// counters are ordinary C globals in the guest's memory: this module finds
// them by name in the kernel's ELF symbol table and reads them from RAM,
// so the events shown are what the kernel itself counted; nothing here
// models or charges the kernel's work. `measureMono` runs a benchmark and
// returns the windows between its two null system calls (bench.h's
// bench_mark), found by an instruction breakpoint on the kernel's sys_null.

import { EXC_NAMES, Machine, type ElfImage } from '../emu/index.js';
import { PeerHost, Wire } from './wire.js';

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
  'ticks', 'net_sent', 'net_received', 'net_errors', 'udp_dropped', 'sys_null'] as const;

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

/** One run of the kernel: its console, why it stopped, and the windows between pairs of null calls. */
export interface MonoRun {
  readonly console: string;
  readonly reason: string;
  readonly windows: readonly { readonly cycles: number; readonly instructions: number; readonly counters: MonoCounters }[];
  readonly counters: MonoCounters;
}

/** Options of `measureMono`. */
export interface MonoRunOptions {
  /** argv after the kernel's own name: the first process's program and its arguments. */
  readonly args: readonly string[];
  /** Attach a wire with an echo host at 10.0.0.1 (port 7), as the session's default peer. */
  readonly wire?: boolean;
  /** Instructions before giving up (default 2e9). */
  readonly budget?: number;
}

/**
 * Boots the kernel image `elf` with `opts.args` and runs it to its halt
 * (or the budget), stopping at each entry to sys_null to record the cycle,
 * instruction count and counters there; consecutive pairs of null calls
 * make the windows. Throws Error if `elf` is not the monolithic kernel.
 */
export function measureMono(elf: ElfImage, opts: MonoRunOptions): MonoRun {
  const syms = monoSymbols(elf);
  const chunks: Uint8Array[] = [];
  const m = new Machine({ onConsole: (b) => chunks.push(b) });
  m.load(elf, [elf.fileName, ...opts.args]);
  if (opts.wire) new Wire(m).attach(new PeerHost({ ip: '10.0.0.1', mac: '02:00:00:00:00:01', echoPort: 7 }));
  m.cpu.setBreakpoint(syms.sys_null, true);
  const marks: { cycles: number; instret: number; counters: MonoCounters }[] = [];
  const budget = opts.budget ?? 2e9;
  let reason: string = 'budget';
  while (m.cpu.instret < budget) {
    reason = m.run(Math.min(50_000_000, budget - m.cpu.instret));
    if (reason === 'breakpoint') {
      marks.push({ cycles: m.cpu.cycles, instret: m.cpu.instret, counters: readMonoCounters(m, syms) });
      m.cpu.skipBreakpoint = m.cpu.pc;
      continue;
    }
    if (reason !== 'budget') break;
  }
  const windows = [];
  for (let i = 0; i + 1 < marks.length; i += 2) {
    windows.push({ cycles: marks[i + 1].cycles - marks[i].cycles, instructions: marks[i + 1].instret - marks[i].instret,
      counters: diffMonoCounters(marks[i].counters, marks[i + 1].counters) });
  }
  return { console: Buffer.concat(chunks).toString('latin1'), reason, windows, counters: readMonoCounters(m, syms) };
}
