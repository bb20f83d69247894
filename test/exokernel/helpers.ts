// Building small user programs for kernel tests: code at 0x00400000 with
// labels, data after it, and a kernel that checks its invariant after
// every entry.

import { A, R } from '../emu/helpers/asm.js';
import { Kernel, checkInvariant, type EnvImage, type KernelOptions } from '../../src/exokernel/index.js';

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

/** A kernel whose invariant is checked after every kernel entry; violations collect in `violations`. */
export function checkedKernel(opts: KernelOptions = {}): { k: Kernel; violations: string[]; entries: () => number } {
  const k = new Kernel({ ramSize: 8 << 20, ...opts });
  const violations: string[] = [];
  let n = 0;
  k.onKernelExit = () => { n++; const v = checkInvariant(k); if (v.length) violations.push(...v.map((s) => `after entry ${n}: ${s}`)); };
  return { k, violations, entries: () => n };
}
