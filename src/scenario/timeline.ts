// The [timeline] section of a scenario file (docs/scenarios.md): a step's
// trigger and its action (kill, break, key, pause, console, revoke, inject,
// breakpoint), and the breakpoint entries an action or the [breakpoints]
// section sets.

import * as z from 'zod';
import { EXC_NAMES, LANCE_MAX_FRAME } from '../emu/index.js';
import type { Action, BreakpointSpec, PacketSpec, TimelineStep, Trigger } from './types.js';
import { ADDRESS_TEXT, eventKind, eventPattern, fieldsOf, parseAddress } from './events.js';
import { MIN_EVERY } from './settings.js';
import { count, fail, forms, integer, leaf, matching, nameFrom, positive, record, text, variant } from './zod.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** `{ env }` when an environment filter was given, else nothing. */
const withEnv = (env: string | undefined) => (env === undefined ? {} : { env });

/** An address, or a symbol name (of `whose` image). */
export function addressOrSymbol(whose: string): z.ZodType<number | string, unknown> {
  const isSymbol = (v: unknown) => typeof v === 'string' && /^[A-Za-z_.$][\w.$]*$/.test(v) && !/^0x/i.test(v);
  return leaf<number | string>(`${ADDRESS_TEXT} or a symbol ${whose}`, (v) => parseAddress(v) !== undefined || isSymbol(v))
    .transform((v) => parseAddress(v) ?? String(v));
}

/** The accesses a watchpoint can stop before, in gdb's words. */
const WATCH_ACCESS = ['write', 'read', 'access'];

/** The fields of a `watch` breakpoint besides its environment: which accesses (default write) and how many bytes (default a word). */
export function watchFields(whose: string) {
  return {
    watch: addressOrSymbol(whose),
    access: nameFrom(`the accesses to stop before (${WATCH_ACCESS.join(', ')})`, WATCH_ACCESS).optional(),
    len: integer('a length in bytes from 1 to 65536', 1, 65_536).optional(),
  };
}

/** The watchpoint that `watchFields` read, for environment `env` (if any). */
export function watchBreakpoint(v: { watch: number | string; access?: string; len?: number }, env?: string): BreakpointSpec {
  const access = v.access ?? 'write', len = v.len ?? 4;
  const kinds = { read: access !== 'write', write: access !== 'read' };
  return typeof v.watch === 'number'
    ? { kind: 'watch', addr: v.watch, len, ...kinds, ...withEnv(env) }
    : { kind: 'symbolWatch', symbol: v.watch, len, ...kinds, ...withEnv(env) };
}

/** A breakpoint: on a pc (address or symbol), an exception, an event kind or a data access (watch); optionally one environment's. */
export function breakpoint(envRef: z.ZodType<string, string>): z.ZodType<BreakpointSpec, unknown> {
  const pc = addressOrSymbol('name');
  return forms<BreakpointSpec>('a breakpoint (a mapping with pc, exception, event or watch, and optionally env)', {
    pc: variant({ pc, env: envRef.optional() }, (v): BreakpointSpec =>
      typeof v.pc === 'number' ? { kind: 'pc', addr: v.pc, ...withEnv(v.env) } : { kind: 'symbol', symbol: v.pc, ...withEnv(v.env) }),
    watch: variant({ ...watchFields('name'), env: envRef.optional() }, (v) => watchBreakpoint(v, v.env)),
    exception: variant({ exception: nameFrom(`an exception name (${EXC_NAMES.join(', ')})`, EXC_NAMES), env: envRef.optional() }, (v) =>
      ({ kind: 'exception', code: EXC_NAMES.indexOf(v.exception), name: v.exception, ...withEnv(v.env) })),
    event: variant({ event: eventKind(), env: envRef.optional() }, (v, rctx) => {
      if (v.env !== undefined && !('env' in fieldsOf(v.event))) {
        fail(rctx, `${v.event} events name no environment, so env cannot filter them`, ['env']);
      }
      return { kind: 'event', event: v.event, ...withEnv(v.env) };
    }),
  });
}

/** A pause: "500ms", "2s" or "1.5s" (whole milliseconds). */
const duration = () =>
  matching('a duration like "500ms", "2s" or "1.5s"', /^(\d+ms|\d+(\.\d{1,3})?s)$/).transform((d) =>
    d.endsWith('ms') ? Number(d.slice(0, -2)) : Math.round(Number(d.slice(0, -1)) * 1000));

/**
 * Why the frame `packet` makes cannot go on the wire (longer than the
 * LANCE takes, or an address with an octet over 255), with the field to
 * name; undefined when it can.
 */
function frameProblem(packet: PacketSpec): { message: string; path: string[] } | undefined {
  if (packet.kind === 'hex') {
    const n = packet.bytes.replace(/\s+/g, '').length / 2;
    return n > LANCE_MAX_FRAME ? { message: `a frame of ${n} bytes is longer than the LANCE's ${LANCE_MAX_FRAME}`, path: ['hex'] } : undefined;
  }
  if (packet.to.split('.').some((o) => Number(o) > 255)) return { message: `${packet.to} is not an IPv4 address (an octet is over 255)`, path: ['udp', 'to'] };
  const n = UDP_FRAME_OVERHEAD + Buffer.byteLength(packet.payload, 'latin1');
  return n > LANCE_MAX_FRAME ? { message: `a ${packet.payload.length}-byte payload makes a ${n}-byte frame, longer than the LANCE's ${LANCE_MAX_FRAME}`, path: ['udp', 'payload'] } : undefined;
}

/** Bytes a UDP datagram's frame adds to its payload: Ethernet (14), IPv4 (20) and UDP (8) headers. */
const UDP_FRAME_OVERHEAD = 42;

/** What a timeline step does. */
function action(envRef: z.ZodType<string, string>): z.ZodType<Action, unknown> {
  const printable = leaf<string>('keys (non-empty printable text)', (v) => typeof v === 'string' && v.length > 0 && !/[\x00-\x1f\x7f]/.test(v));
  const consoleInput = record('a mapping with env and text', { env: envRef, text: text('console input (a non-empty string)') });
  const revoke = record('a mapping with env, frames or slices, and window', {
    env: envRef,
    frames: positive().optional(),
    slices: integer('a number of slices from 1 to 128', 1, 128).optional(),
    window: positive().optional(),
  });
  const ipText = matching('an IPv4 address like "10.0.0.2"', /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  const port = integer('a UDP port (0 to 65535)', 0, 65535);
  const udp = record('a mapping with to, port, from-port and payload', {
    to: ipText, port, 'from-port': port.optional(), payload: text('a payload (a non-empty string)'),
  });
  const inject = record('a mapping with udp or hex, count and every', {
    udp: udp.optional(),
    hex: matching('bytes in hex, like "ff ff 08 00"', /^([0-9a-fA-F]{2}\s*)+$/).optional(),
    count: integer('a number of frames from 1 to 100000', 1, 100_000).optional(),
    every: integer('a number of cycles between frames (1 or more)', 1, MAX).optional(),
  });
  return forms<Action>('an action (a mapping with kill, break, key, pause, console, revoke, inject or breakpoint)', {
    inject: variant({ inject }, (v, rctx): Action => {
      const i = v.inject;
      if ((i.udp === undefined) === (i.hex === undefined)) fail(rctx, 'expected exactly one of udp or hex');
      const packet = i.udp
        ? { kind: 'udp' as const, to: i.udp.to, port: i.udp.port, fromPort: i.udp['from-port'] ?? 5000, payload: i.udp.payload }
        : { kind: 'hex' as const, bytes: i.hex ?? '' };
      const tooBig = frameProblem(packet);
      if (tooBig) fail(rctx, tooBig.message, ['inject', ...tooBig.path]);
      return { kind: 'inject', packet, count: i.count ?? 1, every: i.every ?? 100_000 };
    }),
    revoke: variant({ revoke }, (v, rctx): Action => {
      const r = v.revoke;
      if ((r.frames === undefined) === (r.slices === undefined)) fail(rctx, 'expected exactly one of frames or slices');
      return { kind: 'revoke', env: r.env, what: r.frames !== undefined ? 'frames' : 'slices', count: r.frames ?? r.slices ?? 1, window: r.window ?? 50_000 };
    }),
    kill: variant({ kill: envRef }, (v) => ({ kind: 'kill', env: v.kill })),
    break: variant({ break: text('a reason (a non-empty string)') }, (v) => ({ kind: 'break', reason: v.break })),
    key: variant({ key: printable }, (v) => ({ kind: 'key', keys: v.key })),
    pause: variant({ pause: duration() }, (v) => ({ kind: 'pause', ms: v.pause })),
    console: variant({ console: consoleInput }, (v) => ({ kind: 'console', env: v.console.env, text: v.console.text })),
    breakpoint: variant({ breakpoint: breakpoint(envRef) }, (v) => ({ kind: 'breakpoint', breakpoint: v.breakpoint })),
  });
}

/** One timeline step: a trigger (`at`, with `count` for events) and an action (`do`). */
export function step(envRef: z.ZodType<string, string>, machineRef: z.ZodType<string, string>): z.ZodType<TimelineStep, unknown> {
  const pattern = eventPattern(envRef);
  const trigger = forms<Trigger>('a trigger (a mapping with cycle, instructions or event)', {
    cycle: variant({ cycle: count() }, (v) => ({ kind: 'cycle', cycle: v.cycle })),
    instructions: variant({ instructions: count() }, (v) => ({ kind: 'instructions', instructions: v.instructions })),
    event: variant({ event: pattern }, (v) => ({ kind: 'event', event: v.event, count: 1 })),
  });
  const every = integer(`a number of cycles from ${MIN_EVERY} between repetitions`, MIN_EVERY, MAX);
  return record('a timeline step (a mapping with at and do, optionally every, and machine with several machines)', {
    at: trigger, count: positive().optional(), every: every.optional(), do: action(envRef), machine: machineRef.optional(),
  }).transform((s, rctx): TimelineStep => {
    const on = s.machine === undefined ? {} : { machine: s.machine };
    if (s.every !== undefined && s.at.kind !== 'cycle') fail(rctx, `every applies only to cycle triggers, not to ${s.at.kind}`, ['every']);
    if (s.at.kind !== 'event') {
      if (s.count !== undefined) fail(rctx, `count applies only to event triggers, not to ${s.at.kind}`, ['count']);
      return { at: s.at, action: s.do, ...(s.every !== undefined && { every: s.every }), ...on };
    }
    return { at: { ...s.at, count: s.count ?? 1 }, action: s.do, ...on };
  });
}
