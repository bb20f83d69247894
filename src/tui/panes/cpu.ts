// The CPU pane: general registers, pc/hi/lo and CP0 (changed values
// highlighted), and the disassembly around the pc.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import { fit } from '../format.js';
import { REG_CELL, SPECIAL_CELL, type CodeRow, type CpuView, type RegCell } from '../selectors/cpu.js';
import type { Role } from '../theme.js';
import { Line, Lines } from './common.js';

type Run = readonly [string, Role];

/** Register cells as lines of `perRow` cells of `cell` columns each. */
function regLines(cells: readonly RegCell[], perRow: number, nameWidth: number, cell: number): Run[][] {
  const rows: Run[][] = [];
  const gap = ' '.repeat(cell - nameWidth - 9);
  for (let i = 0; i < cells.length; i += perRow) {
    rows.push(cells.slice(i, i + perRow).flatMap((c, j): Run[] => [
      [(j ? gap : '') + c.name.padEnd(nameWidth) + ' ', 'dim'], [c.value, c.changed ? 'changed' : 'normal'],
    ]));
  }
  return rows;
}

function codeLine(r: CodeRow, width: number): Run {
  if (r.kind === 'label') return [fit(`           ${r.text}`, width), 'label'];
  const text = fit(`${r.breakpoint ? '*' : ' '}${r.current ? '>' : ' '} ${r.addr}  ${r.text}`, width);
  return [text, r.current ? 'current' : r.breakpoint ? 'breakpoint' : 'normal'];
}

/** The CPU pane of `view`, `width` x `height`. */
function CpuPaneImpl({ view, width, height }: { view: CpuView; width: number; height: number }): ReactNode {
  const regs = regLines(view.regs, view.regsPerRow, 4, REG_CELL);
  const special = regLines(view.special, view.specialPerRow, 8, SPECIAL_CELL);
  const left = [...regs, ...special].map((runs, i) => h(Line, { key: i, runs }));
  if (view.arrangement === 'side') {
    const leftW = view.regsPerRow * REG_CELL + 1;
    const codeW = width - leftW;
    return h(Box, { flexDirection: 'row', height },
      h(Box, { flexDirection: 'column', width: leftW }, ...left),
      h(Lines, { lines: view.code.map((r) => codeLine(r, codeW)), height }));
  }
  return h(Box, { flexDirection: 'column', height },
    ...left,
    h(Lines, { lines: view.code.map((r) => codeLine(r, width)) }));
}

/** CpuPane, redrawn only when its view model (or size) changes. */
export const CpuPane = memo(CpuPaneImpl);
