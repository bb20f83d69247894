// The bundled scenarios parsed ahead of time (src/scenario/parsed.ts says
// why and how loading uses them): dist/parsed-scenarios/<name>.json for
// each scenarios/<name>.yaml, made by the built scenario layer
// (dist/scenario/index.js, parsedScenario). A scenario with problems, or
// whose value is not plain JSON data, gets none (it is parsed as usual).

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder this step writes under dist/. */
export const PARSED_DIR = 'parsed-scenarios';

/** Removes what writeParsedScenarios wrote under `root` (a build starts without it: the code cache's warm-up reads the YAML). */
export function removeParsedScenarios(root) {
  rmSync(join(root, 'dist', PARSED_DIR), { recursive: true, force: true });
}

/** Writes the parsed file of every scenario under `root`/scenarios; returns how many were written. */
export async function writeParsedScenarios(root) {
  const { parsedScenario, parsedFileFor } = await import(pathToFileURL(join(root, 'dist', 'scenario', 'index.js')).href);
  removeParsedScenarios(root);
  mkdirSync(join(root, 'dist', PARSED_DIR), { recursive: true });
  let n = 0;
  for (const name of readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort()) {
    const file = join(root, 'scenarios', name);
    const parsed = parsedScenario(readFileSync(file, 'utf8'), file);
    if (parsed === undefined) continue;
    writeFileSync(parsedFileFor(file), JSON.stringify(parsed));
    n++;
  }
  return n;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = await writeParsedScenarios(join(dirname(fileURLToPath(import.meta.url)), '..'));
  console.error(`parsed-scenarios: ${n} scenarios`);
}
