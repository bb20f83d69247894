import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';

const SCENARIO = join(resolve(import.meta.dirname), 'scenarios', 'ash-leak.yaml');

describe('the ASH sandbox between environments', () => {
  it('gives the next environment\'s ASH none of a load in flight, HI/LO or the registers one cut off by its budget left behind', () => {
    let out = '', err = '';
    const status = replayCommand(SCENARIO, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    expect(err).toBe('ash-leak: 5 expectations: 5 hold\n');
    expect(out).not.toMatch(/found 0x/);
    expect(out).toMatch(/ash-leak ok read/);
    expect(out).toMatch(/the reading ASH ran 6 times; 0 registers held another's data/);
    expect(status).toBe(0);
  });
});
