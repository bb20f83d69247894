// The rows of `exoscope bench --paper`: what each one runs on the exokernel
// with ExOS, what it runs on the monolithic kernel (the same benchmark
// source, src/bench-common, built for both), and the paper's figures. A row
// is data; another module may add rows by passing its own list to
// runPaperBench (paper-bench.ts) or by appending to PAPER_ROWS' shape.

/** One environment of a row: its image (src/exos/images/exos-<image>.elf) and arguments. */
export interface RowEnv {
  readonly name: string;
  readonly image: string;
  readonly args: readonly string[];
  readonly slices?: number;
}

/** The monolithic kernel's side of a row: the program mono.elf runs (argv after the kernel's name), or why there is none. */
export type MonoSide =
  | { readonly args: readonly string[]; readonly wire?: boolean }
  | { readonly none: string };

/** One measured operation and the paper's figures for it (microseconds; undefined where the paper has none). */
export interface Row {
  readonly operation: string;
  readonly envs: readonly RowEnv[];
  /** The environment whose null calls bracket the timed loop. */
  readonly measured: string;
  readonly iterations: number;
  readonly exos?: number;
  readonly ultrix?: number;
  /** Exactly what the window holds, for the table's notes and the JSON. */
  readonly window: string;
  /** A second window (marks 3 and 4) of the same loop without the operation, subtracted. */
  readonly baseline?: boolean;
  /** The same program on the monolithic kernel, timed between the same two null calls (same iterations). */
  readonly mono: MonoSide;
}

const KEY = '5a5a12345678abcd';
export const N = 200;
export const UDP_N = 50;

const IPC = (what: string) => `the client's ${N} ${what} and the server's replies: both programs' instructions and the kernel's work, between the client's two null calls`;
const COMMON = 'the same source (src/bench-common) on both kernels';

/** A client/server pair of environments running `image` (bench_pair's or ipc_*'s arguments). */
function pair(image: string, extra: readonly string[] = []): RowEnv[] {
  return [
    { name: 'server', image, args: ['server', '2', '3000', KEY, String(N), ...extra] },
    { name: 'client', image, args: ['client', '1', '3000', KEY, String(N), ...extra] },
  ];
}

/** What one iteration of each bench-vm test does (src/bench-common/vm.c). */
const VM_WHAT: Readonly<Record<string, string>> = {
  dirty: 'dirty-bit queries', prot1: 'one-page write-protects', prot100: '100-page write-protects', unprot100: '100-page unprotects',
  trap: 'stores to a protected page, each resolved by its write-fault handler', appel1: 'protection faults that unprotect one page and protect another',
  appel2: 'page faults after protecting 100 pages (one iteration = one page)',
};

/** A bench-vm row: one environment, `n` runs of the test (appel2 counts one iteration per page, 100 a run). */
function vmRow(test: string, n: number): Row {
  const mono: MonoSide = test === 'dirty'
    ? { none: 'the monolithic kernel (like Ultrix) offers no dirty-bit query' }
    : { args: ['bench-vm', test, String(n)] };
  return {
    operation: test, measured: 'vm', iterations: test === 'appel2' ? n * 100 : n, mono,
    window: `bench-vm's loop of ${VM_WHAT[test]}, ${COMMON}: on ExOS its own page table and the kernel's tlb_map and dispatch, on the monolithic kernel mprotect and SIGSEGV; between its two null calls`,
    envs: [{ name: 'vm', image: 'bench-vm', args: [test, String(n)] }],
  };
}

/** The rows: the IPC table of the Aegis paper (DEC5000 figures, reference/exokernel.md), Appel and Li's primitives, dispatch, UDP. */
export const PAPER_ROWS: readonly Row[] = [
  { operation: 'pipe', measured: 'client', iterations: N, exos: 14.2, ultrix: 199.0, envs: pair('bench-pipe'),
    window: `${IPC('one-word pipe writes')}; ${COMMON} (ExOS: a library pipe on a shared frame and directed yield; monolithic: pipe(2) and the scheduler)`,
    mono: { args: ['bench-pipe', String(N)] } },
  { operation: "pipe'", measured: 'client', iterations: N, exos: 10.7, envs: pair('ipc-pipe', ['inline']),
    window: `${IPC('inlined one-word pipe writes')} (ExOS ipc-pipe)`,
    mono: { none: 'the inlined pipe is an ExOS library optimisation (the paper has no Ultrix figure either)' } },
  { operation: 'shm', measured: 'client', iterations: N, exos: 5.7, ultrix: 118.0, envs: pair('bench-shm'),
    window: `${IPC('shared-memory counter increments')}; ${COMMON} (ExOS: a shared frame and directed yield; monolithic: shmget/shmat and yield)`,
    mono: { args: ['bench-shm', String(N)] } },
  { operation: 'lrpc', measured: 'client', iterations: N, exos: 6.3, envs: [
    { name: 'server', image: 'lrpc-server', args: ['0'] },
    { name: 'client', image: 'ipc-lrpc', args: ['1', String(N)] }],
    window: IPC('LRPC calls over PCT'),
    mono: { none: 'no LRPC on the monolithic kernel (the paper has no Ultrix figure either)' } },
  // Application-level virtual memory after Appel and Li; reference/exokernel.md has no paper figures for these.
  ...(['dirty', 'prot1', 'prot100', 'unprot100', 'trap', 'appel1'] as const).map((t) => vmRow(t, N)),
  vmRow('appel2', 20),
  { operation: 'exception dispatch', measured: 'exc', iterations: N, exos: 1.5, baseline: true,
    window: `exc-bench: ${N} turns of a loop that takes a breakpoint (kernel dispatch to its handler, which returns itself) minus ${N} turns of the same loop with a nop in its place; each between two null calls`,
    envs: [{ name: 'exc', image: 'exc-bench', args: [String(N)] }],
    mono: { none: 'no handler-returns-itself exception path on the monolithic kernel (a fault becomes a signal: see trap)' } },
  { operation: 'udp round trip*', measured: 'ping', iterations: UDP_N, exos: 320, ultrix: 3400,
    window: `bench-udp-ping's own loop, ${UDP_N} times, ${COMMON}: build and send a 64-byte datagram, wait, receive and check the echo, with the kernel's network work (ExOS: transmit, interrupt, DPF, ring copy; monolithic: its socket layer and LANCE driver); the echo comes from the simulated peer host on the wire, not a second DECstation`,
    envs: [{ name: 'ping', image: 'bench-udp-ping', args: ['10.0.0.2', '10.0.0.1', '7', String(UDP_N)] }],
    mono: { args: ['bench-udp-ping', '10.0.0.2', '10.0.0.1', '7', String(UDP_N)], wire: true } },
];
