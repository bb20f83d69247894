// The debugger's view of the monolithic kernel: its trap, system call,
// interrupt and copy counters read from the guest's memory by symbol
// (src/monolithic/kernel.ts), and the windows between a benchmark's two null
// calls. The counts asserted are the ones the programs' own code implies.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/index.js';
import { MONO_SYSCALLS, MonoSession, measureMono, monoSymbols } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const load = (name: string) => {
  const p = join(ROOT, 'src/exos/images', `${name}.elf`);
  return parseElf(new Uint8Array(readFileSync(p)), p);
};
const kernel = load('mono');

describe('the monolithic kernel seen through its symbols', () => {
  it('names system calls as syscall.h numbers them', () => {
    const header = readFileSync(join(ROOT, 'src/mono/kernel/syscall.h'), 'latin1');
    const defs = [...header.matchAll(/^#define SYS_(\w+)\s+(\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(defs.length).toBe(MONO_SYSCALLS.length - 1);
    for (const [name, num] of defs) expect(MONO_SYSCALLS[num], `SYS_${name}`).toBe(name);
  });

  it('refuses an image that is not the kernel, naming the missing symbol', () => {
    expect(() => monoSymbols(load('hello'))).toThrow(/hello\.elf is not the monolithic kernel: it has no symbol trap_count/);
  });

  it('the pipe benchmark window: 100 round trips are 200 writes, 200 reads, 800 bytes each way, a switch per hop', () => {
    const r = measureMono(kernel, { args: ['bench-pipe', '100'] });
    expect(r.reason).toBe('halt');
    expect(r.console).toContain('bench-pipe: 100 iterations, result 0xdd9ff79e ok');
    expect(r.windows).toHaveLength(1);
    const w = r.windows[0];
    expect(w.counters.syscalls).toEqual({ write: 200, read: 200, null: 1 });
    expect(w.counters.traps.Sys).toBe(401);
    expect(w.counters.copyinBytes).toBe(800);
    expect(w.counters.copyoutBytes).toBe(800);
    expect(w.counters.contextSwitches).toBeGreaterThanOrEqual(200);
    expect(w.cycles).toBeGreaterThanOrEqual(w.instructions);
    expect(w.instructions).toBeGreaterThan(100 * 400);
  });

  it('the trap benchmark window: one Mod exception and one sigreturn per store', () => {
    const r = measureMono(kernel, { args: ['bench-vm', 'trap', '50'] });
    expect(r.console).toContain('bench-vm trap: 50 iterations');
    expect(r.console).toContain(' ok\n');
    const w = r.windows[0];
    expect(w.counters.traps.Mod).toBe(50);
    expect(w.counters.syscalls.sigreturn).toBe(50);
    expect(w.counters.syscalls.mprotect).toBeUndefined();
  });

  it('counts network work over the wire: ARP and the echoes', () => {
    const r = measureMono(kernel, { args: ['udptest'], wire: true });
    expect(r.console).toContain('echoed 3 of 3 from 10.0.0.1:7');
    expect(r.counters.net).toEqual({ sent: 5, received: 5, errors: 0, udpDropped: 0 });
    expect(r.counters.syscalls.sendto).toBe(8);   // 3 echoes, 5 error cases (each still a system call)
    expect(r.counters.interrupts.io).toBeGreaterThan(0);
  });

  it('counts the whole run of forktest: every fork, exec and wait', () => {
    const r = measureMono(kernel, { args: ['forktest'] });
    expect(r.windows).toHaveLength(0);
    expect(r.counters.syscalls).toMatchObject({ fork: 18, exec: 2, exit: 19, wait: 20 });   // forktest's own exit halts
  });
});

describe('the monolithic kernel\'s own time', () => {
  it('splits a window into kernel and user cycles without changing it: prot1 is a few user instructions around each mprotect', () => {
    const plain = measureMono(kernel, { args: ['bench-vm', 'prot1', '40'] }).windows[0];
    const timed = measureMono(kernel, { args: ['bench-vm', 'prot1', '40'] , kernelTime: true }).windows[0];
    expect(timed.cycles).toBe(plain.cycles);
    expect(timed.counters.syscalls).toEqual({ mprotect: 40, null: 1 });
    const user = timed.cycles - timed.kernelCycles!;
    // The loop and bench_prot's wrapper: more than the syscall instruction, far less than the kernel's mprotect.
    expect(user / 40).toBeGreaterThan(3);
    expect(user / 40).toBeLessThan(40);
    expect(timed.kernelCycles! / 40).toBeGreaterThan(100);
    expect(plain.kernelCycles).toBeUndefined();
  });

  it('counts the idle loop as the kernel\'s: the UDP round trip waits on the wire in it', () => {
    const r = measureMono(kernel, { args: ['bench-udp-ping', '10.0.0.2', '10.0.0.1', '7', '5'], wire: true, kernelTime: true });
    const w = r.windows[0];
    // Two 64-byte frames on a 10 Mb/s wire and the echo host's delay: thousands of cycles a round trip the kernel spends waiting.
    expect(w.kernelCycles! / 5).toBeGreaterThan(4000);
    expect(w.cycles - w.kernelCycles!).toBeGreaterThan(0);
  });
});

describe('the same run wherever the checkout is', () => {
  it('the kernel read from any path halts at the same cycle with the same console (argv[0] is its file name, not its path)', () => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, 'src/exos/images/mono.elf')));
    const paths = ['mono.elf', '/w/mono.elf', '/work/main/src/exos/images/mono.elf', `/${'deep/'.repeat(30)}mono.elf`];
    const runs = paths.map((p) => measureMono(parseElf(bytes, p), { args: ['bench-pipe', '100'] }));
    for (const r of runs) {
      expect(r.console).toBe(runs[0].console);
      expect(r.cycles).toBe(runs[0].cycles);
      expect(r.counters).toEqual(runs[0].counters);
    }
    // And a monolithic kernel's session, as a scenario opens it.
    const halts = paths.map((p) => {
      const s = new MonoSession({ image: parseElf(bytes, p), args: ['bench-pipe', '100'], checkpointEvery: 0 });
      s.run(2_000_000);
      return [s.machine.cpu.cycles, s.machine.cpu.instret];
    });
    for (const h of halts) expect(h).toEqual(halts[0]);
  });
});
