// What the block translator keeps stays bounded whatever the guest runs
// (translate.ts, file header): a hostile guest that starts a block at every
// word of page after page of code, or makes many distinct blocks hot, must
// not grow the host's heap without end (unbounded, calling into every word
// of pages of nops took 6.4 MiB a page: 128 pages 825 MiB). Each case runs
// the same program on an interpreting machine and compares the whole state:
// dropping blocks changes no result.

import { describe, expect, it } from 'vitest';
import { Machine, type ProgramImage } from '../../src/emu/index.js';
import { factoryCache, MAX_SOURCE, MAX_WORDS } from '../../src/emu/translate.js';
import { A, bytes, R } from './helpers/asm.js';
import { expectSame } from './helpers/twins.js';

const RAM = 4 << 20;
/** The caller's code (kseg0) and the first page of the sled. */
const MAIN = 0x80001000, SLED = 0x80100000;

/**
 * `pages` pages at SLED, word i of page p `body(p, i)` for i 0..1021 and `jr ra; nop`
 * at the end, and a caller at MAIN that calls (jalr) every word of every
 * page but the last two, in order, `rounds` times, then spins at `spin`.
 */
function sled(pages: number, body: (page: number, i: number) => number, rounds = 1): { image: ProgramImage; spin: number } {
  const words: number[] = [];
  for (let p = 0; p < pages; p++) {
    for (let i = 0; i < 1022; i++) words.push(body(p, i));
    words.push(A.jr(R.ra), A.nop());
  }
  const end = SLED + pages * 4096;
  const main = [
    A.addiu(R.s1, R.zero, rounds),
    // round (1): t0 the page, t1 past the last, t4 the last offset called (the page's jr ra)
    A.lui(R.t0, SLED >>> 16), A.lui(R.t1, end >>> 16), A.ori(R.t1, R.t1, end & 0xffff), A.addiu(R.t4, R.zero, 4088),
    // page (5): t2 the offset
    A.addiu(R.t2, R.zero, 0),
    // word (6): call t0 + t2; on while t2 (before its increment in the delay slot) is not the last
    A.addu(R.t3, R.t0, R.t2), A.jalr(R.ra, R.t3), A.nop(), A.bne(R.t2, R.t4, -4), A.addiu(R.t2, R.t2, 4),
    // the next page until t1, then the next round until s1 is 0
    A.ori(R.t5, R.zero, 4096), A.addu(R.t0, R.t0, R.t5), A.bne(R.t0, R.t1, -9), A.nop(),
    A.addiu(R.s1, R.s1, -1), A.bgtz(R.s1, -16), A.nop(),
  ];
  const spin = MAIN + 4 * main.length;
  main.push(A.beq(R.zero, R.zero, -1), A.nop());
  return {
    image: { entry: MAIN, segments: [{ vaddr: MAIN, memsz: 4 * main.length, data: bytes(main) }, { vaddr: SLED, memsz: 4 * words.length, data: bytes(words) }] },
    spin,
  };
}

/** Runs `image` on a translating machine (set up by `tune`) and an interpreting one until both spin at `spin`; compares them. */
function runBoth(image: ProgramImage, spin: number, tune: (m: Machine) => void, peek?: (m: Machine) => void): Machine {
  const fast = new Machine({ ramSize: RAM, translate: true }), ref = new Machine({ ramSize: RAM, translate: false });
  fast.load(image); ref.load(image);
  tune(fast);
  for (const m of [fast, ref]) {
    // The spin loop is a branch and its delay slot: the pc is either.
    const spinning = (): boolean => ((m.cpu.pc - spin) >>> 0) <= 4;
    for (let guard = 0; !spinning() && guard < 2_000; guard++) {
      m.run(50_000);
      if (m === fast) peek?.(m);
    }
    expect(spinning(), 'reached the spin loop').toBe(true);
  }
  // Each stopped at the end of the slice in which it reached the spin loop: the same cycle, as both run the same instructions.
  expectSame(fast, ref);
  return fast;
}

describe('the translator keeps a bounded amount whatever the guest runs', () => {
  it(`a straight run of code longer than ${MAX_WORDS} instructions is several blocks`, () => {
    const { image, spin } = sled(1, () => A.addiu(R.v0, R.v0, 1));
    const fast = runBoth(image, spin, (m) => { m.cpu.translator!.hot = 1; });
    const lengths = fast.cpu.translator!.blocks().map((b) => b.words.length);
    expect(Math.max(...lengths)).toBe(MAX_WORDS);
    expect(fast.cpu.regs[R.v0]).toBe((1022 * 1023) / 2);
  });

  it('a guest starting a block at every word of 8 pages: the translator drops all its blocks each time it holds its limit, and runs on exactly', () => {
    const { image, spin } = sled(8, () => A.nop());
    let most = 0;
    const fast = runBoth(image, spin, (m) => { m.cpu.translator!.maxBlocks = 1000; }, (m) => { most = Math.max(most, m.cpu.translator!.stats.planned); });
    const st = fast.cpu.translator!.stats;
    expect(most).toBeLessThanOrEqual(1000);
    expect(st.planned).toBeLessThanOrEqual(1000);
    // 8 pages x 1022 block starts, 1,000 at a time.
    expect(st.flushed).toBeGreaterThanOrEqual(8);
    // Dropped pages are unguarded: a page holds code again only once a block is planned in it.
    const guarded = [...fast.bus.codePages].reduce((a, b) => a + b, 0);
    expect(guarded).toBeLessThanOrEqual(new Set(fast.cpu.translator!.blocks().map((b) => b.pa >>> 12)).size);
  });

  it('many distinct hot blocks: the live blocks\' source stays under the translator\'s limit and the factories\' under the process\'s', () => {
    // Every word a distinct instruction (addiu v0, v0, page * 1022 + i): every block is a new plan, compiled at its first entry.
    const { image, spin } = sled(4, (p, i) => A.addiu(R.v0, R.v0, (p * 1022 + i) & 0x7fff), 1);
    const limit = 256 << 10;
    let most = 0;
    const fast = runBoth(image, spin, (m) => { const t = m.cpu.translator!; t.hot = 1; t.maxSource = limit; }, (m) => { most = Math.max(most, m.cpu.translator!.stats.sourceBytes); });
    const st = fast.cpu.translator!.stats;
    expect(st.compiled).toBeGreaterThan(4000);
    expect(most).toBeLessThanOrEqual(limit);
    expect(st.flushed).toBeGreaterThan(0);
    expect(factoryCache().bytes).toBeLessThanOrEqual(MAX_SOURCE);
  });

  it('code rewritten under hot blocks after a flush still runs as the interpreter runs it', () => {
    // Two rounds over the same 2 pages, with few blocks allowed: blocks planned again after each flush read RAM as it is then.
    const { image, spin } = sled(2, (_p, i) => (i % 7 === 3 ? A.addiu(R.v1, R.v1, 3) : A.nop()), 3);
    runBoth(image, spin, (m) => { const t = m.cpu.translator!; t.hot = 2; t.maxBlocks = 300; });
  });
});
