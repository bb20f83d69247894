// The parsed form of a scenario file (docs/scenarios.md): plain, read-only,
// serializable data. Environments are named, never numbered: the session maps
// names to environment ids when it creates them. Every environment, step,
// breakpoint and expectation carries the place it was written, so a later
// failure can say "expectation at scenarios/x.yaml:30 failed: ...".

import type { KernelEventKind, Seed } from '../exokernel/index.js';
import type { Breakpoint } from './breakpoints.js';
import type { MonoEventKind } from '../monolithic/index.js';

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
  /** The kernel's secret (keys.ts): a uint32, or up to 128 bits as a hex string ("0x..."). */
  readonly seed: Seed;
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
  | {
      readonly kind: 'udp'; readonly to: string; readonly port: number; readonly fromPort: number; readonly payload: string;
      /** The machine whose Ethernet address it goes to (several machines: the step's; absent: the first). */
      readonly machine?: string;
    };

/** One timeline step. */
export interface TimelineStep {
  readonly at: Trigger;
  readonly action: Action;
  /** Cycles after which a cycle-triggered step fires again, and again (absent: once). */
  readonly every?: number;
  /** The machine it is about (its events, instructions, environments); absent: the first. */
  readonly machine?: string;
}

/** One DECstation of the scenario, with its own exokernel and environments, or (`mono`) the monolithic kernel. */
export interface MachineSpec {
  /** Its name; "decstation" for the one machine of a scenario without `machines`. */
  readonly name: string;
  readonly settings: MachineSettings;
  /** Its Ethernet address, "08:00:2b:95:12:03" for the first unless given (the next ones count up). */
  readonly mac: string;
  /** Its environments (none when it runs the monolithic kernel). */
  readonly environments: readonly Located<EnvironmentSpec>[];
  /** Set when it runs the monolithic kernel (`kernel: monolithic`; never the first machine). */
  readonly mono?: MonoMachine;
}

/** The monolithic kernel (src/mono) booted bare metal with `program` and `args` as its first process (the kernel's argv[1..]). */
export interface MonoMachine {
  /** The image as written (default "mono"). */
  readonly image: string;
  /** The image file, resolved as an environment's is. */
  readonly imagePath: string;
  /** The first process's program: a name in the kernel's file table (initfs.S). */
  readonly program: string;
  readonly args: readonly string[];
  /** Where `program` was written, for errors found when the image is read. */
  readonly source: SourceLocation;
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

/** Something checked when the run ends, about one machine (`machine`; absent: the first). */
export type Expectation = ExpectationBody & { readonly machine?: string };

/** What an expectation checks. */
export type ExpectationBody =
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
  | { readonly kind: 'no-event'; readonly event: EventPattern }
  /** An expectation about a machine that runs the monolithic kernel (its `machine` names it): on its own events and console. */
  | { readonly kind: 'mono'; readonly check: MonoExpectation };

/** An event pattern of the monolithic kernel's events (MONO_EVENTS in mono-events.ts). */
export interface MonoEventPattern {
  readonly kind: MonoEventKind;
  readonly fields: Readonly<Record<string, FieldMatch>>;
}

/** Something checked when a monolithic kernel's run ends. */
export type MonoExpectation =
  | { readonly kind: 'event'; readonly event: MonoEventPattern; readonly count: CountRange }
  | { readonly kind: 'order'; readonly events: readonly MonoEventPattern[] }
  | { readonly kind: 'no-event'; readonly event: MonoEventPattern }
  | { readonly kind: 'console'; readonly console: TextMatch };

/** The machine of a scenario with `kernel: monolithic` (MonoMachine), with its run limit, breakpoints and expectations. */
export interface MonoSpec extends MonoMachine {
  /** When the run ends: at the halt (the first process exited) or at a cycle. */
  readonly until: 'halt' | number;
  readonly breakpoints: readonly Located<BreakpointSpec>[];
  readonly expect: readonly Located<MonoExpectation>[];
}

/** A whole scenario, defaults filled in. */
export interface Scenario {
  /** The file name it was parsed under (as given). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** The first machine's settings and environments (the whole scenario's, without `machines`). */
  readonly machine: MachineSettings;
  readonly environments: readonly Located<EnvironmentSpec>[];
  /** Every machine, the first first: one for a scenario without `machines`. */
  readonly machines: readonly MachineSpec[];
  readonly timeline: readonly Located<TimelineStep>[];
  readonly breakpoints: readonly Located<BreakpointSpec>[];
  readonly run: RunSettings;
  readonly record: RecordSettings;
  readonly expect: readonly Located<Expectation>[];
  /**
   * Set for `kernel: monolithic`: the machine runs the monolithic kernel,
   * and environments, timeline, breakpoints and expect are empty (the
   * kernel's own are here).
   */
  readonly mono?: MonoSpec;
  /** Set when the scenario is a row of `exoscope bench --paper` (docs/scenarios.md, "paper"). */
  readonly paper?: PaperSpec;
}

/**
 * A row of `exoscope bench --paper`: the scenario's environments run the
 * benchmark, `measured` brackets its timed loop with two null system calls
 * (four with a baseline), and the paper's figures sit beside what it
 * measures. `monolithic` is the same program's run on the monolithic kernel
 * (mono.elf's arguments), or why there is none.
 */
export interface PaperSpec {
  readonly operation: string;
  readonly measured: string;
  readonly iterations: number;
  /** The paper's figures in microseconds (DEC5000/125 ExOS on Aegis, and Ultrix), where it has them. */
  readonly exos?: number;
  readonly ultrix?: number;
  /** Marks 3 and 4 bracket the same loop without the operation; their window is subtracted. */
  readonly baseline: boolean;
  /** Exactly what the window holds, for the table's notes and the JSON. */
  readonly window: string;
  readonly monolithic: { readonly args: readonly string[]; readonly wire: boolean } | { readonly none: string };
}
