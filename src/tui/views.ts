// The view model of each visible pane, from the driver's state and the UI
// state: one place that calls the selectors with each pane's inner size.

import type { DebuggerState as DriverState, LogSource, MonoView, Snapshot } from '../session/index.js';
import { innerSize, PANE_TITLES, type Cell, type PaneId } from './layout.js';
import { selectConsole, type ConsoleView } from './selectors/console.js';
import { selectCpu, type CpuView } from './selectors/cpu.js';
import { selectDpf, type DpfPaneView } from './selectors/dpf.js';
import { selectEnvs, type EnvsView } from './selectors/envs.js';
import { selectEvents, type EventsView } from './selectors/events.js';
import { selectFrames, type FramesView } from './selectors/frames.js';
import { selectSlices, type SlicesView } from './selectors/slices.js';
import { selectMappings, type MappingsView } from './selectors/mappings.js';
import { selectMemory, type MemoryView } from './selectors/memory.js';
import { selectExokernelOnly, selectMonoConsole, selectMonoEvents, selectMonoTlb, selectProcesses, type TextView } from './selectors/mono.js';
import { selectScenario, type ScenarioPaneView } from './selectors/scenario.js';
import type { UiState } from './ui-state.js';

export type PaneView =
  | { readonly pane: 'cpu'; readonly view: CpuView }
  | { readonly pane: 'tlb'; readonly view: MappingsView }
  | { readonly pane: 'frames'; readonly view: FramesView }
  | { readonly pane: 'envs'; readonly view: EnvsView }
  | { readonly pane: 'log'; readonly view: EventsView }
  | { readonly pane: 'console'; readonly view: ConsoleView }
  | { readonly pane: 'slices'; readonly view: SlicesView }
  | { readonly pane: 'dpf'; readonly view: DpfPaneView }
  /** A pane of plain lines in `id`'s place (the monolithic kernel's; selectors/mono.ts). */
  | { readonly pane: 'text'; readonly id: PaneId; readonly view: TextView }
  | { readonly pane: 'scenario'; readonly view: ScenarioPaneView }
  | { readonly pane: 'memory'; readonly view: MemoryView };

/**
 * What a pane's view depends on; equal inputs (element by element, by
 * identity) give an equal view, and the pane is not drawn again. Most
 * panes read parts of the snapshot that change with every frame while the
 * machine runs (registers, counters, events), so their inputs are the
 * whole snapshot. The frame map, the packet filter and the console are
 * listed by the parts they read: the debugger shares unchanged parts from
 * one snapshot to the next (shareUnchanged in src/session/snapshot.ts),
 * so those panes are drawn again only when what they show changed. A
 * selector here that comes to read another part of the snapshot must have
 * it listed (test/tui/app.test.ts changes each part alone).
 */
export function viewInputs(p: PaneId, ds: DriverState, ui: UiState, env: string | undefined, cell: Cell): readonly unknown[] {
  const { width, height } = innerSize(cell);
  const s = ds.snapshot;
  const base = [s, width, height];
  switch (p) {
    case 'cpu': return [...base, ds.previous, ui.scroll.cpu];
    case 'tlb': return [...base, ds.previous, env, ui.allEnvs, ui.scroll.tlb];
    case 'frames': return s.mono ? [...base, env, ui.scroll.frames] : [s.frameOwners, s.tlb, s.sharedFrames, s.guaranteedFrames, s.frameAccess, ...envParts(s, true), width, height, env, ui.scroll.frames, ui.mapZoom, ui.allEnvs];
    case 'envs': return [...base, env];
    case 'log': return [...base, ui.filter, ui.scroll.log, ui.logCursor];
    case 'console': {
      if (s.mono) return [...base, env, ui.scroll.console];
      const e = s.envs.find((x) => x.name === env);
      return [e?.name, e?.console, width, height, ui.scroll.console];
    }
    case 'slices': return [...base, env];
    case 'dpf': return s.mono ? [...base, ui.scroll.dpf] : [s.dpf, ...envParts(s, false), width, height, ui.scroll.dpf];
    case 'scenario': return [ds.scenario, width, height, ui.scroll.scenario];
    case 'memory': return [s.memory, ds.previous?.memory, width, height];
  }
}

/** Each environment's id and name; with `mappings`, also its ASID, state, STLB entries and guaranteed mappings (what the frame map reads). */
function envParts(s: Snapshot, mappings: boolean): unknown[] {
  const out: unknown[] = [s.envs.length];
  for (const e of s.envs) {
    out.push(e.id, e.name);
    if (mappings) out.push(e.asid, e.state, e.stlb, e.guaranteedMappings);
  }
  return out;
}

/** The view model of the pane in `cell`. */
export function paneView(ds: DriverState, ui: UiState, env: string | undefined, cell: Cell, log?: LogSource): PaneView {
  const { width, height } = innerSize(cell);
  const s = ds.snapshot;
  if (s.mono) return monoPaneView(s, s.mono, ds, ui, cell.pane, width, height);
  switch (cell.pane) {
    case 'cpu': return { pane: 'cpu', view: selectCpu(s, ds.previous, width, height, ui.scroll.cpu) };
    case 'tlb': return { pane: 'tlb', view: selectMappings(s, ds.previous, env, ui.allEnvs, ui.scroll.tlb, width, height) };
    case 'frames': return { pane: 'frames', view: selectFrames(s, env, ui.scroll.frames, width, height, ui.mapZoom, ui.allEnvs) };
    case 'envs': return { pane: 'envs', view: selectEnvs(s, env, width, height) };
    case 'log': return { pane: 'log', view: selectEvents(s, ui.filter, ui.scroll.log, width, height, ui.logCursor, log) };
    case 'console': return { pane: 'console', view: selectConsole(s, env, ui.scroll.console, width, height) };
    case 'slices': return { pane: 'slices', view: selectSlices(s, env, width, height) };
    case 'dpf': return { pane: 'dpf', view: selectDpf(s, ui.scroll.dpf, width, height) };
    case 'scenario': return { pane: 'scenario', view: selectScenario(ds.scenario, ui.scroll.scenario, width, height) };
    case 'memory': return { pane: 'memory', view: selectMemory(s, ds.previous) };
  }
}

/** The view of pane `p` when the machine runs the monolithic kernel: its own TLB, processes, log and console; the rest exokernel-only. */
function monoPaneView(s: Snapshot, m: MonoView, ds: DriverState, ui: UiState, p: PaneId, width: number, height: number): PaneView {
  switch (p) {
    case 'cpu': return { pane: 'cpu', view: selectCpu(s, ds.previous, width, height, ui.scroll.cpu) };
    case 'tlb': return { pane: 'text', id: p, view: selectMonoTlb(s, m, ui.scroll.tlb, width, height) };
    case 'envs': return { pane: 'text', id: p, view: selectProcesses(s, m, width, height) };
    case 'log': return { pane: 'log', view: selectMonoEvents(m, ui.filter, ui.scroll.log, width, height) };
    case 'console': return { pane: 'console', view: selectMonoConsole(m, ui.scroll.console, width, height) };
    case 'memory': return { pane: 'memory', view: selectMemory(s, ds.previous) };
    default: return { pane: 'text', id: p, view: selectExokernelOnly(p, PANE_TITLES[p], width, height) };
  }
}

/** A pane's title: its own (the monolithic kernel's views have theirs), else the layout's. */
export function paneTitle(v: PaneView, p: PaneId): string {
  return v.pane === 'text' ? v.view.title : PANE_TITLES[p];
}

/** How far a pane's view can scroll, if it scrolls. */
export function scrollMaxOf(v: PaneView): number | undefined {
  return 'max' in v.view ? v.view.max : undefined;
}
