// View models of the panes when the machine runs the monolithic kernel
// (Snapshot.mono): its hardware TLB with each entry's process, its process
// table in the environments' place, its events in the log, its console,
// and a plain statement in the panes whose subject is the exokernel's
// alone (STLB, time slices, frame ownership, DPF).

import { monoEventTone, summarizeMonoEvent, type EventTone, type MonoEvent, type MonoView, type Snapshot } from '../../session/index.js';
import type { LogFilter } from '../commandline.js';
import { clip, fit, hex, num, printable, right, windowOf, wrap } from '../format.js';
import type { PaneId } from '../layout.js';
import type { ConsoleView } from './console.js';
import type { EventsView } from './events.js';

/** A pane of plain lines: a title of its own, lines with tones, scrolled from the top. */
export interface TextView {
  readonly title: string;
  readonly info: string;
  readonly lines: readonly { readonly text: string; readonly tone: EventTone | 'heading' }[];
  readonly offset: number;
  readonly max: number;
}

/** Who is on the CPU, in words: the current process, and whether the pc is in the kernel. */
export function monoWhere(s: Snapshot, m: MonoView): string {
  const inKernel = s.cpu.pc >= 0x80000000;
  if (!m.current.pid) return inKernel ? 'kernel (no process)' : 'no process';
  return `${m.current.name} (pid ${m.current.pid})${inKernel ? ' in the kernel' : ''}`;
}

/** The pane titles on the monolithic kernel (the environments' pane shows its processes). */
export const MONO_TITLES: Partial<Record<PaneId, string>> = { tlb: 'TLB', envs: 'Processes' };

/** Why pane `p` has nothing to show on the monolithic kernel, and what it has instead. */
const EXOKERNEL_ONLY: Partial<Record<PaneId, readonly string[]>> = {
  frames: ['Frame ownership is exokernel-only: Aegis hands out physical frames with capabilities (secure bindings).',
    'The monolithic kernel keeps its free pages on a list of its own (kalloc.c) and owns them all.'],
  slices: ['Time slices are exokernel-only: Aegis divides the CPU into a vector of slices that environments own.',
    'The monolithic kernel preempts its processes on the clock tick (256 Hz) and schedules them round robin (proc.c).'],
  dpf: ['The packet filter (DPF) is exokernel-only: Aegis demultiplexes packets to environments by downloaded filters.',
    'The monolithic kernel\'s sockets take UDP packets by port in its own driver (net.c, inet.c).'],
};

const text = (title: string, info: string, lines: readonly string[], width: number, height: number, scroll: number, tone: EventTone = 'dim'): TextView => {
  const all = lines.flatMap((l) => wrap(l, Math.max(10, width)));
  const max = Math.max(0, all.length - height);
  const offset = Math.max(0, Math.min(max, scroll));
  return { title, info, lines: all.slice(offset, offset + Math.max(0, height)).map((t) => ({ text: clip(t, width), tone })), offset, max };
};

/** The plain statement of an exokernel-only pane. */
export function selectExokernelOnly(p: PaneId, title: string, width: number, height: number): TextView {
  return text(title, 'exokernel-only', EXOKERNEL_ONLY[p] ?? [`${title} is exokernel-only.`], width, height, 0);
}

/** The hardware TLB's valid entries, each with the process its ASID belongs to (ASID = slot + 1, proc.c). */
export function selectMonoTlb(s: Snapshot, m: MonoView, scroll: number, width: number, height: number): TextView {
  const byAsid = new Map(m.processes.map((p) => [p.asid, `${p.name}:${p.pid}`]));
  const valid = s.tlb.filter((r) => r.v);
  const header = 'idx  vpn      asid process          pfn    flags';
  const rows = valid.map((r) => `${right(String(r.index), 3)}  ${hex(r.vpn << 12).slice(0, 8)} ${right(String(r.asid), 4)} ${fit(r.g ? '(global)' : byAsid.get(r.asid) ?? '-', 16)} ${right(r.pfn.toString(16), 5)}  ${r.d ? 'D' : '-'}${r.v ? 'V' : '-'}${r.g ? 'G' : '-'}${r.n ? 'N' : '-'}`);
  const h = Math.max(0, height - 2);
  const max = Math.max(0, rows.length - h), offset = Math.max(0, Math.min(max, scroll));
  return {
    title: 'TLB', info: `${valid.length} of 64 valid; the STLB is exokernel-only`,
    lines: [{ text: clip('The software TLB (STLB) is exokernel-only; UTLB misses here are refilled from the page table by vectors.S.', width), tone: 'dim' },
      { text: clip(header, width), tone: 'heading' },
      ...rows.slice(offset, offset + h).map((t) => ({ text: clip(t, width), tone: 'normal' as const }))],
    offset, max,
  };
}

/** The process table (proc[] in proc.c), ">" on the CPU, and what the kernel has counted since boot. */
export function selectProcesses(s: Snapshot, m: MonoView, width: number, height: number): TextView {
  const header = ' slot  pid name             state      asid parent brk';
  const rows = m.processes.map((p) => `${p.current ? '>' : ' '}${right(String(p.slot), 4)} ${right(String(p.pid), 4)} ${fit(p.name, 16)} ${fit(p.state, 10)} ${right(String(p.asid), 4)} ${right(String(p.parent), 6)} ${hex(p.brk)}`);
  const c = m.counters;
  const calls = Object.entries(c.syscalls).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${num(v)}`).join(', ');
  const detail = [
    `on the CPU: ${monoWhere(s, m)}${m.halted ? '; the machine has halted' : ''}`,
    `counted by the kernel: ${num(c.contextSwitches)} switches, ${num(c.ticks)} ticks, copyin ${num(c.copyinBytes)} B, copyout ${num(c.copyoutBytes)} B`,
    `system calls: ${calls || 'none yet'}`,
  ];
  const lines = [{ text: clip(header, width), tone: 'heading' as const }, ...rows.map((t) => ({ text: clip(t, width), tone: 'normal' as const })),
    ...detail.flatMap((d) => wrap(d, Math.max(10, width))).map((t) => ({ text: clip(t, width), tone: 'dim' as const }))];
  return { title: 'Processes', info: `${m.processes.length} of 16 slots in use (${m.image} ${m.args.join(' ')})`, lines: lines.slice(0, Math.max(0, height)), offset: 0, max: 0 };
}

/** An event as a log line: cycle, process, kind, details. */
function monoEventText(e: MonoEvent): string {
  const who = 'pid' in e ? `pid ${e.pid}` : '';
  return `${right(num(e.cycle), 13)} ${fit(who, 8)} ${fit(e.kind, 17)} ${summarizeMonoEvent(e)}`;
}

/** The log of the kernel's events, filtered by kind prefixes and words (env: filters are the exokernel's). */
export function selectMonoEvents(m: MonoView, filter: LogFilter, scroll: number, width: number, height: number): EventsView {
  const kept = m.events.filter((e) => (!filter.kinds.length || filter.kinds.some((k) => e.kind.startsWith(k)))
    && (!filter.words.length || filter.words.every((w) => monoEventText(e).toLowerCase().includes(w))));
  const h = Math.max(0, height);
  const max = Math.max(0, kept.length - h);
  const offset = Math.max(0, Math.min(max, scroll));
  const win = windowOf(kept, kept.length - h - offset, h);
  return {
    info: (filter.text ? `${num(kept.length)} of ${num(m.events.length)} match ${filter.text}` : `last ${num(m.events.length)} of ${num(m.eventsTotal)} events`) + (offset ? `, ${offset} up` : ''),
    lines: win.items.map((e) => ({ text: clip(monoEventText(e), width), tone: monoEventTone(e.kind) })),
    matched: kept.length, carried: m.events.length, total: m.eventsTotal, offset, max, filter: filter.text,
    // Choosing an event to travel to is the exokernel session's (its history indexes); none here.
    indexes: [], selected: undefined,
  };
}

/** The kernel's console (the machine's serial line 3), windowed from the bottom. */
export function selectMonoConsole(m: MonoView, scroll: number, width: number, height: number): ConsoleView {
  const all = m.console ? wrap(printable(m.console), width) : [];
  if (all.length && all[all.length - 1] === '') all.pop();
  const h = Math.max(0, height);
  const max = Math.max(0, all.length - h);
  const offset = Math.max(0, Math.min(max, scroll));
  const end = all.length - offset;
  return { info: `kernel console: ${m.console.length} chars${offset ? `, ${offset} lines up` : ''}`, env: 'the kernel', lines: all.slice(Math.max(0, end - h), end), offset, max, chars: m.console.length };
}
