import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, parseElf } from '../../src/emu/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

function boot(name: string) {
  const path = join(ROOT, 'src/exos/images', `${name}.elf`);
  const out: string[] = [];
  const m = new Machine({ onConsole: (b) => out.push(Buffer.from(b).toString('latin1')) });
  m.load(parseElf(new Uint8Array(readFileSync(path)), path), [path]);
  return { m, out };
}

describe('machine checkpoints', () => {
  it('restoring a checkpoint and running again gives the same output, cycles and registers', () => {
    // clock.elf takes clock interrupts, so device state matters too.
    const { m, out } = boot('clock');
    m.run(60_000);
    const cp = m.save();
    const mark = out.length;
    m.run(1e9);
    const first = { out: out.slice(mark).join(''), cpu: m.cpu.save() };
    m.restore(cp);
    out.length = mark;
    m.run(1e9);
    expect({ out: out.slice(mark).join(''), cpu: m.cpu.save() }).toEqual(first);
    expect(first.out.length).toBeGreaterThan(0);
  });

  it('a checkpoint survives structuredClone (it is plain data)', () => {
    const { m } = boot('hello');
    m.run(1000);
    const cp = structuredClone(m.save());
    const other = boot('hello').m;
    other.restore(cp);
    expect(other.cpu.save()).toEqual(m.cpu.save());
  });
});
