// Type feedback for the interpreter before V8 optimizes it. TurboFan
// compiles `Cpu.interpret` from the feedback its sites gathered so far; a
// site that never ran (a property load, a typed-array access, a comparison
// or arithmetic of an instruction the guest had not executed yet: mthi,
// xor, lh...) is compiled as a bailout, and the first guest instruction
// that reaches it throws the optimized code away (V8's "insufficient type
// feedback"): living deoptimized it three times from boot, each followed by
// a stretch in the lower tiers and a recompile. So once per process, as the
// first CPU is built, every instruction the R3000A executes (isa.ts ISA,
// `r3000`) runs through the interpreter of a private scratch CPU on its own
// 64 KiB bus, with the slow cases its sites lead to (faults, bus errors, an
// interrupt): the sites then hold the feedback they would gather anyway,
// and living ran from boot without a deopt of the interpreter, 8% faster
// (main-thread CPU, interleaved runs), for 7-14 ms once (a loaded
// machine). Nothing of it is shared with any machine (its own bus, RAM,
// TLB and counters), so no result depends on it.

import { Bus } from './bus.js';
import type { Cpu } from './cpu.js';
import { Status } from './cp0.js';
import { ISA } from './isa.js';

/**
 * Where the scratch CPU runs each instruction (kseg0, RAM at 0x100), and
 * the bases its loads and stores use: RAM, past the end of its RAM in
 * kseg1 (no device there), and kuseg (no TLB entry).
 */
const AT = 0x80000100, BASE = 0x80001000, DEVICE = 0xa0100000 | 0, UNMAPPED = 0x00400000;
/** Fields outside an entry's mask: rs = 1 (BASE), rt = 2, rd = 3, an aligned immediate of 8 (j/jal: a target near AT). */
const FIELDS = (1 << 21) | (2 << 16) | (3 << 11) | 8;
/** Steps (nops) run before the sweep, for V8 to give the interpreter a feedback vector. */
const WARM_STEPS = 100;

/**
 * Runs every executed ISA entry, then its delay slot or load-delay
 * successor (a nop), on a new CPU made by `make` over a scratch bus:
 * branches and ALU operations with their condition (or overflow) false and
 * true, loads and stores at three bases. Returns the entries' mnemonics it ran, in order.
 */
export function primeInterpreter(make: (bus: Bus) => Cpu): string[] {
  const ran: string[] = [];
  const bus = new Bus(1 << 16, () => {}, () => 0);
  const cpu = make(bus);
  const fresh = (): void => {
    cpu.reset();
    cpu.status = 0; // kernel mode, no BEV: an exception vectors into RAM
  };
  // V8 allocates a function's feedback vector only after it has run a while (lazy feedback allocation): until then it records nothing.
  fresh();
  cpu.jump(AT);
  for (let i = 0; i < WARM_STEPS; i++) cpu.step();
  for (const e of ISA) {
    if (!e.r3000) continue;
    const w = (e.match | (FIELDS & ~e.mask)) >>> 0;
    const mem = e.kind === 'load' || e.kind === 'store';
    ran.push(e.mnemonic);
    // Loads and stores at RAM, at a device address (none answers: a bus error) and at an unmapped one (a TLB miss).
    for (const base of mem ? [BASE, DEVICE, UNMAPPED] : [BASE]) {
      for (const taken of e.kind === 'branch' || e.kind === 'alu' ? [false, true] : [false]) {
        fresh();
        cpu.regs[1] = base;
        cpu.regs[2] = taken ? base : 7;
        cpu.regs[3] = taken ? -3 : 5;
        bus.ram32[(AT & 0xfff) >>> 2] = w;
        bus.ram32[((AT & 0xfff) >>> 2) + 1] = 0;
        // A load or store twice: the second time the one-entry load and store caches hit, as they mostly do.
        for (let round = 0; round < (mem ? 2 : 1); round++) {
          cpu.jump(AT);
          cpu.step();
          cpu.step();
        }
      }
    }
  }
  {
    // Fetches that fault (unmapped, misaligned, outside RAM), and an interrupt.
    for (const pc of [UNMAPPED, AT + 2, DEVICE]) { fresh(); cpu.jump(pc); cpu.step(); }
    fresh();
    cpu.status = Status.IEc | Status.IM;
    cpu.setHardwareInterrupts(Status.IM);
    cpu.jump(AT);
    cpu.step();
  }
  return ran;
}
