import { describe, expect, it } from 'vitest';
import { frame } from '../../src/gdb/packet.js';
import { Reg, REG_COUNT } from '../../src/gdb/regs.js';
import { Client, FakeTarget } from './scripted.js';

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const tick = () => new Promise((r) => setImmediate(r));

describe('acks and no-ack mode', () => {
  it('acks every packet until QStartNoAckMode is agreed, and none after', () => {
    const c = new Client(new FakeTarget());
    c.send('qSupported:multiprocess+;swbreak+');
    const first = c.takeRaw();
    expect(first.startsWith('+$')).toBe(true);
    expect(first).toContain('QStartNoAckMode+');
    c.send('QStartNoAckMode');
    expect(c.takeRaw()).toBe(`+${frame('OK')}`);
    c.send('?');
    expect(c.takeRaw()).toMatch(/^\$T05thread:p1.1;/);
  });

  it('sends the last packet again on a nack, and answers a bad checksum with a nack', () => {
    const c = new Client(new FakeTarget());
    c.send('qC');
    expect(c.takeRaw()).toBe(`+${frame('QC1')}`);
    c.write('-');
    expect(c.takeRaw()).toBe(frame('QC1'));
    c.write('$qC#00');
    expect(c.takeRaw()).toBe('-');
  });

  it('answers an oversized packet with an error and keeps serving', () => {
    const c = new Client(new FakeTarget());
    c.send(`M400000,1:${'00'.repeat(0x5000)}`);
    expect(c.packets()).toEqual(['E.packet too long']);
    expect(c.log.join('\n')).toMatch(/dropped a packet of \d+ bytes/);
    expect(c.ask('qC')).toBe('QC1');
  });

  it('answers malformed packets with error replies, and unknown ones with the empty reply', () => {
    const c = new Client(new FakeTarget());
    for (const p of ['m', 'mzz,4', 'm400000', 'M400000,2:0', 'X400000,2:a', 'p', 'Pzz', 'P5=1', 'Hx1', 'Z9,0,4', 'Z0,,4', 'vCont;q', 'T']) {
      expect(c.ask(p), p).toMatch(/^E/);
    }
    expect(c.ask('qNoSuchThing')).toBe('');
    expect(c.ask('vNoSuchThing')).toBe('');
    expect(c.ask('!')).toBe('');
  });
});

describe('registers and memory', () => {
  it('g gives 72 registers of 8 hex digits, little-endian, the FP ones unavailable', () => {
    const c = new Client(new FakeTarget());
    const g = c.ask('g');
    expect(g.length).toBe(REG_COUNT * 8);
    expect(g.slice(8, 16)).toBe('01000000');
    expect(g.slice(Reg.PC * 8, Reg.PC * 8 + 8)).toBe('25000000');
    expect(g.slice(Reg.F0 * 8)).toBe('x'.repeat((REG_COUNT - Reg.F0) * 8));
  });

  it('p and P read and write one register of the Hg thread', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    expect(c.ask('p25')).toBe('25000000');
    expect(c.ask('Hg2')).toBe('OK');
    expect(c.ask('p25')).toBe('25010000');
    expect(c.ask('P25=78563412')).toBe('OK');
    expect(t.regs.get(2)![Reg.PC]).toBe(0x12345678);
    expect(c.ask('p26')).toBe('xxxxxxxx');
    expect(c.ask('p48')).toBe('E16');
  });

  it('G writes the registers that changed', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    const g = c.ask('g');
    expect(c.ask('G' + g.slice(0, 16) + 'ffffffff' + g.slice(24))).toBe('OK');
    expect(t.calls).toEqual(['P 1 2=ffffffff']);
    expect(c.ask('G00')).toBe('E01');
  });

  it('m reads, M and X write, through the thread\'s memory; unmapped is E0e', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    expect(c.ask('M400010,4:deadbeef')).toBe('OK');
    expect(c.ask('m400010,4')).toBe('deadbeef');
    expect(c.ask('X400020,3:}\x03}\x04a')).toBe('OK');
    expect([...t.mem.subarray(0x20, 0x23)]).toEqual([0x23, 0x24, 0x61]);
    expect(c.ask('m100,4')).toBe('E0e');
    expect(c.ask('M100,1:00')).toBe('E0e');
    expect(c.ask('Hg2')).toBe('OK');
    expect(c.ask('m400010,4')).toBe('E0e');
    expect(c.ask('X400000,0:')).toBe('OK');
  });
});

describe('threads', () => {
  it('lists every thread, names them, and refuses one that is not there', () => {
    const c = new Client(new FakeTarget());
    expect(c.ask('qfThreadInfo')).toBe('m1,2,ffff');
    expect(c.ask('qsThreadInfo')).toBe('l');
    expect(Buffer.from(c.ask('qThreadExtraInfo,2'), 'hex').toString()).toBe('hello (environment 2, runnable)');
    expect(Buffer.from(c.ask('qThreadExtraInfo,ffff'), 'hex').toString()).toBe('kernel idle (not running)');
    expect(c.ask('T2')).toBe('OK');
    expect(c.ask('T7')).toBe('E16');
    expect(c.ask('Hg7')).toBe('E16');
    expect(c.ask('Hg0')).toBe('OK');
    expect(c.ask('Hc-1')).toBe('OK');
  });

  it('serves the target description and each thread\'s program in chunks', () => {
    const c = new Client(new FakeTarget());
    const first = c.ask('qXfer:features:read:target.xml:0,28');
    expect(first[0]).toBe('m');
    expect(first.slice(1)).toBe('<?xml version="1.0"?>\n<!DOCTYPE target S');
    expect(c.ask('qXfer:features:read:target.xml:28,8')).toBe('mYSTEM "g');
    const whole = c.ask('qXfer:features:read:target.xml:0,3fff');
    expect(whole[0]).toBe('l');
    expect(whole).toContain('<architecture>mips:3000</architecture>');
    expect(whole).toContain('<reg name="pc" bitsize="32" regnum="37" type="code_ptr"/>');
    expect(c.ask('qXfer:exec-file:read:2:0,ff')).toBe('l/images/hello.elf');
    expect(c.ask('qXfer:exec-file:read::0,ff')).toBe('l/images/memwalk.elf');
    expect(c.ask('qXfer:features:read:other.xml:0,ff')).toBe('E16');
  });
});

describe('breakpoints, watchpoints and running', () => {
  it('passes Z0/Z1 and z0 to the target, and watchpoints with the Hg thread', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    expect(c.ask('Z0,4027a0,4')).toBe('OK');
    expect(c.ask('Z1,400100,4')).toBe('OK');
    expect(c.ask('z0,4027a0,4')).toBe('OK');
    expect(c.ask('Hg2')).toBe('OK');
    expect(c.ask('Z2,10000040,4')).toBe('OK');
    expect(c.ask('Z3,10000080,4')).toBe('OK');
    expect(c.ask('Z4,10000080,2')).toBe('OK');
    expect(t.calls).toEqual(['Z 4027a0', 'Z 400100', 'z 4027a0', 'watch write 10000040 4 2', 'watch read 10000080 4 2', 'watch access 10000080 2 2']);
  });

  it('replies to c and vCont with a T stop reply naming the thread, the reason, pc and sp', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    expect(c.ask('c')).toBe('T05thread:1;swbreak:;25:25000000;1d:1d000000;');
    t.nextStop = { tid: 2, signal: 5, reason: { kind: 'watch', watch: 'read', addr: 0x10000080 } };
    expect(c.ask('vCont;s:2;c')).toBe('T05thread:2;rwatch:10000080;25:25010000;1d:1d010000;');
    t.nextStop = { tid: 1, signal: 5, reason: { kind: 'replaylog' } };
    expect(c.ask('bc')).toBe('T05thread:1;replaylog:begin;25:25000000;1d:1d000000;');
    t.nextStop = { tid: 1, signal: 11, message: 'exception AdEL at epc 0x00400100 in memwalk' };
    c.send('c');
    expect(c.packets()).toEqual(['O' + hex('exception AdEL at epc 0x00400100 in memwalk\n'), 'T0bthread:1;25:25000000;1d:1d000000;']);
    t.nextStop = { tid: 1, signal: 0, exited: { code: 0 } };
    expect(c.ask('c')).toBe('W00');
    expect(t.calls).toEqual(['resume continue', 'resume step 2', 'resume reverse-continue', 'resume continue', 'resume continue']);
  });

  it('? names the thread on the CPU, or the first one while the CPU idles', () => {
    const t = new FakeTarget();
    t.current = 2;
    expect(new Client(t).ask('?')).toMatch(/^T05thread:2;/);
    t.current = 0xffff;
    expect(new Client(t).ask('?')).toMatch(/^T05thread:1;/);
  });

  it('steps the Hc thread on s, and moves the pc first when s names an address', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    c.ask('Hc2');
    c.ask('s400200');
    expect(t.calls).toEqual(['P 2 37=400200', 'resume step 2']);
    expect(c.ask('vCont?')).toBe('vCont;c;C;s;S;t');
  });

  it('stops a running target on Ctrl-C with SIGINT, and refuses other packets while it runs', async () => {
    const t = new FakeTarget();
    t.nextStop = undefined;
    const c = new Client(t);
    c.send('vCont;c');
    expect(c.packets()).toEqual([]);
    expect(c.ask('g')).toMatch(/^E\.target is running/);
    c.write('\x03');
    await tick();
    expect(c.packets()).toEqual(['T02thread:1;25:25000000;1d:1d000000;']);
  });

  it('refuses bs and bc when the target cannot go back', () => {
    const t = new FakeTarget();
    t.canReverse = false;
    const c = new Client(t);
    expect(c.ask('bs')).toMatch(/^E\.reverse execution needs checkpoints/);
    expect(c.ask('qSupported')).not.toContain('Reverse');
  });
});

describe('leaving', () => {
  it('D detaches: OK, the target forgets the debugger, the connection closes', () => {
    const t = new FakeTarget();
    const c = new Client(t);
    expect(c.ask('D')).toBe('OK');
    expect(t.calls).toContain('detach');
    expect(c.closed).toBe(true);
    c.send('g');
    expect(c.packets()).toEqual([]);
  });

  it('k closes without a reply; a client gone mid-run leaves the target stopped', async () => {
    const t = new FakeTarget();
    const c = new Client(t);
    c.send('k');
    expect(c.packets()).toEqual([]);
    expect(c.closed).toBe(true);
    const t2 = new FakeTarget();
    t2.nextStop = undefined;
    const c2 = new Client(t2);
    c2.send('c');
    c2.conn.close();
    await tick();
    expect(t2.running).toBe(false);
    expect(t2.calls).toEqual(['resume continue', 'detach', 'interrupt']);
  });

  it('a host error inside a command is an error reply, not a crash', () => {
    const t = new FakeTarget();
    t.readRegisters = () => { throw new Error('boom'); };
    const c = new Client(t);
    expect(c.ask('g')).toBe('E.internal error in exoscope (see its log)');
    expect(c.log.join('\n')).toMatch(/boom/);
    expect(c.ask('qC')).toBe('QC1');
  });
});
