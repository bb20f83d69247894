// Building small user programs for kernel tests: code at 0x00400000 with
// labels, data after it, and a kernel that checks its invariant after
// every entry.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { A, R } from '../emu/helpers/asm.js';
import { parseElf } from '../../src/emu/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
import { FULL } from '../scale.js';
import { Kernel, checkInvariant, checkInvariantChanges, type EnvImage, type KernelOptions } from '../../src/exokernel/index.js';
import { Info, Layout, Save, Sys } from '../../src/exokernel/abi.js';

export { A, R };

/** Assembles code with labels: `at(label)` marks a place, branches take a label. */
export class Prog {
  readonly words: number[] = [];
  private labels = new Map<string, number>();
  private fixups: { at: number; label: string; kind: 'branch' | 'abs' | 'lui' | 'ori' }[] = [];
  constructor(readonly base = 0x00400000) {}
  get pc(): number { return this.base + 4 * this.words.length; }
  label(name: string): this { this.labels.set(name, this.pc); return this; }
  emit(...w: number[]): this { this.words.push(...w); return this; }
  /** A branch word whose 16-bit offset is filled in to reach `label`. */
  branch(word: number, label: string): this { this.fixups.push({ at: this.words.length, label, kind: 'branch' }); return this.emit(word); }
  /** lui/ori pair loading the address of `label` into rt. */
  la(rt: number, label: string): this {
    this.fixups.push({ at: this.words.length, label, kind: 'lui' });
    this.emit(A.lui(rt, 0));
    this.fixups.push({ at: this.words.length, label, kind: 'ori' });
    return this.emit(A.ori(rt, rt, 0));
  }
  /** li: a 32-bit constant in rt. */
  li(rt: number, v: number): this { return this.emit(A.lui(rt, v >>> 16), A.ori(rt, rt, v & 0xffff)); }
  /** v0 = n; syscall. */
  sys(n: number): this { return this.emit(A.addiu(R.v0, R.zero, n), A.syscall()); }
  /** Data words placed inline (after a jump). */
  data(label: string, bytes: Uint8Array | string): this {
    this.label(label);
    const b = typeof bytes === 'string' ? Buffer.from(bytes + '\0', 'latin1') : bytes;
    for (let i = 0; i < b.length; i += 4) this.words.push(b[i] | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24));
    return this;
  }
  /** Returns the image: one writable segment holding the words and `extra` zero bytes. */
  image(extra = 0): EnvImage {
    for (const f of this.fixups) {
      const target = this.labels.get(f.label);
      if (target === undefined) throw new Error(`no label ${f.label}`);
      const pc = this.base + 4 * f.at;
      if (f.kind === 'branch') this.words[f.at] = (this.words[f.at] & 0xffff0000) | (((target - pc - 4) >> 2) & 0xffff);
      else if (f.kind === 'lui') this.words[f.at] |= target >>> 16;
      else this.words[f.at] |= target & 0xffff;
    }
    const data = new Uint8Array(new Int32Array(this.words.map((w) => w | 0)).buffer);
    return { entry: this.base, segments: [{ vaddr: this.base, memsz: data.length + extra, data, flags: 7 }] };
  }
}

/** Every how many kernel exits checkedKernel also runs the full check (every one under EXOSCOPE_FUZZ=full). */
export const FULL_CHECK_EVERY = FULL ? 1 : 16;

/**
 * A kernel whose invariant is checked after every kernel entry;
 * violations collect in `violations`. Each exit runs the incremental check
 * (checkInvariantChanges: what the kernel's mutation points marked since
 * the last exit, as a scenario's `invariant` expectation does), and every
 * FULL_CHECK_EVERY-th exit the full one from the tables alone, so a
 * violation the change marks would miss is still caught within that many
 * exits (test/exokernel/invariant-changes.test.ts checks that the two
 * agree at every exit of a long busy run). The full check at every exit
 * was most of the kernel tests' time.
 */
export function checkedKernel(opts: KernelOptions = {}): { k: Kernel; violations: string[]; entries: () => number } {
  const k = new Kernel({ ramSize: 8 << 20, ...opts });
  const violations: string[] = [];
  let n = 0;
  k.onKernelExit.add(() => {
    n++;
    const v = n % FULL_CHECK_EVERY === 0 ? [...new Set([...checkInvariantChanges(k), ...checkInvariant(k)])] : checkInvariantChanges(k);
    if (v.length) violations.push(...v.map((s) => `after entry ${n}: ${s}`));
  });
  return { k, violations, entries: () => n };
}

/**
 * A program with a TLB-miss handler: it registers the save area and the
 * handler for TLBL/TLBS, then touches an unmapped heap page. The handler
 * allocates a frame with the environment's key, maps it and returns
 * through the save area.
 */
export function pager(pages: number): Prog {
  const p = new Prog();
  p.la(R.a0, 'save').sys(Sys.SetSaveArea);
  for (const code of [2, 3]) p.emit(A.addiu(R.a0, R.zero, code)).la(R.a1, 'handler').sys(Sys.SetHandler);
  // Two passes over `pages` pages: write i at page i, then sum them.
  p.li(R.s0, Layout.HEAP).emit(A.addiu(R.s2, R.zero, pages), A.addiu(R.t2, R.zero, 0), A.addu(R.t3, R.s0, R.zero));
  p.label('w').emit(A.sw(R.t2, 0, R.t3), A.addiu(R.t2, R.t2, 1)).branch(A.bne(R.t2, R.s2, 0), 'w').emit(A.addiu(R.t3, R.t3, 0x1000));
  p.emit(A.addiu(R.t2, R.zero, 0), A.addu(R.t3, R.s0, R.zero));
  p.label('r').emit(A.lw(R.t1, 0, R.t3), A.addiu(R.t2, R.t2, 1), A.addu(R.s1, R.s1, R.t1)).branch(A.bne(R.t2, R.s2, 0), 'r').emit(A.addiu(R.t3, R.t3, 0x1000));
  p.la(R.a0, 'out').emit(A.sw(R.s1, 0, R.a0), A.addiu(R.a1, R.zero, 4)).sys(Sys.Cputs);
  p.emit(A.addiu(R.a0, R.zero, 0)).sys(Sys.Exit);
  // handler: a1 = BadVAddr. Keep BadVAddr in k1 across the syscalls.
  p.label('handler').emit(A.addu(R.k1, R.a1, R.zero));
  p.li(R.t9, Layout.INFO).emit(A.addiu(R.a0, R.zero, -1), A.lw(R.a1, Info.KEY_LO, R.t9), A.lw(R.a2, Info.KEY_HI, R.t9)).sys(Sys.FrameAlloc);
  p.emit(A.sll(R.a1, R.v0, 12), A.ori(R.a1, R.a1, 0x600)); // EntryLo = frame | D | V
  p.li(R.t8, 0xfffff000).emit(A.and(R.a0, R.k1, R.t8), A.lw(R.a2, Info.KEY_LO, R.t9), A.lw(R.a3, Info.KEY_HI, R.t9)).sys(Sys.TlbMap);
  // return: busy = 0, reload a0/a1/at, jump to EPC
  p.la(R.k1, 'save').emit(A.sw(R.zero, 4 * Save.Busy, R.k1), A.lw(R.k0, 4 * Save.EPC, R.k1), A.lw(R.a0, 4 * Save.A0, R.k1), A.lw(R.a1, 4 * Save.A1, R.k1), A.lw(R.at, 4 * Save.AT, R.k1), A.jr(R.k0), A.nop());
  p.data('save', new Uint8Array(32));
  p.data('out', new Uint8Array(4));
  return p;
}

/** Loads an ExOS image (src/exos/images/exos-<name>.elf). */
export function exosImage(name: string) {
  const path = join(ROOT, 'src/exos/images', `exos-${name}.elf`);
  return parseElf(new Uint8Array(readFileSync(path)), path);
}
