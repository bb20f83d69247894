// The exokernel: Aegis's job on the DECstation (paper, sec. 5): multiplex the
// machine securely and leave every policy to the library OS. It runs as the
// machine's privileged handler at the two kseg0 exception vectors
// (docs/architecture.md, "The machine"), so its own work is TypeScript whose cost
// is charged to the cycle counter from costs.ts.
//
// This file holds the kernel object, booting, context switching, the run
// loop and going idle, and checkpoints. Environment creation and destruction
// are in env.ts, exception entry and dispatch in trap.ts, system calls in
// syscalls.ts, TLB bindings in bindings.ts, deadlines and the idle wait in
// deadlines.ts (docs/architecture.md, "The exokernel", lists every file).

import { ExcCode, KN02_IP, Listeners, Machine, type MachineOptions, type MachineState, type Cpu, Status } from '../emu/index.js';
import { Info, Layout } from './abi.js';
import { clearTlb, flushAsid, TlbEvidence } from './bindings.js';
import { startClock } from './clock.js';
import { AsidPool, createEnv, destroyEnv, restoreEnv, saveEnv, type Env, type EnvImage, type EnvOptions } from './env.js';
import { EventLog, type KernelEvent } from './events.js';
import { FrameTable } from './frames.js';
import { GuaranteedCount } from './guaranteed.js';
import { KeySource, type KeySourceState, type Seed } from './keys.js';
import { Stlb } from './stlb.js';
import { enterKernel } from './trap.js';
import { SliceVector } from './slices.js';
import { advance } from './sched.js';
import { requestRevoke } from './revoke.js';
import { netSend, serviceNetwork } from './net.js';
import { anyWaiting, handleDeadlines, idleWait, nextDeadline } from './deadlines.js';
import { AshRunner } from './ash.js';
import { Dpf, type DpfState } from './dpf/index.js';
import { NetDev, type NetDevState } from './netdev.js';
import { setFrameWord, userPa } from './usermem.js';
import { appendConsole, tickProblem } from './limits.js';

export type { EnvImage, EnvOptions } from './env.js';

/** Options of a kernel; every field has a default. */
export interface KernelOptions extends Pick<MachineOptions, 'ramSize' | 'cpuHz' | 'translate' | 'mac'> {
  /** Seed the kernel's secrets are derived from (keys.ts: the keys it hands out, environments' seeds): a uint32 or up to 128 bits in hex. */
  seed?: Seed;
  /** Events kept in the ring buffer. */
  eventCapacity?: number;
  /** Receives every environment's console output as it is written. */
  onConsole?: (env: number, text: string) => void;
  /** Clock interrupts a second that drive round-robin switching (MC146818 rates: 2..8192, a power of two). */
  tickHz?: number;
  /** Clock ticks in a time slice (default 2). */
  sliceTicks?: number;
  /** Cycles an epilogue upcall has to save the environment and yield (default 2,500: 100 us). */
  epilogueGrace?: number;
}

/** The kernel's whole state (see Kernel.save). */
export interface KernelState {
  readonly machine: MachineState;
  readonly frames: ReturnType<FrameTable['save']>;
  readonly stlb: ReturnType<Stlb['save']>;
  readonly tlbEvidence: ReturnType<TlbEvidence['save']>;
  readonly envs: ReturnType<typeof saveEnv>[];
  readonly keys: KeySourceState;
  readonly slices: ReturnType<SliceVector['save']>;
  readonly current: number;
  readonly nextId: number;
  readonly idle: boolean;
  readonly idleAnnounced: boolean;
  readonly dpf: DpfState | undefined;
  readonly netdev: NetDevState | undefined;
}

/** Why `run` returned. */
export type KernelStop = 'budget' | 'idle' | 'stop';

/**
 * The status the kernel returns to user mode with: user mode, interrupts
 * on, the clock (IP3) and I/O (IP2, the LANCE) unmasked. Status.IM's bits
 * sit where Cause.IP's do (R3000 manual, "Status register").
 */
export const USER_STATUS = KN02_IP.rtc | KN02_IP.io | Status.KUp | Status.IEp | Status.KUc | Status.IEc;

/** The exokernel and the machine it owns. */
export class Kernel {
  readonly machine: Machine;
  readonly cpu: Cpu;
  readonly frames: FrameTable;
  readonly stlb = new Stlb();
  /** What the kernel wrote into each hardware TLB entry, with the key (bindings.ts). */
  readonly tlbEvidence = new TlbEvidence();
  readonly asids = new AsidPool();
  readonly envs = new Map<number, Env>();
  readonly log: EventLog;
  /** The key and guest-seed streams (keys.ts); never visible to guests. */
  readonly keys: KeySource;
  /** How many guaranteed mappings name each frame (guaranteed.ts). */
  readonly guaranteedCount: GuaranteedCount;
  /** Frames holding the user-visible frame table, mapped read-only at Layout.FRAMES. */
  readonly frameTableFrames: number[] = [];
  /** The environment on the CPU, if any. */
  current: Env | undefined;
  /** The packet classifier and the LANCE driver, when the network is set up. */
  dpf: Dpf | undefined;
  netdev: NetDev | undefined;
  ash: AshRunner | undefined;
  /** The time-slice vector. */
  readonly slices = new SliceVector();
  readonly sliceTicks: number;
  readonly epilogueGrace: number;
  readonly cyclesPerTick: number;
  /** Called at the start of every kernel entry with the exception code and vector (debugger breakpoints, measurements). */
  readonly onTrap = new Listeners<[code: number, vector: number]>();
  /** Called at the end of every kernel entry (the invariant is checked here). */
  readonly onKernelExit = new Listeners<[]>();
  /** The id the next environment gets (env.ts, createEnv). */
  nextId = 1;
  private idle = false;
  /**
   * The idle event of this idle period has been emitted: however many times
   * the machine is run while nothing is runnable (a debugger runs it in
   * slices), the log says `idle` once, so it does not depend on how the
   * run was sliced. Cleared when an environment gets the CPU (sched.ts).
   */
  idleAnnounced = false;
  /** True while `run` is inside the machine's run loop. */
  private inMachine = false;
  private readonly onConsole: (env: number, text: string) => void;

  /** Builds the machine and the kernel's tables; no environment runs yet. */
  constructor(opts: KernelOptions = {}) {
    this.charged = 0; // a double field (made -0), read as 0
    this.machine = new Machine({ ramSize: opts.ramSize, cpuHz: opts.cpuHz, translate: opts.translate, mac: opts.mac });
    this.cpu = this.machine.cpu;
    this.log = new EventLog(opts.eventCapacity);
    this.keys = new KeySource(opts.seed ?? 1);
    this.onConsole = opts.onConsole ?? (() => {});
    const nframes = this.machine.bus.ramSize >>> 12;
    this.guaranteedCount = new GuaranteedCount(nframes);
    this.frames = new FrameTable(nframes, (f, entry) => {
      const base = this.frameTableFrames[(f * 4) >>> 12];
      if (base !== undefined) setFrameWord(this, base, (f * 4) & 0xfff, entry);
    });
    // Frame 0 holds the exception vectors; frames 1.. the frame table itself.
    // RAM starts zeroed, which is the mirror of a free frame.
    const ftPages = Math.ceil((nframes * 4) / Layout.PAGE);
    for (let i = 1; i <= ftPages; i++) this.frameTableFrames.push(i);
    for (let i = 0; i <= ftPages; i++) this.frames.reserve(i);
    const tickHz = opts.tickHz ?? 1024;
    this.sliceTicks = Math.max(1, opts.sliceTicks ?? 2);
    this.epilogueGrace = opts.epilogueGrace ?? 2_500;
    this.cyclesPerTick = Math.round(this.machine.cpuHz / tickHz);
    const slow = tickProblem(this.machine.cpuHz, tickHz);
    if (slow) throw new RangeError(`Cannot run the kernel: ${slow}`);
    this.boot(tickHz);
    this.startNetwork();
    this.machine.addClockClient({ nextEvent: () => nextDeadline(this), tick: () => this.onDeadline() });
  }

  /** Sets up the LANCE (rings in its SRAM, interrupts through the system CSR), DPF and the ASH sandbox. */
  private startNetwork(): void {
    const netdev = new NetDev({ bus: this.machine.bus, now: () => this.now() });
    if (!netdev.init()) return;
    netdev.enableInterrupt();
    this.netdev = netdev;
    this.dpf = new Dpf();
    this.ash = new AshRunner(this, this.machine.bus, (env, va, len) => netSend(this, env, va, len));
  }

  /** Makes the CPU stop for a deadline that may have moved earlier (deadlines.ts). */
  reschedule(): void {
    this.cpu.clampLimit(nextDeadline(this));
  }

  /** The deadline timer fired: interrupt the running environment, or settle it directly when idle. */
  private onDeadline(): void {
    if (this.current) this.cpu.raise(ExcCode.Int);
    else handleDeadlines(this);
  }

  /** Resets the CPU state the kernel relies on and starts the clock. */
  private boot(tickHz: number): void {
    clearTlb(this.cpu);
    this.cpu.exceptionHook = (_cpu, vector) => enterKernel(this, vector);
    this.cpu.status = 0;
    startClock(this.machine.bus, tickHz);
  }

  /** The current cycle. */
  now(): number {
    return this.cpu.cycles;
  }

  /** Records a kernel event. */
  emit(e: KernelEvent): void {
    this.log.emit(e);
  }

  /**
   * Every cycle charged since the kernel booted: a measurement counter for
   * `exoscope bench --paper` (what ran in a window is instructions, stalls,
   * charges and idle time). Not part of the kernel's state: travel does not
   * restore it. Made a double (-0, then 0 in the constructor, as env.ts
   * makes its cycle fields): an ASH's charge is a difference of cycle
   * counts read from the CPU's Float64Array, and the first such double
   * stored into a field V8 had made a small integer changed every
   * kernel's hidden class, throwing away the optimized code of each
   * function that had read a kernel (the invariant's checks, in living
   * and echo); so would a count past 2^30.
   */
  charged = -0;

  /** Charges `cycles` of kernel work to the clock. */
  charge(cycles: number): void {
    this.cpu.cycles += cycles;
    this.charged += cycles;
  }

  /**
   * Creates an environment from `image` (env.ts, createEnv): returns it,
   * runnable; emits env-create-failed and throws EnvCreateError when it
   * cannot, having changed nothing else.
   */
  createEnv(image: EnvImage, name: string, args: readonly string[] = [], opts: EnvOptions = {}): Env {
    return createEnv(this, image, name, args, opts);
  }

  /** Destroys `env` (env.ts, destroyEnv); if it was running, the next runnable environment takes the CPU. */
  destroyEnv(env: Env, reason: string): void {
    destroyEnv(this, env, reason);
  }

  /** Saves the running environment's registers (after a trap: pc = EPC). */
  saveContext(env: Env, pc: number): void {
    env.resume = 'kernel';
    env.regs.set(this.cpu.regs);
    env.regs[32] = this.cpu.hi;
    env.regs[33] = this.cpu.lo;
    env.pc = pc;
  }

  /**
   * Puts `env` on the CPU: its ASID (assigning one, recycling if needed), its
   * registers, user mode at its saved pc.
   */
  switchTo(env: Env): void {
    const prev = this.current;
    if (prev) prev.cpuCycles += this.now() - prev.lastRun;
    if (env.asid < 0) {
      const victim = this.asids.assign(env, prev);
      if (victim) {
        flushAsid(this, env.asid);
        this.emit({ kind: 'asid-recycled', cycle: this.now(), asid: env.asid, from: victim.id, to: env.id });
      }
      setFrameWord(this, env.infoFrame, Info.ASID, env.asid);
    }
    this.current = env;
    env.lastRun = this.now();
    const regs = this.cpu.regs, saved = env.regs;
    for (let i = 0; i < 32; i++) regs[i] = saved[i]; // not set(subarray()): no view object per switch
    this.cpu.hi = env.regs[32];
    this.cpu.lo = env.regs[33];
    this.cpu.entryHi = env.asid << 6;
    if (prev !== env) this.emit({ kind: 'context-switch', cycle: this.now(), from: prev?.id ?? 0, to: env.id });
    this.enterUser(env.pc);
  }

  /** Returns to user mode at `pc` in the current address space. */
  enterUser(pc: number): void {
    const cpu = this.cpu;
    cpu.status = USER_STATUS;
    cpu.flushTranslations();
    cpu.updateInterrupts();
    cpu.jump(pc);
  }

  /**
   * Nothing can be scheduled: the machine stops idle. A runnable
   * environment that holds no slice (its last was revoked or freed) is not
   * on the vector, so round robin never reaches it; it runs only when
   * another donates to it (yield_to, PCT; Aegis paper, sec. 5.3-5.4). Each
   * one is named in a no-slice event, so the idle is never silent about it.
   */
  goIdle(): void {
    this.current = undefined;
    this.idle = true;
    if (!this.idleAnnounced) {
      for (const e of this.envs.values()) {
        if (e.state === 'runnable' && !this.holdsSlice(e)) this.emit({ kind: 'no-slice', cycle: this.now(), env: e.id });
      }
      this.emit({ kind: 'idle', cycle: this.now() });
    }
    this.idleAnnounced = true;
    // Only a running machine is stopped: a stop requested between runs
    // would end the next run at once, reported as 'stop'.
    if (this.inMachine) this.machine.stop();
  }

  /** True when `env` owns at least one slot of the time-slice vector. */
  holdsSlice(env: Env): boolean {
    return this.slices.owner.includes(env.id);
  }

  /** True when round robin can give `env` the CPU: runnable and on the vector. */
  schedulable(env: Env): boolean {
    return env.state === 'runnable' && this.holdsSlice(env);
  }

  /**
   * Runs for at most `budget` cycles. Returns 'idle' when no environment
   * can be scheduled (none is runnable and holds a slice, and nobody waits
   * for something that could change that), 'stop' when `stop()` was
   * called, else 'budget'.
   */
  run(budget: number): KernelStop {
    const end = this.now() + budget;
    for (;;) {
      if (!this.current) {
        this.idle = false;
        advance(this);
        if (this.idle) {
          // Someone may wait: idle until they can run, then schedule them (deadlines.ts).
          if (!idleWait(this, end)) return this.now() >= end ? 'budget' : 'idle';
          this.idle = false;
          continue;
        }
      }
      let r;
      try { this.inMachine = true; r = this.machine.run(end - this.now()); } finally { this.inMachine = false; }
      if (r === 'stop' && !this.idle) return 'stop';
      // Gone idle just as time ran out: 'idle' only when nobody waits either (as idleWait decides), else the budget ended.
      if (!this.idle || this.now() >= end) return this.idle && !anyWaiting(this) ? 'idle' : 'budget';
    }
  }

  /** The LANCE interrupted: take the frames it received and deliver each (net.ts). */
  netInterrupt(): void {
    serviceNetwork(this);
  }

  /** Makes `run` return before the next instruction. */
  stop(): void {
    this.machine.stop();
  }

  /**
   * The whole state of the machine and the kernel. Restoring it and running
   * gives the same future exactly. The event log is not part of it (the
   * session keeps its own). With `withRam` false RAM is left out; with
   * `withFrames` false the frame table is (empty: checkpoints save the
   * records that changed themselves, FrameTable.takeChanged).
   */
  save(withRam = true, withFrames = true): KernelState {
    return {
      machine: this.machine.save(withRam), frames: withFrames ? this.frames.save() : [], stlb: this.stlb.save(), tlbEvidence: this.tlbEvidence.save(),
      envs: [...this.envs.values()].map(saveEnv), keys: this.keys.save(), slices: this.slices.save(),
      current: this.current?.id ?? 0, nextId: this.nextId, idle: this.idle, idleAnnounced: this.idleAnnounced,
      dpf: this.dpf?.save(), netdev: this.netdev?.save(),
    };
  }

  /** Restores a state from `save()` of a kernel with the same RAM size. */
  restore(s: KernelState): void {
    this.machine.restore(s.machine);
    this.frames.restore(s.frames);
    this.stlb.restore(s.stlb);
    this.tlbEvidence.restore(s.tlbEvidence);
    this.envs.clear();
    this.guaranteedCount.clear();
    for (const e of s.envs) this.envs.set(e.id, restoreEnv(e, this.guaranteedCount));
    this.asids.rebuild(this.envs.values());
    this.keys.restore(s.keys);
    this.slices.restore(s.slices);
    this.current = this.envs.get(s.current);
    this.nextId = s.nextId;
    this.idle = s.idle;
    this.idleAnnounced = s.idleAnnounced;
    if (s.dpf && this.dpf) this.dpf.restore(s.dpf);
    if (s.netdev && this.netdev) this.netdev.restore(s.netdev);
  }

  /**
   * The physical address env's virtual address `va` maps to through the
   * bindings the kernel holds (guaranteed, STLB, hardware TLB), or -1. For
   * the debugger; it changes nothing.
   */
  translate(env: Env, va: number): number {
    return userPa(this, env, va);
  }

  /**
   * Asks env to give back `count` frames or slices within `window` cycles
   * (visible revocation; the abort protocol follows at the deadline). When
   * env is on the CPU the request reaches it at once. Returns false when it
   * is not alive or already has a request pending.
   */
  revoke(env: Env, what: 'frames' | 'slices', count: number, window: number): boolean {
    if (!requestRevoke(this, env, what, count, window)) return false;
    if (this.current === env) this.cpu.raise(ExcCode.Int);
    return true;
  }

  /** Queues console input for env (read with cgets). */
  consoleInput(env: Env, text: string): void {
    env.consoleIn += text;
  }

  /** Appends text to env's console (its last mebibyte or two kept: limits.ts appendConsole) and reports it. */
  console(env: Env, text: string): void {
    env.console = appendConsole(env.console, text);
    this.emit({ kind: 'console', cycle: this.now(), env: env.id, text });
    this.onConsole(env.id, text);
  }
}
