// A session of several machines in the TUI: `m` (and :machine) make every
// pane show the next machine, and the status line says which one.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openScenarioDebugger, parseScenario } from '../../src/session/index.js';
import { statusTitle } from '../../src/tui/app.js';
import { parseCommand } from '../../src/tui/commandline.js';
import { handleKey } from '../../src/tui/input.js';
import { commandFor } from '../../src/tui/keymap.js';
import { initialUi, type KeyContext } from '../../src/tui/ui-state.js';

const ROOT = resolve(import.meta.dirname, '../..');
const bundled = (f: string) => parseScenario(readFileSync(join(ROOT, 'scenarios', f), 'utf8'), `scenarios/${f}`);

describe('several machines in the TUI', () => {
  const ctx: KeyContext = { running: false, envs: ['ping'], alive: ['ping'], defaultEnv: 'ping', scrollMax: {}, pageSize: {}, menu: [], overlayMax: 0, overlayPage: 10 };

  it('binds m to the next machine, and :machine [name] to the same command', () => {
    expect(commandFor('m')?.id).toBe('machineNext');
    expect(handleKey(initialUi(), 'm', ctx).effects).toEqual([{ kind: 'line', command: { kind: 'machine' } }]);
    expect(parseCommand('machine server')).toEqual({ kind: 'machine', name: 'server' });
    expect(parseCommand('machine')).toEqual({ kind: 'machine' });
  });

  it('shows one machine at a time in the snapshot, the next on each switch, and names it', () => {
    const { driver } = openScenarioDebugger(bundled('udp-two.yaml'), { now: () => 0 });
    const shown = () => { const s = driver.getState().snapshot; return { machine: s.machine, machines: s.machines, envs: s.envs.map((e) => e.name) }; };
    expect(shown()).toEqual({ machine: 'client', machines: ['client', 'server'], envs: ['ping'] });
    expect(driver.execute({ kind: 'machine' })).toEqual({ text: 'Panes show machine server' });
    expect(shown()).toMatchObject({ machine: 'server', envs: ['echo'] });
    expect(driver.getState().snapshot.envs[0].console).toBe('');
    driver.execute({ kind: 'step', n: 20_000 });
    expect(driver.getState().snapshot.machine).toBe('server');
    expect(driver.getState().snapshot.cycle).toBeGreaterThan(0);
    driver.execute({ kind: 'machine' });
    expect(shown().machine).toBe('client');
    expect(driver.execute({ kind: 'machine', name: 'sever' })).toEqual({ text: 'No machine sever (there are client, server)', error: true });
    expect(statusTitle('udp-two', undefined, 'server')).toBe('udp-two · machine server (m)');
    driver.dispose();
  });

  it('says so for a session of one machine, whose snapshot names no machine', () => {
    const { driver } = openScenarioDebugger(bundled('ping.yaml'), { now: () => 0 });
    expect(driver.getState().snapshot.machine).toBeUndefined();
    expect(driver.execute({ kind: 'machine' })).toEqual({ text: 'This session has one machine', error: true });
    expect(statusTitle('ping', undefined, undefined)).toBe('ping');
    driver.dispose();
  });
});
