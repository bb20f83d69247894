// Snapshots of a MonoSession: the same plain Snapshot the TUI reads for the
// exokernel, with the CPU, the hardware TLB and the disassembly filled in
// from the machine, the exokernel's own fields (environments, STLB, slices,
// frames, DPF, its events) empty, and `mono` holding what the monolithic
// kernel has instead: its process table, console and events, read from its
// memory by its symbols.

import { basename } from 'node:path';
import { CP0_NAMES, disassemble, parseElf, promEntryAt, symbolizer, type ElfImage, type ElfSymbol, type Machine } from '../emu/index.js';
import { monoSymbols, readMonoCounters, type MonoSymbols } from '../monolithic/index.js';
import { currentProcess, processTable } from '../monolithic/index.js';
import type { MemorySource } from './memory-window.js';
import type { MonoSession } from './mono-session.js';
import type { CodeLine, Snapshot, SnapshotOptions, TlbRow } from './snapshot.js';

const u = (v: number) => v >>> 0;

/** The symbols of each user program linked into the kernel's file table (initfs.S: <sym>_start, _end, _name), by program name. */
export function programSymbols(elf: ElfImage): Map<string, readonly ElfSymbol[]> {
  const out = new Map<string, readonly ElfSymbol[]>();
  const byName = new Map(elf.symbols.map((s) => [s.name, s]));
  const bytesAt = (va: number, len: number): Uint8Array | undefined => {
    const seg = elf.segments.find((g) => va >= u(g.vaddr) && va + len <= u(g.vaddr) + g.data.length);
    return seg && seg.data.subarray(va - u(seg.vaddr), va - u(seg.vaddr) + len);
  };
  for (const s of elf.symbols) {
    if (!s.name.endsWith('_start')) continue;
    const base = s.name.slice(0, -6), end = byName.get(`${base}_end`), name = byName.get(`${base}_name`);
    if (!end || !name) continue;
    const bytes = bytesAt(u(s.value), u(end.value) - u(s.value));
    const nameBytes = bytesAt(u(name.value), 32);
    if (!bytes || !nameBytes) continue;
    const prog = Buffer.from(nameBytes.subarray(0, Math.max(0, nameBytes.indexOf(0)))).toString('latin1');
    try { out.set(prog, parseElf(bytes, prog).symbols); } catch { /* not an ELF: no symbols for it */ }
  }
  return out;
}

/** What a MonoSession's snapshots need besides the session: its symbols, found once. */
export interface MonoSnapshotContext {
  readonly counters: MonoSymbols;
  readonly programs: Map<string, readonly ElfSymbol[]>;
}

/** The context for snapshots of `ms`. Throws Error if the image lacks the kernel's counters. */
export function monoSnapshotContext(ms: MonoSession): MonoSnapshotContext {
  return { counters: monoSymbols(ms.image), programs: programSymbols(ms.image) };
}

/**
 * The address space of the process on the CPU as the monolithic kernel
 * sees it (MonoSession.readWord), with the kernel's and its program's
 * symbols: what the memory pane reads of a machine that runs it.
 */
export function monoMemorySource(ms: MonoSession, ctx: MonoSnapshotContext): MemorySource {
  const cur = currentProcess(ms.machine, ms.addr);
  const prog = ctx.programs.get(cur.name) ?? [];
  const symbol = (name: string) => (ms.image.symbols.find((x) => x.name === name) ?? prog.find((x) => x.name === name))?.value;
  return {
    space: cur.pid ? `pid ${cur.pid} ${cur.name}` : 'kernel', read: (va) => ms.readWord(va),
    symbol: (x) => { const v = symbol(x); return v === undefined ? undefined : v >>> 0; }, sp: ms.machine.cpu.regs[29] >>> 0,
  };
}

function tlbRows(m: Machine): TlbRow[] {
  const t = m.cpu.tlb, rows: TlbRow[] = [];
  for (let i = 0; i < 64; i++) {
    const hi = u(t.hi[i]), lo = u(t.lo[i]);
    rows.push({ index: i, vpn: hi >>> 12, asid: (hi >>> 6) & 63, pfn: lo >>> 12, n: (lo & 0x800) !== 0, d: (lo & 0x400) !== 0, v: (lo & 0x200) !== 0, g: (lo & 0x100) !== 0 });
  }
  return rows;
}

/** Disassembly around the pc, symbolized by the kernel's symbols in kseg0 and the current program's below it. */
function codeWindow(ms: MonoSession, ctx: MonoSnapshotContext, context: number): CodeLine[] {
  const cpu = ms.machine.cpu, pc = u(cpu.pc);
  const syms: readonly ElfSymbol[] = pc >= 0x80000000 ? ms.image.symbols : ctx.programs.get(currentProcess(ms.machine, ms.addr).name) ?? [];
  const sym = symbolizer(syms);
  const bps = new Set(ms.listBreakpoints().flatMap(([, b]) => (b.kind === 'pc' ? [b.addr] : [])));
  const out: CodeLine[] = [];
  for (let a = pc - 4 * context; a <= pc + 4 * context; a += 4) {
    const addr = u(a), word = ms.readWord(addr);
    const exact = syms.find((x) => u(x.value) === addr && x.name && x.section === '.text');
    const prom = addr >= 0x80000000 ? promEntryAt(addr) : undefined; // kseg0 or kseg1 (promEntryAt reads any address as physical)
    out.push({
      addr, word, text: word === undefined ? '(unmapped)' : disassemble(word, addr, (t) => sym.symbolize(t)),
      label: exact?.name ?? (prom && `PROM ${prom.name} (run by the emulator)`), symbol: syms.length && word !== undefined ? sym.symbolize(addr) : undefined, breakpoint: bps.has(addr), current: addr === pc,
    });
  }
  return out;
}

/** A snapshot of `ms` now (see the file comment). */
export function takeMonoSnapshot(ms: MonoSession, ctx: MonoSnapshotContext, args: readonly string[], opts: SnapshotOptions = {}): Snapshot {
  const m = ms.machine, cpu = m.cpu;
  const cp0: Record<string, number> = {
    [CP0_NAMES[0]]: u(cpu.index), [CP0_NAMES[1]]: cpu.random << 8, [CP0_NAMES[2]]: u(cpu.entryLo),
    [CP0_NAMES[4]]: u(cpu.context), [CP0_NAMES[8]]: u(cpu.badVAddr), [CP0_NAMES[10]]: u(cpu.entryHi),
    [CP0_NAMES[12]]: u(cpu.status), [CP0_NAMES[13]]: cpu.causeValue, [CP0_NAMES[14]]: u(cpu.epc), [CP0_NAMES[15]]: cpu.prid,
  };
  const n = opts.events ?? 200;
  return {
    cycle: cpu.cycles, instret: cpu.instret, stop: ms.lastStop, machine: undefined, machines: [], eventPairs: [],
    cpu: { pc: u(cpu.pc), inDelay: cpu.inDelay, regs: [...cpu.regs].map(u), hi: u(cpu.hi), lo: u(cpu.lo), cp0 },
    code: codeWindow(ms, ctx, opts.codeContext ?? 32),
    tlb: tlbRows(m),
    stlbCounters: { hits: 0, misses: 0, evictions: 0 },
    envs: [],
    slices: { owner: [], current: 0, phase: '', ticksLeft: 0, sliceTicks: 0 },
    frameOwners: [], sharedFrames: [], guaranteedFrames: [], frameAccess: [],
    events: [], eventsTotal: 0, eventKinds: {}, eventEnvs: {}, invariant: [], dpf: undefined,
    mono: {
      image: basename(ms.image.fileName), args,
      processes: processTable(m, ms.addr), current: currentProcess(m, ms.addr),
      console: ms.console.slice(-(opts.consoleTail ?? 4096)),
      events: ms.recentEvents(n), eventsTotal: ms.history.length,
      counters: readMonoCounters(m, ctx.counters), halted: ms.halted,
    },
  };
}
