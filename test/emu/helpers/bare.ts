// A bare CPU on a bus with RAM only, for instruction-level tests.

import { Bus } from '../../../src/emu/bus.js';
import { Cpu } from '../../../src/emu/cpu.js';
import type { MachineEvent } from '../../../src/emu/device.js';

/** Where test code is placed: kseg0 0x80001000 (physical 0x1000). */
export const CODE = 0x80001000;

export interface Bare {
  cpu: Cpu;
  bus: Bus;
  events: MachineEvent[];
  /** Runs n instructions (default: until the code ends in an endless loop). */
  run(n: number): void;
  reg(n: number): number;
  word(pa: number): number;
}

/** Builds a 1 MiB machine with `code` at CODE, kernel mode, BEV=0, started at CODE. */
export function bare(code: number[], at = CODE): Bare {
  const events: MachineEvent[] = [];
  let cpu!: Cpu;
  const bus = new Bus(1 << 20, (e) => events.push(e), () => cpu.cycles);
  cpu = new Cpu(bus);
  const pa = at & 0x1fffffff;
  code.forEach((w, i) => { bus.ram32[(pa >>> 2) + i] = w | 0; });
  cpu.status = 0;
  cpu.jump(at);
  return {
    cpu, bus, events,
    run(n: number) { cpu.run(cpu.cycles + n); },
    reg(n: number) { return cpu.regs[n] >>> 0; },
    word(p: number) { return bus.ram32[p >>> 2] >>> 0; },
  };
}
