// Tab completion on the bottom line's prompts, as a shell or gdb does it:
// the word under the cursor (the last one) is completed from what can
// stand there: a command of the `:` line, an environment's name, an event
// kind, an exception's name, a symbol of the selected environment's image
// (the kernel's, on the monolithic kernel), a log filter's `kind:`/`env:`
// value. One choice completes the word and adds a space; several complete
// their longest common prefix, and when that adds nothing they are listed
// for the bottom line. Pure: the candidates come from the caller.

import { LINE_COMMANDS } from './commandline.js';
import { EVENT_KINDS, EXCEPTIONS } from './names.js';

/** What the words of a prompt can be completed from. */
export interface CompletionSource {
  /** Environment names. */
  readonly envs: readonly string[];
  /** Event kinds (the monolithic kernel's, on it; default the exokernel's). */
  readonly eventKinds?: readonly string[];
  /** Symbol names of environment `env`'s image (all environments' when undefined). */
  readonly symbols?: (env?: string) => readonly string[];
}

/** The answer: the prompt's new text, and the choices to show when the word is still ambiguous (empty otherwise). */
export interface Completion {
  readonly text: string;
  readonly choices: readonly string[];
}

/** The `:` line's verbs, as LINE_COMMANDS writes them ("continue | pause" is two), and their short forms. */
export const VERBS: readonly string[] = [...new Set(LINE_COMMANDS.flatMap((c) => c.usage.split(' | ').map((alt) => alt.trim().split(/\s+/)[0])))].sort();

/** What the word at position `index` (1: the first after the verb) of command `verb` can be, given the words before it. */
function candidates(verb: string, index: number, words: readonly string[], src: CompletionSource): readonly string[] {
  const envs = src.envs, kinds = src.eventKinds ?? EVENT_KINDS.map((k) => k.kind);
  const symbols = (env?: string) => src.symbols?.(env) ?? [];
  const envArg = (i: number) => (words[i] !== undefined && envs.includes(words[i]) ? words[i] : undefined);
  switch (verb) {
    case 'break': case 'b':
      if (index === 1) return ['exc', 'event', ...symbols()];
      if (words[1] === 'exc') return index === 2 ? EXCEPTIONS.map((e) => e.name) : index === 3 ? envs : [];
      if (words[1] === 'event') return index === 2 ? kinds : index === 3 ? envs : [];
      return index === 2 ? envs : [];
    case 'watch': case 'w':
      if (index === 1) return symbols();
      return index <= 3 ? [...(index === 2 ? envs : []), 'write', 'read', 'access'] : [];
    case 'x': return index === 1 ? envs : index === 2 ? symbols(envArg(1)) : [];
    case 'rwatch': return index === 1 ? [...envs, ...symbols()] : index === 2 ? symbols(envArg(1)) : [];
    case 'mem': case 'm': case 'until': case 'u': case 'advance': return index === 1 ? symbols() : [];
    case 'kill': case 'env': return index === 1 ? envs : [];
    case 'revoke': return index === 1 ? envs : index === 2 ? ['frames', 'slices'] : [];
    case 'rprev': return index === 1 ? kinds : [];
    case 'inject': return index === 1 ? ['udp', 'hex'] : [];
    case 'pace': return index === 1 ? ['max', 'real', '1/30'] : [];
    case 'delete': case 'd': return index === 1 ? ['all'] : [];
    case 'filter': return filterWords(src, kinds);
    default: return [];
  }
}

/** A log filter's completable words: `kind:<kind>` and `env:<name>`. */
function filterWords(src: CompletionSource, kinds: readonly string[]): readonly string[] {
  return [...kinds.map((k) => `kind:${k}`), ...src.envs.map((e) => `env:${e}`)];
}

/** The longest string every one of `words` starts with. */
export function commonPrefix(words: readonly string[]): string {
  if (!words.length) return '';
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Completes the last word of `text` on prompt `prompt` ('command': the
 * `:` line; 'break': `b`'s, the arguments of `break`; 'filter': `/`'s).
 * With nothing to offer, the text comes back unchanged and no choices.
 */
export function complete(prompt: 'command' | 'break' | 'filter', text: string, src: CompletionSource): Completion {
  const line = prompt === 'break' ? `break ${text}` : prompt === 'filter' ? `filter ${text}` : text;
  const words = line.split(/\s+/).filter((w) => w !== '');
  const last = words.length === 0 || /\s$/.test(line) ? '' : words.pop()!;
  const index = words.length;
  const from = index === 0 ? VERBS : candidates(words[0], index, [...words, last], src);
  const matches = [...new Set(from.filter((c) => c.startsWith(last)))].sort();
  if (!matches.length) return { text, choices: [] };
  const done = matches.length === 1 ? `${matches[0]} ` : commonPrefix(matches);
  if (done.length === last.length && matches.length > 1) return { text, choices: matches };
  return { text: text.slice(0, text.length - last.length) + done, choices: [] };
}
