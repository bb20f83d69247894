// printf formatting as the DECstation PROM's printf and sprintf do it
// (prom.ts): C's conversions, flags, width and precision over 32-bit
// argument words, from a format in bytes to bytes. Where the arguments and
// strings come from is the caller's (PrintfArgs); a bad format is a trace
// event, never a throw.

/** printf widths and precisions above this are clamped. */
export const PRINTF_FIELD_MAX = 4096;

/** Where formatPrintf gets its arguments. */
export interface PrintfArgs {
  /** The next variadic argument word. */
  next(): number;
  /** The NUL-terminated string at `vaddr`, at most `max` bytes (Infinity for %s without a precision: the reader's own limit), or null when unreadable. */
  string(vaddr: number, max: number): number[] | null;
  /** Receives a problem with the format or its arguments, as a trace event. */
  report(kind: string, fields: Record<string, unknown>): void;
}

/** One parsed conversion: flags, width, precision. */
interface Spec { left: boolean; zero: boolean; plus: boolean; space: boolean; alt: boolean; width: number; prec: number | undefined }

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * Formats `fmt` (bytes) like C printf with %d %i %u %x %X %o %c %s %p %%,
 * flags - 0 + space #, width and precision (digits or *); length modifiers
 * h l ll q j z t are accepted and ignored (every argument is one 32-bit
 * word). %s of address 0 prints "(null)", of an unreadable address "(bad)";
 * an unknown conversion is copied out as written. Never throws.
 */
export function formatPrintf(fmt: readonly number[], args: PrintfArgs): number[] {
  const out: number[] = [];
  const cur = { fmt, i: 0 };
  while (cur.i < fmt.length) {
    if (fmt[cur.i] !== 0x25) { out.push(fmt[cur.i++]); continue; }
    const start = cur.i++;
    const parsed = parseSpec(cur, args);
    const conv = String.fromCharCode(fmt[cur.i++] ?? 0);
    const text = cur.i > fmt.length ? null : convert(conv, parsed, args);
    if (text !== null) { for (const b of text) out.push(b); continue; }
    const spec = fmt.slice(start, cur.i);
    args.report('prom-printf-bad-format', { conversion: String.fromCharCode(...spec.slice(0, 32)) });
    for (const b of spec) out.push(b);
  }
  return out;
}

/** Parses flags, width, precision and length after a '%'; leaves `cur` at the conversion. */
function parseSpec(cur: { fmt: readonly number[]; i: number }, args: PrintfArgs): Spec {
  const spec: Spec = { left: false, zero: false, plus: false, space: false, alt: false, width: 0, prec: undefined };
  const at = () => String.fromCharCode(cur.fmt[cur.i] ?? 0);
  for (let c = at(); '-0+ #'.includes(c) && cur.i < cur.fmt.length; cur.i++, c = at()) {
    if (c === '-') spec.left = true;
    else if (c === '0') spec.zero = true;
    else if (c === '+') spec.plus = true;
    else if (c === ' ') spec.space = true;
    else spec.alt = true;
  }
  const width = readCount(cur, args);
  spec.left ||= width < 0;
  spec.width = Math.min(Math.abs(width), PRINTF_FIELD_MAX);
  if (at() === '.') {
    cur.i++;
    const p = readCount(cur, args);
    spec.prec = p < 0 ? undefined : Math.min(p, PRINTF_FIELD_MAX);
  }
  while (cur.i < cur.fmt.length && 'hlqjzt'.includes(at())) cur.i++;
  return spec;
}

/** A width or precision: decimal digits, or * taking a signed argument. */
function readCount(cur: { fmt: readonly number[]; i: number }, args: PrintfArgs): number {
  if (cur.fmt[cur.i] === 0x2a) { cur.i++; return args.next() | 0; }
  let n = 0;
  for (; cur.fmt[cur.i] >= 0x30 && cur.fmt[cur.i] <= 0x39; cur.i++) n = Math.min(n * 10 + cur.fmt[cur.i] - 0x30, PRINTF_FIELD_MAX);
  return n;
}

/** The bytes of one conversion, or null when `conv` is unknown. */
function convert(conv: string, spec: Spec, args: PrintfArgs): number[] | null {
  switch (conv) {
    case '%': return [0x25];
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': return formatInt(args.next() >>> 0, conv, spec);
    case 'p': return formatInt(args.next() >>> 0, 'x', { ...spec, alt: false, prec: 8 }, '0x');
    case 'c': return pad([args.next() & 0xff], spec);
    case 's': return pad(formatString(args.next() >>> 0, spec, args), spec);
    default: return null;
  }
}

/** The bytes %s prints for the string at `va`. */
function formatString(va: number, spec: Spec, args: PrintfArgs): number[] {
  if (va === 0) return ascii('(null)').slice(0, spec.prec);
  return args.string(va, spec.prec ?? Infinity) ?? ascii('(bad)');
}

/** An integer conversion with C's rules for sign, precision, '#' and '0'. */
function formatInt(word: number, conv: string, spec: Spec, forcedPrefix = ''): number[] {
  const signed = conv === 'd' || conv === 'i';
  const value = signed ? word | 0 : word;
  const mag = Math.abs(value);
  const base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
  let digits = spec.prec === 0 && mag === 0 ? '' : mag.toString(base);
  if (conv === 'X') digits = digits.toUpperCase();
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, '0');
  let prefix = forcedPrefix;
  if (signed) prefix = value < 0 ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  else if (spec.alt && base === 8 && !digits.startsWith('0')) digits = '0' + digits;
  else if (spec.alt && base === 16 && mag !== 0) prefix = conv === 'X' ? '0X' : '0x';
  if (spec.zero && !spec.left && spec.prec === undefined) digits = digits.padStart(spec.width - prefix.length, '0');
  return pad(ascii(prefix + digits), spec);
}

/** Pads to the field width with spaces, on the right for '-'. */
function pad(bytes: number[], spec: Spec): number[] {
  const fill = new Array<number>(Math.max(0, spec.width - bytes.length)).fill(0x20);
  return spec.left ? [...bytes, ...fill] : [...fill, ...bytes];
}
