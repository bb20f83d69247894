// Scenarios parsed ahead of time (src/scenario/parsed.ts): loading a file
// with the parsed file the build wrote for exactly its text gives the same
// scenario as reading its YAML, takes the value and places from the parsed
// file, finds a place it lacks in the YAML, and ignores a parsed file of
// any other text.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsedScenario, parseScenario, ScenarioError } from '../../src/scenario/load.js';
import { jsonExact, parsedFileFor, PARSED_VERSION, placeKey, readParsedFile, type ParsedFile } from '../../src/scenario/parsed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCENARIOS = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
const dir = mkdtempSync(join(tmpdir(), 'exoscope-parsed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Scenario `name`'s text, file name as the tests give it, and its parsed file. */
function bundled(name: string): { text: string; file: string; parsed: ParsedFile } {
  const text = readFileSync(join(ROOT, 'scenarios', name), 'utf8');
  const file = `scenarios/${name}`;
  const parsed = parsedScenario(text, file);
  if (parsed === undefined) throw new Error(`${name}: no parsed file`);
  return { text, file, parsed };
}

describe('scenarios parsed ahead of time', () => {
  it.each(SCENARIOS)('%s: loads the same with its parsed file (through JSON) as from its YAML', (name) => {
    const { text, file, parsed } = bundled(name);
    const again = JSON.parse(JSON.stringify(parsed)) as ParsedFile;
    expect(parseScenario(text, file, again)).toEqual(parseScenario(text, file));
  });

  it('takes the value and the places from the parsed file, not from the YAML', () => {
    const { text, file, parsed } = bundled('living.yaml');
    const places = Object.fromEntries(Object.entries(parsed.places).map(([k, [line, column]]) => [k, [line + 1000, column] as const]));
    const other = { ...parsed, value: { ...(parsed.value as object), name: 'renamed' }, places };
    const sc = parseScenario(text, file, other);
    expect(sc.name).toBe('renamed');
    expect(sc.environments[0].source.line).toBe(parseScenario(text, file).environments[0].source.line + 1000);
  });

  it('finds a place the parsed file lacks in the YAML', () => {
    const { text, file, parsed } = bundled('living.yaml');
    expect(parseScenario(text, file, { ...parsed, places: {} })).toEqual(parseScenario(text, file));
  });

  it('ignores a parsed file made from another text', () => {
    const { text, file, parsed } = bundled('living.yaml');
    const edited = text.replace('name: living', 'name: lively');
    expect(parseScenario(edited, file, parsed).name).toBe('lively');
  });

  it('writes none for a scenario with problems, and the problems are reported as before', () => {
    const text = 'name: t\nenvironments:\n  - { name: Walker, image: hello }\n';
    expect(parsedScenario(text, 'x.yaml')).toBeUndefined();
    expect(() => parseScenario(text, 'x.yaml')).toThrow(ScenarioError);
  });

  it('records the places the schema asked for: one per environment, step and expectation, by path', () => {
    const { parsed } = bundled('forger.yaml');
    const sc = parseScenario(readFileSync(join(ROOT, 'scenarios', 'forger.yaml'), 'utf8'), 'scenarios/forger.yaml');
    expect(parsed.places[placeKey(['environments', 0], false)]).toEqual([sc.environments[0].source.line, sc.environments[0].source.column]);
    expect(Object.keys(parsed.places)).toHaveLength(sc.environments.length + sc.timeline.length + sc.breakpoints.length + sc.expect.length);
  });
});

describe('reading a parsed file', () => {
  const { text, parsed } = bundled('forger.yaml');
  const write = (name: string, content: string) => { const p = join(dir, name); writeFileSync(p, content); return p; };

  it('gives the parsed file written for exactly this text', () => {
    expect(readParsedFile(write('ok.json', JSON.stringify(parsed)), text)).toEqual(parsed);
  });

  it('gives nothing for another text, another version, no file or no JSON', () => {
    const p = write('f.json', JSON.stringify(parsed));
    expect(readParsedFile(p, `${text}\n`)).toBeUndefined();
    expect(readParsedFile(write('v.json', JSON.stringify({ ...parsed, version: PARSED_VERSION + 1 })), text)).toBeUndefined();
    expect(readParsedFile(join(dir, 'none.json'), text)).toBeUndefined();
    expect(readParsedFile(write('bad.json', '{"version":'), text)).toBeUndefined();
    expect(readParsedFile(write('null.json', 'null'), text)).toBeUndefined();
  });

  it('is looked for in parsed-scenarios/ beside the built modules, by the scenario file name', () => {
    const here = dirname(fileURLToPath(import.meta.url)).replace(/test[\\/]scenario$/, join('src', 'parsed-scenarios'));
    expect(parsedFileFor('/any/where/living.yaml')).toBe(join(here, 'living.json'));
  });

  it('jsonExact: plain data only (no Infinity, NaN, -0 or objects JSON cannot carry)', () => {
    expect(jsonExact({ a: [1, 'x', null, true, { b: 2.5 }] })).toBe(true);
    for (const v of [Infinity, NaN, -0, new Date(0), { a: undefined }, new Uint8Array(1)]) expect(jsonExact(v)).toBe(false);
  });
});
