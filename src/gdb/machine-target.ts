// The Target of a bare-metal program (`exoscope run prog.elf --gdb N`):
// the machine with no kernel, one thread, addresses translated as the CPU
// would for a data access (kseg0/kseg1 direct, the rest through the TLB).
// The program handles its own exceptions in MIPS code, as on the real
// machine, so they are not stops; there are no checkpoints, so no reverse
// execution.

import type { Machine } from '../emu/index.js';
import { INT_REGS, Reg } from './regs.js';
import { Signal, type Resume, type StopInfo, type Target, type ThreadInfo, type WatchKind } from './target.js';

/** The one thread of a bare-metal program. */
export const PROGRAM_TID = 1;

/** A Target over a bare Machine running one program. */
export class MachineTarget implements Target {
  running = false;
  readonly canReverse = false;
  private interrupted = false;

  /** `onChunk` runs after every chunk of a run (to flush console output). */
  constructor(private readonly m: Machine, private readonly path: string, private readonly onChunk: () => void = () => {}, private readonly chunk = 1_000_000) {}

  threads(): ThreadInfo[] {
    return [{ tid: PROGRAM_TID, name: this.path.split('/').pop() ?? this.path, state: this.m.halted ? 'halted' : 'running on the CPU' }];
  }

  currentThread(): number {
    return PROGRAM_TID;
  }

  readRegisters(): (number | undefined)[] {
    const cpu = this.m.cpu;
    const out: (number | undefined)[] = new Array(INT_REGS);
    for (let i = 0; i < 32; i++) out[i] = cpu.regs[i];
    Object.assign(out, { [Reg.SR]: cpu.status, [Reg.LO]: cpu.lo, [Reg.HI]: cpu.hi, [Reg.BAD]: cpu.badVAddr, [Reg.CAUSE]: cpu.causeValue, [Reg.PC]: cpu.pc });
    return out;
  }

  writeRegister(_tid: number, n: number, value: number): boolean {
    const cpu = this.m.cpu, v = value | 0;
    if (n > 0 && n < 32) cpu.regs[n] = v;
    else if (n === Reg.HI) cpu.hi = v;
    else if (n === Reg.LO) cpu.lo = v;
    else if (n === Reg.PC) cpu.jump(v);
    else return n === 0;
    return true;
  }

  /** RAM only: a device register is never read on the debugger's behalf (reads can have effects). */
  private physical(va: number, write: boolean): number {
    const pa = this.m.cpu.peek(va >>> 0, write);
    return pa >= 0 && pa < this.m.bus.ramSize ? pa : -1;
  }

  readMemory(_tid: number, addr: number, length: number): Uint8Array | undefined {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const pa = this.physical(addr + i, false);
      if (pa < 0) return i === 0 ? undefined : out.subarray(0, i);
      out[i] = this.m.bus.ram8[pa];
    }
    return out;
  }

  writeMemory(_tid: number, addr: number, bytes: Uint8Array): boolean {
    const pas = Array.from(bytes, (_, i) => this.physical(addr + i, false));
    if (pas.some((pa) => pa < 0)) return false;
    // The bus's host-write choke point: code translated from these bytes is dropped.
    pas.forEach((pa, i) => { this.m.bus.hostWrite8(pa, bytes[i]); });
    return true;
  }

  /** One address space: `tid` does not matter. */
  setBreakpoint(addr: number, on: boolean): boolean {
    this.m.cpu.setBreakpoint(addr, on);
    return true;
  }

  setWatchpoint(kind: WatchKind, addr: number, length: number, on: boolean): boolean {
    this.m.cpu.setWatchpoint(addr, length, kind !== 'write', kind !== 'read', on);
    return true;
  }

  execFile(): string | undefined {
    return this.path;
  }

  interrupt(): void {
    if (this.running) this.interrupted = true;
  }

  detach(): void {
    this.interrupt();
  }

  resume(how: Resume, done: (stop: StopInfo) => void): void {
    if (how.kind === 'reverse-step' || how.kind === 'reverse-continue') { done({ tid: PROGRAM_TID, signal: Signal.TRAP, reason: { kind: 'replaylog' } }); return; }
    this.running = true;
    this.interrupted = false;
    const cpu = this.m.cpu;
    cpu.skipBreakpoint = cpu.pc;
    cpu.skipWatch = cpu.pc;
    const tick = () => {
      if (this.interrupted) return this.finish(done, { tid: PROGRAM_TID, signal: Signal.INT });
      const r = this.m.run(how.kind === 'step' ? 1 : this.chunk);
      this.onChunk();
      if (r === 'halt') return this.finish(done, { tid: PROGRAM_TID, signal: 0, exited: { code: 0 } });
      if (r === 'breakpoint') return this.finish(done, { tid: PROGRAM_TID, signal: Signal.TRAP, reason: { kind: 'swbreak' } });
      if (r === 'watchpoint') {
        const h = cpu.watchHit!;
        return this.finish(done, { tid: PROGRAM_TID, signal: Signal.TRAP, reason: { kind: 'watch', watch: h.write ? 'write' : 'read', addr: h.addr } });
      }
      if (r === 'input') return this.finish(done, { tid: PROGRAM_TID, signal: Signal.TRAP, message: 'the program waits for console input, and there is none' });
      if (how.kind === 'step') return this.finish(done, { tid: PROGRAM_TID, signal: Signal.TRAP });
      setImmediate(tick);
    };
    tick();
  }

  private finish(done: (s: StopInfo) => void, s: StopInfo): void {
    this.running = false;
    done(s);
  }
}
