// The guest-visible-state audit of docs/protection.md, checked: nothing an
// environment can read predicts another environment's key. The test reads
// every page environment A has mapped (its info page, repossession page,
// the frame table, its image and stack) the way A sees them, and its
// registers, and looks there for the other environments' keys, directly and
// through the xorshift128 recovery that broke the kernel's old generator
// (docs/protection.md, "Keys"). The recovery itself is checked against that old
// generator, so the test would notice if it stopped being an attack.

import { describe, expect, it } from 'vitest';
import { A, Prog, R } from './helpers.js';
import { Info, Layout, Save, Sys } from '../../src/exokernel/abi.js';
import { Kernel, type Env, type Seed } from '../../src/exokernel/index.js';
import { lookup } from '../../src/exokernel/bindings.js';

/** The kernel's key generator it replaced: xorshift128 seeded through splitmix32. */
function oldGenerator(seed: number): () => number {
  const s = new Uint32Array(4);
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return () => {
    let t = s[3];
    const u = s[0];
    s[3] = s[2]; s[2] = s[1]; s[1] = u;
    t ^= t << 11; t ^= t >>> 8;
    s[0] = (t ^ u ^ (u >>> 19)) >>> 0;
    return s[0];
  };
}

/**
 * The attack: four consecutive xorshift128 outputs (key lo, key hi, seed
 * lo, seed hi of environment `me`) run forward and backward to the
 * (key lo, key hi) of environments 1..`envs`, four outputs each.
 */
function recoverKeys(me: number, visible: readonly number[], envs: number): Map<number, [number, number]> {
  const o: number[] = [];
  const at = 4 * me - 3;
  visible.forEach((w, i) => { o[at + i] = w >>> 0; });
  const step = (t: number, u: number) => { t = (t ^ (t << 11)) >>> 0; t = (t ^ (t >>> 8)) >>> 0; return (t ^ u ^ (u >>> 19)) >>> 0; };
  const unstep = (x: number, u: number) => {
    let t = (x ^ u ^ (u >>> 19)) >>> 0;
    t = (t ^ (t >>> 8) ^ (t >>> 16) ^ (t >>> 24)) >>> 0;
    return (t ^ (t << 11) ^ (t << 22)) >>> 0;
  };
  for (let n = at + 4; n <= 4 * envs; n++) o[n] = step(o[n - 4], o[n - 1]);
  for (let n = at - 1; n >= 1; n--) o[n] = unstep(o[n + 4], o[n + 3]);
  const keys = new Map<number, [number, number]>();
  for (let id = 1; id <= envs; id++) keys.set(id, [o[4 * id - 3], o[4 * id - 2]]);
  return keys;
}

/** A program that yields forever. */
const spinner = () => new Prog().label('top').sys(Sys.Yield).branch(A.beq(R.zero, R.zero, 0), 'top').emit(A.nop()).image();

/** Every word env can read: each page it has a mapping of, read through that mapping, and its registers. */
function visibleWords(k: Kernel, env: Env): Set<number> {
  const words = new Set<number>();
  const vpns = new Set<number>([...env.guaranteed.keys()]);
  for (const e of k.stlb.entries()) if (e.env === env.id) vpns.add(e.vpn);
  const ram32 = k.machine.bus.ram32;
  for (const vpn of vpns) {
    const lo = lookup(k, env, vpn)!;
    const base = ((lo >>> 12) << 12) >>> 2;
    for (let i = 0; i < Layout.PAGE / 4; i++) words.add(ram32[base + i] >>> 0);
  }
  for (const r of env.regs) words.add(r >>> 0);
  return words;
}

const infoWord = (k: Kernel, env: Env, off: number) => k.machine.bus.ram32[((env.infoFrame << 12) + off) >>> 2] >>> 0;
const keyOf = (k: Kernel, env: Env): [number, number] => [infoWord(k, env, Info.KEY_LO), infoWord(k, env, Info.KEY_HI)];

describe('what a guest can see', () => {
  it('the xorshift recovery is a real attack: against the old generator it finds every other key', () => {
    const next = oldGenerator(1);
    const outputs = Array.from({ length: 4 * 6 }, next);
    const keys = recoverKeys(3, outputs.slice(8, 12), 6);
    for (let id = 1; id <= 6; id++) expect(keys.get(id)).toEqual([outputs[4 * id - 4], outputs[4 * id - 3]]);
  });

  it('nothing environment A can read holds or predicts another environment\'s key', () => {
    for (const seed of [1, 42, 0xdeadbeef]) {
      const k = new Kernel({ ramSize: 8 << 20, seed });
      const envs = Array.from({ length: 6 }, (_, i) => k.createEnv(spinner(), `e${i + 1}`));
      k.run(500_000);
      for (const a of envs) {
        const seen = visibleWords(k, a);
        expect(seen.has(keyOf(k, a)[0])).toBe(true); // its own key is there: the reading works
        const visible = [Info.KEY_LO, Info.KEY_HI, Info.SEED_LO, Info.SEED_HI].map((off) => infoWord(k, a, off));
        const predicted = recoverKeys(a.id, visible, envs.length);
        for (const b of envs) {
          if (b === a) continue;
          const [lo, hi] = keyOf(k, b);
          expect(seen.has(lo) || seen.has(hi), `seed ${seed}: env ${b.id}'s key in env ${a.id}'s view`).toBe(false);
          expect(predicted.get(b.id), `seed ${seed}: env ${b.id}'s key predicted from env ${a.id}`).not.toEqual([lo, hi]);
        }
      }
    }
  });

  it('keys and guest seeds are fixed by the scenario seed, differ between seeds, and survive a checkpoint', () => {
    const run = (seed: number) => {
      const k = new Kernel({ ramSize: 8 << 20, seed });
      const a = keyOf(k, k.createEnv(spinner(), 'a'));
      const saved = k.save();
      const b = keyOf(k, k.createEnv(spinner(), 'b'));
      k.restore(saved);
      const env = k.createEnv(spinner(), 'b');
      return { a, b, b2: keyOf(k, env), seed: [infoWord(k, env, Info.SEED_LO), infoWord(k, env, Info.SEED_HI)] };
    };
    const one = run(7), again = run(7), other = run(8);
    expect(again).toEqual(one);
    expect(one.b2).toEqual(one.b);
    expect(one.a).not.toEqual(one.b);
    expect(other.a).not.toEqual(one.a);
    expect(one.seed).not.toEqual(one.b);
  });

  it('a wide seed fixes the keys through every one of its 128 bits; one that fits in 32 bits is that number', () => {
    // 2 MiB, the same for every kernel here (only the seed differs): 136 kernels are made, each allocating its RAM.
    const key = (seed: Seed) => { const k = new Kernel({ ramSize: 2 << 20, seed }); return keyOf(k, k.createEnv(spinner(), 'a')); };
    expect(key('0x7')).toEqual(key(7));
    expect(key('0x0000000000000000000000000000002a')).toEqual(key(42));
    const wide = '0x0123456789abcdef0123456789abcdef';
    expect(key(wide)).toEqual(key(wide.toUpperCase().replace('0X', '0x')));
    const keys = new Set([key(wide), key(0x89abcdef)].map(String));
    // Flipping any one bit of the 128 gives another key (so none is ignored).
    for (let bit = 0; bit < 128; bit++) {
      const v = (BigInt(wide) ^ (1n << BigInt(bit))).toString(16);
      keys.add(String(key(`0x${v}`)));
    }
    expect(keys.size).toBe(130);
    expect(() => new Kernel({ ramSize: 8 << 20, seed: '0x' + '1'.repeat(33) })).toThrow(RangeError);
  });

  it('a dispatch shows a0 = Cause and BadVAddr only for the exceptions that set it, never another environment\'s fault address', () => {
    const k = new Kernel({ ramSize: 8 << 20 });
    // A: a TLB miss at a secret address, which its handler takes and exits on.
    // B, first on the CPU, yields to A and then takes a break.
    const a = new Prog();
    a.la(R.a0, 'save').sys(Sys.SetSaveArea).emit(A.addiu(R.a0, R.zero, 2)).la(R.a1, 'h').sys(Sys.SetHandler);
    a.li(R.t0, 0x12345678).emit(A.lw(R.t1, 0, R.t0), A.nop());
    a.label('h').emit(A.addiu(R.a0, R.zero, 0)).sys(Sys.Exit);
    a.data('save', new Uint8Array(32));
    // B: a break; its handler writes a0, a1 and the saved BadVAddr to its console.
    const b = new Prog();
    b.la(R.a0, 'save').sys(Sys.SetSaveArea).emit(A.addiu(R.a0, R.zero, 9)).la(R.a1, 'h').sys(Sys.SetHandler);
    b.sys(Sys.Yield).emit(A.break()); // A faults while B waits, with B's page still in the TLB
    b.label('h').la(R.t0, 'out').emit(A.sw(R.a0, 0, R.t0), A.sw(R.a1, 4, R.t0), A.lw(R.t1, 4 * Save.BadVAddr, R.at), A.nop(), A.sw(R.t1, 8, R.t0));
    b.la(R.a0, 'out').emit(A.addiu(R.a1, R.zero, 12)).sys(Sys.Cputs).emit(A.addiu(R.a0, R.zero, 0)).sys(Sys.Exit);
    b.data('save', new Uint8Array(32));
    b.data('out', new Uint8Array(12));
    const envB = k.createEnv(b.image(), 'b');
    k.createEnv(a.image(), 'a');
    k.run(1_000_000);
    expect(k.cpu.badVAddr >>> 0).toBe(0x12345678); // the CPU still holds A's fault address
    const out = Buffer.from(envB.console, 'latin1');
    expect([0, 4, 8].map((o) => out.readUInt32LE(o))).toEqual([9 << 2, 0, 0]);
  });
});
