// The user's interventions (docs/architecture.md, "Time travel"): the
// machine actions a person takes while debugging (kill, revoke, inject,
// console input), what each does to the session's machines, and the record
// of where each was taken, which time travel carries out again when it
// passes that point. Actions the timeline takes are not recorded
// (Session.asTimeline).

import type { PacketSpec } from '../scenario/index.js';
import { ipv4udp, parseHex } from '../net/index.js';
import type { SessionMachines } from './machines.js';

/** A machine action the user took (not the timeline): time travel replays it at its point. */
export type Intervention =
  | { readonly kind: 'kill'; readonly env: string }
  | { readonly kind: 'revoke'; readonly env: string; readonly what: 'frames' | 'slices'; readonly count: number; readonly window: number }
  | { readonly kind: 'inject'; readonly packet: PacketSpec; readonly count: number; readonly every: number }
  | { readonly kind: 'console'; readonly env: string; readonly text: string };

/** Where an intervention happened: its cycle, and whether the timeline had acted there before it. */
export interface PlacedIntervention { readonly cycle: number; readonly afterHook: boolean; readonly action: Intervention }

/**
 * Asks the environment named `name` to give back `count` frames or slices
 * within `window` cycles (the abort protocol follows); false when it is
 * not alive or a revocation is already pending.
 */
export function revokeEnv(m: SessionMachines, name: string, what: 'frames' | 'slices', count: number, window: number): boolean {
  const found = m.envByName(name);
  return !!found && found.kernel.revoke(found.env, what, count, window);
}

/**
 * Puts `count` frames on the wire, `every` cycles apart, starting now: raw
 * bytes, or UDP datagrams from the peer host to the Ethernet address of
 * the machine the packet names. Returns how many were queued (0 when a UDP
 * datagram is asked for and there is no peer or no such machine).
 */
export function injectFrames(m: SessionMachines, packet: PacketSpec, count: number, every: number): number {
  let frame: Uint8Array;
  if (packet.kind === 'hex') frame = parseHex(packet.bytes);
  else {
    const target = m.machine(packet.machine);
    if (!m.peer || !target) return 0;
    frame = ipv4udp({
      srcMac: m.peer.mac, dstMac: target.kernel.machine.lance.mac, srcIp: m.peer.ip, dstIp: packet.to,
      srcPort: packet.fromPort, dstPort: packet.port, payload: Buffer.from(packet.payload, 'latin1'),
    });
  }
  const now = m.kernel.now();
  for (let i = 0; i < count; i++) m.wire.inject(frame, now + i * every);
  return count;
}

/** Queues console input for the environment named `name`; false when it is not alive. */
export function queueConsole(m: SessionMachines, name: string, text: string): boolean {
  const found = m.envByName(name);
  if (!found || found.env.state === 'destroyed') return false;
  found.kernel.consoleInput(found.env, text);
  return true;
}

/** Destroys the environment named `name`; false when there is none alive. */
export function killEnv(m: SessionMachines, name: string): boolean {
  const found = m.envByName(name);
  if (!found || found.env.state === 'destroyed') return false;
  const { kernel, env } = found;
  if (kernel.current === env) kernel.saveContext(env, kernel.cpu.pc);
  kernel.destroyEnv(env, 'killed by the debugger');
  return true;
}

/** Carries out `a` on the machines; true when it did something. */
export function carryOut(m: SessionMachines, a: Intervention): boolean {
  switch (a.kind) {
    case 'kill': return killEnv(m, a.env);
    case 'revoke': return revokeEnv(m, a.env, a.what, a.count, a.window);
    case 'inject': return injectFrames(m, a.packet, a.count, a.every) > 0;
    case 'console': return queueConsole(m, a.env, a.text);
  }
}

/**
 * The interventions in cycle order, with a cursor: those before it have
 * been carried out at or before now; those after it are the future that
 * time travel will carry out again as it passes their points.
 */
export class InterventionLog {
  private readonly list: PlacedIntervention[] = [];
  private next = 0;

  /** Notes an intervention made now; it replaces the interventions of the abandoned future after the cursor. */
  record(p: PlacedIntervention): void {
    this.list.length = this.next;
    this.list.push(p);
    this.next++;
  }

  /**
   * The next intervention due at cycle `now` (one made before the timeline
   * acted there, unless `afterHook`), moving the cursor past it; undefined
   * when none is due.
   */
  takeDue(now: number, afterHook: boolean): PlacedIntervention | undefined {
    if (this.next >= this.list.length) return undefined;
    const p = this.list[this.next];
    if (p.cycle > now || (p.cycle === now && p.afterHook && !afterHook)) return undefined;
    this.next++;
    return p;
  }

  /** The cycle of the next intervention still to carry out, or Infinity. */
  nextCycle(): number {
    return this.next < this.list.length ? this.list[this.next].cycle : Infinity;
  }

  /** The interventions up to now. */
  soFar(): PlacedIntervention[] {
    return this.list.slice(0, this.next);
  }

  /** Takes interventions from a saved session (on a log still empty); throws Error when it is not. */
  load(list: readonly PlacedIntervention[]): void {
    if (this.list.length) throw new Error('The session already has interventions');
    this.list.push(...[...list].sort((a, b) => a.cycle - b.cycle));
    this.next = 0;
  }

  /** Forgets every intervention (a restart from the first point). */
  clear(): void {
    this.list.length = 0;
    this.next = 0;
  }

  /** Moves the cursor to `now` after time travel: those before it were carried out, the rest are to come. */
  rewind(now: number): void {
    this.next = 0;
    while (this.next < this.list.length && this.list[this.next].cycle < now) this.next++;
  }
}
