// The kernel's seeded pseudo-random generator (docs/architecture.md, "Time and
// determinism": no Math.random below the TUI). xorshift128 (Marsaglia 2003)
// seeded through splitmix32, so any 32-bit seed gives a good state.

/** A deterministic 32-bit generator. */
export class Prng {
  private s = new Uint32Array(4);

  /** A generator whose whole sequence is fixed by `seed`. */
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** The next value, 0..2^32-1. */
  next(): number {
    const s = this.s;
    let t = s[3];
    const u = s[0];
    s[3] = s[2]; s[2] = s[1]; s[1] = u;
    t ^= t << 11;
    t ^= t >>> 8;
    s[0] = (t ^ u ^ (u >>> 19)) >>> 0;
    return s[0];
  }

  /** The state, for checkpoints. */
  save(): number[] {
    return [...this.s];
  }

  /** Restores a state from `save()`. */
  restore(state: readonly number[]): void {
    this.s.set(state);
  }
}
