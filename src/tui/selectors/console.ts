// The console pane's view model: the selected environment's console text,
// made printable, wrapped to the pane and windowed from the bottom.

import type { Snapshot } from '../../session/index.js';
import { printable, wrap } from '../format.js';

export interface ConsoleView {
  readonly info: string;
  readonly env: string | undefined;
  readonly lines: readonly string[];
  readonly offset: number;
  readonly max: number;
  readonly chars: number;
}

/** The console of `envName`, `height` lines ending `scroll` lines above the last. */
export function selectConsole(s: Snapshot, envName: string | undefined, scroll: number, width: number, height: number): ConsoleView {
  const env = s.envs.find((e) => e.name === envName);
  const text = env?.console ?? '';
  const all = text ? wrap(printable(text), width) : [];
  if (all.length && all[all.length - 1] === '') all.pop();
  const h = Math.max(0, height);
  const max = Math.max(0, all.length - h);
  const offset = Math.max(0, Math.min(max, scroll));
  const end = all.length - offset;
  const info = env ? `${env.name}: ${text.length} chars${offset ? `, ${offset} lines up` : ''}` : '(no environment)';
  return { info, env: env?.name, lines: all.slice(Math.max(0, end - h), end), offset, max, chars: text.length };
}
