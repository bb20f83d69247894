// Keys are data (STYLE.md rule 10): this one table gives every command its
// keys, its description and its handler id. The input handling, the help
// overlay and the footer legend are all read from it.

/** What a command does; `handleKey` (input.ts) switches on it. */
export type CommandId =
  | 'step' | 'stepOver' | 'finish' | 'untilCursor' | 'stepBack' | 'reverseContinue' | 'reverseNext' | 'travelTo' | 'continue' | 'pause' | 'faster' | 'slower' | 'restart'
  | 'breakMenu' | 'breakAt' | 'kill' | 'revoke' | 'inject'
  | 'envNext' | 'envPrev' | 'machineNext' | 'focusNext' | 'focusPrev' | 'focusPane' | 'zoom' | 'allEnvs' | 'mapIn' | 'mapOut'
  | 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom'
  | 'filter' | 'command' | 'help' | 'quit' | 'interrupt';

/** Groups of the help overlay, in order. */
export type CommandGroup = 'Run' | 'Breakpoints' | 'View' | 'Session';

export interface Command {
  readonly id: CommandId;
  /** Key names as `keysFromInput` (keys.ts) spells them. The first is shown. */
  readonly keys: readonly string[];
  readonly help: string;
  /** The footer's short label; commands without one stay out of the footer. */
  readonly legend?: string;
  /** Shown first in the footer, so that a narrow one still has it. */
  readonly pinned?: boolean;
  readonly group: CommandGroup;
}

/** The command table. Order is the footer's order and the help overlay's. */
export const COMMANDS: readonly Command[] = [
  { id: 'step', keys: ['s'], help: 'step one instruction (:step <n> steps n)', legend: 'step', group: 'Run' },
  { id: 'stepOver', keys: ['n'], help: 'step over a call (jal, jalr, bal, bgezal, bltzal)', legend: 'over', group: 'Run' },
  { id: 'finish', keys: ['f'], help: 'finish: run until the function the pc is in returns to its caller (:finish; found by the symbol table and the function\'s prologue, so recursion stops in the right frame)', legend: 'finish', group: 'Run' },
  { id: 'untilCursor', keys: ['u'], help: 'run to the cursor: until the pc reaches the instruction under the CPU pane\'s cursor (j/k move it), in the environment on the CPU (:until <addr|symbol> for any address)', legend: 'to-cursor', group: 'Run' },
  { id: 'stepBack', keys: ['S'], help: 'step back one instruction (:rstep <n> steps back n; :back <cycles> goes back that many cycles)', legend: 'back', group: 'Run' },
  { id: 'reverseNext', keys: ['N'], help: 'reverse-next: back one instruction, over a call that returned', legend: 'back-over', group: 'Run' },
  { id: 'reverseContinue', keys: ['C'], help: 'reverse-continue: back to the last breakpoint hit before now', legend: 'back-cont', group: 'Run' },
  { id: 'continue', keys: ['c'], help: 'continue running until a breakpoint or a pause', legend: 'cont', group: 'Run' },
  { id: 'pause', keys: ['space'], help: 'pause; cancel a reverse search (back to where it began; Esc, C-c too)', legend: 'pause', group: 'Run' },
  { id: 'faster', keys: ['+', '='], help: 'run faster: slow motion, fractions of real time (25 MHz in a wall-clock second), real time, maximum speed (:pace max|real|1/30 sets one); the status line shows the pace', legend: 'faster', group: 'Run' },
  { id: 'slower', keys: ['-'], help: 'run slower, down to slow motion of a few cycles a frame (the machine does the same work at every pace)', legend: 'slower', group: 'Run' },
  { id: 'restart', keys: ['r'], help: 'restart the scenario from the start (your kills, revocations and injections are forgotten; breakpoints stay); it runs on if it was running', legend: 'restart', group: 'Run' },
  { id: 'breakMenu', keys: ['e'], help: 'break on exceptions and event kinds: a menu to toggle them', legend: 'break-on', group: 'Breakpoints' },
  { id: 'breakAt', keys: ['b'], help: 'breakpoint at an address or symbol, optionally in one environment', legend: 'break', group: 'Breakpoints' },
  { id: 'revoke', keys: ['R'], help: 'revocation dialog: ask an environment (the selected one first) for frames or slices back within a window of cycles, after which the abort protocol takes them (asks first)', legend: 'revoke', group: 'Session' },
  { id: 'inject', keys: ['P'], help: 'inject packets: a dialog for UDP datagrams from the peer host (10.0.0.1) to an address and port of the machine, with a payload and a count (:inject hex <bytes> for raw frames)', legend: 'packet', group: 'Session' },
  { id: 'kill', keys: ['K'], help: 'kill the selected environment (asks first)', legend: 'kill', group: 'Session' },
  { id: 'envNext', keys: [']'], help: 'select the next environment', legend: 'env', group: 'View' },
  { id: 'envPrev', keys: ['['], help: 'select the previous environment', group: 'View' },
  { id: 'focusNext', keys: ['tab'], help: 'focus the next pane', group: 'View' },
  { id: 'focusPrev', keys: ['shift-tab'], help: 'focus the previous pane', group: 'View' },
  { id: 'focusPane', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'M-1', 'M-2', 'M-3', 'M-4', 'M-5', 'M-6', 'M-7', 'M-8', 'M-9', 'M-0'], help: 'focus pane 1 to 9 and 0 (Memory), by the number the tab bar and the pane titles show (Alt and the number works too)', legend: 'pane', group: 'View' },
  { id: 'zoom', keys: ['z'], help: 'zoom: the focused pane alone on the whole screen, and back', legend: 'zoom', group: 'View' },
  { id: 'allEnvs', keys: ['a'], help: 'TLB/STLB and Frames: every environment\'s mappings and frames, or the selected one\'s only', group: 'View' },
  { id: 'mapIn', keys: ['>'], help: 'Frames: zoom the map in (half the frames a character, down to one; the map follows the table\'s top row)', group: 'View' },
  { id: 'mapOut', keys: ['<'], help: 'Frames: zoom the map out (back to all of memory)', group: 'View' },
  { id: 'down', keys: ['j', 'down'], help: 'scroll down in the focused pane (in Envs and Slices: next environment; in CPU: the disassembly\'s cursor, which u runs to; in Memory: a line)', group: 'View' },
  { id: 'up', keys: ['k', 'up'], help: 'scroll up in the focused pane (in Envs and Slices: previous environment; in CPU: the disassembly\'s cursor; in Memory: a line)', group: 'View' },
  { id: 'pageDown', keys: ['pagedown'], help: 'scroll down a page', group: 'View' },
  { id: 'pageUp', keys: ['pageup'], help: 'scroll up a page', group: 'View' },
  { id: 'top', keys: ['g', 'home'], help: 'scroll to the top (CPU: the cursor back on the pc; Memory: back to the :mem address)', group: 'View' },
  { id: 'bottom', keys: ['G', 'end'], help: 'scroll to the bottom (the log and console follow new output there)', group: 'View' },
  { id: 'travelTo', keys: ['enter'], help: 'Log: time travel to the event j/k selected (G: follow the newest)', group: 'View' },
  { id: 'filter', keys: ['/'], help: 'filter the event log: words, kind:<kind>, env:<name> (empty clears)', legend: 'filter', group: 'View' },
  { id: 'command', keys: [':'], help: 'command line (:help lists the commands; Tab completes commands, environments, symbols and kinds, ↑ and ↓ recall earlier lines)', legend: 'cmd', group: 'Session' },
  { id: 'help', keys: ['?'], help: 'show or hide this help', legend: 'help', pinned: true, group: 'Session' },
  { id: 'quit', keys: ['q'], help: 'quit (asks first while the machine runs)', legend: 'quit', pinned: true, group: 'Session' },
  { id: 'interrupt', keys: ['ctrl-c'], help: 'quit at once (cancels a running reverse search instead)', group: 'Session' },
  { id: 'machineNext', keys: ['m'], help: 'several machines: show the next one in every pane', group: 'Session' },
];

const byKey = new Map<string, Command>(COMMANDS.flatMap((c) => c.keys.map((k) => [k, c] as const)));

/** The command bound to key name `key`, if any. */
export function commandFor(key: string): Command | undefined {
  return byKey.get(key);
}

/** How a key name is shown to a person: "space", "Tab", "Alt-1", "PgDn". */
export function keyLabel(key: string): string {
  const names: Record<string, string> = {
    space: 'space', tab: 'Tab', 'shift-tab': 'S-Tab', 'ctrl-c': 'C-c', down: '↓', up: '↑',
    pagedown: 'PgDn', pageup: 'PgUp', home: 'Home', end: 'End', enter: 'Enter', escape: 'Esc',
  };
  if (key.startsWith('M-')) return `Alt-${key.slice(2)}`;
  return names[key] ?? key;
}

/** The keys of `c` as shown in the help overlay ("j ↓", "1..8"). */
export function keysLabel(c: Command): string {
  if (c.id === 'focusPane') return '0..9';
  return c.keys.map(keyLabel).join(' ');
}

let legend: readonly string[] | undefined;

/** The footer's entries, "key label": pinned ones first, then in table order (worked out once: the table is fixed). */
export function legendEntries(): readonly string[] {
  if (legend) return legend;
  const shown = COMMANDS.filter((c) => c.legend);
  legend = [...shown.filter((c) => c.pinned), ...shown.filter((c) => !c.pinned)].map((c) => `${c.id === 'focusPane' ? keysLabel(c) : keyLabel(c.keys[0])} ${c.legend}`);
  return legend;
}

/** The help overlay's rows: group headings and "keys  description" rows. */
export function helpRows(): { group: CommandGroup; keys: string; help: string }[] {
  const order: CommandGroup[] = ['Run', 'Breakpoints', 'View', 'Session'];
  return order.flatMap((g) => COMMANDS.filter((c) => c.group === g).map((c) => ({ group: g, keys: keysLabel(c), help: c.help })));
}
