// The scenario language (docs/scenarios.md, docs/architecture.md): the
// types of a parsed scenario (types.ts), its schema with field-by-field
// errors (schema.ts with settings.ts, timeline.ts and expectations.ts;
// zod.ts, events.ts, machines.ts, and mono.ts for the monolithic kernel's
// scenarios), breakpoint definitions (breakpoints.ts),
// and loading a file with line numbers (load.ts, files.ts). The session
// (src/session) runs what this layer parses.

export * from './types.js';
export * from './zod.js';
export * from './events.js';
export * from './machines.js';
export * from './schema.js';
export { MIN_EVERY, RAM_MAX_MIB, RAM_MIN_MIB, SCENARIO_DEFAULTS } from './settings.js';
export * from './mono.js';
export * from './breakpoints.js';
export * from './files.js';
export * from './load.js';
