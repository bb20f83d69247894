// Both kernels in one session (scenarios/both-pipe.yaml): a machine of
// `machines:` that says kernel: monolithic runs beside an exokernel machine
// in lock-step, its events in the replay log under its name, expectations
// on either machine, its state in checkpoints.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drive, fresh as forward, historyLines, open, shown } from './travel-helpers.js';
import { formatJson, formatText, loadScenario, MonoStation, parseScenario, replay, ScenarioError, ScenarioRun, sessionFromScenario, type LogLine } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = join(ROOT, 'scenarios/both-pipe.yaml');
/** The pipe benchmark's exact output on the monolithic kernel (its test program's expected output). */
const MONO_OUT = readFileSync(join(ROOT, 'src/bench-common/bench-pipe.mono.expected'), 'utf8');

function tempScenario(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'exo-both-'));
  const f = join(dir, 'both.yaml');
  writeFileSync(f, text);
  return f;
}

const MACHINES = `name: both-small
machines:
  - name: exo
    environments:
      - { name: server, image: ${join(ROOT, 'src/exos/images/exos-bench-pipe.elf')}, args: [server, "2", "3000", "5a5a12345678abcd", "10"] }
      - { name: client, image: ${join(ROOT, 'src/exos/images/exos-bench-pipe.elf')}, args: [client, "1", "3000", "5a5a12345678abcd", "10"] }
  - name: mono
    kernel: monolithic
    image: ${join(ROOT, 'src/exos/images/mono.elf')}
    program: bench-pipe
    args: ["10"]
`;

describe('both kernels in one session (both-pipe)', () => {
  it('replays with every expectation on both machines holding, each client printing the pipe benchmark\'s exact output', () => {
    const lines: LogLine[] = [];
    const r = replay(loadScenario(FILE), { onLine: (l) => lines.push(l) });
    expect(r.failures).toEqual([]);
    expect(r.expectations.count).toBe(10);
    const mono = lines.filter((l) => l.kind === 'mono');
    const exo = lines.filter((l) => l.kind === 'event');
    expect(mono.every((l) => l.machine === 'mono')).toBe(true);
    expect(exo.every((l) => l.machine === 'exo')).toBe(true);
    // The monolithic kernel's console lines, from its events, are its whole output.
    expect(mono.flatMap((l) => (l.kind === 'mono' && l.event.kind === 'console' ? [`${l.event.text}\n`] : [])).join('')).toBe(MONO_OUT);
    const exoOut = exo.flatMap((l) => (l.kind === 'event' && l.event.kind === 'console' ? [l.event.text] : [])).join('');
    expect(exoOut).toBe(MONO_OUT.split('\n')[0] + '\n');
    const halt = mono.at(-1)!;
    expect(halt.kind === 'mono' && halt.event).toMatchObject({ kind: 'halt', cycle: 739_812 });
    expect(formatJson(halt)).toBe('{"machine":"mono","kind":"halt","cycle":739812,"reason":"halt"}');
    expect(formatText(halt, new Map())).toMatch(/^ +739812 {2}mono\/- +halt +reason="halt"$/);
    const exit = mono.find((l) => l.kind === 'mono' && l.event.kind === 'exit')!;
    expect(formatText(exit, new Map())).toMatch(/^ +\d+ {2}mono\/pid 2 exit +name="bench-pipe" status=0$/);
  });

  it('runs the same however the first machine\'s runs are sliced (the monolithic kernel\'s machine is in the lock-step)', () => {
    const sc = parseScenario(MACHINES, join(ROOT, 'scenarios/x.yaml'));
    const log = (slice: number) => {
      const s = sessionFromScenario(sc);
      const out: string[] = [];
      const run = new ScenarioRun(s, sc, { onLine: (l) => out.push(formatJson(l)) });
      for (let i = 0; i < 10_000 && s.run(slice).reason !== 'idle'; i++) run.fire();
      const st = s.stations[0] as MonoStation;
      return { out, console: st.console, halted: st.session.halted, cycle: st.machine.cpu.cycles };
    };
    const a = log(1_000_000), b = log(977);
    expect(a.halted).toBe(true);
    expect(a.console).toBe(MONO_OUT.replace('100', '10').replace(/0x[0-9a-f]{8}/, a.console.match(/0x[0-9a-f]{8}/)![0]));
    expect(b).toEqual(a);
  });

  it('travels back into the monolithic kernel\'s busy stretch to what a fresh run shows there, and on to the same end', () => {
    const sc = loadScenario(FILE);
    const t = open(sc);
    drive(t, Infinity);
    const end = historyLines(t.s);
    const st = t.s.stations[0] as MonoStation;
    expect(st.session.halted).toBe(true);
    for (const point of [612_345, 450_001]) {
      expect(typeof t.s.travelNow({ cycle: point }, 'back')).toBe('object');
      expect(st.session.halted).toBe(false);
      const fresh = forward(sc);
      drive(fresh, t.s.kernel.now());
      expect(shown(t.s)).toEqual(shown(fresh.s));
    }
    drive(t, Infinity);
    expect(historyLines(t.s)).toEqual(end);
  });

  it('a false expectation about the monolithic kernel\'s machine fails with its line and why', () => {
    const f = tempScenario(`${MACHINES}expect:
  - machine: mono
    console: { contains: "BAD" }
  - machine: mono
    event: { kind: syscall, call: fork }
    count: 2
  - env: client
    console: { contains: "10 iterations" }
`);
    const r = replay(loadScenario(f));
    expect(r.expectations.count).toBe(3);
    expect(r.failures).toEqual([
      expect.stringMatching(/^expectation at .*both\.yaml:13 failed: the console does not contain "BAD"; it ends with "bench-pipe: 10 iterations/),
      expect.stringMatching(/^expectation at .*both\.yaml:15 failed: expected exactly 2 syscall \(call = "fork"\) event\(s\), saw 1$/),
    ]);
  });

  it('the schema takes kernel: monolithic after the first machine only, and names the line and field of each mistake', () => {
    const problems = (text: string) => {
      try { parseScenario(text, 'scenarios/bad.yaml'); return []; } catch (e) { return (e as ScenarioError).problems.map((p) => `${p.line} ${p.path}: ${p.message}`); }
    };
    expect(problems(`name: b
machines:
  - { name: mono, kernel: monolithic, program: bench-pipe }
  - { name: exo, environments: [{ name: a, image: exos-hello }] }
`)).toEqual(['3 machines[0].kernel: the first machine runs the exokernel (the debugger steps it and its breakpoints stop it): put the machine with kernel: monolithic after it']);
    expect(problems(`name: b
machines:
  - { name: exo, environments: [{ name: a, image: exos-hello }] }
  - { name: mono, kernel: monolithic, program: bench-pipe, environments: [] }
`)).toEqual([expect.stringMatching(/^4 machines\[1\]\.environments: a machine with kernel: monolithic has no environments: it boots its first process from program and args$/)]);
    const two = `name: b
machines:
  - { name: exo, environments: [{ name: a, image: exos-hello }] }
  - { name: mono, kernel: monolithic, program: bench-pipe }
`;
    expect(problems(`${two}timeline:
  - { at: { cycle: 100 }, do: { key: "m" }, machine: mono }
`)).toEqual(['6 timeline[0].machine: machine mono runs the monolithic kernel: timeline steps are about exokernel machines (their events, environments and packets)']);
    expect(problems(`${two}expect:
  - machine: mono
    event: { kind: yield }
  - machine: exo
    event: { kind: syscall, call: pipe }
`)).toEqual([
      '7 expect[0].event.kind: expected an event kind of the monolithic kernel (trap, syscall, exit, switch, console, halt), got "yield"',
      expect.stringMatching(/^9 expect\[1\]\.event\.call: expected a system call name \(Null, .*\), got "pipe"$/),
    ]);
    expect(problems(`${two}expect:
  - machine: mono
    console: { contains: "ok" }
  - machine: mono
    env: a
    console: { contains: "ok" }
`)).toEqual(['9 expect[1].env: unknown key "env" (expected event, count, order, no-event or console)']);
  });

  it('says so when the monolithic kernel has no such program', () => {
    const sc = parseScenario(MACHINES.replace('program: bench-pipe', 'program: bench-pip'), join(ROOT, 'scenarios/x.yaml'));
    expect(() => sessionFromScenario(sc)).toThrow(/machines\[1\]\.program.*the kernel .*mono\.elf has no program "bench-pip" \(its file table holds .*bench-pipe/s);
  });
});
