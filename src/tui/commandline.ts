// The `:` command line, for what has no key: its grammar, as data for
// `:help`, and a pure parser. Also the address syntax shared with `b` and
// the event log's filter syntax shared with `/`.

import { paceChoices, parsePace, type AddrSpec, type Command } from '../session/index.js';
import { INJECT_MAX, udpInject } from './inject.js';
import { EVENT_KINDS, EXCEPTIONS } from './names.js';

export type { AddrSpec, RevokeWhat } from '../session/index.js';

/**
 * A parsed command line: a session Command (the same vocabulary as the
 * scenario's timeline and the keys), or one about the view.
 */
export type LineCommand =
  | Command
  | { readonly kind: 'tlb' }
  | { readonly kind: 'env'; readonly env: string }
  | { readonly kind: 'filter'; readonly text: string }
  /** The memory pane at an address or symbol (undefined: back to the sp), focused. */
  | { readonly kind: 'mem'; readonly at: AddrSpec | undefined }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' };

/** The commands as `:help` lists them. */
export const LINE_COMMANDS: readonly { readonly usage: string; readonly help: string }[] = [
  { usage: 'break <addr|symbol[+off]> [env]', help: 'breakpoint at a pc (hex address or symbol)' },
  { usage: 'break exc <name|code> [env]', help: 'break on an exception (TLBL, TLBS, AdEL, Sys, ...)' },
  { usage: 'break event <kind> [env]', help: 'break on a kernel event (stlb-miss, revoke-request, abort, ...)' },
  { usage: 'watch <addr|symbol[+off]> [env] [write|read|access]', help: 'stop before a store to (or load of) that word: a watchpoint (default write)' },
  { usage: 'delete <id>|all', help: 'remove a breakpoint (ids as :breaks shows them)' },
  { usage: 'breaks', help: 'list the breakpoints' },
  { usage: 'step [n]', help: 'step n instructions (default 1)' },
  { usage: 'continue | pause', help: 'run, or pause' },
  { usage: 'finish', help: 'run until the function the pc is in returns to its caller (f); its frame is found by the symbol table and its prologue' },
  { usage: 'until <addr|symbol[+off]>', help: 'run until the pc gets there in the environment on the CPU (a temporary breakpoint; u runs to the CPU pane\'s cursor)' },
  { usage: 'pace max|real|1/<n>', help: `how fast a run goes (+ and - step through them): ${paceChoices()}` },
  { usage: 'restart', help: 'the scenario from the start, as r does' },
  { usage: 'x <env> <addr|symbol> [n]', help: 'examine n words (default 16) of an environment\'s memory' },
  { usage: 'mem [addr|symbol[+off]]', help: 'the memory pane (0) at that address in the selected environment (none: at its sp)' },
  { usage: 'tlb', help: 'dump the whole hardware TLB' },
  { usage: 'kill <env>', help: 'kill an environment' },
  { usage: 'revoke <env> frames|slices <n> [window]', help: 'ask an environment to give n frames or slices back within window cycles (default 50000), as R does' },
  { usage: 'inject udp <ip> <port> <payload> [n]', help: 'put n UDP datagrams (default 1) from the peer host 10.0.0.1 on the wire to <ip>:<port>, as P does' },
  { usage: 'inject hex <bytes>', help: 'put a raw Ethernet frame on the wire (hex digits, spaces allowed)' },
  { usage: 'env <name> | machine [name]', help: 'select an environment; show a machine (default: the next)' },
  { usage: 'filter <text>', help: 'filter the event log, as / does' },
  { usage: 'rstep [n] | rnext | rc', help: 'back n instructions (S), back over a call (N), back to the last breakpoint hit (C)' },
  { usage: 'goto <cycle> | back <cycles>', help: 'travel to a cycle (forwards or backwards), or that many cycles back' },
  { usage: 'rwatch [env] <addr|symbol>', help: 'back to just after the last change of that word (a watchpoint in reverse; the environment is needed on the exokernel)' },
  { usage: 'rprev <kind> | event <n>', help: 'back to just after the last event of a kind; to event n of the whole history' },
  { usage: 'save <file>', help: 'save the session here (exoscope tui --load <file> reopens it at this point)' },
  { usage: 'help | quit', help: 'this list, or quit' },
];

const HEX = /^(?:0x)?([0-9a-f]+)$/i;

/** Parses "0x400010", "400010" (hex) or "symbol[+off]"; undefined when it is neither. */
export function parseAddr(text: string): AddrSpec | undefined {
  const t = text.trim();
  if (/^0x/i.test(t) || /^[0-9]/.test(t)) {
    const m = HEX.exec(t);
    return m && m[1].length <= 8 ? { kind: 'addr', addr: parseInt(m[1], 16) >>> 0 } : undefined;
  }
  const m = /^([A-Za-z_.$][\w.$]*)(?:\+(0x[0-9a-f]+|\d+))?$/i.exec(t);
  return m ? { kind: 'symbol', name: m[1], offset: m[2] ? Number(m[2]) : 0 } : undefined;
}

function count(text: string | undefined, dflt: number): number | undefined {
  if (text === undefined) return dflt;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A cycle count as typed ("1,000,000", "1_000_000"); 0 only when `zero`. */
function cycles(text: string | undefined, zero: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/[,_]/g, ''));
  return Number.isSafeInteger(n) && (n > 0 || (zero && n === 0)) ? n : undefined;
}

function parseBreak(args: string[]): LineCommand | { error: string } {
  const [what, arg, env] = args;
  if (what === 'exc') {
    const e = EXCEPTIONS.find((x) => x.name.toLowerCase() === arg?.toLowerCase() || String(x.code) === arg);
    return e ? { kind: 'break', breakpoint: { kind: 'exception', code: e.code, env } } : { error: `Unknown exception ${arg ?? '(none)'}: try ${EXCEPTIONS.map((x) => x.name).join(' ')}` };
  }
  if (what === 'event') {
    const k = EVENT_KINDS.find((x) => x.kind === arg);
    return k ? { kind: 'break', breakpoint: { kind: 'event', event: k.kind, env } } : { error: `Unknown event kind ${arg ?? '(none)'}` };
  }
  const at = what === undefined ? undefined : parseAddr(what);
  if (!at) return { error: `Cannot break at ${what ?? '(nothing)'}: give a hex address or a symbol` };
  // MIPS instructions are words at addresses that are multiples of 4 (R3000 manual, ch. 1): an unaligned pc is never reached.
  if ((at.kind === 'addr' ? at.addr : at.offset) % 4 !== 0) return { error: `Cannot break at ${what}: instructions are at multiples of 4 (word-aligned)` };
  return { kind: 'break', breakpoint: at.kind === 'addr' ? { kind: 'pc', addr: at.addr, env: arg } : { kind: 'symbol', symbol: at.name, offset: at.offset, env: arg } };
}

const RWATCH_USAGE = 'Usage: rwatch <env> <addr|symbol> (on the monolithic kernel: rwatch <addr|symbol>)';

const WATCH_USAGE = 'Usage: watch <addr|symbol[+off]> [env] [write|read|access]';

/** `watch <addr|symbol[+off]> [env] [write|read|access]`: a watchpoint on a word (the word at an address, or at a symbol plus an offset). */
function parseWatch(args: string[]): LineCommand | { error: string } {
  const [what, ...rest] = args;
  const at = what === undefined ? undefined : parseAddr(what);
  if (!at) return { error: `Cannot watch ${what ?? '(nothing)'}: give a hex address or a symbol. ${WATCH_USAGE}` };
  const access = rest.find((a) => a === 'write' || a === 'read' || a === 'access') ?? 'write';
  const others = rest.filter((a) => a !== access);
  if (others.length > 1) return { error: WATCH_USAGE };
  const env = others[0];
  const kinds = { read: access !== 'write', write: access !== 'read', len: 4 };
  return {
    kind: 'break',
    breakpoint: at.kind === 'addr'
      ? { kind: 'watch', addr: at.addr, ...kinds, ...(env === undefined ? {} : { env }) }
      : { kind: 'symbolWatch', symbol: at.name, offset: at.offset, ...kinds, ...(env === undefined ? {} : { env }) },
  };
}

const REVOKE_USAGE = 'Usage: revoke <env> frames|slices <n> [window], n and window positive integers';

function parseRevoke(args: string[]): LineCommand | { error: string } {
  const [env, what, n, w] = args;
  const kind = what === 'frames' || what === 'frame' ? 'frames' : what === 'slices' || what === 'slice' ? 'slices' : undefined;
  const c = count(n, NaN), window = count(w, 0);
  if (!env || !kind || !c || window === undefined || args.length > 4) return { error: REVOKE_USAGE };
  return window ? { kind: 'revoke', env, what: kind, count: c, window } : { kind: 'revoke', env, what: kind, count: c };
}

const INJECT_USAGE = `Usage: inject udp <ip> <port> <payload> [n] (n up to ${INJECT_MAX}), or inject hex <bytes>`;

function parseInject(args: string[]): LineCommand | { error: string } {
  const [how, ...rest] = args;
  if (how === 'hex') {
    const bytes = rest.join('');
    if (!bytes || !/^([0-9a-f]{2})+$/i.test(bytes.replace(/[:-]/g, ''))) return { error: 'Usage: inject hex <bytes>, an even number of hex digits' };
    return { kind: 'inject', packet: { kind: 'hex', bytes }, count: 1 };
  }
  if (how !== 'udp' || rest.length < 3 || rest.length > 4) return { error: INJECT_USAGE };
  const c = udpInject(rest[0], rest[1], rest[2], rest[3] ?? '1');
  return 'error' in c ? { error: `${c.error}. ${INJECT_USAGE}` } : c;
}

/** Parses a command line; an error says what was wrong, in a sentence. */
export function parseCommand(text: string): LineCommand | { error: string } {
  const [verb, ...args] = text.trim().split(/\s+/);
  const bad = (why: string) => ({ error: why });
  switch (verb) {
    case 'break': case 'b': return parseBreak(args);
    case 'watch': case 'w': return parseWatch(args);
    case 'delete': case 'd': {
      if (args[0] === 'all') return { kind: 'delete', id: 'all' };
      const id = count(args[0], NaN);
      return id ? { kind: 'delete', id } : bad('Usage: delete <id>|all');
    }
    case 'breaks': case 'info': return { kind: 'breaks' };
    case 'step': case 's': { const n = count(args[0], 1); return n ? { kind: 'step', n } : bad('Usage: step [n], n a positive integer'); }
    case 'rstep': case 'stepback': { const n = count(args[0], 1); return n ? { kind: 'stepBack', n } : bad('Usage: rstep [n], n a positive integer'); }
    case 'rnext': return { kind: 'reverseNext' };
    case 'save': return args.length === 1 ? { kind: 'save', file: args[0] } : bad('Usage: save <file>');
    case 'rc': case 'reverse-continue': return { kind: 'reverseContinue' };
    case 'goto': { const c = cycles(args[0], true); return c !== undefined ? { kind: 'goto', cycle: c } : bad('Usage: goto <cycle>, a cycle count (1,000,000 or 1_000_000 are fine)'); }
    case 'back': { const c = cycles(args[0], false); return c !== undefined ? { kind: 'back', cycles: c } : bad('Usage: back <cycles>, a positive cycle count'); }
    case 'event': { const n = count(args[0]?.replace(/[,_]/g, ''), NaN); return n ? { kind: 'gotoEvent', index: n - 1 } : bad('Usage: event <n>, n from 1'); }
    case 'rprev': {
      const k = EVENT_KINDS.find((x) => x.kind === args[0]);
      return k ? { kind: 'reversePrev', event: k.kind } : bad(`Usage: rprev <kind>, an event kind (${args[0] ?? 'none given'} is not one)`);
    }
    case 'rwatch': {
      // rwatch <env> <addr>; on the monolithic kernel (one address space) rwatch <addr>.
      if (args.length === 1) { const at = parseAddr(args[0]); return at ? { kind: 'reverseWatch', at } : bad(RWATCH_USAGE); }
      const at = args.length === 2 ? parseAddr(args[1]) : undefined;
      return at ? { kind: 'reverseWatch', env: args[0], at } : bad(RWATCH_USAGE);
    }
    case 'continue': case 'c': return { kind: 'continue' };
    case 'finish': case 'fin': return args.length ? bad('Usage: finish (no arguments)') : { kind: 'finish' };
    case 'until': case 'u': case 'advance': {
      const at = args.length === 1 ? parseAddr(args[0]) : undefined;
      return at ? { kind: 'until', at } : bad('Usage: until <addr|symbol[+off]>');
    }
    case 'mem': case 'm': {
      if (!args.length) return { kind: 'mem', at: undefined };
      const at = args.length === 1 ? parseAddr(args[0]) : undefined;
      return at ? { kind: 'mem', at } : bad('Usage: mem [addr|symbol[+off]]');
    }
    case 'pause': return { kind: 'pause' };
    case 'pace': {
      const index = args.length === 1 ? parsePace(args[0]) : undefined;
      return index !== undefined ? { kind: 'pace', index } : bad(`Usage: pace <pace>, one of ${paceChoices()}`);
    }
    case 'restart': return { kind: 'restart' };
    case 'x': {
      const at = args[1] === undefined ? undefined : parseAddr(args[1]);
      const n = count(args[2], 16);
      return args[0] && at && n ? { kind: 'examine', env: args[0], at, n: Math.min(n, 4096) } : bad('Usage: x <env> <addr|symbol> [n]');
    }
    case 'tlb': return { kind: 'tlb' };
    case 'kill': return args[0] ? { kind: 'kill', env: args[0] } : bad('Usage: kill <env>');
    case 'revoke': return parseRevoke(args);
    case 'inject': return parseInject(args);
    case 'env': return args[0] ? { kind: 'env', env: args[0] } : bad('Usage: env <name>');
    case 'machine': return args[0] ? { kind: 'machine', name: args[0] } : { kind: 'machine' };
    case 'filter': return { kind: 'filter', text: args.join(' ') };
    case 'help': case 'h': return { kind: 'help' };
    case 'quit': case 'q': return { kind: 'quit' };
    case undefined: case '': return bad('Empty command: :help lists the commands');
    default: return bad(`Unknown command ${verb}: :help lists the commands`);
  }
}

/** The event log's filter: every part must match. */
export interface LogFilter {
  readonly text: string;
  /** Kind prefixes ("stlb" matches stlb-hit, stlb-miss and stlb-evict). */
  readonly kinds: readonly string[];
  readonly envs: readonly string[];
  /** Lowercase words that the event's line must contain. */
  readonly words: readonly string[];
}

/** Parses filter text: `kind:<prefix>`, `env:<name>` and plain words. */
export function parseLogFilter(text: string): LogFilter {
  const kinds: string[] = [], envs: string[] = [], words: string[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    if (tok.startsWith('kind:')) kinds.push(tok.slice(5));
    else if (tok.startsWith('env:')) envs.push(tok.slice(4));
    else words.push(tok.toLowerCase());
  }
  return { text: text.trim(), kinds, envs, words };
}
