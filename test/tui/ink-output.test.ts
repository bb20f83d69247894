// The row cache (src/tui/ink-output.ts) gives the very string Ink's own
// Output.get would: the App is drawn (in color) frame after frame while the
// machine steps and the focus moves, and each frame is made both ways.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createElement as h } from 'react';
import { afterAll, describe, expect, it } from 'vitest';
import { installRowCache, rowKeys, type InkOutput } from '../../src/tui/ink-output.js';
import { fixtureSession, liveDebugger } from './fixtures/programs.js';
import { waitFor } from './fixtures/wait.js';

// Colors on (chalk decides when Ink is first loaded), so styled text is compared too.
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { App } = await import('../../src/tui/app.js');
const { makeTheme, ThemeContext } = await import('../../src/tui/theme.js');

const outputUrl = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('ink')), 'output.js')).href;
const { default: Output } = (await import(outputUrl)) as { default: { prototype: InkOutput } };
/** Ink's Output as a class, for frames written by hand. */
const OutputClass = Output as unknown as new (o: { width: number; height: number }) => InkOutput & { write(x: number, y: number, text: string, o: { transformers: ((s: string) => string)[] }): void; clip(c: object): void; unclip(): void };


describe('the row cache of Ink output', () => {
  const original = Output.prototype.get;
  const uninstall = installRowCache(Output);
  const cached = Output.prototype.get;
  const frames: { mine: string; ink: string }[] = [];
  Output.prototype.get = function get(this: InkOutput) {
    const mine = cached.call(this).output;
    const ink = original.call(this).output;
    frames.push({ mine, ink });
    return { output: mine, height: mine.split('\n').length };
  };
  afterAll(() => { Output.prototype.get = original; uninstall(); });

  it('makes every frame exactly as Ink does, while the machine steps and the focus moves', async () => {
    const driver = liveDebugger(fixtureSession());
    const r = render(h(ThemeContext.Provider, { value: makeTheme(true) }, h(App, { driver, title: 'rows', onExit: () => {} })));
    const screen = () => r.lastFrame() ?? '';
    await waitFor(() => r.stdin.listenerCount('readable') > 0, 'the App to read keys', screen);
    /** Does `act` (a key, or a step, which publishes at once) and waits for the frame drawn after it. */
    const drawn = async (act: () => void, what: string) => { const n = r.frames.length; act(); await waitFor(() => r.frames.length > n, `the frame after ${what}`, screen); };
    for (const k of ['s', 's', '\t', 's', '2', 's', '5', 's', '3', 'z', 's', 'z', 's']) await drawn(() => r.stdin.write(k), `the key ${JSON.stringify(k)}`);
    for (let i = 0; i < 5; i++) await drawn(() => driver.execute({ kind: 'step', n: 5000 }), 'a step of 5,000');
    r.unmount();
    expect(frames.length).toBeGreaterThan(15);
    for (const f of frames) expect(f.mine).toBe(f.ink);
    // Colors are in play, so the styled path is what was compared.
    expect(frames.some((f) => f.ink.includes('\x1b['))).toBe(true);
  });

  it('composes rows of awkward text exactly as Ink does: wide, combining and emoji characters, overlaps, nested and reset styles, clips', () => {
    const style = (open: string, close: string) => (s: string) => `${open}${s}${close}`;
    const bold = style('\x1b[1m', '\x1b[22m'), dim = style('\x1b[2m', '\x1b[22m'), green = style('\x1b[32m', '\x1b[39m');
    const onBlue = style('\x1b[44m', '\x1b[49m'), rgb = style('\x1b[38;2;10;20;30m', '\x1b[39m'), inverse = style('\x1b[7m', '\x1b[27m');
    const frames: [number, number, (o: InstanceType<typeof OutputClass>) => void][] = [
      [20, 4, (o) => {
        o.write(0, 0, '漢字 and e\u0301 ❤\ufe0f 🇩🇪', { transformers: [bold] });
        o.write(1, 0, 'x', { transformers: [green] }); // half over a wide character
        o.write(0, 1, 'abc\ndef\nghi', { transformers: [dim, bold] });
        o.write(2, 1, `${green('gr')}${onBlue('bl')}\x1b[0mplain${rgb('rgb')}`, { transformers: [] });
        o.write(0, 2, `${bold(green(onBlue('three')))}none${green(bold('two'))}${green('one')}`, { transformers: [] });
        o.write(15, 3, 'past the width', { transformers: [inverse] });
        o.write(0, -1, 'above\nthe top', { transformers: [] });
      }],
      [12, 3, (o) => {
        o.clip({ x1: 2, x2: 8, y1: 1, y2: 3 });
        o.write(0, 0, 'cut on both sides\nand below\nhere\nnot here', { transformers: [bold] });
        o.unclip();
        o.clip({ y1: 0, y2: 1 });
        o.write(9, 0, '┌─\n│x', { transformers: [green] });
        o.unclip();
        o.write(0, 2, ` ${inverse('  ')}  `, { transformers: [] });
      }],
      // One odd character among plain ones (combining, emoji-wide, zero-width, soft hyphen, a CSI that is no SGR, a line separator), then a column written over them.
      [16, 6, (o) => {
        o.write(0, 0, 'cafe\u0301 ok', { transformers: [bold] });
        o.write(0, 1, 'box \u25fd wide', { transformers: [] });
        o.write(0, 2, 'a\u200bb zero', { transformers: [green] });
        o.write(0, 3, 'soft\u00adhyphen·│▶…', { transformers: [dim] });
        o.write(0, 4, 'csi \x1b[2K here', { transformers: [] });
        o.write(0, 5, 'ab\u2028cd', { transformers: [] });
        // Written over them, so that where each character landed shows.
        o.write(7, 0, '|\n|\n|\n|\n|\n|', { transformers: [] });
      }],
    ];
    for (const [width, height, draw] of frames) {
      const o = new OutputClass({ width, height });
      draw(o);
      expect(cached.call(o).output).toBe(original.call(o).output);
    }
  });

  it('keys a row by what is written onto it: a changed piece of text changes only its rows', () => {
    const o = { width: 10, height: 3, operations: [] as InkOutput['operations'], caches: { getWidestLine: (t: string) => Math.max(...t.split('\n').map((l) => l.length)) } } as unknown as InkOutput;
    o.operations = [{ type: 'write', x: 0, y: 0, text: 'ab\ncd', transformers: [] }, { type: 'write', x: 2, y: 2, text: 'ef', transformers: [] }];
    const a = rowKeys(o).keys;
    o.operations = [{ type: 'write', x: 0, y: 0, text: 'ab\nXd', transformers: [] }, { type: 'write', x: 2, y: 2, text: 'ef', transformers: [] }];
    const b = rowKeys(o).keys;
    expect([a[0] === b[0], a[1] === b[1], a[2] === b[2]]).toEqual([true, false, true]);
    o.operations = [{ type: 'clip', clip: { y1: 0, y2: 1 } }, { type: 'write', x: 0, y: 0, text: 'ab\nXd', transformers: [] }, { type: 'unclip' }];
    expect(rowKeys(o).touches.get(o.operations[1]!)).toEqual([0]);
  });
});
