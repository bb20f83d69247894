import { describe, expect, it } from 'vitest';
import { parseLogFilter } from '../../src/tui/commandline.js';
import { selectBottom, selectMenu, selectMenuItems, selectStatus } from '../../src/tui/selectors/chrome.js';
import { selectConsole } from '../../src/tui/selectors/console.js';
import { selectCpu } from '../../src/tui/selectors/cpu.js';
import { envChoices, selectEnvs } from '../../src/tui/selectors/envs.js';
import { describeEvent, envNames, matches, selectEvents } from '../../src/tui/selectors/events.js';
import { takeSnapshot } from '../../src/session/index.js';
import { num } from '../../src/tui/format.js';
import { fixtureSession } from './fixtures/programs.js';
import { envSymbol, selectFrames } from '../../src/tui/selectors/frames.js';
import { tlbDumpLines } from '../../src/tui/selectors/tlb.js';
import { initialUi } from '../../src/tui/ui-state.js';
import { booted, oneStep, paging, spinning, walking } from './fixtures/snapshots.js';

describe('selectCpu', () => {
  it('marks the registers a step changed, and only those', () => {
    const { prev, cur } = oneStep();
    const v = selectCpu(cur, prev, 80, 20);
    const changed = [...v.regs, ...v.special].filter((r) => r.changed).map((r) => r.name);
    expect(changed).toContain('pc');
    const expected = cur.cpu.regs.flatMap((x, i) => (x !== prev.cpu.regs[i] ? [i] : [])).length;
    expect(v.regs.filter((r) => r.changed)).toHaveLength(expected);
    expect(selectCpu(cur, undefined, 80, 20).regs.some((r) => r.changed)).toBe(false);
  });

  it('centres the disassembly on the pc, with labels, breakpoints and symbol+offset', () => {
    const { cur } = walking();
    const v = selectCpu(cur, undefined, 80, 20);
    expect(v.arrangement).toBe('stacked');
    const current = v.code.filter((r) => r.kind === 'insn' && r.current);
    expect(current).toEqual([{ kind: 'insn', addr: '00400054', text: 'lw      t1,0(t3)', symbol: '', current: true, breakpoint: true, cursor: false }]);
    expect(v.cursor).toBe(0x400054);
    const after = v.code.findIndex((r) => r.kind === 'insn' && r.current) + 1;
    expect(v.code[after]).toMatchObject({ kind: 'insn', addr: '00400058', symbol: '<walk+0x4>' });
    expect(v.code).toContainEqual({ kind: 'label', text: 'walk:' });
    expect(v.code.length).toBe(20 - 8 - 4);
    expect(v.info).toBe('b (asid 2) on the CPU');
  });

  it('moves a cursor through the disassembly from the pc, the window following it within the snapshot\'s code, and says how far', () => {
    const { cur } = walking();
    const up = selectCpu(cur, undefined, 80, 20, -5);
    expect(up.scroll).toBe(-5);
    expect(up.cursor).toBe(0x400054 - 20);
    const marked = up.code.filter((r) => r.kind === 'insn' && r.cursor);
    expect(marked).toEqual([expect.objectContaining({ addr: '00400040', current: false })]);
    expect(selectCpu(cur, undefined, 80, 20, -1).code.some((r) => r.kind === 'insn' && r.current)).toBe(true);
    expect(up.info).toMatch(/cursor -5 from pc \(u runs to it, g: back\)/);
    const far = selectCpu(cur, undefined, 80, 20, 1000);
    expect(far.scroll).toBeLessThan(1000);
    expect(far.cursor).toBe(cur.code.at(-1)!.addr);
    expect(far.code.at(-1)).toMatchObject({ kind: 'insn', cursor: true, addr: cur.code.at(-1)!.addr.toString(16).padStart(8, '0') });
    const pcAt = cur.code.findIndex((l) => l.current);
    expect(far.max).toBe(Math.max(pcAt, cur.code.length - 1 - pcAt));
  });

  it('shows only the registers a call and an exception use when the pane is too short for all of them', () => {
    const { cur } = walking();
    const v = selectCpu(cur, undefined, 79, 12);
    expect(v.arrangement).toBe('brief');
    expect(v.regs.map((r) => r.name)).toEqual(['v0', 'a0', 'a1', 'a2', 'a3', 'sp', 'ra']);
    expect(v.special.map((r) => r.name)).toEqual(['pc', 'EPC', 'Cause', 'BadVAddr', 'Status', 'EntryHi']);
    expect(v.code.length).toBe(12 - 2 - 2);
  });

  it('says the kernel is idle instead of a column of (unmapped) at boot, and names the exokernel\'s handler at a vector', () => {
    const v = selectCpu(booted(), undefined, 120, 20);
    expect(v.arrangement).toBe('side');
    expect(v.code).toEqual([{ kind: 'note', text: expect.stringMatching(/^No environment is on the CPU: the kernel is idle/) }]);
    const { cur } = walking();
    const at = (addr: number) => ({ ...cur, code: [{ addr, word: undefined, text: '(unmapped)', label: undefined, symbol: undefined, breakpoint: false, current: true }] });
    expect(selectCpu(at(0x80000080), undefined, 120, 20).code[0]).toMatchObject({ text: expect.stringMatching(/general exception vector: the exokernel's dispatch/) });
    expect(selectCpu(at(0x80000000), undefined, 120, 20).code[0]).toMatchObject({ text: expect.stringMatching(/UTLB miss vector/) });
    expect(selectCpu(at(0x80000100), undefined, 120, 20).code[0]).toMatchObject({ text: '(unmapped)' });
  });
});

describe('tlbDumpLines', () => {
  it('lists all 64 hardware TLB entries under a header, for :tlb', () => {
    const { cur } = paging();
    const lines = tlbDumpLines(cur);
    expect(lines).toHaveLength(65);
    expect(lines[0]).toBe('ix vpn   as pfn   ndvg env');
    const t = cur.tlb.find((r) => r.v && !r.g)!;
    expect(lines[t.index + 1]).toMatch(new RegExp(`^ *${t.index} ${t.vpn.toString(16).padStart(5, '0')} `));
  });
});

describe('selectFrames', () => {
  const cellsOf = (v: ReturnType<typeof selectFrames>) => v.map.map((r) => r.runs.map((x) => x.text).join('')).join('');

  it('maps every frame by owner at a power of two a character, each row labelled with its first frame', () => {
    const { cur } = paging();
    const v = selectFrames(cur, 'a', 0, 80, 30);
    const a = cur.envs.find((e) => e.name === 'a')!;
    expect(Math.log2(v.perCell) % 1).toBe(0);
    expect(cellsOf(v).length).toBe(Math.ceil(cur.frameOwners.length / v.perCell));
    const perRow = v.map[0].runs.map((x) => x.text).join('').length;
    expect(v.map.map((r) => Number(r.label))).toEqual(v.map.map((_, i) => i * perRow * v.perCell));
    expect(cellsOf(v)).toContain(envSymbol(a.id));
    expect(v.map.flatMap((r) => r.runs).some((r) => r.look === 'selected' && r.owner === a.id)).toBe(true);
    expect(v.legend.map((l) => l.label)).toContain(`a ${a.framesOwned}`);
    expect(v.guaranteed).toMatch(/^guaranteed \d+: /);
  });

  it('draws a mostly free character as ":", not as its one owner, so a scaled map does not overstate use', () => {
    const { cur } = paging();
    const v = selectFrames(cur, 'a', 0, 80, 30);
    expect(v.perCell).toBeGreaterThan(1);
    const owners = cur.frameOwners;
    cellsOf(v).split('').forEach((ch, i) => {
      const group = owners.slice(i * v.perCell, (i + 1) * v.perCell);
      const free = group.filter((o) => o === 0).length;
      if (free === group.length) expect(ch).toBe('.');
      else if (free * 2 > group.length) expect(ch).toBe(':');
      else expect(ch).not.toMatch(/[.:]/);
    });
  });

  it('zooms in to one frame a character around the table\'s top row, and lists the selected environment\'s frames with capabilities and mappings', () => {
    const { cur } = paging();
    const a = cur.envs.find((e) => e.name === 'a')!;
    const v = selectFrames(cur, 'a', 0, 80, 30, 12);
    expect(v.perCell).toBe(1);
    const first = cur.frameOwners.indexOf(a.id);
    expect(v.from).toBeLessThanOrEqual(first);
    expect(v.to).toBeGreaterThan(first);
    expect(cellsOf(v)[first - v.from]).toBe(envSymbol(a.id));
    expect(v.detailTotal).toBe(a.framesOwned);
    expect(v.detailHeader).toBe('frame paddr    GST caps held by           mapped at (vpn)');
    const mapped = v.detail.find((l) => / {2}1 a rw +[0-9a-f]{5}/.test(l));
    expect(mapped).toMatch(/^ +\d+ [0-9a-f]{8} [G-][S-][T-] +1 a rw +[0-9a-f]{5}/);
  });

  it('lists every environment\'s frames with their owner when asked for all', () => {
    const { cur } = paging();
    const v = selectFrames(cur, 'a', 0, 100, 60, 0, true);
    expect(v.detailTotal).toBe(cur.envs.reduce((n, e) => n + e.framesOwned, 0));
    expect(v.title).toMatch(/^every environment's frames/);
    expect(v.detail.some((l) => /^ +\d+ [0-9a-f]{8} [G-][S-][T-] b {8}/.test(l))).toBe(true);
  });

  it('keeps the map to about half the pane', () => {
    const v = selectFrames(booted(), undefined, 0, 80, 20);
    expect(v.map.length).toBeLessThanOrEqual(8);
    expect(v.detail).toEqual([]);
  });
});

describe('selectEnvs', () => {
  it('shows each environment and the selected one\'s contexts', () => {
    const { cur } = paging();
    const v = selectEnvs(cur, 'a', 80, 20);
    expect(v.rows.map((r) => r.selected)).toEqual([true, false]);
    expect(v.rows[0].text).toMatch(/^[> ] 1 a\s+runnable\s+1/);
    expect(v.detail.join('\n')).toMatch(/handlers TLBL 0040[0-9a-f]{4} TLBS/);
    expect(v.detail.join('\n')).toMatch(/counters: dispatches \d+/);
    const waiting = (on: number) => selectEnvs({ ...cur, envs: cur.envs.map((e) => (e.name === 'a' ? { ...e, state: 'waiting', waitingOn: on } : e)) }, 'a', 80, 40).detail.join(' ');
    expect(waiting(-1)).toContain('waiting for a packet or its timeout (net_wait)');
    expect(waiting(2)).toContain('waiting for b to reply (PCT)');
    expect(waiting(-1)).not.toMatch(/#-1/);
    expect(envChoices(cur)).toEqual({ names: ['a', 'b'], alive: ['a', 'b'], fallback: cur.envs.find((e) => e.current)!.name });
  });
});

describe('selectEnvs on a long run', () => {
  /** `cur` with `n` destroyed environments created before its own (ids from 1), as a long run leaves them. */
  const withDead = (n: number) => {
    const { cur } = paging();
    const a = cur.envs[0];
    const dead = Array.from({ length: n }, (_, i) => ({ ...a, id: i + 1, name: `old${i + 1}`, state: 'destroyed', reason: 'exited', current: false, asid: -1 }));
    return { ...cur, envs: [...dead, ...cur.envs.map((e, i) => ({ ...e, id: n + 1 + i }))] };
  };

  it('lists the live environments first and says how many destroyed ones it leaves out, keeping room for the detail', () => {
    const s = withDead(180);
    const v = selectEnvs(s, 'a', 80, 17);
    // Ids past 99 widen the id column (they were cut to "1…").
    expect(v.header.startsWith('  id name')).toBe(true);
    expect(v.rows.slice(0, 2).map((r) => r.text.slice(0, 6))).toEqual(['>181 a', ' 182 b']);
    expect(v.rows.slice(0, 2).every((r) => !r.destroyed)).toBe(true);
    const last = v.rows.at(-1)!;
    expect(last.text).toMatch(/^ +\d+ more not shown \(live ones first, then the latest destroyed\)$/);
    expect(Number(last.text.trim().split(' ')[0])).toBe(s.envs.length - (v.rows.length - 1));
    expect(v.detail.length).toBeGreaterThan(5);
    expect(v.detail[0]).toMatch(/^a \(env 181\) runnable/);
    expect(v.info).toBe('2 of 182 alive; selected a');
  });

  it('shows the latest destroyed after the live ones, and a selected destroyed one wherever it is', () => {
    const s = withDead(180);
    const v = selectEnvs(s, 'b', 80, 40);
    expect(v.rows[2].text).toMatch(/^ 180 old180 +destroyed/);
    expect(selectEnvs(s, 'old3', 80, 17).rows.some((r) => r.selected && r.text.includes('old3'))).toBe(true);
  });

  it('shows every live environment before any destroyed one, however far down the selected one is', () => {
    // Five live (ids 7 to 11) after six destroyed, the last live one selected, room for five rows and the count.
    const { cur } = paging();
    const a = cur.envs[0];
    const dead = Array.from({ length: 6 }, (_, i) => ({ ...a, id: i + 1, name: `old${i + 1}`, state: 'destroyed', reason: 'exited', current: false, asid: -1 }));
    const live = Array.from({ length: 5 }, (_, i) => ({ ...a, id: 7 + i, name: `l${i + 1}`, current: i === 4 }));
    const s = { ...cur, envs: [...dead, ...live] };
    const v = selectEnvs(s, 'l5', 80, 7);
    expect(v.rows.filter((r) => r.id !== 0).map((r) => r.id)).toEqual([7, 8, 9, 10, 11]);
    expect(v.rows.at(-1)!.text).toMatch(/6 more not shown/);
    // A destroyed one selected far down: the list scrolls only as far as it needs.
    const d = selectEnvs(s, 'old1', 80, 7).rows.filter((r) => r.id !== 0).map((r) => r.id);
    expect(d.at(-1)).toBe(1);
  });

  it('keeps id order, all shown, when they fit', () => {
    const s = withDead(3);
    expect(selectEnvs(s, 'a', 80, 30).rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the environments\' symbols', () => {
  it('gives environments 1 to 61 a symbol each (1-9, A-Z, a-z), then repeats them, never "?"', () => {
    const syms = Array.from({ length: 61 }, (_, i) => envSymbol(i + 1));
    expect(new Set(syms).size).toBe(61);
    expect(syms.join('')).toBe('123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect([envSymbol(62), envSymbol(184)]).toEqual(['1', envSymbol(184 - 61 * 3)]);
  });
});

describe('selectEnvs on ExOS programs', () => {
  const { cur } = spinning();

  it('shows slots and CPU share in the table, and marks a pending revocation with !', () => {
    const v = selectEnvs(cur, 'hog', 100, 30);
    expect(v.header).toBe(' id name     state      asid frames slot   cpu% guar    disp     sys');
    expect(v.rows.map((r) => r.text.slice(0, 56))).toEqual([
      expect.stringMatching(/^[> ] 1 hog {6}runnable! +\d+ +\d+ {4}1 +\d+\.\d%/),
      expect.stringMatching(/^[> ] 2 a {8}runnable +\d+ +\d+ {4}2 +\d+\.\d%/),
      expect.stringMatching(/^[> ] 3 b {8}runnable +\d+ +\d+ {4}5 +\d+\.\d%/),
    ]);
    expect(v.info).toBe('3 of 3 alive; selected hog; ! 1 revocation pending');
  });

  it('details the pending revocation, scheduling and the upcall contexts of the selected environment', () => {
    const hog = selectEnvs(cur, 'hog', 100, 30).detail.join('\n');
    expect(hog).toMatch(/\nrevocation pending: 8 frames asked, 0 given back, deadline cycle [\d,]+ \(in [\d,]+\)\n/);
    expect(hog).toMatch(/\nscheduling: 1 slot, cpu \d+\.\d% \([\d,]+ cycles\), overruns 0, penalty 0 ticks\n/);
    expect(hog).toMatch(/\nrevocation context: revoke [0-9a-f]{8}, repossess [0-9a-f]{8}\n/);
    expect(hog).not.toContain('interrupt context');
    const a = selectEnvs(cur, 'a', 100, 30).detail.join('\n');
    expect(a).toMatch(/\ninterrupt context: prologue [0-9a-f]{8}, epilogue [0-9a-f]{8}\n/);
    expect(a).not.toContain('revocation');
    expect(selectEnvs(paging().cur, 'a', 100, 30).detail).toContain('upcalls: none (the kernel saves it; the abort protocol takes what is asked)');
  });
});

describe('selectEvents', () => {
  it('shows the newest events at the bottom and scrolls up from there', () => {
    const { cur } = paging();
    const all = selectEvents(cur, parseLogFilter(''), 0, 100, 10);
    expect(all.lines).toHaveLength(10);
    const last = cur.events.at(-1)!;
    expect(all.lines.at(-1)!.text).toContain(last.kind);
    const up = selectEvents(cur, parseLogFilter(''), 3, 100, 10);
    expect(up.lines.at(-1)!.text).toContain(cur.events.at(-4)!.kind);
  });

  it('shows every digit of a cycle past a billion and past ten billion, selected or not', () => {
    const { cur } = paging();
    const last = cur.events.at(-1)!;
    for (const cycle of [2_453_981_415, 12_453_981_415]) {
      const s = { ...cur, events: [...cur.events.slice(0, -1), { ...last, cycle }] };
      const text = num(cycle);
      const plain = selectEvents(s, parseLogFilter(''), 0, 100, 3).lines.at(-1)!.text;
      expect(plain.startsWith(` ${text} `), plain).toBe(true);
      const index = s.eventsTotal - 1;
      const v = selectEvents(s, parseLogFilter(''), 0, 100, 3, index);
      const picked = v.lines[v.selected!].text;
      expect(picked.startsWith(`>${text} `), picked).toBe(true);
    }
  });

  it('filters by kind prefix, environment and words', () => {
    const { cur } = paging();
    const stlb = selectEvents(cur, parseLogFilter('kind:stlb'), 0, 100, 1000);
    expect(stlb.matched).toBe(cur.events.filter((e) => e.kind.startsWith('stlb')).length);
    expect(stlb.lines.every((l) => /stlb-/.test(l.text))).toBe(true);
    const b = selectEvents(cur, parseLogFilter('env:a kind:syscall'), 0, 100, 1000);
    expect(b.lines.length).toBeGreaterThan(0);
    expect(b.lines.every((l) => /^\s+[\d,]+ a\s+syscall/.test(l.text))).toBe(true);
    expect(selectEvents(cur, parseLogFilter('TlbMap'), 0, 100, 1000).lines.every((l) => l.text.includes('TlbMap'))).toBe(true);
    expect(selectEvents(cur, parseLogFilter('nothing-like-this'), 0, 100, 10).lines).toEqual([]);
  });

  it('counts a combined filter since boot over the whole history, not the events the snapshot carries', () => {
    const s = fixtureSession({ checkpointEvery: 0 });
    s.run(200_000);
    const cur = takeSnapshot(s, { events: 5 });
    const all = s.history.slice(0, s.history.length);
    const names = envNames(takeSnapshot(s, { events: all.length }));
    for (const text of ['kind:syscall env:a', 'kind:context env:b', 'env:a env:b kind:context', 'env:b', 'kind:stlb']) {
      const f = parseLogFilter(text);
      const want = all.filter((e) => matches(e, f, names)).length;
      expect(want, text).toBeGreaterThan(0);
      expect(selectEvents(cur, f, 0, 100, 10).info, text).toContain(`; ${want.toLocaleString('en-US')} since boot`);
    }
    expect(all.filter((e) => matches(e, parseLogFilter('kind:syscall env:a'), names)).length).toBeGreaterThan(5);
    expect(selectEvents(cur, parseLogFilter('kind:syscall TlbMap'), 0, 100, 10).info).not.toContain('since boot');
  });

  it('describes events in words', () => {
    const names = new Map([[1, 'a']]);
    expect(describeEvent({ kind: 'dispatch', cycle: 5, env: 1, exc: 'TLBL', epc: 0x400000, badvaddr: 0x10000000, handler: 0x4000a4 }, names))
      .toBe('TLBL at 00400000 va 10000000 -> 004000a4');
    expect(describeEvent({ kind: 'context-switch', cycle: 5, from: 0, to: 1 }, names)).toBe('- -> a');
  });

  it('says an environment has no ASID yet instead of "asid -1", and names no environment "#1"', () => {
    const names = new Map([[1, 'a']]);
    expect(describeEvent({ kind: 'env-created', cycle: 5, env: 2, name: 'b', asid: -1 }, names)).toBe('b, no ASID until it first runs');
    expect(describeEvent({ kind: 'env-created', cycle: 5, env: 2, name: 'b', asid: 3 }, names)).toBe('b asid 3');
    expect(describeEvent({ kind: 'context-switch', cycle: 5, from: 1, to: 7 }, names)).toBe('a -> env 7');
  });

  it('names an environment on every line from its env-created event, even one the snapshot no longer lists', () => {
    const cur = booted();
    const b = cur.envs.find((e) => e.name === 'b')!;
    expect(cur.events.some((e) => e.kind === 'env-created' && e.env === b.id)).toBe(true);
    const gone = { ...cur, envs: cur.envs.filter((e) => e !== b) };
    expect(envNames(gone).get(b.id)).toBe('b');
    const lines = selectEvents(gone, parseLogFilter(''), 0, 100, 1000).lines.map((l) => l.text);
    expect(lines.some((l) => /^\s+[\d,]+ b {8}/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/#\d/);
  });

  it('works out a snapshot\'s names once, however often a frame asks, and a new snapshot\'s afresh', () => {
    const cur = booted();
    expect(envNames(cur)).toBe(envNames(cur));
    const renamed = { ...cur, envs: cur.envs.map((e) => ({ ...e, name: `${e.name}2` })) };
    expect(envNames(renamed)).not.toBe(envNames(cur));
    expect([...envNames(renamed).values()]).toEqual(cur.envs.map((e) => `${e.name}2`));
  });
});

describe('selectConsole', () => {
  it('shows the selected environment\'s console, printable and wrapped', () => {
    const s = walking().cur;
    const v = selectConsole(s, 'a', 0, 80, 5);
    expect(v.lines).toHaveLength(1);
    expect(v.lines[0]).toMatch(/^.·+$/);
    expect(selectConsole(s, 'nobody', 0, 80, 5).lines).toEqual([]);
  });
});

describe('chrome', () => {
  it('the status line tells the stop reason and fits the width, dropping the least useful parts first', () => {
    const { cur } = walking();
    const wide = selectStatus('fixture', cur, { reason: 'breakpoint', detail: 'pc 0x00400054 in b' }, false, 160);
    expect(wide.left.trim()).toBe('fixture │ ■ breakpoint: pc 0x00400054 in b');
    expect(wide.right).toMatch(/^cycle [\d,]+  insn [\d,]+  b @ 00400054$/);
    const narrow = selectStatus('fixture', cur, { reason: 'breakpoint', detail: 'pc 0x00400054 in b' }, false, 80);
    expect(narrow.left.trim()).toBe('■ breakpoint: pc 0x00400054 in b');
    expect(narrow.left.length + 2 + narrow.right.length).toBeLessThanOrEqual(80);
    expect(selectStatus('f', cur, { reason: 'running', detail: 'continue' }, true, 100).left).toMatch(/▶ running \(continue\)/);
  });

  it('the bottom line shows the legend, a prompt, a question or a message', () => {
    const ui = initialUi();
    expect(selectBottom(ui, 80).text).toMatch(/^\? help {2}q quit {2}s step/);
    expect(selectBottom({ ...ui, mode: { kind: 'prompt', prompt: 'command', text: 'tlb' } }, 80).text).toBe(':tlb█');
    expect(selectBottom({ ...ui, mode: { kind: 'confirm', action: 'kill', env: 'b' } }, 80).text).toBe('Kill environment b? (y/n)');
    expect(selectBottom({ ...ui, message: { text: 'Killed b', error: false } }, 80)).toEqual({ kind: 'message', text: 'Killed b' });
  });

  it('the break-on menu puts revocation, repossession and the CPU, then the network, before the other event kinds', () => {
    const items = selectMenuItems([[1, { kind: 'event', event: 'abort' }]]);
    const headings = items.flatMap((it, i) => (it.heading ? [[i, it.heading]] : []));
    expect(headings).toEqual([[0, 'Exceptions (Cause.ExcCode)'], [12, 'Revocation, repossession and the CPU (kernel events)'], [26, 'Network (packet filter, ASHes)'], [35, 'Other kernel events']]);
    expect(items.slice(26, 30).map((i) => i.label)).toEqual(['packet-delivered', 'packet-dropped', 'ash', 'ash-abort']);
    expect(items.slice(26, 30).every((i) => i.spec.kind === 'event')).toBe(true);
    expect(items.slice(12, 17).map((i) => i.label)).toEqual(['revoke-request', 'revoke-honoured', 'abort', 'upcall', 'overrun']);
    expect(items.filter((i) => i.on).map((i) => i.label)).toEqual(['abort']);
    expect(new Set(items.map((i) => i.label)).size).toBe(items.length);
  });

  it('the break-on menu lists exceptions then event kinds, with those set ticked', () => {
    const items = selectMenuItems([[1, { kind: 'exception', code: 2 }], [2, { kind: 'event', event: 'stlb-miss', env: 'a' }]]);
    expect(items[0].heading).toMatch(/^Exceptions/);
    expect(items.filter((i) => i.on).map((i) => i.label)).toEqual(['TLBL']);
    const rows = selectMenu(items, 1, 60, 5);
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.cursor)!.text).toMatch(/^\[x\] TLBL/);
  });
});
