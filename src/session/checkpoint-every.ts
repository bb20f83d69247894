// The session's default checkpoint spacing (`exoscope gdbserver --help`
// gives it in words: test/cli-gdb-help.test.ts keeps the two the same).

/**
 * Cycles between the session's checkpoints near now, by default (sparser
 * further back: checkpoints.ts). A step back restores the one before and
 * replays at most this far: at about 400 million cycles a second, some
 * 1.3 ms (bench/travel.mjs: one instruction back from the end of
 * attacker.yaml, medians of 3.9 and 6.6 ms in two runs where 250,000
 * gave 3.6 ms). At the TUI's
 * fastest pace, taking them twice as often cost living.yaml about a tenth
 * of its speed (warm, 100M cycles with the event history: 200 to 250 ms
 * against 190 to 220; headless, 110 to 150). gdb's server has always used
 * this spacing.
 */
export const CHECKPOINT_EVERY = 500_000;
