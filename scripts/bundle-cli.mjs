// After tsc: dist/cli/main.js (the `exoscope` bin) rewritten as one bundle of
// the CLI and what it imports (commander, yaml, zod and the project's own
// modules), each command's part in a chunk beside it loaded when that
// command runs. One file instead of some 200 to resolve, open and compile
// (minified) is about 0.15 s of CPU off every start (the target: a replay's whole process under
// 0.5 s). ink and react stay in node_modules (only the TUI loads them).
// The rest of dist/ stays as tsc wrote it, for the benches and tools that
// import dist/session/index.js.
//
// esbuild is not a dependency of exoscope: it comes with tsx and vitest
// (devDependencies). Without it the bundle is skipped with a note, and
// dist/cli/main.js stays tsc's (the same CLI, slower to start).

import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
const CHUNK = /^bundle-[\w-]+-[A-Z0-9]{8}\.js(\.map)?$/;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('bundle-cli: esbuild is not installed; dist/cli/main.js stays unbundled');
  process.exit(0);
}
for (const f of readdirSync(out)) if (CHUNK.test(f)) rmSync(join(out, f));
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
  external: ['ink', 'react', 'react-devtools-core', '@alcalzone/ink-table'],
  // yaml is CommonJS: its require() of Node's modules needs a require here.
  banner: { js: "import { createRequire as __exoscopeRequire } from 'node:module'; const require = __exoscopeRequire(import.meta.url);" },
  // Whitespace and syntax minified, names kept (stack traces still name
  // functions; the source maps give lines): about 0.05 s less to compile.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
});
