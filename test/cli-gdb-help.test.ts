// `exoscope gdbserver --help` gives the checkpoint spacing's default in
// words (src/cli/gdb.ts loads no session to print its help): it must be
// the session's own, CHECKPOINT_EVERY.

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addGdbServerCommand } from '../src/cli/gdb.js';
import { CHECKPOINT_EVERY } from '../src/session/index.js';

describe('exoscope gdbserver --help', () => {
  it("names the session's default checkpoint spacing", () => {
    const program = new Command('exoscope');
    addGdbServerCommand(program, () => {}, () => {});
    const help = program.commands.find((c) => c.name() === 'gdbserver')!.helpInformation();
    const said = /--checkpoint-every <cycles>[\s\S]*?\(default\s+([\d,]+),\s+the\s+session's\)/.exec(help);
    expect(said, help).not.toBeNull();
    expect(Number(said![1].replace(/,/g, ''))).toBe(CHECKPOINT_EVERY);
  });
});
