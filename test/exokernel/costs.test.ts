// Each kernel path the exokernel charges (src/exokernel/costs.ts) is a MIPS I
// sequence in src/exokernel/asm; this runs each on the emulated CPU with the
// state it reads, checks that it did its work, and checks that the constant
// is the number of cycles it took (one an instruction: costs.ts's model).

import { describe, expect, it } from 'vitest';
import { Costs } from '../../src/exokernel/costs.js';
import { type Atom, encodeFilter, mpfWork } from '../../src/exokernel/dpf/index.js';
import { bucketOf } from '../../src/exokernel/dpf/hash.js';
import { loadPaths, type Paths } from './kpaths.js';

// Where the test puts the kernel's objects (kseg0, above the image).
const ENV_A = 0x80100000, ENV_B = 0x80100100;
const SAVE_A = 0x80101000, SAVE_B = 0x80101100;
const GTAB_A = 0x80102000, GTAB_B = 0x80102200;
const FRAMES = 0x80104000;
const KSTACK = 0x80108000;
const RING = 0x80110000, FRAME_IN = 0x80118000, PACKET = 0x80119000, FILTERS = 0x80120000;
const SAVE_VA = 0x7f000000;
const EMPTY = 0x80000000;
// aegis.h offsets.
const KD = { CURENV: 0, AT: 4, TICKS: 8, SLOT: 12, CYCLES: 16, USP: 20, URA: 24, KSP: 28, NFRAMES: 32, FRAMES: 36, UPA0: 40, UPA1: 44, TXNEXT: 52, UPPC: 56 };
const ENV = { ID: 0, STATE: 4, ASID: 8, SAVEK: 12, SAVEVA: 16, GTAB: 20, PC: 24, WAITON: 28, PROLOGUE: 32, PCTENTRY: 40, HANDLERS: 64 };
const SAVE = { EPC: 0, CAUSE: 4, BADVADDR: 8, AT: 12, A0: 16, A1: 20, BUSY: 24 };

/** Two environments (ids 1 and 2, ASIDs 5 and 6) with save areas and empty guaranteed tables; A runs. */
function boot(p: Paths): void {
  const kd = p.sym('kdata');
  for (const [env, id, save, gtab] of [[ENV_A, 1, SAVE_A, GTAB_A], [ENV_B, 2, SAVE_B, GTAB_B]]) {
    p.setWord(env + ENV.ID, id);
    p.setWord(env + ENV.STATE, 1);
    p.setWord(env + ENV.ASID, (4 + id) << 6);
    p.setWord(env + ENV.SAVEK, save);
    p.setWord(env + ENV.SAVEVA, SAVE_VA);
    p.setWord(env + ENV.GTAB, gtab);
    for (let i = 0; i < 64; i++) p.setWord(gtab + 8 * i, EMPTY);
    p.setWord(p.sym('envtab') + 4 * id, env);
  }
  for (let i = 0; i < 4096; i++) p.setWord(p.sym('stlb') + 8 * i, EMPTY);
  p.setWord(kd + KD.CURENV, ENV_A);
  p.setWord(kd + KD.KSP, KSTACK);
  p.setWord(kd + KD.NFRAMES, 2048);
  p.setWord(kd + KD.FRAMES, FRAMES);
}

function fresh(): Paths {
  const p = loadPaths();
  boot(p);
  return p;
}

describe('kernel costs measured from their MIPS sequences (src/exokernel/asm)', () => {
  it('exception dispatch: vector to handler, state in the save area', () => {
    const p = fresh(), cpu = p.m.cpu, handler = p.sym('_start');
    p.setWord(ENV_A + ENV.HANDLERS + 4 * 9, handler); // Bp
    cpu.cause = 9 << 2; cpu.epc = 0x00400100; cpu.badVAddr = 0x1234;
    cpu.regs[1] = 11; cpu.regs[4] = 44; cpu.regs[5] = 55;
    const r = p.measure(p.sym('exc_vector'), handler);
    expect([p.word(SAVE_A + SAVE.EPC), p.word(SAVE_A + SAVE.CAUSE), p.word(SAVE_A + SAVE.BADVADDR)]).toEqual([0x00400100, 9 << 2, 0]);
    expect([p.word(SAVE_A + SAVE.AT), p.word(SAVE_A + SAVE.A0), p.word(SAVE_A + SAVE.A1), p.word(SAVE_A + SAVE.BUSY)]).toEqual([11, 44, 55, 1]);
    expect([cpu.regs[1] >>> 0, cpu.regs[4], cpu.regs[5]]).toEqual([SAVE_VA, 9 << 2, 0]);
    expect(r.cycles).toBe(r.instructions);
    expect(Costs.DISPATCH).toBe(r.cycles);
  });

  it('exception dispatch passes BadVAddr for an address fault, in the same number of cycles', () => {
    const p = fresh(), cpu = p.m.cpu, handler = p.sym('_start');
    p.setWord(ENV_A + ENV.HANDLERS + 4 * 4, handler); // AdEL
    cpu.cause = 4 << 2; cpu.epc = 0x00400100; cpu.badVAddr = 0x1235;
    const r = p.measure(p.sym('exc_vector'), handler);
    expect(cpu.regs[5]).toBe(0x1235);
    expect(Costs.DISPATCH).toBe(r.cycles);
  });

  it('STLB refill: a guaranteed miss, then an STLB hit written to the TLB', () => {
    const p = fresh(), cpu = p.m.cpu, back = p.sym('_start');
    const vpn = 0x00412, asid = 5, hi = (vpn << 12) | (asid << 6), lo = (0x345 << 12) | 0x600;
    const slot = ((vpn ^ (asid * 0x9e5)) & 0xfff) >>> 0;
    p.setWord(p.sym('stlb') + 8 * slot, hi);
    p.setWord(p.sym('stlb') + 8 * slot + 4, lo);
    cpu.entryHi = hi; cpu.epc = back; cpu.regs[1] = 77;
    const r = p.measure(p.sym('utlb_refill'), back);
    const tlb = cpu.tlb.entries().find((e) => (e.entryHi >>> 0) === (hi >>> 0));
    expect(tlb && tlb.entryLo >>> 0).toBe(lo);
    expect(cpu.regs[1]).toBe(77);
    expect(Costs.STLB_REFILL).toBe(r.cycles);
  });

  it('guaranteed refill: a hit in the environment\'s own table', () => {
    const p = fresh(), cpu = p.m.cpu, back = p.sym('_start');
    const vpn = 0x7f000, hi = (vpn << 12) | (5 << 6), lo = (0x101 << 12) | 0x600;
    p.setWord(GTAB_A + 8 * (vpn & 63), vpn << 12);
    p.setWord(GTAB_A + 8 * (vpn & 63) + 4, lo);
    cpu.entryHi = hi; cpu.epc = back; cpu.regs[1] = 78;
    const r = p.measure(p.sym('utlb_refill'), back);
    expect(cpu.tlb.entries().some((e) => (e.entryHi >>> 0) === (hi >>> 0) && (e.entryLo >>> 0) === lo)).toBe(true);
    expect(cpu.regs[1]).toBe(78);
    expect(Costs.GUARANTEED_REFILL).toBe(r.cycles);
  });

  it('system call entry and exit: the null call, back after the syscall with v0 = 0', () => {
    const p = fresh(), cpu = p.m.cpu, at = p.sym('_start');
    cpu.cause = 8 << 2; cpu.epc = at; cpu.regs[2] = 0; cpu.regs[29] = 0x7fff0000; cpu.regs[31] = 0x400200;
    const r = p.measure(p.sym('exc_vector'), at + 4);
    expect([cpu.regs[2], cpu.regs[29], cpu.regs[31]]).toEqual([0, 0x7fff0000, 0x400200]);
    expect(Costs.SYSCALL).toBe(r.cycles);
    cpu.regs[2] = 0;
    expect(Costs.SYSCALL_ENTRY).toBe(p.measure(p.sym('exc_vector'), p.sym('sys_call')).cycles);
  });

  it("tlb_map's check: key, rights, the TLB and the STLB written", () => {
    const p = fresh(), cpu = p.m.cpu, ret = p.sym('_start');
    const frame = 0x345, va = 0x00433000, lo = (frame << 12) | 0x600;
    p.setWord(FRAMES + 16 * frame, 0xdead); p.setWord(FRAMES + 16 * frame + 4, 0xbeef); p.setWord(FRAMES + 16 * frame + 8, 3);
    cpu.regs[4] = va; cpu.regs[5] = lo; cpu.regs[6] = 0xdead; cpu.regs[7] = 0xbeef; cpu.regs[31] = ret;
    const r = p.measure(p.sym('sys_tlbmap'), ret);
    expect(cpu.regs[2]).toBe(0);
    const hi = va | (5 << 6), slot = (((va >>> 12) ^ (5 * 0x9e5)) & 0xfff) >>> 0;
    expect(cpu.tlb.entries().some((e) => (e.entryHi >>> 0) === hi && (e.entryLo >>> 0) === lo)).toBe(true);
    expect([p.word(p.sym('stlb') + 8 * slot), p.word(p.sym('stlb') + 8 * slot + 4)]).toEqual([hi, lo]);
    expect(Costs.TLB_MAP).toBe(r.cycles);
  });

  it('tlb_map refuses a wrong key (the check is real)', () => {
    const p = fresh(), cpu = p.m.cpu, ret = p.sym('_start');
    p.setWord(FRAMES + 16 * 0x345, 0xdead);
    cpu.regs[4] = 0x00433000; cpu.regs[5] = (0x345 << 12) | 0x600; cpu.regs[6] = 0xdeae; cpu.regs[7] = 0; cpu.regs[31] = ret;
    p.measure(p.sym('sys_tlbmap'), ret);
    expect(cpu.regs[2]).toBeLessThan(0);
  });

  it('PCT: to the callee\'s entry with every message register untouched and nothing saved', () => {
    const p = fresh(), cpu = p.m.cpu, entry = p.sym('_start');
    p.setWord(ENV_B + ENV.PCTENTRY, entry);
    for (let i = 4; i < 32; i++) if (i !== 26 && i !== 27) cpu.regs[i] = 1000 + i;
    cpu.regs[2] = 19; cpu.regs[3] = 2; cpu.regs[26] = 19 * 4; cpu.epc = 0x400300; cpu.entryHi = 5 << 6; // k0: sys_entry's v0 * 4
    const r = p.measure(p.sym('sys_pct'), entry, 200);
    for (let i = 4; i < 32; i++) if (i !== 26 && i !== 27) expect(cpu.regs[i]).toBe(1000 + i);
    expect([cpu.regs[2], cpu.regs[3], cpu.entryHi >>> 0]).toEqual([1, 19, 6 << 6]);
    expect([p.word(p.sym('kdata') + KD.CURENV), p.word(ENV_A + ENV.PC), p.word(ENV_A + ENV.STATE), p.word(ENV_A + ENV.WAITON)]).toEqual([ENV_B, 0x400304, 2, 2]);
    expect(Costs.PCT).toBe(r.cycles);
  });

  it('directed yield: to the target\'s prologue, registers cleared, none saved', () => {
    const p = fresh(), cpu = p.m.cpu, prologue = p.sym('_start');
    p.setWord(ENV_B + ENV.PROLOGUE, prologue);
    p.setWord(p.sym('kdata') + KD.SLOT, 7); p.setWord(p.sym('kdata') + KD.CYCLES, 9000);
    for (let i = 1; i < 32; i++) cpu.regs[i] = 2000 + i;
    cpu.regs[4] = 2; cpu.epc = 0x400400;
    const r = p.measure(p.sym('sys_yield_to'), prologue, 200);
    expect([cpu.regs[4], cpu.regs[5], cpu.entryHi >>> 0]).toEqual([7, 9000, 6 << 6]);
    for (let i = 1; i < 32; i++) if (![4, 5, 26, 27].includes(i)) expect(cpu.regs[i], `r${i}`).toBe(0);
    expect(p.word(ENV_A + ENV.PC)).toBe(0x400404);
    expect(Costs.YIELD).toBe(r.cycles);
  });

  it('upcall entry: the save area filled, a0/a1 as given, at = the save area', () => {
    const p = fresh(), cpu = p.m.cpu, entry = p.sym('_start'), kd = p.sym('kdata');
    p.setWord(kd + KD.UPPC, entry); p.setWord(kd + KD.UPA0, 3); p.setWord(kd + KD.UPA1, 4);
    cpu.regs[26] = ENV_B; cpu.epc = 0x400500; cpu.regs[4] = 40; cpu.regs[5] = 50;
    // A stale exception's Cause and BadVAddr: an upcall saves 0 for both (trap.ts dispatchUpcall).
    p.setWord(SAVE_B + SAVE.CAUSE, 4 << 2); p.setWord(SAVE_B + SAVE.BADVADDR, 0x1235);
    const r = p.measure(p.sym('upcall_deliver'), entry);
    expect([p.word(SAVE_B + SAVE.CAUSE), p.word(SAVE_B + SAVE.BADVADDR)]).toEqual([0, 0]);
    expect([cpu.regs[4], cpu.regs[5], cpu.regs[1] >>> 0, cpu.entryHi >>> 0]).toEqual([3, 4, SAVE_VA, 6 << 6]);
    expect([p.word(SAVE_B + SAVE.EPC), p.word(SAVE_B + SAVE.A0), p.word(SAVE_B + SAVE.A1), p.word(SAVE_B + SAVE.BUSY)]).toEqual([0x400500, 40, 50, 1]);
    expect(Costs.UPCALL).toBe(r.cycles);
  });

  it('clock interrupt entry: acknowledged, a tick counted off, back to the interrupted instruction', () => {
    const p = fresh(), cpu = p.m.cpu, back = p.sym('_start'), kd = p.sym('kdata');
    p.setWord(kd + KD.TICKS, 5);
    cpu.cause = 0; cpu.hwIp = 0x800; cpu.epc = back;
    const r = p.measure(p.sym('exc_vector'), back);
    expect(p.word(kd + KD.TICKS)).toBe(4);
    expect(Costs.CLOCK_INTERRUPT).toBe(r.cycles);
  });

  it('LANCE interrupt entry: to the receive loop', () => {
    const p = fresh(), cpu = p.m.cpu;
    cpu.cause = 0; cpu.hwIp = 0x400;
    const r = p.measure(p.sym('exc_vector'), p.sym('net_rx'));
    expect(Costs.NET_INTERRUPT).toBe(r.cycles);
  });

  it('DPF: the same cycles for each atom the classification visits', () => {
    const p = fresh(), cpu = p.m.cpu;
    const pkt = new Uint8Array(64);
    pkt[12] = 0x08; pkt[23] = 17; pkt[37] = 7;
    p.m.bus.ram8.set(pkt, PACKET & 0x1fffffff);
    cpu.regs[4] = PACKET; cpu.regs[5] = 64;
    const r = p.measure(p.sym('dpf_atoms'), p.sym('dpf_atoms_end'));
    expect(r.cycles % 3).toBe(0);
    expect(Costs.DPF_ATOM).toBe(r.cycles / 3);
    cpu.regs[4] = PACKET; cpu.regs[5] = 64; cpu.regs[31] = p.sym('_start');
    p.measure(p.sym('dpf_atoms'), p.sym('_start'));
    expect(cpu.regs[2]).toBe(1);
    p.m.bus.ram8[(PACKET & 0x1fffffff) + 37] = 8;
    cpu.regs[4] = PACKET; cpu.regs[5] = 64; cpu.regs[31] = p.sym('_start');
    p.measure(p.sym('dpf_atoms'), p.sym('_start'));
    expect(cpu.regs[2]).toBe(0);
  });

  it('DPF hash-table node: hash, bucket, then the same cycles each chain entry compared, hit or miss', () => {
    // A UDP frame to `port`; the key is the field as the little-endian lhu sees it (asm/dpfhash.S).
    const asLoaded = (port: number) => ((port & 0xff) << 8) | (port >> 8);
    const run = (port: number, chain: number[], to: 'child' | 'miss', len = 64) => {
      const p = fresh(), cpu = p.m.cpu, child = p.sym('_start'), back = p.sym('kdata');
      p.m.bus.ram8.set(udpFrame(port), PACKET & 0x1fffffff);
      // The chain of the packet's bucket, laid out as dpf/hash.ts would place these keys: {key, child, next}.
      chain.forEach((key, i) => {
        const at = FILTERS + 16 * i;
        expect(bucketOf(key, 6)).toBe(bucketOf(asLoaded(port), 6));
        p.setWord(at, key); p.setWord(at + 4, child + 4 * i); p.setWord(at + 8, i + 1 < chain.length ? at + 16 : 0);
      });
      if (chain.length) p.setWord(p.sym('dpf_htab') + 4 * bucketOf(asLoaded(port), 6), FILTERS);
      cpu.regs[4] = PACKET; cpu.regs[5] = len; cpu.regs[31] = back;
      const r = p.measure(p.sym('dpf_hash'), to === 'child' ? child + 4 * chain.indexOf(asLoaded(port)) : p.sym('dpf_hash_miss'));
      if (to === 'miss') { p.measure(p.sym('dpf_hash_miss'), back); expect(cpu.regs[2]).toBe(0); }
      return r.cycles;
    };
    const key = asLoaded(7);
    let other = key + 1;
    while (bucketOf(other, 6) !== bucketOf(key, 6)) other++;
    let third = other + 1;
    while (bucketOf(third, 6) !== bucketOf(key, 6)) third++;
    expect(run(7, [], 'miss')).toBe(Costs.DPF_HASH);
    expect(run(7, [key], 'child')).toBe(Costs.DPF_HASH + Costs.DPF_HASH_ENTRY);
    expect(run(7, [other, key], 'child')).toBe(Costs.DPF_HASH + 2 * Costs.DPF_HASH_ENTRY);
    expect(run(7, [other], 'miss')).toBe(Costs.DPF_HASH + Costs.DPF_HASH_ENTRY);
    expect(run(7, [other, third], 'miss')).toBe(Costs.DPF_HASH + 2 * Costs.DPF_HASH_ENTRY);
    // A frame too short for the field: the bounds check falls through before the hash.
    expect(run(7, [key], 'miss', 37)).toBeLessThan(Costs.DPF_HASH);
  });

  it('copying a frame into a ring: a fixed part and the same cycles a word', () => {
    const copy = (len: number) => {
      const p = fresh(), cpu = p.m.cpu, ret = p.sym('_start');
      p.setWord(RING + 8, 4); p.setWord(RING + 12, 1536);
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 7 + 1) & 255);
      p.m.bus.ram8.set(bytes, FRAME_IN & 0x1fffffff);
      cpu.regs[4] = RING; cpu.regs[5] = FRAME_IN; cpu.regs[6] = len; cpu.regs[31] = ret;
      const r = p.measure(p.sym('ring_copy'), ret);
      const slot = (RING & 0x1fffffff) + 32;
      expect(p.word(RING)).toBe(1);
      expect(p.word(RING + 32)).toBe(len);
      expect([...p.m.bus.ram8.subarray(slot + 4, slot + 4 + len)]).toEqual([...bytes]);
      return r.cycles;
    };
    const c64 = copy(64), c128 = copy(128);
    expect(Costs.RING_COPY_WORD).toBe((c128 - c64) / 16);
    expect(Costs.RING_SLOT).toBe(c64 - 16 * Costs.RING_COPY_WORD);
  });

  it('ASH setup: the owner\'s address space, a0/a1 the frame, user mode at the ASH', () => {
    const p = fresh(), cpu = p.m.cpu, ash = 0x00400800;
    cpu.regs[4] = 0x7e000020; cpu.regs[5] = 60; cpu.regs[6] = ENV_B; cpu.regs[7] = ash;
    const r = p.measure(p.sym('ash_enter'), ash);
    expect([cpu.regs[4], cpu.regs[5], cpu.entryHi >>> 0, cpu.status & 1 << 1]).toEqual([0x7e000020, 60, 6 << 6, 2]);
    expect(Costs.ASH_SETUP).toBe(r.cycles);
  });

  it('transmit: the frame into a LANCE buffer a word at a time, the descriptor handed to the chip', () => {
    const send = (len: number) => {
      const p = fresh(), cpu = p.m.cpu, ret = p.sym('_start');
      cpu.regs[4] = FRAME_IN; cpu.regs[5] = len; cpu.regs[31] = ret;
      const r = p.measure(p.sym('net_transmit'), ret);
      const desc = 0x1f800000 + 0x100 + 8 * 16;
      expect(p.m.bus.read(desc + 2, 2) & 0x8300).toBe(0x8300); // OWN | STP | ENP
      expect((p.m.bus.read(desc + 4, 2) << 16) >> 16).toBe(-len);
      expect(cpu.regs[2]).toBe(len);
      return r.cycles;
    };
    const c64 = send(64), c128 = send(128);
    expect((c128 - c64) / 16).toBe(Costs.RING_COPY_WORD);
    expect(Costs.TRANSMIT).toBe(c64 - 16 * Costs.RING_COPY_WORD);
  });

  describe('the MPF-style classifier DPF replaced (asm/mpf.S): each filter interpreted in turn', () => {
    const cmp = (width: 1 | 2, offset: number, value: number): Atom => ({ kind: 'compare', width, offset, mask: width === 1 ? 0xff : 0xffff, value });
    const udp = (port: number) => [cmp(2, 12, 0x0800), cmp(1, 23, 17), cmp(2, 36, port)];
    /** Classifies a 64-byte UDP frame to port 7 with `filters` laid out as mpf.S reads them; v0 and the cycles. */
    const classify = (filters: Atom[][], frame = udpFrame(7)) => {
      const p = fresh(), cpu = p.m.cpu, ret = p.sym('_start');
      p.m.bus.ram8.set(frame, PACKET & 0x1fffffff);
      let at = FILTERS + 4 + 4 * filters.length;
      p.setWord(FILTERS, filters.length);
      filters.forEach((f, i) => {
        p.setWord(FILTERS + 4 + 4 * i, at);
        for (const w of [...encodeFilter(f), 0, 0, 0, 0]) { p.setWord(at, w); at += 4; }
      });
      cpu.regs[4] = PACKET; cpu.regs[5] = frame.length; cpu.regs[6] = FILTERS; cpu.regs[31] = ret;
      const r = p.measure(p.sym('mpf_classify'), ret, 100_000);
      return { v0: cpu.regs[2], cycles: r.cycles };
    };

    it('takes the first filter that accepts, and none when none does', () => {
      expect(classify([udp(7)]).v0).toBe(1);
      expect(classify([udp(9), udp(8), udp(7), udp(6)]).v0).toBe(3);
      expect(classify([udp(9), udp(8)]).v0).toBe(0);
      expect(classify([]).v0).toBe(0);
      // A shift atom steps over the IP header by its IHL (the frame's 0x45: 20 bytes).
      const ihl: Atom = { kind: 'shift', width: 1, offset: 14, mask: 0x0f, shift: 2 };
      expect(classify([[cmp(2, 12, 0x0800), cmp(1, 23, 17), ihl, cmp(2, 16, 7)]]).v0).toBe(1);
      expect(classify([[cmp(2, 12, 0x0800), cmp(1, 23, 17), ihl, cmp(2, 16, 8)]]).v0).toBe(0);
      // A field past the frame's end fails the filter.
      expect(classify([[cmp(2, 70, 0)], udp(7)]).v0).toBe(2);
    });

    it('costs MPF_ATOM an atom, MPF_FILTER a filter that fails and MPF_MATCH for the one that accepts', () => {
      const three = classify([udp(7)]).cycles, two = classify([udp(7).slice(0, 2)]).cycles;
      expect(Costs.MPF_ATOM).toBe(three - two);
      expect(Costs.MPF_MATCH).toBe(three - 3 * Costs.MPF_ATOM);
      // A filter that fails at its third atom (the port), then the one that accepts.
      expect(Costs.MPF_FILTER).toBe(classify([udp(8), udp(7)]).cycles - three - 3 * Costs.MPF_ATOM);
      // The model predicts a filter that fails at its first atom, and a hundred filters, exactly.
      const ipv6 = [cmp(2, 12, 0x86dd), cmp(1, 23, 17), cmp(2, 36, 7)];
      expect(classify([ipv6, udp(7)]).cycles).toBe(Costs.MPF_MATCH + Costs.MPF_FILTER + 4 * Costs.MPF_ATOM);
      const hundred = Array.from({ length: 100 }, (_, i) => udp(1000 + i)).concat([udp(7)]);
      expect(classify(hundred).cycles).toBe(Costs.MPF_MATCH + 100 * Costs.MPF_FILTER + 303 * Costs.MPF_ATOM);
    });

    it('mpfWork (dpf/mpf.ts) walks as mpf.S does: the same filter, and its counts give the cycles mpf.S takes', () => {
      const ihl: Atom = { kind: 'shift', width: 1, offset: 14, mask: 0x0f, shift: 2 };
      const filters = [udp(9), [cmp(2, 12, 0x86dd)], [cmp(2, 12, 0x0800), cmp(1, 23, 6)], [cmp(2, 12, 0x0800), cmp(1, 23, 17), ihl, cmp(2, 16, 8)],
        udp(5), [cmp(2, 12, 0x0800), cmp(1, 23, 17), ihl, cmp(2, 16, 7)], udp(7)];
      for (const port of [5, 7]) {
        const frame = udpFrame(port), asm = classify(filters, frame), w = mpfWork(filters, frame);
        expect(asm.v0).toBe(w.accepted + 1);
        expect(asm.cycles).toBe(Costs.MPF_MATCH + w.failed * Costs.MPF_FILTER + w.atoms * Costs.MPF_ATOM + w.shifts);
      }
    });
  });
});

/** A 64-byte Ethernet/IPv4/UDP frame to `port` (a 20-byte IP header). */
function udpFrame(port: number): Uint8Array {
  const p = new Uint8Array(64);
  p[12] = 0x08; p[14] = 0x45; p[23] = 17; p[36] = port >> 8; p[37] = port & 0xff;
  return p;
}
