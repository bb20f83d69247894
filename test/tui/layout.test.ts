import { describe, expect, it } from 'vitest';
import { cellsOf, innerSize, layoutFor } from '../../src/tui/layout.js';

describe('layoutFor', () => {
  it('refuses a terminal smaller than 80x24', () => {
    expect(layoutFor(79, 40, 'cpu').kind).toBe('small');
    expect(layoutFor(120, 23, 'cpu').kind).toBe('small');
  });

  it('shows the focused pane alone at 80x24, in rows - 1 lines', () => {
    const l = layoutFor(80, 24, 'log');
    expect(l.kind).toBe('compact');
    if (l.kind === 'small') return;
    expect(l.height).toBe(23);
    expect(cellsOf(l).map((c) => c.pane)).toEqual(['log']);
    expect(l.bodyHeight).toBe(20);
  });

  it('shows every pane, framed, from 160x45, filling exactly rows - 1 lines and every column', () => {
    for (const [cols, rows] of [[160, 45], [200, 60], [300, 90]]) {
      const l = layoutFor(cols, rows, 'cpu');
      expect(l.kind).toBe('wide');
      if (l.kind === 'small') return;
      expect(cellsOf(l).map((c) => c.pane).sort()).toEqual(['console', 'cpu', 'dpf', 'envs', 'frames', 'log', 'slices', 'tlb']);
      expect(l.rows.reduce((n, r) => n + r.height, 0)).toBe(l.bodyHeight);
      expect(l.bodyHeight + 2).toBe(rows - 1);
      for (const r of l.rows) expect(r.cells.reduce((n, c) => n + c.width, 0)).toBe(cols);
      for (const c of cellsOf(l)) expect(innerSize(c).height).toBeGreaterThanOrEqual(8);
    }
  });

  it('puts the packet filter\'s trie between the event log and the console, wide enough for its atoms', () => {
    for (const [cols, rows] of [[160, 45], [200, 60]]) {
      const l = layoutFor(cols, rows, 'cpu');
      if (l.kind === 'small') throw new Error('too small');
      expect(l.rows[2].cells.map((c) => c.pane)).toEqual(['log', 'dpf', 'console']);
      expect(innerSize(l.rows[2].cells[1]).width).toBeGreaterThanOrEqual(46);
      expect(innerSize(l.rows[2].cells[0]).width).toBeGreaterThanOrEqual(64);
    }
  });

  it('shares the middle row among environments, frames and the slice vector, which gets room for its grid and shares', () => {
    for (const [cols, rows] of [[160, 45], [200, 60]]) {
      const l = layoutFor(cols, rows, 'cpu');
      if (l.kind === 'small') throw new Error('too small');
      expect(l.rows[1].cells.map((c) => c.pane)).toEqual(['envs', 'frames', 'slices']);
      const slices = innerSize(l.rows[1].cells[2]);
      expect(slices.width).toBeGreaterThanOrEqual(50);
      expect(innerSize(l.rows[1].cells[0]).width).toBeGreaterThanOrEqual(50);
    }
  });
});
