import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/session/index.js';
import { checkKeyTrack, keyBytes, parseKeyText } from '../../src/tui/keytrack.js';

/** A scenario whose timeline has one key step per text, from line 5 on (two lines each). */
function withKeys(...texts: string[]) {
  const steps = texts.map((t) => `  - at: { cycle: 0 }\n    do: { key: ${JSON.stringify(t)} }\n`).join('');
  return parseScenario(`name: t\nenvironments:\n  - { name: walker, image: exos-hello }\ntimeline:\n${steps}`, 'scenarios/t.yaml');
}

describe('parseKeyText', () => {
  it('reads each character as its key, a space as space, and <name> as a named key', () => {
    expect(parseKeyText('10s c')).toEqual({ keys: ['1', '0', 's', 'space', 'c'] });
    expect(parseKeyText('<M-2>:tlb<Enter><esc><s-tab><lt><C-c>')).toEqual({ keys: ['M-2', ':', 't', 'l', 'b', 'enter', 'escape', 'shift-tab', '<', 'ctrl-c'] });
  });

  it('says which key name it does not know, and when a < is never closed', () => {
    expect(parseKeyText('a<entr>')).toEqual({ error: expect.stringMatching(/^unknown key <entr> \(known: <enter> <esc> /) });
    expect(parseKeyText('x<tab')).toEqual({ error: '"<" at column 2 opens a key name that is never closed (write <lt> for a "<")' });
  });
});

describe('checkKeyTrack', () => {
  it('accepts commands of the command table, pane digits, and anything typed into a prompt', () => {
    expect(checkKeyTrack(withKeys('s', 'c<space>', ':break exc TLBL<enter>', '/kind:stlb-hit<enter>', '<M-5>G', '2z'))).toEqual([]);
  });

  it('carries the mode from one step to the next (a menu opened in one, used in the next)', () => {
    expect(checkKeyTrack(withKeys('e', 'jx<esc>', ':', 'zz<enter>'))).toEqual([]);
  });

  it('names the file, line and step of a key no command is bound to', () => {
    expect(checkKeyTrack(withKeys('s', 'sZ', 'Qs'))).toEqual([
      'scenarios/t.yaml:7: timeline[1].do.key "sZ": no command is bound to "Z" (the TUI\'s ? lists the keys)',
      'scenarios/t.yaml:9: timeline[2].do.key "Qs": no command is bound to "Q" (the TUI\'s ? lists the keys)',
    ]);
  });

  it('reports an unknown <name>, and checks no keys after a quit', () => {
    expect(checkKeyTrack(withKeys('<tabb>'))[0]).toMatch(/^scenarios\/t\.yaml:5: timeline\[0\]\.do\.key "<tabb>": unknown key <tabb>/);
    expect(checkKeyTrack(withKeys('q', 'zzz'))).toEqual([]);
  });
});

describe('keyBytes', () => {
  it('gives what a terminal sends for each key, so that Ink reads the same key back', () => {
    expect(['s', 'space', 'enter', 'escape', 'tab', 'shift-tab', 'backspace', 'M-5', 'up', 'pagedown', 'ctrl-c'].map(keyBytes))
      .toEqual(['s', ' ', '\r', '\x1b', '\t', '\x1b[Z', '\x7f', '\x1b5', '\x1b[A', '\x1b[6~', '\x03']);
  });
});
