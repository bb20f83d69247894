// The framing of the GDB remote serial protocol (GDB manual, appendix E
// "Remote Protocol", E.1 "Overview"): a packet is `$data#cc`, where cc is
// the sum of the data's bytes mod 256 in two hex digits; the receiver
// answers `+` (received) or `-` (send again) until no-ack mode is agreed
// (QStartNoAckMode). A 0x03 byte outside a packet is an interrupt request
// (E.8 "Interrupts"). Inside binary data (X packets, qXfer replies) the
// bytes `#`, `$`, `}` and `*` are sent as `}` followed by the byte XOR 0x20.
// Run-length encoding is never sent (it is optional for a stub), and a
// received `*` is left alone (GDB never sends it to a stub).
//
// Pure: bytes in, events out. No sockets here.

/** The largest packet (payload bytes) accepted and announced in qSupported. */
export const PACKET_SIZE = 0x4000;

/** The byte a client sends to interrupt a running target. */
export const INTERRUPT = 0x03;

/** The checksum of `data` (latin1 bytes): their sum mod 256. */
export function checksum(data: string): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data.charCodeAt(i)) & 0xff;
  return sum;
}

/** `data` framed as a packet: `$data#cc`. Precondition: data is latin1 and already escaped where binary. */
export function frame(data: string): string {
  return `$${data}#${checksum(data).toString(16).padStart(2, '0')}`;
}

/** Binary bytes escaped for a packet: `#$}*` become `}` and the byte XOR 0x20. */
export function escapeBinary(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x23 || b === 0x24 || b === 0x7d || b === 0x2a) out += '}' + String.fromCharCode(b ^ 0x20);
    else out += String.fromCharCode(b);
  }
  return out;
}

/** The bytes of escaped binary `text` (latin1); undefined when it ends inside an escape. */
export function unescapeBinary(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x7d) { out.push(c & 0xff); continue; }
    if (++i >= text.length) return undefined;
    out.push((text.charCodeAt(i) ^ 0x20) & 0xff);
  }
  return Uint8Array.from(out);
}

/** Hex text (two digits a byte) of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** The bytes of hex text; undefined unless it is an even number of hex digits. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** A hex number of at most 8 digits (addresses, lengths, thread ids); undefined when malformed. */
export function parseHexNumber(text: string): number | undefined {
  if (!/^[0-9a-fA-F]{1,8}$/.test(text)) return undefined;
  return parseInt(text, 16) >>> 0;
}

/** What the reader found in the byte stream. */
export type WireEvent =
  | { readonly kind: 'packet'; readonly data: string }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack' }
  | { readonly kind: 'interrupt' }
  /** A packet whose checksum did not match (answer `-`). */
  | { readonly kind: 'bad-checksum'; readonly data: string }
  /** A packet longer than PACKET_SIZE: dropped (answer `-` is pointless; the stub sends an error). */
  | { readonly kind: 'oversized'; readonly length: number };

const enum State { Idle, Data, Sum1, Sum2 }

/**
 * Splits a byte stream into protocol events. Feed it whatever arrives;
 * bytes outside a packet other than `+`, `-`, 0x03 and `$` are ignored
 * (as GDB's own stubs do). A packet beyond `limit` bytes is consumed and
 * reported as oversized, never buffered whole.
 */
export class PacketReader {
  private state = State.Idle;
  private data: string[] = [];
  private length = 0;
  private sum = '';

  constructor(private readonly limit = PACKET_SIZE) {}

  /** The events in `chunk`, in order. */
  feed(chunk: Uint8Array): WireEvent[] {
    const out: WireEvent[] = [];
    for (const b of chunk) {
      const e = this.byte(b);
      if (e) out.push(e);
    }
    return out;
  }

  private byte(b: number): WireEvent | undefined {
    switch (this.state) {
      case State.Idle:
        if (b === 0x24) { this.state = State.Data; this.data = []; this.length = 0; return undefined; }
        if (b === 0x2b) return { kind: 'ack' };
        if (b === 0x2d) return { kind: 'nack' };
        if (b === INTERRUPT) return { kind: 'interrupt' };
        return undefined;
      case State.Data:
        if (b === 0x23) { this.state = State.Sum1; return undefined; }
        if (b === 0x24) { this.data = []; this.length = 0; return undefined; } // a new start: the old packet was cut off
        this.length++;
        if (this.length <= this.limit) this.data.push(String.fromCharCode(b));
        return undefined;
      case State.Sum1:
        this.sum = String.fromCharCode(b);
        this.state = State.Sum2;
        return undefined;
      case State.Sum2: {
        this.state = State.Idle;
        if (this.length > this.limit) return { kind: 'oversized', length: this.length };
        const data = this.data.join('');
        const want = parseInt(this.sum + String.fromCharCode(b), 16);
        return want === checksum(data) ? { kind: 'packet', data } : { kind: 'bad-checksum', data };
      }
    }
  }
}
