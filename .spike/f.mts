import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { importUi } from '/work/main/src/tui/main.ts';
const { Driver } = await import('/work/main/src/tui/driver.ts');
const { loadScenario, sessionFromScenario } = await import('/work/main/src/session/index.ts');
const { ink, h, App, theme } = await importUi(true);
for (const debug of [false, true]) {
  class Out extends EventEmitter { isTTY = true; columns = 120; rows = 40; n = 0; last = ''; write(d: string) { this.n++; this.last = String(d); return true; } }
  const out = new Out();
  const driver = new Driver(sessionFromScenario(loadScenario('scenarios/stlb.yaml')));
  const fns = new Set<(k: string) => void>();
  const keys = { subscribe(fn: (k: string) => void) { fns.add(fn); return () => { fns.delete(fn); }; } };
  const ui = ink.render(h(App, { driver, title: 't', onExit: () => {}, keys }), { stdout: out as any, stdin: new PassThrough() as any, exitOnCtrlC: false, patchConsole: false, debug, maxFps: 0 });
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
  console.log('debug', debug, 'writes', out.n, 'subs', fns.size);
  for (const k of ['tab', '3', 'tab', '4']) {
    for (const fn of fns) fn(k);
    await new Promise((r) => setImmediate(r));
    console.log(' after', k, 'writes', out.n, JSON.stringify(out.last.slice(-80)));
  }
  ui.unmount();
}
