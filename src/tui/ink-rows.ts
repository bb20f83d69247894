// Rows of Ink's output made the way Ink's Output.get makes them (Ink 6.8,
// build/output.js), only cheaper: the same grid of styled characters for
// the rows asked for, and the same string from it.
//
// Ink turns a row into a string with @alcalzone/ansi-tokenize's
// styledCharsToString, which works out the difference of two compound
// styles (diffAnsiCodes: three Sets and two filters) before every
// character, even where the style is the same as the character before's;
// profiled at 120x40 that was more than half of Output.get. Here it is
// worked out only where the style changes. And Ink cuts every new line of
// text into characters with the tokenizer's grapheme segmenter; a line of
// plain characters (one column, one code unit each: ASCII, Latin-1 and the
// box-drawing and arrow blocks the panes draw with) and SGR sequences is
// cut here by hand, each sequence's codes applied as the tokenizer applies
// them; any other line goes to the tokenizer through Ink's cache
// (caches.getStyledChars). The grid is one pair of arrays (characters and
// styles) reused for every row, not an object per character: while the
// machine runs, half the rows change every frame, and their garbage was
// most of what a frame allocated (bench/tui.mjs). test/tui/ink-output.test.ts
// compares the strings with Ink's, frame by frame and on awkward text
// (wide, combining and emoji characters, overlaps, nested and reset styles).

import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode, type StyledChar } from '@alcalzone/ansi-tokenize';

export type { AnsiCode, StyledChar };

/** What composing rows needs of Ink's per-frame caches. */
export interface RowCaches {
  getStyledChars(line: string): StyledChar[];
  getStringWidth(text: string): number;
}

/** A line of a write operation that lands on a row: where it starts and its text after the Text's transformers. */
export interface Piece { readonly x: number; readonly line: string }

/** Whether two reduced styles are the same codes in the same order (then nothing is written between them). */
function sameStyle(a: AnsiCode[], b: AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

/** Each compound style's codes as a string (its start and end codes in order), kept on the style. */
const styleKeys = new WeakMap<AnsiCode[], string>();

function styleKey(st: AnsiCode[]): string {
  let k = styleKeys.get(st);
  if (k === undefined) {
    k = st.map((c) => `${c.code}\u0001${c.endCode}`).join('\u0002');
    styleKeys.set(st, k);
  }
  return k;
}

/**
 * The codes between two styles, by their keys: diffAnsiCodes makes three
 * Sets and several arrays for every change of style, the most garbage a
 * frame's rows made (bench/tui.mjs); the panes draw with a few dozen styles.
 */
const changes = new Map<string, string>();

/** The codes that turn compound style `from` into `to`, as Ink writes them between two characters (a function of their codes alone). */
function styleChange(from: AnsiCode[], to: AnsiCode[]): string {
  const key = `${styleKey(from)}\u0000${styleKey(to)}`;
  let out = changes.get(key);
  if (out === undefined) {
    out = ansiCodesToString(diffAnsiCodes(from, to));
    if (changes.size > 10_000) changes.clear();
    changes.set(key, out);
  }
  return out;
}

/** SGR sequences by their text, as the tokenizer splits them into codes. */
const sgrCodes = new Map<string, AnsiCode[]>();
const SGR = /\x1b\[[0-9;]*m/y;

/** The codes of SGR sequence `seq`, as tokenize() makes them. */
function codesOf(seq: string): AnsiCode[] {
  let codes = sgrCodes.get(seq);
  if (!codes) {
    codes = tokenize(seq).filter((t): t is AnsiCode => t.type === 'ansi');
    if (sgrCodes.size > 10_000) sgrCodes.clear();
    sgrCodes.set(seq, codes);
  }
  return codes;
}

/** Compound styles by the style before and the SGR sequence applied to it: one array for each, shared by every cell in it. */
const appliedStyles = new Map<string, AnsiCode[]>();

/** reduceAnsiCodesIncremental(styles, codesOf(seq)), the same array each time for the same style and sequence (never changed: put() only keeps it). */
function applied(styles: AnsiCode[], seq: string): AnsiCode[] {
  const key = `${styleKey(styles)}\u0000${seq}`;
  let out = appliedStyles.get(key);
  if (out === undefined) {
    out = reduceAnsiCodesIncremental(styles, codesOf(seq));
    if (appliedStyles.size > 10_000) appliedStyles.clear();
    appliedStyles.set(key, out);
  }
  return out;
}

/**
 * Whether code unit `c` is a character of one column, as string-width
 * measures it, that is a grapheme of its own (see the file comment). Not
 * the soft hyphen (U+00AD), which string-width counts as none: a line with
 * one goes to the tokenizer. The panes' Block (panes/common.ts) counts
 * columns with it too.
 */
export function plain(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0x2ff && c !== 0xad) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e)
    || (c >= 0x2190 && c <= 0x21ff) || (c >= 0x2500 && c <= 0x25fc);
}

/** No style: a blank cell's. */
const NONE: AnsiCode[] = [];

/**
 * A row being composed, reused from one row to the next (composing makes
 * no objects per character): each cell's character ('' for the cells a
 * wide character covers after its first, undefined for a hole) and its
 * compound style; `length` cells are in use.
 */
const row = { values: [] as (string | undefined)[], styles: [] as AnsiCode[][], length: 0 };

/** Sets cell `x` of the row, lengthening it (with holes) when `x` is past its end. */
function put(x: number, value: string, styles: AnsiCode[]): void {
  row.values[x] = value;
  row.styles[x] = styles;
  if (x >= row.length) {
    for (let i = row.length; i < x; i++) row.values[i] = undefined;
    row.length = x + 1;
  }
}

/**
 * Writes `line` from column `x` as styledCharsFromTokens(tokenize(line))
 * would cut it, when it has nothing but plain characters and SGR
 * sequences; false (some cells written) when it has anything else, and
 * the tokenizer's cut is written over them: it covers at least those cells.
 */
function putPlain(x: number, line: string): boolean {
  let styles: AnsiCode[] = NONE;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      SGR.lastIndex = i;
      const m = SGR.exec(line);
      if (!m) return false;
      styles = applied(styles, m[0]);
      i += m[0].length - 1;
    } else if (plain(c)) put(x++, line[i], styles);
    else return false;
  }
  return true;
}

/** The pieces of the row's string, reused (its length set back to 0 for each row). */
const parts: string[] = [];

/** The row's cells as a string, as Ink's styledCharsToString followed by trimEnd makes it. Holes are skipped. */
function rowString(): string {
  parts.length = 0;
  let prev: AnsiCode[] | undefined;
  for (let i = 0; i < row.length; i++) {
    const v = row.values[i];
    if (v === undefined) continue;
    const st = row.styles[i];
    if (prev === undefined) parts.push(styleChange(NONE, st));
    else if (!sameStyle(prev, st)) parts.push(styleChange(prev, st));
    parts.push(v);
    prev = st;
  }
  if (prev !== undefined) parts.push(styleChange(prev, NONE));
  return parts.join('').trimEnd();
}

/**
 * Row `width` columns wide with `pieces` written onto it in order, each
 * character in its cell and a wide one blanking the cells it covers, as
 * Output.get lays them (text past the width lengthens the row).
 */
export function composeRow(width: number, pieces: readonly Piece[], caches: RowCaches): string {
  row.values.fill(' ', 0, width);
  row.styles.fill(NONE, 0, width);
  for (let i = row.values.length; i < width; i++) { row.values.push(' '); row.styles.push(NONE); }
  row.length = width;
  for (const p of pieces) {
    if (putPlain(p.x, p.line)) continue;
    let x = p.x;
    for (const c of caches.getStyledChars(p.line)) {
      put(x, c.value, c.styles);
      const w = Math.max(1, caches.getStringWidth(c.value));
      for (let i = 1; i < w; i++) put(x + i, '', c.styles);
      x += w;
    }
  }
  return rowString();
}
