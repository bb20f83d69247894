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
/** lw (rs, rt and offset 0 to fill in) and syscall. */
const LOAD_WORD = 35 << 26, SYSCALL_WORD = 12;
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
 * mode without CU0 and the coprocessor loads and stores (CpU), a reserved
 * opcode (RI), loads from a device register reading above 2^31, fetches
 * handed to firmware, a store to a page holding translated code, an
 * exception taken with a load in flight and a TLB entry rewritten while the
 * soft TLB holds its page (both in `raise` and `Tlb.write`, which V8
 * optimizes early: in a cold scavenger replay each was thrown away and
 * compiled again, 10 ms of the one compiler thread each), and a
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
  // An exception taken with a load in flight, which raise lands (commitLoads): a syscall after a load (its value
  // pending), and an interrupt taken right after one (issued this cycle). First taken in a run after `raise` was
  // optimized, either threw the code away ("insufficient type feedback" for the value's accessor).
  fresh();
  bus.ram32[(AT & 0xfff) >>> 2] = (LOAD_WORD | (1 << 21) | (2 << 16)) >>> 0; // lw v0, 0(at)
  bus.ram32[((AT & 0xfff) >>> 2) + 1] = SYSCALL_WORD;
  cpu.regs[1] = BASE;
  cpu.jump(AT);
  cpu.step();
  cpu.step();
  fresh();
  bus.ram32[((AT & 0xfff) >>> 2) + 1] = 0;
  cpu.regs[1] = BASE;
  cpu.jump(AT);
  cpu.step();
  cpu.status = Status.IEc | Status.IM;
  cpu.setHardwareInterrupts(Status.IM);
  cpu.step();
  cpu.setHardwareInterrupts(0);
  // A TLB entry that is not global rewritten while the soft TLB holds its page for a fetch, a load and a store
  // (ASID 5, PFN 0, D, V: R30xx manual, 6.3): the soft TLB drops the page in the entry's contexts (Tlb.dropEntry), each
  // table's match cleared. The code at AT is fetched through kuseg's UNMAPPED page; it loads and stores on that page.
  // Three times: the first clearing may come before Tlb.dropKey has a feedback vector (lazy feedback allocation), and
  // then records nothing: a cold replay of scavenger threw dropEntry's code away at its first clearing of a fetch tag.
  for (let turn = 0; turn < 3; turn++) {
    fresh();
    cpu.tlb.write(1, UNMAPPED | (5 << 6), 0x600);
    cpu.flushTranslations();
    cpu.entryHi = 5 << 6;
    bus.ram32[(AT & 0xfff) >>> 2] = (LOAD_WORD | (1 << 21) | (2 << 16)) >>> 0; // lw v0, 0(at)
    bus.ram32[((AT & 0xfff) >>> 2) + 1] = ((43 << 26) | (1 << 21) | (2 << 16) | 4) >>> 0; // sw v0, 4(at)
    cpu.regs[1] = UNMAPPED | 0x800;
    cpu.jump(UNMAPPED | (AT & 0xfff));
    cpu.step();
    cpu.step();
    cpu.tlb.write(1, UNMAPPED | (5 << 6), 0);
    cpu.flushTranslations();
  }
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

// The block dispatcher (translate.ts `run`) is primed the same way, once
// per process as the first translator is built: a scratch CPU of its own
// with a translator that compiles a block at its first entry runs a short
// program whose blocks take every path of the dispatcher: a load in flight
// at a block's entry that its first instruction reads (interpreted) and one
// it does not (landed), HI/LO stalls with and without a multiply in the
// block, a block that leaves before a soft TLB miss and one that leaves for
// a syscall (both then taken by the interpreter, whose handler returns),
// a store over a block's code (the block dropped, the link to it dead, the
// block planned again), an instruction no block holds, a block longer than what is left of the
// run, chaining, and a breakpoint set elsewhere. Without it, TurboFan compiled
// `run` from the feedback of the first blocks a guest ran and threw it away
// at the first path they had not taken ("insufficient type feedback"), and
// the block call in it, seen with one block, was compiled for that block
// alone ("wrong call target"): each time the dispatcher ran in V8's lower
// tiers until a recompile that waited behind the rest of the queue (V8
// compiles on one background thread: the CLI runs with --v8-pool-size=1).
// Primed, the call has met many blocks and is compiled as a plain call.

/** Where the primer's program runs and what it reads: kseg0, RAM at 0x200 and 0x1000 of the scratch bus; a kuseg address with no TLB entry. */
const MAIN = 0x80000200, DATA = 0x80001000;
/** Turns of the primer's loop, in each of its two passes (the first before V8 collects feedback for `run`, the second after). */
const TURNS = 12;
/** Cycles a pass runs: every turn, then the closing self-loop. */
const PASS_CYCLES = 1000;

const iw = (op: number, rs: number, rt: number, imm: number): number => ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) | 0;
const rw = (rs: number, rt: number, rd: number, fn: number): number => ((rs << 21) | (rt << 16) | (rd << 11) | fn) | 0;
const jw = (target: number): number => ((2 << 26) | ((target >>> 2) & 0x3ffffff)) | 0;
const br = (op: number, rs: number, rt: number, from: number, to: number): number => iw(op, rs, rt, (to - from - 4) >> 2);
/** mfc1 r0, f0: COP1, unusable (a block holds none: the dispatcher interprets it). */
const COP1 = 17 << 26;
const LW = 35, SW = 43, ADDIU = 9, BEQ = 4, BNE = 5, ADDU = 33, MULT = 24, MFHI = 16, MFLO = 18, JR = 8, SYSCALL = 12;
/** The exception handler at both kseg0 vectors: return past the faulting instruction (mfc0 k0, EPC; nop; addiu k0, k0, 4; jr k0; rfe). */
const HANDLER = [(16 << 26) | (26 << 16) | (14 << 11), 0, iw(ADDIU, 26, 26, 4), rw(26, 0, 0, JR), 0x42000010];

/** The primer's program at MAIN (see above): r1 = DATA, r2 = UNMAPPED, r5 = TURNS. */
function dispatcherProgram(): number[] {
  const L2 = MAIN + 16, L3 = MAIN + 28, L4 = MAIN + 48, L5 = MAIN + 72, L6 = MAIN + 80;
  return [
    iw(LW, 1, 6, 0), iw(ADDIU, 4, 4, 1), jw(L2), iw(LW, 1, 7, 4), // r7 in flight into L2
    rw(7, 7, 8, ADDU), jw(L3), iw(LW, 1, 7, 8), // L2 reads it first; r7 in flight into L3
    rw(6, 6, 9, ADDU), rw(4, 6, 0, MULT), rw(0, 0, 10, MFLO), jw(L4), 0, // L3 does not read it
    // L4: a store; a store of the nop it holds over L3's last word (L3 is dropped and planned again, L2's link to it dead); a TLB miss, a syscall, one no block holds.
    rw(0, 0, 11, MFHI), iw(SW, 1, 10, 12), iw(SW, 1, 0, L4 - 4 - DATA), iw(LW, 2, 12, 0), SYSCALL, COP1,
    br(BNE, 4, 5, L5, MAIN), 0, // L5: the next turn
    br(BEQ, 0, 0, L6, L6), 0, // L6: a self-loop to the end of the pass
  ];
}

/**
 * Runs the primer's program in two passes, each on a new CPU that `make`
 * builds over one scratch bus with a translator attached that compiles
 * every block at its first entry. Returns the blocks compiled, pass by pass.
 */
export function primeDispatcher(make: (bus: Bus) => Cpu): number[] {
  const bus = new Bus(1 << 16, () => {}, () => 0), compiled: number[] = [];
  const code = dispatcherProgram();
  for (const [at, words] of [[0, HANDLER], [0x80, HANDLER], [MAIN & 0xfff, code]] as const) words.forEach((w, i) => { bus.ram32[(at >>> 2) + i] = w; });
  for (let pass = 0; pass < 2; pass++) {
    const cpu = make(bus);
    cpu.status = 0; // kernel mode, no BEV: exceptions vector to the handlers in RAM
    cpu.regs[1] = DATA; cpu.regs[2] = UNMAPPED; cpu.regs[5] = TURNS;
    cpu.setBreakpoint(DATA, pass === 0); // no code there: the dispatcher only looks
    cpu.jump(MAIN);
    cpu.run(PASS_CYCLES);
    cpu.run(cpu.cycles + 1); // a block that does not fit in what is left of the run
    compiled.push(cpu.translator?.stats.compiled ?? 0);
  }
  return compiled;
}
