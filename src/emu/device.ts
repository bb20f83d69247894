// The contract between the machine and its devices (after v86's io.js and
// MAME's device model): a device claims address ranges on the bus, answers
// reads and writes of 1, 2 or 4 bytes at offsets inside its range, raises
// interrupt lines the machine wired for it, says when it next needs service
// in CPU cycles, and saves and restores its whole state.
//
// Devices never see the CPU. Time is the CPU cycle counter at a nominal
// 25 MHz, read through a Clock; nothing here reads the host clock.

/** Width of a bus access in bytes. */
export type AccessSize = 1 | 2 | 4;

/** The emulated time base, in CPU cycles since reset. */
export interface Clock {
  /** Cycles since reset; exact at every device access and every tick. */
  now(): number;
}

/** One interrupt line, wired by the machine to a Cause.IP bit or a CSR bit. */
export interface IrqLine {
  /** Drive the line: true asserts it, false releases it (level-triggered). */
  set(level: boolean): void;
}

/** A trace event from the machine layer: plain data, JSON-serializable. */
export interface MachineEvent {
  readonly kind: string;
  readonly cycle: number;
  readonly [field: string]: unknown;
}

/** Where the machine's trace events go. */
export type TraceSink = (event: MachineEvent) => void;

/** A device on the DECstation's bus. */
export interface Device {
  /** Short stable name used in trace events and saved state ("rtc", "dc7085"). */
  readonly name: string;
  /**
   * Read `size` bytes at byte `offset` inside the device's region. Returns the
   * value zero-extended to 32 bits (little-endian within the word). A register
   * the device does not implement reads as 0; the device may emit a trace event.
   */
  read(offset: number, size: AccessSize): number;
  /** Write the low `size` bytes of `value` at byte `offset`. */
  write(offset: number, size: AccessSize, value: number): void;
  /**
   * The absolute cycle at which the device next needs `tick`, or Infinity.
   * The machine runs the CPU no further than the minimum over all devices.
   */
  nextEvent(): number;
  /** Service the device at cycle `now` (>= the nextEvent it announced). */
  tick(now: number): void;
  /** The device's whole state as plain JSON-serializable data. */
  save(): unknown;
  /** Restore a state returned by `save()` of the same device kind. */
  restore(state: unknown): void;
}
