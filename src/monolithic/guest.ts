// Reading the monolithic kernel's own data structures from guest RAM, by
// the addresses its ELF symbol table gives: the process table (`proc`),
// the current process (`curproc`), the page table in use (`cur_pgdir`),
// a trap frame. The layouts are the C structs of src/mono/kernel (proc.h,
// mmu.h); `monoLayout` checks the one it can against the symbol's size,
// so a changed struct proc is an error at load, not garbage on screen.

import { EXC_NAMES, type ElfImage, type Machine } from '../emu/index.js';

/** Where the kernel's functions and data are, from its symbol table. */
export interface MonoAddresses {
  /** trap(struct trapframe *): every exception that is not a UTLB refill served in vectors.S. */
  readonly trap: number;
  /** syscall(struct trapframe *): a system call, before dispatch. */
  readonly syscall: number;
  /** exit(int status). */
  readonly exit: number;
  /** swtch(struct context *old, struct context *new). */
  readonly swtch: number;
  readonly schedContext: number;
  readonly proc: number;
  readonly curproc: number;
  readonly curPgdir: number;
}

/** struct proc (proc.h): field offsets and size, for NPROC = 16, NOFILE = 16, NSIG = 32. */
const PROC = { state: 0, parent: 12, xstate: 8, pid: 16, asid: 20, pgdir: 28, brk: 32, name: 148, sigpending: 164, size: 304 } as const;
const NPROC = 16;
const PROC_NAME_LEN = 16;
/** enum procstate (proc.h). */
export const PROC_STATES = ['unused', 'embryo', 'sleeping', 'runnable', 'running', 'zombie'] as const;

/** struct trapframe (mmu.h: TF_REG(n), TF_EPC, TF_STATUS, TF_CAUSE, TF_BADVADDR). */
export const TF = { reg: (n: number) => 4 * n, epc: 136, status: 140, cause: 144, badvaddr: 148 } as const;
/** Status.KUp (R3000 manual, ch. 3): the mode before the exception; set means user. */
const ST_KUP = 0x08;

/**
 * The addresses of the kernel in `elf`. Throws Error naming the first
 * symbol it lacks, or saying that struct proc is not the size this module
 * reads (16 slots of 304 bytes).
 */
export function monoAddresses(elf: ElfImage): MonoAddresses {
  const find = (name: string) => {
    const s = elf.symbols.find((x) => x.name === name && x.section !== '');
    if (!s) throw new Error(`${elf.fileName} is not the monolithic kernel: it has no symbol ${name}`);
    return s;
  };
  const proc = find('proc');
  if (proc.size !== NPROC * PROC.size) throw new Error(`${elf.fileName}: proc[] is ${proc.size} bytes, not ${NPROC} of ${PROC.size}: struct proc changed (update src/session/mono-guest.ts)`);
  const at = (n: string) => find(n).value >>> 0;
  return {
    trap: at('trap'), syscall: at('syscall'), exit: at('exit'), swtch: at('swtch'), schedContext: at('sched_context'),
    proc: proc.value >>> 0, curproc: at('curproc'), curPgdir: at('cur_pgdir'),
  };
}

/** The word at kseg0/kseg1 address `va` (the kernel's own memory), or 0 outside RAM. */
export function kword(m: Machine, va: number): number {
  const pa = va & 0x1fffffff;
  return pa + 4 <= m.bus.ramSize ? m.bus.read(pa, 4) >>> 0 : 0;
}

/** The NUL-terminated string of at most `max` bytes at kseg0 address `va`. */
function kstring(m: Machine, va: number, max: number): string {
  let out = '';
  for (let i = 0; i < max; i++) {
    const pa = (va + i) & 0x1fffffff;
    if (pa >= m.bus.ramSize) break;
    const c = m.bus.read(pa, 1);
    if (c === 0) break;
    out += String.fromCharCode(c);
  }
  return out;
}

/** One slot of the process table. */
export interface ProcessView {
  readonly slot: number;
  readonly pid: number;
  readonly name: string;
  readonly state: string;
  readonly asid: number;
  readonly parent: number;
  readonly brk: number;
  readonly current: boolean;
  readonly sigpending: number;
  readonly xstate: number;
}

/** The current process's pid and name, or pid 0 and "-" when none is (the scheduler or its idle loop). */
export function currentProcess(m: Machine, a: MonoAddresses): { pid: number; name: string } {
  const p = kword(m, a.curproc);
  return p ? { pid: kword(m, p + PROC.pid) | 0, name: kstring(m, p + PROC.name, PROC_NAME_LEN) } : { pid: 0, name: '-' };
}

/** The slots in use, in slot order. */
export function processTable(m: Machine, a: MonoAddresses): ProcessView[] {
  const cur = kword(m, a.curproc);
  const out: ProcessView[] = [];
  for (let i = 0; i < NPROC; i++) {
    const p = a.proc + i * PROC.size;
    const state = kword(m, p + PROC.state);
    if (state === 0) continue;
    const parent = kword(m, p + PROC.parent);
    out.push({
      slot: i, pid: kword(m, p + PROC.pid) | 0, name: kstring(m, p + PROC.name, PROC_NAME_LEN),
      state: PROC_STATES[state] ?? `state ${state}`, asid: kword(m, p + PROC.asid), parent: parent ? kword(m, parent + PROC.pid) | 0 : 0,
      brk: kword(m, p + PROC.brk), current: p === cur, sigpending: kword(m, p + PROC.sigpending), xstate: kword(m, p + PROC.xstate) | 0,
    });
  }
  return out;
}

/** What a trap frame says about its exception. */
export function trapInfo(m: Machine, tf: number): { exc: number; excName: string; epc: number; badvaddr: number; user: boolean } {
  const cause = kword(m, tf + TF.cause), exc = (cause >>> 2) & 31;
  return { exc, excName: EXC_NAMES[exc] ?? String(exc), epc: kword(m, tf + TF.epc), badvaddr: kword(m, tf + TF.badvaddr), user: (kword(m, tf + TF.status) & ST_KUP) !== 0 };
}

/**
 * The physical address of user address `va` in the page table the kernel
 * has in use (cur_pgdir: two levels, mmu.h), or -1 when nothing is mapped
 * there. kseg0 and kseg1 addresses are the kernel's own and map directly.
 */
export function userPhys(m: Machine, a: MonoAddresses, va: number): number {
  const seg = va >>> 29;
  if (seg === 4 || seg === 5) return va & 0x1fffffff;
  if (seg >= 4) return -1;
  const pd = kword(m, a.curPgdir);
  if (!pd) return -1;
  const pt = kword(m, pd + 4 * ((va >>> 22) & 0x3ff));
  if (!pt) return -1;
  const pte = kword(m, pt + 4 * ((va >>> 12) & 0x3ff));
  return pte & 1 ? ((pte & 0xfffff000) | (va & 0xfff)) >>> 0 : -1;
}
