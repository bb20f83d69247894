// The packet filter's view model (DPF, Engler and Kaashoek, SIGCOMM '96):
// the merged trie as indented lines. Atoms show as the kernel writes them
// ("u16[12] == 0x800") with the header field they test when it is a known
// one ("eth.type"); hash tables show their keys and buckets; each filter's
// end names the environment that owns it; every line has its hit count.
// A chain of atoms with one child each stays at one indent: the indent
// grows only where the trie branches.

import type { DpfView, Snapshot } from '../../session/index.js';
import { clip, fit, hex, num, right, windowOf } from '../format.js';

type DpfViewNode = DpfView['root'];
type DpfViewChild = DpfViewNode['children'][number];
type DpfViewHash = Extract<DpfViewChild, { kind: 'hash' }>;

export type DpfRowKind = 'root' | 'node' | 'shift' | 'hash' | 'leaf';

/** One line of the trie. */
export interface DpfRow {
  readonly kind: DpfRowKind;
  /** Indented and cut to the pane, hit count excluded. */
  readonly text: string;
  /** The hit count, right-aligned. */
  readonly hits: string;
  /** The owning environment's id on a leaf line; 0 elsewhere. */
  readonly owner: number;
  /** Packets went this way. */
  readonly hot: boolean;
}

export interface DpfPaneView {
  readonly info: string;
  /** Filters, nodes, hash tables and packets classified, in a line. */
  readonly header: string;
  readonly rows: readonly DpfRow[];
  readonly offset: number;
  readonly max: number;
  /** Why there is nothing to draw, when there is not. */
  readonly empty: string | undefined;
}

/** Columns of the hit count. */
const HITS_W = 9;

/** What the path so far says about the packet: after the IP header shift, and the Ethernet type. */
interface Ctx { readonly shifted: boolean; readonly ethType: number | undefined }

/** The header field at `width`@`offset` (masked by `mask`), named when it is a well-known one. */
export function fieldName(width: number, offset: number, mask: number, ctx: Ctx): string | undefined {
  const full = mask === 0xffffffff >>> (32 - 8 * width);
  if (ctx.shifted) {
    if (width === 2 && offset === 14 && full) return 'udp.sport';
    if (width === 2 && offset === 16 && full) return 'udp.dport';
    return undefined;
  }
  if (width === 2 && offset === 12 && full) return 'eth.type';
  if (ctx.ethType === 0x806) {
    if (width === 2 && offset === 20 && full) return 'arp.op';
    if (width === 4 && offset === 28 && full) return 'arp.spa';
    if (width === 4 && offset === 38 && full) return 'arp.tpa';
    return undefined;
  }
  if (width === 1 && offset === 14) return mask === 0xf0 ? 'ip.version' : mask === 0x0f ? 'ip.ihl' : undefined;
  if (width === 1 && offset === 23 && full) return 'ip.proto';
  if (width === 2 && offset === 20) return 'ip.frag';
  if (width === 4 && offset === 26 && full) return 'ip.src';
  if (width === 4 && offset === 30 && full) return 'ip.dst';
  return undefined;
}

/** The dotted quad of a 32-bit value. */
const quad = (v: number) => [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');

/** A line's raw parts before fitting. */
interface Raw { kind: DpfRowKind; depth: number; text: string; hits: number; owner: number }

function atomLine(n: DpfViewNode, ctx: Ctx): string {
  const a = n.atom;
  if (!a) return n.text;
  const name = fieldName(a.width, a.offset, a.mask, ctx);
  if (!name) return n.text;
  const addr = a.kind === 'compare' && a.width === 4 && /^(ip|arp)\./.test(name);
  const value = addr && a.kind === 'compare' ? `  (${name} ${quad(a.value)})` : `  (${name})`;
  return n.text + value;
}

/** The context after passing node `n`. */
function after(n: DpfViewNode, ctx: Ctx): Ctx {
  const a = n.atom;
  if (!a) return ctx;
  if (a.kind === 'shift') return { ...ctx, shifted: true };
  if (!ctx.shifted && a.width === 2 && a.offset === 12) return { ...ctx, ethType: a.value };
  return ctx;
}

function walkNode(n: DpfViewNode, depth: number, ctx: Ctx, names: ReadonlyMap<number, string>, out: Raw[], prefix = ''): void {
  const kind: DpfRowKind = !n.atom ? 'root' : n.atom.kind === 'shift' ? 'shift' : 'node';
  out.push({ kind, depth, text: prefix + atomLine(n, ctx), hits: n.hits, owner: 0 });
  const next = after(n, ctx);
  if (n.leaf) {
    const l = n.leaf;
    const who = names.get(l.env) ?? `#${l.env}`;
    out.push({ kind: 'leaf', depth, text: `→ ${who} (env ${l.env})  filter ${l.filter} ring ${l.ring}${l.ash ? `  ash 0x${hex(l.ash)}` : ''}`, hits: l.hits, owner: l.env });
  }
  const inner = kind === 'root' || n.children.length > 1 || n.leaf ? depth + 1 : depth;
  for (const c of n.children) walkChild(c, inner, next, names, out);
}

function walkHash(t: DpfViewHash, depth: number, ctx: Ctx, names: ReadonlyMap<number, string>, out: Raw[]): void {
  const name = fieldName(t.width, t.offset, t.mask, ctx);
  const load = `${t.entries}/${t.size} buckets${t.collisions ? `, ${t.collisions} collisions` : ''}`;
  out.push({ kind: 'hash', depth, text: `# ${t.text}${name ? `  (${name})` : ''}  ${load}`, hits: t.hits, owner: 0 });
  for (const b of t.buckets) for (const e of b.entries) walkNode(e, depth + 1, ctx, names, out, `[${b.index}] `);
}

function walkChild(c: DpfViewChild, depth: number, ctx: Ctx, names: ReadonlyMap<number, string>, out: Raw[]): void {
  if (c.kind === 'hash') walkHash(c, depth, ctx, names, out);
  else walkNode(c, depth, ctx, names, out);
}

/** Every line of `view`'s trie, unfitted; `names` maps environment ids to names. */
export function trieLines(view: DpfView, names: ReadonlyMap<number, string>): Raw[] {
  const out: Raw[] = [];
  walkNode(view.root, 0, { shifted: false, ethType: undefined }, names, out);
  return out;
}

/** The DPF pane for a `width` x `height` pane scrolled `scroll` lines down. */
export function selectDpf(s: Snapshot, scroll: number, width: number, height: number): DpfPaneView {
  const v = s.dpf;
  if (!v) return { info: 'no network', header: 'This machine has no packet filter.', rows: [], offset: 0, max: 0, empty: 'No network: the scenario gives the machine no LANCE.' };
  const names = new Map(s.envs.map((e) => [e.id, e.name]));
  const raw = trieLines(v, names);
  const indent = Math.max(1, Math.min(2, Math.floor(width / 40)));
  const textW = Math.max(1, width - HITS_W - 1);
  const rows: DpfRow[] = raw.map((r) => ({
    kind: r.kind, text: fit(' '.repeat(Math.min(r.depth * indent, Math.floor(textW / 2))) + r.text, textW),
    hits: right(num(r.hits), HITS_W), owner: r.owner, hot: r.hits > 0,
  }));
  const packets = v.root.hits;
  const header = clip(`${v.filters.length} filters  ${v.nodes} nodes  ${v.hashTables} hash tables  ${num(packets)} packets classified`, textW).padEnd(textW) + ' ' + right('hits', HITS_W);
  const win = windowOf(rows, scroll, Math.max(1, height - 1));
  return {
    info: `${v.filters.length} filters, ${v.hashTables} hash tables, ${num(packets)} packets`,
    header, rows: win.items, offset: win.offset, max: win.max,
    empty: v.filters.length ? undefined : 'No filters installed yet: environments insert theirs when they open a port.',
  };
}
