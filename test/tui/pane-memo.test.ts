// Panes drawn again only when what they show changed: the debugger shares
// a snapshot's unchanged parts with the one before (shareUnchanged), the
// frame map, packet filter and console panes are keyed by the parts they
// read (viewInputs), and each pane in its frame is memoized (PaneCell).
// Each test changes one part alone and reads the screen: a pane that kept
// its view when that part changed would show stale content.

import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { makeTheme, ThemeContext } from '../../src/tui/theme.js';
import { viewInputs } from '../../src/tui/views.js';
import { initialUi } from '../../src/tui/ui-state.js';
import { shareUnchanged, takeSnapshot, type Debugger, type DebuggerState, type Snapshot } from '../../src/session/index.js';
import type { DpfView } from '../../src/exokernel/index.js';
import { fixtureSession, liveDebugger } from './fixtures/programs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const pause = (ms = 30) => new Promise((r) => setTimeout(r, ms));

/** The TUI over a real debugger whose published state the test replaces, one part at a time. */
async function start(focusKey: string) {
  const session = fixtureSession();
  session.run(300_000);
  const real = liveDebugger(session);
  let state: DebuggerState = real.getState();
  const listeners = new Set<() => void>();
  const driver: Debugger = Object.assign(Object.create(real) as Debugger, {
    getState: () => state,
    subscribe: (fn: () => void) => { listeners.add(fn); return () => { listeners.delete(fn); }; },
  });
  const r = render(h(ThemeContext.Provider, { value: makeTheme(false) }, h(App, { driver, title: 'test', onExit: () => {} })));
  cleanup = () => { r.unmount(); real.dispose(); };
  await pause();
  r.stdin.write(focusKey);
  await pause();
  const publish = async (change: (s: Snapshot) => Snapshot) => {
    state = { ...state, previous: state.snapshot, snapshot: change(state.snapshot) };
    for (const fn of listeners) fn();
    await pause();
  };
  return { screen: () => r.lastFrame() ?? '', publish, snapshot: () => state.snapshot };
}

/** A packet filter of one root whose classifications are `hits`. */
const dpf = (hits: number): DpfView => ({ filters: [], nodes: 0, hashTables: 0, root: { kind: 'node', id: 0, atom: undefined, text: 'root', hits, filters: 0, leaf: undefined, children: [] } });

describe('panes drawn again only when their part of the snapshot changed', () => {
  it('the console pane shows new console text when only the console changed', async () => {
    const { screen, publish } = await start('6');
    expect(screen()).not.toContain('written by the test');
    await publish((s) => ({ ...s, envs: s.envs.map((e) => ({ ...e, console: `${e.console}written by the test\n` })) }));
    expect(screen()).toContain('written by the test');
  });

  it('the frame map follows a change of owner, and an environment renamed, when nothing else changed', async () => {
    const { screen, publish, snapshot } = await start('4');
    // An environment that is not the selected one (b, alive): renaming it changes nothing else the pane is keyed by.
    const a = snapshot().envs.find((e) => e.state === 'destroyed')!;
    expect(snapshot().frameOwners.filter((o) => o === a.id)).toEqual([]);
    const free = snapshot().frameOwners.indexOf(0);
    await publish((s) => ({ ...s, frameOwners: s.frameOwners.map((o, i) => (i === free ? a.id : o)) }));
    expect(screen()).toContain(`${a.name} 1  `);
    await publish((s) => ({ ...s, envs: s.envs.map((e) => (e.id === a.id ? { ...e, name: 'renamed' } : e)) }));
    expect(screen()).toContain('renamed 1  ');
  });

  it('the packet filter pane shows new hit counts when only the filter changed', async () => {
    const { screen, publish } = await start('8');
    expect(screen()).toContain('0 packets classified');
    await publish((s) => ({ ...s, dpf: dpf(7) }));
    expect(screen()).toContain('7 packets classified');
    await publish((s) => ({ ...s, dpf: dpf(9) }));
    expect(screen()).toContain('9 packets classified');
  });
});

describe('shareUnchanged', () => {
  it('shares the parts that read the same, so a running frame keeps the frame map\'s inputs, and reads exactly as a fresh snapshot', () => {
    const s = fixtureSession();
    s.run(2_000_000);
    const before = takeSnapshot(s);
    s.run(1_000_000);
    const fresh = takeSnapshot(s);
    const after = shareUnchanged(before, takeSnapshot(s));
    expect(after).toEqual(fresh);
    expect(after.cycle).toBeGreaterThan(before.cycle);
    // The walker's pages stay mapped: the frame table and the TLB are the same objects, the registers are not.
    expect(after.frameOwners).toBe(before.frameOwners);
    expect(after.tlb).toBe(before.tlb);
    expect(after.cpu).not.toBe(before.cpu);
    const ui = initialUi();
    const cell = { pane: 'frames' as const, width: 80, height: 30, frame: 'box' as const };
    const ds = (snapshot: Snapshot) => ({ snapshot, previous: undefined, running: true, status: { reason: 'running', detail: '' }, breakpoints: [], pace: '' }) as unknown as DebuggerState;
    const a = viewInputs('frames', ds(before), ui, 'a', cell), b = viewInputs('frames', ds(after), ui, 'a', cell);
    expect(b.every((x, i) => x === a[i])).toBe(true);
    // A part that changed is not shared.
    const moved = { ...fresh, frameOwners: fresh.frameOwners.map((o, i) => (i === 0 ? 1 : o)) };
    expect(shareUnchanged(before, moved).frameOwners).toBe(moved.frameOwners);
    // Nor one with a field more, or one less, or a value of another type.
    const more = { ...fresh, stlbCounters: { ...before.stlbCounters, extra: 1 } };
    expect(shareUnchanged(before, more).stlbCounters).toBe(more.stlbCounters);
    const { hits: _h, ...fewer } = before.stlbCounters;
    const less = { ...fresh, stlbCounters: fewer } as unknown as Snapshot;
    expect(shareUnchanged(before, less).stlbCounters).toBe(less.stlbCounters);
    const text = { ...fresh, tlb: fresh.tlb.map((r, i) => (i === 0 ? { ...r, vpn: String(r.vpn) } : r)) } as unknown as Snapshot;
    expect(shareUnchanged(before, text).tlb).toBe(text.tlb);
  });

  it('a frame published after a stop reads exactly as a fresh snapshot of the machine', async () => {
    const session = fixtureSession({ checkpointEvery: 0 });
    const d = liveDebugger(session);
    cleanup = () => d.dispose();
    d.step(600_000);
    await new Promise<void>((resolve) => { const off = d.subscribe(() => { if (!d.getState().running) { off(); resolve(); } }); });
    expect(d.getState().snapshot).toEqual(takeSnapshot(session, { events: 1000 }));
  });
});
