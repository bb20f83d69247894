// Rows of Ink's output made the way Ink's Output.get makes them (Ink 6.8,
// build/output.js), only cheaper: the same grid of styled characters for
// the rows asked for, and the same string from it.
//
// Ink turns a row into a string with @alcalzone/ansi-tokenize's
// styledCharsToString, which works out the difference of two compound
// styles (diffAnsiCodes: three Sets and two filters) before every
// character, even where the style is the same as the character before's;
// profiled at 120x40 that was more than half of Output.get. Here the
// difference is worked out only where the style changes, the way
// diffAnsiCodes does it (its inputs are reduced styles, so undoing a style
// is ending its codes in reverse order). Characters come from Ink's own
// tokenizer through its cache (caches.getStyledChars), so the grid is the
// one Ink builds. test/tui/ink-output.test.ts compares the strings with
// Ink's, frame by frame and on awkward text (wide characters, overlaps).

/** One SGR code as ansi-tokenize gives it: what starts the style and what ends it. */
export interface AnsiCode { readonly code: string; readonly endCode: string }
/** One character of a row with the compound style it is drawn in. */
export interface StyledChar { readonly value: string; readonly fullWidth: boolean; readonly styles: readonly AnsiCode[] }

/** What composing rows needs of Ink's per-frame caches. */
export interface RowCaches {
  getStyledChars(line: string): readonly StyledChar[];
  getStringWidth(text: string): number;
}

/** A line of a write operation that lands on a row: where it starts and its text after the Text's transformers. */
export interface Piece { readonly x: number; readonly line: string }

/** Bold and dim end with the same code but may be on together (ansi-tokenize's isIntensityCode). */
const BOLD = '\x1b[1m', DIM = '\x1b[2m';
const isIntensity = (c: AnsiCode) => c.code === BOLD || c.code === DIM;

const BLANK: StyledChar = { value: ' ', fullWidth: false, styles: [] };

/** Whether two reduced styles are the same codes in the same order (then nothing is written between them). */
function sameStyle(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

/**
 * The codes that turn style `from` into `to`, both reduced, as
 * ansiCodesToString(diffAnsiCodes(from, to)) writes them: the end codes
 * of what `to` drops or overrides, last first, then the start codes `to`
 * adds, each code string once.
 */
export function styleChange(from: readonly AnsiCode[], to: readonly AnsiCode[]): string {
  const codes: string[] = [];
  for (let i = from.length - 1; i >= 0; i--) {
    const c = from[i];
    const kept = isIntensity(c) ? to.some((t) => t.code === c.code) : to.some((t) => t.endCode === c.endCode);
    if (!kept) codes.push(c.endCode);
  }
  for (const t of to) if (!from.some((f) => f.code === t.code)) codes.push(t.code);
  return codes.length < 2 ? codes.join('') : [...new Set(codes)].join('');
}

/** A row's cells as a string, as Ink's styledCharsToString followed by trimEnd makes it. Holes are skipped. */
export function rowString(cells: readonly (StyledChar | undefined)[]): string {
  let out = '';
  let prev: readonly AnsiCode[] | undefined;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c === undefined) continue;
    if (prev === undefined) out += styleChange([], c.styles);
    else if (!sameStyle(prev, c.styles)) out += styleChange(prev, c.styles);
    out += c.value;
    prev = c.styles;
  }
  if (prev !== undefined) out += styleChange(prev, []);
  return out.trimEnd();
}

/**
 * Row `width` columns wide with `pieces` written onto it in order, each
 * character in its cell and a wide one blanking the cells it covers, as
 * Output.get lays them (text past the width lengthens the row).
 */
export function composeRow(width: number, pieces: readonly Piece[], caches: RowCaches): string {
  const cells: (StyledChar | undefined)[] = new Array<StyledChar>(width).fill(BLANK);
  for (const p of pieces) {
    let x = p.x;
    for (const c of caches.getStyledChars(p.line)) {
      cells[x] = c;
      const w = Math.max(1, caches.getStringWidth(c.value));
      for (let i = 1; i < w; i++) cells[x + i] = { value: '', fullWidth: false, styles: c.styles };
      x += w;
    }
  }
  return rowString(cells);
}
