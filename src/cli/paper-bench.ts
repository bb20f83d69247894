// `exoscope bench --paper`: the Aegis paper's measurements rerun on the
// emulated DECstation. Every row runs real guest code in a fresh session;
// its program brackets the timed loop with two null system calls and the
// cycles between them, divided by its iterations, are its figure (a row
// with a baseline subtracts a second window the program brackets the same
// way: the same loop without the operation). The window holds everything
// that ran in it: the measured program's instructions, any other
// environment's (a server's), and the kernel's paths, charged the cycles
// their MIPS sequences measure (src/exokernel/costs.ts). Where the cycles
// go comes from the same window: instructions executed (all, and the
// measured program's own), kernel entries, and kernel cycles by path.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf } from '../emu/index.js';
import { Costs, type KernelEvent } from '../exokernel/index.js';
import { Session } from '../session/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MHZ = 25;

/** One measured operation and the paper's figures for it (microseconds; undefined where the paper has none). */
interface Row {
  readonly operation: string;
  readonly envs: readonly { readonly name: string; readonly image: string; readonly args: readonly string[]; readonly slices?: number }[];
  /** The environment whose null calls bracket the timed loop. */
  readonly measured: string;
  readonly iterations: number;
  readonly exos?: number;
  readonly ultrix?: number;
  /** Exactly what the window holds, for the table's notes and the JSON. */
  readonly window: string;
  /** A second window (marks 3 and 4) of the same loop without the operation, subtracted. */
  readonly baseline?: boolean;
}

const KEY = '5a5a12345678abcd';
const N = 200;
const UDP_N = 50;

const IPC = (what: string) => `the client's ${N} ${what} and the server's replies: both programs' instructions and the kernel's work, between the client's two null calls`;
const VM = (what: string) => `vm-bench's loop of ${what} on its own page table (ExOS vm.c), with the kernel's tlb_map and dispatch, between its two null calls`;

/** What one iteration of each vm-bench test does (vm-bench.c). */
const VM_WHAT: Readonly<Record<string, string>> = {
  dirty: 'dirty-bit queries', prot1: 'one-page write-protects', prot100: '100-page write-protects', unprot100: '100-page unprotects',
  trap: 'stores to a protected page, each resolved by its Mod handler', appel1: 'protection faults that unprotect one page and protect another',
  appel2: 'page faults after protecting 100 pages (one iteration = one page)',
};

/** A vm-bench row: one environment, `n` iterations (prot100/unprot100 count one per 100 pages). */
function vmRow(test: string, n: number): Row {
  return { operation: test, measured: 'vm', iterations: n, window: VM(VM_WHAT[test]), envs: [{ name: 'vm', image: 'vm-bench', args: [test, String(n)] }] };
}

/** The rows: the IPC table of the Aegis paper (DEC5000 figures, reference/exokernel.md), Appel and Li's primitives, dispatch, UDP. */
const ROWS: readonly Row[] = [
  { operation: 'pipe', measured: 'client', iterations: N, exos: 14.2, ultrix: 199.0, window: IPC('one-word pipe writes'), envs: [
    { name: 'server', image: 'ipc-pipe', args: ['server', '2', '3000', KEY, String(N)] },
    { name: 'client', image: 'ipc-pipe', args: ['client', '1', '3000', KEY, String(N)] }] },
  { operation: "pipe'", measured: 'client', iterations: N, exos: 10.7, window: IPC('inlined one-word pipe writes'), envs: [
    { name: 'server', image: 'ipc-pipe', args: ['server', '2', '3000', KEY, String(N), 'inline'] },
    { name: 'client', image: 'ipc-pipe', args: ['client', '1', '3000', KEY, String(N), 'inline'] }] },
  { operation: 'shm', measured: 'client', iterations: N, exos: 5.7, ultrix: 118.0, window: IPC('shared-memory counter increments'), envs: [
    { name: 'server', image: 'ipc-shm', args: ['server', '2', '3000', KEY, String(N)] },
    { name: 'client', image: 'ipc-shm', args: ['client', '1', '3000', KEY, String(N)] }] },
  { operation: 'lrpc', measured: 'client', iterations: N, exos: 6.3, window: IPC('LRPC calls over PCT'), envs: [
    { name: 'server', image: 'lrpc-server', args: ['0'] },
    { name: 'client', image: 'ipc-lrpc', args: ['1', String(N)] }] },
  // Application-level virtual memory after Appel and Li; reference/exokernel.md has no paper figures for these.
  ...(['dirty', 'prot1', 'prot100', 'unprot100', 'trap', 'appel1'] as const).map((t) => vmRow(t, N)),
  { ...vmRow('appel2', 20), iterations: 20 * 100 },
  { operation: 'exception dispatch', measured: 'exc', iterations: N, exos: 1.5, baseline: true,
    window: `exc-bench: ${N} turns of a loop that takes a breakpoint (kernel dispatch to its handler, which returns itself) minus ${N} turns of the same loop with a nop in its place; each between two null calls`,
    envs: [{ name: 'exc', image: 'exc-bench', args: [String(N)] }] },
  { operation: 'udp round trip*', measured: 'ping', iterations: UDP_N, exos: 320, ultrix: 3400,
    window: `udp-ping's own loop, ${UDP_N} times: build and send a 64-byte datagram, wait, receive and check the echo, with the kernel's network work (transmit, interrupt, DPF, ring copy); the echo comes from the simulated peer host on the wire, not a second DECstation`,
    envs: [{ name: 'ping', image: 'udp-ping', args: ['10.0.0.2', '10.0.0.1', '7', String(UDP_N)] }] },
];

/** What one row measured. */
export interface PaperResult {
  readonly operation: string;
  /** The measured program's image (src/exos/images/exos-<image>.elf). */
  readonly image: string;
  /** Exactly what the window holds. */
  readonly window: string;
  /** Emulated microseconds per operation at 25 MHz. */
  readonly us: number;
  readonly exos: number | undefined;
  readonly ultrix: number | undefined;
  readonly cyclesPerOp: number;
  /** Guest instructions per operation in the window, every environment's. */
  readonly userInstructions: number;
  /** Of those, the measured program's own. */
  readonly ownInstructions: number;
  readonly kernelEntries: number;
  /** Kernel cycles per operation by path: events in the window x the measured constants of costs.ts. */
  readonly kernel: Readonly<Record<string, number>>;
  readonly ok: boolean;
  readonly console: string;
}

const imagePath = (n: string) => join(ROOT, 'src/exos/images', `exos-${n}.elf`);

/** True when every image a row needs is built. */
function available(r: Row): boolean {
  return r.envs.every((e) => existsSync(imagePath(e.image)));
}

/** Short names of the kernel paths, for the table. */
const PATH_SHORT: Readonly<Record<string, string>> = {
  syscall: 'sys', pct: 'pct', yield_to: 'yto', dispatch: 'disp', upcall: 'upc', 'stlb refill': 'stlb', 'guaranteed refill': 'gref', 'context switch': 'ctx', tlb_map: 'map',
  'net send': 'tx', 'net receive': 'rx',
};

/** Of Costs.SYSCALL (charged for every call), the exit a PCT or directed yield never takes (sched.ts). */
const SYSCALL_EXIT = Costs.SYSCALL - Costs.SYSCALL_ENTRY;

/**
 * Kernel cycles an event stands for, by path (costs.ts), as sched.ts
 * charges them: a PCT, or a directed yield into the target's prologue or
 * into a target that itself left by yield_to or PCT, is its measured
 * sequence and no context switch (the kernel saves no register); a yield
 * to a target resumed from a context the kernel saved is both.
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
    if (e.kind === 'context-switch' && donation) {
      const saved = donation === 'pct' || prologue;
      donation = undefined;
      if (saved) return undefined;
    }
    return pathCost(e);
  };
}

/** Kernel cycles an event stands for, by path (costs.ts), one event alone. */
function pathCost(e: KernelEvent): [string, number] | undefined {
  switch (e.kind) {
    case 'syscall': return ['syscall', Costs.SYSCALL];
    case 'dispatch': return ['dispatch', Costs.DISPATCH];
    case 'upcall': return ['upcall', Costs.UPCALL];
    case 'stlb-hit': return ['stlb refill', Costs.STLB_REFILL];
    case 'guaranteed-hit': return ['guaranteed refill', Costs.GUARANTEED_REFILL];
    case 'context-switch': return ['context switch', Costs.CONTEXT_SWITCH];
    case 'binding-installed': return ['tlb_map', Costs.TLB_MAP];
    case 'packet-sent': return ['net send', Costs.TRANSMIT + Math.ceil(Math.max(60, e.len) / 4) * Costs.RING_COPY_WORD];
    case 'packet-delivered': return ['net receive', Costs.RING_SLOT + Math.ceil(e.len / 4) * Costs.RING_COPY_WORD];
    default: return undefined;
  }
}

/** A null call of the measured program: where the cycle counter is read. */
interface Mark { readonly cycle: number; readonly instret: number; readonly own: number; readonly entries: number; readonly kernel: Readonly<Record<string, number>> }

/** Runs one row; undefined when its program never bracketed its loop (twice, for a baseline). */
function measure(r: Row): PaperResult | undefined {
  const s = new Session({
    checkpointEvery: 0,
    envs: r.envs.map((e) => { const p = imagePath(e.image); return { name: e.name, image: parseElf(new Uint8Array(readFileSync(p)), p), args: e.args, slices: e.slices }; }),
  });
  const k = s.kernel, id = s.envIds.get(r.measured)!, want = r.baseline ? 4 : 2;
  const marks: Mark[] = [];
  let entries = 0, own = 0, last = 0;
  const kernel: Record<string, number> = {};
  const pathCost = pathCoster();
  // Instructions between two kernel entries are the environment's that trapped.
  const sessionTrap = k.onTrap;
  k.onTrap = (code, vector) => { if (k.current?.id === id) own += k.cpu.instret - last; last = k.cpu.instret; entries++; sessionTrap?.(code, vector); };
  k.onKernelExit = () => { last = k.cpu.instret; };
  k.log.subscribe((e) => {
    if (e.kind === 'syscall' && e.env === id && e.call === 'Null' && marks.length < want) {
      marks.push({ cycle: e.cycle, instret: k.cpu.instret, own, entries, kernel: { ...kernel } });
    } else if (marks.length % 2 === 1) { const c = pathCost(e); if (c) kernel[c[0]] = (kernel[c[0]] ?? 0) + c[1]; }
  });
  // Run until the measured program has checked its results and exited (its server may run on).
  while (k.envs.get(id)!.state !== 'destroyed' && k.now() < 2_000_000_000) if (s.run(10_000_000).reason === 'idle') break;
  if (marks.length < want) return undefined;
  const span = (f: (m: Mark) => number) => f(marks[1]) - f(marks[0]) - (r.baseline ? f(marks[3]) - f(marks[2]) : 0);
  const paths = new Set([...Object.keys(marks[1].kernel), ...(r.baseline ? Object.keys(marks[3].kernel) : [])]);
  const byPath = Object.fromEntries([...paths].map((p) => [p, span((m) => m.kernel[p] ?? 0)]));
  const per = (v: number) => Math.round((v / r.iterations) * 10) / 10;
  const cycles = span((m) => m.cycle);
  const env = k.envs.get(id)!;
  return {
    operation: r.operation, image: r.envs.find((e) => e.name === r.measured)!.image, window: r.window,
    us: Math.round((cycles / r.iterations / MHZ) * 100) / 100, exos: r.exos, ultrix: r.ultrix,
    cyclesPerOp: per(cycles), userInstructions: per(span((m) => m.instret)), ownInstructions: per(span((m) => m.own)),
    kernelEntries: per(span((m) => m.entries)),
    kernel: Object.fromEntries(Object.entries(byPath).filter(([, v]) => v !== 0).map(([p, v]) => [p, per(v)])),
    ok: /\bok\b/.test(env.console) && !/BAD/.test(env.console), console: env.console,
  };
}

/** Runs every row whose programs are built. */
export function runPaperBench(): { results: PaperResult[]; missing: string[] } {
  const results: PaperResult[] = [];
  const missing: string[] = [];
  for (const r of ROWS) {
    const m = available(r) ? measure(r) : undefined;
    if (m) results.push(m); else missing.push(r.operation);
  }
  return { results, missing };
}

/** The table rows as ink-table data. */
export function tableData(results: readonly PaperResult[]): Record<string, string>[] {
  return results.map((r) => ({
    operation: r.operation,
    'ours (us)': r.us.toFixed(2),
    'ExOS (us)': r.exos?.toFixed(1) ?? (r.ultrix === undefined ? 'no paper figure' : 'n/a'),
    'Ultrix (us)': r.ultrix?.toFixed(1) ?? 'n/a',
    'cycles/op': String(r.cyclesPerOp),
    'user insns': String(r.userInstructions),
    'its own': String(r.ownInstructions),
    'kernel entries': String(r.kernelEntries),
    'kernel cycles by path': Object.entries(r.kernel).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${PATH_SHORT[k] ?? k} ${Math.round(v)}`).join(' '),
    checked: r.ok ? 'ok' : 'BAD',
  }));
}

/** The notes under the table: the model, the columns, and exactly what each row's window holds. */
export function paperNotes(results: readonly PaperResult[]): string[] {
  return [
    'Emulated microseconds at 25 MHz; the paper: DECstation 5000, ExOS and Ultrix (reference/exokernel.md).',
    'Each row is the cycles between two null system calls of its program, over its iterations: guest instructions at one',
    'cycle each, plus the kernel\'s paths at the cycles their MIPS sequences take (src/exokernel/asm, costs.ts), plus any',
    'time on the wire. Caches, the write buffer and multiply/divide latency are not modelled, for guest or kernel.',
    'user insns: guest instructions per op, every environment\'s; its own: the measured program\'s; kernel cycles by path:',
    'events in the window x costs.ts (sys, disp, upc upcall, stlb/gref refill, ctx context switch, pct, yto yield_to, map tlb_map, tx/rx network;',
    'DPF classification and interrupt entries are charged but not listed).',
    'Windows:',
    ...results.map((r) => `  ${r.operation}: ${r.window}.`),
    '* The paper measured two DECstations; here the peer host on the simulated wire answers after 100 us. App to app on two',
    '  emulated DECstations is future work (issue 17).',
    'Appel-Li rows: the reference has no paper figures for them ("no paper figure"); prot100/unprot100 are per 100 pages.',
  ];
}
