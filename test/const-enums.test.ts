// The suite's const-enum plugin (test/const-enums.ts): the values it reads
// are the enums' own, it replaces only what can mean the enum, and the
// suite runs the emulator with the numbers written in, as the build does.

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cpu } from '../src/emu/cpu.js';
import { constEnums, inlineEnums, parseConstEnums } from './const-enums.js';

const ROOT = resolve(import.meta.dirname, '..');
const enums = constEnums(join(ROOT, 'src'));

describe('the const-enum plugin', () => {
  it('reads every exported const enum of src with the values the enum has', async () => {
    expect([...enums.keys()]).toEqual(expect.arrayContaining(['I32', 'F64', 'Access', 'ExcCode', 'Cp0Reg', 'FirmwareResult']));
    let checked = 0;
    for (const [name, e] of enums) {
      const mod = (await import(e.file)) as Record<string, Record<string, number> | undefined>;
      if (mod[name] === undefined) continue; // declared, not exported
      for (const [member, v] of e.members) expect(mod[name]![member], `${name}.${member}`).toBe(v);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('counts implicit members on from the last value, and leaves an enum with a computed member out', () => {
    expect(parseConstEnums('const enum A { X, Y = 0x10, Z }\nconst enum B { P = 1 << 2 }')).toEqual(new Map([['A', new Map([['X', 0], ['Y', 16], ['Z', 17]])]]));
  });

  it('replaces members only where the name is the enum: its own file, or imported from it or its index', () => {
    const cpu = join(ROOT, 'src/emu/cpu.ts'), interp = join(ROOT, 'src/emu/interp.ts'), other = join(ROOT, 'src/session/x.ts');
    const e = new Map([['I32', { file: cpu, members: new Map([['PC', 2]]) }], ['ExcCode', { file: join(ROOT, 'src/emu/cp0.ts'), members: new Map([['RI', 10]]) }]]);
    expect(inlineEnums("import { I32 } from './cpu.js';\nx = i32[I32.PC]; y = I32.NOPE; z = a.I32.PC;", interp, e)).toBe("import { I32 } from './cpu.js';\nx = i32[(2 /* I32.PC */)]; y = I32.NOPE; z = a.I32.PC;");
    expect(inlineEnums("import { ExcCode } from '../emu/index.js';\nraise(ExcCode.RI);", other, e)).toBe("import { ExcCode } from '../emu/index.js';\nraise((10 /* ExcCode.RI */));");
    // Another module's I32, and a name nobody imported: left alone.
    expect(inlineEnums("import { I32 } from './elsewhere.js';\nx = I32.PC;", interp, e)).toBe("import { I32 } from './elsewhere.js';\nx = I32.PC;");
    expect(inlineEnums('x = I32.PC;', other, e)).toBe('x = I32.PC;');
  });

  it('is what the suite runs: the interpreter reads its slots by number', () => {
    const src = (Cpu.prototype as unknown as { interpret: () => void }).interpret.toString();
    expect(src).toMatch(/while \(f64\[0\] < f64\[3\]\)/); // F64.CYCLES, F64.STEP_LIMIT
    expect(src).not.toMatch(/\b(F64|I32|Access|ExcCode|FirmwareResult)\./);
  });
});
