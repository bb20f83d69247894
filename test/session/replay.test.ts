import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';
import { parseScenario, replay } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const bundled = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));

function cli(file: string, opts: { json?: boolean; quiet?: boolean; until?: number } = {}) {
  let out = '', err = '';
  const status = replayCommand(file, { ...opts, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { status, out, err };
}

function tempScenario(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'exo-sc-'));
  const f = join(dir, 'test.yaml');
  writeFileSync(f, text.replace(/IMAGES/g, join(ROOT, 'src/exos/images')));
  return f;
}

describe('bundled scenarios', () => {
  it('there are the five the issue names', () => {
    expect(bundled.length).toBeGreaterThanOrEqual(4);
  });

  for (const f of bundled) {
    it(`${f} replays with every expectation holding, the same bytes twice`, () => {
      const a = cli(join(ROOT, 'scenarios', f), { json: true });
      expect(a.err).toBe('');
      expect(a.status).toBe(0);
      const b = cli(join(ROOT, 'scenarios', f), { json: true });
      expect(b.out).toBe(a.out);
    });

    it(`${f} starts with a header comment saying what it shows`, () => {
      expect(readFileSync(join(ROOT, 'scenarios', f), 'utf8')).toMatch(/^# \S.*\n# /);
    });
  }

  it('pagefault gives the golden JSON event log', () => {
    expect(cli(join(ROOT, 'scenarios/pagefault.yaml'), { json: true }).out).toBe(readFileSync(join(ROOT, 'test/session/golden/pagefault.jsonl'), 'utf8'));
  });

  it('share gives the golden text event log', () => {
    expect(cli(join(ROOT, 'scenarios/share.yaml')).out).toBe(readFileSync(join(ROOT, 'test/session/golden/share.txt'), 'utf8'));
  });
});

describe('exoscope replay', () => {
  it('exits 1 and names a false expectation', () => {
    const f = tempScenario(`name: false-expect
environments:
  - { name: hello, image: IMAGES/exos-hello.elf }
expect:
  - env: hello
    console: { contains: "goodbye" }
`);
    const r = cli(f, { quiet: true });
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/expectation at .*test\.yaml:5 failed: console of hello does not contain "goodbye"/);
    expect(r.out).toBe('');
  });

  it('exits 2 for an invalid scenario and names the line and field', () => {
    const f = tempScenario('name: bad\nenvironments:\n  - { name: x, image: IMAGES/exos-hello.elf, argz: [] }\n');
    const r = cli(f);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/test\.yaml:3:.*environments\[0\].*argz/);
  });

  it('--until stops at a cycle', () => {
    const r = cli(join(ROOT, 'scenarios/stlb.yaml'), { json: true, until: 50_000 });
    const cycles = r.out.trim().split('\n').map((l) => JSON.parse(l).cycle as number);
    expect(Math.max(...cycles)).toBeLessThanOrEqual(50_000 + 200);
  });
});

describe('timeline triggers', () => {
  const sc = (timeline: string) => parseScenario(`name: t
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["64", "2"] }
timeline:
${timeline}
`, join(ROOT, 'scenarios/t.yaml'));

  it('a cycle trigger kills at that cycle', () => {
    const notes: number[] = [];
    const r = replay(sc('  - { at: { cycle: 100000 }, do: { kill: m } }'), { onLine: (l) => { if (l.kind === 'note') notes.push(l.cycle); } });
    expect(r.ok).toBe(true);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toBeGreaterThanOrEqual(100000);
    expect(notes[0]).toBeLessThan(100000 + 1000);
  });

  it('an instruction trigger fires after exactly that many instructions', () => {
    const at: number[] = [];
    const r = replay(sc('  - { at: { instructions: 12345 }, do: { break: here } }'), { onLine: (l) => { if (l.kind === 'note') at.push(l.instret); } });
    expect(r.ok).toBe(true);
    expect(at).toEqual([12345]);
  });

  it('an event trigger fires on the nth matching event', () => {
    const lines: string[] = [];
    replay(sc('  - { at: { event: { kind: dispatch, env: m } }, count: 3, do: { kill: m } }'), {
      onLine: (l) => lines.push(l.kind === 'note' ? 'note' : l.event.kind),
    });
    const dispatches = lines.slice(0, lines.indexOf('note')).filter((k) => k === 'dispatch');
    expect(dispatches).toHaveLength(3);
    const after = lines.slice(lines.indexOf('note') + 1);
    expect(after.slice(0, after.indexOf('env-destroyed'))).toContain('binding-removed');
  });
});
