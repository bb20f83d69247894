// A guest may print without end: the console text the kernel keeps per
// environment is bounded (limits.ts appendConsole), and everything written
// is still reported as it is written (a `console` event each cputs, which
// the replay's log holds). Unbounded, the text reached V8's longest string
// and the append threw, ending the session.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/index.js';
import { appendConsole, CONSOLE_DROPPED, CONSOLE_KEEP } from '../../src/exokernel/index.js';
import { MONO_LINE_MAX } from '../../src/session/mono-session.js';
import { MonoSession, parseScenario, replay, ScenarioRun, sessionFromScenario, type LogLine } from '../../src/session/index.js';
import { drive, historyLines, open } from '../session/travel-helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('appendConsole', () => {
  it('keeps text whole up to twice CONSOLE_KEEP, then its last CONSOLE_KEEP after a line that says so', () => {
    const kib = 'x'.repeat(1023) + '\n';
    let t = '';
    for (let i = 0; i < 2 * CONSOLE_KEEP / 1024; i++) t = appendConsole(t, kib);
    expect(t.length).toBe(2 * CONSOLE_KEEP);
    expect(t.startsWith(CONSOLE_DROPPED)).toBe(false);
    t = appendConsole(t, 'the end\n');
    expect(t.startsWith(CONSOLE_DROPPED)).toBe(true);
    expect(t.length).toBe(CONSOLE_DROPPED.length + CONSOLE_KEEP);
    expect(t.endsWith(`${kib}the end\n`)).toBe(true);
    // The marker is dropped with the rest next time: one marker, first.
    for (let i = 0; i < 3 * CONSOLE_KEEP / 1024; i++) t = appendConsole(t, kib);
    expect(t.indexOf(CONSOLE_DROPPED, 1)).toBe(-1);
    expect(t.length).toBeLessThanOrEqual(CONSOLE_DROPPED.length + 2 * CONSOLE_KEEP);
  });
});

describe('a guest that floods its console', () => {
  const KIB = 3 * CONSOLE_KEEP / 1024;
  const scenario = (expectText: string) => parseScenario([
    'name: flood',
    'environments:',
    `  - { name: flood, image: exos-flood, args: ["${KIB}"] }`,
    'expect:',
    '  - env: flood',
    '    state: destroyed',
    `    console: { contains: ${JSON.stringify(expectText)} }`,
    '  - event: { kind: env-destroyed, env: flood, reason: "exit(0)" }',
  ].join('\n'), join(ROOT, 'scenarios/flood.yaml'));

  it(`${KIB} KiB of output: the kernel keeps the last mebibyte or two, the log has it all, and the session goes on`, () => {
    let logged = 0;
    const r = replay(scenario(`flood ${KIB - 1} `), { onLine: (l: LogLine) => { if (l.kind === 'event' && l.event.kind === 'console') logged += l.event.text.length; } });
    expect(r.failures).toEqual([]);
    expect(logged).toBe(KIB * 1024);
    // The same run in a session, to read the kernel's copy of the console.
    const sc = scenario('');
    const s = sessionFromScenario(sc, { history: false });
    const run = new ScenarioRun(s, sc, {});
    const env = () => [...s.kernel.envs.values()].find((e) => e.name === 'flood')!;
    for (let i = 0; i < 200 && env().state !== 'destroyed'; i++) s.run(1_000_000);
    run.dispose();
    expect(env().state).toBe('destroyed');
    const console = env().console;
    expect(console.startsWith(CONSOLE_DROPPED)).toBe(true);
    expect(console.length).toBeGreaterThanOrEqual(CONSOLE_KEEP);
    expect(console.length).toBeLessThanOrEqual(CONSOLE_DROPPED.length + 2 * CONSOLE_KEEP);
    expect(console.endsWith(`flood ${KIB - 1} ${'.'.repeat(1023 - `flood ${KIB - 1} `.length)}\n`)).toBe(true);
  });

  it('after a step back past where output was dropped and a run on, the event log and the kept console equal the straight run\'s', () => {
    const sc = scenario(`flood ${KIB - 1} `);
    const o = open(sc, 200_000);
    drive(o, Infinity);
    const want = historyLines(o.s), env = () => [...o.s.kernel.envs.values()].find((e) => e.name === 'flood')!;
    const wantConsole = env().console;
    expect(wantConsole.startsWith(CONSOLE_DROPPED)).toBe(true);
    // Back to two thirds of the way, after the first drop (at 2 MiB of the 3).
    expect(typeof o.s.travelNow({ cycle: Math.floor((o.s.kernel.now() * 2) / 3) }, 'back')).toBe('object');
    expect(env().console).not.toBe(wantConsole); // the kernel's state went back too
    drive(o, Infinity);
    expect(historyLines(o.s)).toEqual(want);
    expect(env().console).toBe(wantConsole);
    expect(o.run.finish()).toEqual([]);
  });

  it('an expectation on output the kernel dropped fails and says that it was dropped', () => {
    const r = replay(scenario('flood 0 '));
    expect(r.failures.join('\n')).toMatch(/console of flood does not contain "flood 0 ".*earlier output was dropped/);
  });
});

describe('the monolithic kernel\'s console', () => {
  it('keeps its last mebibyte or two, and makes a line with no end several console events', () => {
    const kernel = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');
    const s = new MonoSession({ image: kernel, args: ['bench-pipe', '20'], checkpointEvery: 0 });
    const lines: string[] = [];
    s.onEvent((e) => { if (e.kind === 'console') lines.push(e.text); });
    // The console's bytes as the serial line delivers them (the session's onConsole), 3 MiB without a newline.
    const output = (s as unknown as { output(b: Uint8Array): void }).output.bind(s);
    const chunk = new Uint8Array(1024).fill(0x61);
    for (let i = 0; i < 3 * CONSOLE_KEEP / 1024; i++) output(chunk);
    expect(s.console.startsWith(CONSOLE_DROPPED)).toBe(true);
    expect(s.console.length).toBeLessThanOrEqual(CONSOLE_DROPPED.length + 2 * CONSOLE_KEEP);
    expect(lines.length).toBe(3 * CONSOLE_KEEP / MONO_LINE_MAX);
    expect(lines.every((l) => l.length === MONO_LINE_MAX)).toBe(true);
  });
});
