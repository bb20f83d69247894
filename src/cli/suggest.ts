// What the command line says about a first word that is no command: the
// default command (tui) takes a scenario file, so a mistyped command name
// would otherwise reach it as a file name ("too many arguments for 'tui'").

/** Edit distance (Levenshtein: insert, delete, substitute, each 1) between a and b. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The command `word` was probably meant to be, or undefined: a word that is
 * not a command, does not look like a file name (no dot, no slash), does not
 * name an existing file, and is within two edits of exactly one command.
 * Returns the nearest command (the first in `commands` on a tie).
 */
export function suggestCommand(word: string | undefined, commands: readonly string[], exists: (path: string) => boolean): string | undefined {
  if (word === undefined || word.startsWith('-') || commands.includes(word)) return undefined;
  if (/[./\\]/.test(word) || exists(word)) return undefined;
  let best: string | undefined;
  let bestD = 3;
  for (const c of commands) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}
