// Ink 6 keeps two caches that never shrink: measure-text.js (every text it
// has measured) and wrap-text.js (every text wrapped at every width). A
// monitor left running draws new strings every frame (cycle counters, log
// lines), so they grow for as long as the TUI is open. In the bundled CLI
// (bundle-cli.mjs) both modules are loaded through boundInkCaches, which
// clears a cache once it holds CACHE_LIMIT entries: a miss costs one
// measurement or wrap, what the first frame after the clear pays. It throws
// when the code it rewrites is not there (another Ink version), so the build
// fails rather than ship the leak silently.

/** Entries a cache may hold before it is emptied. */
export const CACHE_LIMIT = 8192;

const REWRITES = {
  'measure-text.js': [
    ['cache.set(text, dimensions);', `if (cache.size >= ${CACHE_LIMIT}) cache.clear();\n    cache.set(text, dimensions);`],
  ],
  'wrap-text.js': [
    ['const cache = {};', 'let cache = {};\nlet cached = 0;'],
    ['cache[cacheKey] = wrappedText;', `if (++cached > ${CACHE_LIMIT}) { cache = {}; cached = 1; }\n    cache[cacheKey] = wrappedText;`],
  ],
};

/** Ink's build files this rewrites, by base name. */
export const INK_CACHE_FILES = Object.keys(REWRITES);

/** `source` of Ink's build/`name` with its cache bounded; throws Error when a rewritten line is not found exactly once. */
export function boundInkCaches(name, source) {
  const rewrites = REWRITES[name];
  if (!rewrites) throw new Error(`ink-caches: no rewrite for ${name}`);
  let out = source;
  for (const [from, to] of rewrites) {
    const n = out.split(from).length - 1;
    if (n !== 1) throw new Error(`ink-caches: expected "${from}" once in Ink's ${name}, found it ${n} times (another Ink version?)`);
    out = out.replace(from, to);
  }
  return out;
}
