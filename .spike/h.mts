import { EventEmitter } from 'node:events';
import { importUi } from '/work/main/src/tui/main.ts';
const { Driver } = await import('/work/main/src/tui/driver.ts');
const { loadScenario, sessionFromScenario } = await import('/work/main/src/session/index.ts');
const { ink, h, App } = await importUi(true);
class FakeStdin extends EventEmitter {
  readonly isTTY = true; private data: string | null = null;
  setEncoding(): void {} setRawMode(): void {} resume(): void {} pause(): void {} ref(): void {} unref(): void {}
  read = (): string | null => { const d = this.data; this.data = null; return d; };
  type(s: string): void { this.data = s; this.emit('readable'); }
}
class Out extends EventEmitter { isTTY = true; columns = 120; rows = 40; n = 0; last = ''; write(d: string) { this.n++; this.last = String(d); return true; } }
const out = new Out(); const stdin = new FakeStdin();
const driver = new Driver(sessionFromScenario(loadScenario('scenarios/stlb.yaml')));
const ui = ink.render(h(App, { driver, title: 't', onExit: () => {} }), { stdout: out as any, stdin: stdin as any, exitOnCtrlC: false, patchConsole: false, debug: true });
await new Promise((r) => setImmediate(r));
console.log('writes', out.n);
for (const k of ['\t', '3', '\x1b5', '\x1b[Z', '\x1b', ':', 'x', '\x7f', '\r']) {
  stdin.type(k);
  const sync = out.n;
  let spins = 0; while (out.n === sync && spins < 1000) { await new Promise((r) => setImmediate(r)); spins++; }
  console.log('spins', spins);
  const l = out.last.split('\n');
  console.log(JSON.stringify(k), 'sync', sync, 'after', out.n, l[1].replace(/\x1b\[[0-9;]*m/g,'').slice(0, 70), '|', l.at(-1)!.replace(/\x1b\[[0-9;]*m/g,'').slice(0,40));
}
ui.unmount();
