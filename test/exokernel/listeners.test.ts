// The kernel's notifications are listener sets (docs/architecture.md, "The
// exokernel"): the debugger, the invariant check and a measurement can all
// listen to kernel entries at once, and none displaces another.

import { describe, expect, it } from 'vitest';
import { ExcCode, Listeners } from '../../src/emu/index.js';
import { Sys } from '../../src/exokernel/abi.js';
import { A, Prog, R, checkedKernel } from './helpers.js';

describe('Listeners', () => {
  it('calls every listener in the order added; a removed one is no longer called', () => {
    const l = new Listeners<[number]>();
    const heard: string[] = [];
    const offA = l.add((n) => heard.push(`a${n}`));
    l.add((n) => heard.push(`b${n}`));
    l.emit(1);
    offA();
    l.emit(2);
    expect(heard).toEqual(['a1', 'b1', 'b2']);
    expect(l.size).toBe(1);
  });

  it('a listener that removes itself or adds another while called does not disturb this round', () => {
    const l = new Listeners<[]>();
    const heard: string[] = [];
    const once = (): void => { heard.push('once'); l.remove(once); l.add(() => heard.push('late')); };
    l.add(once);
    l.add(() => heard.push('always'));
    l.emit();
    l.emit();
    expect(heard).toEqual(['once', 'always', 'always', 'late']);
  });
});

describe('the kernel\'s entry and exit listeners', () => {
  it('several onTrap and onKernelExit listeners all hear every kernel entry, beside the invariant check', () => {
    const { k, violations, entries } = checkedKernel();
    const p = new Prog();
    for (let i = 0; i < 3; i++) p.sys(Sys.Null);
    p.emit(A.addiu(R.a0, R.zero, 0)).sys(Sys.Exit);
    k.createEnv(p.image(), 'calls');
    const a: number[] = [], b: number[] = [];
    let exitsA = 0, exitsB = 0;
    k.onTrap.add((code) => a.push(code));
    const offB = k.onTrap.add((code) => b.push(code));
    k.onKernelExit.add(() => exitsA++);
    k.onKernelExit.add(() => exitsB++);
    k.run(1_000_000);
    const syscalls = a.filter((c) => c === ExcCode.Sys).length;
    expect(syscalls).toBe(4);
    expect(b).toEqual(a);
    expect(exitsA).toBe(a.length);
    expect(exitsB).toBe(a.length);
    expect(entries()).toBe(a.length);
    expect(violations).toEqual([]);
    offB();
    expect(k.onTrap.size).toBe(1);
  });
});
