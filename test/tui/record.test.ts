// exoscope record: a scenario played through the TUI on a virtual terminal,
// written as an asciicast v2 in virtual time. The cast is replayed through
// a terminal emulator (@xterm/headless) and its last screen compared with
// the TUI's last frame; the cast must be the bytes of the committed
// fingerprint (npm run golden).

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { recordCommand } from '../../src/cli/record.js';
import { Costs } from '../../src/exokernel/costs.js';
import { parseScenario, RecordError, sessionFromScenario, type Scenario } from '../../src/session/index.js';
import { END_MS, KEY_MS, playScenario, recordScenario } from '../../src/tui/record.js';
import { TRACK } from './fixtures/rec-track.js';
import { fileHash, goldenCasts } from './golden/cast-hash.js';


const scenario = (text = TRACK): Scenario => parseScenario(text, 'test/rec.yaml');
const tempDir = () => mkdtempSync(join(tmpdir(), 'exo-rec-'));
const SIZE = { cols: 120, rows: 40 };

/** The cast's header and events. */
function readCast(path: string) {
  const [head, ...rest] = readFileSync(path, 'utf8').trimEnd().split('\n');
  return { header: JSON.parse(head), events: rest.map((l) => JSON.parse(l) as [number, string, string]) };
}

/** The screen a terminal shows after playing the cast, one trimmed string per row. */
async function screenAfter(path: string): Promise<string[]> {
  const { header, events } = readCast(path);
  const term = new xterm.Terminal({ cols: header.width, rows: header.height, allowProposedApi: true });
  for (const [, , data] of events) await new Promise<void>((r) => term.write(data, r));
  const b = term.buffer.active;
  return Array.from({ length: header.height }, (_, i) => b.getLine(i)!.translateToString(true));
}

const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trimEnd();

/**
 * The default track played once, every frame with its virtual time, and
 * what the play returned (a recording returns what its play did): shared
 * by the tests that only read them (a play costs a second or two).
 */
let played: Promise<{ frames: [number, string][]; result: Awaited<ReturnType<typeof playScenario>> }> | undefined;
function sharedFrames() {
  played ??= (async () => {
    const frames: [number, string][] = [];
    const result = await playScenario(scenario(), { ...SIZE, frame: (us, f) => frames.push([us, f]) });
    return { frames, result };
  })();
  return played;
}

/**
 * The default track recorded once, through `exoscope record` (a file,
 * 120x40; it records with recordScenario): its exit status, stderr and
 * cast, shared by the tests that read the cast.
 */
let commanded: Promise<{ status: number; err: string; path: string }> | undefined;
function commandCast() {
  commanded ??= (async () => {
    const dir = tempDir();
    const file = join(dir, 'rec.yaml');
    writeFileSync(file, TRACK);
    let err = '';
    const path = join(dir, 'x.cast');
    const status = await recordCommand(file, { output: path, cols: 120, rows: 40, stderr: (t) => { err += t; } });
    return { status, err, path };
  })();
  return commanded;
}

describe('exoscope record', () => {
  it('writes a cast whose last screen in a terminal emulator is the TUI\'s last frame', async () => {
    const { status, path } = await commandCast();
    expect(status).toBe(0);
    const last = (await sharedFrames()).frames.at(-1)![1].split('\n').map(plain);
    expect(last).toHaveLength(SIZE.rows - 1);
    expect(last[0]).toMatch(/^rec │ ■ idle: no environment is runnable/);
    expect(last.join('\n')).toContain('5 Log');
    expect(await screenAfter(path)).toEqual([...last, '']);
  });

  it('gives the same cast, byte for byte, every time: the committed fingerprint (npm run golden)', async () => {
    // Against the fingerprint `npm run golden` wrote in another process, not a second recording here.
    const { status, path } = await commandCast();
    expect(status).toBe(0);
    expect(fileHash(path)).toBe(goldenCasts()['rec-track']);
  });

  it('is asciicast v2 in virtual time: pauses, keys and emulated cycles, never the host clock', async () => {
    // r: what playing the track returned, which its recording returns too (recordScenario).
    const { path, err } = await commandCast();
    const { result: r } = await sharedFrames();
    expect(err).toContain(`: ${(r.us / 1e6).toFixed(1)} s, ${r.cycles} cycles, ended ${r.end}\n`);
    const { header, events } = readCast(path);
    expect(header).toEqual({ version: 2, width: 120, height: 40, title: 'rec: hello, stepped then run.', env: { TERM: 'xterm-256color', SHELL: '/bin/sh' } });
    const times = events.map(([t]) => t);
    expect(times[0]).toBe(0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events.every(([, kind]) => kind === 'o')).toBe(true);
    // The pause, then "3": the bottom line shows the count at 0.5 s.
    expect(times[1]).toBe(0.5);
    // In all: the pause, five keys, 1/200,000 s for each cycle run (from the end of the boot), and the end.
    const booted = sessionFromScenario(scenario(), { checkpointEvery: 0 }).kernel.now();
    const ranFor = (r.cycles - booted) / 200_000;
    expect(r.us / 1e6).toBeCloseTo(0.5 + (5 * KEY_MS) / 1000 + ranFor + END_MS / 1000, 5);
    expect(times.at(-1)).toBe(r.us / 1e6);
    // Colors even though nothing here is a terminal (chalk is forced at import).
    expect(events.some(([, , d]) => d.includes('\x1b[32m'))).toBe(true);
  });

  it('draws frames about 15 times a virtual second while the machine runs', async () => {
    // Frames of the running machine: the cycle moved since the last one. (A
    // key step fires at its trigger, as in replay, and the frame its keys
    // draw comes at once, not on the frame clock.)
    const times: number[] = [];
    let cycle = '';
    for (const [us, f] of (await sharedFrames()).frames) {
      const c = /cycle ([\d,]+)/.exec(f)?.[1] ?? '';
      if (f.includes('▶ running') && c !== cycle) times.push(us);
      cycle = c;
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps.length).toBeGreaterThan(10);
    for (const g of gaps.slice(1)) expect(g).toBeGreaterThanOrEqual(1e6 / 15);
    for (const g of gaps.slice(1, -1)) expect(g).toBeLessThan(1e6 / 15 + 20_000);
    // The last gap holds hello's destruction, one kernel charge (ENV_DESTROY
    // + ASID_FLUSH, the STLB scanned for its ASID, + FRAME_FREE a frame: about
    // 233 ms at this track's 200,000 cycles a second) in which no instruction
    // runs, so no frame of a moving machine can come: it is that much longer.
    const destroyUs = ((Costs.ENV_DESTROY + Costs.ASID_FLUSH) / 200_000) * 1e6;
    expect(gaps.at(-1)).toBeGreaterThan(destroyUs);
    expect(gaps.at(-1)).toBeLessThan(destroyUs + 1e6 / 15 + 20_000);
  });
});

/** The status line of every frame that changed it, with its virtual time. */
async function statusLines(text: string): Promise<{ result: Awaited<ReturnType<typeof playScenario>>; lines: string[]; last: string }> {
  const lines: string[] = [];
  let last = '';
  const result = await playScenario(scenario(text), { ...SIZE, frame: (_us, f) => {
    last = plain(f.split('\n').map(plain).join('\n'));
    const st = last.split('\n')[0]!.replace(/ +/g, ' ');
    if (st.replace(/cycle.*/, '') !== lines.at(-1)?.replace(/cycle.*/, '')) lines.push(st);
  } });
  return { result, lines, last };
}

describe('exoscope record plays every step of a key track', () => {
  it('carries out the steps fired by the event an event breakpoint stops at, then the ones after', async () => {
    const { result, lines, last } = await statusLines(`name: rec-break
environments:
  - { name: hello, image: exos-hello }
breakpoints:
  - { event: console }
timeline:
  - at: { cycle: 0 }
    do: { key: "c" }
  - at: { event: { kind: console, env: hello } }
    do: { pause: 1s }
  - at: { event: { kind: console, env: hello } }
    do: { key: ":delete all<enter>c" }
  - at: { event: { kind: env-destroyed, env: hello } }
    do: { key: "<M-6>" }
record:
  cycles-per-second: 200000
`);
    expect(result.unfired).toEqual([]);
    expect(result.end).toMatch(/^idle/);
    expect(lines.some((l) => /breakpoint: event console/.test(l))).toBe(true);
    expect(last).toMatch(/6 Console/);
  });

  it('goes on with the steps after a key step that pauses the machine (<space>)', async () => {
    const { result, lines } = await statusLines(`name: rec-space
environments:
  - { name: hello, image: exos-hello }
timeline:
  - at: { cycle: 0 }
    do: { key: "c" }
  - at: { event: { kind: console, env: hello } }
    do: { key: "<space>" }
  - at: { event: { kind: console, env: hello } }
    do: { pause: 1s }
  - at: { event: { kind: console, env: hello } }
    do: { key: "c" }
  - at: { event: { kind: env-destroyed, env: hello } }
    do: { key: "<M-6>" }
record:
  cycles-per-second: 200000
`);
    expect(result.unfired).toEqual([]);
    expect(result.end).toMatch(/^idle/);
    expect(lines.some((l) => /paused by you/.test(l))).toBe(true);
  });
});

describe('exoscope record of a scenario with no key track', () => {
  it('starts the machine as a person would (c) and plays it to its end', async () => {
    const sc = scenario(`name: nokeys
environments:
  - { name: hello, image: exos-hello }
record:
  cycles-per-second: 200000
`);
    const path = join(tempDir(), 'nokeys.cast');
    const result = await recordScenario(sc, path, SIZE);
    expect(result.end).toMatch(/^idle/);
    expect(result.cycles).toBeGreaterThan(200_000);
    const screen = (await screenAfter(path)).join('\n');
    expect(screen).toMatch(/idle/);
    expect(screen).not.toMatch(/paused: booted/);
  });
});

describe('exoscope record on bad input', () => {
  it('names the scenario line of an unknown key and writes nothing', async () => {
    const dir = tempDir();
    const bad = scenario(TRACK.replace('"3s<tab>c"', '"3s<tab>cx"'));
    await expect(recordScenario(bad, join(dir, 'x.cast'), SIZE)).rejects.toThrow(new RecordError('test/rec.yaml:8: timeline[1].do.key "3s<tab>cx": no command is bound to "x" (the TUI\'s ? lists the keys)'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a terminal below 80x24 and writes nothing', async () => {
    const dir = tempDir();
    await expect(recordScenario(scenario(), join(dir, 'x.cast'), { cols: 79, rows: 40 })).rejects.toThrow('Cannot record at 79x40: the TUI needs a terminal of at least 80x24');
    await expect(recordScenario(scenario(), join(dir, 'x.cast'), { cols: 80, rows: 23 })).rejects.toThrow(RecordError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves an existing cast untouched, and no temporary file, when interrupted', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.cast');
    writeFileSync(path, 'old');
    const ac = new AbortController();
    ac.abort();
    await expect(recordScenario(scenario(), path, { ...SIZE, signal: ac.signal })).rejects.toThrow(/interrupted/);
    expect(readdirSync(dir)).toEqual(['x.cast']);
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it('exits 2 with a clear message for an output path that cannot be written, and 0 with a summary when it can', async () => {
    const dir = tempDir();
    const file = join(dir, 'rec.yaml');
    writeFileSync(file, TRACK);
    let err = '';
    const status = await recordCommand(file, { output: join(dir, 'no', 'x.cast'), cols: 120, rows: 40, stderr: (t) => { err += t; } });
    expect([status, err]).toEqual([2, `Cannot write ${join(dir, 'no', 'x.cast')}: its folder does not exist\n`]);
    // The same track to a folder that exists (the recording the byte-for-byte test compares).
    const ok = await commandCast();
    expect(ok.status).toBe(0);
    expect(ok.err).toMatch(/x\.cast: \d+\.\d s, \d+ cycles, ended idle: no environment is runnable\n$/);
    expect(existsSync(ok.path)).toBe(true);
  });
});
