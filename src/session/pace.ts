// How fast a live debugger runs the machine: as fast as the host can, at
// the emulated clock's own rate (real time: 25 MHz of a DECstation
// 5000/200 in one wall-clock second), or a fraction of it, down to slow
// motion of a few instructions a frame. Pacing only decides how much of
// the same run is shown each moment: the machine executes the same
// instructions in the same order at every pace (a test proves it).

/** The paces, fastest first: the share of real time, Infinity for no limit. */
export const PACES: readonly number[] = [Infinity, 1, 1 / 3, 1 / 10, 1 / 30, 1 / 100, 1 / 1000, 1 / 10_000, 1 / 100_000, 1 / 1_000_000];

/**
 * The pace a person watching gets by default: 1/30 of real time, about
 * 830,000 cycles a second at 25 MHz: the time-slice vector turns about
 * 17 slices a second (one or two a frame), and the living scenario's
 * datagrams arrive every few seconds.
 */
export const DEFAULT_PACE = PACES.indexOf(1 / 30);

/** The index of pace maximum speed. */
export const MAX_PACE = 0;

/** Emulated cycles a host second at pace `index` on a `cpuHz` clock (Infinity: no limit). */
export function paceCyclesPerSecond(index: number, cpuHz: number): number {
  return PACES[index] * cpuHz;
}

/** Pace `index` moved `delta` steps towards slower (positive) or faster, kept in range. */
export function paceMoved(index: number, delta: number): number {
  return Math.max(0, Math.min(PACES.length - 1, index + delta));
}

const thousands = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A clock rate for people: "25 MHz", "833 kHz", "25 Hz". */
function rate(hz: number): string {
  if (hz >= 1e6) return `${+(hz / 1e6).toPrecision(3)} MHz`;
  if (hz >= 1e3) return `${+(hz / 1e3).toPrecision(3)} kHz`;
  return `${+hz.toPrecision(3)} Hz`;
}

/**
 * Pace `index` for the status line: "max", "real time", "1/30 (833 kHz)";
 * from slow motion on, the cycles each frame shows at `fps` frames a
 * second: "1/100,000 (~17 cycles a frame)".
 */
export function paceLabel(index: number, cpuHz: number, fps: number): string {
  const share = PACES[index];
  if (share === Infinity) return 'max';
  if (share === 1) return `real time (${rate(cpuHz)})`;
  const perFrame = (share * cpuHz) / fps;
  const text = `1/${thousands(1 / share)}`;
  return perFrame < 1000 ? `${text} (~${Math.max(1, Math.round(perFrame))} cycles a frame)` : `${text} (${rate(share * cpuHz)})`;
}

/**
 * Parses a pace as typed at `:pace`: "max", "real", "1/30", "30" (the same
 * as 1/30); undefined when it is none of the paces.
 */
export function parsePace(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/[,_]/g, '');
  if (t === 'max') return MAX_PACE;
  if (t === 'real' || t === '1' || t === '1/1') return PACES.indexOf(1);
  const m = /^(?:1\/)?(\d+)$/.exec(t);
  if (!m) return undefined;
  const i = PACES.findIndex((p) => p !== Infinity && Math.round(1 / p) === Number(m[1]));
  return i < 0 ? undefined : i;
}

/** The paces as `:pace` accepts them, for messages. */
export function paceChoices(): string {
  return PACES.map((p) => (p === Infinity ? 'max' : p === 1 ? 'real' : `1/${thousands(1 / p)}`)).join(' ');
}
