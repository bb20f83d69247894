// Scenario files (docs/scenarios.md): YAML, checked by a schema, turned into
// plain read-only data for `exoscope replay` and the TUI. A scenario is data:
// the YAML core schema only, no custom tags, nothing in it runs host code.
// Every problem of a file is reported at once, each with its file, line,
// column and field: `scenarios/bad.yaml:12:7: timeline[2].at.cycle: expected
// a non-negative integer, got "soon"`.

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { IMAGE_MAX_BYTES, notAFile, readRegularFile, SCENARIO_MAX_BYTES } from './files.js';
import { monoScenarioSchema } from './mono.js';
import { jsonExact, parsedFileFor, PARSED_VERSION, placeKey, readParsedFile, type ParsedFile } from './parsed.js';
import { scenarioSchema } from './schema.js';
import type { Scenario, SourceLocation } from './types.js';
import { AT_KEY, isMapping } from './zod.js';

export type * from './types.js';
export { EVENT_FIELDS, EVENT_KINDS, type EventFieldType } from './events.js';
export { parsedFileFor, PARSED_VERSION, type ParsedFile } from './parsed.js';

/** One problem of a scenario file. `line` 0 means the file as a whole (it could not be read). */
export interface ScenarioProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The field, like `timeline[2].at.cycle`; '' for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

/** A scenario file that cannot be used; `problems` lists why, sorted by line. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  /** An error whose message is every problem, one a line. */
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** `file:line:column: path: message`, leaving out what a problem has not. */
export function formatProblem(p: ScenarioProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** "file:line", for messages about a step or an expectation. */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}`;
}

/** A path as the messages write it: `timeline[2].at.cycle`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(seg))) out += `${out ? '.' : ''}${String(seg)}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** The offset where the node at `path` starts (its key's, with `atKey`), or of its deepest existing ancestor. */
function offsetOf(doc: Document.Parsed, path: readonly PropertyKey[], atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = isNode(node) && node.range ? node.range[0] : 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[i]));
      if (!pair) break;
      const keyStart = isNode(pair.key) && pair.key.range ? pair.key.range[0] : offset;
      if (atKey && i === path.length - 1) return keyStart;
      node = pair.value;
      offset = isNode(node) && node.range && !(isScalar(node) && node.value === null) ? node.range[0] : keyStart;
    } else if (isSeq(node) && typeof path[i] === 'number') {
      node = node.items[path[i] as number];
      if (!isNode(node) || !node.range) break;
      offset = node.range[0];
    } else break;
  }
  return offset;
}

/** A problem at an offset of the text. */
function problemAt(file: string, lines: LineCounter, offset: number, path: string, message: string): ScenarioProblem {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col, path, message };
}

/** Throws every problem, sorted by line and column, when there is any. */
function throwIfAny(problems: ScenarioProblem[]): void {
  if (problems.length === 0) return;
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const seen = new Set<string>();
  throw new ScenarioError(problems.filter((p) => !seen.has(formatProblem(p)) && seen.add(formatProblem(p))));
}

/** YAML errors and warnings (unknown tags among them) as problems. */
function yamlProblems(file: string, lines: LineCounter, found: readonly YAMLError[]): ScenarioProblem[] {
  const why = (e: YAMLError) => (e.code === 'TAG_RESOLVE_FAILED' ? ' (a scenario is plain data: no tags)' : '');
  return found.map((e) => problemAt(file, lines, e.pos[0], '', `invalid YAML: ${e.message}${why(e)}`));
}

let projectRoot: string | undefined;

/** The project root: the nearest folder above this module with a package.json. */
function findProjectRoot(): string {
  if (projectRoot !== undefined) return projectRoot;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let d = here; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return (projectRoot = d);
    if (dirname(d) === d) return (projectRoot = here);
  }
}

/**
 * The file an environment's `image` names: a bare name is
 * src/exos/images/<name>.elf of the project; a name with a '/' or ending in
 * .elf is a path relative to the scenario file.
 */
export function resolveImage(image: string, scenarioFile: string): string {
  if (image.includes('/') || image.endsWith('.elf')) return isAbsolute(image) ? image : resolve(dirname(scenarioFile), image);
  return join(findProjectRoot(), 'src', 'exos', 'images', `${image}.elf`);
}

/** The declared environment names (of every machine), valid or not, for checking references. */
function declaredEnvNames(raw: unknown): string[] {
  const names = (list: unknown) => (Array.isArray(list) ? list.flatMap((e: unknown) => (isMapping(e) && typeof e.name === 'string' ? [e.name] : [])) : []);
  if (!isMapping(raw)) return [];
  const machines = Array.isArray(raw.machines) ? raw.machines.filter(isMapping) : [];
  return [...names(raw.environments), ...machines.flatMap((m) => names(m.environments))];
}

/** The declared machine names, valid or not; with `mono`, only those that say kernel: monolithic. */
function declaredMachineNames(raw: unknown, mono = false): string[] {
  if (!isMapping(raw) || !Array.isArray(raw.machines)) return [];
  return raw.machines.flatMap((m: unknown) => (isMapping(m) && typeof m.name === 'string' && (!mono || m.kernel === 'monolithic') ? [m.name] : []));
}

interface Parsed {
  readonly scenario: Scenario;
  readonly locate: (path: readonly PropertyKey[]) => SourceLocation;
  /** The YAML's value the schema checked. */
  readonly raw: unknown;
}

/** A YAML document's value, and where each path of it is. */
interface Yaml {
  readonly raw: unknown;
  readonly locate: (path: readonly PropertyKey[], atKey: boolean) => SourceLocation;
}

/** `text` read as YAML (file `file`): its value and its places. Throws ScenarioError for invalid or empty YAML. */
function readYaml(text: string, file: string): Yaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  throwIfAny(yamlProblems(file, lines, [...doc.errors, ...doc.warnings]));
  if (doc.contents === null) {
    throwIfAny([{ file, line: 1, column: 1, path: '', message: 'the file is empty (expected a scenario with at least name and environments)' }]);
  }
  const locate = (path: readonly PropertyKey[], atKey: boolean): SourceLocation => {
    const { line, col } = lines.linePos(offsetOf(doc, path, atKey));
    return { file, line, column: col };
  };
  try {
    return { raw: doc.toJS({ maxAliasCount: 100 }), locate };
  } catch (e) {
    throwIfAny([{ file, line: 1, column: 1, path: '', message: `invalid YAML: ${(e as Error).message}` }]);
    throw e;
  }
}

/**
 * Parses and checks `text`; throws ScenarioError with every problem found.
 * With `parsed` (parsed.ts: made from this very text), its value and places
 * stand for the YAML, which is read only for a place it has not; `asked`
 * receives every place the schema asked for (for writing a parsed file).
 */
function parse(text: string, file: string, parsed?: ParsedFile, asked?: Map<string, readonly [number, number]>): Parsed {
  let yaml: Yaml | undefined;
  const fromYaml = () => (yaml ??= readYaml(text, file));
  const raw = parsed ? parsed.value : fromYaml().raw;
  const locate = (path: readonly PropertyKey[], atKey = false): SourceLocation => {
    const key = parsed || asked ? placeKey(path, atKey) : '';
    const known = parsed?.places[key];
    if (known) return { file, line: known[0], column: known[1] };
    const at = fromYaml().locate(path, atKey);
    asked?.set(key, [at.line, at.column]);
    return at;
  };
  const schemaCtx = { envNames: declaredEnvNames(raw), machineNames: declaredMachineNames(raw), monoMachines: declaredMachineNames(raw, true), locate, resolveImage: (image: string) => resolveImage(image, file) };
  const schema = isMapping(raw) && raw.kernel === 'monolithic' ? monoScenarioSchema(file, schemaCtx) : scenarioSchema(file, schemaCtx);
  const result = schema.safeParse(raw);
  if (result.success) return { scenario: result.data, locate, raw };
  throwIfAny(result.error.issues.map((i) => {
    const atKey = 'params' in i && i.params?.at === AT_KEY.at;
    return { ...locate(i.path, atKey), path: formatPath(i.path), message: i.message };
  }));
  throw new Error(`Cannot parse ${file}: the schema failed without saying why`);
}

/**
 * The scenario in `text`, read as the file `fileName` (used in messages and
 * to resolve image paths; the file is not read). Throws ScenarioError listing
 * every problem, one a line, sorted by line. With `parsed`, made from this
 * text (parsed.ts), the YAML is not read unless a place is missing from it.
 */
export function parseScenario(text: string, fileName: string, parsed?: ParsedFile): Scenario {
  return parse(text, fileName, parsed?.text === text ? parsed : undefined).scenario;
}

/**
 * What the build writes for scenario `text` (file `fileName`) as
 * parsed.ts says: its YAML's value and the places loading asks for.
 * Undefined when the scenario has problems or its value is not plain JSON
 * data (it is then always parsed).
 */
export function parsedScenario(text: string, fileName: string): ParsedFile | undefined {
  const asked = new Map<string, readonly [number, number]>();
  let raw: unknown;
  try {
    raw = parse(text, fileName, undefined, asked).raw;
  } catch (e) {
    if (e instanceof ScenarioError) return undefined;
    throw e;
  }
  if (!jsonExact(raw)) return undefined;
  return { version: PARSED_VERSION, text, value: raw, places: Object.fromEntries(asked) };
}

/** A path for messages: relative to the working folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * The scenario in the file at `path`, with every image resolved and present.
 * Throws ScenarioError when the file cannot be read, has problems, or names
 * an image file that does not exist.
 */
export function loadScenario(path: string): Scenario {
  const bytes = readRegularFile(path, SCENARIO_MAX_BYTES);
  if ('problem' in bytes) throw new ScenarioError([{ file: path, line: 0, column: 0, path: '', message: `cannot read the scenario: ${bytes.problem}` }]);
  const text = Buffer.from(bytes).toString('utf8');
  const { scenario, locate } = parse(text, path, readParsedFile(parsedFileFor(path), text));
  const several = !scenario.mono && scenario.machines.length > 1;
  const images = scenario.mono ? [{ imagePath: scenario.mono.imagePath, where: ['image'] as (string | number)[] }]
    : scenario.machines.flatMap((m, mi) => [
      ...(m.mono ? [{ imagePath: m.mono.imagePath, where: ['machines', mi, m.mono.image === 'mono' ? 'program' : 'image'] as (string | number)[] }] : []),
      ...m.environments.map((env, i) => ({ imagePath: env.imagePath, where: several ? ['machines', mi, 'environments', i, 'image'] : ['environments', i, 'image'] })),
    ]);
  throwIfAny(images.flatMap(({ imagePath, where }) => {
    const problem = existsSync(imagePath) ? notAFile(imagePath, IMAGE_MAX_BYTES) : 'no such file';
    if (!problem) return [];
    return [{ ...locate(where), path: formatPath(where), message: problem === 'no such file' ? `no image file at ${shown(imagePath)}` : `cannot use ${shown(imagePath)} as an image: ${problem}` }];
  }));
  return scenario;
}
