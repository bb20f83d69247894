// The whole TUI in Ink's test renderer (100 columns, 24 rows), driving a
// real session with keys. Each key is followed by the frame it draws, a
// run by the frame that shows its stop (fixtures/driven.ts): no fixed sleeps.

import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/session/index.js';
import { drive } from './fixtures/driven.js';
import { fixtureSession, liveDebugger, revokeSession } from './fixtures/programs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** The App over `session` titled "test" (with `description`, on its first screen); `exits` collects onExit's statuses. */
async function start(session: Session = fixtureSession(), description?: string) {
  const exits: number[] = [];
  const d = await drive(liveDebugger(session), 'test', { description, onExit: (s: number) => exits.push(s) });
  cleanup = d.dispose;
  return { ...d, exits };
}

describe('App', () => {
  it('draws the compact layout in rows - 1 lines: status, tabs, the CPU pane over the log and the environments, the legend', async () => {
    const { screen } = await start();
    const lines = screen().split('\n');
    expect(lines).toHaveLength(23);
    expect(lines[0]).toMatch(/^test │ ■ paused: booted · pace max +cycle [\d,]+ {2}insn 0 {2}idle @ 00000000$/);
    expect(lines[1]).toBe(' 1 CPU  2 TLB/STLB  3 Envs  4 Frames  5 Log  6 Console  7 Slices  8 DPF  9 Scenario  0 Memory');
    expect(lines[2]).toBe(' 1 CPU   idle on the CPU');
    expect(lines[3]).toMatch(/^pc {7}00000000  EPC/);
    expect(lines.findIndex((l) => /^ 5 Log +[\d,]+ events since boot +3 Envs +2 of 2 alive; selected a$/.test(l))).toBeGreaterThan(8);
    expect(lines[22]).toMatch(/^\? help {2}q quit {2}s step/);
  });

  it('with a description, opens on a first screen that says what the scenario is and which key starts it', async () => {
    const { screen, keys, driver } = await start(fixtureSession(), 'Two pagers.');
    const text = screen();
    // 24 rows: the compact first screen, with every pane on it.
    expect(text).toContain('│Scenario test: Two pagers.');
    expect(text).toContain('│2 environments at boot: a, b.');
    expect(text).toMatch(/│ {2}2 TLB\/STLB {2}every mapping/);
    expect(text).toMatch(/│ {2}9 Scenario {2}what the scenario expects/);
    expect(text).toContain('│Press c to start; space pauses, s steps, ? lists every key, q quits.');
    expect(text.split('\n').at(-1)).toBe('c starts the machine  ? keys  q quits  any other key closes this');
    await keys('c');
    expect(screen()).not.toContain('│Scenario test');
    expect(driver.getState().running || driver.getState().snapshot.instret > 0).toBe(true);
    driver.pause();
  });

  it('any other key closes the first screen without doing anything else', async () => {
    const { screen, keys, driver } = await start(fixtureSession(), 'Two pagers.');
    await keys('x');
    expect(screen()).toMatch(/\n 1 CPU +idle on the CPU\n/);
    expect(driver.getState().snapshot.instret).toBe(0);
  });

  it('z zooms the focused pane to the whole body and back; a digit focuses another pane', async () => {
    const { screen, keys } = await start();
    await keys('4', 'z');
    const lines = screen().split('\n');
    expect(lines).toHaveLength(23);
    expect(lines[2]).toMatch(/^╔/);
    expect(lines[3]).toMatch(/^║4 Frames {2}\d+ frames/);
    expect(screen()).not.toMatch(/\n 5 Log /);
    await keys('z');
    expect(screen().split('\n')[2]).toMatch(/^ 4 Frames /);
    expect(screen()).toMatch(/\n 5 Log /);
  });

  it('steps, and :step steps many, and shows the stop in the status line', async () => {
    const { screen, keys } = await start();
    await keys('s');
    expect(screen()).toMatch(/■ step: stepped 1 .* insn 1 {2}a @ 00400004/);
    await keys(':', 's', 't', 'e', 'p', ' ', '1', '0', '\r');
    expect(screen()).toMatch(/■ step: stepped 10 .* insn 11 {2}a @ 0040002c/);
    expect(screen()).toContain(' > 0040002c  ori     a1,a1,0x9c');
  });

  it('breaks on a TLB miss chosen in the e menu, then continues to it', async () => {
    const { screen, keys, driver, settle } = await start();
    await keys('e');
    expect(screen()).toContain('Break on (for every environment');
    await keys('j', ' ');
    expect(screen()).toMatch(/\[x\] TLBL/);
    await keys('\x1b');
    await keys('c');
    await settle();
    expect(screen().split('\n')[0]).toMatch(/■ breakpoint: exception TLBL at epc 0x00400000 in a/);
  });

  it('j and k select an event in the log and Enter travels to it: the machine as it was just after it, the event still selected', async () => {
    const s = fixtureSession({ checkpointEvery: 20_000 });
    s.run(300_000);
    const { screen, keys, driver, settle } = await start(s);
    await keys('5', 'k', 'k', 'k');
    const total = driver.getState().snapshot.eventsTotal;
    const ev = s.history.at(total - 3);
    const cycle = ev.cycle.toLocaleString('en-US');
    const selected = () => screen().split('\n').filter((l) => l.startsWith('>'));
    expect(selected().some((l) => l.includes(cycle) && l.includes(ev.kind))).toBe(true);
    await keys('\r');
    await settle();
    expect(driver.getState().status.detail).toMatch(new RegExp(`^at event ${total - 2} \\(${ev.kind}\\)`));
    expect(s.history.at(total - 3)).toEqual(ev);
    expect(s.history.length).toBeLessThanOrEqual(total);
    expect(s.kernel.now()).toBeGreaterThanOrEqual(ev.cycle);
    expect(screen().split('\n')[0]).toContain(`cycle ${s.kernel.now().toLocaleString('en-US')}`);
    expect(selected().some((l) => l.includes(cycle) && l.includes(ev.kind))).toBe(true);
  });

  it('the log is a window over the whole history: a filter counts and selects over all of it; g selects the first event since boot of a history longer than 1,000, j/k and PgDn move through it, Enter travels there', async () => {
    const s = fixtureSession({ checkpointEvery: 20_000 });
    while (s.history.length <= 2_500) s.run(100_000);
    const { screen, keys, driver, settle, waitUntil } = await start(s);
    const total = s.history.length;
    const all = s.history.slice(0, total);
    const selected = () => screen().split('\n').filter((l) => l.startsWith('>'));
    const showing = (i: number) => { const e = s.history.at(i); return selected().some((l) => l.includes(e.cycle.toLocaleString('en-US')) && l.includes(e.kind)); };
    // Waits for the screen to show `text`, or event i selected (failing after 20 s with the last frame).
    const until = async (ok: () => boolean, what: string) => { await waitUntil(ok, what); return ok(); };
    await keys('5');
    expect(await until(() => screen().includes(`${total.toLocaleString('en-US')} events since boot`), 'the count of every event since boot')).toBe(true);
    // A filter over the whole history: its first match is selectable though it is far older than the last 1,000 events.
    await keys('/', ...'kind:env-created', '\r');
    const created = all.filter((e) => e.kind === 'env-created').length;
    expect(await until(() => screen().includes(`${created} of ${total.toLocaleString('en-US')} match kind:env-created since boot`), 'the count of the matches')).toBe(true);
    await keys('g');
    const first = all.findIndex((e) => e.kind === 'env-created');
    expect(first).toBeLessThan(total - 1_000);
    expect(await until(() => showing(first), `event ${first} selected`)).toBe(true);
    await keys('G', '/', '\r');
    expect(await until(() => screen().includes(`${total.toLocaleString('en-US')} events since boot`), 'the count of every event since boot')).toBe(true);
    await keys('g');
    expect(await until(() => showing(0), 'event 0 selected')).toBe(true);
    await keys('j', 'j');
    expect(await until(() => showing(2), 'event 2 selected')).toBe(true);
    await keys('\x1b[6~');
    expect(await until(() => !showing(2) && selected().length === 1, 'a page down from event 2')).toBe(true);
    await keys('k', '\r');
    await settle();
    const at = Number(/^at event (\d+) \(/.exec(driver.getState().status.detail)?.[1]);
    expect(at).toBeGreaterThan(3);
    expect(at).toBeLessThan(total - 1_000);
    expect(s.history.length).toBeGreaterThanOrEqual(at);
    expect(s.kernel.now()).toBeGreaterThanOrEqual(all[at - 1].cycle);
    expect(s.history.at(at - 1)).toEqual(all[at - 1]);
  });

  it('shows help with ?, a popup with :tlb, and a message for a bad command', async () => {
    const { screen, keys } = await start();
    await keys('?');
    expect(screen()).toContain('Keys (from the command table)');
    expect(screen()).toMatch(/\+ = +run faster/);
    await keys('?', ':', 't', 'l', 'b', '\r');
    expect(screen()).toContain('Hardware TLB (all 64 entries)');
    await keys('\x1b', ':', 'z', '\r');
    expect(screen().split('\n').at(-1)).toBe('Unknown command z: :help lists the commands');
  });

  it('Tab focuses the next pane and ] selects the next environment', async () => {
    const { screen, keys } = await start();
    await keys('s', '\t', '\t');
    expect(screen()).toMatch(/\n 3 Envs +2 of 2 alive; selected a\n/);
    await keys(']');
    expect(screen()).toMatch(/\n 3 Envs +2 of 2 alive; selected b\n/);
    expect(screen()).toContain('b (env 2) runnable');
  });

  it('q quits when stopped; while running it asks first', async () => {
    const { keys, exits, screen, r, waitUntil } = await start();
    await keys('c', 'q');
    expect(screen().split('\n').at(-1)).toBe('The machine is running. Quit? (y/n)');
    expect(exits).toEqual([]);
    r.stdin.write('y');
    await waitUntil(() => exits.length > 0, 'the App to exit');
    expect(exits).toEqual([0]);
  });

  it('Ctrl-C quits at once with status 130', async () => {
    const { exits, r, waitUntil } = await start();
    // Quitting draws nothing: the App calls onExit.
    r.stdin.write('\x03');
    await waitUntil(() => exits.length > 0, 'the App to exit');
    expect(exits).toEqual([130]);
  });

  it('R asks hog for frames back through the dialog; the Envs and Slices panes show it pending', async () => {
    const s = revokeSession({ checkpointEvery: 0 });
    s.run(2_000_000);
    const { screen, keys } = await start(s);
    await keys('R');
    expect(screen()).toContain('Revoke resources from a');
    await keys('k');
    expect(screen()).toContain('Revoke resources from hog');
    expect(screen()).toMatch(/▸ environment {2}hog {16}j\/k: hog a b/);
    await keys('\r', '\r', '4', '\r', '9', '0', '0', '0', '0', '0', '\r');
    expect(screen().split('\n').at(-1)).toBe('Revoke 4 frames from hog within 900,000 cycles? (y/n, Backspace edits)');
    await keys('y');
    expect(screen().split('\n').at(-1)).toMatch(/^Asked hog for 4 frames back by cycle [\d,]+ \(c runs on to see it answer\)$/);
    await keys('[', '\x1b3');
    expect(screen()).toMatch(/revocation pending: 4 frames asked, 0 given back/);
    await keys('\x1b7');
    expect(screen()).toMatch(/\n\d hog +1 +\d+\.\d% \S* +0 +0 4 frames by [\d,]+\n/);
  });
});

describe('App on a scenario (as `exoscope tui` opens it)', () => {
  it('types the timeline\'s key steps as a person would, and says which breakpoint could not be set', async () => {
    const { join, resolve } = await import('node:path');
    const { openScenarioDebugger, parseScenario } = await import('../../src/session/index.js');
    const ROOT = resolve(import.meta.dirname, '../..');
    const sc = parseScenario(`name: keys
environments:
  - { name: m, image: ${join(ROOT, 'src/exos/images/exos-memwalk.elf')}, args: ["64", "2"] }
breakpoints:
  - { pc: nosuch, env: m }
timeline:
  - { at: { cycle: 0 }, do: { key: ":step 3<enter>" } }
`, join(ROOT, 'scenarios/keys.yaml'));
    const { driver, run } = openScenarioDebugger(sc, { now: () => performance.now() });
    const notice = run.failures.join('; ');
    expect(notice).toMatch(/^breakpoint at .*keys\.yaml:5: no symbol nosuch in m$/);
    const { screen, status, waitUntil, dispose } = await drive(driver, 'keys', { notice });
    cleanup = () => { dispose(); run.dispose(); };
    expect(screen()).toContain('no symbol nosuch in m');
    driver.begin();
    await waitUntil(() => / ■ step: /.test(status()), 'the timeline\'s :step 3 to show in the status line');
    expect(status()).toMatch(/■ step: stepped 3 .* insn 3 /);
  });
});
