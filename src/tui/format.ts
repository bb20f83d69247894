// Text helpers for panes: fixed-width hex, padding and truncation that
// never lets Ink wrap a line, and wrapping for the console.

/** `v` as `digits` lowercase hex digits (unsigned). */
export function hex(v: number, digits = 8): string {
  return (v >>> 0).toString(16).padStart(digits, '0');
}

/** `n` with thousands separators. */
export function num(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `s` cut to `width` columns, ending in "…" when cut: after the last whole
 * word that fits, unless that would waste more than half the width.
 */
export function clip(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width) return s;
  if (width === 1) return '…';
  const space = s.lastIndexOf(' ', width - 1);
  const at = space >= Math.ceil(width / 2) ? space : width - 1;
  return s.slice(0, at).trimEnd() + '…';
}

/** `s` cut or padded with spaces to exactly `width` columns. */
export function fit(s: string, width: number): string {
  return clip(s, width).padEnd(Math.max(0, width));
}

/** `s` padded on the left to `width` columns (cut when longer). */
export function right(s: string, width: number): string {
  return s.length >= width ? clip(s, width) : s.padStart(width);
}

/**
 * The words of `items` joined by `sep`, as many as fit in `width` columns
 * whole; the rest are dropped, never cut.
 */
export function fitWords(items: readonly string[], width: number, sep = '  '): string {
  let out = '';
  for (const it of items) {
    const next = out ? out + sep + it : it;
    if (next.length > width) break;
    out = next;
  }
  return out;
}

/** Console text made printable: control characters other than newline as "·". */
export function printable(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, '·');
}

/**
 * `text` split into lines of at most `width` columns: at spaces where a
 * line has one, else hard at the width.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(1, width);
  for (const raw of text.split('\n')) {
    let line = raw;
    while (line.length > w) {
      const cut = line.lastIndexOf(' ', w);
      const at = cut > 0 ? cut : w;
      out.push(line.slice(0, at));
      line = line.slice(cut > 0 ? at + 1 : at);
    }
    out.push(line);
  }
  return out;
}

/** Sorted integers as compact ranges: [0,1,2,7] gives "0-2 7". */
export function ranges(ns: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    parts.push(j > i ? `${ns[i]}-${ns[j]}` : `${ns[i]}`);
    i = j;
  }
  return parts.join(' ');
}

/** The `height` items of `items` starting at `offset`, with the offset clamped into range. */
export function windowOf<T>(items: readonly T[], offset: number, height: number): { items: T[]; offset: number; max: number } {
  const max = Math.max(0, items.length - height);
  const o = Math.max(0, Math.min(max, offset));
  return { items: items.slice(o, o + height), offset: o, max };
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of at most `width` columns for `fraction` (clamped to 0..1), in eighths of a column. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  const e = Math.round(f * Math.max(0, width) * 8);
  return '█'.repeat(Math.floor(e / 8)) + EIGHTHS[e % 8];
}

/** `part` of `whole` as a percentage with one decimal ("24.0%"); "0.0%" when whole is 0. */
export function percent(part: number, whole: number): string {
  return `${(whole > 0 ? (100 * part) / whole : 0).toFixed(1)}%`;
}
