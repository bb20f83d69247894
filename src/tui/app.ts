// The one container: it holds the UI state, reads the driver's state, asks
// the selectors for view models and hands them to the panes, and turns keys
// into state changes and driver commands (input.ts decides which).

import { Box, useInput, useStdin, useStdout } from 'ink';
import { createElement as h, memo, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Debugger, DebuggerState, LogSource, Said, Snapshot } from '../session/index.js';
import { MONO_EVENT_KINDS } from '../session/index.js';
import { handleKey, INTERRUPT_STATUS, type Effect } from './input.js';
import { keysFromInput, type InkKey } from './keys.js';
import { parseKeyText } from './keytrack.js';
import { cellsOf, innerSize, layoutFor, paneNumber, showsAll, type Cell, type DrawnLayout, type PaneId } from './layout.js';
import { BottomLine, IntroOverlay, MenuOverlay, RevokeOverlay, StatusLine, TabBar, TextOverlay, TooSmall } from './panes/chrome.js';
import { Frame } from './panes/common.js';
import { CpuPane } from './panes/cpu.js';
import { DpfPane } from './panes/dpf.js';
import { EnvsPane } from './panes/envs.js';
import { FramesPane } from './panes/frames.js';
import { MemoryPane } from './panes/memory.js';
import { ConsolePane, LogPane } from './panes/log.js';
import { SlicesPane } from './panes/slices.js';
import { TextPane } from './panes/text.js';
import { ScenarioPane } from './panes/scenario.js';
import { TlbPane } from './panes/tlb.js';
import { helpLines, selectBottom, selectMenu, selectMenuItems, selectStatus, selectTabs } from './selectors/chrome.js';
import { envChoices } from './selectors/envs.js';
import { logSource } from './selectors/events.js';
import { tlbDumpLines } from './selectors/tlb.js';
import { memoryShape } from './selectors/memory.js';
import { selectInject } from './selectors/inject.js';
import { selectIntro } from './selectors/intro.js';
import { MONO_TITLES } from './selectors/mono.js';
import { selectRevoke } from './selectors/revoke.js';
import { initialUi, normal, selectedEnv, type KeyContext, type MenuItem, type UiState } from './ui-state.js';
import { paneTitle, paneView, scrollMaxOf, viewInputs, type PaneView } from './views.js';

export interface AppProps {
  /** The machine, through the one interface the TUI has to it. */
  readonly driver: Debugger;
  readonly title: string;
  /** A message shown at the start, as an error (a breakpoint the scenario could not set). */
  readonly notice?: string;
  /** The scenario's description: with one, the first screen says what it is and how to start it. */
  readonly description?: string;
  /** Called once with the exit status when the person quits. */
  readonly onExit: (status: number) => void;
}

/** The terminal's size, following resizes. */
function useTerminalSize(): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const on = () => setSize(read());
    stdout.on('resize', on);
    return () => { stdout.off('resize', on); };
  }, [stdout]);
  return size;
}

/** Pane views, recomputed only for panes whose inputs changed. */
function usePaneViews(cells: readonly Cell[], ds: DebuggerState, ui: UiState, env: string | undefined, log: LogSource | undefined): Map<PaneId, PaneView> {
  const cache = useRef(new Map<PaneId, { inputs: readonly unknown[]; view: PaneView }>());
  const out = new Map<PaneId, PaneView>();
  for (const c of cells) {
    const inputs = viewInputs(c.pane, ds, ui, env, c);
    const hit = cache.current.get(c.pane);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((x, i) => x === inputs[i])) { out.set(c.pane, hit.view); continue; }
    const view = paneView(ds, ui, env, c, log);
    cache.current.set(c.pane, { inputs, view });
    out.set(c.pane, view);
  }
  return out;
}

function PaneBody({ pv, width, height }: { pv: PaneView; width: number; height: number }): ReactNode {
  switch (pv.pane) {
    case 'cpu': return h(CpuPane, { view: pv.view, width, height });
    case 'tlb': return h(TlbPane, { view: pv.view, width, height });
    case 'frames': return h(FramesPane, { view: pv.view, width, height });
    case 'envs': return h(EnvsPane, { view: pv.view, width, height });
    case 'log': return h(LogPane, { view: pv.view, width, height });
    case 'console': return h(ConsolePane, { view: pv.view, width, height });
    case 'slices': return h(SlicesPane, { view: pv.view, width, height });
    case 'dpf': return h(DpfPane, { view: pv.view, width, height });
    case 'text': return h(TextPane, { view: pv.view, width, height });
    case 'scenario': return h(ScenarioPane, { view: pv.view, width, height });
    case 'memory': return h(MemoryPane, { view: pv.view, width, height });
  }
}

/** What PaneCell draws: a pane's view in its frame, all of it primitives or kept objects. */
interface PaneCellProps {
  readonly pane: PaneId;
  readonly pv: PaneView;
  readonly frame: Cell['frame'];
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
}

/**
 * One pane in its frame, drawn again only when its view (kept while its
 * inputs are the same: usePaneViews), size or focus changed.
 */
const PaneCell = memo(function PaneCell({ pane, pv, frame, width, height, focused }: PaneCellProps): ReactNode {
  const inner = innerSize({ pane, frame, width, height });
  return h(Frame, { title: `${paneNumber(pane)} ${paneTitle(pv, pane)}`, info: pv.view.info, focused, frame, width, height },
    h(PaneBody, { pv, width: inner.width, height: inner.height }));
});

function Body({ layout, views, focus }: { layout: DrawnLayout; views: Map<PaneId, PaneView>; focus: PaneId }): ReactNode {
  return h(Box, { flexDirection: 'column', height: layout.bodyHeight },
    ...layout.rows.map((r, i) => h(Box, { key: i, flexDirection: 'row', height: r.height },
      ...r.cells.map((c) => h(PaneCell, { key: c.pane, pane: c.pane, pv: views.get(c.pane)!, frame: c.frame, width: c.width, height: c.height, focused: c.pane === focus })))));
}

/** What the App passes to useKeys. */
interface KeyWiring {
  readonly driver: Debugger;
  readonly ctx: KeyContext;
  readonly small: boolean;
  readonly uiRef: { current: UiState };
  readonly setUi: (ui: UiState) => void;
  readonly onExit: (status: number) => void;
}

/**
 * Reads keys (when stdin is a terminal, and the keys of the scenario's
 * timeline `key` steps) and applies them: handleKey decides, the debugger acts.
 */
function useKeys({ driver, ctx, small, uiRef, setUi, onExit }: KeyWiring): void {
  const { isRawModeSupported } = useStdin();
  const commit = (ui: UiState) => { uiRef.current = ui; setUi(ui); };
  // A popup replaces the mode; a message leaves it (the break-on menu stays open).
  const say = (o: Said) => {
    if (!o) return;
    const cur = uiRef.current;
    commit(o.popup ? { ...normal(cur), mode: { kind: 'popup', title: o.popup.title, lines: o.popup.lines, scroll: 0 } }
      : { ...cur, message: o.text === undefined ? undefined : { text: o.text, error: o.error === true } });
  };
  const run = (e: Effect) => {
    switch (e.kind) {
      case 'quit': return onExit(e.status);
      case 'stepOver': return say(driver.execute({ kind: 'stepOver' }));
      case 'toggleBreak': return say(driver.execute({ kind: 'toggleBreak', breakpoint: e.item.spec }));
      case 'line':
        if (e.command.kind === 'tlb') return say({ popup: { title: 'Hardware TLB (all 64 entries)', lines: tlbDumpLines(driver.getState().snapshot) } });
        return say(driver.execute(e.command as Exclude<typeof e.command, { kind: 'tlb' | 'env' | 'filter' | 'help' | 'quit' | 'mem' }>));
    }
  };
  // The context of the latest render, as uiRef holds its UI state: a key may arrive before Ink hands useInput the new handler.
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;
  const press = (keys: readonly string[]) => {
    for (const k of keys) {
      if (small && (k === 'q' || k === 'ctrl-c')) return onExit(k === 'q' ? 0 : INTERRUPT_STATUS);
      const r = handleKey(uiRef.current, k, ctxRef.current);
      commit(r.ui);
      r.effects.forEach(run);
    }
  };
  const pressRef = useRef(press);
  pressRef.current = press;
  useEffect(() => driver.onKeys((text) => {
    const parsed = parseKeyText(text);
    if (!('error' in parsed)) pressRef.current(parsed.keys);
  }), [driver]);
  useInput((input, key) => press(keysFromInput(input, key as InkKey)), { isActive: isRawModeSupported === true });
}

/** What the body may show besides the panes. */
interface MainProps {
  readonly ui: UiState;
  readonly layout: DrawnLayout;
  readonly views: Map<PaneId, PaneView>;
  readonly menu: readonly MenuItem[];
  readonly help: readonly { text: string; heading: boolean }[];
  readonly snapshot: Snapshot;
  readonly alive: readonly string[];
  readonly title: string;
  readonly description: string | undefined;
}

/** The body: the panes, or the overlay the mode calls for. */
function Main({ ui, layout, views, menu, help, snapshot, alive, title, description }: MainProps): ReactNode {
  const m = ui.mode, width = layout.cols, height = layout.bodyHeight;
  switch (m.kind) {
    case 'revoke': return h(RevokeOverlay, { view: selectRevoke(m.form, snapshot, alive, width - 2), width, height });
    case 'inject': return h(RevokeOverlay, { view: selectInject(m.form, snapshot, width - 2), width, height });
    case 'help': return h(TextOverlay, { title: 'Keys (from the command table)', lines: help, scroll: m.scroll, width, height });
    case 'intro': return h(IntroOverlay, { lines: selectIntro(title, description, snapshot, width - 2, height - 3), width, height });
    case 'popup': return h(TextOverlay, { title: m.title, lines: m.lines.map((text) => ({ text })), scroll: m.scroll, width, height });
    case 'menu': return h(MenuOverlay, { rows: selectMenu(menu, m.cursor, width - 2, height - 3), width, height });
    default: return h(Body, { layout, views, focus: ui.focus });
  }
}

/** The TUI. */
export function App({ driver, title, notice, description, onExit }: AppProps): ReactNode {
  const ds = useSyncExternalStore(driver.subscribe, driver.getState);
  const { cols, rows } = useTerminalSize();
  const [ui, setUi] = useState((): UiState => {
    const first = initialUi(description !== undefined);
    return notice ? { ...first, message: { text: notice, error: true } } : first;
  });
  const uiRef = useRef(ui);
  uiRef.current = ui;
  const layout = layoutFor(cols, rows, ui.focus, ui.zoom, ds.snapshot.mono !== undefined);
  const { names, fallback, alive } = envChoices(ds.snapshot);
  const env = selectedEnv(ui, names, fallback);
  const cells = cellsOf(layout);
  // The log is a window over the whole history (the snapshot's events when the debugger keeps none).
  const log = useMemo(() => (ds.snapshot.mono ? undefined : logSource(driver, ds.snapshot, ui.filter)), [driver, ds.snapshot, ui.filter]);
  const views = usePaneViews(cells, ds, ui, env, log);
  const mono = ds.snapshot.mono !== undefined;
  // Breakpoints stop the first machine: the menu offers the monolithic kernel's kinds only when it is the first (the only) one.
  const monoBreaks = mono && ds.snapshot.machines.length === 0;
  const menu = useMemo(() => selectMenuItems(ds.breakpoints, monoBreaks), [ds.breakpoints, monoBreaks]);
  const help = useMemo(() => helpLines(cols - 2), [cols]);
  const bottom = useMemo(() => selectBottom(ui, cols), [ui.mode, ui.message, cols]);
  const bodyH = layout.kind === 'small' ? 0 : layout.bodyHeight;
  const overlayLines = ui.mode.kind === 'help' ? help.length : ui.mode.kind === 'popup' ? ui.mode.lines.length : 0;
  const ctx: KeyContext = {
    running: ds.running, envs: names, alive, defaultEnv: fallback, menu, travelling: ds.travelling === true,
    logIndexes: (() => { const v = views.get('log'); return v?.pane === 'log' ? v.view.indexes : undefined; })(),
    cpuCursor: (() => { const v = views.get('cpu'); return v?.pane === 'cpu' ? v.view.cursor : undefined; })(),
    log: log && { matched: log.matched, rank: log.rank, indexAt: (r) => log.range(r, r + 1)[0]?.index ?? -1 },
    scrollMax: Object.fromEntries(cells.map((c) => [c.pane, scrollMaxOf(views.get(c.pane)!) ?? 0])),
    pageSize: Object.fromEntries(cells.map((c) => [c.pane, innerSize(c).height])),
    overlayMax: Math.max(0, overlayLines - (bodyH - 3)), overlayPage: Math.max(1, bodyH - 3),
    ...(mono && { eventKinds: MONO_EVENT_KINDS }),
    ...(driver.symbolNames && { symbols: (env?: string) => driver.symbolNames!(env) }),
  };
  useKeys({ driver, ctx, small: layout.kind === 'small', uiRef, setUi, onExit });
  useMemoryWindow(driver, cells.find((c) => c.pane === 'memory'), mono ? undefined : env, ui);
  if (layout.kind === 'small') return h(TooSmall, { cols, rows });
  return h(Box, { flexDirection: 'column', width: cols, height: layout.height },
    h(StatusLine, { view: selectStatus(statusTitle(title, ds.attached, ds.snapshot.machine), ds.snapshot, ds.status, ds.running, cols, ds.pace || undefined) }),
    showsAll(layout) ? null : h(TabBar, { tabs: selectTabs(ui.focus, new Set(cells.map((c) => c.pane)), cols, ds.snapshot.mono ? MONO_TITLES : {}), width: cols }),
    h(Main, { ui, layout, views, menu, help, snapshot: ds.snapshot, alive, title, description }),
    h(BottomLine, { view: bottom }));
}

/**
 * Asks the debugger for the memory pane's window while the pane is on
 * screen (each snapshot then carries it: Debugger.showMemory), and for
 * none once it is not.
 */
function useMemoryWindow(driver: Debugger, cell: Cell | undefined, env: string | undefined, ui: UiState): void {
  const shape = cell ? memoryShape(innerSize(cell).width, innerSize(cell).height) : undefined;
  const at = ui.memAt, scroll = ui.scroll.memory;
  useEffect(() => {
    driver.showMemory(shape && { env, at, scroll, perLine: shape.perLine, lines: shape.lines });
  }, [driver, shape?.perLine, shape?.lines, env, at, scroll]);
}

/** The status line's title: with several machines, the one the panes show; and another debugger attached. */
export function statusTitle(title: string, attached: string | undefined, machine: string | undefined): string {
  const t = machine === undefined ? title : `${title} · machine ${machine} (m)`;
  return attached ? `${t} · ${attached}` : t;
}
