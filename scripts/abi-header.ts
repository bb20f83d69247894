// abi-header.ts: writes the C header the library OS includes
// (src/exos/include/aegis.h) from the ABI's single definition,
// src/exokernel/abi.ts, and the few hardware constants the ABI refers to
// (exception codes, EntryLo and Cause fields) from src/emu.
//
// Values come from the imported modules; the doc comments come from
// abi.ts's source text, parsed with the TypeScript compiler, so every
// #define carries the comment its constant has in abi.ts. Kept outside
// src/exokernel: it is tooling, not part of the kernel. Used by
// scripts/gen-abi-header.mjs and test/exokernel/abi-header.test.ts.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as abi from '../src/exokernel/abi.js';
import { Cause, EXC_NAMES, Tlb } from '../src/emu/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ABI_SOURCE = 'src/exokernel/abi.ts';
export const HEADER_PATH = 'src/exos/include/aegis.h';

/** C name prefixes that differ from the export name in UPPER_SNAKE_CASE. */
const PREFIX: Readonly<Record<string, string>> = { Err: 'E_' };

/** Objects whose values C sees scaled (the save area is word offsets in TS, bytes in C). */
const SCALE: Readonly<Record<string, { factor: number; note: string }>> = {
  Save: { factor: 4, note: 'In C these are byte offsets: SAVE_x = 4 x Save.x.' },
};

/** One documented constant or group of constants found in abi.ts. */
interface Decl {
  name: string;
  doc: string;
  /** Property name -> doc comment and whether the literal was written in hex. */
  members: Map<string, { doc: string; hex: boolean }>;
  hex: boolean;
}

/** The text of the JSDoc comment right before `node`, without its stars; '' when none. */
function jsdoc(text: string, node: ts.Node): string {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!last) return '';
  return text.slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .trim();
}

/** Whether an initializer is written as a hex literal (perhaps negated). */
function isHex(node: ts.Node | undefined): boolean {
  if (!node) return false;
  if (ts.isPrefixUnaryExpression(node)) return isHex(node.operand);
  return ts.isNumericLiteral(node) && /^0x/i.test(node.getText());
}

/** Strips `as const` and parentheses. */
function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** The exported declarations of abi.ts with their comments, in source order. */
function parseDecls(text: string): Decl[] {
  const sf = ts.createSourceFile(ABI_SOURCE, text, ts.ScriptTarget.ES2022, true);
  const decls: Decl[] = [];
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) &&
      (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const members = new Map<string, { doc: string; hex: boolean }>();
        const init = d.initializer && unwrap(d.initializer);
        if (init && ts.isObjectLiteralExpression(init)) {
          for (const p of init.properties) {
            if (ts.isPropertyAssignment(p)) {
              members.set(p.name.getText(), { doc: jsdoc(text, p), hex: isHex(p.initializer) });
            }
          }
        }
        decls.push({ name: d.name.getText(), doc: jsdoc(text, st), members, hex: isHex(init) });
      }
    } else if (ts.isEnumDeclaration(st)) {
      const members = new Map<string, { doc: string; hex: boolean }>();
      for (const m of st.members) members.set(m.name.getText(), { doc: jsdoc(text, m), hex: isHex(m.initializer) });
      decls.push({ name: st.name.getText(), doc: jsdoc(text, st), members, hex: false });
    }
  }
  return decls;
}

/** The `//` comment block that opens abi.ts. */
function fileComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return lines.join('\n').trim();
}

/** "FrameEntry" -> "FRAME_ENTRY", "SYS_COUNT" -> "SYS_COUNT". */
function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** A C literal usable from C and from the assembler (no suffixes). */
function literal(v: number, hex: boolean): string {
  if (v < 0) return `(${v})`;
  return hex ? `0x${v.toString(16).padStart(8, '0')}` : String(v);
}

/** Word-wraps one line to `width` columns, keeping its leading spaces. */
function wrap(line: string, width: number): string[] {
  const lead = /^ */.exec(line)?.[0] ?? '';
  const out: string[] = [];
  let cur = '';
  for (const word of line.trim().split(/ +/)) {
    if (cur && lead.length + cur.length + 1 + word.length > width) {
      out.push(lead + cur);
      cur = word;
    } else {
      cur = cur ? `${cur} ${word}` : word;
    }
  }
  out.push(lead + cur);
  return out;
}

/** A C comment holding `doc`, one line when it fits, else a wrapped block. */
function comment(doc: string, indent = ''): string[] {
  const safe = doc.replaceAll('*/', '* /');
  const lines = safe.split('\n').flatMap((l) => (l.length > 76 ? wrap(l, 76) : [l]));
  if (lines.length === 1 && safe.length + indent.length <= 74) return [`${indent}/* ${safe} */`];
  return [`${indent}/*`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

function define(name: string, value: string): string {
  const pad = name.length < 24 ? ' '.repeat(24 - name.length) : ' ';
  return `#define ${name}${pad}${value}`;
}

/** The #define lines of one export of abi.ts; [] for anything that is not numbers. */
function section(decl: Decl, value: unknown): string[] {
  if (typeof value === 'number') {
    return ['', ...(decl.doc ? comment(decl.doc) : []), define(decl.name, literal(value, decl.hex))];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  if (!Object.values(value).some((v) => typeof v === 'number')) return [];
  const prefix = PREFIX[decl.name] ?? `${upperSnake(decl.name)}_`;
  const scale = SCALE[decl.name];
  const docs = [decl.doc, scale?.note].filter(Boolean).join('\n');
  const out = ['', ...(docs ? comment(docs) : [])];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'number' || /^\d+$/.test(key)) continue; // enum reverse mappings
    const m = decl.members.get(key);
    if (m?.doc) out.push(...comment(m.doc));
    out.push(define(`${prefix}${key}`, literal(v * (scale?.factor ?? 1), m?.hex ?? false)));
  }
  return out;
}

/** The C name of a system call: the name its doc comment opens with ("frame_alloc(..."). */
function callName(key: string, doc: string): string {
  return /^([a-z_][a-z0-9_]*)\(/.exec(doc)?.[1] ?? upperSnake(key).toLowerCase();
}

/** X-macro lists: every system call and error, for stubs and name tables. */
function lists(decls: Decl[]): string[] {
  const sys = decls.find((d) => d.name === 'Sys');
  const calls = Object.keys(abi.Sys).map((k) => `X(${callName(k, sys?.members.get(k)?.doc ?? '')}, SYS_${k})`);
  const errs = Object.keys(abi.Err).map((k) => `X(${k}, E_${k})`);
  return [
    '',
    '/* Every system call as X(c_name, number), for stubs and name tables. */',
    '#define AEGIS_SYSCALLS(X) \\',
    ...calls.map((c, i) => `\t${c}${i < calls.length - 1 ? ' \\' : ''}`),
    '',
    '/* Every error code as X(name, code). */',
    '#define AEGIS_ERRORS(X) \\',
    ...errs.map((c, i) => `\t${c}${i < errs.length - 1 ? ' \\' : ''}`),
  ];
}

/**
 * The C prototypes of the system call stubs, from abi.ts's SYS_C and the
 * C names in Sys's doc comments: `int sys_cputs(const char *buf, uint32_t len);`.
 */
function prototypes(decls: Decl[]): string[] {
  const sys = decls.find((d) => d.name === 'Sys');
  const out = ['', '#ifndef __ASSEMBLER__', '#include <stdint.h>', '',
    ...comment('The system call stubs (src/exos/lib/syscall.S): v0 = the number, a0..a3 = the arguments, the result in v0 (negative: an Err code). From SYS_C in abi.ts.')];
  for (const key of Object.keys(abi.Sys) as (keyof typeof abi.Sys)[]) {
    const c = abi.SYS_C[key];
    const name = `sys_${callName(key, sys?.members.get(key)?.doc ?? '')}`;
    if (c === null) {
      out.push(`/* ${name}: not for C (abi.ts, SYS_C). */`);
      continue;
    }
    const m = /^(.+?) \((.*)\)( noreturn)?$/.exec(c);
    if (!m) throw new Error(`abi.ts SYS_C.${key}: "${c}" is not "return (parameters)" [noreturn]`);
    out.push(`${m[1]} ${name}(${m[2]})${m[3] ? ' __attribute__((noreturn))' : ''};`);
  }
  return [...out, '#endif'];
}

/** `items` in groups of `n`. */
function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** Hardware constants the ABI names (R30xx manual ch. 3 and 6, via src/emu/cp0.ts). */
function hardware(): string[] {
  return [
    '',
    '/* Exception codes, Cause bits 6:2 (R30xx manual, table 3.2). */',
    ...EXC_NAMES.map((n, i) => define(`EXC_${n}`, String(i))),
    define('EXC_COUNT', String(EXC_NAMES.length)),
    '/* Their mnemonics, indexed by code. */',
    '#define AEGIS_EXC_NAMES \\',
    ...chunks(EXC_NAMES.map((n) => `"${n}"`), 7).map((c, i, all) =>
      `\t${c.join(', ')}${i < all.length - 1 ? ', \\' : ''}`),
    '',
    '/* Cause fields (R30xx manual, fig. 3.3). */',
    define('CAUSE_BD', literal(Cause.BD >>> 0, true)),
    define('CAUSE_EXC', literal(Cause.EXC, true)),
    define('CAUSE_EXC_SHIFT', String(Cause.EXC_SHIFT)),
    '',
    '/* EntryLo fields (R30xx manual, ch. 6); tlb_map\'s a1. G is refused. */',
    define('ENTRYLO_PFN', literal(Tlb.PFN >>> 0, true)),
    define('ENTRYLO_N', literal(Tlb.N, true)),
    define('ENTRYLO_D', literal(Tlb.D, true)),
    define('ENTRYLO_V', literal(Tlb.V, true)),
    define('ENTRYLO_G', literal(Tlb.G, true)),
  ];
}

/** Returns the text of aegis.h for the ABI as it is now. Pure: reads abi.ts, writes nothing. */
export function generateAbiHeader(): string {
  const text = readFileSync(join(ROOT, ABI_SOURCE), 'utf8');
  const decls = parseDecls(text);
  const values = abi as Record<string, unknown>;
  const intro = [
    'aegis.h: the ABI between the exokernel and a library OS, for C and',
    'assembler.',
    '',
    `GENERATED from ${ABI_SOURCE} by scripts/gen-abi-header.mjs; do not`,
    'edit. Run `npm run abi` after changing abi.ts; a test fails when this',
    'file is stale. What follows is abi.ts\'s own description.',
    '',
    fileComment(text),
  ].join('\n');
  const lines = [
    ...comment(intro),
    '#ifndef EXOS_AEGIS_H',
    '#define EXOS_AEGIS_H',
    ...decls.flatMap((d) => section(d, values[d.name])),
    ...lists(decls),
    ...prototypes(decls),
    ...hardware(),
    '',
    '#endif',
    '',
  ];
  return lines.join('\n');
}
