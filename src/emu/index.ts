// The machine layer's public face (docs/architecture.md, "The machine"): the DECstation
// 5000/200, its CPU, the ELF loader and the disassembler.

export { Machine, type MachineOptions, type MachineState, type ProgramImage, type StopReason } from './machine.js';
export { Cpu, Access, FirmwareResult, type CpuState, type ExceptionHook, type FirmwareHook } from './cpu.js';
export { Bus } from './bus.js';
export { TlbArray, type TlbEntry } from './tlb.js';
export { Cause, Cp0Reg, CP0_NAMES, EXC_NAMES, EXCEPTIONS, excName, ExcCode, Status, Tlb, Vector, PRID_R3000A } from './cp0.js';
export type { AccessSize, Clock, Device, IrqLine, MachineEvent, TraceSink } from './device.js';
export { KN02_MAP, KN02_IP, CPU_HZ, DEFAULT_RAM } from './kn02.js';
export { RtcReg, RegA as RtcRegA, RegB as RtcRegB, RegC as RtcRegC, RTC_REG_STRIDE } from './devices/rtc.js';
export { Kn02Csr, Kn02Intr } from './devices/syscsr.js';
export { Listeners } from './listeners.js';
export { parseElf, ElfError, symbolizer, type ElfImage, type ElfSymbol, type Symbolizer } from './elf.js';
export { disassemble, disassembleElf, GPR_NAMES } from './disasm.js';
export { Lance, LanceCsr3 } from './devices/lance.js';
export { LanceCsr0, LANCE_MAX_FRAME, LANCE_MIN_FRAME, type LanceOptions } from './devices/lance-wire.js';
export type { LanceState, LanceStats } from './devices/lance-state.js';
export { LANCE_SRAM_SIZE, LanceMode, Rmd1, Tmd1, Tmd3, RMD3_MCNT, crcRegister, withFcs } from './devices/lance-ring.js';
export { PmadOffset, PMAD_PHYS_BASE, PMAD_WINDOW, DEFAULT_MAC, macString } from './devices/pmad.js';
export { ISA, decodeInstruction, funct, opcode, rs, rt, simm16, type IsaEntry } from './isa.js';
export { Translator, type TranslatorStats } from './translate.js';
export { Lockstep, LOCKSTEP_RUN_HOT, cpuDiff, type LockstepResult } from './lockstep.js';
export { SoftTlb, SOFT_TLB_ENTRIES, TLB_WRITE_LOG } from './tlb.js';
export { promEntryAt, type PromEntry } from './devices/rom.js';
