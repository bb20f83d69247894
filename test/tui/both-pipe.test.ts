// The TUI on scenarios/both-pipe.yaml (an exokernel machine and a machine
// running the monolithic kernel in one session), in Ink's test renderer
// (100 columns, 24 rows): `m` switches the machine every pane shows, and
// each pane shows that machine's truth; the exokernel-only panes say so on
// the monolithic kernel's machine; time travel moves both machines.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, openScenarioDebugger } from '../../src/session/index.js';
import { drive } from './fixtures/driven.js';

const ROOT = join(import.meta.dirname, '..', '..');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function start() {
  const { driver } = openScenarioDebugger(loadScenario(join(ROOT, 'scenarios/both-pipe.yaml')), { now: () => performance.now() });
  const d = await drive(driver, 'both-pipe');
  cleanup = d.dispose;
  return d;
}

describe('the TUI on both kernels at once (both-pipe)', () => {
  it('m switches every pane between the exokernel machine and the monolithic kernel\'s, each showing its own output', async () => {
    const { keys, settle, driver, shows, screen } = await start();
    await shows(/^both-pipe · machine exo \(m\)/m);
    await keys('\x1b', 'c');
    await settle();
    expect(driver.getState().status.reason).toBe('idle');
    // The exokernel machine: its environments, the ExOS client's output in its console.
    await keys('6', ']');
    await shows(/ 6 Console +client: 49 chars/);
    await shows('bench-pipe: 100 iterations, result 0xdd9ff79e ok');
    await keys('m');
    await shows(/^Panes show machine mono$/m);
    expect(driver.getState().snapshot.machine).toBe('mono');
    expect(driver.getState().snapshot.mono).toBeDefined();
    await shows(/ 6 Console +kernel console: 81 chars/);
    await shows('mono: init exited with status 0');
    await shows(/ 1 CPU  2 TLB  3 Processes  4 Frames/);
    await keys('3');
    await shows(/system calls: write 201, read 201/);
    await keys('4');
    await shows('Frame ownership is exokernel-only');
    await keys('5');
    await shows(/739,812 +halt +halt/);
    await keys('m');
    await shows(/^Panes show machine exo$/m);
    expect(driver.getState().snapshot.mono).toBeUndefined();
    await keys('3');
    await shows(/client/);
    expect(screen()).not.toContain('Frame ownership is exokernel-only');
  });

  it('going back in time moves the monolithic kernel\'s machine too: its processes and console are as they were then', async () => {
    const { keys, settle, driver, shows } = await start();
    await keys('\x1b', 'c');
    await settle();
    await keys('m', ':', ...'goto 500000'.split(''), '\r');
    await settle();
    const s = driver.getState().snapshot;
    expect(s.machine).toBe('mono');
    expect(s.mono!.halted).toBe(false);
    expect(s.mono!.console).toBe('');
    expect(s.mono!.processes.map((p) => p.pid)).toEqual([1, 2]);
    await keys('6');
    await shows(/ 6 Console +kernel console: 0 chars/);
    // And forward again to the end: the same output.
    await keys('c');
    await settle();
    await shows('mono: init exited with status 0');
  });
});
