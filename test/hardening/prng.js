// A small seeded random number generator (mulberry32) for the fuzzer, the soak and the firmware's passive port
// picks, so that every run is repeatable from its seed. Engine-neutral.

export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = {
    /** [0, 1) */
    next,
    /** An integer in [0, n). */
    below: (n) => Math.floor(next() * n),
    /** An integer in [min, max]. */
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    /** A new generator drawn from this one (so adding a draw in one place does not shift another's sequence). */
    fork: () => createRandom(Math.floor(next() * 4294967296)),
  };
  return random;
}
