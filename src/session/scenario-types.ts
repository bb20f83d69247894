// The parsed form of a scenario file (docs/scenarios.md): plain, read-only,
// serializable data. Environments are named, never numbered: the session maps
// names to environment ids when it creates them. Every environment, step,
// breakpoint and expectation carries the place it was written, so a later
// failure can say "expectation at scenarios/x.yaml:30 failed: ...".

import type { KernelEventKind } from '../exokernel/index.js';
import type { Breakpoint } from './breakpoints.js';

/** A place in a scenario file; line and column count from 1. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `T` with the place it was written. */
export type Located<T> = T & { readonly source: SourceLocation };

/** The machine to boot. */
export interface MachineSettings {
  /** RAM in MiB (1..480). */
  readonly ramMiB: number;
  /** CPU clock in Hz. */
  readonly cpuHz: number;
  /** Seed of the kernel's PRNG (a uint32). */
  readonly seed: number;
  /** Clock interrupts per second driving the scheduler (a power of two, 2..8192). */
  readonly tickHz: number;
  /** Clock ticks in a time slice. */
  readonly sliceTicks: number;
}

/** An environment to create. */
export interface EnvironmentSpec {
  readonly name: string;
  /** The image as written in the file. */
  readonly image: string;
  /** The image file, resolved: a bare name is in the project's src/exos/images. */
  readonly imagePath: string;
  /** Arguments, at most 7. */
  readonly args: readonly string[];
  /** Cycle at which it is created (0: at boot). */
  readonly start: number;
  /** Time slices it starts with. */
  readonly slices: number;
  /** Cycles after which a new instance is created, again and again (absent: once). */
  readonly every?: number;
}

/**
 * How one event field is matched. `env` names an environment (the session maps
 * it to an id); `matches` holds the source of a regular expression.
 */
export type FieldMatch =
  | TextMatch
  | { readonly op: 'equals'; readonly value: number | boolean }
  | { readonly op: 'env'; readonly value: string };

/** How a text is matched: whole, by substring or by a regular expression's source. */
export interface TextMatch {
  readonly op: 'equals' | 'contains' | 'matches';
  readonly value: string;
}

/** A kernel event of one kind whose listed fields all match. */
export interface EventPattern {
  readonly kind: KernelEventKind;
  readonly fields: Readonly<Record<string, FieldMatch>>;
}

/** An inclusive range of counts; no `max` means no upper bound. */
export interface CountRange {
  readonly min: number;
  readonly max?: number;
}

/**
 * A breakpoint: the session's own type (breakpoints.ts). A `symbol` is
 * resolved against the environment's image when it is set; an `exception`
 * keeps the name it was written with.
 */
export type BreakpointSpec = Breakpoint;

/** When a timeline step fires: at a cycle, an instruction count, or the `count`th matching event. */
export type Trigger =
  | { readonly kind: 'cycle'; readonly cycle: number }
  | { readonly kind: 'instructions'; readonly instructions: number }
  | { readonly kind: 'event'; readonly event: EventPattern; readonly count: number };

/** What a timeline step does. `key` and `pause` matter to the TUI and the recorder only. */
export type Action =
  | { readonly kind: 'kill'; readonly env: string }
  | { readonly kind: 'break'; readonly reason: string }
  | { readonly kind: 'key'; readonly keys: string }
  | { readonly kind: 'pause'; readonly ms: number }
  | { readonly kind: 'console'; readonly env: string; readonly text: string }
  | { readonly kind: 'revoke'; readonly env: string; readonly what: 'frames' | 'slices'; readonly count: number; readonly window: number }
  | { readonly kind: 'inject'; readonly packet: PacketSpec; readonly count: number; readonly every: number }
  | { readonly kind: 'breakpoint'; readonly breakpoint: BreakpointSpec };

/**
 * A frame to put on the wire towards the machine: raw bytes, or a UDP
 * datagram from the peer host to an address of the machine.
 */
export type PacketSpec =
  | { readonly kind: 'hex'; readonly bytes: string }
  | { readonly kind: 'udp'; readonly to: string; readonly port: number; readonly fromPort: number; readonly payload: string };

/** One timeline step. */
export interface TimelineStep {
  readonly at: Trigger;
  readonly action: Action;
  /** Cycles after which a cycle-triggered step fires again, and again (absent: once). */
  readonly every?: number;
}

/** When a replay ends. */
export interface RunSettings {
  /** 'idle': when no environment is runnable; a number: at that cycle. */
  readonly until: 'idle' | number;
  /** Safety bound; reaching it fails the run unless `until` is a cycle. */
  readonly maxCycles: number;
  /**
   * Where the live TUI stops: 'until' where replay does, 'forever' never
   * (replay, golden logs and recordings keep `until`; a living scenario
   * goes on at a terminal for as long as someone watches).
   */
  readonly live: 'forever' | 'until';
}

/** How `exoscope record` paces a cast (docs/recording.md). */
export interface RecordSettings {
  /** Emulated cycles shown in one second of the cast's virtual time. */
  readonly cyclesPerSecond: number;
}

/** Something checked when the run ends. */
export type Expectation =
  | { readonly kind: 'event'; readonly event: EventPattern; readonly count: CountRange }
  | { readonly kind: 'order'; readonly events: readonly EventPattern[] }
  | {
      readonly kind: 'env';
      readonly env: string;
      readonly state?: 'runnable' | 'destroyed';
      readonly console?: TextMatch;
      readonly frames?: CountRange;
    }
  | { readonly kind: 'invariant' }
  | { readonly kind: 'no-event'; readonly event: EventPattern };

/** A whole scenario, defaults filled in. */
export interface Scenario {
  /** The file name it was parsed under (as given). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly machine: MachineSettings;
  readonly environments: readonly Located<EnvironmentSpec>[];
  readonly timeline: readonly Located<TimelineStep>[];
  readonly breakpoints: readonly Located<BreakpointSpec>[];
  readonly run: RunSettings;
  readonly record: RecordSettings;
  readonly expect: readonly Located<Expectation>[];
}
