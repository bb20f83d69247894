// Step out (finish) and run to an address (until): the prologue scan that
// finds a MIPS function's frame without a frame pointer, and the runs
// that stop in the caller of real ExOS and monolithic-kernel code,
// recursion included, on the session and through both debuggers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ElfSymbol } from '../../src/emu/index.js';
import { parseElf } from '../../src/emu/index.js';
import { finishTarget, functionAt, scanPrologue, targetReached } from '../../src/session/finish.js';
import { execute, LiveDebugger, MonoDebugger, MonoSession, Session } from '../../src/session/index.js';
import { exosImage } from '../exokernel/helpers.js';
import { waitFor } from '../tui/fixtures/wait.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The words of attacker-die.c's recurse() at 0x4024ac as gcc -O2 compiled it (exos-attacker.elf). */
const RECURSE = [0x27bdf3e8, 0x308300ff, 0x00801025, 0xa3a30810, 0xafbf0c14, 0xa3a30910];
const reader = (base: number, words: readonly number[]) => (va: number) => (va >= base && va < base + 4 * words.length ? words[(va - base) / 4] : undefined);
const sym = (name: string, value: number, size: number, type: ElfSymbol['type'] = 'func'): ElfSymbol => ({ name, value, size, type, bind: 'global', section: '.text' });

describe('the prologue scan', () => {
  it('finds the frame a function makes and the slot it saves ra in', () => {
    expect(scanPrologue(reader(0x4024ac, RECURSE), 0x4024ac)).toEqual({ frame: 3096, frameAt: 0x4024ac, raOffset: 3092, raAt: 0x4024bc });
  });

  it('finds no frame in a leaf that returns at once, and stops at its jr', () => {
    // addu v0,a0,a1; jr ra; nop; then another function's addiu sp,sp,-32 that must not count.
    expect(scanPrologue(reader(0x1000, [0x00851021, 0x03e00008, 0, 0x27bdffe0]), 0x1000)).toEqual({ frame: 0, frameAt: undefined, raOffset: undefined, raAt: undefined });
  });

  it('stops at an unreadable word', () => {
    expect(scanPrologue(() => undefined, 0x1000).frame).toBe(0);
  });
});

describe('functionAt', () => {
  const syms = [sym('a', 0x100, 0x20), sym('b', 0x140, 0), sym('data', 0x120, 4, 'object')];
  it('is the function symbol at or before the pc, within its size', () => {
    expect(functionAt(syms, 0x104)?.name).toBe('a');
    expect(functionAt(syms, 0x124)).toBeUndefined();
    expect(functionAt(syms, 0x180)?.name).toBe('b');
    expect(functionAt(syms, 0xfc)).toBeUndefined();
  });
});

describe('finishTarget', () => {
  const base = { sp: 0x7fff0000, env: 'x', symbols: [sym('recurse', 0x4024ac, 0xbc)] };
  it('takes ra from the register before the prologue saved it, and the sp as it is', () => {
    const t = finishTarget({ ...base, pc: 0x4024ac, ra: 0x402554, read: reader(0x4024ac, RECURSE) });
    expect(t).toMatchObject({ addr: 0x402554, env: 'x', minSp: 0x7fff0000 });
  });

  it('takes ra from its stack slot once saved, and the caller\'s sp above the frame', () => {
    const stack = (va: number) => (va === 0x7fff0000 + 3092 ? 0x400123 : reader(0x4024ac, RECURSE)(va));
    const t = finishTarget({ ...base, pc: 0x4024c0, ra: 0xdead, read: stack });
    expect(t).toMatchObject({ addr: 0x400123, minSp: 0x7fff0000 + 3096 });
  });

  it('says why it cannot: no function, or no caller', () => {
    expect(finishTarget({ ...base, pc: 0x500000, ra: 4, read: () => 0 })).toBe('Cannot finish: the pc 00500000 is not in a function (no function symbol covers it)');
    expect(finishTarget({ ...base, pc: 0x4024ac, ra: 0, read: reader(0x4024ac, RECURSE) })).toMatch(/^Cannot finish recurse: its return address is 0/);
  });

  it('a stop in a deeper frame or another environment passes; another breakpoint is the run\'s', () => {
    const t = { addr: 0x10, env: 'x', minSp: 0x1000, detail: '', running: '' };
    expect(targetReached(t, 7, [7], { pc: 0x10, env: 'x', sp: 0x1000 })).toBe('stop');
    expect(targetReached(t, 7, [7], { pc: 0x10, env: 'x', sp: 0xc00 })).toBe('pass');
    expect(targetReached(t, 7, [7], { pc: 0x10, env: 'y', sp: 0x1000 })).toBe('pass');
    expect(targetReached(t, 7, [7, 2], { pc: 0x10, env: 'x', sp: 0x1000 })).toBe('other');
  });
});

const helloSession = () => new Session({ ramSize: 8 << 20, envs: [{ name: 'hello', image: exosImage('hello') }] });
const attackerSession = () => new Session({ ramSize: 8 << 20, envs: [{ name: 'att', image: exosImage('attacker'), args: ['die', 'stack'] }] });
const sp = (s: Session) => s.kernel.cpu.regs[29] >>> 0;

describe('finish on the exokernel (Session)', () => {
  it('runs from inside printf back to main, after the call\'s delay slot, with main\'s sp', () => {
    const s = helloSession();
    const ok = execute(s, { kind: 'break', breakpoint: { kind: 'symbol', symbol: 'printf', offset: 0, env: 'hello' } });
    expect(ok.ok).toBe(true);
    expect(s.run(50_000_000).reason).toBe('breakpoint');
    const ra = s.kernel.cpu.regs[31] >>> 0, callerSp = sp(s);
    execute(s, { kind: 'delete', id: 'all' });
    s.step(6); // into printf's body: its frame made and ra saved, vprintf not called yet
    expect(sp(s)).toBeLessThan(callerSp);
    const r = execute(s, { kind: 'finish' });
    expect(r).toEqual({ ok: true, text: `finished printf: back in its caller at ${ra.toString(16).padStart(8, '0')}` });
    expect(s.kernel.cpu.pc >>> 0).toBe(ra);
    expect(sp(s)).toBe(callerSp);
    expect(s.listBreakpoints()).toEqual([]);
    expect(s.readWord(ra - 8)! >>> 26).toBe(3); // the jal before it
  });

  it('finishes one level of a recursion, passing the deeper levels returning to the same place', () => {
    const s = attackerSession();
    execute(s, { kind: 'break', breakpoint: { kind: 'symbol', symbol: 'recurse', offset: 0, env: 'att' } });
    for (let i = 0; i < 5; i++) expect(s.run(50_000_000).reason).toBe('breakpoint');
    const ra = s.kernel.cpu.regs[31] >>> 0, entrySp = sp(s), before = s.instret;
    expect(ra).toBe(0x402554); // called by recurse itself
    execute(s, { kind: 'delete', id: 'all' });
    const r = execute(s, { kind: 'finish' });
    expect(r.ok).toBe(true);
    expect(s.kernel.cpu.pc >>> 0).toBe(0x402554);
    expect(sp(s)).toBe(entrySp);
    // Every level under it (about 80 of them) ran and returned first.
    expect(s.instret - before).toBeGreaterThan(80 * 20);
  });

  it('says why it cannot finish with no environment on the CPU', () => {
    expect(execute(helloSession(), { kind: 'finish' })).toEqual({ ok: false, text: 'Cannot finish: no environment is on the CPU' });
  });
});

describe('until on the exokernel (Session)', () => {
  it('runs to a symbol of the environment on the CPU, and refuses an unknown one', () => {
    const s = helloSession();
    s.step(1);
    expect(execute(s, { kind: 'until', at: { kind: 'symbol', name: 'malloc', offset: 0 } })).toEqual({ ok: true, text: `reached ${s.symbolAddress('malloc')!.toString(16).padStart(8, '0')} in hello` });
    expect(s.kernel.cpu.pc >>> 0).toBe(s.symbolAddress('malloc'));
    expect(s.listBreakpoints()).toEqual([]);
    expect(execute(s, { kind: 'until', at: { kind: 'symbol', name: 'nosuch', offset: 0 } })).toEqual({ ok: false, text: 'Cannot run until nosuch: No symbol nosuch in hello' });
  });
});

const stoppedLive = (d: { running: boolean; getState(): { status: unknown } }) => waitFor(() => !d.running, 'the run to end', () => JSON.stringify(d.getState().status));

describe('finish and until through the LiveDebugger', () => {
  it('finish runs in slices back to the caller and removes its breakpoint', async () => {
    const s = attackerSession();
    const d = new LiveDebugger(s, { now: () => performance.now(), chunk: 2_000, sliceMs: 2 });
    d.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'recurse', offset: 0, env: 'att' } });
    for (let i = 0; i < 3; i++) { d.run(); await stoppedLive(d); }
    const entrySp = sp(s);
    d.execute({ kind: 'delete', id: 'all' });
    expect(d.execute({ kind: 'finish' })).toBeUndefined();
    expect(d.getState().status).toEqual({ reason: 'running', detail: 'finishing recurse' });
    await stoppedLive(d);
    expect(d.getState().status).toEqual({ reason: 'step', detail: 'finished recurse: back in its caller at 00402554' });
    expect(sp(s)).toBe(entrySp);
    expect(s.listBreakpoints()).toEqual([]);
    d.dispose();
  });

  it('until removes its breakpoint when the run is paused before it gets there', async () => {
    const s = helloSession();
    s.step(1);
    const d = new LiveDebugger(s, { now: () => performance.now(), chunk: 500, sliceMs: 1 });
    d.execute({ kind: 'until', at: { kind: 'addr', addr: 0x7ff000 } });
    expect(s.listBreakpoints()).toHaveLength(1);
    d.pause();
    expect(d.running).toBe(false);
    expect(s.listBreakpoints()).toEqual([]);
    expect(d.execute({ kind: 'until', at: { kind: 'addr', addr: 0x401 } })).toEqual({ text: 'Cannot run until an address that is not a multiple of 4 (instructions are words)', error: true });
    d.dispose();
  });
});

describe('finish on the monolithic kernel (MonoDebugger)', () => {
  const kernel = parseElf(readFileSync(join(ROOT, 'src/exos/images/mono.elf')), 'mono.elf');

  it('finishes a kernel function back into its caller, on that process\'s kernel stack', async () => {
    const s = new MonoSession({ image: kernel, args: ['bench-pipe', '2'], checkpointEvery: 0 });
    const d = new MonoDebugger(s, { now: () => performance.now(), args: ['bench-pipe', '2'] });
    const fn = kernel.symbols.find((x) => x.name === 'copyout' && x.type === 'func') ?? kernel.symbols.find((x) => x.name === 'memmove' && x.type === 'func');
    expect(fn).toBeDefined();
    d.execute({ kind: 'break', breakpoint: { kind: 'symbol', symbol: fn!.name, offset: 0 } });
    d.run();
    await stoppedLive(d);
    expect(s.machine.cpu.pc >>> 0).toBe(fn!.value >>> 0);
    const ra = s.machine.cpu.regs[31] >>> 0, callerSp = s.machine.cpu.regs[29] >>> 0;
    d.execute({ kind: 'delete', id: 'all' });
    d.step(3);
    d.execute({ kind: 'finish' });
    await stoppedLive(d);
    expect(d.getState().status).toEqual({ reason: 'step', detail: `finished ${fn!.name}: back in its caller at ${ra.toString(16).padStart(8, '0')}` });
    expect(s.machine.cpu.pc >>> 0).toBe(ra);
    expect(s.machine.cpu.regs[29] >>> 0).toBe(callerSp);
    expect(s.listBreakpoints()).toEqual([]);
    d.dispose();
  });

  it('finishes a user program\'s printf back into its caller in the same process', async () => {
    const s = new MonoSession({ image: kernel, args: ['bench-pipe', '2'], checkpointEvery: 0 });
    const d = new MonoDebugger(s, { now: () => performance.now(), args: ['bench-pipe', '2'] });
    d.execute({ kind: 'break', breakpoint: { kind: 'pc', addr: 0x400eec } }); // printf in every program linked into the kernel's file table
    d.run();
    await stoppedLive(d);
    expect(s.machine.cpu.pc >>> 0).toBe(0x400eec);
    const ra = s.machine.cpu.regs[31] >>> 0, callerSp = s.machine.cpu.regs[29] >>> 0;
    d.execute({ kind: 'delete', id: 'all' });
    d.execute({ kind: 'finish' });
    await stoppedLive(d);
    expect(d.getState().status.detail).toBe(`finished printf: back in its caller at ${ra.toString(16).padStart(8, '0')}`);
    expect([s.machine.cpu.pc >>> 0, s.machine.cpu.regs[29] >>> 0]).toEqual([ra, callerSp]);
    d.dispose();
  });

  it('until runs to an address, and to a symbol of the program of the process on the CPU', async () => {
    const s = new MonoSession({ image: kernel, args: ['bench-pipe', '2'], checkpointEvery: 0 });
    const d = new MonoDebugger(s, { now: () => performance.now(), args: ['bench-pipe', '2'] });
    d.execute({ kind: 'until', at: { kind: 'addr', addr: 0x400070 } }); // the getpid stub bench-pipe calls first
    await stoppedLive(d);
    expect(s.machine.cpu.pc >>> 0).toBe(0x400070);
    expect(d.getState().status).toEqual({ reason: 'step', detail: 'reached 00400070' }); // no process was on the CPU: any may reach it
    d.execute({ kind: 'until', at: { kind: 'symbol', name: 'pipe', offset: 0 } }); // a user stub the kernel has no symbol of
    await stoppedLive(d);
    expect(s.machine.cpu.pc >>> 0).toBe(0x4000a0);
    expect(d.getState().status.detail).toBe('reached 004000a0 (pid 1)');
    expect(s.listBreakpoints()).toEqual([]);
    d.dispose();
  });

  it('reads the memory window of the process on the CPU as the kernel sees it', () => {
    const s = new MonoSession({ image: kernel, args: ['bench-pipe', '2'], checkpointEvery: 0 });
    const d = new MonoDebugger(s, { now: () => performance.now(), args: ['bench-pipe', '2'] });
    d.showMemory({ at: { kind: 'symbol', name: 'copyout', offset: 0 }, scroll: 0, perLine: 4, lines: 2 });
    const at = kernel.symbols.find((x) => x.name === 'copyout')!.value >>> 0;
    expect(d.getState().snapshot.memory).toMatchObject({ space: 'kernel', base: (at & ~15) >>> 0, words: Array.from({ length: 8 }, (_, i) => s.readWord(((at & ~15) >>> 0) + 4 * i)) });
    expect(d.getState().snapshot.memory!.words.every((w) => w !== undefined)).toBe(true);
    d.showMemory({ at: { kind: 'addr', addr: 0x00400000 }, scroll: 0, perLine: 4, lines: 1 });
    expect(d.getState().snapshot.memory!.words).toEqual([undefined, undefined, undefined, undefined]); // no process yet: no user mappings
    d.dispose();
  });

  it('says it cannot finish at the boot entry point, which no symbol of a function covers or whose ra is 0', () => {
    const s = new MonoSession({ image: kernel, args: ['bench-pipe', '2'], checkpointEvery: 0 });
    const d = new MonoDebugger(s, { now: () => performance.now(), args: ['bench-pipe', '2'] });
    expect(d.execute({ kind: 'finish' })).toMatchObject({ error: true, text: expect.stringMatching(/^Cannot finish/) });
    d.dispose();
  });
});
