import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { it, expect } from 'vitest';
import { App } from '../src/tui/app.js';
import { Driver } from '../src/tui/driver.js';
import { fixtureSession } from '../test/tui/fixtures/programs.js';
const pause = (ms = 30) => new Promise((r) => setTimeout(r, ms));
it('first key', async () => {
  const driver = new Driver(fixtureSession());
  const r = render(h(App, { driver, title: 'test', onExit: () => {} }));
  await pause();
  const n0 = r.frames.length;
  r.stdin.write('3');
  await pause();
  console.log('frames', n0, r.frames.length, JSON.stringify(r.lastFrame()!.split('\n').at(-1)));
  r.stdin.write('\t');
  await pause();
  console.log('frames', r.frames.length, JSON.stringify(r.lastFrame()!.split('\n')[1]));
});
