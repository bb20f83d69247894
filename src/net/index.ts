// The network outside the machines (docs/architecture.md): Ethernet frames
// built and read from fields (ethernet.ts), the wire attached to one
// machine's LANCE with its capture, pcap export and simulated peer host
// (wire.ts), and the segment joining several machines (segment.ts).

export * from './ethernet.js';
export * from './wire.js';
export * from './capture.js';
export * from './segment.js';
