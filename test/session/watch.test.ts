// Watchpoints set from scenario files and the command line, on both
// kernels: a run stops before the store (or load) that touches the watched
// bytes, with the pc at that instruction and the access it is about to
// make; continuing goes past it to the next; a replay logs the same stops
// however its runs are sliced.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeInstruction, parseElf } from '../../src/emu/index.js';
import { MonoSession, parseScenario, replay, sessionFromScenario, type LogLine } from '../../src/session/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const mono = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');

/** The log lines of a replay of `text` to cycle `until`, runs of `slice` cycles (default: replay's own). */
function lines(text: string, until: number, slice?: number): string[] {
  const out: LogLine[] = [];
  replay(parseScenario(text, 'scenarios/watch.yaml'), { until, slice, onLine: (l) => out.push(l) });
  return out.map((l) => JSON.stringify(l));
}

/** The effective address and kind of the load or store `word` makes with registers `regs`. */
function access(word: number, regs: Int32Array): { addr: number; write: boolean } | undefined {
  const d = decodeInstruction(word);
  if (!d || !/^(s[bhw]|l[bhw]u?|swl|swr|lwl|lwr)$/.test(d.mnemonic)) return undefined;
  const base = (word >>> 21) & 31, off = (word << 16) >> 16;
  return { addr: (regs[base] + off) >>> 0, write: d.mnemonic.startsWith('s') };
}

describe('watchpoints on the exokernel', () => {
  const text = (bp: string) => ['name: watch', 'environments:', '  - { name: memwalk, image: exos-memwalk, args: ["64", "2"] }', 'breakpoints:', `  - ${bp}`, ''].join('\n');

  it('a watch on a symbol of the environment stops before each store to it, pc at the store', () => {
    const sc = parseScenario(text('{ watch: brk, env: memwalk }'), 'scenarios/watch.yaml');
    const s = sessionFromScenario(sc);
    const id = s.addBreakpoint(sc.breakpoints[0]);
    const brk = s.symbolAddress('brk', 'memwalk')!;
    const stops = [];
    for (let i = 0; i < 4; i++) {
      const st = s.run(5_000_000);
      if (st.reason !== 'breakpoint') break;
      expect(st.hit).toMatchObject({ id, access: { addr: brk, size: 4, write: true } });
      expect(st.detail).toBe(`watchpoint write 0x${brk.toString(16).padStart(8, '0')} in memwalk`);
      const pc = s.kernel.cpu.pc >>> 0;
      expect(access(s.readWord(pc, 'memwalk')!, s.kernel.cpu.regs)).toEqual({ addr: brk, write: true });
      stops.push(st.instret);
    }
    // sbrk sets brk at least once (heap_init) and then for every page memwalk asks for.
    expect(stops.length).toBeGreaterThan(1);
    expect(new Set(stops).size).toBe(stops.length);
  });

  it('a replay logs the same watchpoint stops in runs of 7 cycles as in runs of millions', () => {
    const t = text('{ watch: brk, env: memwalk }');
    const whole = lines(t, 600_000);
    expect(whole.filter((l) => l.includes('breakpoint: watchpoint write')).length).toBeGreaterThan(1);
    expect(lines(t, 600_000, 7)).toEqual(whole);
  });

  it('an unknown symbol is reported as the scenario\'s failure, naming its line', () => {
    const r = replay(parseScenario(text('{ watch: no_such_thing, env: memwalk }'), 'scenarios/watch.yaml'), { until: 10_000 });
    expect(r.failures).toEqual(['breakpoint at scenarios/watch.yaml:5: no symbol no_such_thing in memwalk']);
  });
});

describe('watchpoints on the monolithic kernel', () => {
  const boot = () => new MonoSession({ image: mono, args: ['bench-pipe', '5'], checkpointEvery: 0 });
  const curproc = mono.symbols.find((x) => x.name === 'curproc')!.value >>> 0;

  it('a watch on a kernel variable stops before each store to it; continuing goes past to the next', () => {
    const s = boot();
    const id = s.addBreakpoint({ kind: 'symbolWatch', symbol: 'curproc', len: 4, read: false, write: true });
    expect(s.listBreakpoints()).toEqual([[id, { kind: 'watch', addr: curproc, len: 4, read: false, write: true }]]);
    const seen = [];
    for (let i = 0; i < 5; i++) {
      const st = s.run(50_000_000);
      expect(st.reason).toBe('breakpoint');
      expect(st.hit).toMatchObject({ id, access: { addr: curproc, write: true } });
      expect(access(s.readWord(s.machine.cpu.pc >>> 0)!, s.machine.cpu.regs)).toEqual({ addr: curproc, write: true });
      seen.push(st.instret);
    }
    expect(new Set(seen).size).toBe(5);
    expect(s.hitCount(id)).toBe(5);
  });

  it('a read watch stops before loads only, and a replay logs the same stops however it is sliced', () => {
    const t = ['name: watch', 'kernel: monolithic', 'program: bench-pipe', 'args: ["5"]', 'breakpoints:', '  - { watch: curproc, access: read }', ''].join('\n');
    const whole = lines(t, 2_000_000);
    const reads = whole.filter((l) => l.includes('breakpoint: watchpoint read'));
    expect(reads.length).toBeGreaterThan(5);
    expect(whole.some((l) => l.includes('breakpoint: watchpoint write'))).toBe(false);
    expect(lines(t, 2_000_000, 7)).toEqual(whole);
  });
});
