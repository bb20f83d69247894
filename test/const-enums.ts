// A Vite plugin of the suite's (vitest.config.ts): the members of
// TypeScript's `const enum`s written as their numbers, as tsc writes them
// in the build. Vite compiles each file alone, so there a member of an
// enum declared in another module stays a read of the imported object,
// through the module runner's export getter: the interpreter read the CPU's
// I32/F64 slots, exception codes and access kinds that way at every
// instruction. Those getters were 5 s of the suite's worker CPU (a CPU
// profile of every worker, 2026-12-05), and the emulator the tests ran was
// not the one the build runs.
//
// A member is replaced only where its name can mean nothing else: in the
// file that declares the enum, or in one that imports the name by a
// relative path from that file. An enum whose members are not all number
// literals (or implicit) is left alone.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** A const enum: the file that declares it and its members' values. */
export interface ConstEnum { readonly file: string; readonly members: ReadonlyMap<string, number> }

/** The const enums declared in `text`, with every member a number literal or implicit. */
export function parseConstEnums(text: string): Map<string, Map<string, number>> {
  const found = new Map<string, Map<string, number>>();
  for (const m of text.matchAll(/\bconst enum (\w+)\s*\{([^}]*)\}/g)) {
    const body = m[2]!.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const members = new Map<string, number>();
    let next = 0;
    for (const part of body.split(',').map((s) => s.trim()).filter(Boolean)) {
      const mm = /^(\w+)\s*(?:=\s*(-?(?:0x[0-9a-fA-F]+|\d+)))?$/.exec(part);
      if (!mm) { members.clear(); break; }
      const v = mm[2] !== undefined ? Number(mm[2]) : next;
      members.set(mm[1]!, v);
      next = v + 1;
    }
    if (members.size > 0) found.set(m[1]!, members);
  }
  return found;
}

/** Every const enum under `dir`, by name (a name declared twice is left out). */
export function constEnums(dir: string): Map<string, ConstEnum> {
  const found = new Map<string, ConstEnum>(), twice = new Set<string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.ts')) continue;
    const file = join(dir, f);
    for (const [name, members] of parseConstEnums(readFileSync(file, 'utf8'))) {
      if (found.has(name)) twice.add(name);
      found.set(name, { file, members });
    }
  }
  for (const name of twice) found.delete(name);
  return found;
}

/** Whether module `file` is `declaring` or an index beside it that re-exports `name` from it by name. */
function exportsEnum(file: string, name: string, declaring: string): boolean {
  if (file === declaring) return true;
  if (file !== join(dirname(declaring), 'index.ts')) return false;
  const from = `'./${declaring.slice(dirname(declaring).length + 1).replace(/\.ts$/, '.js')}'`;
  return [...readFileSync(file, 'utf8').matchAll(/\bexport\s*\{([^}]*)\}\s*from\s*('[^']+')/g)]
    .some((m) => m[2] === from && new RegExp(`(^|[\\s,])${name}([\\s,]|$)`).test(m[1]!));
}

/** `code` (the file `id`) with the members of `enums` it can mean written as numbers. */
export function inlineEnums(code: string, id: string, enums: ReadonlyMap<string, ConstEnum>): string {
  let out = code;
  for (const [name, e] of enums) {
    if (!out.includes(`${name}.`)) continue;
    const own = id === e.file && new RegExp(`\\bconst enum ${name}\\b`).test(out);
    const imported = [...out.matchAll(/\bimport\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(\.[^']+)'/g)]
      .some((m) => new RegExp(`(^|[\\s,])${name}([\\s,]|$)`).test(m[1]!) && exportsEnum(resolve(dirname(id), m[2]!).replace(/\.js$/, '.ts'), name, e.file));
    if (!own && !imported) continue;
    out = out.replace(new RegExp(`(?<![\\w.$])${name}\\.(\\w+)\\b(?!\\s*=[^=])`, 'g'), (all, member: string) => {
      const v = e.members.get(member);
      return v === undefined ? all : `(${v} /* ${name}.${member} */)`;
    });
  }
  return out;
}

/** The plugin: for the TypeScript files under `root`'s src and test folders. */
export function inlineConstEnums(root: string): Plugin {
  const enums = constEnums(join(root, 'src'));
  const under = [join(root, 'src') + '/', join(root, 'test') + '/'];
  return {
    name: 'inline-const-enums',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('.ts') || !under.some((d) => id.startsWith(d))) return null;
      const out = inlineEnums(code, id, enums);
      return out === code ? null : { code: out, map: null };
    },
  };
}
