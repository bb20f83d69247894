// The DECstation boot PROM's services, done at high level the way GXemul's
// src/promemul/dec_prom.cc does them: the ROM holds only the tables and a
// `jr ra; nop` at each entry point (src/emu/devices/rom.ts); when the CPU
// fetches an entry point the machine calls `Prom.call`, which performs the
// function on the guest's registers and memory.
//
// Two tables (NetBSD sys/arch/pmax/include/dec_prom.h, from the TURBOchannel
// Firmware Specification EK-TCAAD-FS):
// - the old jump table, function n at 0xbfc00000 + 8n (reset 0, putchar 13,
//   printf 17, getenv2 33, halt 54, ...);
// - the REX callback vector at 0xbfc04000: a struct of function pointers,
//   slot offsets 0x00..0xd4. GXemul points slot i at 0xbfc08000 + 8i; so do we.
// A REX PROM starts a program with a0 = argc, a1 = argv, a2 = REX_MAGIC
// ("TCF0"), a3 = the callback vector.
//
// Calls follow the o32 ABI: arguments in a0..a3, then on the stack at
// sp+16, sp+20, ...; the result in v0. printf and sprintf format through
// printf.ts.

import type { TraceSink } from './device.js';
import { PROM_ENVIRONMENT, PROM_TCINFO, promEntryAt, promEnvironmentLayout } from './devices/rom.js';
import { formatPrintf, type PrintfArgs } from './printf.js';

export {
  BEV_GENERAL_VECTOR, BEV_UTLB_VECTOR, Callback, JUMP_TABLE, JUMP_TABLE_ENTRIES, JUMP_TABLE_STRIDE,
  JumpFn, PROM_BASE, PROM_ENTRIES, PROM_ENV_BASE, PROM_ENVIRONMENT, PROM_PHYS_BASE, PROM_SIZE,
  PROM_TCINFO, REX_CALLBACK_SLOTS, REX_CALLBACK_VECTOR, REX_ENTRY_BASE, REX_MAGIC,
  promEntryAt, promEnvironmentLayout,
} from './devices/rom.js';
export type { PromEntry } from './devices/rom.js';

/** getsysid() on a KN02: 0x82 << 24 | machine type 2 (3MAX) << 16 | 3 << 8 (GXemul dec_prom.cc). */
export const KN02_SYSID = 0x82020300;
/** slot_address(n) = TC_SLOT_BASE + n * TC_SLOT_SIZE: GXemul's kseg0 addresses of the KN02 slots. */
export const TC_SLOT_BASE = 0x9e000000;
export const TC_SLOT_SIZE = 0x400000;
/** The longest string a PROM function reads from the guest. */
export const PROM_STRING_MAX = 0x10000;
/** The most bytes memcpy or memset moves in one call. */
export const PROM_COPY_MAX = 0x1000000;

/** What the machine gives the PROM: the calling CPU's registers, memory and console. */
export interface PromHost {
  /** General register n (0..31) as a 32-bit value. */
  getReg(n: number): number;
  /** Sets general register n to the 32-bit value v (given in 0..2^32-1). */
  setReg(n: number, v: number): void;
  /** The byte at virtual address `vaddr`, or -1 when it cannot be read (no exception is raised). */
  readByte(vaddr: number): number;
  /** Writes a byte; false when the address cannot be written (no exception is raised). */
  writeByte(vaddr: number, v: number): boolean;
  /** Sends bytes to the console (line 3). A string is taken as Latin-1. */
  consoleWrite(bytes: Uint8Array | string): void;
  /** The next console input byte, or -1 when none has arrived yet. */
  consoleRead(): number;
  /** Stops the machine (PROM halt, reset, reboot). */
  halt(reason: string): void;
  event: TraceSink;
  /** The current cycle, for events. */
  now(): number;
}

/**
 * How a call ended, for the machine:
 * - 'returned': done, v0 holds the result; continue at ra.
 * - 'waiting': the function needs console input that has not arrived; nothing
 *   was changed that a retry would repeat. Leave pc at the entry point and let
 *   time pass; the next fetch calls again (so getchar and gets block as on
 *   the real PROM, and interrupts can still be taken meanwhile).
 * - 'halted': host.halt was called; leave pc at the entry point.
 * - 'not-entry': the address is no PROM entry point; fetch it as code.
 */
export type PromOutcome = 'returned' | 'waiting' | 'halted' | 'not-entry';

/** Saved state of the PROM: the line gets() has read so far. */
export interface PromState { gets: { buf: number; pos: number } | null }

/** Construction options of the PROM. */
export interface PromOptions {
  /** Environment for getenv; must equal the one the ROM image was built with. */
  environment?: readonly (readonly [string, string])[];
}

const V0 = 2, A0 = 4, SP = 29;
type Handler = (p: Prom) => PromOutcome;

/** The PROM's functions at high level. */
export class Prom {
  private readonly env: Map<string, number>;
  private getsState: { buf: number; pos: number } | null = null;

  /** Creates the PROM over `host`; see PromOptions. */
  constructor(readonly host: PromHost, opts: PromOptions = {}) {
    const layout = promEnvironmentLayout(opts.environment ?? PROM_ENVIRONMENT);
    this.env = new Map(layout.map((e) => [e.name, e.address]));
  }

  /**
   * Performs the PROM function whose entry point is `address` (kseg0, kseg1
   * or physical) with the host's registers; see PromOutcome for the result.
   * Never throws for anything the guest does.
   */
  call(address: number): PromOutcome {
    const entry = promEntryAt(address);
    if (!entry) return 'not-entry';
    const key = entry.table === 'jump' ? JUMP_ALIASES[entry.name] ?? entry.name : entry.name;
    const handler = HANDLERS[key];
    if (handler) return handler(this);
    this.report('prom-unimplemented', { table: entry.table, slot: entry.name, address: entry.address });
    return this.ret(0);
  }

  /** Returns the state a pending gets() needs. */
  save(): PromState {
    return { gets: this.getsState ? { ...this.getsState } : null };
  }

  /** Restores a state from save(). */
  restore(state: unknown): void {
    const s = state as PromState;
    this.getsState = s.gets ? { ...s.gets } : null;
  }

  /** o32 argument i: a0..a3, then the stack at sp + 4i; 0 with an event when unreadable. */
  arg(i: number): number {
    if (i < 4) return this.host.getReg(A0 + i) >>> 0;
    const at = (this.host.getReg(SP) + 4 * i) >>> 0;
    let w = 0;
    for (let b = 3; b >= 0; b--) {
      const v = this.host.readByte((at + b) >>> 0);
      if (v < 0) { this.report('prom-bad-pointer', { what: 'stack argument', address: at }); return 0; }
      w = (w << 8) | v;
    }
    return w >>> 0;
  }

  /** Sets v0 and returns 'returned'. */
  ret(v: number): PromOutcome {
    this.host.setReg(V0, v >>> 0);
    return 'returned';
  }

  /** Emits a trace event of `kind`. */
  report(kind: string, fields: Record<string, unknown>): void {
    this.host.event({ kind, cycle: this.host.now(), ...fields });
  }

  /**
   * The NUL-terminated string at `va`, at most `max` bytes; null (and an
   * event naming `what`) when a byte cannot be read.
   */
  readString(va: number, what: string, max = PROM_STRING_MAX): number[] | null {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.host.readByte((va + i) >>> 0);
      if (b < 0) { this.report('prom-bad-pointer', { what, address: va >>> 0 }); return null; }
      if (b === 0) return out;
      out.push(b);
    }
    if (max === PROM_STRING_MAX) this.report('prom-string-truncated', { what, address: va >>> 0, limit: max });
    return out;
  }

  /** Writes `bytes` at `va`; false (and an event) at the first byte that cannot be written. */
  writeBytes(va: number, bytes: readonly number[], what: string): boolean {
    for (let i = 0; i < bytes.length; i++) {
      if (!this.host.writeByte((va + i) >>> 0, bytes[i] & 0xff)) {
        this.report('prom-bad-pointer', { what, address: (va + i) >>> 0 });
        return false;
      }
    }
    return true;
  }

  /** Formats the printf format at argument `fmtArg`, variadic arguments after it; null if unreadable. */
  format(fmtArg: number): number[] | null {
    const fmt = this.readString(this.arg(fmtArg), 'printf format');
    if (fmt === null) return null;
    let next = fmtArg + 1;
    const args: PrintfArgs = {
      next: () => this.arg(next++),
      string: (va, max) => this.readString(va, 'printf %s', Math.min(max, PROM_STRING_MAX)),
      report: (kind, fields) => this.report(kind, fields),
    };
    return formatPrintf(fmt, args);
  }

  /** gets(): reads and echoes a line, resumable across 'waiting' outcomes. */
  gets(): PromOutcome {
    const buf = this.arg(0);
    if (!this.getsState || this.getsState.buf !== buf) this.getsState = { buf, pos: 0 };
    const st = this.getsState;
    for (;;) {
      let c = this.host.consoleRead();
      if (c < 0) return 'waiting';
      if (c === 0x0d) c = 0x0a;
      if (c === 0x08 || c === 0x7f) {
        if (st.pos > 0) { st.pos--; this.host.consoleWrite('\b \b'); }
        continue;
      }
      this.host.consoleWrite(String.fromCharCode(c));
      if (c === 0x0a) break; // the newline is echoed but not stored (GXemul)
      if (this.writeBytes(st.buf + st.pos, [c], 'gets buffer')) st.pos++;
    }
    this.writeBytes(st.buf + st.pos, [0], 'gets buffer');
    this.getsState = null;
    return this.ret(buf);
  }

  /** The ROM address of environment variable `name`'s value, or 0. */
  envAddress(name: string): number {
    return this.env.get(name) ?? 0;
  }
}

/** Jump-table functions that behave like a callback of another name. */
const JUMP_ALIASES: Readonly<Record<string, string>> = {
  getenv2: 'getenv', reset: 'halt_reset', exec: 'halt_reset', restart: 'halt_reset',
  reinit: 'halt_reset', reboot: 'halt_reset', autoboot: 'halt_reset', halt: 'halt',
  bev_utlb_vector: 'bev_vector', bev_general_vector: 'bev_vector',
};

const latin1 = (bytes: readonly number[]) => bytes.reduce((s, b) => s + String.fromCharCode(b), '');

const HANDLERS: Readonly<Record<string, Handler>> = {
  printf: (p) => {
    const out = p.format(0);
    if (out === null) return p.ret(-1);
    p.host.consoleWrite(Uint8Array.from(out));
    return p.ret(out.length);
  },
  sprintf: (p) => {
    const out = p.format(1);
    if (out === null || !p.writeBytes(p.arg(0), [...out, 0], 'sprintf buffer')) return p.ret(-1);
    return p.ret(out.length);
  },
  puts: (p) => {
    const s = p.readString(p.arg(0), 'puts string');
    p.host.consoleWrite(Uint8Array.from([...(s ?? []), 0x0a])); // REX puts adds the newline (GXemul)
    return p.ret(s === null ? -1 : 0);
  },
  putchar: (p) => {
    const c = p.arg(0) & 0xff;
    p.host.consoleWrite(Uint8Array.of(c));
    return p.ret(c);
  },
  getchar: (p) => {
    const c = p.host.consoleRead();
    return c < 0 ? 'waiting' : p.ret(c & 0xff);
  },
  gets: (p) => p.gets(),
  strlen: (p) => p.ret(p.readString(p.arg(0), 'strlen string')?.length ?? 0),
  strcmp: (p) => p.ret(compare(p, 'strcmp', PROM_STRING_MAX)),
  strncmp: (p) => p.ret(compare(p, 'strncmp', Math.min(p.arg(2), PROM_STRING_MAX))),
  strcpy: (p) => {
    const s = p.readString(p.arg(1), 'strcpy source');
    if (s !== null) p.writeBytes(p.arg(0), [...s, 0], 'strcpy destination');
    return p.ret(p.arg(0));
  },
  strcat: (p) => {
    const d = p.readString(p.arg(0), 'strcat destination');
    const s = p.readString(p.arg(1), 'strcat source');
    if (d !== null && s !== null) p.writeBytes(p.arg(0) + d.length, [...s, 0], 'strcat destination');
    return p.ret(p.arg(0));
  },
  memcpy: (p) => {
    const [dst, src, n] = [p.arg(0), p.arg(1), copyLength(p, p.arg(2))];
    for (let i = 0; i < n; i++) {
      const b = p.host.readByte((src + i) >>> 0);
      if (b < 0) { p.report('prom-bad-pointer', { what: 'memcpy source', address: (src + i) >>> 0 }); break; }
      if (!p.writeBytes(dst + i, [b], 'memcpy destination')) break;
    }
    return p.ret(dst);
  },
  memset: (p) => {
    const [dst, c, n] = [p.arg(0), p.arg(1) & 0xff, copyLength(p, p.arg(2))];
    for (let i = 0; i < n; i++) if (!p.writeBytes(dst + i, [c], 'memset destination')) break;
    return p.ret(dst);
  },
  getenv: (p) => {
    const name = p.readString(p.arg(0), 'getenv name');
    return p.ret(name === null ? 0 : p.envAddress(latin1(name)));
  },
  getsysid: (p) => p.ret(KN02_SYSID),
  slot_address: (p) => p.ret(TC_SLOT_BASE + TC_SLOT_SIZE * (p.arg(0) | 0)),
  gettcinfo: (p) => p.ret(PROM_TCINFO),
  // No caches, write buffer or PROM-owned interrupt state are modeled:
  // these succeed and do nothing, as in GXemul.
  wbflush: (p) => p.ret(0),
  clear_cache: (p) => p.ret(0),
  disableintr: (p) => p.ret(0),
  enableintr: (p) => p.ret(0),
  io_poll: (p) => p.ret(0),
  bootinit: (p) => p.ret(0),
  halt: (p) => { p.host.halt('halt'); return 'halted'; },
  halt_reset: (p) => { p.host.halt('reset'); return 'halted'; },
  rex: (p) => {
    const cmd = String.fromCharCode(p.arg(0) & 0xff);
    if (cmd === 'h' || cmd === 'b') { p.host.halt(cmd === 'h' ? 'halt' : 'reboot'); return 'halted'; }
    p.report('prom-unimplemented', { table: 'callback', slot: 'rex', command: cmd });
    return p.ret(0);
  },
  bev_vector: (p) => {
    p.report('prom-bev-exception', {});
    p.host.halt('exception with Status.BEV set');
    return 'halted';
  },
};

/** strcmp/strncmp over unsigned bytes (C semantics): -1, 0 or 1. */
function compare(p: Prom, name: string, n: number): number {
  const a = p.readString(p.arg(0), `${name} first string`, n);
  const b = p.readString(p.arg(1), `${name} second string`, n);
  if (a === null || b === null) return 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0, y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** A length argument as a count of bytes, clamped to PROM_COPY_MAX with an event. */
function copyLength(p: Prom, n: number): number {
  const len = n | 0;
  if (len <= 0) return 0;
  if (len <= PROM_COPY_MAX) return len;
  p.report('prom-copy-clamped', { length: len, limit: PROM_COPY_MAX });
  return PROM_COPY_MAX;
}
