import { describe, expect, it } from 'vitest';
import { checksum, escapeBinary, frame, fromHex, PacketReader, parseHexNumber, toHex, unescapeBinary } from '../../src/gdb/packet.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('packet framing', () => {
  it('checksum is the sum of the bytes mod 256', () => {
    expect(checksum('')).toBe(0);
    expect(checksum('OK')).toBe((0x4f + 0x4b) & 0xff);
    expect(frame('OK')).toBe('$OK#9a');
    expect(frame('qSupported')).toBe('$qSupported#37');
  });

  it('escapes # $ } * in binary data and unescapes them back', () => {
    const data = Uint8Array.from([0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff, 0x41]);
    const text = escapeBinary(data);
    expect(text).toBe('}\x03}\x04}]}\x0a\x00\xffA');
    expect([...unescapeBinary(text)!]).toEqual([...data]);
    expect(unescapeBinary('abc}')).toBeUndefined();
  });

  it('hex helpers reject odd lengths, non-hex digits and numbers over 32 bits', () => {
    expect(toHex(Uint8Array.from([0, 0xab]))).toBe('00ab');
    expect(fromHex('0g')).toBeUndefined();
    expect(fromHex('abc')).toBeUndefined();
    expect(parseHexNumber('123456789')).toBeUndefined();
    expect(parseHexNumber('ffffffff')).toBe(0xffffffff);
    expect(parseHexNumber('')).toBeUndefined();
  });
});

describe('PacketReader', () => {
  it('finds packets, acks, nacks and interrupts in a stream split anywhere', () => {
    const r = new PacketReader();
    const stream = `+${frame('qSupported:xmlRegisters=i386')}-\x03${frame('g')}`;
    const events = [];
    for (const ch of stream) events.push(...r.feed(bytes(ch)));
    expect(events).toEqual([
      { kind: 'ack' }, { kind: 'packet', data: 'qSupported:xmlRegisters=i386' }, { kind: 'nack' }, { kind: 'interrupt' }, { kind: 'packet', data: 'g' },
    ]);
  });

  it('reports a packet whose checksum does not match', () => {
    expect(new PacketReader().feed(bytes('$g#00'))).toEqual([{ kind: 'bad-checksum', data: 'g' }]);
    expect(new PacketReader().feed(bytes('$g#zz'))).toEqual([{ kind: 'bad-checksum', data: 'g' }]);
  });

  it('drops a packet over the limit without buffering it, then reads the next one', () => {
    const r = new PacketReader(8);
    expect(r.feed(bytes(`$${'m'.repeat(100)}#00${frame('?')}`))).toEqual([{ kind: 'oversized', length: 100 }, { kind: 'packet', data: '?' }]);
  });

  it('ignores noise between packets and restarts on a $ inside a packet', () => {
    const r = new PacketReader();
    expect(r.feed(bytes(`garbage\r\n$qC${frame('?')}`))).toEqual([{ kind: 'packet', data: '?' }]);
  });
});
