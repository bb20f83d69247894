// gdb beside the TUI: the wiring of `exoscope tui --gdb` (gdbBesideTui)
// and what the TUI's debugger (LiveDebugger) does while gdb is attached.

import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gdbBesideTui, imagePaths, SessionTarget, type ExternalDisplay, type Resume, type StopInfo } from '../../src/gdb/index.js';
import { frame } from '../../src/gdb/packet.js';
import { LiveDebugger, loadScenario, openScenarioDebugger, parseScenario, replay, ScenarioRun, sessionFromScenario } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const until = async (cond: () => boolean) => { for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5)); };

function session() {
  const sc = loadScenario(join(ROOT, 'scenarios/gdb.yaml'));
  return { s: sessionFromScenario(sc, { checkpointEvery: 200_000 }), images: imagePaths(sc) };
}

describe('gdb beside the TUI', () => {
  it('tells the display it listens, that gdb attached, that gdb ran the machine and why it stopped, and that gdb left', async () => {
    const { s, images } = session();
    const seen: string[] = [];
    const display: ExternalDisplay = {
      setExternal: (label, control) => seen.push(`${label}${control ? ' (controls)' : ''}`),
      externalRan: (stop) => seen.push(stop ? `stopped: ${stop.reason}: ${stop.detail}` : 'running'),
      externalTimeline: () => undefined,
      refresh: () => { refreshes++; },
    };
    let refreshes = 0;
    const g = await gdbBesideTui(s, images, 0, display);
    if (typeof g === 'string') throw new Error(g);
    expect(seen[0]).toMatch(/^gdb: listening on 127\.0\.0\.1:\d+$/);
    const port = Number(/:(\d+)$/.exec(seen[0])![1]);
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (d) => { got += d; });
    await new Promise((r) => sock.once('connect', r));
    sock.write(frame('Z0,402810,4') + frame('c'));
    await until(() => got.includes('T05'));
    expect(got).toContain('T05thread:1;swbreak:;');
    expect(seen.slice(1)).toEqual(['gdb attached (controls)', 'running', 'stopped: breakpoint: pc 0x00402810 in memwalk']);
    expect(refreshes).toBe(0);
    // The rest of the run (about 400,000 cycles) takes more than one chunk: the display is redrawn between them.
    sock.write(frame('z0,402810,4') + frame('c'));
    await until(() => got.includes('W00'));
    expect(refreshes).toBeGreaterThanOrEqual(1);
    sock.destroy();
    await until(() => /listening/.test(seen[seen.length - 1]) && seen.length > 4);
    expect(seen[seen.length - 1]).toMatch(/^gdb: listening on/);
    await g.close();
  });

  it('while gdb is attached the TUI refuses to run or step, and its pause interrupts gdb\'s run', () => {
    const { s } = session();
    const d = new LiveDebugger(s, { now: () => 0 });
    let interrupts = 0;
    const control = { name: 'gdb', running: true, interrupt: () => { interrupts++; } };
    d.setExternal('gdb attached', control);
    expect(d.getState().attached).toBe('gdb attached');
    const said = [d.run(), d.step(1), d.execute({ kind: 'stepOver' }), d.execute({ kind: 'stepBack', n: 1 }), d.execute({ kind: 'continue' }), d.execute({ kind: 'step', n: 1 })];
    for (const o of said) expect(o).toEqual({ text: 'gdb is attached: run and step from gdb (space interrupts it), or detach it', error: true });
    d.externalRan();
    expect(d.getState().running).toBe(true);
    expect(d.pause()).toBeUndefined();
    expect(interrupts).toBe(1);
    d.externalRan({ reason: 'paused', detail: 'paused' });
    expect(d.getState().running).toBe(false);
    expect(d.getState().status).toEqual({ reason: 'paused', detail: 'paused (gdb)' });
    d.setExternal(undefined);
    expect(d.getState().attached).toBeUndefined();
    expect(d.run()).toBeUndefined();
    d.dispose();
  });

  it("gdb running the TUI's scenario stops at a timeline break with its reason, and the TUI gets the keys", async () => {
    const sc = parseScenario(`name: gdb-timeline
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["64", "2"] }
timeline:
  - { at: { cycle: 100000 }, do: { key: "s" } }
  - { at: { cycle: 300000 }, do: { break: looked at } }
`, join(ROOT, 'scenarios/gdb-timeline.yaml'));
    const { driver, run } = openScenarioDebugger(sc, { now: () => 0 });
    const keys: string[] = [];
    driver.onKeys((k) => keys.push(k));
    const target = new SessionTarget(run.session, { chunk: 50_000, onTimeline: () => driver.externalTimeline() });
    driver.setExternal('gdb attached', target);
    const go = (how: Resume) => new Promise<StopInfo>((r) => target.resume(how, r));
    const stop = await go({ kind: 'continue' });
    expect(stop).toMatchObject({ signal: 5, message: 'looked at' });
    // At the first instruction boundary from cycle 300,000 on (a kernel entry's
    // charge is not split), exactly where replay notes the same break.
    const noted: number[] = [];
    replay(sc, { onLine: (l) => { if (l.kind === 'note' && /looked at/.test(l.text)) noted.push(l.cycle); } });
    expect(noted).toHaveLength(1);
    expect(noted[0]).toBeGreaterThanOrEqual(300_000);
    expect(run.session.kernel.now()).toBe(noted[0]);
    expect(keys).toEqual(['s']);
    // The key step did not stop gdb; the run goes on from the break to the end (cycle 452,800).
    expect(await go({ kind: 'continue' })).toMatchObject({ exited: true });
    driver.dispose();
    run.dispose();
  });

  it("headless (gdbserver's non-interactive ScenarioRun), the scenario's run limit stops gdb's run and says so", async () => {
    const sc = parseScenario(`name: gdb-limit
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["64", "2"] }
run:
  until: 250000
`, join(ROOT, 'scenarios/gdb-limit.yaml'));
    const run = new ScenarioRun(sessionFromScenario(sc), sc);
    const target = new SessionTarget(run.session, { chunk: 50_000 });
    const go = (how: Resume) => new Promise<StopInfo>((r) => target.resume(how, r));
    expect(await go({ kind: 'continue' })).toMatchObject({ signal: 5, message: 'the scenario ends at cycle 250000' });
    // Where replay ends the same scenario: the first instruction boundary from cycle 250,000 on.
    const ended = replay(sc).cycles;
    expect(ended).toBeGreaterThanOrEqual(250_000);
    expect(run.session.kernel.now()).toBe(ended);
    run.dispose();
  });
});
