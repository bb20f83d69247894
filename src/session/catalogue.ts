// The catalogues the front ends label things with, each defined once
// below the session and passed on from here: the kernel's event kinds
// (EVENTS), the R3000's exception codes and the general registers' names.

export { EXCEPTIONS, excName, GPR_NAMES } from '../emu/index.js';
export {
  EVENTS, EVENT_KINDS, envLabel, eventKindsMarkdown, summarizeEvent,
  type DpfView, type EventGroup, type EventSpec, type EventTone, type KernelEvent, type KernelEventKind,
} from '../exokernel/index.js';
export { MONO_EVENTS, MONO_EVENT_KINDS, monoEventTone, summarizeMonoEvent, type MonoEvent, type MonoEventKind } from '../monolithic/index.js';
