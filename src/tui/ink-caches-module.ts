// Ink's text caches bounded where Ink is loaded from node_modules (the CLI
// run from source with tsx, or tsc's dist unbundled): a module loader hook
// (scripts/ink-caches-hook.mjs) rewrites Ink's measure-text, wrap-text and
// render-node-to-output modules as Node loads them, as the bundle does when
// it is built (scripts/ink-caches.mjs says what and why). The bundled CLI
// (scripts/bundle-cli.mjs) carries Ink rewritten already and puts a
// function that does nothing in this module's place.

import { register } from 'node:module';

let registered = false;

/**
 * Registers the hook, once, before Ink is first imported (a module loaded
 * already stays as it is). Throws when Node cannot register hooks: the
 * TUI would otherwise leak memory for as long as it runs.
 */
export function boundInkCachesOnLoad(): void {
  if (registered) return;
  register(new URL('../../scripts/ink-caches-hook.mjs', import.meta.url));
  registered = true;
}
