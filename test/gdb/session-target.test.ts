// The Target over a real session: scenarios/gdb.yaml (memwalk with DWARF
// beside hello).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imagePaths, IDLE_TID, SessionTarget, type Resume, type StopInfo } from '../../src/gdb/index.js';
import { Reg } from '../../src/gdb/regs.js';
import { loadScenario, sessionFromScenario } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WRITE_PASS = 0x00402810;
const PAGES = 0x10000000;

function setup(checkpointEvery = 200_000) {
  const sc = loadScenario(join(ROOT, 'scenarios/gdb.yaml'));
  const session = sessionFromScenario(sc, { checkpointEvery });
  const target = new SessionTarget(session, { images: imagePaths(sc), chunk: 50_000 });
  const go = (how: Resume) => new Promise<StopInfo>((r) => target.resume(how, r));
  return { session, target, go, memwalk: session.envIds.get('memwalk')!, hello: session.envIds.get('hello')! };
}

describe('SessionTarget', () => {
  it('lists every environment and the kernel idle loop as threads', () => {
    const { target, memwalk, hello } = setup();
    expect(target.threads().map((t) => [t.tid, t.name])).toEqual([[memwalk, 'memwalk'], [hello, 'hello'], [IDLE_TID, 'kernel idle']]);
    expect(target.currentThread()).toBe(IDLE_TID);
    expect(target.execFile(hello)).toBe(join(ROOT, 'src/exos/images/exos-hello.elf'));
  });

  it('reads a waiting environment\'s saved registers and its memory through its own mappings', () => {
    const { target, memwalk } = setup();
    const regs = target.readRegisters(memwalk);
    expect(regs[Reg.PC]).toBe(0x00400000);
    expect(regs[29]! >>> 0).toBe(0x7fe00000);
    expect(regs[Reg.SR]).toBeUndefined();
    const elf = readFileSync(join(ROOT, 'src/exos/images/exos-memwalk-g.elf'));
    const text = target.readMemory(memwalk, 0x00400000, 16)!;
    expect(elf.indexOf(Buffer.from(text))).toBeGreaterThan(0);
    expect(target.readMemory(memwalk, 0x20000000, 4)).toBeUndefined();
    expect(target.readMemory(IDLE_TID, 0x00400000, 4)).toBeUndefined();
    expect(target.writeMemory(memwalk, 0x20000000, Uint8Array.of(1))).toBe(false);
  });

  it('continue stops at a breakpoint in the environment that reached it', async () => {
    const { target, go, memwalk } = setup();
    target.setBreakpoint(WRITE_PASS, true);
    const stop = await go({ kind: 'continue' });
    expect(stop).toEqual({ tid: memwalk, signal: 5, reason: { kind: 'swbreak' } });
    expect(target.readRegisters(memwalk)[Reg.PC]).toBe(WRITE_PASS);
    expect(target.readRegisters(memwalk)[Reg.SR]).toBeDefined();
  });

  it('a step of an environment that is not on the CPU runs until it has executed one instruction', async () => {
    const { target, go, memwalk, hello } = setup();
    target.setBreakpoint(WRITE_PASS, true);
    await go({ kind: 'continue' });
    const pc = target.readRegisters(hello)[Reg.PC];
    const stop = await go({ kind: 'step', tid: hello });
    expect(stop.tid).toBe(hello);
    expect(target.currentThread()).toBe(hello);
    expect(target.readRegisters(hello)[Reg.PC]).not.toBe(pc);
    expect(target.readRegisters(memwalk)[Reg.SR]).toBeUndefined();
  });

  it('a write watchpoint stops before the store in the watching environment', async () => {
    const { target, go, memwalk } = setup();
    target.setWatchpoint('write', PAGES + 0x40, 4, true, memwalk);
    const stop = await go({ kind: 'continue' });
    expect(stop.tid).toBe(memwalk);
    expect(stop.reason).toEqual({ kind: 'watch', watch: 'write', addr: PAGES + 0x40 });
    target.setWatchpoint('write', PAGES + 0x40, 4, false);
    expect(target.session.kernel.cpu.watchHit?.write).toBe(true);
  });

  it('a reserved instruction the environment executes is SIGILL, an address error SIGSEGV, with the kernel\'s words', async () => {
    for (const [word, signal, exc] of [[0xfc000000, 4, 'RI'], [0x8c080001, 11, 'AdEL']] as const) {
      const { target, go, memwalk } = setup();
      target.setBreakpoint(WRITE_PASS, true);
      await go({ kind: 'continue' });
      target.setBreakpoint(WRITE_PASS, false);
      expect(target.writeMemory(memwalk, WRITE_PASS, Uint8Array.of(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24))).toBe(true);
      const stop = await go({ kind: 'continue' });
      expect(stop.signal).toBe(signal);
      expect(stop.message).toMatch(new RegExp(`^exception ${exc} at epc 0x00402810 in memwalk`));
    }
  });

  it('reverse-step goes back one instruction; reverse-continue finds the previous breakpoint hit, then the start of history', async () => {
    const { target, go, session } = setup();
    target.setBreakpoint(WRITE_PASS, true);
    await go({ kind: 'continue' });
    const first = session.kernel.cpu.instret;
    await go({ kind: 'continue' });
    const second = session.kernel.cpu.instret;
    expect(second).toBeGreaterThan(first);
    const back1 = await go({ kind: 'reverse-step' });
    expect(back1.signal).toBe(5);
    expect(session.kernel.cpu.instret).toBe(second - 1);
    const back = await go({ kind: 'reverse-continue' });
    expect(back.reason).toEqual({ kind: 'swbreak' });
    expect(session.kernel.cpu.instret).toBe(first);
    expect(session.kernel.cpu.pc >>> 0).toBe(WRITE_PASS);
    const start = await go({ kind: 'reverse-continue' });
    expect(start.reason).toEqual({ kind: 'replaylog' });
    expect(session.kernel.cpu.instret).toBe(session.historyStart());
  });

  it('an interrupt stops a run with SIGINT; detach takes away every breakpoint it added', async () => {
    const { target, session } = setup();
    target.setBreakpoint(0x00400000 + 0x7000, true);
    const stopped = new Promise<StopInfo>((r) => target.resume({ kind: 'continue' }, r));
    target.interrupt();
    expect((await stopped).signal).toBe(2);
    expect(session.listBreakpoints().length).toBeGreaterThan(1);
    target.detach();
    expect(session.listBreakpoints()).toEqual([]);
  });

  it('a session breakpoint on a kernel event stops as SIGTRAP with the event as console text', async () => {
    const { go, session, hello } = setup();
    session.addBreakpoint({ kind: 'event', event: 'env-destroyed', env: 'hello' });
    const stop = await go({ kind: 'continue' });
    expect(stop.signal).toBe(5);
    expect(stop.message).toBe('event env-destroyed (hello)');
    expect(session.kernel.envs.get(hello)!.state).toBe('destroyed');
  });

  it('with tlbFaults, a TLB miss the kernel hands to the environment is SIGSEGV, naming the address', async () => {
    const sc = loadScenario(join(ROOT, 'scenarios/gdb.yaml'));
    const session = sessionFromScenario(sc, { checkpointEvery: 0 });
    const target = new SessionTarget(session, { tlbFaults: true });
    const stop = await new Promise<StopInfo>((r) => target.resume({ kind: 'continue' }, r));
    expect(stop.signal).toBe(11);
    expect(stop.message).toMatch(/^memwalk took TLB[LS] at epc 0x0040[0-9a-f]{4} \(BadVAddr 0x10000000\); the kernel dispatched it to its handler$/);
  });

  it('when every environment has finished, the process has exited', async () => {
    const { go } = setup(0);
    expect(await go({ kind: 'continue' })).toEqual({ tid: IDLE_TID, signal: 0, exited: true });
  });
});
