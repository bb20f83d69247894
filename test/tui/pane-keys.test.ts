// The panes keyed by the parts of the snapshot they read (viewInputs in
// src/tui/views.ts: the frame map, the packet filters, the console) are
// drawn again only when their key changes, so a key that leaves out a part
// the pane reads would show a state that no longer holds. Property: over
// a real run of a bundled scenario, snapshots taken as the debugger takes
// them (shareUnchanged against the one before), whenever a pane's key is
// the same for two snapshots its view is the same too, for every
// environment selected and with the frame map zoomed or not.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioRun, sessionFromScenario, shareUnchanged, takeSnapshot, type DebuggerState, type Snapshot } from '../../src/session/index.js';
import type { Cell } from '../../src/tui/layout.js';
import { initialUi, type UiState } from '../../src/tui/ui-state.js';
import { paneView, viewInputs } from '../../src/tui/views.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KEYED = ['frames', 'dpf', 'console'] as const;

/** Snapshots of `scenario` every `every` cycles, `n` of them, each sharing what did not change with the one before. */
function snapshots(scenario: string, every: number, n: number): Snapshot[] {
  const sc = loadScenario(join(ROOT, 'scenarios', scenario));
  const s = sessionFromScenario(sc, { checkpointEvery: 0 });
  new ScenarioRun(s, sc, { interactive: false, live: true });
  const out: Snapshot[] = [];
  let prev: Snapshot | undefined;
  for (let i = 0; i < n; i++) {
    if (s.run(every).reason === 'end') break;
    prev = shareUnchanged(prev, takeSnapshot(s, { events: 50, invariant: false, counts: false }));
    out.push(prev);
  }
  return out;
}

const state = (snapshot: Snapshot): DebuggerState => ({ snapshot, previous: undefined, running: true, status: { reason: 'running', detail: '' }, breakpoints: [], pace: '' });
const sameKey = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('a pane keyed by the parts it reads', () => {
  it('shows the same view whenever its key is the same, over a real run (living.yaml), for every environment and zoom', () => {
    const snaps = snapshots('living.yaml', 3_000, 150);
    expect(snaps.length).toBe(150);
    // No environment selected, and the first four to exist (server, web, fast, hog: a server, its clients, a memory hog).
    const names = [undefined, ...[...new Set(snaps.flatMap((s) => s.envs.map((e) => e.name)))].slice(0, 4)];
    const uis: UiState[] = [initialUi(), { ...initialUi(), mapZoom: 1, allEnvs: true }];
    let compared = 0, sameKeys = 0, changed = 0;
    for (const pane of KEYED) {
      const cell: Cell = { pane, width: 78, height: 20, frame: 'box' };
      for (const env of names) {
        for (const ui of uis) {
          let lastKey: readonly unknown[] | undefined, lastView: unknown;
          for (const snap of snaps) {
            const ds = state(snap);
            const key = viewInputs(pane, ds, ui, env, cell), view = paneView(ds, ui, env, cell);
            if (lastKey !== undefined) {
              compared++;
              if (sameKey(key, lastKey)) {
                sameKeys++;
                expect(view, `${pane} pane, env ${env ?? '(none)'}, cycle ${snap.cycle}: same key, another view`).toEqual(lastView);
              } else changed++;
            }
            lastKey = key;
            lastView = view;
          }
        }
      }
    }
    // Both cases happen often enough for the property to mean something.
    expect(sameKeys).toBeGreaterThan(compared / 10);
    expect(changed).toBeGreaterThan(compared / 20);
  });
});
