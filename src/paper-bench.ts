// `exoscope bench --paper`: the Aegis paper's measurements rerun on the
// emulated DECstation (issue 8). Each row runs real guest code in a fresh
// session; a program brackets its timed loop with two null system calls and
// the cycles between them, divided by its iterations, are its figure. Where
// the cycles go comes from the same window: instructions executed, kernel
// entries, and kernel cycles by path (event counts times src/exokernel/costs.ts).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf } from './emu/index.js';
import { Costs, type KernelEvent } from './exokernel/index.js';
import { Session } from './session/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
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
];

/** What one row measured. */
export interface PaperResult {
  readonly operation: string;
  /** Emulated microseconds per operation at 25 MHz. */
  readonly us: number;
  readonly exos: number | undefined;
  readonly ultrix: number | undefined;
  readonly cyclesPerOp: number;
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
      if (marks.length === 2) s.pause();
    }
    else if (marks.length === 1) { const c = pathCost(e); if (c) kernel[c[0]] = (kernel[c[0]] ?? 0) + c[1]; }
  });
  s.run(2_000_000_000);
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
    'ExOS (us)': r.exos?.toFixed(1) ?? 'n/a',
    'Ultrix (us)': r.ultrix?.toFixed(1) ?? 'n/a',
    'cycles/op': String(r.cyclesPerOp),
    'user insns': String(r.userInstructions),
    'kernel entries': String(r.kernelEntries),
    'kernel cycles by path': Object.entries(r.kernel).map(([k, v]) => `${k} ${v}`).join(', '),
    checked: r.ok ? 'ok' : 'BAD',
  }));
}
