// How each kind of text looks. With NO_COLOR set (https://no-color.org) no
// color prop is ever given; highlights fall back to bold, underline and
// inverse, which are not colors.

import { createContext, useContext } from 'react';
import type { OwnerRole } from './palette.js';

/** What a piece of text is, as far as its look goes. */
export type Role =
  | 'normal' | 'dim' | 'title' | 'focusTitle' | 'tab' | 'focusTab' | 'heading' | 'key'
  | 'changed' | 'current' | 'breakpoint' | 'label' | 'selected' | 'cursor'
  | 'written' | 'both' | 'mine' | 'error' | 'warn' | 'ok' | 'running'
  | 'free' | 'kernel' | 'env'
  | OwnerRole;

export { OWNER_ROLES, ownerRole, ownerSymbol, type OwnerRole } from './palette.js';

/** Props for Ink's Text. */
export interface TextStyle {
  readonly color?: string;
  readonly bold?: boolean;
  readonly dimColor?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

export interface Theme {
  readonly color: boolean;
  readonly text: Readonly<Record<Role, TextStyle>>;
  /** Border color of a pane, focused or not (undefined without color). */
  readonly border: (focused: boolean) => string | undefined;
}

const PLAIN: Record<Role, TextStyle> = {
  normal: {}, dim: { dimColor: true }, title: { bold: true }, focusTitle: { bold: true, inverse: true }, tab: { bold: true, underline: true }, focusTab: { bold: true, inverse: true }, heading: { bold: true, underline: true }, key: { bold: true },
  changed: { bold: true, underline: true }, current: { inverse: true }, breakpoint: { bold: true }, label: { bold: true }, selected: { inverse: true }, cursor: { inverse: true },
  written: { bold: true }, both: { underline: true }, mine: { bold: true }, error: { bold: true }, warn: {}, ok: {}, running: { bold: true },
  free: { dimColor: true }, kernel: { bold: true }, env: {},
  // Without color an owner is told by its letter alone.
  owner1: {}, owner2: {}, owner3: {}, owner4: {}, owner5: {}, owner6: {},
};

const COLORED: Record<Role, TextStyle> = {
  ...PLAIN,
  focusTitle: { bold: true, color: 'cyan' }, focusTab: { bold: true, inverse: true, color: 'cyan' }, key: { bold: true, color: 'cyan' },
  changed: { bold: true, color: 'yellow' }, breakpoint: { bold: true, color: 'red' }, label: { color: 'cyan' },
  written: { bold: true, color: 'yellow' }, both: { color: 'green' }, mine: { bold: true },
  error: { bold: true, color: 'red' }, warn: { color: 'yellow' }, ok: { color: 'green' }, running: { bold: true, color: 'green' },
  kernel: { color: 'magenta' }, env: { color: 'blue' },
  owner1: { color: 'cyan' }, owner2: { color: 'green' }, owner3: { color: 'yellow' },
  owner4: { color: 'magenta' }, owner5: { color: 'blue' }, owner6: { color: 'red' },
};

/** A theme with or without colors. */
export function makeTheme(color: boolean): Theme {
  return { color, text: color ? COLORED : PLAIN, border: (f) => (color ? (f ? 'cyan' : 'gray') : undefined) };
}

/** Whether colors are wanted: not when NO_COLOR is set to anything but the empty string. */
export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}

export const ThemeContext = createContext<Theme>(makeTheme(true));

/** The theme in effect. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
