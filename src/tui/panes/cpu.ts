// The CPU pane: general registers, pc/hi/lo and CP0 (changed values
// highlighted), and the disassembly around the pc.

import { Box } from 'ink';
import { createElement as h, memo, type ReactNode } from 'react';
import { clip, fit } from '../format.js';
import { REG_CELL, SPECIAL_CELL, type CodeRow, type CpuView, type RegCell } from '../selectors/cpu.js';
import type { Role } from '../theme.js';
import { Block } from './common.js';

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

/** Columns of "*> 0040002c  " before an instruction's text, and of the text before its symbol. */
const ADDR_COLS = 13;
const TEXT_COLS = 30;

/** A code row as runs: breakpoint and pc marks, address, instruction, and its symbol+offset when there is room. */
function codeLine(r: CodeRow, width: number): Run[] {
  if (r.kind === 'label') return [[fit(`           ${r.text}`, width), 'label']];
  if (r.kind === 'note') return [[fit(r.text, width), 'dim']];
  const role: Role = r.current ? 'current' : r.cursor ? 'cursor' : r.breakpoint ? 'breakpoint' : 'normal';
  const head = `${r.breakpoint ? '*' : ' '}${r.current ? '>' : r.cursor ? '»' : ' '} ${r.addr}  `;
  const room = width - ADDR_COLS - TEXT_COLS - 1;
  // The pc's row is inverse only as far as its text goes: trailing inverse blanks would stay on screen as blanks.
  if (!r.symbol || room < r.symbol.length || r.text.length > TEXT_COLS) return [[clip(head + r.text, width), role]];
  return [[head + r.text.padEnd(TEXT_COLS), role], [' ' + clip(r.symbol, room), r.current ? 'current' : r.cursor ? 'cursor' : 'dim']];
}

/** The CPU pane of `view`, `width` x `height`. */
function CpuPaneImpl({ view, width, height }: { view: CpuView; width: number; height: number }): ReactNode {
  const brief = view.arrangement === 'brief';
  const regs = regLines(view.regs, view.regsPerRow, 4, REG_CELL);
  const special = regLines(view.special, view.specialPerRow, 8, SPECIAL_CELL);
  const code = (w: number) => view.code.map((r) => codeLine(r, w));
  if (view.arrangement === 'side') {
    const leftW = view.regsPerRow * REG_CELL + 1;
    return h(Box, { flexDirection: 'row', height },
      h(Box, { flexDirection: 'column', width: leftW }, h(Block, { lines: [...regs, ...special], width: leftW })),
      h(Box, { flexDirection: 'column', width: width - leftW, height }, h(Block, { lines: code(width - leftW), width: width - leftW })));
  }
  return h(Box, { flexDirection: 'column', height },
    h(Block, { lines: [...(brief ? [...special, ...regs] : [...regs, ...special]), ...code(width)], width }));
}

/** CpuPane, redrawn only when its view model (or size) changes. */
export const CpuPane = memo(CpuPaneImpl);
