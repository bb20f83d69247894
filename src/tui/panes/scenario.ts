// The scenario pane: the description, how long it runs, and every
// expectation with its verdict so far, colored by verdict (and marked
// with ✓ … ✗, so that NO_COLOR loses nothing).

import { createElement as h, memo, type ReactNode } from 'react';
import type { ScenarioLineKind, ScenarioPaneView } from '../selectors/scenario.js';
import type { Role } from '../theme.js';
import { Block } from './common.js';

const ROLE: Readonly<Record<ScenarioLineKind, Role>> = { text: 'normal', heading: 'heading', dim: 'dim', holds: 'ok', pending: 'warn', failed: 'error' };

function ScenarioPaneImpl({ view, width, height }: { view: ScenarioPaneView; width: number; height: number }): ReactNode {
  return h(Block, { lines: view.lines.map((l) => [l.text, ROLE[l.kind]] as const), width, height });
}

/** ScenarioPane, redrawn only when its view model (or size) changes. */
export const ScenarioPane = memo(ScenarioPaneImpl);
