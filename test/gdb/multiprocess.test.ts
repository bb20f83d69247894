// GDB's multiprocess extensions with a scripted client: every thread a
// process of its own (pPID.TID), breakpoints in the address space of the
// process Hg selected, process exits, D;pid and vKill;pid.

import { describe, expect, it } from 'vitest';
import { Reg } from '../../src/gdb/regs.js';
import { formatThreadId, parseThreadId } from '../../src/gdb/ptid.js';
import { Client, FakeTarget } from './scripted.js';

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const text = (h: string) => Buffer.from(h, 'hex').toString('latin1');

/** A client that has agreed the multiprocess extensions, as GDB does first. */
function mp(t = new FakeTarget()): { t: FakeTarget; c: Client } {
  const c = new Client(t);
  expect(c.ask('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+')).toContain(';multiprocess+');
  c.ask('qfThreadInfo');
  return { t, c };
}

describe('thread ids', () => {
  it('parses pPID.TID, pPID, the 0 and -1 forms, and plain ids; a thread not the process\'s own is refused', () => {
    expect(parseThreadId('p2.2')).toBe(2);
    expect(parseThreadId('p2.-1')).toBe(2);
    expect(parseThreadId('p2.0')).toBe(2);
    expect(parseThreadId('p2')).toBe(2);
    expect(parseThreadId('pffff.ffff')).toBe(0xffff);
    expect(parseThreadId('p-1.-1')).toBe('all');
    expect(parseThreadId('p-1')).toBe('all');
    expect(parseThreadId('p0.0')).toBe('any');
    expect(parseThreadId('-1')).toBe('all');
    expect(parseThreadId('0')).toBe('any');
    expect(parseThreadId('1f')).toBe(0x1f);
    for (const bad of ['p2.3', 'p0.2', 'p', 'p.1', 'p2.', 'px.1', 'q2.2', '']) expect(parseThreadId(bad), bad).toBeUndefined();
    expect(formatThreadId(0xffff, true)).toBe('pffff.ffff');
    expect(formatThreadId(2, false)).toBe('2');
  });
});

describe('the multiprocess extensions', () => {
  it('are offered only to a debugger that offers them', () => {
    expect(new Client(new FakeTarget()).ask('qSupported:swbreak+')).not.toContain('multiprocess');
    const { c } = mp();
    expect(c.ask('qC')).toBe('QCp1.1');
  });

  it('list every thread as a process, and name, select and test them by pPID.TID', () => {
    const { t, c } = mp();
    expect(c.ask('qfThreadInfo')).toBe('mp1.1,p2.2,pffff.ffff');
    expect(c.ask('qsThreadInfo')).toBe('l');
    expect(text(c.ask('qThreadExtraInfo,p2.2'))).toBe('hello (environment 2, runnable)');
    expect(c.ask('qThreadExtraInfo,p7.7')).toBe('E16');
    expect(c.ask('Tp2.2')).toBe('OK');
    expect(c.ask('Tp7.7')).toBe('E16');
    expect(c.ask('Tp2.3')).toBe('E16');
    expect(c.ask('Hgp2.2')).toBe('OK');
    expect(c.ask(`p${Reg.PC.toString(16)}`)).toBe('25010000');
    expect(c.ask('Hgp1.0')).toBe('OK');
    expect(c.ask(`p${Reg.PC.toString(16)}`)).toBe('25000000');
    expect(c.ask('Hgp7.7')).toBe('E16');
    expect(c.ask('Hgp2.3')).toBe('E01');
    expect(c.ask('Hcp-1.-1')).toBe('OK');
    expect(c.ask('Hcp2.2')).toBe('OK');
    c.ask('s');
    expect(t.calls).toEqual(['resume step 2 (exits)']);
  });

  it('give each process its own program: qXfer:exec-file:read:PID; the idle loop has none', () => {
    const { c } = mp();
    expect(c.ask('qXfer:exec-file:read:2:0,ff')).toBe('l/images/hello.elf');
    expect(c.ask('qXfer:exec-file:read:1:0,ff')).toBe('l/images/memwalk.elf');
    expect(c.ask('qXfer:exec-file:read:ffff:0,ff')).toBe('E16');
    expect(c.ask('qXfer:exec-file:read:7:0,ff')).toBe('E16');
    expect(c.ask('qXfer:exec-file:read:zz:0,ff')).toBe('E16');
  });

  it('put a breakpoint in the address space of the process Hg selected (every one for the idle loop, or without the extensions)', () => {
    const { t, c } = mp();
    expect(c.ask('Hgp2.2')).toBe('OK');
    expect(c.ask('Z0,400100,4')).toBe('OK');
    expect(c.ask('Hgp1.1')).toBe('OK');
    expect(c.ask('Z0,400100,4')).toBe('OK');
    expect(c.ask('z0,400100,4')).toBe('OK');
    expect(c.ask('Z2,10000040,4')).toBe('OK');
    expect(c.ask('Hgpffff.ffff')).toBe('OK');
    expect(c.ask('Z0,400200,4')).toBe('OK');
    const plain = new FakeTarget();
    const p = new Client(plain);
    p.ask('Hg2');
    p.ask('Z0,400100,4');
    expect(t.calls).toEqual(['Z 400100 in 2', 'Z 400100 in 1', 'z 400100 in 1', 'watch write 10000040 4 1', 'Z 400200']);
    expect(plain.calls).toEqual(['Z 400100']);
  });

  it('name the thread of a stop pPID.TID, take it as the general thread, and tell a process\'s end with W or X and process:PID', () => {
    const { t, c } = mp();
    t.nextStop = { tid: 2, signal: 5, reason: { kind: 'swbreak' } };
    expect(c.ask('vCont;c')).toBe('T05thread:p2.2;swbreak:;25:25010000;1d:1d010000;');
    // GDB now takes thread 2 as the general thread without an Hg (remote.c, record_currthread).
    expect(c.ask(`p${Reg.PC.toString(16)}`)).toBe('25010000');
    c.ask('Z0,400300,4');
    expect(t.calls.at(-1)).toBe('Z 400300 in 2');
    t.nextStop = { tid: 2, signal: 0, exited: { code: 0 } };
    expect(c.ask('vCont;c')).toBe('W00;process:2');
    t.nextStop = { tid: 1, signal: 9, exited: { signal: 9 }, message: 'memwalk was destroyed: no handler for AdEL' };
    c.send('vCont;c');
    expect(c.packets()).toEqual(['O' + hex('memwalk was destroyed: no handler for AdEL\n'), 'X09;process:1']);
    t.nextStop = { tid: 0xffff, signal: 0, exited: { code: 0 } };
    expect(c.ask('vCont;c')).toBe('W00;process:ffff');
    expect(t.calls.filter((x) => x.startsWith('resume'))).toEqual(Array(4).fill('resume continue (exits)'));
  });

  it('step the thread vCont names in pPID.TID, and say once that continuing one process runs them all', () => {
    const { t, c } = mp();
    expect(c.ask('vCont;s:p2.2;c:p2.-1')).toMatch(/^T05thread:p1\.1;/);
    c.send('vCont;c:p1.-1');
    const first = c.packets();
    expect(first).toHaveLength(2);
    expect(text(first[0].slice(1))).toMatch(/continuing one process runs them all;\n.*'set schedule-multiple on'/);
    c.send('vCont;c:p1.-1');
    expect(c.packets()).toHaveLength(1);
    expect(c.ask('vCont;c:p1.1')).toMatch(/^T05/);
    expect(t.calls).toEqual(['resume step 2 (exits)', 'resume continue (exits)', 'resume continue (exits)', 'resume continue (exits)']);
  });
});

describe('leaving one process at a time', () => {
  it('D;pid detaches that process: OK, its breakpoints go, it is no longer listed; the last one ends the connection', () => {
    const { t, c } = mp();
    expect(c.ask('D;2')).toBe('OK');
    expect(t.calls).toEqual(['detach 2']);
    expect(c.ask('qfThreadInfo')).toBe('mp1.1,pffff.ffff');
    expect(c.ask('Tp2.2')).toBe('E16');
    expect(c.ask('D;2')).toBe('E16');
    expect(c.ask('D;zz')).toBe('E01');
    expect(c.ask('D;1')).toBe('OK');
    expect(c.closed).toBe(false);
    expect(c.ask('D;ffff')).toBe('OK');
    expect(c.closed).toBe(true);
    expect(t.calls).toEqual(['detach 2', 'detach 1', `detach ${0xffff}`, 'detach']);
  });

  it('the end of a process the debugger was never told of is not reported either: the run goes on', () => {
    const { t, c } = mp();
    t.stops.push({ tid: 7, signal: 0, exited: { code: 0 } });
    expect(c.ask('vCont;c')).toMatch(/^T05thread:p1\.1;/);
    expect(t.calls.filter((x) => x.startsWith('resume'))).toHaveLength(2);
  });

  it('a process detached from is not reported: its end resumes the run, another stop names a followed thread', () => {
    const { t, c } = mp();
    t.current = 2;
    c.ask('D;2');
    t.stops.push({ tid: 2, signal: 0, exited: { code: 0 } });
    t.nextStop = { tid: 2, signal: 2 };
    expect(c.ask('vCont;c')).toBe('T02thread:p1.1;25:25000000;1d:1d000000;');
    expect(t.calls.filter((x) => x.startsWith('resume'))).toEqual(['resume continue (exits)', 'resume continue (exits)']);
  });

  it('vKill;pid ends that process; the idle loop cannot be killed; without the extensions vKill leaves', () => {
    const { t, c } = mp();
    expect(c.ask('vKill;2')).toBe('OK');
    expect(c.ask('qfThreadInfo')).toBe('mp1.1,pffff.ffff');
    expect(c.ask('vKill;ffff')).toMatch(/^E\.the kernel's idle loop cannot be killed/);
    expect(c.closed).toBe(false);
    expect(t.calls).toEqual(['kill 2', `kill ${0xffff}`]);
    const plain = new FakeTarget();
    const p = new Client(plain);
    p.send('vKill;a410');
    expect(p.packets()).toEqual(['OK']);
    expect(p.closed).toBe(true);
    expect(plain.calls).toEqual(['detach']);
  });
});
