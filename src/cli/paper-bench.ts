// `exoscope bench --paper`: the Aegis paper's measurements rerun on the
// emulated DECstation. Each row runs real guest code in a fresh
// session; a program brackets its timed loop with two null system calls and
// the cycles between them, divided by its iterations, are its figure. Where
// the cycles go comes from the same window: instructions executed, kernel
// entries, and kernel cycles by path (event counts times src/exokernel/costs.ts).

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
}

const KEY = '5a5a12345678abcd';
const N = 200;

/** The rows: the IPC table of the Aegis paper (DEC5000 figures, reference/exokernel.md). */
const ROWS: readonly Row[] = [
  { operation: 'pipe', measured: 'client', iterations: N, exos: 14.2, ultrix: 199.0, envs: [
    { name: 'server', image: 'ipc-pipe', args: ['server', '2', '3000', KEY, String(N)] },
    { name: 'client', image: 'ipc-pipe', args: ['client', '1', '3000', KEY, String(N)] }] },
  { operation: "pipe'", measured: 'client', iterations: N, exos: 10.7, envs: [
    { name: 'server', image: 'ipc-pipe', args: ['server', '2', '3000', KEY, String(N), 'inline'] },
    { name: 'client', image: 'ipc-pipe', args: ['client', '1', '3000', KEY, String(N), 'inline'] }] },
  { operation: 'shm', measured: 'client', iterations: N, exos: 5.7, ultrix: 118.0, envs: [
    { name: 'server', image: 'ipc-shm', args: ['server', '2', '3000', KEY, String(N)] },
    { name: 'client', image: 'ipc-shm', args: ['client', '1', '3000', KEY, String(N)] }] },
  { operation: 'lrpc', measured: 'client', iterations: N, exos: 6.3, envs: [
    { name: 'server', image: 'lrpc-server', args: ['0'] },
    { name: 'client', image: 'ipc-lrpc', args: ['1', String(N)] }] },
  // Application-level virtual memory after Appel and Li; reference/exokernel.md has no paper figures for these.
  ...(['dirty', 'prot1', 'prot100', 'unprot100', 'trap', 'appel1'] as const).map((t) => vmRow(t, N)),
  { ...vmRow('appel2', 20), iterations: 20 * 100 },
];

/** A vm-bench row: one environment, `n` iterations (prot100/unprot100 count one per 100 pages). */
function vmRow(test: string, n: number): Row {
  return { operation: test, measured: 'vm', iterations: n, envs: [{ name: 'vm', image: 'vm-bench', args: [test, String(n)] }] };
}

/** What one row measured. */
export interface PaperResult {
  readonly operation: string;
  /** Emulated microseconds per operation at 25 MHz. */
  readonly us: number;
  readonly exos: number | undefined;
  readonly ultrix: number | undefined;
  readonly cyclesPerOp: number;
  /** Per operation; -1 where the row is measured from events and has no window to count in. */
  readonly userInstructions: number;
  readonly kernelEntries: number;
  /** Kernel cycles per operation by path (estimated: events x costs.ts). */
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
  syscall: 'sys', dispatch: 'disp', upcall: 'upc', 'stlb refill': 'stlb', 'guaranteed refill': 'gref', 'context switch': 'ctx', tlb_map: 'map',
};

/** Kernel cycles an event stands for, by path (costs.ts). */
function pathCost(e: KernelEvent): [string, number] | undefined {
  switch (e.kind) {
    case 'syscall': return ['syscall', Costs.SYSCALL];
    case 'dispatch': return ['dispatch', Costs.DISPATCH];
    case 'upcall': return ['upcall', Costs.DISPATCH];
    case 'stlb-hit': return ['stlb refill', Costs.STLB_REFILL];
    case 'guaranteed-hit': return ['guaranteed refill', Costs.GUARANTEED_REFILL];
    case 'context-switch': return ['context switch', Costs.CONTEXT_SWITCH];
    case 'binding-installed': return ['tlb_map', Costs.TLB_MAP];
    default: return undefined;
  }
}

/** Runs one row; undefined when its program never bracketed a loop. */
function measure(r: Row): PaperResult | undefined {
  const s = new Session({
    checkpointEvery: 0,
    envs: r.envs.map((e) => { const p = imagePath(e.image); return { name: e.name, image: parseElf(new Uint8Array(readFileSync(p)), p), args: e.args, slices: e.slices }; }),
  });
  const id = s.envIds.get(r.measured)!;
  const marks: { cycle: number; instret: number }[] = [];
  let entries = 0;
  const kernel: Record<string, number> = {};
  s.kernel.onKernelExit = () => { if (marks.length === 1) entries++; };
  s.kernel.log.subscribe((e) => {
    if (e.kind === 'syscall' && e.env === id && e.call === 'Null' && marks.length < 2) {
      marks.push({ cycle: e.cycle, instret: s.kernel.cpu.instret });
    }
    else if (marks.length === 1) { const c = pathCost(e); if (c) kernel[c[0]] = (kernel[c[0]] ?? 0) + c[1]; }
  });
  // Run until the measured program has checked its results and exited (its server may run on).
  while (s.kernel.envs.get(id)!.state !== 'destroyed' && s.kernel.now() < 2_000_000_000) if (s.run(10_000_000).reason === 'idle') break;
  if (marks.length < 2) return undefined;
  const cycles = marks[1].cycle - marks[0].cycle;
  const env = s.kernel.envs.get(id)!;
  const per = (v: number) => Math.round((v / r.iterations) * 10) / 10;
  return {
    operation: r.operation, us: Math.round((cycles / r.iterations / MHZ) * 100) / 100, exos: r.exos, ultrix: r.ultrix,
    cyclesPerOp: per(cycles), userInstructions: per(marks[1].instret - marks[0].instret), kernelEntries: per(entries),
    kernel: Object.fromEntries(Object.entries(kernel).map(([k, v]) => [k, per(v)])),
    ok: /\bok\b/.test(env.console) && !/BAD/.test(env.console), console: env.console,
  };
}

/** A row measured from kernel events rather than between null calls. */
function eventRow(operation: string, exos: number | undefined, ultrix: number | undefined, envs: Row['envs'], window: (s: Session) => number[]): PaperResult | undefined {
  if (!envs.every((e) => existsSync(imagePath(e.image)))) return undefined;
  const s = new Session({
    checkpointEvery: 0,
    envs: envs.map((e) => { const p = imagePath(e.image); return { name: e.name, image: parseElf(new Uint8Array(readFileSync(p)), p), args: e.args }; }),
  });
  const spans = window(s);
  s.run(500_000_000);
  if (!spans.length) return undefined;
  const cycles = spans.reduce((a, b) => a + b, 0) / spans.length;
  const env = [...s.kernel.envs.values()][0];
  return {
    operation, us: Math.round((cycles / MHZ) * 100) / 100, exos, ultrix, cyclesPerOp: Math.round(cycles * 10) / 10,
    userInstructions: -1, kernelEntries: -1, kernel: {}, ok: /\bok\b/.test(env.console) && !/BAD/.test(env.console), console: env.console,
  };
}

/** Exception dispatch: the trap to the first instruction of the library OS's handler (the paper: 18 instructions, 1.5 us). */
function dispatchRow(): PaperResult | undefined {
  return eventRow('exception dispatch', 1.5, undefined, [{ name: 'hello', image: 'hello', args: [] }], (s) => {
    const spans: number[] = [];
    let trap = -1;
    s.kernel.onTrap = () => { trap = s.kernel.cpu.cycles; };
    s.kernel.log.subscribe((e) => { if (e.kind === 'dispatch' && trap >= 0) { spans.push(e.cycle - trap); trap = -1; } });
    return spans;
  });
}

/** A UDP round trip from udp-ping to the peer host on the wire and back (the peer answers after 100 us). */
function udpRow(): PaperResult | undefined {
  return eventRow('udp round trip*', 320, 3400, [{ name: 'ping', image: 'udp-ping', args: ['10.0.0.2', '10.0.0.1', '7', '50'] }], (s) => {
    const spans: number[] = [];
    let sent = -1, n = 0;
    s.kernel.log.subscribe((e) => {
      if (e.kind === 'packet-sent') { sent = e.cycle; n++; }
      if (e.kind === 'packet-delivered' && sent >= 0 && n > 1) { spans.push(e.cycle - sent); sent = -1; }
    });
    return spans;
  });
}

/** Runs every row whose programs are built. */
export function runPaperBench(): { results: PaperResult[]; missing: string[] } {
  const results: PaperResult[] = [];
  const missing: string[] = [];
  for (const r of ROWS) {
    const m = available(r) ? measure(r) : undefined;
    if (m) results.push(m); else missing.push(r.operation);
  }
  for (const [name, row] of [['exception dispatch', dispatchRow], ['udp round trip', udpRow]] as const) {
    const m = row();
    if (m) results.push(m); else missing.push(name);
  }
  return { results, missing };
}

/** The table rows as ink-table data. */
export function tableData(results: readonly PaperResult[]): Record<string, string>[] {
  return results.map((r) => ({
    operation: r.operation,
    'ours (us)': r.us.toFixed(2),
    'ExOS (us)': r.exos?.toFixed(1) ?? 'n/a',
    'Ultrix (us)': r.ultrix?.toFixed(1) ?? 'n/a',
    'cycles/op': String(r.cyclesPerOp),
    'user insns': r.userInstructions < 0 ? '-' : String(r.userInstructions),
    'kernel entries': r.kernelEntries < 0 ? '-' : String(r.kernelEntries),
    'kernel cycles by path': Object.entries(r.kernel).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${PATH_SHORT[k] ?? k} ${Math.round(v)}`).join(' '),
    checked: r.ok ? 'ok' : 'BAD',
  }));
}
