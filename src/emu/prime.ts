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
// machine). The slow cases come after (primeSlowCases): without them
// `interpret` was still thrown away and compiled again once or more in
// replays of the bundled scenarios, and 73 times over the test suite
// (43 with them; the rest are call targets and overflows that differ from
// machine to machine in one worker). Nothing of it is shared with any
// machine (its own bus, RAM, TLB and counters), so no result depends on it.

import { Bus } from './bus.js';
import { FirmwareResult, type Cpu } from './cpu.js';
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
  primeSlowCases(cpu, bus, fresh);
  return ran;
}

/**
 * The interpreter's sites the sweep above leaves without feedback, each of
 * which a machine reaches soon enough to throw optimized code away (seen
 * with --trace-deopt over every bundled scenario, and in the test suite,
 * where `interpret` was compiled 73 times): branches on rs alone taken and
 * not (the sweep's rs is the kseg0 base, negative as a signed word), loads
 * and stores at misaligned addresses (R30xx manual, AdEL/AdES), COP0 in user
 * mode without CU0 (CpU), a store to a page holding translated code, and a
 * breakpoint hit, then passed once on resume.
 */
function primeSlowCases(cpu: Cpu, bus: Bus, fresh: () => void): void {
  const at = (w: number, regs: Readonly<Record<number, number>>, status = 0): void => {
    fresh();
    cpu.status = status;
    for (const [r, v] of Object.entries(regs)) cpu.regs[Number(r)] = v;
    bus.ram32[(AT & 0xfff) >>> 2] = w;
    bus.ram32[((AT & 0xfff) >>> 2) + 1] = 0;
    cpu.jump(AT);
    cpu.step();
    cpu.step();
  };
  for (const e of ISA) {
    if (!e.r3000) continue;
    const w = (e.match | (FIELDS & ~e.mask)) >>> 0;
    if (e.kind === 'branch') for (const rs of [-5, 0, 5]) at(w, { 1: rs, 2: 7 });
    // An offset of 9 instead of 8: misaligned for every halfword and word access.
    if (e.kind === 'load' || e.kind === 'store') at((w & ~0xffff) | 9, { 1: BASE });
  }
  // COP0 in user mode (KUc, no CU0): the code at AT fetched through a TLB entry mapping kuseg's UNMAPPED page onto RAM's first page.
  for (const e of ISA) {
    if (e.r3000 && /^(mfc0|mtc0|rfe|tlb)/.test(e.mnemonic)) {
      fresh();
      cpu.tlb.write(0, UNMAPPED, 0x700); // EntryLo: PFN 0, D, V, G (R30xx manual, 6.3)
      cpu.flushTranslations();
      cpu.status = Status.KUc;
      bus.ram32[(AT & 0xfff) >>> 2] = (e.match | (FIELDS & ~e.mask)) >>> 0;
      cpu.jump(UNMAPPED | (AT & 0xfff));
      cpu.step();
    }
  }
  // Coprocessor loads and stores (lwc1-3, swc1-3: no coprocessor, CpU) and a reserved opcode (RI).
  for (const op of [49, 50, 51, 57, 58, 59, 63]) at(((op << 26) | FIELDS) >>> 0, { 1: BASE });
  // Loads from a device register reading above 2^31 (zero-extended, so not a small integer to V8).
  const REG = 0x00200000;
  bus.attach('prime', REG, 1 << 16, { name: 'prime', read: () => 0xffffffff, write: () => {}, nextEvent: () => Infinity, tick: () => {}, save: () => null, restore: () => {} });
  for (const e of ISA) if (e.r3000 && e.kind === 'load') at((e.match | (FIELDS & ~e.mask)) >>> 0, { 1: (0xa0000000 | REG) | 0 });
  // Fetches outside RAM handed to firmware (the PROM's entry points): returned from, blocking, and not firmware.
  for (const result of [FirmwareResult.Returned, FirmwareResult.Stay, FirmwareResult.NotHandled]) {
    fresh();
    cpu.firmwareHook = () => result;
    cpu.jump(DEVICE);
    cpu.step();
  }
  // A store into a page with translated code: the bus reports it (codeWrite).
  const page = (BASE & 0xffff) >>> 12;
  bus.codePages[page] = 1;
  at(0xac220000, { 1: BASE, 2: 1 }); // sw v0,0(at)
  bus.codePages[page] = 0;
  // A breakpoint: stops before the instruction, then runs it once when resumed past it.
  fresh();
  bus.ram32[(AT & 0xfff) >>> 2] = 0;
  cpu.setBreakpoint(AT, true);
  cpu.jump(AT);
  cpu.step();
  cpu.skipBreakpoint = AT | 0;
  cpu.step();
  cpu.setBreakpoint(AT, false);
}
