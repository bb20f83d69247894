import { describe, expect, it } from 'vitest';
import { editDistance, suggestCommand } from '../src/cli/suggest.js';

const COMMANDS = ['tui', 'record', 'run', 'replay', 'bench', 'gdbserver', 'disasm'];
const none = () => false;

describe('suggestCommand', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('replya', 'replay')).toBe(2);
    expect(editDistance('rplay', 'replay')).toBe(1);
    expect(editDistance('', 'run')).toBe(3);
    expect(editDistance('tui', 'tui')).toBe(0);
  });

  it('names the command a mistyped word was meant to be', () => {
    expect(suggestCommand('replya', COMMANDS, none)).toBe('replay');
    expect(suggestCommand('recrod', COMMANDS, none)).toBe('record');
    expect(suggestCommand('gdbsever', COMMANDS, none)).toBe('gdbserver');
    expect(suggestCommand('Bench', COMMANDS, none)).toBe('bench');
  });

  it('says nothing for a command, an option, a file name, an existing file or a word far from every command', () => {
    expect(suggestCommand('replay', COMMANDS, none)).toBeUndefined();
    expect(suggestCommand('--json', COMMANDS, none)).toBeUndefined();
    expect(suggestCommand('scenarios/replay.yaml', COMMANDS, none)).toBeUndefined();
    expect(suggestCommand('replya', COMMANDS, (p) => p === 'replya')).toBeUndefined();
    expect(suggestCommand('elephant', COMMANDS, none)).toBeUndefined();
    expect(suggestCommand(undefined, COMMANDS, none)).toBeUndefined();
  });
});
