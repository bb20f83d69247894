// The TLB/STLB comparison: one row per (environment, virtual page), from
// real snapshots of the fixture sessions; eviction is shown on a snapshot
// with the entry taken out and its stlb-evict event added, as the kernel
// does when a slot goes to another mapping.

import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/session/index.js';
import { eventsSince, mappingText, selectMappingRows, selectMappings } from '../../src/tui/selectors/mappings.js';
import { takeSnapshot } from '../../src/session/index.js';
import { fixtureSession } from './fixtures/programs.js';
import { paging } from './fixtures/snapshots.js';

/**
 * The fixture session run in steps of `chunk` cycles until `ok(prev, cur)`
 * holds for two consecutive snapshots (at most `limit` cycles): the moment a
 * test needs, found rather than hard-coded, so kernel costs may change.
 */
function until(ok: (prev: Snapshot, cur: Snapshot) => boolean, chunk: number, limit = 20_000_000): { prev: Snapshot; cur: Snapshot } {
  const s = fixtureSession({ checkpointEvery: 0 });
  let prev = takeSnapshot(s);
  for (let t = 0; t < limit; t += chunk) {
    s.run(chunk);
    const cur = takeSnapshot(s);
    if (ok(prev, cur)) return { prev, cur };
    prev = cur;
  }
  throw new Error('the fixture never reached the state the test needs');
}

describe('selectMappingRows', () => {
  it('gives each mapping one row, with its TLB index and STLB slot where it is in both', () => {
    const { cur } = paging();
    const rows = selectMappingRows(cur, undefined, undefined);
    const keys = rows.map((r) => `${r.env}:${r.vpn}`);
    expect(new Set(keys).size).toBe(keys.length);
    const a = cur.envs.find((e) => e.name === 'a')!;
    const inTlb = cur.tlb.filter((r) => r.v && !r.g && r.asid === a.asid);
    for (const t of inTlb) expect(rows.find((r) => r.env === a.id && r.vpn === t.vpn)).toMatchObject({ tlb: t.index, pfn: t.pfn });
    for (const s of a.stlb) expect(rows.find((r) => r.env === a.id && r.vpn === s.vpn)).toMatchObject({ stlb: s.slot, pfn: s.pfn });
    expect(rows.some((r) => r.tlb !== undefined && r.stlb !== undefined)).toBe(true);
    expect(rows.filter((r) => r.env === a.id && r.guaranteed)).toHaveLength(a.guaranteedMappings.length);
  });

  it('names the frame\'s owner and the capability the environment reaches it through', () => {
    const { cur } = paging();
    const rows = selectMappingRows(cur, undefined, undefined);
    for (const r of rows) expect(r.owner).toBe(cur.frameOwners[r.pfn]);
    expect(rows.filter((r) => r.owner === r.env).every((r) => r.cap === 'own')).toBe(true);
    expect(rows.find((r) => r.owner === 65535)?.cap ?? 'kern').toBe('kern');
  });

  it('filters to one environment (global entries stay) and sorts by environment, then page', () => {
    const { cur } = paging();
    const a = cur.envs.find((e) => e.name === 'a')!;
    const rows = selectMappingRows(cur, undefined, a.id);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.env === a.id || r.env === 0)).toBe(true);
    const all = selectMappingRows(cur, undefined, undefined);
    expect(all.length).toBeGreaterThan(rows.length);
    expect(all.map((r) => r.env * 2 ** 20 + r.vpn)).toEqual(all.map((r) => r.env * 2 ** 20 + r.vpn).sort((x, y) => x - y));
  });

  it('marks what the library OS wrote since the previous snapshot, from its binding-installed events', () => {
    const { prev, cur } = paging();
    const installed = eventsSince(cur, prev).filter((e) => e.kind === 'binding-installed');
    expect(installed.length).toBeGreaterThan(0);
    const rows = selectMappingRows(cur, prev, undefined);
    for (const e of installed) expect(rows.find((r) => r.env === e.env && r.vpn === e.vaddr >>> 12)?.marks).toContain('written');
    expect(selectMappingRows(cur, undefined, undefined).every((r) => r.marks.length === 0)).toBe(true);
  });

  it('marks a mapping the STLB refilled into the TLB, and one whose TLB slot went to another', () => {
    // A moment just after STLB refills, while the refilled pages are still in the TLB.
    const inTlb = (c: Snapshot, env: number, vpn: number) => {
      const asid = c.envs.find((x) => x.id === env)?.asid;
      return c.tlb.some((t) => t.v && t.asid === asid && t.vpn === vpn);
    };
    const { prev, cur } = until((p, c) => {
      const hs = eventsSince(c, p).filter((e) => e.kind === 'stlb-hit');
      return hs.length > 0 && hs.every((e) => inTlb(c, e.env, e.vaddr >>> 12));
    }, 2_000);
    const hits = eventsSince(cur, prev).filter((e) => e.kind === 'stlb-hit');
    expect(hits.length).toBeGreaterThan(0);
    const rows = selectMappingRows(cur, prev, undefined);
    for (const e of hits) expect(rows.find((r) => r.env === e.env && r.vpn === e.vaddr >>> 12)).toMatchObject({ marks: expect.arrayContaining(['refilled']), tlb: expect.any(Number) });
    const replaced = rows.filter((r) => r.marks.includes('replaced'));
    for (const r of replaced) expect(r.tlb).toBeUndefined();
  });

  it('keeps an evicted mapping one more snapshot, marked gone, from the previous snapshot', () => {
    const strayIn = (s: Snapshot) => {
      const a = s.envs.find((e) => e.name === 'a');
      return a !== undefined && a.stlb.some((st) => !s.tlb.some((t) => t.v && t.asid === a.asid && t.vpn === st.vpn));
    };
    const { cur: prev } = until((_p, c) => strayIn(c), 5_000);
    const a = prev.envs.find((e) => e.name === 'a')!;
    const victim = a.stlb.find((s) => !prev.tlb.some((t) => t.v && t.asid === a.asid && t.vpn === s.vpn))!;
    expect(victim).toBeDefined();
    const evict = { kind: 'stlb-evict' as const, cycle: prev.cycle + 1, env: a.id, vaddr: victim.vpn * 4096, by: a.id };
    const cur: Snapshot = {
      ...prev, cycle: prev.cycle + 1, eventsTotal: prev.eventsTotal + 1, events: [...prev.events, evict],
      envs: prev.envs.map((e) => (e.id === a.id ? { ...e, stlb: e.stlb.filter((s) => s !== victim) } : e)),
    };
    const row = selectMappingRows(cur, prev, a.id).find((r) => r.vpn === victim.vpn);
    expect(row).toMatchObject({ gone: true, marks: ['evicted'], stlb: undefined, pfn: victim.pfn });
    expect(mappingText(row!, 60)).toMatch(/gone: evicted$/);
  });
});

describe('selectMappings', () => {
  it('fits its width, windows the rows from the scroll offset and says what it shows', () => {
    const { prev, cur } = paging();
    const v = selectMappings(cur, prev, 'a', false, 3, 53, 12);
    expect(v.lines).toHaveLength(9);
    expect(v.offset).toBe(3);
    for (const l of [v.header, v.counters, v.legend, ...v.lines.map((x) => x.text)]) expect(l.length).toBeLessThanOrEqual(53);
    expect(v.header).toMatch(/^env +vpn +pfn +ix stl GD owner +cap +since last$/);
    expect(v.info).toMatch(/^a: \d+ mappings, \d+ changed; TLB \d+\/64 valid \(a: all\)$/);
    expect(v.lines[0].text).toMatch(/^a {7}[0-9a-f]{5} [0-9a-f]{5} +(\d+|-) +([0-9a-f]{3}|-) [G-][D-] a {7}own/);
    expect(selectMappings(cur, prev, 'a', true, 0, 80, 40).info).toMatch(/^every environment: /);
  });
});
