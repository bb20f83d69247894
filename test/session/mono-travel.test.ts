// Time travel's searches on the monolithic kernel, the same generators as
// the exokernel's (travel.ts over a Rewindable): reverse watch of a kernel
// variable, going to an event of the history and back to the previous
// event of a kind; each lands where a fresh run stopped at that point is.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/index.js';
import { MonoDebugger, MonoSession, monoSnapshotContext, takeMonoSnapshot } from '../../src/session/index.js';
import { parseCommand } from '../../src/tui/commandline.js';
import { waitFor } from '../tui/fixtures/wait.js';

const ROOT = join(import.meta.dirname, '..', '..');
const kernel = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');
const boot = (every = 0) => new MonoSession({ image: kernel, args: ['bench-pipe', '20'], checkpointEvery: every });
const curproc = kernel.symbols.find((x) => x.name === 'curproc')!.value >>> 0;

/** Everything a snapshot shows but the stop that led there. */
function seen(s: MonoSession): unknown {
  const { stop: _, ...rest } = takeMonoSnapshot(s, monoSnapshotContext(s), [], { events: 100_000 });
  return rest;
}

/** A debugger over a session with checkpoints, run to `cycles`; `go` executes a command line and waits for it to end. */
function travelling(cycles: number) {
  const s = boot(200_000);
  const d = new MonoDebugger(s, { now: () => performance.now(), args: [] });
  s.run(cycles);
  const go = async (line: string) => {
    const c = parseCommand(line);
    if ('error' in c) throw new Error(c.error);
    const said = d.execute(c as never);
    await waitFor(() => !d.running, `${line} to end`, () => JSON.stringify(d.getState().status));
    return said?.error ? said.text : d.getState().status.detail;
  };
  return { s, d, go };
}

describe('time travel on the monolithic kernel', () => {
  it('rwatch <symbol> goes back to just after the last change of curproc, the state of a fresh run there', async () => {
    // Where curproc changed, from a plain run stopping before every store to it (a watchpoint) and stepping over it.
    const probe = boot();
    probe.addBreakpoint({ kind: 'watch', addr: curproc, len: 4, read: false, write: true });
    const changes: number[] = [];
    while (probe.run(1_500_000 - probe.cycle).reason === 'breakpoint') {
      const before = probe.readWord(curproc);
      probe.step(1);
      if (probe.readWord(curproc) !== before && probe.cycle <= 1_500_000) changes.push(probe.cycle);
    }
    expect(changes.length).toBeGreaterThan(2);
    const { s, d, go } = travelling(1_500_000);
    expect(await go('rwatch curproc')).toMatch(/^reverse-watch 0x[0-9a-f]{8}: 0x[0-9a-f]{8} became 0x[0-9a-f]{8} \(cycle/);
    expect(s.cycle).toBe(changes.at(-1));
    const fresh = boot();
    fresh.travelNow({ cycle: changes.at(-1)! }, 'there');
    expect(seen(s)).toEqual(seen(fresh));
    await go('rwatch curproc');
    expect(s.cycle).toBe(changes.at(-2));
    expect(await go('rwatch 0x10')).toBe('Cannot watch in reverse: 0x10 is not mapped');
    d.dispose();
  });

  it(':event <n> goes to just after event n; :rprev <kind> back to the last event of that kind', async () => {
    const { s, d, go } = travelling(1_500_000);
    const all = s.history.slice(0);
    expect(all.length).toBeGreaterThan(10);
    const n = 7;
    expect(await go(`event ${n}`)).toMatch(new RegExp(`^at event ${n} \\(${all[n - 1].kind}\\)`));
    expect(s.history.length).toBe(n);
    expect(s.history.slice(0)).toEqual(all.slice(0, n));
    s.run(1_500_000 - s.cycle);
    const lastSyscall = all.map((e) => e.kind).lastIndexOf('syscall');
    expect(await go('rprev syscall')).toMatch(new RegExp(`^previous syscall: event ${lastSyscall + 1} at cycle ${all[lastSyscall].cycle}`));
    expect(s.history.length).toBe(lastSyscall + 1);
    expect(await go('event 999999')).toMatch(/^No event 999999: the history holds/);
    d.dispose();
  });
});
