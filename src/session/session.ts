// One debugging session: the kernel and its machine, breakpoints, the event
// log, automatic checkpoints and stepping. The TUI, headless replay and the
// recorder all drive a Session; none of them touches the kernel directly.

import { decodeInstruction, excName, type ElfSymbol } from '../emu/index.js';
import { EnvCreateError, Kernel, type Env, type EnvImage, type KernelEvent } from '../exokernel/index.js';
import { watches, type Breakpoint, type Hit, type ResolvedBreakpoint } from './breakpoints.js';
import { CheckpointStore, type CheckpointLimits } from './checkpoints.js';
import { PeerHost, Wire } from './wire.js';
import { ipv4udp, parseHex } from './frames.js';
import type { PacketSpec } from './scenario-types.js';

/** An environment to create: its image (with symbols, for breakpoints by name). */
export interface EnvSpec {
  readonly name: string;
  readonly image: EnvImage & { readonly symbols?: readonly ElfSymbol[] };
  readonly args?: readonly string[];
  /** Cycle at which it is created (0: at boot). */
  readonly start?: number;
  /** Time slices it starts with (default 1). */
  readonly slices?: number;
}

/** What a session is built from. */
export interface SessionSetup {
  readonly ramSize?: number;
  readonly cpuHz?: number;
  readonly seed?: number;
  readonly tickHz?: number;
  readonly sliceTicks?: number;
  readonly envs: readonly EnvSpec[];
  /** Cycles between automatic checkpoints (default 2,000,000); 0 turns them off. */
  readonly checkpointEvery?: number;
  readonly checkpointLimits?: CheckpointLimits;
  /** The simulated host on the wire (default 10.0.0.1 at 02:00:00:00:00:01, echoing UDP port 7; null for none). */
  readonly peer?: { readonly ip: string; readonly mac: string } | null;
}

/**
 * Why a run stopped. `timeline`: a scenario step that is the front end's to
 * carry out (a key, a pause, a break) fired; `end`: the scenario's run
 * limit was reached (both only with a RunHook attached).
 */
export interface Stop {
  readonly reason: 'budget' | 'idle' | 'breakpoint' | 'step' | 'paused' | 'timeline' | 'end';
  readonly detail: string;
  /** With reason 'breakpoint': which breakpoint stopped the run (the detail says the same in words). */
  readonly hit?: Hit;
  readonly cycle: number;
  readonly instret: number;
}

/**
 * What drives a session from outside while it runs: a scenario's timeline
 * (ScenarioRun). `fire` carries out the steps that are due and returns a
 * stop when the run must return to its caller; `nextTrigger` is the
 * earliest cycle at which a step may come due.
 */
export interface RunHook {
  fire(): Pick<Stop, 'reason' | 'detail'> | undefined;
  nextTrigger(): number;
}

const STEP_OVER_MAX = 100_000_000;

/** A debugging session over one kernel. */
export class Session {
  readonly kernel: Kernel;
  /** Environment ids by scenario name and back. */
  readonly envIds = new Map<string, number>();
  readonly envNames = new Map<number, string>();
  readonly symbols = new Map<string, readonly ElfSymbol[]>();
  private readonly pending: EnvSpec[];
  private readonly breakpoints = new Map<number, ResolvedBreakpoint>();
  private nextBp = 1;
  /** The breakpoint an event or exception hit during the current run, and the stop's detail. */
  private hit: { readonly detail: string; readonly at: Hit } | undefined;
  /** Breakpoints are ignored while replaying forward to a step-back target. */
  private muted = false;
  private pauseRequested = false;
  private unsubscribe: (() => void) | undefined;
  private hook: RunHook | undefined;
  private hookDue = false;
  private readonly checkpoints: CheckpointStore | undefined;
  private readonly checkpointEvery: number;
  private nextCheckpoint = 0;
  lastStop: Stop;
  /** The Ethernet outside the machine: injected and captured frames, and the peer host. */
  readonly wire: Wire;
  readonly peer: PeerHost | undefined;

  /** Boots the kernel and creates the environments that start at cycle 0. */
  constructor(readonly setup: SessionSetup) {
    this.kernel = new Kernel({ ramSize: setup.ramSize, cpuHz: setup.cpuHz, seed: setup.seed, tickHz: setup.tickHz, sliceTicks: setup.sliceTicks });
    this.wire = new Wire(this.kernel.machine);
    if (setup.peer !== null) {
      this.peer = new PeerHost({ ...(setup.peer ?? { ip: '10.0.0.1', mac: '02:00:00:00:00:01' }), echoPort: 7 });
      this.wire.attach(this.peer);
    }
    this.pending = [...setup.envs].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    this.startDue();
    this.kernel.onTrap = (code) => this.onTrap(code);
    this.checkpointEvery = setup.checkpointEvery ?? 2_000_000;
    if (this.checkpointEvery > 0) this.checkpoints = new CheckpointStore(this.kernel, setup.checkpointLimits);
    this.lastStop = { reason: 'paused', detail: 'booted', cycle: 0, instret: 0 };
  }

  /**
   * Creates the environments whose start cycle has come. One the kernel
   * cannot create (no free frames or slices left) is an env-create-failed
   * event, and the session goes on without it.
   */
  private startDue(): void {
    while (this.pending.length && (this.pending[0].start ?? 0) <= this.kernel.now()) {
      const spec = this.pending.shift()!;
      let env: Env;
      try {
        env = this.kernel.createEnv(spec.image, spec.name, spec.args ?? [], { slices: spec.slices });
      } catch (e) {
        if (e instanceof EnvCreateError) continue;
        throw e;
      }
      this.envIds.set(spec.name, env.id);
      this.envNames.set(env.id, spec.name);
      if (spec.image.symbols) this.symbols.set(spec.name, spec.image.symbols);
    }
  }

  /** The name of the environment on the CPU, if any. */
  private currentName(): string | undefined {
    const c = this.kernel.current;
    return c ? this.envNames.get(c.id) : undefined;
  }

  private matchesEnv(bp: ResolvedBreakpoint, envId: number | undefined): boolean {
    return bp.env === undefined || (envId !== undefined && this.envIds.get(bp.env) === envId);
  }

  private onEvent(e: KernelEvent): void {
    if (this.hit !== undefined || this.muted) return;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'event' || bp.event !== e.kind) continue;
      const envId = 'env' in e ? (e.env as number) : undefined;
      if (!this.matchesEnv(bp, envId)) continue;
      this.hit = { detail: `event ${e.kind}${envId !== undefined ? ` (${this.envNames.get(envId) ?? envId})` : ''}`, at: { id, breakpoint: bp, event: e } };
      this.kernel.stop();
      return;
    }
  }

  private onTrap(code: number): void {
    if (this.hit !== undefined || this.muted) return;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'exception' || bp.code !== code || !this.matchesEnv(bp, this.kernel.current?.id)) continue;
      const epc = (this.kernel.cpu.epc >>> 0).toString(16).padStart(8, '0');
      this.hit = { detail: `exception ${excName(code)} at epc 0x${epc}${this.kernel.current ? ` in ${this.currentName()}` : ''}`, at: { id, breakpoint: bp } };
      this.kernel.stop();
      return;
    }
  }

  /**
   * `b` with its symbol resolved to an address, or a message saying why it
   * cannot be set (an unknown environment or symbol).
   */
  resolveBreakpoint(b: Breakpoint): ResolvedBreakpoint | string {
    if (b.env !== undefined && !this.envIds.has(b.env) && !this.setup.envs.some((e) => e.name === b.env)) return `No environment ${b.env}`;
    if (b.kind !== 'symbol') return b;
    const base = this.symbolAddress(b.symbol, b.env);
    if (base === undefined) return `No symbol ${b.symbol}${b.env ? ` in ${b.env}` : ''}`;
    return { kind: 'pc', addr: (base + (b.offset ?? 0)) >>> 0, env: b.env };
  }

  /**
   * Adds a breakpoint; returns its id. PC breakpoints name a virtual address.
   * The session listens to events only while an event breakpoint exists, so
   * a run that nobody watches pays nothing for them. Throws Error for a
   * breakpoint resolveBreakpoint refuses (callers resolve first).
   */
  addBreakpoint(b: Breakpoint): number {
    const bp = this.resolveBreakpoint(b);
    if (typeof bp === 'string') throw new Error(bp);
    const id = this.nextBp++;
    this.breakpoints.set(id, bp);
    if (bp.kind === 'pc') this.kernel.cpu.setBreakpoint(bp.addr, true);
    if (bp.kind === 'watch') this.kernel.cpu.setWatchpoint(bp.addr, bp.len, bp.read, bp.write, true);
    if (bp.kind === 'event' && !this.unsubscribe) this.unsubscribe = this.kernel.log.subscribe((e) => this.onEvent(e));
    return id;
  }

  /** Removes breakpoint `id`; false when there is none. */
  removeBreakpoint(id: number): boolean {
    const bp = this.breakpoints.get(id);
    if (!bp) return false;
    this.breakpoints.delete(id);
    if (this.unsubscribe && ![...this.breakpoints.values()].some((b) => b.kind === 'event')) { this.unsubscribe(); this.unsubscribe = undefined; }
    if (bp.kind === 'pc' && ![...this.breakpoints.values()].some((b) => b.kind === 'pc' && b.addr === bp.addr)) {
      this.kernel.cpu.setBreakpoint(bp.addr, false);
    }
    if (bp.kind === 'watch') this.kernel.cpu.setWatchpoint(bp.addr, bp.len, bp.read, bp.write, false);
    return true;
  }

  /** The breakpoints with their ids. */
  listBreakpoints(): [number, ResolvedBreakpoint][] {
    return [...this.breakpoints];
  }

  /** Resolves `name` (a symbol of an environment's image) to an address. */
  symbolAddress(name: string, env?: string): number | undefined {
    const lists = env ? [this.symbols.get(env) ?? []] : [...this.symbols.values()];
    for (const syms of lists) {
      const s = syms.find((x) => x.name === name);
      if (s) return s.value >>> 0;
    }
    return undefined;
  }

  /**
   * Runs at most `budget` cycles, stopping at breakpoints. PC breakpoints of
   * another environment are stepped over. Returns why it stopped. With
   * `continuing` (the previous run ended on its budget and this one carries
   * it on, as a debugger running in slices does) a pc breakpoint at the
   * current pc is hit rather than resumed from.
   */
  run(budget: number, continuing = false): Stop {
    const k = this.kernel;
    const end = k.now() + budget;
    this.hit = undefined;
    this.pauseRequested = false;
    // Resuming from a pc breakpoint: the environment stopped there executes it
    // once, even if another environment runs first.
    let resume: { env: number | undefined; pc: number } | undefined = continuing ? undefined : { env: k.current?.id, pc: k.cpu.pc >>> 0 };
    if (!continuing) { k.cpu.skipBreakpoint = k.cpu.pc; k.cpu.skipWatch = k.cpu.pc; }
    while (k.now() < end) {
      this.startDue();
      this.hookDue = false;
      const held = this.hook?.fire();
      if (held) return this.stop(held.reason, held.detail);
      const until = Math.min(end, this.nextStop());
      const r = k.run(until - k.now());
      const hit = this.caught();
      if (hit) return this.stop('breakpoint', hit.detail, hit.at);
      if (this.pauseRequested) { this.pauseRequested = false; return this.stop('paused', 'paused'); }
      if (this.hookDue) continue;
      if (r === 'idle') { if (this.pending.length) { k.cpu.cycles = Math.max(k.now(), this.pending[0].start ?? 0); continue; } return this.stop('idle', 'no environment is runnable'); }
      if (k.machine.cpu.stopReason === 'breakpoint') {
        const here = { env: k.current?.id, pc: k.cpu.pc >>> 0 };
        const resuming = resume !== undefined && resume.env === here.env && resume.pc === here.pc;
        if (resuming) resume = undefined;
        const hit = resuming ? undefined : this.pcBreakpointHit();
        if (hit) return this.stop('breakpoint', hit.detail, hit.at);
        k.cpu.skipBreakpoint = k.cpu.pc;
      }
      if (k.machine.cpu.stopReason === 'watchpoint') {
        const hit = this.watchpointHit();
        if (hit) return this.stop('breakpoint', hit.detail, hit.at);
        k.cpu.skipWatch = k.cpu.pc;
      }
      this.maybeCheckpoint();
    }
    return this.stop('budget', `ran ${budget} cycles`);
  }

  /**
   * Attaches what drives this session from outside (one at most): `run`
   * asks it to fire at every return to the session and never runs past its
   * next trigger. Returns what detaches it.
   */
  attach(hook: RunHook): () => void {
    if (this.hook) throw new Error('Cannot attach a second run hook to a session');
    this.hook = hook;
    return () => { if (this.hook === hook) this.hook = undefined; };
  }

  /** Makes a run in progress return to the session at the next instruction boundary, so that the run hook fires. */
  wake(): void {
    this.hookDue = true;
    this.kernel.stop();
  }

  /** The earliest cycle at which the session must regain control. */
  private nextStop(): number {
    let t = Infinity;
    if (this.hook) t = Math.min(t, this.hook.nextTrigger());
    if (this.pending.length) t = Math.min(t, this.pending[0].start ?? 0);
    if (this.checkpoints) t = Math.min(t, this.nextCheckpoint);
    return Math.max(t, this.kernel.now() + 1);
  }

  private maybeCheckpoint(): void {
    if (!this.checkpoints || this.kernel.now() < this.nextCheckpoint) return;
    this.checkpoints.take(this.sessionState());
    this.nextCheckpoint = this.kernel.now() + this.checkpointEvery;
  }

  /** The session's own state that checkpoints must carry. */
  private sessionState(): { pending: number; nextCheckpoint: number; wire: ReturnType<Wire['save']> } {
    return { pending: this.setup.envs.length - this.pending.length, nextCheckpoint: this.nextCheckpoint, wire: this.wire.save() };
  }

  /** The watchpoint of the current environment that the CPU stopped before, with the stop's detail. */
  private watchpointHit(): { detail: string; at: Hit } | undefined {
    const access = this.kernel.cpu.watchHit;
    const cur = this.kernel.current?.id;
    if (!access) return undefined;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind !== 'watch' || !watches(bp, access) || !this.matchesEnv(bp, cur)) continue;
      const detail = `watchpoint ${access.write ? 'write' : 'read'} 0x${access.addr.toString(16).padStart(8, '0')}${cur ? ` in ${this.currentName()}` : ''}`;
      return { detail, at: { id, breakpoint: bp, access } };
    }
    return undefined;
  }

  /** A PC breakpoint matching the current environment, with the stop's detail. */
  private pcBreakpointHit(): { detail: string; at: Hit } | undefined {
    const pc = this.kernel.cpu.pc >>> 0;
    const cur = this.kernel.current?.id;
    for (const [id, bp] of this.breakpoints) {
      if (bp.kind === 'pc' && bp.addr === pc && this.matchesEnv(bp, cur)) {
        return { detail: `pc 0x${pc.toString(16).padStart(8, '0')}${cur ? ` in ${this.currentName()}` : ''}`, at: { id, breakpoint: bp } };
      }
    }
    return undefined;
  }

  /** The event or exception breakpoint hit during the current run (a method, so that no narrowing of `hit` hides what the kernel's callbacks set). */
  private caught(): { readonly detail: string; readonly at: Hit } | undefined {
    return this.hit;
  }

  private stop(reason: Stop['reason'], detail: string, hit?: Hit): Stop {
    const cpu = this.kernel.cpu;
    this.lastStop = hit ? { reason, detail, hit, cycle: cpu.cycles, instret: cpu.instret } : { reason, detail, cycle: cpu.cycles, instret: cpu.instret };
    return this.lastStop;
  }

  /** Executes `n` instructions (kernel entries between them are not counted). */
  step(n = 1): Stop {
    const k = this.kernel;
    const target = k.cpu.instret + n;
    this.hit = undefined;
    while (k.cpu.instret < target) {
      this.startDue();
      k.cpu.skipBreakpoint = k.cpu.pc;
      k.cpu.skipWatch = k.cpu.pc;
      const r = k.run(1);
      if (r === 'idle' && !this.pending.length && ![...k.envs.values()].some((e) => e.state === 'waiting')) return this.stop('idle', 'no environment is runnable');
      if (r === 'idle' && !this.pending.length) k.machine.idleTo(k.now() + 1);
      const hit = this.caught();
      if (hit) return this.stop('breakpoint', hit.detail, hit.at);
    }
    return this.stop('step', `stepped ${n}`);
  }

  /**
   * Where a step over the instruction at pc ends: when it is a call (the
   * instruction table marks it `links`: jal, jalr, bal, bgezal, bltzal), the
   * instruction after its delay slot in the same environment; otherwise
   * undefined (a step over it is one step).
   */
  callReturn(): { readonly addr: number; readonly env: string | undefined } | undefined {
    const pc = this.kernel.cpu.pc >>> 0;
    const word = this.readWord(pc);
    if (word === undefined || !decodeInstruction(word)?.links) return undefined;
    return { addr: (pc + 8) >>> 0, env: this.currentName() };
  }

  /** Steps over a call (see callReturn), else steps one instruction. */
  stepOver(): Stop {
    const k = this.kernel;
    const ret = this.callReturn();
    if (!ret) return this.step(1);
    const id = this.addBreakpoint({ kind: 'pc', addr: ret.addr, env: ret.env });
    try {
      const s = this.run(STEP_OVER_MAX);
      return s.reason === 'breakpoint' && k.cpu.pc >>> 0 === ret.addr ? this.stop('step', 'stepped over the call') : s;
    } finally {
      this.removeBreakpoint(id);
    }
  }

  /**
   * Goes back `n` instructions: restores the nearest earlier checkpoint and
   * runs forward. Returns undefined when no checkpoint is that early.
   */
  stepBack(n = 1): Stop | undefined {
    if (!this.checkpoints) return undefined;
    const target = this.kernel.cpu.instret - n;
    if (target < 0) return undefined;
    const saved = this.checkpoints.restoreBefore(target) as ReturnType<Session['sessionState']> | undefined;
    if (!saved) return undefined;
    this.pending.splice(0, this.pending.length, ...[...this.setup.envs].sort((a, b) => (a.start ?? 0) - (b.start ?? 0)).slice(saved.pending));
    this.nextCheckpoint = saved.nextCheckpoint;
    this.wire.restore(saved.wire);
    const remaining = target - this.kernel.cpu.instret;
    this.muted = true;
    try {
      if (remaining > 0) this.step(remaining);
    } finally {
      this.muted = false;
    }
    return this.stop('step', `stepped back ${n}`);
  }

  /**
   * Lets time pass with nothing to run up to `cycle` (devices and the
   * kernel's deadlines are served on the way): for a driver whose next
   * timed step comes after every environment has ended.
   */
  idleUntil(cycle: number): void {
    if (cycle > this.kernel.now()) this.kernel.machine.idleTo(cycle);
  }

  /**
   * The earliest instruction count stepBack can reach (the oldest checkpoint
   * kept), or -1 when there is none.
   */
  historyStart(): number {
    return this.checkpoints?.firstInstret() ?? -1;
  }

  /** Makes a run in progress return at the next instruction boundary (reason 'paused'). */
  pause(): void {
    this.pauseRequested = true;
    this.kernel.stop();
  }

  /**
   * Asks the environment named `name` to give back `count` frames or slices
   * within `window` cycles (the abort protocol follows); false when it is
   * not alive or a revocation is already pending.
   */
  revoke(name: string, what: 'frames' | 'slices', count: number, window = 50_000): boolean {
    const env = this.kernel.envs.get(this.envIds.get(name) ?? -1);
    return !!env && this.kernel.revoke(env, what, count, window);
  }

  /**
   * Puts `count` frames on the wire towards the machine, `every` cycles
   * apart, starting now: raw bytes, or UDP datagrams from the peer host to
   * the machine's Ethernet address. Returns how many were queued (0 when a
   * UDP datagram is asked for and there is no peer to send it).
   */
  inject(packet: PacketSpec, count = 1, every = 100_000): number {
    let frame: Uint8Array;
    if (packet.kind === 'hex') frame = parseHex(packet.bytes);
    else {
      if (!this.peer) return 0;
      frame = ipv4udp({
        srcMac: this.peer.mac, dstMac: this.kernel.machine.lance.mac, srcIp: this.peer.ip, dstIp: packet.to,
        srcPort: packet.fromPort, dstPort: packet.port, payload: Buffer.from(packet.payload, 'latin1'),
      });
    }
    const now = this.kernel.now();
    for (let i = 0; i < count; i++) this.wire.inject(frame, now + i * every);
    return count;
  }

  /** Queues console input for the environment named `name`; false when it is not alive. */
  consoleInput(name: string, text: string): boolean {
    const env = this.kernel.envs.get(this.envIds.get(name) ?? -1);
    if (!env || env.state === 'destroyed') return false;
    this.kernel.consoleInput(env, text);
    return true;
  }

  /** Destroys the environment named `name`; false when there is none alive. */
  kill(name: string): boolean {
    const env = this.kernel.envs.get(this.envIds.get(name) ?? -1);
    if (!env || env.state === 'destroyed') return false;
    const wasCurrent = this.kernel.current === env;
    if (wasCurrent) this.kernel.saveContext(env, this.kernel.cpu.pc);
    this.kernel.destroyEnv(env, 'killed by the debugger');
    return true;
  }

  /**
   * The word at virtual address `va` as environment `env` (an environment or
   * its name; default: the one on the CPU) sees it, through the kernel's bindings; undefined when unmapped.
   */
  readWord(va: number, env: Env | string | undefined = this.kernel.current): number | undefined {
    if (typeof env === 'string') env = this.kernel.envs.get(this.envIds.get(env) ?? -1);
    const pa = env ? this.kernel.translate(env, va & ~3) : -1;
    if (pa < 0) return undefined;
    return this.kernel.machine.bus.ram32[pa >>> 2] >>> 0;
  }
}

