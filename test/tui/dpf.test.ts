// The DPF pane: its selector on a snapshot of a real session (three UDP
// echo servers whose filters merge in one trie, datagrams injected from the
// peer host), and its pane rendered by Ink without color.

import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DpfPane } from '../../src/tui/panes/dpf.js';
import { fieldName, selectDpf } from '../../src/tui/selectors/dpf.js';
import { makeTheme, ThemeContext } from '../../src/tui/theme.js';
import { booted, echoing } from './fixtures/snapshots.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

const snap = echoing();
const text = (width = 80, height = 60) => selectDpf(snap, 0, width, height).rows.map((r) => `${r.text.trimEnd()}|${r.hits.trim()}`);

describe('selectDpf', () => {
  it('counts the filters, nodes, hash tables and packets of the merged trie', () => {
    const v = selectDpf(snap, 0, 80, 40);
    expect(v.info).toBe('6 filters, 3 hash tables, 4 packets');
    expect(v.header).toMatch(/^6 filters {2}17 nodes {2}3 hash tables {2}4 packets classified +hits$/);
    expect(v.empty).toBeUndefined();
  });

  it('names the header field each atom tests and shows addresses as dotted quads', () => {
    const t = text();
    expect(t).toContain('    u8[23] == 0x11  (ip.proto)|4');
    expect(t.some((l) => /^ +\[\d+\] u32\[30\] == 0xa000002 {2}\(ip\.dst 10\.0\.0\.2\)\|2$/.test(l))).toBe(true);
    expect(t.filter((l) => l.includes('base += (u8[14] & 0xf) << 2'))).toHaveLength(3);
    expect(t.filter((l) => l.includes('u16[16] == 0x7  (udp.dport)'))).toHaveLength(3);
  });

  it('draws each hash table with its keys and load, its buckets\' entries under it', () => {
    const t = text();
    expect(t[1]).toBe('  # u16[12] in {0x800, 0x806}  (eth.type)  2/64 buckets|4');
    const ipHash = t.findIndex((l) => l.includes('# u32[30] in {0xa000002, 0xa000003, 0xa000004}  (ip.dst)'));
    expect(ipHash).toBeGreaterThan(0);
    expect(t[ipHash + 1]).toMatch(/^ {6}\[\d+\] u32\[30\]/);
  });

  it('ends each filter with its owner, ring and ASH, the owner\'s packets counted there', () => {
    const leaves = selectDpf(snap, 0, 80, 60).rows.filter((r) => r.kind === 'leaf');
    expect(leaves).toHaveLength(6);
    const e2 = snap.envs.find((e) => e.name === 'e2')!, e3 = snap.envs.find((e) => e.name === 'e3')!;
    const udp2 = leaves.find((r) => r.owner === e2.id && r.text.includes('ring 1'))!;
    expect(udp2.text.trim()).toMatch(new RegExp(`^→ e2 \\(env ${e2.id}\\)  filter \\d+ ring 1$`));
    expect(udp2.hits.trim()).toBe('2');
    const udp3 = leaves.find((r) => r.owner === e3.id && r.text.includes('ring 1'))!;
    expect(udp3.text).toMatch(/→ e3 \(env \d\) {2}filter \d ring 1 {2}ash 0x[0-9a-f]{8}/);
    expect(udp3.hot).toBe(true);
  });

  it('scrolls within the trie and cuts lines to the pane', () => {
    const all = selectDpf(snap, 0, 60, 100).rows.length;
    const v = selectDpf(snap, 5, 60, 11);
    expect(v.rows).toHaveLength(10);
    expect(v.max).toBe(all - 10);
    expect(v.offset).toBe(5);
    expect(v.rows.every((r) => r.text.length + 1 + r.hits.length === 60)).toBe(true);
  });

  it('says so when no filter is installed yet', () => {
    const v = selectDpf(booted(), 0, 80, 20);
    expect(v.empty).toMatch(/^No filters installed yet/);
  });

  it('names fields by where the path has been: ARP after eth.type 0x806, UDP after the IP header shift', () => {
    expect(fieldName(4, 38, 0xffffffff, { shifted: false, ethType: 0x806 })).toBe('arp.tpa');
    expect(fieldName(2, 20, 0xffff, { shifted: false, ethType: 0x806 })).toBe('arp.op');
    expect(fieldName(2, 20, 0x3fff, { shifted: false, ethType: 0x800 })).toBe('ip.frag');
    expect(fieldName(2, 16, 0xffff, { shifted: true, ethType: 0x800 })).toBe('udp.dport');
    expect(fieldName(2, 99, 0xffff, { shifted: false, ethType: 0x800 })).toBeUndefined();
  });
});

describe('DpfPane', () => {
  it('draws the header, the trie and the hit counts within its size', () => {
    const v = selectDpf(snap, 0, 80, 12);
    const r = render(h(ThemeContext.Provider, { value: makeTheme(false) }, h(DpfPane, { view: v, width: 80, height: 12 })));
    unmount = r.unmount;
    const lines = (r.lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(/^6 filters {2}17 nodes .* hits$/);
    expect(lines[1]).toMatch(/^root +4$/);
    expect(lines[2]).toMatch(/^ {2}# u16\[12\] in \{0x800, 0x806\} {2}\(eth\.type\) {2}2\/64 buckets +4$/);
    expect(lines.some((l) => /→ e2 \(env 1\) {2}filter \d+ ring 0 +0$/.test(l))).toBe(true);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });
});
