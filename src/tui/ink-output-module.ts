// Where Ink's Output class comes from (ink-output.ts patches its get()).
// Ink exports only its entry point, so its build/output.js is found beside
// that. The bundled CLI (scripts/bundle-cli.mjs) carries Ink inside the
// bundle and puts a static import of that same file in this module's
// place, so that the class patched is the one the bundle draws with.

/** Ink's build/output.js module (its default export is the Output class). */
export function importInkOutput(): Promise<unknown> {
  return import(new URL('./output.js', import.meta.resolve('ink')).href);
}
