// A module loader hook (node:module register) that loads Ink's text
// measuring, wrapping and drawing modules rewritten by ink-caches.mjs (see
// there): registered by the TUI before it imports Ink, when Ink is loaded
// from node_modules rather than from the bundle (src/tui/ink-caches-module.ts).

import { boundInkCaches, inkCacheFile } from './ink-caches.mjs';

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  const name = inkCacheFile(url);
  if (!name || loaded.source == null) return loaded;
  return { ...loaded, source: boundInkCaches(name, Buffer.from(loaded.source).toString('utf8')) };
}
