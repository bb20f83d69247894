// The monolithic kernel under the debugger (src/session/mono-*.ts): its
// events read from its own memory at its kernel entries, the replay of
// scenarios/mono-pipe.yaml event for event, breakpoints, and time travel
// equal to a fresh run to the same point.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';
import { decodeInstruction, parseElf } from '../../src/emu/index.js';
import {
  formatText, loadScenario, MONO_EVENTS, MonoDebugger, MonoSession, monoSnapshotContext, openMonoDebugger, openScenarioDebugger, parseScenario, readSaved, replay, ScenarioError, takeMonoSnapshot, type LogLine,
} from '../../src/session/index.js';
import { waitFor } from '../tui/fixtures/wait.js';

const ROOT = join(import.meta.dirname, '..', '..');
const kernel = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');
const boot = (args: string[], every = 200_000) => new MonoSession({ image: kernel, args, checkpointEvery: every });
/** Every event the session has kept since boot, oldest first. */
const events = (s: MonoSession) => s.history.slice(0);

/** Everything a snapshot shows but the stop that led there. */
function seen(s: MonoSession): unknown {
  const { stop: _, ...rest } = takeMonoSnapshot(s, monoSnapshotContext(s), [], { events: 100_000 });
  return rest;
}

describe('MonoSession', () => {
  it('records the pipe benchmark\'s system calls, traps, switches, exits and console lines from the kernel\'s own memory', () => {
    const s = boot(['bench-pipe', '20'], 0);
    let st;
    do st = s.run(5_000_000); while (st.reason === 'budget');
    expect(st.reason).toBe('end');
    const calls: Record<string, number> = {};
    for (const e of events(s)) if (e.kind === 'syscall') calls[e.call] = (calls[e.call] ?? 0) + 1;
    // 20 round trips: a write and a read on each side per trip, plus the result line's write.
    expect(calls).toEqual({ getpid: 1, pipe: 2, shmget: 1, shmat: 1, fork: 1, close: 5, read: 41, write: 41, null: 2, wait: 1, exit: 2 });
    expect(events(s).filter((e) => e.kind === 'exit').map((e) => [e.pid, e.status])).toEqual([[2, 0], [1, 0]]);
    expect(events(s).filter((e) => e.kind === 'console').map((e) => e.kind === 'console' && e.text))
      .toEqual(['bench-pipe: 20 iterations, result 0x6796422b ok', 'mono: init exited with status 0']);
    expect(events(s).at(-1)).toMatchObject({ kind: 'halt' });
    // The kernel's own count agrees with the observations.
    const snap = takeMonoSnapshot(s, monoSnapshotContext(s), ['bench-pipe', '20']);
    expect(snap.mono!.counters.syscalls).toEqual(calls);
    expect(events(s).filter((e) => e.kind === 'switch').length).toBe(snap.mono!.counters.contextSwitches);
  });

  it('after the PROM halt the code around the pc is the boot ROM\'s: its words (jr ra; nop at each entry point) under the entries\' names, not "(unmapped)"', () => {
    const s = boot(['bench-pipe', '2'], 0);
    let st;
    do st = s.run(5_000_000); while (st.reason === 'budget');
    const code = takeMonoSnapshot(s, monoSnapshotContext(s), []).code;
    const at = code.find((l) => l.current)!;
    // The PROM's halt: the REX callback vector's slot 0x9c, whose code GXemul and exoscope place at 0xbfc08000 + 8 * (0x9c / 4).
    expect(at).toMatchObject({ addr: 0xbfc08138, word: 0x03e00008, text: 'jr\tra', label: 'PROM halt (run by the emulator)' });
    expect(code.find((l) => l.addr === 0xbfc0813c)).toMatchObject({ word: 0, text: 'nop', label: undefined });
    expect(code.filter((l) => l.text === '(unmapped)')).toEqual([]);
    // Past the ROM's end there is nothing: the words there stay unmapped.
    expect(s.readWord(0xbfc7fffc)).toBeTypeOf('number');
    expect(s.readWord(0xbfc80000)).toBeUndefined();
  });

  it('reads the process table: after the fork, two bench-pipe processes, the parent of pid 2 is pid 1', () => {
    const s = boot(['bench-pipe', '20'], 0);
    s.run(450_000);
    const m = takeMonoSnapshot(s, monoSnapshotContext(s), []).mono!;
    expect(m.processes.map((p) => [p.slot, p.pid, p.name, p.asid, p.parent])).toEqual([[0, 1, 'bench-pipe', 1, 0], [1, 2, 'bench-pipe', 2, 1]]);
    expect(m.processes.filter((p) => p.current).map((p) => p.pid)).toEqual([m.current.pid]);
  });

  it('stops at a pc breakpoint on a kernel symbol, an exception breakpoint at trap(), and an event breakpoint after the event', () => {
    const s = boot(['bench-pipe', '5'], 0);
    const pc = s.resolveBreakpoint({ kind: 'symbol', symbol: 'sys_write' });
    expect(pc).toEqual({ kind: 'pc', addr: kernel.symbols.find((x) => x.name === 'sys_write')!.value >>> 0 });
    const id = s.addBreakpoint(pc as { kind: 'pc'; addr: number });
    const a = s.run(10_000_000);
    expect(a).toMatchObject({ reason: 'breakpoint', hit: { id } });
    expect(s.machine.cpu.pc >>> 0).toBe((pc as { addr: number }).addr);
    const b = s.run(10_000_000);
    expect(b.reason).toBe('breakpoint');
    expect(b.instret).toBeGreaterThan(a.instret);
    s.removeBreakpoint(id);
    s.addBreakpoint({ kind: 'exception', code: 0 });
    expect(s.run(10_000_000).reason).toBe('breakpoint');
    expect(events(s).at(-1)).toMatchObject({ kind: 'trap', exc: 'Int' });
    const s2 = boot(['bench-pipe', '5'], 0);
    s2.addBreakpoint({ kind: 'event', event: 'exit' });
    expect(s2.run(10_000_000).reason).toBe('breakpoint');
    expect(events(s2).at(-1)).toMatchObject({ kind: 'exit', pid: 2, status: 0 });
    expect(s2.resolveBreakpoint({ kind: 'event', event: 'stlb-miss' })).toMatch(/has no stlb-miss events/);
    expect(s2.resolveBreakpoint({ kind: 'symbol', symbol: 'no_such' })).toMatch(/No symbol no_such in the kernel/);
  });

  it('stepping back equals a fresh run to the same instruction, at points across the run (checkpoints and replay)', () => {
    const s = boot(['bench-pipe', '20']);
    let st;
    do st = s.run(5_000_000); while (st.reason === 'budget');
    const end = s.instret;
    for (const frac of [0.93, 0.71, 0.52, 0.2, 0.01]) {
      const at = Math.floor(end * frac);
      const r = s.stepBack(s.instret - at);
      expect(typeof r === 'string' ? r : r.instret).toBe(at);
      const fresh = boot(['bench-pipe', '20'], 0);
      fresh.step(at);
      expect(seen(s), `at instruction ${at}`).toEqual(seen(fresh));
    }
    // And forward again to the end (the PROM's halt takes no instruction: one more run reaches it).
    const again = s.travelNow({ instret: end }, 'to the end');
    expect(typeof again === 'string' ? again : again.instret).toBe(end);
    expect(s.run(1000).reason).toBe('end');
    const first = boot(['bench-pipe', '20'], 0);
    while (first.run(5_000_000).reason === 'budget');
    expect(events(s)).toEqual(events(first));
  });

  it('a step, then a step back, returns to the very same state', () => {
    const s = boot(['bench-pipe', '5']);
    s.run(400_000);
    const before = seen(s);
    s.step(12_345);
    expect(seen(s)).not.toEqual(before);
    s.stepBack(12_345);
    expect(seen(s)).toEqual(before);
  });
});

describe('MonoDebugger', () => {
  it('steps over a call to the instruction after its delay slot and leaves no breakpoint behind', async () => {
    const s = boot(['bench-pipe', '5'], 0);
    const d = new MonoDebugger(s, { now: () => performance.now(), args: [] });
    const isCall = () => decodeInstruction(s.readWord(s.machine.cpu.pc >>> 0) ?? 0)?.links === true;
    // Into main(), whose first calls (vec_install, tlb_init, ...) return; _start's call of main does not.
    const main = s.addBreakpoint(s.resolveBreakpoint({ kind: 'symbol', symbol: 'main' }) as { kind: 'pc'; addr: number });
    expect(s.run(10_000_000).reason).toBe('breakpoint');
    s.removeBreakpoint(main);
    for (let i = 0; i < 1000 && !isCall(); i++) s.step(1);
    expect(isCall()).toBe(true);
    const at = s.machine.cpu.pc >>> 0, before = s.instret;
    d.execute({ kind: 'stepOver' });
    await waitFor(() => !d.running, 'the step over the call to end', () => JSON.stringify(d.getState().status));
    expect(d.getState().status).toEqual({ reason: 'step', detail: 'stepped over the call' });
    expect(s.machine.cpu.pc >>> 0).toBe((at + 8) >>> 0);
    expect(s.instret - before).toBeGreaterThan(2);
    expect(d.getState().breakpoints).toEqual([]);
    expect(d.execute({ kind: 'kill', env: 'a' })).toEqual({ text: 'killing an environment is exokernel-only: this scenario runs the monolithic kernel', error: true });
    d.dispose();
  });
});

describe('kernel: monolithic scenarios', () => {
  const file = join(ROOT, 'scenarios/mono-pipe.yaml');

  it('mono-pipe replays to its halt with every expectation holding, and its log starts with these exact events', () => {
    const lines: LogLine[] = [];
    const r = replay(loadScenario(file), { onLine: (l) => lines.push(l) });
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ ok: true, end: 'halt', cycles: 739_812, instructions: 739_417 });
    expect(lines).toHaveLength(636);
    expect(lines.slice(0, 10).map((l) => formatText(l, new Map()))).toEqual([
      '      321845  pid 1      switch             name="bench-pipe"',
      '      321966  pid 1      trap               exc="Int" epc=0x00400000 badvaddr=0x00000000 user=true',
      '      322403  pid 1      switch             name="bench-pipe"',
      '      322673  pid 1      syscall            call="getpid" a0=2 a1=2147479520 a2=2147479440',
      '      322999  pid 1      syscall            call="pipe" a0=2147479392 a1=0 a2=10',
      '      323486  pid 1      syscall            call="pipe" a0=2147479384 a1=0 a2=10',
      '      324033  pid 1      syscall            call="shmget" a0=0 a1=4096 a2=10',
      '      327396  pid 1      syscall            call="shmat" a0=0 a1=0 a2=10',
      '      330879  pid 1      syscall            call="fork" a0=0 a1=0 a2=10',
      '      442736  pid 1      trap               exc="Int" epc=0x00400048 badvaddr=0x00000000 user=true',
    ]);
    expect(lines.at(-1)).toEqual({ kind: 'mono', event: { kind: 'halt', cycle: 739_812, reason: 'halt' } });
  });

  it('an expectation that does not hold fails with its line and why', () => {
    const text = readFileSync(file, 'utf8').replace('console: { contains: "result 0xdd9ff79e ok" }', 'console: { contains: "result 0x00000000" }')
      .replace('count: 2', 'count: 3');
    const r = replay(parseScenario(text, file));
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      expect.stringMatching(/mono-pipe\.yaml:\d+ failed: expected exactly 3 syscall \(call = "null"\) event\(s\), saw 2$/),
      expect.stringMatching(/mono-pipe\.yaml:\d+ failed: the console does not contain "result 0x00000000"/),
    ]);
  });

  const problems = (body: string) => {
    try { parseScenario(`name: m\nkernel: monolithic\n${body}`, 'scenarios/m.yaml'); } catch (e) { return (e as ScenarioError).message; }
    return '';
  };

  it('the schema names the line and field of each mistake', () => {
    expect(problems('program: bench-pipe\nenvironments: []\n')).toBe('scenarios/m.yaml:4:1: environments: "environments" is exokernel-only: a scenario with kernel: monolithic names its first process with program and args');
    expect(problems('program: bench-pipe\nexpect:\n  - event: { kind: syscall, call: pipes }\n')).toMatch(/^scenarios\/m\.yaml:5:35: expect\[0\]\.event\.call: expected a system call of the monolithic kernel \(exit, fork, .*\), got "pipes" \(did you mean "pipe"\?\)$/);
    expect(problems('program: bench-pipe\nexpect:\n  - event: { kind: syscall, call: null }\n')).toMatch(/got an empty value \(write "null" in quotes for the null system call\)$/);
    expect(problems('program: bench-pipe\nexpect:\n  - event: { kind: dispatch }\n')).toMatch(/^scenarios\/m\.yaml:5:\d+: expect\[0\]\.event\.kind: expected an event kind of the monolithic kernel \(trap, syscall, exit, switch, console, halt\), got "dispatch"$/);
    expect(problems('args: [1]\n')).toMatch(/^scenarios\/m\.yaml:1:1: program: missing; expected a program name/);
    expect(problems('program: bench-pipe\nrun: { until: idle }\n')).toMatch(/run\.until: expected halt or a cycle number, got "idle"/);
    try { parseScenario('name: m\nkernel: micro\nenvironments: [{ name: a, image: x }]\n', 'scenarios/m.yaml'); } catch (e) {
      expect((e as Error).message).toBe('scenarios/m.yaml:2:9: kernel: expected exokernel or monolithic, got "micro"');
    }
  });

  it('exoscope replay prints its JSON event log and exits 0; a gdb front end says it does not run it yet', async () => {
    let out = '', err = '';
    expect(replayCommand(file, { json: true, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } })).toBe(0);
    // The verdict line goes to stderr, the event log alone to stdout.
    expect(err).toBe('mono-pipe: 8 expectations: 8 hold\n');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(636);
    expect(JSON.parse(lines[4])).toEqual({ kind: 'syscall', cycle: 322999, pid: 1, call: 'pipe', a0: 2147479392, a1: 0, a2: 10 });
    expect(() => openScenarioDebugger(loadScenario(file), { now: () => 0 })).toThrow(/mono-pipe\.yaml:\d+:\d+: kernel: This front end \(tui --gdb\) does not run kernel: monolithic scenarios yet \(exoscope tui, replay and record do\)/);
  });

  it(':save writes the point and breakpoints, and tui --load reopens the monolithic kernel there, the same as it was', () => {
    const sc = loadScenario(file);
    const { driver } = openMonoDebugger(sc, { now: () => 0 });
    expect(driver.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'sys_fork' } })).toEqual({ text: expect.stringMatching(/^Breakpoint 1: pc 0x[0-9a-f]{8} <sys_fork>$/) });
    expect(driver.execute({ kind: 'break', breakpoint: { kind: 'event', event: 'exit' } })?.error).toBeUndefined();
    expect(driver.execute({ kind: 'goto', cycle: 500_000 })).toBeUndefined();
    const saved = join(mkdtempSync(join(tmpdir(), 'exo-mono-save-')), 'at.json');
    expect(driver.execute({ kind: 'save', file: saved })).toEqual({ text: `Saved at cycle 500,000 to ${saved} (exoscope tui --load ${saved} reopens it here)` });
    const before = driver.getState();
    const back = openMonoDebugger(sc, { now: () => 0 }, readSaved(saved)).driver;
    const after = back.getState();
    expect(after.snapshot.cycle).toBe(500_000);
    expect({ ...after.snapshot, stop: undefined }).toEqual({ ...before.snapshot, stop: undefined });
    expect(after.breakpoints).toEqual(before.breakpoints);
    expect(readSaved(saved)).toMatchObject({ cycle: 500_000, interventions: [], breakpoints: [{ kind: 'pc' }, { kind: 'event', event: 'exit' }] });
    driver.dispose();
    back.dispose();
  });

  it('docs/scenarios.md lists every kind of MONO_EVENTS with its fields', () => {
    const doc = readFileSync(join(ROOT, 'docs/scenarios.md'), 'utf8');
    for (const [k, spec] of Object.entries(MONO_EVENTS)) {
      expect(doc).toContain(`| \`${k}\` | ${Object.keys(spec.fields).map((f) => `\`${f}\``).join(', ')} | ${spec.what} |`);
    }
  });

  it('a program the kernel\'s file table lacks is an error at its line, listing the programs', () => {
    expect(() => replay(parseScenario('name: m\nkernel: monolithic\nprogram: bench-pip\n', join(ROOT, 'scenarios/m.yaml'))))
      .toThrow(/m\.yaml:3:10: program: the kernel mono has no program "bench-pip" \(its file table holds init, echo, .*bench-pipe/);
  });
});
