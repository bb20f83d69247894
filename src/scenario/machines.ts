// The checks of a scenario with several machines (docs/scenarios.md,
// "machines") made once the whole file is parsed: every step, expectation
// and breakpoint is about the machine its environments are on, and an
// `inject` of a step on another machine goes to that machine's address.

import * as z from 'zod';
import { DEFAULT_MAC, macString } from '../emu/index.js';
import type { EventPattern, Expectation, Located, Scenario, TimelineStep } from './types.js';
import { fail } from './zod.js';

/** An Ethernet address as a scenario writes it: six hex octets joined by colons. */
export const MAC_TEXT = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** The Ethernet address machine `i` gets unless it names one: the LANCE's default, its last byte counting up. */
export function defaultMac(i: number): string {
  return macString(DEFAULT_MAC.map((b, j) => (j === 5 ? (b + i) & 0xff : b)));
}

/** The environment names an event pattern refers to. */
const patternEnvs = (p: EventPattern): string[] => Object.values(p.fields).flatMap((m) => (m.op === 'env' ? [m.value] : []));

/** The environment names a timeline step refers to. */
function stepEnvs(st: TimelineStep): string[] {
  const a = st.action;
  const out = st.at.kind === 'event' ? patternEnvs(st.at.event) : [];
  if (a.kind === 'kill' || a.kind === 'console' || a.kind === 'revoke') out.push(a.env);
  if (a.kind === 'breakpoint' && a.breakpoint.env) out.push(a.breakpoint.env);
  return out;
}

/** The environment names an expectation refers to. */
function expectEnvs(x: Expectation): string[] {
  switch (x.kind) {
    case 'env': return [x.env];
    case 'event': case 'no-event': return patternEnvs(x.event);
    case 'order': return x.events.flatMap(patternEnvs);
    default: return [];
  }
}

/**
 * Issues for steps, expectations and breakpoints that name an environment of
 * another machine than their own (the first, unless they say `machine`), for
 * breakpoints on any machine but the first (the debugger stops the first),
 * and for timeline steps about a machine that runs the monolithic kernel
 * (the timeline's actions and event triggers are the exokernel's).
 */
export function checkMachines(sc: Scenario, rctx: z.RefinementCtx): void {
  const home = new Map(sc.machines.flatMap((m) => m.environments.map((e) => [e.name, m.name] as const)));
  const first = sc.machines[0].name;
  const monos = new Set(sc.machines.flatMap((m) => (m.mono ? [m.name] : [])));
  const check = (path: PropertyKey[], machine: string | undefined, envs: readonly string[]) => {
    for (const env of envs) {
      const on = home.get(env);
      if (on !== undefined && on !== (machine ?? first)) fail(rctx, `environment ${env} is on machine ${on}, not ${machine ?? first}${machine === undefined ? ` (add machine: ${on})` : ''}`, path);
    }
  };
  sc.timeline.forEach((st, i) => {
    if (st.machine !== undefined && monos.has(st.machine)) fail(rctx, `machine ${st.machine} runs the monolithic kernel: timeline steps are about exokernel machines (their events, environments and packets)`, ['timeline', i, 'machine']);
    check(['timeline', i], st.machine, stepEnvs(st));
    if (st.action.kind === 'breakpoint' && (st.machine ?? first) !== first) fail(rctx, `breakpoints stop the first machine (${first}) only`, ['timeline', i, 'machine']);
  });
  sc.expect.forEach((x, i) => check(['expect', i], x.machine, expectEnvs(x)));
  sc.breakpoints.forEach((b, i) => check(['breakpoints', i], undefined, b.env ? [b.env] : []));
}

/** Steps with `machine` whose inject sends a UDP datagram: to that machine's Ethernet address. */
export function addressed(st: Located<TimelineStep>): Located<TimelineStep> {
  const a = st.action;
  if (st.machine === undefined || a.kind !== 'inject' || a.packet.kind !== 'udp') return st;
  return { ...st, action: { ...a, packet: { ...a.packet, machine: st.machine } } };
}
