import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../src/emu/device.js';
import { buildRomImage } from '../../src/emu/devices/rom.js';
import {
  Callback, JUMP_TABLE, JumpFn, KN02_SYSID, PROM_BASE, PROM_SIZE, PROM_TCINFO, Prom,
  REX_ENTRY_BASE, REX_MAGIC,
} from '../../src/emu/prom.js';
import { formatPrintf } from '../../src/emu/printf.js';
import type { PromHost, PromOutcome } from '../../src/emu/prom.js';

/** RAM of the fake host: 64 KiB at kseg0 0x80000000; the ROM image is readable at 0xbfc00000. */
const RAM_BASE = 0x80000000;
const SP = 0x8000f000;
const V0 = 2, SP_REG = 29;

function setup(env?: readonly (readonly [string, string])[]) {
  const ram = new Uint8Array(0x10000);
  const rom = buildRomImage(env);
  const regs = new Array<number>(32).fill(0);
  const events: MachineEvent[] = [];
  const input: number[] = [];
  const halts: string[] = [];
  let out = '';
  let heap = RAM_BASE + 0x100;
  const host: PromHost = {
    getReg: (n) => regs[n],
    setReg: (n, v) => { regs[n] = v; },
    readByte: (va) => {
      if (va >= RAM_BASE && va < RAM_BASE + ram.length) return ram[va - RAM_BASE];
      if (va >= PROM_BASE && va < PROM_BASE + PROM_SIZE) return rom[va - PROM_BASE];
      return -1;
    },
    writeByte: (va, v) => {
      if (va < RAM_BASE || va >= RAM_BASE + ram.length) return false;
      ram[va - RAM_BASE] = v;
      return true;
    },
    consoleWrite: (b) => { out += typeof b === 'string' ? b : String.fromCharCode(...b); },
    consoleRead: () => input.shift() ?? -1,
    halt: (reason) => { halts.push(reason); },
    event: (e) => events.push(e),
    now: () => 1234,
  };
  const prom = new Prom(host, env ? { environment: env } : {});
  /** Places a NUL-terminated string in RAM and returns its address. */
  const str = (s: string) => {
    const at = heap;
    for (let i = 0; i < s.length; i++) ram[at - RAM_BASE + i] = s.charCodeAt(i);
    ram[at - RAM_BASE + s.length] = 0;
    heap += s.length + 1;
    return at;
  };
  /** Sets up o32 arguments (strings are placed in RAM) and calls `address`. */
  const call = (address: number, ...args: (number | string)[]): PromOutcome => {
    regs[SP_REG] = SP;
    args.map((a) => (typeof a === 'string' ? str(a) : a >>> 0)).forEach((a, i) => {
      if (i < 4) regs[4 + i] = a;
      else new DataView(ram.buffer).setUint32(SP - RAM_BASE + 4 * i, a, true);
    });
    return prom.call(address);
  };
  const cb = (slot: number, ...args: (number | string)[]) => call(REX_ENTRY_BASE + 2 * slot, ...args);
  const jt = (fn: number, ...args: (number | string)[]) => call(JUMP_TABLE + 8 * fn, ...args);
  const printf = (fmt: string, ...args: (number | string)[]) => {
    out = '';
    cb(Callback.printf, fmt, ...args);
    return out;
  };
  const cstr = (va: number) => {
    let s = '';
    for (let b = host.readByte(va); b > 0; b = host.readByte(++va)) s += String.fromCharCode(b);
    return s;
  };
  return {
    prom, host, ram, regs, events, input, halts, str, call, cb, jt, printf, cstr,
    get out() { return out; },
    v0: () => regs[V0] >>> 0,
  };
}

describe('PROM printf', () => {
  it('prints decimal, negative and INT_MIN', () => {
    const t = setup();
    expect(t.printf('%d %i %d|%d', 42, -7, 0x80000000, 0)).toBe('42 -7 -2147483648|0');
    expect(t.v0()).toBe('42 -7 -2147483648|0'.length);
  });

  it('pads to a width on either side and with zeros', () => {
    const t = setup();
    expect(t.printf('[%5d][%-5d][%05d]', 42, 42, 42)).toBe('[   42][42   ][00042]');
  });

  it('puts the sign before zero padding and ignores 0 with -', () => {
    const t = setup();
    expect(t.printf('[%05d][%-05d][%5d]', -42, -42, -42)).toBe('[-0042][-42  ][  -42]');
    expect(t.printf('[%011d]', 0x80000000)).toBe('[-2147483648]');
  });

  it('prints unsigned, hex and octal of negative numbers as 32-bit words', () => {
    const t = setup();
    expect(t.printf('%u %x %X %o', -1, -1, 0xabc, 8)).toBe('4294967295 ffffffff ABC 10');
    expect(t.printf('%08x|%#x|%#X|%#o|%#x', 0xbeef, 255, 255, 8, 0)).toBe('0000beef|0xff|0XFF|010|0');
  });

  it('takes widths and precisions from * arguments', () => {
    const t = setup();
    expect(t.printf('[%*d][%-*d][%*d]', 6, 42, 4, 7, -4, 7)).toBe('[    42][7   ][7   ]');
    expect(t.printf('[%.*s]', 3, 'abcdef')).toBe('[abc]');
  });

  it('applies precision to integers and strings', () => {
    const t = setup();
    expect(t.printf('[%.3d][%.0d][%5.3d][%-6.2s]', 7, 0, -7, 'xyz')).toBe('[007][][ -007][xy    ]');
  });

  it('prints + and space signs', () => {
    expect(setup().printf('%+d % d %+d', 5, 5, -5)).toBe('+5  5 -5');
  });

  it('prints characters, strings, pointers and percent signs', () => {
    const t = setup();
    expect(t.printf('%c%3c|%s|%-4s|%p|%%', 0x41, 0x42, 'hi', 'ok', 0x1234)).toBe('A  B|hi|ok  |0x00001234|%');
  });

  it('ignores the l, ll and h length modifiers', () => {
    expect(setup().printf('%ld %lx %hd %lld', -1, 255, 3, 4)).toBe('-1 ff 3 4');
  });

  it('prints (null) for a null %s and (bad) with an event for an unreadable one', () => {
    const t = setup();
    expect(t.printf('[%s][%s]', 0, 0x12345678)).toBe('[(null)][(bad)]');
    expect(t.events).toMatchObject([{ kind: 'prom-bad-pointer', what: 'printf %s', address: 0x12345678, cycle: 1234 }]);
  });

  it('reads arguments past a3 from the stack at sp+16', () => {
    const t = setup();
    expect(t.printf('%d %d %d %d %d %s', 1, 2, 3, 4, 5, 'six')).toBe('1 2 3 4 5 six');
  });

  it('copies an unknown conversion or a trailing % as written, with an event', () => {
    const t = setup();
    expect(t.printf('a%qb%')).toBe('a%qb%');
    expect(t.events.map((e) => e.kind)).toEqual(['prom-printf-bad-format', 'prom-printf-bad-format']);
  });

  it('survives a hostile format of 60,000 width digits', () => {
    const fmt = '%' + '9'.repeat(60000) + 'q';
    expect(setup().printf(fmt)).toBe(fmt);
  });

  it('clamps enormous widths', () => {
    expect(setup().printf('%99999999d', 1).length).toBe(4096);
  });

  it('returns -1 and prints nothing when the format cannot be read', () => {
    const t = setup();
    t.cb(Callback.printf, 0x10);
    expect(t.out).toBe('');
    expect(t.v0()).toBe(0xffffffff);
    expect(t.events[0]).toMatchObject({ kind: 'prom-bad-pointer', what: 'printf format' });
  });

  it('is reachable through the old jump table as function 17', () => {
    const t = setup();
    expect(t.jt(JumpFn.printf, 'n=%d\n', 3)).toBe('returned');
    expect(t.out).toBe('n=3\n');
  });

  it('formats bytes without a host through formatPrintf', () => {
    const args = [255];
    const bytes = formatPrintf(Array.from('%x!', (c) => c.charCodeAt(0)), {
      next: () => args.shift() ?? 0, string: () => null, report: () => {},
    });
    expect(String.fromCharCode(...bytes)).toBe('ff!');
  });
});

describe('PROM console functions', () => {
  it('puts writes the string and a newline', () => {
    const t = setup();
    expect(t.cb(Callback.puts, 'hello')).toBe('returned');
    expect(t.out).toBe('hello\n');
    expect(t.v0()).toBe(0);
  });

  it('putchar (jump-table function 13) writes one byte', () => {
    const t = setup();
    t.jt(JumpFn.putchar, 0x121);
    expect(t.out).toBe('!');
    expect(t.v0()).toBe(0x21);
  });

  it('getchar waits without touching v0 until input arrives', () => {
    const t = setup();
    t.regs[V0] = 99;
    expect(t.cb(Callback.getchar)).toBe('waiting');
    expect(t.regs[V0]).toBe(99);
    t.input.push(0x71);
    expect(t.cb(Callback.getchar)).toBe('returned');
    expect(t.v0()).toBe(0x71);
  });

  it('gets echoes, handles backspace, stops at return without storing it', () => {
    const t = setup();
    const buf = RAM_BASE + 0x800;
    t.input.push(...Array.from('ab\bc\r', (c) => c.charCodeAt(0)));
    expect(t.cb(Callback.gets, buf)).toBe('returned');
    expect(t.cstr(buf)).toBe('ac');
    expect(t.out).toBe('ab\b \bc\n');
    expect(t.v0()).toBe(buf);
  });

  it('gets resumes a partial line after waiting, also across save and restore', () => {
    const t = setup();
    const buf = RAM_BASE + 0x800;
    t.input.push(0x78);
    expect(t.cb(Callback.gets, buf)).toBe('waiting');
    const saved = JSON.parse(JSON.stringify(t.prom.save()));
    t.prom.restore({ gets: null });
    t.prom.restore(saved);
    t.input.push(0x79, 0x0a);
    expect(t.cb(Callback.gets, buf)).toBe('returned');
    expect(t.cstr(buf)).toBe('xy');
  });
});

describe('PROM string and memory functions', () => {
  it('strlen counts bytes before the NUL', () => {
    const t = setup();
    t.cb(Callback.strlen, 'four');
    expect(t.v0()).toBe(4);
    t.jt(JumpFn.strlen, '');
    expect(t.v0()).toBe(0);
  });

  it('strcmp and strncmp compare unsigned bytes and return -1, 0 or 1', () => {
    const t = setup();
    const r = (slot: number, ...a: (number | string)[]) => { t.cb(slot, ...a); return t.v0() | 0; };
    expect(r(Callback.strcmp, 'abc', 'abc')).toBe(0);
    expect(r(Callback.strcmp, 'abc', 'abd')).toBe(-1);
    expect(r(Callback.strcmp, 'abcd', 'abc')).toBe(1);
    expect(r(Callback.strcmp, '\xff', 'a')).toBe(1);
    expect(r(Callback.strncmp, 'abcX', 'abcY', 3)).toBe(0);
    expect(r(Callback.strncmp, 'abcX', 'abcY', 4)).toBe(-1);
  });

  it('strcpy, strcat, memcpy and memset write guest memory and return the destination', () => {
    const t = setup();
    const d = RAM_BASE + 0x900;
    t.cb(Callback.strcpy, d, 'exo');
    t.cb(Callback.strcat, d, 'kernel');
    expect(t.cstr(d)).toBe('exokernel');
    t.cb(Callback.memset, d + 3, 0x2d, 3);
    expect(t.cstr(d)).toBe('exo---nel');
    t.cb(Callback.memcpy, d, t.str('EX'), 2);
    expect(t.cstr(d)).toBe('EXo---nel');
    expect(t.v0()).toBe(d);
  });

  it('sprintf formats into guest memory and returns the length', () => {
    const t = setup();
    const d = RAM_BASE + 0xa00;
    t.cb(Callback.sprintf, d, '%s=%d', 'x', -3);
    expect(t.cstr(d)).toBe('x=-3');
    expect(t.v0()).toBe(4);
    expect(t.out).toBe('');
  });

  it('stops at an unwritable destination with an event', () => {
    const t = setup();
    t.cb(Callback.strcpy, 0x10, 'x');
    expect(t.events).toMatchObject([{ kind: 'prom-bad-pointer', what: 'strcpy destination', address: 0x10 }]);
  });
});

describe('PROM system functions', () => {
  it('getenv returns the ROM address of the value, or 0', () => {
    const t = setup();
    t.cb(Callback.getenv, 'osconsole');
    expect(t.cstr(t.v0())).toBe('2');
    t.jt(JumpFn.getenv2, 'baud3');
    expect(t.cstr(t.v0())).toBe('9600');
    t.cb(Callback.getenv, 'console');
    expect(t.v0()).toBe(0);
  });

  it('getenv uses the environment the PROM was built with', () => {
    const t = setup([['console', '3'], ['boot', 'exo']]);
    t.cb(Callback.getenv, 'boot');
    expect(t.cstr(t.v0())).toBe('exo');
  });

  it('getsysid, slot_address and gettcinfo give the KN02 values', () => {
    const t = setup();
    t.cb(Callback.getsysid);
    expect(t.v0()).toBe(KN02_SYSID);
    t.cb(Callback.slot_address, 1);
    expect(t.v0()).toBe(0x9e400000);
    t.cb(Callback.gettcinfo);
    expect(t.v0()).toBe(PROM_TCINFO);
    expect(t.host.readByte(PROM_TCINFO + 4)).toBe(40);
  });

  it('wbflush, clear_cache, disableintr and enableintr succeed and do nothing', () => {
    const t = setup();
    for (const slot of [Callback.wbflush, Callback.clear_cache, Callback.disableintr, Callback.enableintr]) {
      t.regs[V0] = 5;
      expect(t.cb(slot, 1, 2)).toBe('returned');
      expect(t.v0()).toBe(0);
    }
    expect(t.events).toEqual([]);
  });

  it('halt, rex h and the restart functions halt the machine', () => {
    const t = setup();
    expect(t.cb(Callback.halt)).toBe('halted');
    expect(t.jt(JumpFn.reset)).toBe('halted');
    expect(t.jt(JumpFn.reinit)).toBe('halted');
    expect(t.cb(Callback.rex, 0x68)).toBe('halted');
    expect(t.halts).toEqual(['halt', 'reset', 'reset', 'halt']);
  });

  it('halts with an event when an exception reaches a BEV vector', () => {
    const t = setup();
    expect(t.call(0xbfc00180)).toBe('halted');
    expect(t.events).toMatchObject([{ kind: 'prom-bev-exception' }]);
  });

  it('answers an unimplemented slot with 0 and a prom-unimplemented event', () => {
    const t = setup();
    t.regs[V0] = 9;
    expect(t.cb(Callback.time)).toBe('returned');
    expect(t.v0()).toBe(0);
    expect(t.jt(23)).toBe('returned');
    expect(t.events).toMatchObject([
      { kind: 'prom-unimplemented', table: 'callback', slot: 'time', address: REX_ENTRY_BASE + 2 * Callback.time },
      { kind: 'prom-unimplemented', table: 'jump', slot: 'jt23' },
    ]);
  });

  it('accepts kseg0 and physical entry addresses and reports other addresses as no entry', () => {
    const t = setup();
    t.cb(Callback.getsysid);
    expect(t.call((REX_ENTRY_BASE + 2 * Callback.getsysid) & 0x1fffffff)).toBe('returned');
    expect(t.call(0x9fc08000 + 2 * Callback.getsysid)).toBe('returned');
    expect(t.call(0xbfc08004)).toBe('not-entry');
    expect(t.call(0x80001000)).toBe('not-entry');
  });

  it('exports the REX start magic "TCF0"', () => {
    expect(REX_MAGIC).toBe(0x30464354);
    expect(String.fromCharCode(0x54, 0x43, 0x46, 0x30)).toBe('TCF0');
  });
});
