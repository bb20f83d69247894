// Time travel's commands and what it carries back: the user's
// interventions replayed and replaced, breakpoint hit counts, the
// timeline's kill, and rr's reverse commands, each checked against a
// forward run.

import { describe, expect, it } from 'vitest';
import { execute, parseScenario } from '../../src/session/index.js';
import { drive, fresh as forward, historyLines, loadBundled, open, shown } from './travel-helpers.js';

const pagefault = loadBundled('pagefault.yaml');
const destroy = loadBundled('destroy.yaml');

describe('time travel', () => {
  it('after the timeline killed memwalk, going back before the kill and on kills it again, at the same cycle', () => {
    const o = open(destroy);
    drive(o, Infinity);
    const want = historyLines(o.s);
    const kill = o.s.history.slice(0, o.s.history.length).find((e) => e.kind === 'env-destroyed' && e.reason === 'killed by the debugger')!;
    expect(typeof o.s.travelNow({ cycle: kill.cycle - 100_000 }, 'back')).toBe('object');
    expect(o.s.history.slice(0, o.s.history.length).every((e) => e.cycle <= o.s.kernel.now())).toBe(true);
    expect(o.s.kernel.envs.get(o.s.envIds.get('memwalk')!)!.state).not.toBe('destroyed');
    drive(o, Infinity);
    expect(historyLines(o.s)).toEqual(want);
    expect(o.run.finish()).toEqual([]);
  });

  it("replays the user's kill when it passes its point, and a new action there replaces the old future", () => {
    const o = open(pagefault);
    drive(o, 120_000);
    const at = o.s.kernel.now();
    expect(o.s.kill('hello')).toBe(true);
    drive(o, 200_000);
    const killed = historyLines(o.s);
    expect(o.s.travelNow({ cycle: at - 30_000 }, 'back')).toMatchObject({ reason: 'step' });
    drive(o, 200_000);
    expect(historyLines(o.s)).toEqual(killed);
    // Back before the kill, the user gives console input instead: the kill is gone from the future.
    o.s.travelNow({ cycle: at - 30_000 }, 'back');
    const here = o.s.kernel.now();
    expect(o.s.consoleInput('hello', 'x')).toBe(true);
    drive(o, 200_000);
    expect(o.s.kernel.envs.get(1)!.destroyReason).not.toBe('killed by the debugger');
    const fresh = forward(pagefault);
    drive(fresh, here);
    fresh.s.consoleInput('hello', 'x');
    drive(fresh, 200_000);
    expect(historyLines(o.s)).toEqual(historyLines(fresh.s));
  });

  it('goto travels forwards and backwards to what a forward run shows; back goes back in cycles', () => {
    const o = open(pagefault);
    expect(execute(o.s, { kind: 'goto', cycle: 150_000 }).ok).toBe(true);
    const at = o.s.kernel.now();
    const fresh = forward(pagefault);
    drive(fresh, 150_000);
    expect(fresh.s.kernel.now()).toBe(at);
    expect(shown(o.s)).toEqual(shown(fresh.s));
    expect(execute(o.s, { kind: 'back', cycles: 40_000 }).text).toMatch(/^back 40,000 cycles \(cycle [\d,]+, instruction [\d,]+\)$/);
    const back = forward(pagefault);
    drive(back, 110_000);
    expect(shown(o.s)).toEqual(shown(back.s));
    expect(execute(o.s, { kind: 'goto', cycle: 0 }).ok).toBe(true);
    expect(o.s.history.length).toBe(forward(pagefault).s.history.length);
  });

  it('reverse-continue goes back to the previous breakpoint hit, and the hit count with it', () => {
    const o = open(pagefault);
    const id = o.s.addBreakpoint({ kind: 'event', event: 'frame-alloc' });
    const hits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const st = o.s.run(10_000_000);
      expect(st.reason).toBe('breakpoint');
      hits.push(st.cycle);
    }
    expect(o.s.hitCount(id)).toBe(4);
    const r = execute(o.s, { kind: 'reverseContinue' });
    expect(r.text).toMatch(/^reverse-continue: event frame-alloc \(hello\)/);
    expect(o.s.kernel.now()).toBe(hits[2]);
    expect(o.s.hitCount(id)).toBe(3);
    execute(o.s, { kind: 'reverseContinue' });
    expect(o.s.kernel.now()).toBe(hits[1]);
    const fresh = forward(pagefault);
    fresh.s.addBreakpoint({ kind: 'event', event: 'frame-alloc' });
    fresh.s.run(10_000_000);
    fresh.s.run(10_000_000);
    expect(shown(o.s)).toEqual(shown(fresh.s));
  });

  it('reverse-continue with no breakpoint says so, and with no hit before now stays', () => {
    const o = open(pagefault);
    drive(o, 50_000);
    expect(execute(o.s, { kind: 'reverseContinue' })).toMatchObject({ ok: false, text: 'No breakpoints: set one first (b, e or :break)' });
    o.s.addBreakpoint({ kind: 'event', event: 'env-destroyed' });
    const here = o.s.kernel.now();
    expect(execute(o.s, { kind: 'reverseContinue' })).toMatchObject({ ok: false, text: `No breakpoint hit before cycle ${here}: the machine stays where it was` });
    expect(o.s.kernel.now()).toBe(here);
  });

  it('rprev goes back to just after the previous event of a kind: forward from there, the next one comes only at the start point', () => {
    const o = open(pagefault);
    drive(o, 150_000);
    const before = o.s.kernel.now();
    expect(execute(o.s, { kind: 'reversePrev', event: 'stlb-miss' }).ok).toBe(true);
    const at = o.s.kernel.now();
    expect(at).toBeLessThan(before);
    const i = o.s.history.lastOfKind('stlb-miss');
    expect(o.s.history.at(i).cycle).toBeLessThanOrEqual(at);
    const fresh = forward(pagefault);
    drive(fresh, at);
    expect(fresh.s.history.lastOfKind('stlb-miss')).toBe(i);
    fresh.s.addBreakpoint({ kind: 'event', event: 'stlb-miss' });
    expect(fresh.s.run(before - at).cycle).toBeGreaterThanOrEqual(before);
    expect(execute(o.s, { kind: 'reversePrev', event: 'stlb-miss' }).ok).toBe(true);
    expect(o.s.history.lastOfKind('stlb-miss')).toBeLessThan(i);
  });

  it('rwatch goes back to just after the last change of a word, as stepping forward saw it', () => {
    const o = open(pagefault);
    drive(o, 60_000);
    // ExOS's fault counters, free list and break (bss of exos-hello).
    const words = ['exos_vmstats', 'freep', 'brk', 'len'].flatMap((n) => { const a = o.s.symbolAddress(n, 'hello')!; return [a, a + 4, a + 8]; });
    const seen = new Map(words.map((w) => [w, o.s.readWord(w, 'hello')]));
    const changed = new Map<number, number>();
    for (let i = 0; i < 100_000 && (changed.size === 0 || i % 500 !== 0); i++) {
      o.s.step(1);
      for (const w of words) {
        const v = o.s.readWord(w, 'hello');
        if (v !== seen.get(w)) { changed.set(w, o.s.kernel.now()); seen.set(w, v); }
      }
    }
    expect(changed.size).toBeGreaterThan(0);
    const [w, at] = [...changed][0];
    const r = execute(o.s, { kind: 'reverseWatch', env: 'hello', at: { kind: 'addr', addr: w } });
    expect(r.ok, r.text).toBe(true);
    expect(o.s.kernel.now()).toBe(at);
  });

  it('rnext from the instruction after a call goes back to the call', () => {
    const o = open(pagefault);
    drive(o, 100_000);
    let guard = 0;
    while (!o.s.callReturn() && guard++ < 100_000) o.s.step(1);
    const call = o.s.kernel.now();
    const pc = o.s.kernel.cpu.pc >>> 0;
    expect(o.s.stepOver().detail).toBe('stepped over the call');
    expect(o.s.kernel.cpu.pc >>> 0).toBe((pc + 8) >>> 0);
    expect(execute(o.s, { kind: 'reverseNext' }).text).toMatch(/^reverse-stepped over the call/);
    expect(o.s.kernel.now()).toBe(call);
    expect(o.s.kernel.cpu.pc >>> 0).toBe(pc);
  });

  it('travelling into the idle gap after every environment ended shows what a fresh run stopped there shows, and the timeline step after the gap comes again', () => {
    // hello ends long before cycle 3,000,000, when a datagram that nobody takes arrives.
    const gap = parseScenario([
      'name: gap', 'environments:', '  - { name: hello, image: exos-hello }', 'timeline:',
      '  - at: { cycle: 3000000 }', '    do: { inject: { udp: { to: "10.0.0.2", port: 7, payload: "late" } } }', 'run:', '  until: 4000000', '',
    ].join('\n'), 'scenarios/gap.yaml');
    const o = open(gap);
    drive(o, Infinity);
    const want = historyLines(o.s);
    const ended = o.s.history.slice(0, o.s.history.length).find((e) => e.kind === 'env-destroyed')!;
    expect(ended.cycle).toBeLessThan(2_000_000);
    expect(o.s.kernel.now()).toBe(3_000_000);
    expect((o.s.wire.save() as { queue: { at: Float64Array } }).queue.at).toHaveLength(1);
    for (const at of [2_000_000, 2_999_999, 1_000_000]) {
      expect(o.s.travelNow({ cycle: at }, 'into the gap')).toMatchObject({ reason: 'step', cycle: at });
      const fresh = forward(gap);
      drive(fresh, at);
      expect(fresh.s.kernel.now()).toBe(at);
      expect(shown(o.s), `at cycle ${at}`).toEqual(shown(fresh.s));
    }
    drive(o, Infinity);
    expect(historyLines(o.s)).toEqual(want);
    expect(o.s.kernel.now()).toBe(3_000_000);
    expect((o.s.wire.save() as { queue: { at: Float64Array } }).queue.at).toHaveLength(1);
  });

  it('checkpoints thin out far back: many near now, few far back, bounded in number', () => {
    const o = open(destroy, 20_000);
    drive(o, Infinity);
    const cps = o.s.checkpointCycles();
    const now = o.s.kernel.now();
    expect(cps.length).toBeLessThan(8 * Math.log(now / 20_000) + 10);
    const recent = cps.filter((c) => c > now - 200_000).length;
    const old = cps.filter((c) => c < now / 2).length;
    expect(recent).toBeGreaterThan(old / 2);
    expect(o.s.travelMemory).toBeGreaterThan(0);
  });
});
