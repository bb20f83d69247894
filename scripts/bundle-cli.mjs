// After tsc: dist/cli/main.js (the `exoscope` bin) rewritten as one bundle of
// the CLI and what it imports (commander, yaml, zod, ink, react and the
// project's own modules), each command's part in a chunk beside it loaded
// when that command runs. One file instead of some 200 to resolve, open and
// compile (minified) is about 0.15 s of CPU off every start (the target: a
// replay's whole process under 0.5 s), and Ink and React in the TUI's
// chunks instead of some 80 files of node_modules (a third of them
// CommonJS, each read twice: once for its exports) take about 0.3 s off
// the TUI's first frame (bench/tui.mjs, cold start). React's production
// build only: the TUI asks for it anyway (src/tui/main.ts, importUi), and
// the development build would be half of the chunk. ink-table (the paper
// bench's tables) is bundled too, so that it draws with the bundle's React.
// Ink's optional devtools stay outside (loaded only with DEV=true, and not
// installed).
// The rest of dist/ stays as tsc wrote it, for the benches and tools that
// import dist/session/index.js. Last, the bundled scenarios parsed ahead of
// time (parsed-scenarios.mjs; after the code cache, whose warm-up is to
// read their YAML), with or without esbuild.
//
// esbuild is not a dependency of exoscope: it comes with tsx and vitest
// (devDependencies). Without it the bundle is skipped with a note, and
// dist/cli/main.js stays tsc's (the same CLI, slower to start).

import { readdirSync, realpathSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILED_FILES, writeCompiledReplay } from './compiled-replay.mjs';
import { boundInkCaches, inkCacheFile } from './ink-caches.mjs';
import { removeParsedScenarios, writeParsedScenarios } from './parsed-scenarios.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
const CHUNK = /^bundle-[\w-]+-[A-Z0-9]{8}\.js(\.map)?$/;

removeParsedScenarios(root);
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // No precompiled replay either: one left from an earlier build would be of other sources.
  for (const f of COMPILED_FILES) rmSync(join(out, f), { force: true });
  console.error('bundle-cli: esbuild is not installed; dist/cli/main.js stays unbundled');
  await writeParsedScenarios(root);
  process.exit(0);
}
for (const f of readdirSync(out)) if (CHUNK.test(f)) rmSync(join(out, f));

/**
 * Ink's Output class is patched by the TUI (src/tui/ink-output.ts), found
 * at run time beside Ink's entry point (ink-output-module.ts). In the
 * bundle, that module imports the very file the bundled Ink imports, so
 * that the class patched is the bundle's.
 */
/**
 * React's entry points (react, react-reconciler, scheduler) choose their
 * build by NODE_ENV at run time; in the bundle they take the production
 * one, and the development one is left out.
 */
const reactProduction = {
  name: 'react-production',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/][\w-]+\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll("process.env.NODE_ENV === 'production'", 'true'),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const inkOutput = {
  name: 'ink-output',
  setup(build) {
    const file = realpathSync(join(dirname(createRequire(join(root, 'package.json')).resolve('ink')), 'output.js'));
    build.onLoad({ filter: /[\\/]tui[\\/]ink-output-module\.js$/ }, () => ({
      contents: `export function importInkOutput() { return import(${JSON.stringify(file)}); }`,
      loader: 'js',
    }));
  },
};
/**
 * Ink's text measuring and wrapping caches, bounded (ink-caches.mjs), as
 * the bundle's Ink is built; the loader hook that does it where Ink comes
 * from node_modules (src/tui/ink-caches-module.ts) is left out.
 */
const inkCaches = {
  name: 'ink-caches',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/][\w-]+\.js$/ }, async (args) => {
      const name = inkCacheFile(args.path);
      if (!name) return undefined;
      return { contents: boundInkCaches(name, await readFile(args.path, 'utf8')), loader: 'js', resolveDir: dirname(args.path) };
    });
    build.onLoad({ filter: /[\\/]tui[\\/]ink-caches-module\.js$/ }, () => ({
      contents: 'export function boundInkCachesOnLoad() {}',
      loader: 'js',
    }));
  },
};
await esbuild.build({
  entryPoints: [join(out, 'main.js')],
  outdir: out,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Chunks sit beside main.js: modules that find the package from
  // import.meta.url (cli/open.ts, scenario/load.ts) see the same folder.
  chunkNames: 'bundle-[name]-[hash]',
  external: ['react-devtools-core'],
  plugins: [inkOutput, inkCaches, reactProduction],
  // yaml is CommonJS: its require() of Node's modules needs a require here.
  banner: { js: "import { createRequire as __exoscopeRequire } from 'node:module'; const require = __exoscopeRequire(import.meta.url);" },
  // Whitespace and syntax minified, names kept (stack traces still name
  // functions; the source maps give lines): about 0.05 s less to compile.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
});
// `exoscope replay` precompiled, with V8's code cache (compiled-replay.mjs).
await writeCompiledReplay(esbuild, root);
await writeParsedScenarios(root);
