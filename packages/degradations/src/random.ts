/**
 * Seeded randomness in plain JavaScript, identical on every backend and every machine.
 *
 * Two kinds:
 * - `createRng(seed)`: a sequential generator for *sampling parameters* (kernel shapes, modes,
 *   qualities, ...). It is a SplitMix32-style counter walked forward: state += golden gamma,
 *   output = avalanche(state).
 * - Counter-based noise fields (`fillNormal`, `fillUniform`): the value at flat index i is a pure
 *   function of (key, i), so any noise tensor is fully determined by one integer seed stored in
 *   the degradation parameters. Normals use Box-Muller on two uniforms (both outputs used).
 */

/** 32-bit avalanche (the MurmurHash3 finaliser). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Derives an independent 32-bit key from a seed and any number of stream ids. */
export function deriveKey(seed: number, ...streams: number[]): number {
  let h = mix32((seed >>> 0) ^ 0x2545f491);
  for (const s of streams) h = mix32(h ^ mix32(Math.imul((s >>> 0) + 1, 0x9e3779b9)));
  return h;
}

/** A seeded sequential random generator (for parameter sampling only). */
export interface SeededRng {
  /** Uniform in [0, 1), 53-bit resolution. */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of `items`, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** An index drawn with the given probabilities (which sum to 1). */
  choice(probs: readonly number[]): number;
  /** A fresh 32-bit seed (for noise fields). */
  seed(): number;
}

/** Creates the parameter-sampling generator for an integer seed. */
export function createRng(seed: number): SeededRng {
  if (!Number.isInteger(seed)) throw new Error(`createRng: 'seed' must be an integer, got ${seed}`);
  let state = deriveKey(seed, 0x5eed);
  const next32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) ^ state);
  };
  const next = (): number => {
    const hi = next32() >>> 5; // 27 bits
    const lo = next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.min(n - 1, Math.floor(next() * n)),
    pick: (items) => items[Math.min(items.length - 1, Math.floor(next() * items.length))],
    choice: (probs) => {
      const u = next();
      let acc = 0;
      for (let i = 0; i < probs.length; i++) {
        acc += probs[i];
        if (u < acc) return i;
      }
      // Rounding: fall back to the last index with non-zero probability.
      for (let i = probs.length - 1; i >= 0; i--) if (probs[i] > 0) return i;
      return probs.length - 1;
    },
    seed: () => next32(),
  };
}

/** Uniform in (0, 1) at counter `i` of the field with key `key`. */
export function uniformAt(key: number, i: number): number {
  const h = mix32(
    mix32(Math.imul(i >>> 0, 0x9e3779b9) ^ key) + Math.imul(key, 0x27d4eb2f) + ((i / 4294967296) | 0),
  );
  return (h + 0.5) / 4294967296;
}

/** Fills `out` with uniforms in (0, 1): out[j] = U(key, start + j). */
export function fillUniform(key: number, out: Float32Array, start = 0): Float32Array {
  for (let j = 0; j < out.length; j++) out[j] = uniformAt(key, start + j);
  return out;
}

/**
 * Fills `out` with standard normals: pair (2m, 2m+1) comes from Box-Muller on the uniforms at
 * counters 2m and 2m+1 (r·cos and r·sin). `start` must be even to stay aligned with the pairs.
 */
export function fillNormal(key: number, out: Float32Array, start = 0): Float32Array {
  if (start % 2 !== 0) throw new Error(`fillNormal: 'start' must be even, got ${start}`);
  const n = out.length;
  for (let j = 0; j < n; j += 2) {
    const u1 = uniformAt(key, start + j);
    const u2 = uniformAt(key, start + j + 1);
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = 2 * Math.PI * u2;
    out[j] = r * Math.cos(a);
    if (j + 1 < n) out[j + 1] = r * Math.sin(a);
  }
  return out;
}
