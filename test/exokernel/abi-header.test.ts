// The generated C header of the ABI (src/exos/include/aegis.h) against
// src/exokernel/abi.ts: the committed header must be what the generator
// writes now, and it must name every call, error and save-area slot.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAbiHeader, HEADER_PATH } from '../../scripts/abi-header.js';
import { Err, Save, Sys, SYS_C } from '../../src/exokernel/abi.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The value of `#define name value` in the header, as a number. */
function defined(header: string, name: string): number | undefined {
  const m = new RegExp(`^#define ${name}\\s+\\(?(-?(?:0x)?[0-9a-f]+)\\)?\\s*$`, 'm').exec(header);
  return m ? Number(m[1]) : undefined;
}

describe('aegis.h', () => {
  const fresh = generateAbiHeader();

  it('is up to date with abi.ts (run `npm run abi` when this fails)', () => {
    const committed = readFileSync(join(ROOT, HEADER_PATH), 'utf8');
    expect(committed === fresh, `${HEADER_PATH} is stale: run \`npm run abi\``).toBe(true);
  });

  it('declares every C-callable system call stub with as many parameters as its doc names argument registers', () => {
    const text = readFileSync(join(ROOT, 'src/exokernel/abi.ts'), 'utf8');
    const body = text.slice(text.indexOf('export const Sys = {'), text.indexOf('} as const;', text.indexOf('export const Sys = {')));
    for (const key of Object.keys(Sys) as (keyof typeof Sys)[]) {
      const c = SYS_C[key];
      if (c === null) continue;
      // The doc comment right before `Key: n,` in Sys, e.g. "frame_grant(a0 = frame, a1 = rights, a2/a3 = key)".
      const at = body.indexOf(`  ${key}: `);
      const doc = body.slice(body.lastIndexOf('/**', at), at);
      const name = /^\/\*\*\s*\*?\s*([a-z_]+)\(/.exec(doc)?.[1];
      // The registers its signature names: the text between `name(` and the matching `)`.
      const open = doc.indexOf(`${name}(`) + `${name}(`.length;
      let end = open;
      for (let depth = 1; end < doc.length && depth > 0; end++) depth += doc[end] === '(' ? 1 : doc[end] === ')' ? -1 : 0;
      const regs = new Set(doc.slice(open, end).match(/\ba[0-3]\b/g) ?? []);
      const m = new RegExp(`^(int|void) sys_${name}\\(([^)]*)\\)`, 'm').exec(fresh);
      expect(m, `${key}: sys_${name} in aegis.h`).not.toBeNull();
      const params = m![2] === 'void' ? 0 : m![2].split(',').length;
      expect(params, `${key}: ${c} against its doc's registers ${[...regs].join(' ')}`).toBe(regs.size);
    }
  });

  it('defines every system call number and error code with its value', () => {
    for (const [k, v] of Object.entries(Sys)) expect(defined(fresh, `SYS_${k}`), k).toBe(v);
    for (const [k, v] of Object.entries(Err)) expect(defined(fresh, `E_${k}`), k).toBe(v);
  });

  it('gives the save-area slots as byte offsets', () => {
    for (const [k, v] of Object.entries(Save)) expect(defined(fresh, `SAVE_${k}`), k).toBe(4 * v);
  });

  it('carries the doc comments over', () => {
    expect(fresh).toContain('frame_alloc(a0 = frame or -1 for any');
    expect(fresh).toMatch(/\/\* yield\(\): gives up the rest of the time slice\. Returns 0\. \*\/\n#define SYS_Yield/);
  });
});
