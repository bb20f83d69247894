// Ink's Output.get, remembered from one frame to the next.
//
// Ink builds every frame from scratch: each piece of text written is cut
// into one object per character (with its styles), laid on a grid of the
// whole terminal, and the grid turned back into strings. Profiled at
// 120x40 (node --cpu-prof, bench/tui.mjs) that was more than half of a
// frame's cost, while most rows are the same as in the frame before.
//
// A row of Ink's output depends only on the text written onto it, in
// order, each piece with its column and the clip it was cut by (Ink 6.8,
// build/output.js get()). rowKeys() walks the operations exactly as get()
// does and makes that a key per row; a row whose key is the one it had in
// the last frame keeps its string, and the other rows are composed from
// their pieces (ink-rows.ts), or by Ink's own get() where a horizontal clip
// cuts the text. Ink's caches of character widths and styled characters
// are kept across frames too (bounded). The output is the same string Ink
// would make (test/tui/ink-output.test.ts compares them).

interface Clip { readonly x1?: number; readonly x2?: number; readonly y1?: number; readonly y2?: number }
type Operation =
  | { readonly type: 'write'; readonly x: number; readonly y: number; readonly text: string; readonly transformers: readonly unknown[] }
  | { readonly type: 'clip'; readonly clip: Clip }
  | { readonly type: 'unclip' };

import { importInkOutput } from './ink-output-module.js';
import { composeRow, type Piece, type RowCaches } from './ink-rows.js';

interface Caches {
  readonly widths: Map<string, number>;
  readonly blockWidths: Map<string, number>;
  readonly styledChars: Map<string, unknown>;
  getWidestLine(text: string): number;
}

/** The parts of Ink's Output this module uses (Ink 6.8). */
export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  caches: Caches;
  get(): { output: string; height: number };
}

/** Entries past which the kept caches start again. */
const CACHE_LIMIT = 50_000;

/**
 * What each row of `o`'s output is made of: its key (what is written onto
 * it, in order, where, clipped how, as its transformers style it), the
 * pieces to compose it from (ink-rows.ts), whether a write onto it is cut
 * by a horizontal clip (then Ink's own get makes it: it cuts with
 * slice-ansi), and for each write operation the rows it touches. Mirrors
 * the clipping of Ink's Output.get.
 */
export function rowKeys(o: InkOutput): RowPlan {
  const plan: RowPlan = {
    keys: Array.from({ length: o.height }, () => `${o.width}`),
    pieces: Array.from({ length: o.height }, () => []),
    cut: new Set(),
    touches: new Map(),
  };
  const clips: Clip[] = [];
  for (const op of o.operations) {
    if (op.type === 'clip') clips.push(op.clip);
    else if (op.type === 'unclip') clips.pop();
    else writeKeys(o, op, clips.at(-1), plan);
  }
  return plan;
}

/** The rows of a frame as rowKeys sees them. */
export interface RowPlan {
  readonly keys: string[];
  readonly pieces: Piece[][];
  /** Rows a horizontally clipped write lands on. */
  readonly cut: Set<number>;
  readonly touches: Map<Operation, number[]>;
}

function writeKeys(o: InkOutput, op: Extract<Operation, { type: 'write' }>, clip: Clip | undefined, plan: RowPlan): void {
  let { x, y } = op;
  let lines = op.text.split('\n');
  let cut = '';
  if (clip) {
    const h = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
    const v = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
    if (h && (x + o.caches.getWidestLine(op.text) < clip.x1! || x > clip.x2!)) return;
    if (v && (y + lines.length < clip.y1! || y > clip.y2!)) return;
    if (h) { cut = `${clip.x1},${clip.x2}`; if (x < clip.x1!) x = clip.x1!; }
    if (v) {
      const from = y < clip.y1! ? clip.y1! - y : 0;
      const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
      lines = lines.slice(from, to);
      if (y < clip.y1!) y = clip.y1!;
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const row = y + i;
    // Ink stops at the first line that falls outside the output (its row index stays there).
    if (row < 0 || row >= plan.keys.length) break;
    rows.push(row);
    // A Text's styles are a transformer (a new function each render): the key holds what it makes of the line.
    let shown = lines[i];
    for (const t of op.transformers) shown = (t as (s: string, i: number) => string)(shown, i);
    plan.keys[row] = `${plan.keys[row]}\u0000${op.x}:${cut}:${shown}`;
    plan.pieces[row].push({ x, line: shown });
    if (cut) plan.cut.add(row);
  }
  plan.touches.set(op, rows);
}

/** What the installed get() keeps between frames. */
interface Kept { rows: (string | undefined)[]; keys: string[]; caches: Caches | undefined }

/**
 * Replaces Output.prototype.get (Ink's build/output.js) by one that keeps
 * unchanged rows from the last frame and composes the others itself
 * (ink-rows.ts); returns what puts Ink's back.
 */
export function installRowCache(Output: { prototype: InkOutput }): () => void {
  const original = Output.prototype.get;
  const kept: Kept = { rows: [], keys: [], caches: undefined };
  Output.prototype.get = function get(this: InkOutput) {
    keepCaches(this, kept);
    const plan = rowKeys(this);
    const miss = plan.keys.map((k, y) => kept.keys[y] !== k || kept.rows[y] === undefined);
    const byInk = inkRows(this, original, plan, miss);
    const caches = this.caches as unknown as RowCaches;
    const rows = plan.keys.map((_, y) => (!miss[y] ? kept.rows[y]! : byInk?.[y] ?? composeRow(this.width, plan.pieces[y], caches)));
    kept.rows = rows;
    kept.keys = plan.keys;
    return { output: rows.join('\n'), height: rows.length };
  };
  return () => { Output.prototype.get = original; };
}

/** The missed rows that a clipped write cuts, made by Ink's own get (from the operations that touch them); undefined when there are none. */
function inkRows(o: InkOutput, original: InkOutput['get'], plan: RowPlan, miss: boolean[]): string[] | undefined {
  if (![...plan.cut].some((y) => miss[y])) return undefined;
  const all = o.operations;
  o.operations = all.filter((op) => op.type !== 'write' || (plan.touches.get(op) ?? []).some((r) => miss[r] && plan.cut.has(r)));
  try {
    const rows = original.call(o).output.split('\n');
    return rows.map((r, y) => (plan.cut.has(y) ? r : undefined)) as string[];
  } finally { o.operations = all; }
}

/** Gives `o` the caches of the frames before (bounded), so widths and styled characters are worked out once. */
function keepCaches(o: InkOutput, kept: Kept): void {
  const c = kept.caches;
  if (c && c.styledChars.size + c.widths.size + c.blockWidths.size > CACHE_LIMIT) {
    c.styledChars.clear();
    c.widths.clear();
    c.blockWidths.clear();
  }
  if (c) o.caches = c; else kept.caches = o.caches;
}

let installed: Promise<void> | undefined;

/**
 * Installs the row cache into the Ink this process loads (once). Where
 * that cannot be done (another loader, another Ink) Ink draws as it always
 * does, only slower.
 */
export function speedUpInk(): Promise<void> {
  installed ??= (async () => {
    try {
      const mod = (await importInkOutput()) as { default?: { prototype: InkOutput } };
      if (typeof mod.default?.prototype.get === 'function') installRowCache(mod.default);
    } catch {
      // Ink as it is.
    }
  })();
  return installed;
}
