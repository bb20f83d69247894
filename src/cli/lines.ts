// A command's output gathered line by line into one reused buffer of UTF-8
// and handed on in chunks of whole lines. A replay writes tens of
// thousands of lines (living.yaml: 31,000, 2 MB): a write each would cost
// more than the run, and a string built by `+=` is a rope of two objects a
// line that stays alive, and is copied by every garbage collection, until
// it is written. Written into bytes at once, a line's string dies young.

/** Bytes gathered before a chunk is handed on. */
export const CHUNK_BYTES = 1 << 16;

/** Receives a chunk of whole lines: UTF-8 bytes (valid only during the call: the buffer is reused), or the same as text. */
export type LineSink = { readonly bytes: (chunk: Uint8Array) => void } | { readonly text: (chunk: string) => void };

/** Lines gathered for `sink`: line(t) adds t and a newline, flush() hands on what is gathered. */
export interface Lines {
  line(t: string): void;
  flush(): void;
}

/** A Lines handing chunks of at most about CHUNK_BYTES (or one longer line) to `sink`. */
export function lines(sink: LineSink): Lines {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const flush = () => {
    if (used === 0) return;
    if ('bytes' in sink) sink.bytes(buf.subarray(0, used));
    else sink.text(buf.toString('utf8', 0, used));
    used = 0;
  };
  return {
    line(t: string) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 4 for 2).
      const most = t.length * 3 + 1;
      if (used + most > buf.length) {
        flush();
        if (most > buf.length) buf = Buffer.allocUnsafe(most);
      }
      used += buf.write(t, used);
      buf[used++] = 0x0a;
    },
    flush,
  };
}
