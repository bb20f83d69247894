import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY, GdbServer } from '../../src/gdb/index.js';
import { frame } from '../../src/gdb/packet.js';
import { FakeTarget } from './scripted.js';

const servers: GdbServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

async function start(target = new FakeTarget()) {
  const log: string[] = [];
  const events: boolean[] = [];
  const server = new GdbServer(target, { port: 0, log: (l) => log.push(l), onClient: (a) => events.push(a) });
  servers.push(server);
  const port = await server.listen();
  return { server, port, log, events, target };
}

/** Connects; `received()` is everything read so far. */
async function client(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let data = '';
  let closed = false;
  socket.on('data', (d) => { data += d.toString('latin1'); });
  socket.on('close', () => { closed = true; });
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  return { socket, received: () => data, closed: () => closed };
}

const until = async (cond: () => boolean) => { for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5)); };

describe('GdbServer', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { server } = await start();
    const a = (server as unknown as { server: { address(): { address: string } } }).server.address();
    expect(a.address).toBe('127.0.0.1');
  });

  it('serves one client and refuses a second with a clear message, keeping the first', async () => {
    const { port, log, events } = await start();
    const a = await client(port);
    a.socket.write(frame('qC'));
    await until(() => a.received().includes('QC'));
    const b = await client(port);
    b.socket.write(`+${frame('qSupported:swbreak+')}`);
    await until(() => b.closed());
    expect(b.received()).toBe(`+${frame(BUSY)}`);
    expect(log.join('\n')).toMatch(/refused a second debugger/);
    a.socket.write(frame('qC'));
    await until(() => a.received().split('QC1').length === 3);
    expect(a.received()).toBe(`+${frame('QC1')}+${frame('QC1')}`);
    expect(events).toEqual([true]);
  });

  it('survives a client that disconnects while the target runs, and takes the next one', async () => {
    const target = new FakeTarget();
    target.nextStop = undefined;
    const { port, events } = await start(target);
    const a = await client(port);
    a.socket.write(frame('c'));
    await until(() => target.running);
    a.socket.destroy();
    await until(() => events.length === 2);
    expect(events).toEqual([true, false]);
    expect(target.calls).toContain('detach');
    await until(() => !target.running);
    const b = await client(port);
    b.socket.write(frame('qC'));
    await until(() => b.received().includes('QC'));
    expect(b.received()).toBe(`+${frame('QC1')}`);
  });

  it('survives garbage, half a packet and a client that never finishes it', async () => {
    const { port, events } = await start();
    const a = await client(port);
    a.socket.write(Buffer.from([0xff, 0x00, 0x24, 0x71, 0x23]));
    a.socket.destroy();
    await until(() => events.length === 2);
    const b = await client(port);
    b.socket.write(frame('qC'));
    await until(() => b.received().includes('QC'));
    expect(b.received()).toBe(`+${frame('QC1')}`);
  });

  it('rejects with the error when the port is taken', async () => {
    const { port } = await start();
    const other = new GdbServer(new FakeTarget(), { port, log: () => {} });
    await expect(other.listen()).rejects.toThrow(/EADDRINUSE/);
  });
});
