// The memory pane: its hex dump lines (pure), its keys and command line,
// the window the debuggers read into the snapshot through the selected
// environment's own bindings, and the pane drawn at 80x24, 120x40 and
// 160x50.

import { describe, expect, it } from 'vitest';
import { readMemoryWindow, type MemorySource } from '../../src/session/memory-window.js';
import { join } from 'node:path';
import { LiveDebugger, loadScenario, openScenarioDebugger, Session, takeSnapshot, type MemoryWindow } from '../../src/session/index.js';
import { parseCommand } from '../../src/tui/commandline.js';
import { handleKey } from '../../src/tui/input.js';
import { memoryLines, memoryShape, selectMemory } from '../../src/tui/selectors/memory.js';
import { selectMenuItems } from '../../src/tui/selectors/chrome.js';
import { initialUi, type KeyContext } from '../../src/tui/ui-state.js';
import { exosImage } from '../exokernel/helpers.js';

const win = (addr: number, words: (number | undefined)[], perLine = 4, space = 'a'): MemoryWindow => ({ space, base: addr, addr, perLine, words });

describe('memory dump lines', () => {
  it('are an address, the words and their characters in memory order', () => {
    // "hell" is 0x6c6c6568 little-endian.
    expect(memoryLines(win(0x1000, [0x6c6c6568, 0, 0x0a216f, 1]), undefined)).toEqual([{
      addr: '00001000', unmapped: false, chars: 'hell....o!......',
      words: [{ text: '6c6c6568', changed: false }, { text: '00000000', changed: false }, { text: '000a216f', changed: false }, { text: '00000001', changed: false }],
    }]);
  });

  it('mark the words that differ from the last frame\'s at the same address, in the same address space only', () => {
    const prev = win(0xffc, [9, 1, 2, 3, 4]);
    const cur = win(0x1000, [1, 7, 3, 4]);
    expect(memoryLines(cur, prev)[0].words.map((w) => w.changed)).toEqual([false, true, false, false]);
    expect(memoryLines(cur, { ...prev, space: 'b' })[0].words.map((w) => w.changed)).toEqual([false, false, false, false]);
  });

  it('say unmapped for a line the address space cannot read, and dash a word it cannot in a line it partly can', () => {
    const lines = memoryLines(win(0x2000, [undefined, undefined, undefined, 5, undefined, undefined], 3), undefined);
    expect(lines.map((l) => l.unmapped)).toEqual([true, false]);
    expect(lines[1].words.map((w) => w.text)).toEqual(['00000005', '--------', '--------']);
  });

  it('fit four words a line where the characters fit beside them, fewer in a narrow pane', () => {
    expect(memoryShape(78, 10)).toEqual({ perLine: 4, lines: 10 });
    expect(memoryShape(59, 11).perLine).toBe(3);
    expect(memoryShape(20, 5).perLine).toBe(1);
  });
});

describe('readMemoryWindow', () => {
  const src = (over: Partial<MemorySource> = {}): MemorySource => ({ space: 'a', read: (va) => (va < 0x3000 ? va : undefined), symbol: (n) => (n === 'buf' ? 0x1234 : undefined), sp: 0x2ff8, ...over });

  it('starts at the sp on a 16-byte line, or at an address or symbol plus offset, moved by whole lines', () => {
    expect(readMemoryWindow({ scroll: 0, perLine: 4, lines: 2 }, src())).toMatchObject({ base: 0x2ff0, addr: 0x2ff0, words: [0x2ff0, 0x2ff4, 0x2ff8, 0x2ffc, undefined, undefined, undefined, undefined] });
    expect(readMemoryWindow({ at: { kind: 'symbol', name: 'buf', offset: 8 }, scroll: -1, perLine: 4, lines: 1 }, src())).toMatchObject({ base: 0x1230, addr: 0x1220 });
    expect(readMemoryWindow({ at: { kind: 'addr', addr: 0xfffffff0 }, scroll: 5, perLine: 4, lines: 2 }, src()).addr).toBe(0xffffffe0);
    expect(readMemoryWindow({ at: { kind: 'addr', addr: 0 }, scroll: -5, perLine: 4, lines: 2 }, src()).addr).toBe(0);
  });

  it('says so for an unknown symbol or environment, and reads nothing', () => {
    expect(readMemoryWindow({ at: { kind: 'symbol', name: 'nope', offset: 0 }, scroll: 0, perLine: 4, lines: 2 }, src())).toMatchObject({ words: [], error: 'No symbol nope in a' });
    expect(readMemoryWindow({ scroll: 0, perLine: 4, lines: 2 }, src({ error: 'No environment zz' })).error).toBe('No environment zz');
  });
});

describe('the memory pane\'s keys and commands', () => {
  const ctx: KeyContext = { running: false, envs: ['a'], alive: ['a'], defaultEnv: 'a', menu: selectMenuItems([]), scrollMax: {}, pageSize: { memory: 10 }, overlayMax: 0, overlayPage: 10 };
  const keys = (ks: string[], ui = initialUi()) => ks.reduce((u, k) => handleKey(u, k, ctx).ui, ui);

  it(':mem parses an address, a symbol with an offset, or nothing (back to the sp)', () => {
    expect(parseCommand('mem 0x400000')).toEqual({ kind: 'mem', at: { kind: 'addr', addr: 0x400000 } });
    expect(parseCommand('mem buf+0x10')).toEqual({ kind: 'mem', at: { kind: 'symbol', name: 'buf', offset: 16 } });
    expect(parseCommand('mem')).toEqual({ kind: 'mem', at: undefined });
    expect(parseCommand('mem 1 2')).toEqual({ error: 'Usage: mem [addr|symbol[+off]]' });
    expect(parseCommand('finish')).toEqual({ kind: 'finish' });
    expect(parseCommand('until main+8')).toEqual({ kind: 'until', at: { kind: 'symbol', name: 'main', offset: 8 } });
    expect(parseCommand('until')).toEqual({ error: 'Usage: until <addr|symbol[+off]>' });
  });

  it(':mem focuses the pane at the address; j, k, PgDn and PgUp scroll by lines and pages; g goes back', () => {
    const at = keys([':', 'm', 'e', 'm', 'space', 'b', 'u', 'f', 'enter']);
    expect([at.focus, at.memAt]).toEqual(['memory', { kind: 'symbol', name: 'buf', offset: 0 }]);
    expect(keys(['j', 'j', 'k'], at).scroll.memory).toBe(1);
    expect(keys(['pagedown'], at).scroll.memory).toBe(9);
    expect(keys(['pageup', 'k'], at).scroll.memory).toBe(-10);
    expect(keys(['j', 'g'], at).scroll.memory).toBe(0);
  });

  it('f finishes; u runs to the CPU pane\'s cursor (and puts the cursor back on the pc), or says how to get one', () => {
    expect(handleKey(initialUi(), 'f', ctx).effects).toEqual([{ kind: 'line', command: { kind: 'finish' } }]);
    const moved = { ...initialUi(), scroll: { ...initialUi().scroll, cpu: 3 } };
    const r = handleKey(moved, 'u', { ...ctx, cpuCursor: 0x400100 });
    expect(r.effects).toEqual([{ kind: 'line', command: { kind: 'until', at: { kind: 'addr', addr: 0x400100 } } }]);
    expect(r.ui.scroll.cpu).toBe(0);
    expect(handleKey(initialUi(), 'u', ctx).ui.message).toMatchObject({ error: true, text: expect.stringMatching(/^u runs to the instruction under the CPU pane's cursor/) });
  });
});

describe('the memory window of a LiveDebugger', () => {
  const session = () => new Session({ ramSize: 8 << 20, envs: [{ name: 'hello', image: exosImage('hello') }, { name: 'other', image: exosImage('hello') }] });

  it('is in the snapshots only while asked for, read through the environment\'s own bindings, its changes marked', () => {
    const s = session();
    const d = new LiveDebugger(s, { now: () => performance.now() });
    d.step(1);
    expect(d.getState().snapshot.memory).toBeUndefined();
    d.showMemory({ env: 'hello', at: { kind: 'symbol', name: 'main', offset: 0 }, scroll: 0, perLine: 4, lines: 4 });
    const m = d.getState().snapshot.memory!;
    const main = s.symbolAddress('main', 'hello')!;
    expect(m).toMatchObject({ space: 'hello', base: main & ~15, addr: main & ~15 });
    expect(m.words).toEqual(Array.from({ length: 16 }, (_, i) => s.readWord((main & ~15) + 4 * i, 'hello')));
    expect(m.words.every((w) => w !== undefined)).toBe(true);
    // Kernel memory and an unmapped page read as unmapped: never what the frames hold.
    d.showMemory({ env: 'hello', at: { kind: 'addr', addr: 0x80001000 }, scroll: 0, perLine: 4, lines: 2 });
    expect(d.getState().snapshot.memory!.words).toEqual(Array(8).fill(undefined));
    d.showMemory(undefined);
    expect(d.getState().snapshot.memory).toBeUndefined();
    d.dispose();
  });

  it('marks the stack words a few steps changed', () => {
    const s = session();
    const d = new LiveDebugger(s, { now: () => performance.now() });
    d.execute({ kind: 'until', at: { kind: 'symbol', name: 'main', offset: 0 } });
    return new Promise<void>((resolve) => {
      const off = d.subscribe(() => {
        if (d.getState().running) return;
        off();
        const sp = s.kernel.cpu.regs[29] >>> 0;
        d.showMemory({ env: 'hello', at: { kind: 'addr', addr: sp - 64 }, scroll: 0, perLine: 4, lines: 5 });
        d.step(12); // main's prologue stores ra and saved registers into its new frame
        const st = d.getState();
        const lines = selectMemory(st.snapshot, st.previous).lines;
        expect(lines.some((l) => l.words.some((w) => w.changed))).toBe(true);
        d.dispose();
        resolve();
      });
    });
  });

  it('reads the machine the panes show: another exokernel machine\'s environment, or the process on a monolithic kernel\'s CPU; :x, :revoke and :kill any machine\'s environment', () => {
    const ROOT = join(import.meta.dirname, '..', '..');
    const two = openScenarioDebugger(loadScenario(join(ROOT, 'scenarios/udp-two.yaml')), { now: () => performance.now() }).driver;
    two.step(500);
    expect(two.execute({ kind: 'machine', name: 'server' })).toEqual({ text: 'Panes show machine server' });
    two.showMemory({ env: 'echo', at: { kind: 'symbol', name: '_start', offset: 0 }, scroll: 0, perLine: 4, lines: 2 });
    const m = two.getState().snapshot.memory!;
    expect(m.error).toBeUndefined();
    expect(m.space).toBe('echo');
    expect(m.words.slice(0, 2)).toEqual([0x3c080040, 0x25085000]); // _start: lui t0,0x40; addiu t0,t0,20480
    // :x finds the environment on whichever machine has it; so do :revoke and :kill.
    expect(two.execute({ kind: 'examine', env: 'echo', at: { kind: 'symbol', name: '_start', offset: 0 }, n: 2 })!.popup!.lines[0]).toMatch(/^00400000 {2}3c080040 25085000/);
    expect(two.execute({ kind: 'revoke', env: 'echo', what: 'frames', count: 1, window: 20_000 })).toEqual({ text: expect.stringMatching(/^Asked echo for 1 frames back by cycle /) });
    expect(two.execute({ kind: 'kill', env: 'echo' })).toEqual({ text: 'Killed echo' });
    two.dispose();
    const both = openScenarioDebugger(loadScenario(join(ROOT, 'scenarios/both-pipe.yaml')), { now: () => performance.now() }).driver;
    both.step(20_000);
    both.execute({ kind: 'machine', name: 'mono' });
    both.showMemory({ env: 'client', scroll: 0, perLine: 4, lines: 2 });
    const mono = both.getState().snapshot.memory!;
    expect(mono.error).toBeUndefined();
    expect(mono.space).toMatch(/^(pid \d+ \S+|kernel)$/);
    expect(mono.words.some((w) => w !== undefined)).toBe(true);
    both.dispose();
  });

  it('says which environment it cannot find', () => {
    const s = session();
    expect(readMemoryWindow({ env: 'zz', scroll: 0, perLine: 4, lines: 1 }, s.memorySource('zz')).error).toBe('No environment zz');
    expect(takeSnapshot(s).memory).toBeUndefined();
  });
});
