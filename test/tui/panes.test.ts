// Each pane rendered by Ink from view models of real sessions' snapshots;
// the checks read the visible text.

import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement as h, type ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLogFilter } from '../../src/tui/commandline.js';
import { BottomLine, MenuOverlay, StatusLine, TabBar, TextOverlay, TooSmall } from '../../src/tui/panes/chrome.js';
import { Frame } from '../../src/tui/panes/common.js';
import { CpuPane } from '../../src/tui/panes/cpu.js';
import { EnvsPane } from '../../src/tui/panes/envs.js';
import { FramesPane } from '../../src/tui/panes/frames.js';
import { ConsolePane, LogPane } from '../../src/tui/panes/log.js';
import { TlbPane } from '../../src/tui/panes/tlb.js';
import { helpLines, selectBottom, selectMenu, selectMenuItems, selectStatus, selectTabs } from '../../src/tui/selectors/chrome.js';
import { selectConsole } from '../../src/tui/selectors/console.js';
import { selectCpu } from '../../src/tui/selectors/cpu.js';
import { selectEnvs } from '../../src/tui/selectors/envs.js';
import { selectEvents } from '../../src/tui/selectors/events.js';
import { selectFrames } from '../../src/tui/selectors/frames.js';
import { selectMappings } from '../../src/tui/selectors/mappings.js';
import { colorWanted, makeTheme, ThemeContext } from '../../src/tui/theme.js';
import { initialUi } from '../../src/tui/ui-state.js';
import { paging, spinning, walking } from './fixtures/snapshots.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** The text Ink draws for `el`, without color. */
function draw(el: ReactElement): string[] {
  const r = render(h(ThemeContext.Provider, { value: makeTheme(false) }, el));
  unmount = r.unmount;
  return (r.lastFrame() ?? '').split('\n');
}

const walk = walking();
const page = paging();

describe('panes', () => {
  it('CPU: registers, CP0 and the code around the pc with its label and breakpoint', () => {
    const lines = draw(h(CpuPane, { view: selectCpu(walk.cur, walk.prev, 80, 20), width: 80, height: 20 }));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toMatch(/^zero 00000000 {2}at {3}[0-9a-f]{8}/);
    expect(lines.join('\n')).toMatch(/pc {7}00400054/);
    expect(lines.join('\n')).toMatch(/BadVAddr [0-9a-f]{8}/);
    expect(lines).toContain('           walk:');
    expect(lines.find((l) => l.startsWith('*>'))).toBe('*> 00400054  lw      t1,0(t3)');
  });

  it('TLB/STLB: one row per mapping with where it lives, its owner and capability, and what changed', () => {
    const lines = draw(h(TlbPane, { view: selectMappings(page.cur, page.prev, 'a', false, 0, 80, 80), width: 80, height: 80 }));
    expect(lines[0]).toMatch(/^STLB hits \d+ {2}misses \d+ {2}evictions \d+ {2}\| a: hits \d+ misses \d+$/);
    expect(lines[1]).toMatch(/^ix TLB index, stl STLB slot, G guaranteed, D writable/);
    expect(lines[2]).toMatch(/^env {8}vpn {3}pfn {3}ix stl GD owner {6}cap {2}since last$/);
    expect(lines.slice(3).some((l) => /^a {10}[0-9a-f]{5} [0-9a-f]{5} +\d+ +[0-9a-f]{3} [G-]D a {10}own +written$/.test(l))).toBe(true);
  });

  it('Frames: the map, its legend and the selected environment\'s frames', () => {
    const lines = draw(h(FramesPane, { view: selectFrames(page.cur, 'a', 0, 80, 20), width: 80, height: 20 }));
    const text = lines.join('\n');
    expect(lines[0]).toMatch(/^ {4}0 #[#12.:]+/);
    expect(lines[1]).toMatch(/^ +\d+ [#12.:]+/);
    expect(text).toMatch(/1 a \d+ {2}2 b \d+ {2}# kernel \d+ {2}\. free \d+ {2}: mostly free/);
    expect(text).toMatch(/guaranteed \d+: /);
    expect(text).toContain("a's frames (");
    expect(text).toMatch(/\n +\d+ [0-9a-f]{8} [G-][S-][T-] +1 a rw +[0-9a-f]{5}/);
  });

  it('Envs: the table and the selected environment\'s contexts', () => {
    const text = draw(h(EnvsPane, { view: selectEnvs(page.cur, 'a', 80, 12), width: 80, height: 12 })).join('\n');
    expect(text).toContain(' id name     state      asid frames slot   cpu% guar    disp     sys');
    expect(text).toMatch(/ 1 a +runnable +1 /);
    expect(text).toMatch(/ 2 b +runnable +- /);
    expect(text).toContain('a (env 1) runnable');
    expect(text).toMatch(/exception context: save area 00400[0-9a-f]{3}, handlers TLBL 00400[0-9a-f]{3} TLBS 00400[0-9a-f]{3}/);
    expect(text).toMatch(/counters: dispatches \d+, syscalls \d+, stlbHits/);
  });

  it('Envs: ExOS programs\' slots, CPU share, pending revocation and upcall contexts', () => {
    const { cur } = spinning();
    const text = draw(h(EnvsPane, { view: selectEnvs(cur, 'hog', 80, 14), width: 80, height: 14 })).join('\n');
    expect(text).toMatch(/ 1 hog {6}runnable! +\d+ +\d+ {4}1 +\d+\.\d%/);
    expect(text).toMatch(/revocation pending: 8 frames asked, 0 given back,\n {2}deadline cycle [\d,]+ \(in [\d,]+\)/);
    expect(text).toMatch(/scheduling: 1 slot, cpu \d+\.\d% \([\d,]+ cycles\), overruns 0, penalty 0 ticks/);
    expect(text).toMatch(/revocation context: revoke [0-9a-f]{8}, repossess [0-9a-f]{8}/);
  });

  it('Log: the newest events, and a word when the filter matches none', () => {
    const view = selectEvents(page.cur, parseLogFilter(''), 0, 100, 8);
    const lines = draw(h(LogPane, { view, width: 100, height: 8 }));
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toContain(page.cur.events.at(-1)!.kind);
    const none = draw(h(LogPane, { view: selectEvents(page.cur, parseLogFilter('zzz'), 0, 100, 3), width: 100, height: 3 }));
    expect(none[0]).toBe('no event matches the filter (/ changes it)');
  });

  it('Console: the selected environment\'s output', () => {
    const lines = draw(h(ConsolePane, { view: selectConsole(walk.cur, 'a', 0, 80, 3), width: 80, height: 3 }));
    expect(lines[0]).toMatch(/^.·+$/);
    expect(draw(h(ConsolePane, { view: selectConsole(page.cur, 'b', 0, 80, 3), width: 80, height: 3 }))[0]).toBe('b has written nothing');
  });

  it('a framed pane has a border, its title and its info, at exactly its size', () => {
    const lines = draw(h(Frame, { title: '5 Log', info: 'last 10 of 20 events', focused: true, frame: 'box', width: 40, height: 5 }, h(Text, {}, 'x')));
    expect(lines).toEqual([
      '╔══════════════════════════════════════╗',
      '║5 Log  last 10 of 20 events           ║',
      '║x                                     ║',
      '║                                      ║',
      '╚══════════════════════════════════════╝',
    ]);
  });

  it('a pane framed by its title alone has the title line and its content, no border', () => {
    const lines = draw(h(Frame, { title: '5 Log', info: 'last 10 of 20 events', focused: false, frame: 'title', width: 40, height: 3 }, h(Text, {}, 'x')));
    expect(lines.map((l) => l.trimEnd())).toEqual([' 5 Log   last 10 of 20 events', 'x', '']);
  });
});

describe('chrome', () => {
  it('status line, tab bar and bottom line', () => {
    expect(draw(h(StatusLine, { view: selectStatus('demo', walk.cur, { reason: 'breakpoint', detail: 'pc 0x00400054 in b' }, false, 100) }))[0])
      .toMatch(/^demo │ ■ breakpoint: pc 0x00400054 in b +cycle [\d,]+ {2}insn [\d,]+ {2}b @ 00400054$/);
    expect(draw(h(TabBar, { tabs: selectTabs('log', new Set(['log', 'cpu']), 100), width: 100 }))[0])
      .toBe(' 1 CPU  2 TLB/STLB  3 Envs  4 Frames  5 Log  6 Console  7 Slices  8 DPF  9 Scenario  0 Memory');
    expect(draw(h(TabBar, { tabs: selectTabs('log', new Set(['log', 'cpu']), 80), width: 80 }))[0])
      .toBe(' 1 CPU  2 TLB  3 Envs  4 Frames  5 Log  6 Cons  7 Slices  8 DPF  9 Scen  0 Mem');
    expect(selectTabs('log', new Set(['log', 'cpu'])).slice(0, 5).map((t) => [t.focused, t.shown])).toEqual([[false, true], [false, false], [false, false], [false, false], [true, true]]);
    expect(draw(h(BottomLine, { view: selectBottom(initialUi(), 100) }))[0]).toMatch(/^\? help {2}q quit {2}s step {2}n over/);
  });

  it('help lists the command table and the command line', () => {
    const text = draw(h(TextOverlay, { title: 'Keys', lines: helpLines(98), scroll: 0, width: 100, height: 120 })).join('\n');
    expect(text).toMatch(/│ {2}s {14}step one instruction/);
    expect(text).toMatch(/│ {2}x <env> <addr\|symbol> \[n\] +examine n words/);
  });

  it('the break-on menu shows the cursor and what is set', () => {
    const items = selectMenuItems([[1, { kind: 'exception', code: 2 }]]);
    const text = draw(h(MenuOverlay, { rows: selectMenu(items, 1, 78, 10), width: 80, height: 13 })).join('\n');
    expect(text).toContain('Exceptions (Cause.ExcCode)');
    expect(text).toMatch(/\[x\] TLBL +TLB miss on a load or fetch/);
    expect(text).toMatch(/\[ \] TLBS/);
  });

  it('a too small terminal gets a message, not a layout', () => {
    expect(draw(h(TooSmall, { cols: 60, rows: 20 })).join('\n')).toContain('This one is 60x20; make it at least 80x24.');
  });

  it('NO_COLOR turns every color off', () => {
    expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({})).toBe(true);
    const plain = makeTheme(false);
    expect(Object.values(plain.text).every((s) => s.color === undefined)).toBe(true);
    expect(plain.border(true)).toBeUndefined();
    expect(Object.values(makeTheme(true).text).some((s) => s.color !== undefined)).toBe(true);
  });
});
