// The UDP round trip of `exoscope bench --paper`, app to app, as the Aegis
// paper measured it (DEC5000s on one 10 Mb/s Ethernet, table 10: ExOS 320
// us, ExOS with an ASH 259 us, Ultrix 3,400 us): udp-ping on one emulated
// DECstation, udp-echo on another, both on one simulated Ethernet in one
// session (src/session/lockstep.ts, src/net/segment.ts). The echo is answered by
// udp-echo's own code in one row and by its ASH, run by the kernel on
// arrival, in the other. udp-ping brackets its round trips with two null
// system calls; the window is the client machine's cycles between them.
// What ran in it is counted on both machines: the client program's
// instructions, the server's (its program's, and the ASH's in the kernel's
// sandbox), and both kernels' paths at their costs.ts charges.

import type { Kernel, KernelEvent } from '../exokernel/index.js';
import { sessionFromScenario } from '../session/index.js';
import type { PaperResult } from './paper-bench.js';
import { imageName, MHZ, pathCost } from './paper-paths.js';
import { paperRows, type Row } from './paper-rows.js';

/** What the server machine did in the window, per round trip. */
export interface ServerCount {
  /** Instructions of udp-echo's own code. */
  readonly own: number;
  /** Instructions its ASH ran in the kernel's sandbox. */
  readonly ash: number;
  /** Every instruction of the server machine's environments. */
  readonly instructions: number;
}

/** A round-trip row: PaperResult with the server's side. */
export interface UdpPaperResult extends PaperResult {
  readonly server: ServerCount;
}

/** Counters of one machine, sampled at each of its kernel entries: the value at a cycle is the last sample at or before it. */
class Samples {
  private readonly at: { cycle: number; instret: number; own: number; ash: number; entries: number; switches: number; copied: number; charged: number; idle: number; kernel: Record<string, number> }[] = [];
  own = 0;
  ash = 0;
  entries = 0;
  switches = 0;
  copied = 0;
  charged = 0;
  idle = 0;
  private last = 0;
  readonly kernel: Record<string, number> = {};

  /** Follows `k`: instructions between kernel entries are the environment's that trapped (`id`'s counted as its own). */
  constructor(private readonly k: Kernel, id: () => number | undefined) {
    k.onTrap.add(() => { if (k.current?.id === id()) this.own += k.cpu.instret - this.last; this.last = k.cpu.instret; this.entries++; this.sample(); });
    k.onKernelExit.add(() => { this.last = k.cpu.instret; });
    k.log.subscribe((e) => this.onEvent(e));
  }

  private onEvent(e: KernelEvent): void {
    if (e.kind === 'ash') this.ash += e.instructions;
    if (e.kind === 'context-switch') this.switches++;
    if (e.kind === 'packet-sent') this.copied += Math.max(60, e.len);
    if (e.kind === 'packet-received') this.copied += e.len;
    const c = pathCost(e);
    if (c) this.kernel[c[0]] = (this.kernel[c[0]] ?? 0) + c[1];
    this.sample();
  }

  private sample(): void {
    // Every cycle the kernel charged, and every cycle the machine idled, since boot.
    this.charged = this.k.charged;
    this.idle = this.k.machine.idleCycles;
    this.at.push({ cycle: this.k.now(), instret: this.k.cpu.instret, own: this.own, ash: this.ash, entries: this.entries, switches: this.switches, copied: this.copied, charged: this.charged, idle: this.idle, kernel: { ...this.kernel } });
  }

  /** The sample in force at `cycle`. */
  value(cycle: number) {
    let lo = 0, hi = this.at.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (this.at[m].cycle <= cycle) lo = m + 1; else hi = m; }
    return this.at[Math.max(0, lo - 1)] ?? { cycle: 0, instret: 0, own: 0, ash: 0, entries: 0, switches: 0, copied: 0, charged: 0, idle: 0, kernel: {} };
  }
}

/** Runs one row on its machines (the measured program on the first, what answers it on the others); undefined when the program never bracketed its loop. */
export function measureUdp(r: Row): UdpPaperResult | undefined {
  const s = sessionFromScenario(r.scenario);
  const N = r.iterations;
  const server = s.companions[0];
  const answering = r.scenario.machines[1].environments[0].name;
  const k = s.kernel, ping = s.envIds.get(r.measured)!;
  const client = new Samples(k, () => ping);
  const srv = new Samples(server.kernel, () => server.envIds.get(answering));
  const marks: number[] = [];
  k.log.subscribe((e) => { if (e.kind === 'syscall' && e.env === ping && e.call === 'Null') marks.push(e.cycle); });
  while (k.envs.get(ping)!.state !== 'destroyed' && k.now() < 500_000_000) if (s.run(10_000_000).reason === 'idle') break;
  if (marks.length < 2) return undefined;
  const [c0, c1] = marks;
  const per = (v: number) => Math.round((v / N) * 10) / 10;
  const span = (x: Samples, f: (v: ReturnType<Samples['value']>) => number) => f(x.value(c1)) - f(x.value(c0));
  const paths = new Set([...Object.keys(client.kernel), ...Object.keys(srv.kernel)]);
  const kernel = Object.fromEntries([...paths].map((p) => [p, per(span(client, (v) => v.kernel[p] ?? 0) + span(srv, (v) => v.kernel[p] ?? 0))]).filter(([, v]) => v !== 0));
  const serverInsns = span(srv, (v) => v.instret);
  const env = k.envs.get(ping)!;
  const echo = server.kernel.envs.get(server.envIds.get(answering) ?? -1);
  return {
    operation: r.operation, image: imageName(r.image), window: r.window,
    us: Math.round(((c1 - c0) / N / MHZ) * 100) / 100, exos: r.exos, ultrix: r.ultrix, cyclesPerOp: per(c1 - c0),
    userInstructions: per(span(client, (v) => v.instret) + serverInsns + span(srv, (v) => v.ash)), ownInstructions: per(span(client, (v) => v.own)),
    kernelEntries: per(span(client, (v) => v.entries) + span(srv, (v) => v.entries)), kernel,
    contextSwitches: per(span(client, (v) => v.switches) + span(srv, (v) => v.switches)),
    copyBytes: per(span(client, (v) => v.copied) + span(srv, (v) => v.copied)),
    charged: per(span(client, (v) => v.charged)),
    // The client's cycles not spent on instructions, charges or idling: its mfhi/mflo stalls.
    stalls: per((c1 - c0) - span(client, (v) => v.instret) - span(client, (v) => v.charged) - span(client, (v) => v.idle)),
    wait: per(span(client, (v) => v.idle)),
    monolithic: null,
    monolithicNone: 'none' in r.mono ? r.mono.none : 'not measured across machines',
    ratio: null,
    paperRatio: r.ultrix === undefined || r.exos === undefined ? null : Math.round((r.ultrix / r.exos) * 10) / 10,
    ok: /udp-ping ok/.test(env.console) && !/BAD/.test(env.console) && !/BAD/.test(echo?.console ?? ''),
    console: env.console,
    server: { own: per(span(srv, (v) => v.own)), ash: per(span(srv, (v) => v.ash)), instructions: per(serverInsns) },
  };
}

/** The rows of scenarios/paper that run on several machines, measured. */
export function runUdpPaperRows(): { results: UdpPaperResult[]; missing: string[] } {
  const results: UdpPaperResult[] = [];
  const missing: string[] = [];
  for (const r of paperRows().filter((x) => x.scenario.machines.length > 1)) {
    const m = measureUdp(r);
    if (m) results.push(m); else missing.push(r.operation);
  }
  return { results, missing };
}
