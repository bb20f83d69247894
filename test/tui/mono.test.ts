// The TUI on the monolithic kernel (scenarios/mono-pipe.yaml), in Ink's
// test renderer (100 columns, 24 rows), driven through the same Debugger
// interface as the exokernel's: CPU, TLB, processes, log and console come
// from the kernel's own memory; the exokernel-only panes say so.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, openMonoDebugger } from '../../src/session/index.js';
import { cellsOf, layoutFor } from '../../src/tui/layout.js';
import { drive } from './fixtures/driven.js';

const ROOT = join(import.meta.dirname, '..', '..');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function start() {
  const { driver } = openMonoDebugger(loadScenario(join(ROOT, 'scenarios/mono-pipe.yaml')), { now: () => performance.now() });
  const d = await drive(driver, 'mono-pipe');
  cleanup = d.dispose;
  return d;
}

describe('the TUI on the monolithic kernel', () => {
  it('shows the CPU at the kernel\'s entry with its symbols, its processes, and its titles on the tabs', async () => {
    const { screen, keys, until, shows } = await start();
    const lines = screen().split('\n');
    expect(lines).toHaveLength(23);
    expect(lines[0]).toMatch(/^mono-pipe │ ■ paused: booted · pace max +cycle 0 {2}insn 0 {2}kernel @ 80030000$/);
    expect(lines[1]).toBe(' 1 CPU  2 TLB  3 Processes  4 Frames  5 Log  6 Console  7 Slices  8 DPF  9 Scenario  0 Memory');
    expect(lines[2]).toBe(' 1 CPU   kernel (no process) on the CPU');
    await shows(/> 80030000 +lui +t0,0x8005/);
    await keys('3');
    await shows(' 3 Processes   0 of 16 slots in use (mono.elf bench-pipe 100)');
  });

  it('runs to the halt: the log has the kernel\'s system calls, exits and halt, the console its output, the processes pane its counts', async () => {
    const { screen, keys, settle, driver, until, shows } = await start();
    await keys('c');
    await settle();
    expect(driver.getState().status).toMatchObject({ reason: 'end', detail: 'halted: halt' });
    const text = screen();
    expect(text).toMatch(/^mono-pipe │ ■ end: halted: halt · pace max +cycle 739,812 {2}insn 739,417 {2}bench-pipe:1 @ bfc08138$/m);
    expect(text).toMatch(/5 Log +last 636 of 636 events/);
    expect(text).toMatch(/739,812 +halt +halt/);
    await keys('5', 'z');
    await shows(/702,336 pid 2 +exit +bench-pipe status 0/);
    await shows(/738,149 pid 1 +syscall +exit\(00000000, /);
    await keys('z', '3');
    await shows(/system calls: write 201, read 201, close 5, exit 2, pipe 2, null 2/);
    await keys('6');
    await shows(/ 6 Console +kernel console: 81 chars/);
    await shows('bench-pipe: 100 iterations, result 0xdd9ff79e ok');
    await shows('mono: init exited with status 0');
  });

  it('shows the hardware TLB with each entry\'s process, and says the STLB is exokernel-only', async () => {
    const { screen, keys, settle, until, shows } = await start();
    await keys(':');
    await keys(...'goto 673000'.split(''), '\r');
    await settle();
    await keys('2');
    const text = screen();
    expect(text).toMatch(/ 2 TLB +6 of 64 valid; the STLB is exokernel-only/);
    expect(text).toContain('The software TLB (STLB) is exokernel-only');
    expect(text).toMatch(/ \d+ +7fffe000 +2 bench-pipe:2 +[0-9a-f]+ +DV--/);
    expect(text).toMatch(/ \d+ +00400000 +1 bench-pipe:1 +[0-9a-f]+ +-V--/);
  });

  it('frames, slices and DPF say they are exokernel-only and what the kernel has instead', async () => {
    const { keys, until, shows } = await start();
    await keys('4');
    expect(await until(/ 4 Frames +exokernel-only/)).toContain('Frame ownership is exokernel-only');
    await keys('7');
    await shows('Time slices are exokernel-only');
    await keys('8');
    await shows('The packet filter (DPF) is exokernel-only');
  });

  it('steps, steps back to the same point, and stops at a breakpoint on a kernel symbol', async () => {
    const { screen, keys, settle, driver, until, shows } = await start();
    await keys('s', 's', 's');
    expect(driver.getState().snapshot.instret).toBe(3);
    const at3 = driver.getState().snapshot;
    await keys('s', 'S');
    await settle();
    await shows(/■ step: stepped back 1 \(cycle 3, instruction 3\)/);
    const back = driver.getState().snapshot;
    expect({ ...back, stop: undefined }).toEqual({ ...at3, stop: undefined });
    await keys('b', ...'sys_fork'.split(''), '\r');
    await shows(/Breakpoint 1: pc 0x[0-9a-f]{8} <sys_fork>/);
    await keys('c');
    await settle();
    await shows(/■ breakpoint: breakpoint 1/);
    await shows(/\*> [0-9a-f]{8} /);
    await shows(/330,879 pid 1 +syscall +fork/);
  });

  it('the break-on menu offers the kernel\'s own event kinds, and the log filter takes them', async () => {
    const { screen, keys, settle, driver, until, shows } = await start();
    await keys('e');
    await shows('The monolithic kernel\'s events (read from its memory)');
    expect(screen()).not.toContain('stlb-miss');
    await keys('\x1b', ':', ...'goto 700000'.split(''), '\r');
    await settle();
    await keys('/', ...'kind:trap'.split(''), '\r');
    expect(screen().split('\n').at(-1)).not.toMatch(/No event kind/);
    await shows(/ 5 Log +5 of 621 match kind:trap/);
    await shows(/683,757 pid 2 +trap +Int at 00400098/);
    await keys('/', ...'kind:stlb'.split(''), '\r');
    expect(screen().split('\n').at(-1)).toMatch(/No event kind starts with "stlb": the kinds are trap syscall exit switch console halt/);
    expect(driver.getState().snapshot.mono).toBeDefined();
  });

  it('a command only the exokernel has is refused, saying so', async () => {
    const { screen, keys, until, shows } = await start();
    await keys(':', ...'kill a'.split(''), '\r');
    expect(screen().split('\n').at(-1)).toMatch(/killing an environment is exokernel-only: this scenario runs the monolithic kernel/);
  });
});

describe('the layout on the monolithic kernel', () => {
  it('at 120x40 shows CPU, TLB, processes, log and console (the console in the time slices\' place)', () => {
    expect(cellsOf(layoutFor(120, 40, 'cpu', false, true)).map((c) => c.pane)).toEqual(['cpu', 'tlb', 'envs', 'log', 'console']);
    expect(cellsOf(layoutFor(120, 40, 'cpu', false, false)).map((c) => c.pane)).toEqual(['cpu', 'tlb', 'envs', 'log', 'slices']);
    expect(cellsOf(layoutFor(120, 40, 'console', false, true)).map((c) => c.pane)).toEqual(['cpu', 'tlb', 'envs', 'log', 'console']);
  });
});
