// The memory pane, the CPU pane's cursor and finish in the whole TUI
// (Ink's test renderer, resized to 80x24, 120x40 and 160x50), over a
// real ExOS program: where the pane goes at each size, its dump read
// through the environment's bindings, and the keys a person types.

import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/session/index.js';
import { exosImage } from '../exokernel/helpers.js';
import { drive } from './fixtures/driven.js';
import { liveDebugger } from './fixtures/programs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const hello = () => new Session({ ramSize: 8 << 20, envs: [{ name: 'hello', image: exosImage('hello') }] });

/** The App over hello at `cols` x `rows` (the test renderer resized, as a terminal would be). */
async function at(cols: number, rows: number) {
  const d = await drive(liveDebugger(hello()), 'mem');
  cleanup = d.dispose;
  Object.defineProperty(d.r.stdout, 'columns', { value: cols, configurable: true });
  Object.defineProperty(d.r.stdout, 'rows', { value: rows, configurable: true });
  d.r.stdout.emit('resize');
  await d.waitUntil(() => d.screen().split('\n').length === rows - 1 && d.screen().split('\n')[0].length === cols, `the App drawn at ${cols}x${rows}`);
  return d;
}

/** Types a command line. */
const line = async (d: Awaited<ReturnType<typeof at>>, text: string) => d.keys(':', ...text.split('').map((c) => c), '\r');

const DUMP4 = /00400060 {2}27bdffd0 3c020040 afb20024 afb10020 {2}\.\.\.'@\.\.<\$\.\.\. \.\.\./;
const DUMP3 = /00400060 {2}27bdffd0 3c020040 afb20024 {2}\.\.\.'@\.\.<\$\.\.\./;

describe('the memory pane in the TUI', () => {
  it('at 80x24 is pane 0 on the tab bar, and :mem shows it across the top, four words a line', async () => {
    const d = await at(80, 24);
    expect(d.screen().split('\n')[1]).toContain('0 Mem');
    await line(d, 'mem main');
    await d.shows(/^ 0 Memory +hello 00400060-/m);
    await d.shows(DUMP4);
    const lines = d.screen().split('\n');
    expect(lines).toHaveLength(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.findIndex((l) => l.startsWith(' 0 Memory'))).toBe(2);
  });

  it('at 120x40 takes the TLB\'s place under the CPU, three words a line, and scrolls with j', async () => {
    const d = await at(120, 40);
    await line(d, 'mem main');
    await d.shows(DUMP3);
    const text = d.screen();
    expect(text).toMatch(/^ 1 CPU /m);
    expect(text).not.toMatch(/^ 2 TLB\/STLB /m);
    expect(text).toMatch(/^ 0 Memory +hello 00400060-004000e3 +3 Envs/m);
    await d.key('j');
    await d.shows(/0 Memory +hello 0040006c-004000ef \(\+c from 00400060, g:/);
    await d.shows(/^0040006c {2}afb10020 00809025 00a08825/m);
    expect(d.screen().split('\n')).toHaveLength(39);
  });

  it('at 160x50 sits beside the CPU in the wide layout, framed, with no tab bar', async () => {
    const d = await at(160, 50);
    expect(d.screen()).not.toContain('0 Memory');
    await d.key('0');
    // Before :mem, the window starts at the environment's sp (its saved one: it has not run yet).
    await d.shows(/║0 Memory +hello 7fe00000-7fe000b3 +║/);
    await line(d, 'mem main');
    await d.shows(/║00400060 {2}27bdffd0 3c020040 afb20024/);
    const lines = d.screen().split('\n');
    expect(lines).toHaveLength(49);
    expect(lines[1]).toMatch(/^╭/);
    const top = lines.find((l) => l.includes('0 Memory'))!;
    expect(top).toMatch(/1 CPU.*0 Memory/);
    expect(lines.every((l) => l.length <= 160)).toBe(true);
  });

  it('says unmapped for a page the environment has no mapping of, and names an unknown symbol', async () => {
    const d = await at(120, 40);
    await line(d, 'mem 0x1000');
    await d.shows(/^00001000 {2}unmapped/m);
    await line(d, 'mem nosuch');
    await d.shows('No symbol nosuch in hello');
  });
});

describe('finish and the CPU cursor in the TUI', () => {
  it('f says why it cannot finish at boot; :until runs to a symbol; j moves a cursor and u runs to it', async () => {
    const d = await at(120, 40);
    await d.key('f');
    await d.shows('Cannot finish: no environment is on the CPU');
    await line(d, 'until printf');
    await d.settle();
    expect(d.status()).toMatch(/■ step: reached 0040216c · /);
    await d.keys('1', 'j', 'j', 'j');
    await d.shows(/cursor \+3 from pc \(u runs to it, g: back\)/);
    await d.shows(/ » 00402178 {2}move/);
    await d.key('u');
    await d.settle();
    expect(d.status()).toMatch(/■ step: reached 00402178 in hello/);
    await d.shows(/ > 00402178 {2}move/);
    await d.key('f');
    await d.settle();
    expect(d.status()).toMatch(/■ step: finished printf: back in its caller at 00400094/);
  });
});
