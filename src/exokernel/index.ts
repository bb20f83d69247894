// The exokernel's public face (docs/architecture.md, "The exokernel").

export { Kernel, USER_STATUS, type EnvImage, type KernelOptions, type KernelState, type KernelStop } from './kernel.js';
export { checkInvariant, checkInvariantChanges } from './invariant.js';
export { appendConsole, ARGS_SPACE, argsProblem, CONSOLE_DROPPED, CONSOLE_KEEP, consoleDroppedNote, EnvCreateError, imageProblem, MIN_TICK_CYCLES, tickProblem } from './limits.js';
export { EventLog, eventJson, type KernelEvent, type KernelEventKind, type RefusalReason } from './events.js';
export { EVENTS, EVENT_KINDS, envLabel, eventKindsMarkdown, eventSpec, summarizeEvent, summarizeFields, type EventFieldType, type EventGroup, type EventOf, type EventSpec, type EventTone } from './event-table.js';
export { Costs } from './costs.js';
export { SEED_HEX, SEED_HEX_DIGITS, type Seed } from './keys.js';
export { Stlb, STLB_SIZE, stlbSlot, type StlbEntry } from './stlb.js';
export { FrameTable, ACCESS_LIST_MAX, type Frame, type Capability } from './frames.js';
export type { Env, EnvState, Guaranteed } from './env.js';
export { SYS_NAMES } from './syscalls.js';
export { CPUTS_MAX } from './abi.js';
export * as abi from './abi.js';
export { UPCALL_NAMES } from './upcall.js';
export { SliceVector } from './slices.js';
export type { EnvOptions } from './kernel.js';
export type { DpfView } from './dpf/index.js';
export { Dpf, encodeFilter, mpfWork, type Atom, type DpfWork, type MpfWork } from './dpf/index.js';
