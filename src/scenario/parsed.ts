// A scenario file's YAML as the build parsed it. Reading YAML is most of
// loading a scenario, and loading is a good part of a short replay's whole
// process (docs/architecture.md, Scenarios): the yaml library's code runs
// once per process, cold. So the build (scripts/parsed-scenarios.mjs)
// parses each bundled scenario once and writes, beside the built modules
// (dist/parsed-scenarios/<name>.json), what loading takes from the YAML:
// the file's text, its value (as JSON) and the line and column of every
// place the schema asked for. Loading a file whose text is exactly the one
// written takes them from there; the schema still checks the value, and a
// place not written (an error's) is found by parsing the YAML after all.
// Any other file, or any change to the text, is parsed as usual.

import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

/** The format of a parsed file; a file of another version is not used. */
export const PARSED_VERSION = 1;

/** A scenario file's YAML, parsed: what loading needs of it. */
export interface ParsedFile {
  readonly version: number;
  /** The file's whole text: the file is used only for exactly this text. */
  readonly text: string;
  /** The YAML's value (the yaml library's toJS). */
  readonly value: unknown;
  /** [line, column] of the places asked for, by placeKey. */
  readonly places: Readonly<Record<string, readonly [number, number]>>;
}

/** The key of a place: a path in the document and whether its key (true) or its value is meant. */
export function placeKey(path: readonly PropertyKey[], atKey: boolean): string {
  return JSON.stringify([path.map((p) => (typeof p === 'number' ? p : String(p))), atKey]);
}

/** True when `value` comes back from JSON exactly as it is (no Infinity, NaN, -0, nor anything but plain data). */
export function jsonExact(value: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(value) ?? 'null'), value);
}

/** The parsed file the build wrote for the scenario at `path`: dist/parsed-scenarios/<name>.json, beside the built modules. */
export function parsedFileFor(path: string): string {
  return fileURLToPath(new URL(`../parsed-scenarios/${basename(path).replace(/\.ya?ml$/, '')}.json`, import.meta.url));
}

/**
 * The parsed file at `json` when it was made from exactly `text`, else
 * undefined (no such file, another text, another version, or not one at all).
 */
export function readParsedFile(json: string, text: string): ParsedFile | undefined {
  if (!existsSync(json)) return undefined;
  let f: Partial<ParsedFile>;
  try {
    f = JSON.parse(readFileSync(json, 'utf8')) as Partial<ParsedFile>;
  } catch {
    return undefined;
  }
  const ok = f !== null && typeof f === 'object' && f.version === PARSED_VERSION && f.text === text && typeof f.places === 'object' && f.places !== null && 'value' in f;
  return ok ? (f as ParsedFile) : undefined;
}
