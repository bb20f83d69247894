// The monolithic baseline kernel (src/mono, real MIPS code) seen from the
// debugger (docs/architecture.md, docs/mono.md): its counters and system
// call names read from its own ELF symbols (kernel.ts), its event catalogue
// (events.ts) and its data structures read from guest RAM (guest.ts).
// Nothing here models or charges the kernel's work.

export * from './kernel.js';
export * from './events.js';
export * from './guest.js';
