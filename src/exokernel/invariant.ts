// The kernel's invariant (docs/architecture.md, "The exokernel"; docs/protection.md): no
// valid TLB or STLB entry, and no guaranteed mapping, maps a frame its
// environment may not map; a writable one needs a write right. Tests run it
// after every kernel entry.
//
// It is derived here from ground truth, not from the bookkeeping that
// install() writes: each mapping must carry the key that was presented for
// it (guaranteed record, STLB entry, TlbEvidence for the hardware TLB), that
// key must be on the frame's access list now with the rights the entry
// needs, and a hardware TLB entry must be exactly what the kernel recorded
// writing there. The kernel's own pages need no key: an environment may
// map only its own info and repossession pages and the frame table, at
// their fixed addresses, read-only. The holder lists are checked only for
// consistency, never as a grant. Returns the violations as sentences.
//
// checkInvariantChanges checks only what changed since its last call (the
// frames, STLB slots and holder records the kernel's mutation points mark,
// the mappings of frames whose rights shrank, the hardware TLB entries that
// differ from what it saw last time or map a changed frame; after an ASID
// changed hands every mapping and the frames naming a destroyed
// environment; everything after a restore), so it reports a violation
// once, when it appears; checkInvariant checks everything, from nothing but
// the tables. Sentences are built only for violations.

import { Tlb, TLB_WRITE_LOG } from '../emu/index.js';
import { KERNEL_OWNER, Layout, Rights } from './abi.js';
import { frameOf } from './bindings.js';
import type { Env, Guaranteed } from './env.js';
import type { Frame } from './frames.js';
import type { ChangeSet } from './changes.js';
import type { Kernel } from './kernel.js';
import { STLB_SIZE, type StlbEntry } from './stlb.js';
import { frameWord } from './usermem.js';

/** Every violation of the invariant, as sentences (empty when it holds). Reads the tables only; changes nothing. */
export function checkInvariant(k: Kernel): string[] {
  return checkAll(k, undefined);
}

/** checkInvariant; with `last`, also records there what the TLB held (checkTlb). */
function checkAll(k: Kernel, last: Taken | undefined): string[] {
  const bad: string[] = [];
  checkTlb(k, bad, last, undefined);
  checkMappings(k, bad);
  for (let i = 0; i < k.frames.frames.length; i++) checkFrame(k, i, bad);
  return bad;
}

/** Every STLB entry and guaranteed mapping; no destroyed environment keeps an ASID or a mapping. */
function checkMappings(k: Kernel, bad: string[]): void {
  for (let i = 0; i < STLB_SIZE; i++) if (k.stlb.valid(i)) checkStlbSlot(k, i, bad);
  for (const env of k.envs.values()) {
    for (const g of env.guaranteed.values()) checkGuaranteed(k, env, g, bad);
    if (env.state === 'destroyed' && (env.asid >= 0 || env.guaranteed.size > 0)) bad.push(`env ${env.id} is destroyed but keeps an ASID or mappings`);
  }
}

/**
 * After an ASID changed hands (an environment got one, gave one up or
 * died): every mapping (whose environment an ASID names may have changed),
 * the frames that changed and, when an environment died since (`died`),
 * those whose owner or a holder is destroyed. The frame-table mirror of
 * the other frames is unchanged.
 */
function checkHandOver(k: Kernel, last: Taken, died: boolean): string[] {
  const bad: string[] = [];
  const { frames, changed, held } = k.frames;
  checkTlb(k, bad, last, undefined);
  checkMappings(k, bad);
  if (died) for (let i = 0; i < frames.length; i++) { if (changed.has(i) || held.has(i) || namesDead(k, frames[i])) checkFrame(k, i, bad); }
  else {
    checkFramesOf(k, changed, held, bad);
  }
  return bad;
}

/** The number of destroyed environments the kernel still lists. */
function deadCount(k: Kernel): number {
  let n = 0;
  for (const e of k.envs.values()) if (e.state === 'destroyed') n++;
  return n;
}

/** True when frame record `f` is owned or held by an environment that is not alive. */
function namesDead(k: Kernel, f: Frame): boolean {
  if (f.owner !== 0 && f.owner !== KERNEL_OWNER && !alive(k, f.owner)) return true;
  if (f.holders.size !== 0) for (const id of f.holders.keys()) if (!alive(k, id)) return true;
  return false;
}

/**
 * Per kernel, what checkInvariantChanges saw when it last looked: the ASID
 * generation and how many of its environments were destroyed then, what
 * each hardware TLB entry held (checkTlb: SEEN words an entry, as int32),
 * and the TLB's write generation at that time. One record, changed in
 * place: the check runs after every kernel entry. A record is filled by a
 * whole check (the first call checks everything) before a later one
 * compares with it.
 */
interface Taken { generation: number; dead: number; tlbGeneration: number; readonly seen: Int32Array }
const taken = new WeakMap<Kernel, Taken>();
const SEEN = 6;

/**
 * The violations among what changed since the last call for `k` (the
 * first call and any call after a restore check everything; one after an
 * ASID changed hands, every mapping: checkHandOver). A violation that
 * persists is reported once, when it appears; checkInvariant still
 * reports it. Forgets the changes it took.
 */
export function checkInvariantChanges(k: Kernel): string[] {
  const { changed, narrowed, held } = k.frames, slots = k.stlb.changed;
  let last = taken.get(k);
  const first = last === undefined;
  if (last === undefined) taken.set(k, (last = { generation: NaN, dead: 0, tlbGeneration: NaN, seen: new Int32Array(Tlb.ENTRIES * SEEN) }));
  const generation = k.asids.generation;
  // Most kernel entries change nothing the invariant reads: no frame, STLB slot, TLB entry or ASID holder.
  if (!first && last.generation === generation && last.tlbGeneration === k.cpu.tlb.generation &&
    changed.empty && narrowed.empty && held.empty && slots.empty) return [];
  const dead = last.generation !== generation ? deadCount(k) : last.dead;
  let bad: string[];
  if (first || changed.all || narrowed.all || held.all || slots.all) bad = checkAll(k, last);
  else if (last.generation !== generation) bad = checkHandOver(k, last, dead !== last.dead);
  else {
    bad = [];
    checkTlb(k, bad, last, changed);
    const list = slots.entries();
    for (let j = 0; j < list.length; j++) checkStlbSlot(k, list[j], bad);
    if (!narrowed.empty) for (const i of k.stlb.slotsOfFrames(narrowed)) if (!slots.has(i)) checkStlbSlot(k, i, bad);
    if (!changed.empty || !held.empty) checkChangedFrames(k, bad);
  }
  last.generation = generation;
  last.dead = dead;
  changed.clear();
  narrowed.clear();
  held.clear();
  slots.clear();
  return bad;
}

/**
 * The guaranteed mappings of frames whose rights shrank or that got a new
 * holder (a guaranteed binding records one), and the frame-table entries
 * of every changed frame.
 */
function checkChangedFrames(k: Kernel, bad: string[]): void {
  const { changed, narrowed, held } = k.frames;
  if (guaranteedNamesOne(k, narrowed) || guaranteedNamesOne(k, held)) {
    // forEach, not for-of: no iterator result per mapping (this visits every guaranteed mapping of every environment).
    k.envs.forEach((env) => {
      if (env.guaranteed.size !== 0) env.guaranteed.forEach((g) => {
        const f = frameOf(g.entryLo);
        if (narrowed.has(f) || held.has(f) || narrowed.has(g.frame) || held.has(g.frame)) checkGuaranteed(k, env, g, bad);
      });
    });
  }
  checkFramesOf(k, changed, held, bad);
}

/** The frame-table entries of the frames `changed` or `held` marks, each once. */
function checkFramesOf(k: Kernel, changed: ChangeSet, held: ChangeSet, bad: string[]): void {
  const c = changed.entries(), h = held.entries();
  for (let j = 0; j < c.length; j++) checkFrame(k, c[j], bad);
  for (let j = 0; j < h.length; j++) if (!changed.has(h[j])) checkFrame(k, h[j], bad);
}

/** True when some guaranteed mapping may name a frame `frames` marks (guaranteed.ts counts them by frame). */
function guaranteedNamesOne(k: Kernel, frames: ChangeSet): boolean {
  if (frames.empty) return false;
  if (frames.all) return true;
  const list = frames.entries();
  for (let i = 0; i < list.length; i++) if (k.guaranteedCount.names(list[i])) return true;
  return false;
}

/** One guaranteed mapping of env. */
function checkGuaranteed(k: Kernel, env: Env, g: Guaranteed, bad: string[]): void {
  if (g.frame !== frameOf(g.entryLo)) bad.push(`${guaranteedWhere(env, g)}: records frame ${g.frame} but maps frame ${frameOf(g.entryLo)}`);
  const why = checkMapping(k, env, env.id, g.vpn, g.entryLo, g.keyLo, g.keyHi);
  if (why) bad.push(`${guaranteedWhere(env, g)}: ${why}`);
}

/** Where a violation of guaranteed mapping `g` is, in its sentence. */
function guaranteedWhere(env: Env, g: Guaranteed): string {
  return `env ${env.id} guaranteed va 0x${((g.vpn << 12) >>> 0).toString(16)}`;
}

/** The STLB entry in slot `i`, if any: its ASID is its environment's, and the mapping is allowed. */
function checkStlbSlot(k: Kernel, i: number, bad: string[]): void {
  const e = k.stlb.at(i);
  if (!e) return;
  if (k.asids.holder(e.asid)?.id !== e.env) bad.push(`${stlbWhere(e)}: ASID ${e.asid} is not environment ${e.env}'s`);
  const why = checkMapping(k, k.envs.get(e.env), e.env, e.vpn, e.entryLo, e.keyLo, e.keyHi);
  if (why) bad.push(`${stlbWhere(e)}: ${why}`);
}

/** Where a violation of STLB entry `e` is, in its sentence (a function, not a closure: nothing made per check). */
function stlbWhere(e: StlbEntry): string {
  return `STLB[${e.slot}] va 0x${((e.vpn << 12) >>> 0).toString(16)}`;
}

/**
 * Each valid hardware TLB entry: written by a checked binding, of a live
 * environment, allowed. With `last` (what each entry and its evidence held
 * at the last check, updated here) and `changed` (the frames whose record
 * changed since), an entry that held the same and maps an unchanged frame
 * is passed over: under the same ASID holders its verdict is the same.
 * The TLB's write log (tlb.ts `written`) names the entries written since
 * the last check while it holds them all: only those can hold something
 * new (the evidence is written only with them, bindTlb), so only they are
 * compared, besides the entries of changed frames.
 */
function checkTlb(k: Kernel, bad: string[], last: Taken | undefined, changed: ChangeSet | undefined): void {
  const tlb = k.cpu.tlb;
  if (last && changed) {
    const writes = tlb.generation - last.tlbGeneration;
    if (writes >= 0 && writes <= TLB_WRITE_LOG) { checkTlbWritten(k, bad, last, changed, writes); return; }
  }
  if (last) last.tlbGeneration = tlb.generation;
  for (let i = 0; i < Tlb.ENTRIES; i++) {
    if (last && remember(k, last.seen, i) && changed && !changed.has(frameOf(tlb.lo[i]))) continue;
    checkTlbEntry(k, i, bad);
  }
}

/**
 * checkTlb when the write log holds the last `writes` writes: those entries
 * (if they hold something new) and the entries of changed frames, in
 * entry order. Entries are sets of bits in two 32-bit words (no array
 * made); only the marked ones are visited.
 */
function checkTlbWritten(k: Kernel, bad: string[], last: Taken, changed: ChangeSet, writes: number): void {
  const tlb = k.cpu.tlb, now = tlb.generation;
  last.tlbGeneration = now;
  let w0 = 0, w1 = 0;
  for (let g = now - writes; g < now; g++) {
    const i = tlb.written[g & (TLB_WRITE_LOG - 1)];
    if (i < 32) w0 |= 1 << i; else w1 |= 1 << (i - 32);
  }
  // changed is never `all` here (checkAll runs then); most kernel entries change no frame or one or two.
  const f0 = changed.empty ? 0 : entriesOfFrames(tlb.lo, changed, 0);
  const f1 = changed.empty ? 0 : entriesOfFrames(tlb.lo, changed, 32);
  checkTlbMarked(k, bad, last, w0, f0, 0);
  checkTlbMarked(k, bad, last, w1, f1, 32);
}

/** The entries from..from+31 of `lo` (EntryLo words) that map a frame `changed` marks, as bits. */
function entriesOfFrames(lo: Int32Array | Uint32Array, changed: ChangeSet, from: number): number {
  const frames = changed.entries();
  let m = 0;
  // By frame when a few changed, else by the change set's marks.
  if (frames.length > 4) { for (let i = 0; i < 32; i++) if (changed.has((lo[from + i] >>> 12) & 0xfffff)) m |= 1 << i; return m; }
  for (let i = 0; i < 32; i++) {
    const frame = (lo[from + i] >>> 12) & 0xfffff;
    for (let j = 0; j < frames.length; j++) if (frames[j] === frame) { m |= 1 << i; break; }
  }
  return m;
}

/**
 * Of entries from..from+31: the written ones (bits `w`) that hold
 * something new (remember() keeps `seen` what the TLB holds) and those of
 * changed frames (bits `f`), checked in entry order.
 */
function checkTlbMarked(k: Kernel, bad: string[], last: Taken, w: number, f: number, from: number): void {
  for (let m = w | f; m !== 0; m &= m - 1) {
    const b = 31 - Math.clz32(m & -m), i = from + b;
    const written = ((w >>> b) & 1) !== 0, ofChanged = ((f >>> b) & 1) !== 0;
    if ((written && !remember(k, last.seen, i)) || ofChanged) checkTlbEntry(k, i, bad);
  }
}

/** Hardware TLB entry `i`, when valid: written by a checked binding, of a live environment, allowed. */
function checkTlbEntry(k: Kernel, i: number, bad: string[]): void {
  const tlb = k.cpu.tlb, ev = k.tlbEvidence;
  const hi = tlb.hi[i] >>> 0, lo = tlb.lo[i] >>> 0;
  if (hi >= 0x80000000 || (lo & Tlb.V) === 0) return;
  if ((lo & Tlb.G) !== 0) bad.push(`${tlbWhere(i, hi)}: global entry in user space`);
  if ((ev.hi[i] >>> 0) !== hi || (ev.lo[i] >>> 0) !== lo) { bad.push(`${tlbWhere(i, hi)}: entry was not written by a checked binding`); return; }
  const env = k.asids.holder((hi >>> 6) & 63);
  if (!env) { bad.push(`${tlbWhere(i, hi)}: valid entry under an ASID no environment holds`); return; }
  const why = checkMapping(k, env, env.id, hi >>> 12, lo, ev.keyLo[i], ev.keyHi[i]);
  if (why) bad.push(`${tlbWhere(i, hi)}: ${why}`);
}

/** Where a violation of hardware TLB entry `i` (EntryHi `hi`) is, in its sentence. */
function tlbWhere(i: number, hi: number): string {
  return `TLB[${i}] va 0x${(hi & 0xfffff000).toString(16)}`;
}

/**
 * Stores what hardware TLB entry `i` and its evidence hold at seen[i * SEEN..]
 * (int32 words: nothing to box); true when they were there already.
 */
function remember(k: Kernel, seen: Int32Array, i: number): boolean {
  const tlb = k.cpu.tlb, ev = k.tlbEvidence, o = i * SEEN;
  const a = tlb.hi[i], b = tlb.lo[i], c = ev.hi[i], d = ev.lo[i], e = ev.keyLo[i] | 0, f = ev.keyHi[i] | 0;
  const same = seen[o] === a && seen[o + 1] === b && seen[o + 2] === c && seen[o + 3] === d && seen[o + 4] === e && seen[o + 5] === f;
  if (!same) { seen[o] = a; seen[o + 1] = b; seen[o + 2] = c; seen[o + 3] = d; seen[o + 4] = e; seen[o + 5] = f; }
  return same;
}

/**
 * One mapping of `vpn` to the frame `entryLo` names, by environment
 * `envId`, made with key (keyLo, keyHi): allowed by the frame's access
 * list, or one of the environment's kernel pages. Returns why not, or undefined.
 */
function checkMapping(k: Kernel, env: Env | undefined, envId: number, vpn: number, entryLo: number, keyLo: number, keyHi: number): string | undefined {
  if (!env || env.state === 'destroyed') return `entry of environment ${envId}, which is destroyed`;
  const frame = frameOf(entryLo), writable = (entryLo & Tlb.D) !== 0;
  if (frame >= k.frames.count) return `frame ${frame} does not exist`;
  const f = k.frames.frames[frame];
  if (f.owner === 0) return `maps free frame ${frame}`;
  if (f.owner === KERNEL_OWNER) {
    if (kernelPage(k, env, vpn) !== frame) return `maps kernel frame ${frame}, which is not this environment's page there`;
    return writable ? `writable mapping of kernel frame ${frame}` : undefined;
  }
  // The owner holds the owner's capability (entry 0) whatever key it bound with.
  let rights = f.owner === envId ? f.caps[0]?.rights ?? 0 : 0;
  const caps = f.caps;
  for (let j = 0; j < caps.length; j++) if (caps[j].keyLo === keyLo >>> 0 && caps[j].keyHi === keyHi >>> 0) rights |= caps[j].rights;
  if (rights === 0) return `environment ${envId} holds no capability for frame ${frame} (its key is not on the access list)`;
  if (writable && (rights & Rights.Write) === 0) return `writable mapping of frame ${frame} with read rights only`;
  return undefined;
}

/** The kernel frame env may map read-only at `vpn` (info page, repossession page, frame table), or -1. */
function kernelPage(k: Kernel, env: Env, vpn: number): number {
  if (vpn === Layout.INFO >>> 12) return env.infoFrame;
  if (vpn === Layout.REPO >>> 12) return env.repoFrame;
  const i = vpn - (Layout.FRAMES >>> 12);
  return i >= 0 && i < k.frameTableFrames.length ? k.frameTableFrames[i] : -1;
}

/** True when environment `id` exists and is not destroyed. */
function alive(k: Kernel, id: number): boolean {
  const e = k.envs.get(id);
  return e !== undefined && e.state !== 'destroyed';
}

/** Frame `i`'s record agrees with its user-visible mirror and with the environments. */
function checkFrame(k: Kernel, i: number, bad: string[]): void {
  const f = k.frames.frames[i];
  const base = k.frameTableFrames[(i * 4) >>> 12];
  const mirrored = frameWord(k, base, (i * 4) & 0xfff) >>> 0;
  if (mirrored !== k.frames.entry(i)) bad.push(`frame ${i}: user-visible entry 0x${mirrored.toString(16)} differs from the kernel's`);
  if (f.owner === 0) {
    if (f.caps.length > 0 || f.holders.size > 0) bad.push(`frame ${i}: free but has capabilities or holders`);
    return;
  }
  if (f.owner !== KERNEL_OWNER && !alive(k, f.owner)) bad.push(`frame ${i}: owned by environment ${f.owner}, which is destroyed`);
  if (f.holders.size > 0) for (const id of f.holders.keys()) if (!alive(k, id)) bad.push(`frame ${i}: held by environment ${id}, which is destroyed`);
}
