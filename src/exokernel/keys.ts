// The kernel's secrets and what it derives from them (docs/protection.md, "Keys").
// An environment's key (Info.KEY_LO/HI: the capability of the frames the
// kernel allocates for it at creation, which ExOS then uses for every frame
// it allocates) must be unguessable from anything a guest can read. So
// keys are not the outputs of a generator whose state the outputs reveal:
// each is SipHash-2-4 (siphash.ts), a keyed PRF, of a domain tag and a
// counter, under a 128-bit secret that lives only in this object, never in
// guest memory. The 64 bits of seed a guest gets for its own use
// (Info.SEED_LO/HI) come from a second, independently keyed stream, so
// they say nothing about any key either.
//
// Everything is still fixed by the scenario's seed (docs/architecture.md,
// "Time and determinism"): the two secrets are themselves SipHash outputs of the
// seed, all of its bits (up to 128), under a fixed public key. The seed is
// therefore the secret a guest must not know; docs/protection.md says what
// that means and why a scenario running untrusted guests wants a wide one.

import { sipHash24, type SipKey, type Word64 } from './siphash.js';

/** Domain tags: the first word of every message, so that no two uses share an input. */
const Domain = {
  /** Deriving the capability-key secret from the seed. */
  KeySecret: 0x6b657931,
  /** Deriving the guest-seed secret from the seed. */
  SeedSecret: 0x73656431,
  /** An environment's key: (domain, counter). */
  EnvKey: 0x656e766b,
  /** An environment's guest seed: (domain, counter). */
  GuestSeed: 0x67736564,
} as const;

/** The public key of the derivation from the seed: "exoscope-secret!" in ASCII (not a secret). */
const DERIVE: SipKey = [0x736f7865, 0x65706f63, 0x6365732d, 0x21746572];

/** SipHash-2-4 under `key` of the message (tag, ...words), 32-bit words little-endian. */
function prf(key: SipKey, tag: number, ...words: number[]): Word64 {
  const m = [tag, ...words];
  while (m.length < 4) m.push(0);
  return sipHash24(key, new Uint8Array(new Uint32Array(m).buffer));
}

/**
 * A scenario's seed: a uint32, or a string of up to 128 bits in hex
 * ("0x" and 1 to 32 hex digits). A string whose value fits in 32 bits is
 * the same seed as that number.
 */
export type Seed = number | string;

/** The most hex digits a seed string may have (128 bits). */
export const SEED_HEX_DIGITS = 32;

/** The pattern of a hex seed. */
export const SEED_HEX = /^0x[0-9a-fA-F]{1,32}$/;

/**
 * The seed's 128 bits as four uint32 words, least significant first.
 * Throws RangeError on a number that is not a uint32 or a string that is
 * not SEED_HEX (the scenario schema refuses both first).
 */
export function seedWords(seed: Seed): [number, number, number, number] {
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`Seed ${seed} is not a uint32`);
    return [seed, 0, 0, 0];
  }
  if (!SEED_HEX.test(seed)) throw new RangeError(`Seed "${seed}" is not 0x and 1 to ${SEED_HEX_DIGITS} hex digits`);
  const hex = seed.slice(2).padStart(SEED_HEX_DIGITS, '0');
  const w = (i: number) => parseInt(hex.slice(SEED_HEX_DIGITS - 8 * (i + 1), SEED_HEX_DIGITS - 8 * i), 16);
  return [w(0), w(1), w(2), w(3)];
}

/**
 * A 128-bit secret derived from `seed` for one domain: two PRF outputs
 * over every bit of the seed. A seed of 32 bits gives the 16-byte message
 * (domain, seed, i) it always did, so the keys of existing scenarios, and
 * their event logs, are unchanged; a wider one, the 24-byte message
 * (domain, its four words, i), never equal to a 16-byte one.
 */
function secretOf(seed: Seed, domain: number): SipKey {
  const [w0, w1, w2, w3] = seedWords(seed);
  const wide = (w1 | w2 | w3) !== 0;
  const out = (i: number) => (wide ? prf(DERIVE, domain, w0, w1, w2, w3, i) : prf(DERIVE, domain, w0, i));
  const a = out(0), b = out(1);
  return [a.lo, a.hi, b.lo, b.hi];
}

/** What a checkpoint holds of a KeySource: the seed and how many have been issued. */
export interface KeySourceState {
  readonly seed: Seed;
  readonly issued: number;
}

/** The kernel's key and guest-seed streams. */
export class KeySource {
  private seed: Seed;
  private keySecret: SipKey;
  private seedSecret: SipKey;
  /** Environments given a key and a seed so far: the counter of both streams. */
  private issued = 0;

  /** The streams fixed by `seed`. Throws RangeError on a malformed seed (seedWords). */
  constructor(seed: Seed) {
    this.seed = seed;
    this.keySecret = secretOf(this.seed, Domain.KeySecret);
    this.seedSecret = secretOf(this.seed, Domain.SeedSecret);
  }

  /**
   * The key and the guest seed of the next environment: the counter's
   * PRF outputs under the two secrets. Each call gives a new pair.
   */
  next(): { key: Word64; seed: Word64 } {
    const n = this.issued++;
    return { key: prf(this.keySecret, Domain.EnvKey, n), seed: prf(this.seedSecret, Domain.GuestSeed, n) };
  }

  /** The state, for checkpoints (the secrets are derived again from the seed). */
  save(): KeySourceState {
    return { seed: this.seed, issued: this.issued };
  }

  /** Restores a state from `save()`. */
  restore(s: KeySourceState): void {
    this.seed = s.seed;
    this.keySecret = secretOf(this.seed, Domain.KeySecret);
    this.seedSecret = secretOf(this.seed, Domain.SeedSecret);
    this.issued = s.issued;
  }
}
