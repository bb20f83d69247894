import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { KernelEventKind, RefusalReason } from '../../src/exokernel/index.js';
import { EVENT_FIELDS, REFUSAL_REASONS } from '../../src/scenario/events.js';
import { formatLocation, loadScenario, parseScenario, ScenarioError, type Scenario } from '../../src/scenario/load.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, '..', 'session', 'fixtures', 'scenarios');

/** The problems parseScenario reports for fixture `name`, read as scenarios/<basename>. */
function problems(name: string): string[] {
  return problemsIn(readFileSync(join(FIXTURES, name), 'utf8'), `scenarios/${basename(name)}`);
}

/** The problems parseScenario reports for `text`, one a line. */
function problemsIn(text: string, file = 'x.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  throw new Error(`${file} parsed without a problem`);
}

/** A scenario with one environment (walker) and `rest` appended. */
const withWalker = (rest: string) => `name: t\nenvironments:\n  - { name: walker, image: hello }\n${rest}`;

const at = (line: number, column: number) => ({ file: 'scenarios/full.yaml', line, column });

describe('parseScenario on a valid file', () => {
  const scenario = parseScenario(readFileSync(join(FIXTURES, 'good/full.yaml'), 'utf8'), 'scenarios/full.yaml');

  it('reads the settings, the environments with their sources, and resolves images', () => {
    expect(scenario.file).toBe('scenarios/full.yaml');
    expect(scenario.name).toBe('stlb-at-work');
    expect(scenario.description).toBe('One or two sentences shown by the TUI and replay.');
    expect(scenario.machine).toEqual({ ramMiB: 64, cpuHz: 25_000_000, seed: 7, tickHz: 512, sliceTicks: 2 });
    expect(scenario.environments).toEqual([
      { name: 'walker', image: 'hello', imagePath: join(ROOT, 'src/exos/images/hello.elf'), args: ['256', '4'], start: 0, slices: 1, source: at(11, 5) },
      { name: 'reader', image: 'images/reader.elf', imagePath: resolve('scenarios/images/reader.elf'), args: [], start: 100000, slices: 1, source: at(14, 5) },
    ]);
    expect(scenario.run).toEqual({ until: 'idle', maxCycles: 100_000_000, live: 'until' });
  });

  it('turns each timeline step into a trigger and an action, remembering its line', () => {
    const env = (value: string) => ({ op: 'env', value });
    expect(scenario.timeline).toEqual([
      { at: { kind: 'cycle', cycle: 200000 }, action: { kind: 'kill', env: 'reader' }, source: at(18, 5) },
      { at: { kind: 'instructions', instructions: 5000 }, action: { kind: 'break', reason: 'first 5000 instructions done' }, source: at(20, 5) },
      {
        at: {
          kind: 'event',
          event: { kind: 'dispatch', fields: { env: env('walker'), exc: { op: 'equals', value: 'TLBL' }, badvaddr: { op: 'equals', value: 0x10000000 } } },
          count: 3,
        },
        action: { kind: 'key', keys: '10s' },
        source: at(22, 5),
      },
      { at: { kind: 'cycle', cycle: 400000 }, action: { kind: 'pause', ms: 1500 }, source: at(25, 5) },
      { at: { kind: 'cycle', cycle: 500000 }, action: { kind: 'console', env: 'walker', text: 'hello\n' }, source: at(27, 5) },
      {
        at: { kind: 'cycle', cycle: 600000 },
        action: { kind: 'breakpoint', breakpoint: { kind: 'pc', addr: 0x00400120, env: 'walker' } },
        source: at(29, 5),
      },
    ]);
  });

  it('reads breakpoints on an exception (with its ExcCode), an event kind and a symbol', () => {
    expect(scenario.breakpoints).toEqual([
      { kind: 'exception', code: 2, name: 'TLBL', env: 'walker', source: at(32, 5) },
      { kind: 'event', event: 'env-destroyed', source: at(33, 5) },
      { kind: 'symbol', symbol: 'main', env: 'walker', source: at(34, 5) },
    ]);
  });

  it('reads every form of expectation', () => {
    const walker = { env: { op: 'env', value: 'walker' } };
    expect(scenario.expect).toEqual([
      {
        kind: 'event',
        event: { kind: 'env-destroyed', fields: { ...walker, reason: { op: 'equals', value: 'exit(0)' } } },
        count: { min: 1 },
        source: at(39, 5),
      },
      {
        kind: 'order',
        events: [
          { kind: 'env-created', fields: walker },
          { kind: 'stlb-hit', fields: walker },
          { kind: 'env-destroyed', fields: { ...walker, reason: { op: 'contains', value: 'exit' } } },
        ],
        source: at(41, 5),
      },
      {
        kind: 'env', env: 'walker', state: 'destroyed', console: { op: 'contains', value: 'memwalk ok' }, frames: { min: 0, max: 0 },
        source: at(45, 5),
      },
      { kind: 'invariant', source: at(49, 5) },
      { kind: 'no-event', event: { kind: 'binding-refused', fields: walker }, source: at(50, 5) },
    ]);
    expect(formatLocation(scenario.expect[2].source)).toBe('scenarios/full.yaml:45');
  });

  it('is plain data: it survives a trip through JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(scenario))).toEqual(scenario);
  });
});

describe('parseScenario defaults and forms', () => {
  it('fills in every default of a minimal scenario', () => {
    const s: Scenario = parseScenario(readFileSync(join(FIXTURES, 'good/minimal.yaml'), 'utf8'), 'scenarios/minimal.yaml');
    expect(s.machine).toEqual({ ramMiB: 32, cpuHz: 25_000_000, seed: 1, tickHz: 1024, sliceTicks: 2 });
    expect(s.run).toEqual({ until: 'idle', maxCycles: 1_000_000_000, live: 'until' });
    expect([s.timeline, s.breakpoints, s.expect, s.environments[0].args, s.environments[0].start]).toEqual([[], [], [], [], 0]);
    expect('description' in s).toBe(false);
  });

  it('parses the complete example of docs/scenarios.md, and every piece of one there', () => {
    const doc = readFileSync(join(ROOT, 'docs/scenarios.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(parseScenario(blocks[0], 'docs/scenarios.md').name).toBe('stlb-at-work');
    for (const block of blocks) {
      const head = (/^name:/m.test(block) ? '' : 'name: example\n') + (/^(environments|machines):|^kernel: monolithic/m.test(block) ? '' : 'environments: [{ name: walker, image: hello }]\n');
      expect(() => parseScenario(head + block, 'docs/scenarios.md'), block).not.toThrow();
    }
  });

  it('reads watchpoints: an address or a symbol, the accesses (default write) and the length (default a word)', () => {
    const s = parseScenario(withWalker('breakpoints:\n  - { watch: "0x10000000" }\n  - { watch: brk, env: walker, access: read, len: 8 }\n  - { watch: 0x10000010, access: access, len: 1 }\n'), 'x.yaml');
    expect(s.breakpoints.map(({ source: _, ...b }) => b)).toEqual([
      { kind: 'watch', addr: 0x10000000, len: 4, read: false, write: true },
      { kind: 'symbolWatch', symbol: 'brk', len: 8, read: true, write: false, env: 'walker' },
      { kind: 'watch', addr: 0x10000010, len: 1, read: true, write: true },
    ]);
    expect(problemsIn(withWalker('breakpoints:\n  - { watch: brk, access: writes }\n'))).toEqual([
      'x.yaml:5:27: breakpoints[0].access: expected the accesses to stop before (write, read, access), got "writes" (did you mean "write"?)',
    ]);
    expect(problemsIn(withWalker('breakpoints:\n  - { watch: brk, len: 0 }\n'))[0]).toMatch(/^x\.yaml:5:\d+: breakpoints\[0\]\.len: expected a length in bytes from 1 to 65536/);
  });

  it('accepts an address as an integer or a hex string alike', () => {
    const s = parseScenario(withWalker('breakpoints:\n  - { pc: 0x400120 }\n  - { pc: "0x00400120" }\n  - { pc: 4194592 }\n'), 'x.yaml');
    expect(s.breakpoints.map((b) => b.kind === 'pc' && b.addr)).toEqual([0x400120, 0x400120, 0x400120]);
  });

  it('matches text exactly, by substring or by a regular expression', () => {
    const s = parseScenario(withWalker([
      'expect:',
      '  - event: { kind: console, env: walker, text: "ok" }',
      '  - event: { kind: console, text: { contains: "o" } }',
      '  - event: { kind: console, text: { matches: "^o+k$" } }',
      '  - env: walker',
      '    console: { equals: "ok\\n" }',
    ].join('\n')), 'x.yaml');
    const texts = s.expect.map((e) => (e.kind === 'event' ? e.event.fields.text : e.kind === 'env' ? e.console : undefined));
    expect(texts).toEqual([
      { op: 'equals', value: 'ok' }, { op: 'contains', value: 'o' }, { op: 'matches', value: '^o+k$' }, { op: 'equals', value: 'ok\n' },
    ]);
  });

  it('reads a count as an exact number or as a range', () => {
    const s = parseScenario(withWalker('expect:\n  - { event: { kind: idle }, count: 2 }\n  - { event: { kind: idle }, count: { max: 3 } }\n'), 'x.yaml');
    expect(s.expect.map((e) => e.kind === 'event' && e.count)).toEqual([{ min: 2, max: 2 }, { min: 0, max: 3 }]);
  });

  it('turns numeric arguments into strings', () => {
    const s = parseScenario('name: t\nenvironments:\n  - { name: a, image: hello, args: [256, "0x10", 0x10] }\n', 'x.yaml');
    expect(s.environments[0].args).toEqual(['256', '0x10', '16']);
  });
});

describe('parseScenario on a bad file names the file, line, column, field and what was expected', () => {
  it('when the name is missing', () => {
    expect(problems('bad/missing-name.yaml')).toEqual([
      'scenarios/missing-name.yaml:2:1: name: missing; expected a scenario name (lower-case letters, digits and dashes)',
    ]);
  });

  it('when a top-level key is unknown, with a "did you mean"', () => {
    expect(problems('bad/unknown-key.yaml')).toEqual([
      'scenarios/unknown-key.yaml:2:1: environments: missing; expected a list of environments (or machines, for several machines)',
      'scenarios/unknown-key.yaml:3:1: enviroments: unknown key "enviroments" (did you mean "environments"?)',
    ]);
  });

  it('when a value has the wrong type', () => {
    expect(problems('bad/wrong-type.yaml')).toEqual([
      'scenarios/wrong-type.yaml:3:15: environments: expected a list of environments, got "hello"',
    ]);
  });

  it('when an environment name is not lower-case', () => {
    expect(problems('bad/bad-env-name.yaml')).toEqual([
      'scenarios/bad-env-name.yaml:4:11: environments[0].name: expected an environment name (a lower-case letter, then lower-case letters, digits or dashes), got "Walker"',
    ]);
  });

  it('when two environments share a name, pointing back at the first', () => {
    expect(problems('bad/duplicate-env.yaml')).toEqual([
      'scenarios/duplicate-env.yaml:5:13: environments[1].name: duplicate environment name "hello" (first declared at line 4)',
    ]);
  });

  it('when a step names an undeclared environment', () => {
    expect(problems('bad/unknown-env.yaml')).toEqual([
      'scenarios/unknown-env.yaml:7:17: timeline[0].do.kill: expected the name of an environment declared under environments (walker), got "walkr" (did you mean "walker"?)',
    ]);
  });

  it('when an event kind is unknown', () => {
    const [line] = problems('bad/unknown-kind.yaml');
    expect(line).toMatch(/^scenarios\/unknown-kind\.yaml:6:23: expect\[0\]\.no-event\.kind: expected an event kind \(env-created, .*\), got "tlb-hit"/);
    expect(line).toMatch(/\(did you mean "stlb-hit"\?\)$/);
  });

  it('when a pattern filters on a field its kind does not have', () => {
    expect(problems('bad/field-not-of-kind.yaml')).toEqual([
      'scenarios/field-not-of-kind.yaml:6:50: timeline[0].at.event.exc: "exc" is not a field of stlb-miss events (they have env and vaddr)',
    ]);
  });

  it('when an exception name is not in EXC_NAMES', () => {
    expect(problems('bad/bad-exception.yaml')).toEqual([
      'scenarios/bad-exception.yaml:6:18: breakpoints[0].exception: expected an exception name (Int, Mod, TLBL, TLBS, AdEL, AdES, IBE, DBE, Sys, Bp, RI, CpU, Ov), got "TLBX" (did you mean "TLBL"?)',
    ]);
  });

  it('when a cycle is negative', () => {
    expect(problems('bad/negative-cycle.yaml')).toEqual([
      'scenarios/negative-cycle.yaml:6:18: timeline[0].at.cycle: expected a non-negative integer, got -5',
    ]);
  });

  it('when one `at` holds two triggers', () => {
    expect(problems('bad/two-triggers.yaml')).toEqual([
      'scenarios/two-triggers.yaml:6:9: timeline[0].at: expected exactly one of cycle, instructions or event, got cycle and instructions',
    ]);
  });

  it('when an `at` holds no trigger', () => {
    expect(problems('bad/no-trigger.yaml')).toEqual([
      'scenarios/no-trigger.yaml:6:9: timeline[0].at: expected one of cycle, instructions or event, got none of them',
    ]);
  });

  it('when a duration has no known unit', () => {
    expect(problems('bad/bad-duration.yaml')).toEqual([
      'scenarios/bad-duration.yaml:7:18: timeline[0].do.pause: expected a duration like "500ms", "2s" or "1.5s", got "2min"',
    ]);
  });

  it('when a hex address has a non-hex digit', () => {
    expect(problems('bad/bad-hex.yaml')).toEqual([
      'scenarios/bad-hex.yaml:6:11: breakpoints[0].pc: expected an address (an integer or a hex string like "0x00400120") or a symbol name, got "0x12zz"',
    ]);
    expect(problemsIn(withWalker('expect:\n  - no-event: { kind: stlb-miss, vaddr: "0x1234567890" }\n'))).toEqual([
      'x.yaml:5:41: expect[0].no-event.vaddr: expected an address (an integer or a hex string like "0x00400120"), got "0x1234567890"',
    ]);
  });

  it('when the YAML itself is broken', () => {
    expect(problems('bad/yaml-syntax.yaml')).toEqual([
      'scenarios/yaml-syntax.yaml:5:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problemsIn('name: a\nname: b\n')).toEqual(['x.yaml:2:1: invalid YAML: Map keys must be unique']);
  });

  it('when the file is empty or holds only comments', () => {
    const empty = 'the file is empty (expected a scenario with at least name and environments)';
    expect(problems('bad/empty.yaml')).toEqual([`scenarios/empty.yaml:1:1: ${empty}`]);
    expect(problemsIn('# nothing here\n')).toEqual([`x.yaml:1:1: ${empty}`]);
  });

  it('when an environment has more than 7 arguments', () => {
    expect(problems('bad/too-many-args.yaml')).toEqual([
      'scenarios/too-many-args.yaml:6:11: environments[0].args: expected at most 7 arguments, got 8',
    ]);
  });

  it('when ram is out of range', () => {
    expect(problems('bad/ram-range.yaml')).toEqual([
      'scenarios/ram-range.yaml:4:8: machine.ram: expected a whole number of MiB from 12 to 480, got 512',
    ]);
  });

  it('when tick is not a power of two', () => {
    expect(problems('bad/tick-power.yaml')).toEqual([
      'scenarios/tick-power.yaml:4:9: machine.tick: expected a power of two from 2 to 8192, got 1000',
    ]);
  });
});

describe('parseScenario checks that go across fields', () => {
  it('reports every problem of a file in one error, sorted by line', () => {
    expect(problems('bad/many.yaml')).toEqual([
      'scenarios/many.yaml:6:18: timeline[0].at.cycle: expected a non-negative integer, got "soon"',
      'scenarios/many.yaml:9:9: machine.tick: expected a power of two from 2 to 8192, got 3',
      'scenarios/many.yaml:11:10: expect[0].env: expected the name of an environment declared under environments (walker), got "reader"',
      'scenarios/many.yaml:12:12: expect[0].state: expected runnable or destroyed, got "gone"',
    ]);
  });

  it('gives each problem as data too', () => {
    try {
      parseScenario(readFileSync(join(FIXTURES, 'bad/tick-power.yaml'), 'utf8'), 'scenarios/tick-power.yaml');
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).problems).toEqual([
        { file: 'scenarios/tick-power.yaml', line: 4, column: 9, path: 'machine.tick', message: 'expected a power of two from 2 to 8192, got 1000' },
      ]);
      expect((e as Error).name).toBe('ScenarioError');
    }
  });

  it('refuses YAML tags: a scenario never runs host code', () => {
    expect(problemsIn('name: !!js/function "return 1"\n')).toEqual([
      'x.yaml:1:7: invalid YAML: Unresolved tag: tag:yaml.org,2002:js/function (a scenario is plain data: no tags)',
    ]);
  });

  it('takes a count on event triggers only', () => {
    expect(problemsIn(withWalker('timeline:\n  - at: { cycle: 5 }\n    count: 2\n    do: { kill: walker }\n'))).toEqual([
      'x.yaml:6:12: timeline[0].count: count applies only to event triggers, not to cycle',
    ]);
  });

  it('repeats environments and cycle-triggered steps with every, and lets the live TUI run forever', () => {
    const s = parseScenario('name: t\nenvironments:\n  - { name: a, image: hello, start: 5, every: 1000000 }\ntimeline:\n  - { at: { cycle: 7 }, every: 200000, do: { kill: a } }\nrun: { until: 100, live: forever }\n', 'x.yaml');
    expect(s.environments[0].every).toBe(1_000_000);
    expect(s.timeline[0].every).toBe(200_000);
    expect(s.run).toEqual({ until: 100, maxCycles: 1_000_000_000, live: 'forever' });
  });

  it('takes every on cycle triggers only, and no shorter than 100,000 cycles', () => {
    expect(problemsIn(withWalker('timeline:\n  - at: { instructions: 5 }\n    every: 200000\n    do: { kill: walker }\n'))).toEqual([
      'x.yaml:6:12: timeline[0].every: every applies only to cycle triggers, not to instructions',
    ]);
    expect(problemsIn('name: t\nenvironments:\n  - { name: a, image: hello, every: 10 }\n')[0]).toMatch(/environments\[0\]\.every: .*expected a number of cycles from 100000 between new instances/);
    expect(problemsIn('name: t\nenvironments:\n  - { name: a, image: hello }\nrun: { live: always }\n')[0]).toMatch(/run\.live: .*expected forever or until/);
  });

  it('refuses an env filter on events that name no environment', () => {
    expect(problemsIn(withWalker('breakpoints:\n  - { event: context-switch, env: walker }\n'))).toEqual([
      'x.yaml:5:35: breakpoints[0].env: context-switch events name no environment, so env cannot filter them',
    ]);
  });

  it('takes a seed as a uint32 or as up to 128 bits of hex, and refuses anything else', () => {
    const wide = '0x0123456789abcdef0123456789abcdef';
    expect(parseScenario(withWalker(`machine: { seed: "${wide}" }\n`), 'x.yaml').machine.seed).toBe(wide);
    expect(parseScenario(withWalker('machine: { seed: 4294967295 }\n'), 'x.yaml').machine.seed).toBe(0xffffffff);
    for (const bad of ['4294967296', '-1', '"0x"', `"${wide}0"`, '"12"', '"0xg1"']) {
      expect(problemsIn(withWalker(`machine: { seed: ${bad} }\n`))[0]).toMatch(/^x\.yaml:4:18: machine\.seed: expected a uint32 seed \(0 to 4294967295\) or a hex string of up to 32 digits/);
    }
  });

  it('refuses keys that belong to another form', () => {
    expect(problemsIn(withWalker('expect:\n  - order: [{ kind: idle }]\n    count: 1\n'))).toEqual([
      'x.yaml:6:5: expect[0].count: "count" does not go with "order"',
    ]);
  });

  it('refuses an end cycle after max-cycles', () => {
    expect(problemsIn(withWalker('run: { until: 5000, max-cycles: 100 }\n'))).toEqual([
      'x.yaml:4:15: run.until: cycle 5000 comes after max-cycles (100)',
    ]);
  });

  it('refuses an env expectation that checks nothing, and a count range upside down', () => {
    expect(problemsIn(withWalker('expect:\n  - env: walker\n  - { event: { kind: idle }, count: { min: 3, max: 1 } }\n'))).toEqual([
      'x.yaml:5:5: expect[0]: expected at least one of state, console or frames',
      'x.yaml:6:37: expect[1].count: min (3) is greater than max (1)',
    ]);
  });

  it('refuses a regular expression that does not compile', () => {
    expect(problemsIn(withWalker('expect:\n  - event: { kind: console, text: { matches: "((" } }\n'))).toEqual([
      'x.yaml:5:46: expect[0].event.text.matches: expected a valid regular expression, got "(("',
    ]);
  });
});

describe('loadScenario', () => {
  it('finds a bare image name among the project images', () => {
    const s = loadScenario(join(FIXTURES, 'good/minimal.yaml'));
    expect(s.environments[0].imagePath).toBe(join(ROOT, 'src/exos/images/hello.elf'));
    expect(s.environments[0].source.file).toBe(join(FIXTURES, 'good/minimal.yaml'));
  });

  it('finds an image path relative to the scenario file', () => {
    const s = loadScenario(join(FIXTURES, 'good/local-image.yaml'));
    expect(s.environments[0].imagePath).toBe(join(FIXTURES, 'good/images/stub.elf'));
  });

  it('reports an image file that does not exist at its line', () => {
    const file = join(FIXTURES, 'bad/missing-image.yaml');
    const ghost = relative(process.cwd(), join(FIXTURES, 'bad/images/ghost.elf'));
    expect(() => loadScenario(file)).toThrow(new ScenarioError([
      { file, line: 7, column: 12, path: 'environments[1].image', message: `no image file at ${ghost}` },
    ]));
  });

  it('reports a file that does not exist by its name', () => {
    expect(() => loadScenario('scenarios/no-such-scenario.yaml')).toThrow(ScenarioError);
    expect(() => loadScenario('scenarios/no-such-scenario.yaml')).toThrow(
      /^scenarios\/no-such-scenario\.yaml: cannot read the scenario: no such file$/,
    );
  });
});

describe('the event table', () => {
  it('is the event catalogue, and the events the kernel emits have exactly its fields', () => {
    // KernelEvent is derived from the catalogue (src/exokernel/event-table.ts),
    // so the compiler holds every emit to it; this checks the emitted objects
    // themselves, over a golden log that has most kinds.
    const table = Object.fromEntries(Object.entries(EVENT_FIELDS).map(([kind, fields]) => [kind, ['kind', 'cycle', ...Object.keys(fields)].sort()]));
    expect(Object.keys(table).length).toBeGreaterThan(10);
    const log = readFileSync(join(ROOT, 'test/session/golden/pagefault.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const events = log.filter((e) => e.kind !== 'note');
    expect(new Set(events.map((e) => e.kind)).size).toBeGreaterThan(8);
    for (const e of events) expect(Object.keys(e).sort(), e.kind).toEqual(table[e.kind]);
  });

  it('is held to the KernelEvent type by the compiler', () => {
    expectTypeOf<keyof typeof EVENT_FIELDS>().toEqualTypeOf<KernelEventKind>();
    expectTypeOf<keyof (typeof EVENT_FIELDS)['binding-refused']>().toEqualTypeOf<'env' | 'vaddr' | 'frame' | 'reason' | 'detail'>();
    expectTypeOf<(typeof REFUSAL_REASONS)[number]>().toEqualTypeOf<RefusalReason>();
  });
});

describe('slices and revocation in timelines', () => {
  const base = (extra: string) => `name: t
environments:
  - { name: hog, image: hello, slices: 3 }
timeline:
${extra}
`;
  it('an environment may start with several slices and a timeline step may revoke', () => {
    const s = parseScenario(base('  - { at: { cycle: 10 }, do: { revoke: { env: hog, frames: 4, window: 9000 } } }'), 'scenarios/t.yaml');
    expect(s.environments[0].slices).toBe(3);
    expect(s.timeline[0].action).toEqual({ kind: 'revoke', env: 'hog', what: 'frames', count: 4, window: 9000 });
  });

  it('a revoke names exactly one of frames or slices', () => {
    expect(() => parseScenario(base('  - { at: { cycle: 10 }, do: { revoke: { env: hog, frames: 4, slices: 1 } } }'), 'scenarios/t.yaml'))
      .toThrow(/scenarios\/t\.yaml:5:.*timeline\[0\]\.do.*: expected exactly one of frames or slices/);
  });
});

describe('record settings', () => {
  it('record.cycles-per-second paces a recording; without it a virtual second is 1,000,000 cycles', () => {
    expect(parseScenario(withWalker('record:\n  cycles-per-second: 250000\n'), 'x.yaml').record).toEqual({ cyclesPerSecond: 250_000 });
    expect(parseScenario(withWalker(''), 'x.yaml').record).toEqual({ cyclesPerSecond: 1_000_000 });
  });

  it('refuses a rate that is not a whole number from 1000 on, and keys it does not know', () => {
    expect(problemsIn(withWalker('record:\n  cycles-per-second: 10\n  speed: 2\n'))).toEqual([
      'x.yaml:5:22: record.cycles-per-second: expected a number of emulated cycles from 1000 to 1000000000, got 10',
      'x.yaml:6:3: record.speed: unknown key "speed" (expected cycles-per-second)',
    ]);
  });
});

describe('the paper: section (rows of exoscope bench --paper)', () => {
  const base = `name: row
environments:
  - { name: client, image: exos-bench-pipe, args: [client] }
`;
  it('every file in scenarios/paper parses as a row naming one of its environments', () => {
    const dir = join(ROOT, 'scenarios', 'paper');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) {
      const sc = loadScenario(join(dir, f));
      expect(sc.paper, f).toBeDefined();
      expect(sc.machines.flatMap((m) => m.environments).map((e) => e.name), f).toContain(sc.paper!.measured);
    }
  });

  it('reads the row, with defaults', () => {
    const sc = parseScenario(base + `paper:
  operation: pipe
  measured: client
  iterations: 200
  exos: 14.2
  window: the loop
  monolithic: { args: [bench-pipe, 200] }
`, 'scenarios/row.yaml');
    expect(sc.paper).toEqual({ operation: 'pipe', measured: 'client', iterations: 200, exos: 14.2, baseline: false, window: 'the loop', monolithic: { args: ['bench-pipe', '200'], wire: false } });
  });

  it('names the field and line of every mistake', () => {
    const bad = base + `paper:
  operation: pipe
  measured: server
  iterations: 0
  exos: -1
  window: the loop
  monolithic: { args: [bench-pipe], none: no }
  speed: 3
`;
    let message = '';
    try { parseScenario(bad, 'scenarios/row.yaml'); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/row\.yaml:6:\d+: paper\.measured: expected the name of an environment/);
    expect(message).toMatch(/row\.yaml:7:\d+: paper\.iterations: expected a positive integer/);
    expect(message).toMatch(/row\.yaml:8:\d+: paper\.exos: expected a figure in microseconds/);
    expect(message).toMatch(/row\.yaml:10:\d+: paper\.monolithic: expected either args .* or none/);
    expect(message).toMatch(/row\.yaml:11:\d+: paper\.speed: unknown key "speed"/);
  });
});
