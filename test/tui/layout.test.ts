import { describe, expect, it } from 'vitest';
import { cellsOf, innerSize, layoutFor, PANES, type Layout } from '../../src/tui/layout.js';

const drawn = (l: Layout) => {
  if (l.kind === 'small') throw new Error('too small');
  return l;
};
const panes = (l: Layout) => cellsOf(l).map((c) => c.pane);

/** Every layout fills rows - 1 lines with its chrome, and every row fills every column. */
function fills(l: Layout, cols: number, rows: number): void {
  const d = drawn(l);
  expect(d.height).toBe(rows - 1);
  expect(d.rows.reduce((n, r) => n + r.height, 0)).toBe(d.bodyHeight);
  for (const r of d.rows) {
    expect(r.cells.reduce((n, c) => n + c.width, 0)).toBe(cols);
    for (const c of r.cells) expect(c.height).toBe(r.height);
  }
}

describe('layoutFor', () => {
  it('refuses a terminal smaller than 80x24', () => {
    expect(layoutFor(79, 40, 'cpu').kind).toBe('small');
    expect(layoutFor(120, 23, 'cpu').kind).toBe('small');
  });

  it('at 80x24 shows the focused pane, the event log strip and the environments under a tab bar', () => {
    const l = drawn(layoutFor(80, 24, 'cpu'));
    expect(l.kind).toBe('compact');
    fills(l, 80, 24);
    expect(l.bodyHeight).toBe(20);
    expect(panes(l)).toEqual(['cpu', 'log', 'envs']);
    expect(innerSize(l.rows[0].cells[0]).height).toBeGreaterThanOrEqual(11);
    expect(innerSize(l.rows[1].cells[0]).height).toBeGreaterThanOrEqual(5);
    expect(panes(layoutFor(80, 24, 'tlb'))).toEqual(['tlb', 'log', 'envs']);
    expect(panes(layoutFor(80, 24, 'envs'))).toEqual(['envs', 'log', 'slices']);
    expect(panes(layoutFor(80, 24, 'log'))).toEqual(['cpu', 'log', 'envs']);
  });

  it('at 120x40 shows CPU, TLB against STLB, environments, the log and the slices together', () => {
    const l = drawn(layoutFor(120, 40, 'cpu'));
    expect(l.kind).toBe('medium');
    fills(l, 120, 40);
    expect(panes(l)).toEqual(['cpu', 'tlb', 'envs', 'log', 'slices']);
    // The CPU pane has room for its registers beside the code (13 lines).
    expect(innerSize(l.rows[0].cells[0])).toEqual({ width: 119, height: expect.any(Number) });
    expect(innerSize(l.rows[0].cells[0]).height).toBeGreaterThanOrEqual(13);
    for (const c of cellsOf(l)) expect(innerSize(c).height).toBeGreaterThanOrEqual(6);
    // A pane not on screen, focused, takes the CPU's place.
    expect(panes(layoutFor(120, 40, 'frames'))).toEqual(['frames', 'tlb', 'envs', 'log', 'slices']);
    expect(panes(layoutFor(120, 40, 'envs'))).toEqual(['cpu', 'tlb', 'envs', 'log', 'slices']);
  });

  it('shows every pane, framed, from 160x45, filling exactly rows - 1 lines and every column; the memory pane, focused, in the TLB\'s place', () => {
    for (const [cols, rows] of [[160, 45], [160, 50], [200, 60], [300, 90]]) {
      const l = drawn(layoutFor(cols, rows, 'cpu'));
      expect(l.kind).toBe('wide');
      fills(l, cols, rows);
      expect(panes(l).sort()).toEqual(PANES.filter((p) => p !== 'memory').sort());
      const m = drawn(layoutFor(cols, rows, 'memory'));
      fills(m, cols, rows);
      expect(m.rows[0].cells.map((c) => c.pane)).toEqual(['cpu', 'memory']);
      expect(panes(m).sort()).toEqual(PANES.filter((p) => p !== 'tlb').sort());
      expect(l.bodyHeight + 2).toBe(rows - 1);
      for (const c of cellsOf(l)) expect(innerSize(c).height).toBeGreaterThanOrEqual(8);
    }
  });

  it('puts the focused memory pane across the top at 80x24, and in the TLB\'s place under the CPU at 120x40', () => {
    const small = drawn(layoutFor(80, 24, 'memory'));
    fills(small, 80, 24);
    expect(small.rows[0].cells.map((c) => c.pane)).toEqual(['memory']);
    const medium = drawn(layoutFor(120, 40, 'memory'));
    fills(medium, 120, 40);
    expect(medium.rows.map((r) => r.cells.map((c) => c.pane))).toEqual([['cpu'], ['memory', 'envs'], ['log', 'slices']]);
    expect(innerSize(medium.rows[1].cells[0]).width).toBeGreaterThanOrEqual(10 + 3 * 13);
  });

  it('gives the CPU what its registers and code use and the rest to the TLB, and the environments their whole table', () => {
    for (const [cols, rows] of [[160, 45], [200, 60]]) {
      const l = drawn(layoutFor(cols, rows, 'cpu'));
      const [cpu, tlb] = l.rows[0].cells;
      expect(innerSize(cpu).width).toBeGreaterThanOrEqual(61 + 42);
      expect(innerSize(cpu).width).toBeLessThanOrEqual(61 + 64);
      expect(innerSize(tlb).width).toBeGreaterThanOrEqual(52);
      expect(l.rows[1].cells.map((c) => c.pane)).toEqual(['envs', 'frames', 'slices']);
      expect(innerSize(l.rows[1].cells[0]).width).toBeGreaterThanOrEqual(62);
      expect(innerSize(l.rows[1].cells[2]).width).toBeGreaterThanOrEqual(50);
      expect(l.rows[2].cells.map((c) => c.pane)).toEqual(['log', 'scenario', 'dpf', 'console']);
      expect(innerSize(l.rows[2].cells[0]).width).toBeGreaterThanOrEqual(62);
      expect(innerSize(l.rows[2].cells[1]).width).toBeGreaterThanOrEqual(34);
      expect(innerSize(l.rows[2].cells[2]).width).toBeGreaterThanOrEqual(28);
      expect(innerSize(l.rows[2].cells[3]).width).toBeGreaterThanOrEqual(28);
    }
  });

  it('zoomed, shows the focused pane alone on the whole body at any size', () => {
    for (const [cols, rows] of [[80, 24], [120, 40], [160, 50]]) {
      const l = drawn(layoutFor(cols, rows, 'frames', true));
      expect(l.kind).toBe('zoom');
      fills(l, cols, rows);
      expect(panes(l)).toEqual(['frames']);
    }
  });
});
