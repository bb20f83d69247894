// Physical memory as Aegis exports it (paper, sec. 5.1;
// docs/architecture.md, "The exokernel"): frames allocated by name, an owner, and an
// access list of capabilities. A capability is a 64-bit key the library OS
// chose, with rights; presenting the key is what binding a frame requires.
// The kernel also records which environments hold a binding ("holders"), so
// it can break them when the owner frees the frame or rekeys it.
//
// The table is mirrored into kernel frames in guest memory, one 32-bit entry a
// frame (FrameEntry in abi.ts), which every environment maps read-only.

import { FrameEntry, KERNEL_OWNER, Rights } from './abi.js';
import { ChangeSet } from './changes.js';

/** A capability on a frame's access list. */
export interface Capability {
  readonly keyLo: number;
  readonly keyHi: number;
  readonly rights: number;
}

/** Most capabilities a frame's access list holds (the owner's included). */
export const ACCESS_LIST_MAX = 8;

/** One physical frame's kernel record. */
export interface Frame {
  /** Owner environment id; 0 when free, KERNEL_OWNER for the kernel's own. */
  owner: number;
  /** The access list; entry 0 is the owner's capability. */
  caps: Capability[];
  /**
   * Environments that hold bindings of this frame, with the rights they
   * bound it with. Frames nobody holds share one empty map, so the map is
   * read-only here: holders change only through FrameTable.hold (which
   * gives the frame its own map) and FrameTable.release.
   */
  holders: ReadonlyMap<number, number>;
  /** Guaranteed (never revoked): kernel frames, the image and stack of an environment. */
  guaranteed: boolean;
}

/**
 * The holders of every frame nobody holds (a machine has thousands of
 * frames, most never bound: no map each to build, copy through the
 * collector and rebuild on every restore). Never added to.
 */
const NO_HOLDERS: Map<number, number> = new Map();

/** The frame table. */
export class FrameTable {
  readonly frames: Frame[];
  /** Frames whose owner, access list or guarantee changed (the incremental invariant check rechecks their entries). */
  readonly changed: ChangeSet;
  /**
   * Frames whose rights shrank (freed, rekeyed, reserved): the only changes
   * that can make an allowed mapping of them disallowed, so the incremental
   * check rechecks their mappings. (Allocating a free frame or granting a
   * capability only adds rights; a mapping of a free frame was already a
   * violation.)
   */
  readonly narrowed: ChangeSet;
  /** Frames whose holder records changed. */
  readonly held: ChangeSet;
  /** No frame below it is free (a search hint; see lowestFree). */
  private freeHint = 0;
  /** The number of free frames, kept as frames change owner; -1 after a restore until freeCount counts them. */
  private freeFrames: number;
  /** Per frame: 1 when its record changed since the last takeChanged (checkpoints save only those). */
  private readonly marks: Uint8Array;
  private changedList: number[] = [];

  /** `count` free frames; `mirror` writes an entry into guest memory. */
  constructor(readonly count: number, private readonly mirror: (frame: number, entry: number) => void) {
    this.frames = Array.from({ length: count }, () => ({ owner: 0, caps: [], holders: NO_HOLDERS, guaranteed: false }));
    this.marks = new Uint8Array(count);
    this.changed = new ChangeSet(count);
    this.narrowed = new ChangeSet(count);
    this.held = new ChangeSet(count);
    this.freeFrames = count;
  }

  /** Records that environment `env` holds a binding of `frame` with `rights` (added to what it held). */
  hold(frame: number, env: number, rights: number): void {
    const f = this.frames[frame];
    const own = f.holders === NO_HOLDERS ? new Map<number, number>() : (f.holders as Map<number, number>);
    own.set(env, (own.get(env) ?? 0) | rights);
    f.holders = own;
    this.touchHolders(frame);
  }

  /** Forgets the holders of `frame` that `drop` picks; true when there were any. */
  release(frame: number, drop: (env: number) => boolean): boolean {
    const f = this.frames[frame];
    if (f.holders.size === 0) return false;
    // Deleting the key just visited is safe in a Map's iteration: no copy of the keys.
    const holders = f.holders as Map<number, number>;
    let any = false;
    for (const env of holders.keys()) if (drop(env)) { holders.delete(env); any = true; }
    if (any) this.touchHolders(frame);
    return any;
  }

  /**
   * Forgets every holder record of environment `env` (release of each frame
   * it holds). A loop of its own: run for every frame at an environment's
   * destruction, it would make the destruction itself hot enough for the
   * optimizing compiler (V8), a large compile for a rare path.
   */
  releaseAll(env: number): void {
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) {
      const h = frames[i].holders;
      if (h.size !== 0 && h.has(env)) { (h as Map<number, number>).delete(env); this.touchHolders(i); }
    }
  }

  /** Records that `frame`'s holder list changed (callers that delete from `holders` directly). */
  touchHolders(frame: number): void {
    this.held.add(frame);
    this.touch(frame);
  }

  /** Notes that `frame`'s record changed (every change to owner, caps, holders or guaranteed must call it). */
  touch(frame: number): void {
    if (this.marks[frame] !== 0) return;
    this.marks[frame] = 1;
    this.changedList.push(frame);
  }

  /** The frames whose record changed since the last call, ascending; clears the marks. */
  takeChanged(): number[] {
    const out = this.changedList.sort((a, b) => a - b);
    for (const f of out) this.marks[f] = 0;
    this.changedList = [];
    return out;
  }

  /** The 32-bit frame-table entry of `frame` as user level sees it. */
  entry(frame: number): number {
    const f = this.frames[frame];
    return ((f.owner & FrameEntry.OWNER_MASK) | (Math.min(255, f.caps.length > 0 ? f.caps.length - 1 : 0) << FrameEntry.GRANTS_SHIFT) | (f.guaranteed ? FrameEntry.FLAG_GUARANTEED : 0)) >>> 0;
  }

  private sync(frame: number, narrowed = false): void {
    this.touch(frame);
    this.changed.add(frame);
    if (narrowed) this.narrowed.add(frame);
    this.mirror(frame, this.entry(frame));
  }

  /**
   * Allocates `frame` (or the lowest free frame when it is -1) to `owner`
   * with the owner's key. Returns the frame number, or 'inval' (no such
   * frame), 'busy' (owned), 'nomem' (none free). Only claimFrame
   * (scrub.ts) calls it, so that the frame is zeroed for its new owner.
   */
  alloc(frame: number, owner: number, keyLo: number, keyHi: number, guaranteed = false): number | 'inval' | 'busy' | 'nomem' {
    if (frame === -1) {
      frame = this.lowestFree();
      if (frame < 0) return 'nomem';
    } else if (!Number.isInteger(frame) || frame < 0 || frame >= this.count) return 'inval';
    const f = this.frames[frame];
    if (f.owner !== 0) return 'busy';
    if (this.freeFrames >= 0) this.freeFrames--;
    f.owner = owner;
    f.caps = [{ keyLo: keyLo >>> 0, keyHi: keyHi >>> 0, rights: Rights.ReadWrite }];
    f.holders = NO_HOLDERS;
    f.guaranteed = guaranteed;
    this.sync(frame);
    return frame;
  }

  /**
   * The lowest free frame, or -1. Every frame below `freeHint` is owned, so
   * a guest taking every frame one by one costs the host linear time in
   * all, not quadratic.
   */
  private lowestFree(): number {
    while (this.freeHint < this.count && this.frames[this.freeHint].owner !== 0) this.freeHint++;
    return this.freeHint < this.count ? this.freeHint : -1;
  }

  /** Frees `frame`; the caller has broken its bindings. */
  free(frame: number): void {
    this.freeHint = Math.min(this.freeHint, frame);
    const f = this.frames[frame];
    if (f.owner !== 0 && this.freeFrames >= 0) this.freeFrames++;
    f.owner = 0;
    f.caps = [];
    f.holders = NO_HOLDERS;
    f.guaranteed = false;
    this.sync(frame, true);
  }

  /** Adds a capability; false when the access list is full. */
  grant(frame: number, cap: Capability): boolean {
    const f = this.frames[frame];
    if (f.caps.length >= ACCESS_LIST_MAX) return false;
    f.caps.push({ keyLo: cap.keyLo >>> 0, keyHi: cap.keyHi >>> 0, rights: cap.rights });
    this.sync(frame);
    return true;
  }

  /** Drops every capability but the owner's. */
  rekey(frame: number): void {
    const f = this.frames[frame];
    f.caps = f.caps.slice(0, 1);
    this.sync(frame, true);
  }

  /** The rights the key gives on `frame` (0 when it is no capability for it). */
  rightsOf(frame: number, keyLo: number, keyHi: number): number {
    const f = this.frames[frame];
    if (f.owner === 0) return 0;
    let rights = 0;
    const caps = f.caps;
    for (let i = 0; i < caps.length; i++) if (caps[i].keyLo === keyLo >>> 0 && caps[i].keyHi === keyHi >>> 0) rights |= caps[i].rights;
    return rights;
  }

  /** Marks a kernel frame (owner KERNEL_OWNER, no capabilities, guaranteed). */
  reserve(frame: number): void {
    const f = this.frames[frame];
    if (f.owner === 0 && this.freeFrames >= 0) this.freeFrames--;
    f.owner = KERNEL_OWNER;
    f.caps = [];
    f.guaranteed = true;
    this.sync(frame, true);
  }

  /** The frames `owner` owns. */
  ownedBy(owner: number): number[] {
    const out: number[] = [];
    this.frames.forEach((f, i) => { if (f.owner === owner) out.push(i); });
    return out;
  }

  /** Every frame's record (or those in [from, to)) as plain data, for checkpoints. */
  save(from = 0, to = this.count): { owner: number; caps: Capability[]; holders: [number, number][]; guaranteed: boolean }[] {
    return this.frames.slice(from, to).map((f) => ({ owner: f.owner, caps: f.caps.map((c) => ({ ...c })), holders: [...f.holders], guaranteed: f.guaranteed }));
  }

  /** Restores what `save(from)` returned (the mirror in guest RAM is restored with RAM). */
  restore(s: ReturnType<FrameTable['save']>, from = 0): void {
    this.freeHint = 0;
    this.freeFrames = -1;
    this.changed.addAll();
    this.narrowed.addAll();
    this.held.addAll();
    s.forEach((r, j) => {
      const i = from + j;
      const f = this.frames[i];
      f.owner = r.owner;
      f.caps = r.caps.map((c) => ({ ...c }));
      f.holders = r.holders.length > 0 ? new Map(r.holders) : NO_HOLDERS;
      f.guaranteed = r.guaranteed;
      this.touch(i);
    });
  }

  /** Number of free frames. */
  freeCount(): number {
    if (this.freeFrames < 0) {
      this.freeFrames = 0;
      for (const f of this.frames) if (f.owner === 0) this.freeFrames++;
    }
    return this.freeFrames;
  }
}
