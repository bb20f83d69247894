import { describe, expect, it } from 'vitest';
import { parseAddr, parseCommand, parseLogFilter } from '../../src/tui/commandline.js';

describe('the command line', () => {
  it('parses addresses in hex and symbols with offsets', () => {
    expect(parseAddr('0x00400010')).toEqual({ kind: 'addr', addr: 0x400010 });
    expect(parseAddr('400010')).toEqual({ kind: 'addr', addr: 0x400010 });
    expect(parseAddr('handler+8')).toEqual({ kind: 'symbol', name: 'handler', offset: 8 });
    expect(parseAddr('0x123456789')).toBeUndefined();
    expect(parseAddr('a-b')).toBeUndefined();
  });

  it('parses break at a pc, on an exception and on an event, each optionally in one environment', () => {
    expect(parseCommand('break walk b')).toEqual({ kind: 'break', breakpoint: { kind: 'symbol', symbol: 'walk', offset: 0, env: 'b' } });
    expect(parseCommand('break exc TLBL')).toEqual({ kind: 'break', breakpoint: { kind: 'exception', code: 2, env: undefined } });
    expect(parseCommand('break exc tlbs a')).toEqual({ kind: 'break', breakpoint: { kind: 'exception', code: 3, env: 'a' } });
    expect(parseCommand('break event stlb-miss')).toEqual({ kind: 'break', breakpoint: { kind: 'event', event: 'stlb-miss', env: undefined } });
    expect(parseCommand('break exc Nope')).toHaveProperty('error');
    expect(parseCommand('watch 0x10000000')).toEqual({ kind: 'break', breakpoint: { kind: 'watch', addr: 0x10000000, len: 4, read: false, write: true } });
    expect(parseCommand('w brk+4 b read')).toEqual({ kind: 'break', breakpoint: { kind: 'symbolWatch', symbol: 'brk', offset: 4, len: 4, read: true, write: false, env: 'b' } });
    expect(parseCommand('watch 10000000 access b')).toEqual({ kind: 'break', breakpoint: { kind: 'watch', addr: 0x10000000, len: 4, read: true, write: true, env: 'b' } });
    expect(parseCommand('watch')).toHaveProperty('error');
    expect(parseCommand('watch 0x10 a b')).toHaveProperty('error');
    expect(parseCommand('break 0x401')).toEqual({ error: 'Cannot break at 0x401: instructions are at multiples of 4 (word-aligned)' });
    expect(parseCommand('break walk+2')).toHaveProperty('error');
    expect(parseCommand('break 0x400400')).toMatchObject({ kind: 'break', breakpoint: { kind: 'pc', addr: 0x400400 } });
  });

  it('parses step, x, tlb, kill and the rest, with counts', () => {
    expect(parseCommand('step 100')).toEqual({ kind: 'step', n: 100 });
    expect(parseCommand('step')).toEqual({ kind: 'step', n: 1 });
    expect(parseCommand('step -4')).toHaveProperty('error');
    expect(parseCommand('x a 0x10000000 8')).toEqual({ kind: 'examine', env: 'a', at: { kind: 'addr', addr: 0x10000000 }, n: 8 });
    expect(parseCommand('x a save')).toEqual({ kind: 'examine', env: 'a', at: { kind: 'symbol', name: 'save', offset: 0 }, n: 16 });
    expect(parseCommand('tlb')).toEqual({ kind: 'tlb' });
    expect(parseCommand('delete all')).toEqual({ kind: 'delete', id: 'all' });
    expect(parseCommand('kill b')).toEqual({ kind: 'kill', env: 'b' });
    expect(parseCommand('frobnicate')).toEqual({ error: 'Unknown command frobnicate: :help lists the commands' });
  });

  it('parses the time-travel commands', () => {
    expect(parseCommand('goto 1,000,000')).toEqual({ kind: 'goto', cycle: 1_000_000 });
    expect(parseCommand('goto 0')).toEqual({ kind: 'goto', cycle: 0 });
    expect(parseCommand('back 5_000')).toEqual({ kind: 'back', cycles: 5000 });
    expect(parseCommand('back 0')).toHaveProperty('error');
    expect(parseCommand('rstep 3')).toEqual({ kind: 'stepBack', n: 3 });
    expect(parseCommand('rnext')).toEqual({ kind: 'reverseNext' });
    expect(parseCommand('rc')).toEqual({ kind: 'reverseContinue' });
    expect(parseCommand('rwatch b 0x10000000')).toEqual({ kind: 'reverseWatch', env: 'b', at: { kind: 'addr', addr: 0x10000000 } });
    expect(parseCommand('rprev stlb-miss')).toEqual({ kind: 'reversePrev', event: 'stlb-miss' });
    expect(parseCommand('rprev nope')).toHaveProperty('error');
    expect(parseCommand('event 12')).toEqual({ kind: 'gotoEvent', index: 11 });
    expect(parseCommand('save /tmp/s.json')).toEqual({ kind: 'save', file: '/tmp/s.json' });
  });

  it('parses log filters into kinds, environments and words', () => {
    expect(parseLogFilter(' kind:stlb env:b Cputs ')).toEqual({ text: 'kind:stlb env:b Cputs', kinds: ['stlb'], envs: ['b'], words: ['cputs'] });
  });
});
