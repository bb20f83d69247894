// gdb beside the TUI: the wiring of `exoscope tui --gdb` (gdbBesideTui)
// and what the TUI's debugger (LiveDebugger) does while gdb is attached.

import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/emu/elf.js';
import { App } from '../../src/tui/app.js';
import { makeTheme, ThemeContext } from '../../src/tui/theme.js';
import { Client } from './scripted.js';
import { gdbBesideTui, imagePaths, SessionTarget, type ExternalDisplay, type Resume, type StopInfo } from '../../src/gdb/index.js';
import { frame } from '../../src/gdb/packet.js';
import { LiveDebugger, loadScenario, type ExternalControl, openScenarioDebugger, parseScenario, replay, ScenarioRun, sessionFromScenario } from '../../src/session/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** memwalk's write_pass in its image, wherever the link put it. */
const WP = ((path: string) => parseElf(new Uint8Array(readFileSync(path)), path).symbols.find((s) => s.name === 'write_pass')!.value)(join(ROOT, 'src/exos/images/exos-memwalk-g.elf'));
/** Waits (at most 20 s) until `cond` holds, looking again every 5 ms; the caller's expectations then say what did not happen. */
const until = async (cond: () => boolean) => { for (const end = Date.now() + 20_000; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5)); };

/** gdb.yaml's session; with `passes`, memwalk walks its pages that many times (gdb.yaml: 2) so that it runs for longer. */
function session(passes?: number) {
  const file = join(ROOT, 'scenarios/gdb.yaml');
  const text = readFileSync(file, 'utf8');
  const sc = passes === undefined ? loadScenario(file) : parseScenario(text.replace('args: ["16", "2"]', `args: ["16", "${passes}"]`), file);
  if (passes !== undefined) expect(sc.environments[0].args).toEqual(['16', String(passes)]);
  return { s: sessionFromScenario(sc, { checkpointEvery: 200_000 }), images: imagePaths(sc) };
}

describe('gdb beside the TUI', () => {
  it('tells the display it listens, that gdb attached, that gdb ran the machine and why it stopped, and that gdb left', async () => {
    const { s, images } = session();
    const seen: string[] = [];
    let control: ExternalControl | undefined;
    const display: ExternalDisplay = {
      setExternal: (label, c) => { control = c ?? control; seen.push(`${label}${c ? ' (controls)' : ''}`); },
      externalRan: (stop) => seen.push(stop ? `stopped: ${stop.reason}: ${stop.detail}` : 'running'),
      externalTimeline: () => undefined,
      refresh: () => { refreshes++; },
      pause: (detail) => seen.push(`pause: ${detail}`),
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
    sock.write(frame(`Z0,${WP.toString(16)},4`) + frame('c'));
    await until(() => got.includes('T05'));
    expect(got).toContain('T05thread:1;swbreak:;');
    expect(seen.slice(1)).toEqual(['gdb attached (controls)', 'running', `stopped: breakpoint: pc 0x${WP.toString(16).padStart(8, '0')} in memwalk`]);
    expect(refreshes).toBe(0);
    // The TUI runs; gdb continues meanwhile, then interrupts: the TUI is asked to pause, and gdb hears its stop.
    control!.frontEndRan!();
    sock.write(frame('c') + '\x03');
    await until(() => seen.at(-1) === 'pause: paused by gdb');
    control!.frontEndRan!({ reason: 'paused', detail: 'paused by gdb' });
    await until(() => got.includes('T02'));
    expect(got).toMatch(/T02thread:1;/);
    // The rest of the run (about 400,000 cycles) takes more than one chunk: the display is redrawn between them.
    sock.write(frame(`z0,${WP.toString(16)},4`) + frame('c'));
    await until(() => got.includes('W00'));
    expect(refreshes).toBeGreaterThanOrEqual(1);
    sock.destroy();
    await until(() => /listening/.test(seen[seen.length - 1]) && seen.length > 4);
    expect(seen[seen.length - 1]).toMatch(/^gdb: listening on/);
    expect(seen.filter((x) => x.startsWith('stopped') || x === 'running')).toHaveLength(4);
    await g.close();
  });

  it('while gdb runs the machine the TUI refuses to run or step and its pause interrupts gdb; otherwise the TUI runs it and gdb hears', () => {
    const { s } = session();
    const d = new LiveDebugger(s, { now: () => 0 });
    const heard: string[] = [];
    const control = { name: 'gdb', running: true, interrupt: () => { heard.push('interrupt'); }, frontEndRan: (stop?: { reason: string; detail: string }) => { heard.push(stop ? `stopped: ${stop.reason}: ${stop.detail}` : 'running'); } };
    d.setExternal('gdb attached', control);
    expect(d.getState().attached).toBe('gdb attached');
    const said = [d.run(), d.step(1), d.execute({ kind: 'stepOver' }), d.execute({ kind: 'stepBack', n: 1 }), d.execute({ kind: 'continue' }), d.execute({ kind: 'step', n: 1 })];
    for (const o of said) expect(o).toEqual({ text: 'gdb is running the machine: space interrupts it', error: true });
    d.externalRan();
    expect(d.getState().running).toBe(true);
    expect(d.pause()).toBeUndefined();
    expect(heard).toEqual(['interrupt']);
    d.externalRan({ reason: 'paused', detail: 'paused' });
    expect(d.getState().running).toBe(false);
    expect(d.getState().status).toEqual({ reason: 'paused', detail: 'paused (gdb)' });
    // gdb stopped: the TUI steps and runs the machine itself, and gdb is told.
    control.running = false;
    expect(d.step(3)).toBeUndefined();
    expect(d.run()).toBeUndefined();
    expect(d.pause()).toBeUndefined();
    expect(heard).toEqual(['interrupt', 'stopped: step: stepped 3', 'running', 'stopped: paused: paused by you']);
    d.setExternal(undefined);
    expect(d.getState().attached).toBeUndefined();
    d.dispose();
  });

  it('the TUI (in Ink) and gdb share one machine: a stop in either shows in both', async () => {
    // memwalk walks for long enough that gdb's run is still going when the TUI draws its refusal (with
    // two passes, the translator could finish it before the TUI drew).
    const { s, images } = session(400);
    const d = new LiveDebugger(s, { now: () => performance.now() });
    const r = render(h(ThemeContext.Provider, { value: makeTheme(false) }, h(App, { driver: d, title: 'gdb', onExit: () => {} })));
    const screen = () => r.lastFrame() ?? '';
    const status = () => screen().split('\n')[0];
    /**
     * Waits for the frame `what` reads (the status line or the whole screen)
     * to match `re`, looking again after each turn of the event loop, so that
     * a run goes on no longer than the TUI takes to draw; fails with that frame.
     */
    const shows = async (what: () => string, re: RegExp | string) => {
      const ok = () => (typeof re === 'string' ? what().includes(re) : re.test(what()));
      for (const end = Date.now() + 20_000; !ok() && Date.now() < end;) await new Promise((res) => setTimeout(res, 2));
      if (typeof re === 'string') expect(what()).toContain(re); else expect(what()).toMatch(re);
    };
    /** Types key `k`; the caller then waits for what it does to show. */
    const key = (k: string) => { r.stdin.write(k); };
    // The wiring of gdbBesideTui, with a scripted gdb over a Connection instead of a socket.
    const target = new SessionTarget(s, { images, chunk: 50_000, onRun: (stop) => d.externalRan(stop), onTimeline: () => d.externalTimeline(), pauseFrontEnd: () => d.pause('paused by gdb') });
    d.setExternal('gdb attached', target);
    const gdb = new Client(target);
    const got: string[] = [];
    const take = () => { got.push(...gdb.packets()); return got.splice(0); };
    const reply = async (what: RegExp) => { let all: string[] = []; await until(() => { all = all.concat(take()); return all.some((p) => what.test(p)); }); return all; };
    try {
      await shows(status, /^gdb · gdb attached │ ■ paused: booted/);
      gdb.ask('qSupported:multiprocess+');
      expect(gdb.ask('Hgp1.1')).toBe('OK');
      expect(gdb.ask(`Z0,${WP.toString(16)},4`)).toBe('OK');
      // The TUI steps: gdb's next resume is told where the machine is now, at once.
      key('s');
      await shows(status, /■ step: stepped 1 /);
      gdb.send('vCont;c');
      const moved = take();
      expect(Buffer.from(moved[0].slice(1), 'hex').toString()).toBe('the TUI moved the machine: stepped 1\n');
      expect(moved[1]).toMatch(new RegExp(`^T05thread:p[0-9a-f]+\\.[0-9a-f]+;25:${(s.kernel.cpu.pc >>> 0).toString(16).padStart(8, '0').match(/../g)!.reverse().join('')};`));
      // The TUI runs (c; run() here, so that gdb's continue surely comes before the run ends):
      // gdb's continue waits for that run and hears it stop at gdb's breakpoint.
      expect(d.run()).toBeUndefined();
      expect(d.getState().running).toBe(true);
      gdb.send('vCont;c');
      expect(take()).toEqual([]);
      const hit = await reply(/^T05/);
      expect(hit.at(-1)).toMatch(new RegExp(`^T05thread:p1\\.1;swbreak:;25:${[0, 8, 16, 24].map((b) => ((WP >>> b) & 0xff).toString(16).padStart(2, '0')).join('')};`));
      await shows(status, new RegExp(`■ breakpoint: pc 0x${WP.toString(16).padStart(8, '0')} in memwalk `));
      // gdb runs the machine: the TUI shows it running, refuses to step, and its space interrupts gdb.
      expect(gdb.ask(`z0,${WP.toString(16)},4`)).toBe('OK');
      gdb.send('vCont;c');
      key('s');
      await shows(screen, 'gdb is running the machine: space interrupts it');
      expect(status()).toMatch(/▶ running \(gdb\)/);
      expect(target.running).toBe(true);
      key(' ');
      expect((await reply(/^T02/)).at(-1)).toMatch(/^T02thread:p/);
      await shows(status, /■ paused: paused \(gdb\)/);
      // The TUI runs again; gdb waits on it, and gdb's Ctrl-C pauses the TUI's run.
      expect(d.run()).toBeUndefined();
      gdb.send('vCont;c');
      gdb.write('\x03');
      const paused = await reply(/^T02/);
      expect(Buffer.from(paused[0].slice(1), 'hex').toString()).toBe('the TUI paused the machine: paused by gdb\n');
      expect(d.getState().running).toBe(false);
      await shows(status, /■ paused: paused by gdb/);
      // The TUI runs and pauses while gdb is at its prompt: gdb's next continue hears of that pause at once.
      expect(d.run()).toBeUndefined();
      key(' ');
      await shows(status, /■ paused: paused by you/);
      gdb.send('vCont;c');
      const told = take();
      expect(Buffer.from(told[0].slice(1), 'hex').toString()).toBe('the TUI paused the machine: paused by you\n');
      expect(told[1]).toMatch(/^T02thread:p/);
    } finally {
      r.unmount();
      d.dispose();
    }
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
    expect(await go({ kind: 'continue' })).toMatchObject({ exited: { code: 0 } });
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
