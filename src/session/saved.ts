// A saved session: a scenario and a point in its run, with what the user
// did on the way (interventions, breakpoints), as a small versioned JSON
// file. Reopening it re-runs the scenario deterministically to the point
// (docs/architecture.md, "Time travel"), which gives the same machine as
// the one saved.

import { readFileSync, writeFileSync } from 'node:fs';
import type { ResolvedBreakpoint } from '../scenario/index.js';
import type { PlacedIntervention } from './interventions.js';

/** The format's name and the version this code writes and reads. */
export const SAVED_FORMAT = 'exoscope-session';
export const SAVED_VERSION = 1;

/** What a saved session holds. */
export interface SavedSession {
  readonly format: typeof SAVED_FORMAT;
  readonly version: number;
  /** The scenario file, as an absolute path. */
  readonly scenario: string;
  /** The point: a cycle of the run. */
  readonly cycle: number;
  readonly interventions: readonly PlacedIntervention[];
  readonly breakpoints: readonly ResolvedBreakpoint[];
}

/** A saved-session file that cannot be read; the message names the file and says why. */
export class SavedSessionError extends Error {}

/** Writes `s` to `file`; throws SavedSessionError when it cannot. */
export function writeSaved(file: string, s: Omit<SavedSession, 'format' | 'version'>): void {
  try {
    writeFileSync(file, JSON.stringify({ format: SAVED_FORMAT, version: SAVED_VERSION, ...s }, null, 1) + '\n');
  } catch (e) {
    throw new SavedSessionError(`Cannot save the session to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Reads a saved session; throws SavedSessionError naming the file (and the version, when it is not this one). */
export function readSaved(file: string): SavedSession {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? 'it is not JSON' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message);
    throw new SavedSessionError(`Cannot load ${file}: ${why}`);
  }
  const d = data as Partial<SavedSession> | null;
  if (!d || typeof d !== 'object' || d.format !== SAVED_FORMAT) throw new SavedSessionError(`Cannot load ${file}: it is not an exoscope saved session (no "format": "${SAVED_FORMAT}")`);
  if (d.version !== SAVED_VERSION) {
    throw new SavedSessionError(`Cannot load ${file}: it was saved in format version ${JSON.stringify(d.version)}, and this exoscope reads version ${SAVED_VERSION} only`);
  }
  if (typeof d.scenario !== 'string' || typeof d.cycle !== 'number' || !Number.isSafeInteger(d.cycle) || d.cycle < 0 || !Array.isArray(d.interventions) || !Array.isArray(d.breakpoints)) {
    throw new SavedSessionError(`Cannot load ${file}: version ${SAVED_VERSION} needs "scenario" (a path), "cycle" (a cycle count), "interventions" and "breakpoints" (lists)`);
  }
  return d as SavedSession;
}
