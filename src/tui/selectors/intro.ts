// The first screen: what the scenario is (its name and description), what
// is on the machine, where to look, and which key starts it. Shown over
// the panes until a key is pressed; the command table supplies the keys it
// names, so that it cannot name a key that does nothing.

import type { Snapshot } from '../../session/index.js';
import { clip, wrap } from '../format.js';
import { COMMANDS, keysLabel, type CommandId } from '../keymap.js';
import { PANE_TITLES, PANES, paneNumber, type PaneId } from '../layout.js';
import { MONO_TITLES } from './mono.js';

/** What each pane shows, in a few words, for the first screen. */
const PANE_WHAT: Readonly<Record<PaneId, string>> = {
  cpu: 'registers and code of the environment on the CPU',
  tlb: 'every mapping: TLB slot, STLB slot, owner, what just changed',
  envs: 'environments, their state, contexts and counters',
  frames: 'who owns physical memory, and through which capability',
  log: 'every kernel decision as it happens',
  console: 'what the selected environment printed',
  slices: 'the 128-slot time-slice vector and each share of the CPU',
  dpf: 'the packet filters, merged into one trie, with hit counts',
  scenario: 'what the scenario expects, and whether it holds so far',
  memory: 'the selected environment\'s memory as it sees it (:mem <addr|symbol> moves it)',
};

/** What each pane shows on the monolithic kernel (selectors/mono.ts). */
const MONO_WHAT: Readonly<Record<PaneId, string>> = {
  cpu: 'registers and code (the kernel\'s or the current process\'s, with its symbols)',
  tlb: 'the hardware TLB, each entry with its process (the STLB is exokernel-only)',
  envs: 'the kernel\'s process table and what it has counted',
  frames: 'exokernel-only (frame ownership and capabilities)',
  scenario: 'what the scenario expects, and whether it holds so far',
  log: 'the kernel\'s traps, system calls, exits and switches, read from its memory',
  console: 'what the kernel printed',
  slices: 'exokernel-only (the time-slice vector)',
  dpf: 'exokernel-only (the packet filters)',
  memory: 'the current process\'s memory, as the kernel sees it (:mem <addr|symbol>)',
};

export interface IntroLine { readonly text: string; readonly kind: 'title' | 'text' | 'heading' | 'key' }

/** The key(s) of command `id` as the help shows them. */
function key(id: CommandId): string {
  const c = COMMANDS.find((x) => x.id === id);
  return c ? keysLabel(c) : '?';
}

/**
 * The first screen's lines for scenario `title` with `description`, over
 * snapshot `s`, `width` columns wide and at most `height` lines: the
 * description and the keys first, then the environments at boot and the
 * panes by number. Where that is too tall (80x24 leaves 17 lines), the
 * blank lines go, the title joins the description and the line on closing
 * the screen joins the pace line; then the description is cut (with …; the
 * Scenario pane shows it whole), so that the keys and every pane are on it.
 */
export function selectIntro(title: string, description: string | undefined, s: Snapshot, width: number, height = Infinity): IntroLine[] {
  const w = Math.max(20, width);
  const text = (t: string): IntroLine[] => wrap(t, w).map((x) => ({ text: x, kind: 'text' as const }));
  const start = key('continue');
  const run = { text: clip(`Press ${start} to start the machine; ${key('pause')} pauses, ${key('step')} steps, ${key('help')} lists every key, ${key('quit')} quits.`, w), kind: 'key' as const };
  // What runs at boot, and the machines when there are several.
  const boot = [...text(machineLine(s)), ...(s.machines.length ? text(`Machines: ${s.machines.join(', ')}; the panes show ${s.machine}, and m shows the next (breakpoints and steps are ${s.machines[0]}'s).`) : [])];
  const panes = [{ text: 'Where to look (the number focuses the pane, z zooms it)', kind: 'heading' as const }, ...paneLines(s, w)];
  const tail = [...boot, ...panes];
  const full: IntroLine[] = [
    { text: clip(`Scenario ${title}`, w), kind: 'title' },
    ...text(description ?? 'No description.'),
    run,
    { text: clip(`${key('faster')} and ${key('slower')} change the pace (the status line shows it), ${key('restart')} restarts the scenario.`, w), kind: 'key' },
    { text: clip('Any other key closes this screen.', w), kind: 'text' },
    { text: '', kind: 'text' },
    ...boot,
    { text: '', kind: 'text' },
    ...panes,
  ];
  if (full.length <= height) return full;
  const keys = [{ text: clip(`Press ${start} to start; ${key('pause')} pauses, ${key('step')} steps, ${key('help')} lists every key, ${key('quit')} quits.`, w), kind: 'key' as const }, { text: clip(`${key('faster')} and ${key('slower')} change the pace, ${key('restart')} restarts; any other key closes this screen.`, w), kind: 'key' as const }];
  const about = wrap(`Scenario ${title}: ${description ?? 'no description.'}`, w);
  const room = Math.max(1, height - keys.length - tail.length);
  const cut = about.length > room ? [...about.slice(0, room - 1), clip(`${about[room - 1]} …`, w)] : about;
  return [...cut.map((t, i) => ({ text: t, kind: i === 0 ? 'title' as const : 'text' as const })), ...keys, ...tail];
}

/** The line on what runs at boot. */
function machineLine(s: Snapshot): string {
  if (s.mono) return `The monolithic kernel ${s.mono.image} boots bare metal with ${s.mono.args.join(' ')} as its first process; panes 4, 7 and 8 are exokernel-only.`;
  const live = s.envs.filter((e) => e.state !== 'destroyed').map((e) => e.name);
  return `${live.length} environment${live.length === 1 ? '' : 's'} at boot: ${live.join(', ') || 'none yet'}.`;
}

/** One line per pane: its number, title and what it shows. */
function paneLines(s: Snapshot, w: number): IntroLine[] {
  return PANES.map((p) => ({ text: clip(`  ${paneNumber(p)} ${(s.mono ? MONO_TITLES[p] ?? PANE_TITLES[p] : PANE_TITLES[p]).padEnd(9)} ${(s.mono ? MONO_WHAT : PANE_WHAT)[p]}`, w), kind: 'text' as const }));
}
