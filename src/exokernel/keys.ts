// The kernel's secrets and what it derives from them (issue 12, class 1).
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
// Everything is still fixed by the scenario's 32-bit seed (ARCHITECTURE.md,
// "Time and determinism"): the two secrets are themselves SipHash outputs
// of the seed under a fixed public key. The seed is therefore the secret
// a guest must not know; docs/protection.md says what that means.

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

/** SipHash-2-4 under `key` of the 16-byte message (tag, a, b, c), 32-bit words little-endian. */
function prf(key: SipKey, tag: number, a: number, b = 0, c = 0): Word64 {
  return sipHash24(key, new Uint8Array(new Uint32Array([tag, a, b, c]).buffer));
}

/** A 128-bit secret derived from `seed` for one domain: two PRF outputs. */
function secretOf(seed: number, domain: number): SipKey {
  const a = prf(DERIVE, domain, seed >>> 0, 0), b = prf(DERIVE, domain, seed >>> 0, 1);
  return [a.lo, a.hi, b.lo, b.hi];
}

/** What a checkpoint holds of a KeySource: the seed and how many have been issued. */
export interface KeySourceState {
  readonly seed: number;
  readonly issued: number;
}

/** The kernel's key and guest-seed streams. */
export class KeySource {
  private seed: number;
  private keySecret: SipKey;
  private seedSecret: SipKey;
  /** Environments given a key and a seed so far: the counter of both streams. */
  private issued = 0;

  /** The streams fixed by `seed` (a uint32). */
  constructor(seed: number) {
    this.seed = seed >>> 0;
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
    this.seed = s.seed >>> 0;
    this.keySecret = secretOf(this.seed, Domain.KeySecret);
    this.seedSecret = secretOf(this.seed, Domain.SeedSecret);
    this.issued = s.issued;
  }
}
