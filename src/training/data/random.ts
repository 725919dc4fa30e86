// Deterministic randomness for the data pipeline. Every random choice of training sample k
// (which B image, crop offsets, flips) comes from a generator seeded by a hash of (seed, k,
// purpose), never from Math.random or a shared generator, so sample k is the same whether the
// stream started at 0 or resumed at k, and prefetching out of order changes nothing.

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of integers (each may use up to 53 bits: seeds and sample indices). */
export function hashIntegers(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    if (!Number.isSafeInteger(value)) throw new Error(`Random streams are keyed by whole numbers, not ${value}.`);
    const low = value >>> 0;
    const high = Math.floor(value / 0x100000000) >>> 0;
    h = mix32(h ^ low);
    h = mix32((h + 0x9e3779b9) ^ high);
  }
  return h;
}

/** mulberry32: a small, fast generator of floats in [0, 1) with a 32-bit state. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator for one purpose of one sample: a pure function of its key. */
export function keyedRandom(...key: number[]): () => number {
  return mulberry32(hashIntegers(...key));
}
