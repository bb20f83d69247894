// `exoscope bench --paper`: the Aegis paper's measurements rerun on the
// emulated DECstation, on both kernels. Every row runs real guest code in a
// fresh session; its program brackets the timed loop with two null system
// calls and the cycles between them, divided by its iterations, are its
// figure (a row with a baseline subtracts a second window the program
// brackets the same way: the same loop without the operation). On the
// exokernel the window holds everything that ran in it: the measured
// program's instructions, any other environment's (a server's), and the
// kernel's paths, charged the cycles their MIPS sequences measure
// (src/exokernel/asm, costs.ts). On the monolithic kernel (src/mono) the
// same benchmark source runs as a process and the window is its own
// instructions and the kernel's, every one executed (measureMono). Where
// the cycles go comes from the same windows: the exokernel's events and
// charges, and the counters the monolithic kernel keeps in its own memory.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf, type ElfImage } from '../emu/index.js';
import { Costs, type KernelEvent } from '../exokernel/index.js';
import { measureMono, sessionFromScenario, type MonoWindow } from '../session/index.js';
import { paperRows, type Row } from './paper-rows.js';
import { measureUdp } from './paper-udp.js';
import { imageName, MHZ, pathCost } from './paper-paths.js';

export { imageName, MHZ, pathCost };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The monolithic kernel's side of one row, per operation. */
export interface MonoResult {
  readonly us: number;
  readonly cyclesPerOp: number;
  /** Instructions per operation: all of them, the kernel's and its processes'. */
  readonly instructions: number;
  /** Cycles per operation mfhi/mflo waited (the rest of the cycles are the instructions: nothing is charged). */
  readonly stalls: number;
  /** Cycles per operation from an exception vector to the rfe back to user mode (the idle loop included). */
  readonly kernelCycles: number;
  /** Kernel entries per operation: every exception the kernel counted (system calls, faults, interrupts). */
  readonly kernelEntries: number;
  readonly syscalls: number;
  readonly contextSwitches: number;
  /** Bytes copyin and copyout moved, per operation. */
  readonly copyBytes: number;
  readonly interrupts: number;
  /** The whole window's system calls by name (not per operation), as the kernel counted them. */
  readonly syscallCounts: Readonly<Record<string, number>>;
  readonly ok: boolean;
  readonly console: string;
}

/** What one row measured. */
export interface PaperResult {
  readonly operation: string;
  /** The measured program's image on the exokernel (src/exos/images/exos-<image>.elf). */
  readonly image: string;
  /** Exactly what the window holds. */
  readonly window: string;
  /** Emulated microseconds per operation at 25 MHz, ExOS on the exokernel. */
  readonly us: number;
  /** The paper's ExOS (on Aegis) and Ultrix figures. */
  readonly exos: number | undefined;
  readonly ultrix: number | undefined;
  readonly cyclesPerOp: number;
  /** Guest instructions per operation in the window, every environment's. */
  readonly userInstructions: number;
  /** Of those, the measured program's own. */
  readonly ownInstructions: number;
  readonly kernelEntries: number;
  readonly contextSwitches: number;
  /** Bytes the kernel copied per operation: frames into the LANCE's buffers and into rings (the pipe and shm copy nothing in the kernel). */
  readonly copyBytes: number;
  /** Kernel cycles per operation by path: events in the window x the measured constants of costs.ts. */
  readonly kernel: Readonly<Record<string, number>>;
  /** Every cycle the kernel charged per operation (the paths above and the rest: interrupt entries, DPF, ...). */
  readonly charged: number;
  /** Cycles per operation mfhi/mflo waited for a multiply or divide (the R3000's interlock, src/emu/mul.ts). */
  readonly stalls: number;
  /** Cycles per operation the machine was idle (nothing to run: waiting on the wire). */
  readonly wait: number;
  readonly ok: boolean;
  readonly console: string;
  /** The monolithic kernel's microseconds per operation on the same program, or null where there is no equivalent. */
  readonly monolithic: number | null;
  /** Why there is no monolithic figure. */
  readonly monolithicNone?: string;
  readonly mono?: MonoResult;
  /** monolithic / ours, and the paper's Ultrix / ExOS. */
  readonly ratio: number | null;
  readonly paperRatio: number | null;
}

const MONO_IMAGE = join(ROOT, 'src/exos/images/mono.elf');

/** True when every image a row needs is built. */
function available(r: Row): boolean {
  return r.images.every((p) => existsSync(p)) && ('none' in r.mono || existsSync(MONO_IMAGE));
}


/** Of Costs.SYSCALL (charged for every call), the exit a PCT or directed yield never takes (sched.ts). */
const SYSCALL_EXIT = Costs.SYSCALL - Costs.SYSCALL_ENTRY;

/**
 * Kernel cycles an event stands for, by path (costs.ts), as sched.ts
 * charges them: a PCT, or a directed yield into the target's prologue or
 * into a target that itself left by yield_to or PCT, is its measured
 * sequence and no context switch (the kernel saves no register); a yield
 * to a target resumed from a context the kernel saved is both (the switch's
 * restore only). Any other switch is the clock interrupt's whole switch,
 * counted as a save (a preemption, sys_yield or net_wait went before it).
 */
function pathCoster(): (e: KernelEvent) => [string, number] | undefined {
  let donation: 'pct' | 'yield' | undefined, prologue = false;
  // Environments that left by yield_to or PCT and have not run since: nothing of theirs to restore.
  const unsaved = new Set<number>();
  return (e) => {
    if ((e.kind === 'pct' || (e.kind === 'yield' && e.to !== 0))) unsaved.add(e.env);
    else if (e.kind === 'context-switch') unsaved.delete(e.to);
    if (e.kind === 'pct') { donation = 'pct'; return ['pct', Costs.PCT - SYSCALL_EXIT]; }
    if (e.kind === 'yield' && e.to !== 0) { donation = 'yield'; prologue = false; return ['yield_to', Costs.YIELD - SYSCALL_EXIT]; }
    if (e.kind === 'slice-start' && donation === 'yield') { prologue = e.upcall || unsaved.has(e.env); return undefined; }
    if (e.kind === 'slice-start') { prologue = e.upcall; return undefined; }
    if (e.kind === 'context-switch' && donation) {
      const saved = donation === 'pct' || prologue;
      donation = undefined;
      // Into a context the kernel saved: the restore alone (asm/switch.S ctx_restore).
      return saved ? undefined : ['context switch', Costs.CONTEXT_RESTORE];
    }
    // A slice start into the prologue enters it instead of restoring (asm/switch.S ctx_prologue).
    if (e.kind === 'context-switch' && prologue) return ['context switch', Costs.CONTEXT_SWITCH - Costs.CONTEXT_RESTORE + Costs.SLICE_PROLOGUE];
    return pathCost(e);
  };
}

/** A null call of the measured program: where the cycle counter is read. */
interface Mark {
  readonly cycle: number; readonly instret: number; readonly own: number; readonly entries: number;
  readonly switches: number; readonly copied: number; readonly charged: number; readonly idle: number; readonly kernel: Readonly<Record<string, number>>;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const toUs = (cycles: number, n: number) => Math.round((cycles / n / MHZ) * 100) / 100;

/** Runs the row's scenario until the measured environment has checked its results and exited; its marks (null calls). */
function runExos(r: Row): { marks: Mark[]; console: string } {
  const s = sessionFromScenario(r.scenario);
  const k = s.kernel, id = s.envIds.get(r.measured)!, want = r.baseline ? 4 : 2;
  const marks: Mark[] = [];
  let entries = 0, own = 0, last = 0, switches = 0, copied = 0;
  const kernel: Record<string, number> = {};
  const pathCost = pathCoster();
  // Instructions between two kernel entries are the environment's that trapped.
  k.onTrap.add(() => { if (k.current?.id === id) own += k.cpu.instret - last; last = k.cpu.instret; entries++; });
  k.onKernelExit.add(() => { last = k.cpu.instret; });
  k.log.subscribe((e) => {
    if (e.kind === 'syscall' && e.env === id && e.call === 'Null' && marks.length < want) {
      // Every cycle the kernel charged, and every cycle the machine idled with nothing to run, since boot.
      marks.push({ cycle: e.cycle, instret: k.cpu.instret, own, entries, switches, copied, charged: k.charged, idle: k.machine.idleCycles, kernel: { ...kernel } });
    } else if (marks.length % 2 === 1) {
      if (e.kind === 'context-switch') switches++;
      if (e.kind === 'packet-sent') copied += Math.max(60, e.len);
      if (e.kind === 'packet-delivered') copied += e.len;
      const c = pathCost(e);
      if (c) kernel[c[0]] = (kernel[c[0]] ?? 0) + c[1];
    }
  });
  while (k.envs.get(id)!.state !== 'destroyed' && k.now() < 2_000_000_000) if (s.run(10_000_000).reason === 'idle') break;
  return { marks, console: k.envs.get(id)!.console };
}

/** The exokernel side of a row; undefined when its program never bracketed its loop (twice, for a baseline). */
function measureExos(r: Row): Omit<PaperResult, 'monolithic' | 'monolithicNone' | 'mono' | 'ratio' | 'paperRatio'> | undefined {
  const { marks, console } = runExos(r);
  if (marks.length < (r.baseline ? 4 : 2)) return undefined;
  const span = (f: (m: Mark) => number) => f(marks[1]) - f(marks[0]) - (r.baseline ? f(marks[3]) - f(marks[2]) : 0);
  const paths = new Set([...Object.keys(marks[1].kernel), ...(r.baseline ? Object.keys(marks[3].kernel) : [])]);
  const per = (v: number) => round1(v / r.iterations);
  const cycles = span((m) => m.cycle), instret = span((m) => m.instret), charged = span((m) => m.charged), idle = span((m) => m.idle);
  const kernel = Object.fromEntries([...paths].map((p) => [p, per(span((m) => m.kernel[p] ?? 0))]).filter(([, v]) => v !== 0));
  return {
    operation: r.operation, image: imageName(r.image), window: r.window,
    us: toUs(cycles, r.iterations), exos: r.exos, ultrix: r.ultrix,
    cyclesPerOp: per(cycles), userInstructions: per(instret), ownInstructions: per(span((m) => m.own)),
    kernelEntries: per(span((m) => m.entries)), contextSwitches: per(span((m) => m.switches)),
    copyBytes: per(span((m) => m.copied)), kernel,
    charged: per(charged), stalls: per(cycles - instret - charged - idle), wait: per(idle),
    ok: /\bok\b/.test(console) && !/BAD/.test(console), console,
  };
}

/** The monolithic kernel running the row's program (the same source): its window per operation. */
function measureMonoSide(elf: ElfImage, r: Row, side: { readonly args: readonly string[]; readonly wire?: boolean }): MonoResult {
  const run = measureMono(elf, { args: side.args, wire: side.wire, kernelTime: true });
  const w: MonoWindow | undefined = run.windows[0];
  const n = r.iterations, c = w?.counters;
  const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
  const per = (v: number) => round1(v / n);
  return {
    us: w ? toUs(w.cycles, n) : 0, cyclesPerOp: per(w?.cycles ?? 0), instructions: per(w?.instructions ?? 0),
    stalls: per(w ? w.cycles - w.instructions : 0),
    kernelCycles: per(w?.kernelCycles ?? 0), kernelEntries: per(sum(c?.traps)), syscalls: per(sum(c?.syscalls)),
    contextSwitches: per(c?.contextSwitches ?? 0), copyBytes: per((c?.copyinBytes ?? 0) + (c?.copyoutBytes ?? 0)),
    interrupts: per((c?.interrupts.clock ?? 0) + (c?.interrupts.io ?? 0)), syscallCounts: c?.syscalls ?? {},
    ok: w !== undefined && run.reason === 'halt' && /\bok\b/.test(run.console) && !/BAD/.test(run.console), console: run.console,
  };
}

/** Both kernels on one row; undefined when the exokernel side has no window. */
function measure(r: Row, monoElf: () => ElfImage): PaperResult | undefined {
  const ex = measureExos(r);
  if (!ex) return undefined;
  const mono = 'none' in r.mono ? undefined : measureMonoSide(monoElf(), r, r.mono);
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? Math.round((a / b) * 100) / 100 : null);
  return {
    ...ex, ok: ex.ok && (mono?.ok ?? true),
    monolithic: mono ? mono.us : null, ...('none' in r.mono ? { monolithicNone: r.mono.none } : {}), mono,
    ratio: ratio(mono?.us, ex.us), paperRatio: ratio(r.ultrix, r.exos),
  };
}

/** Runs every row of `rows` (default: scenarios/paper's) whose programs are built; a row on several machines is measured across them (paper-udp.ts). */
export function runPaperBench(rows: readonly Row[] = paperRows()): { results: PaperResult[]; missing: string[] } {
  const results: PaperResult[] = [];
  const missing: string[] = [];
  let elf: ElfImage | undefined;
  const monoElf = () => (elf ??= parseElf(new Uint8Array(readFileSync(MONO_IMAGE)), MONO_IMAGE));
  for (const r of rows) {
    const m = !available(r) ? undefined : r.scenario.machines.length > 1 ? measureUdp(r) : measure(r, monoElf);
    if (m) results.push(m); else missing.push(r.operation);
  }
  return { results, missing };
}
