// Deterministic randomness for the engine: every random choice of step k is drawn from a
// generator seeded by (run seed, purpose, k), so resuming at step k replays exactly what an
// uninterrupted run would have done — no generator state to save in checkpoints.
export type Random = () => number;

/** mulberry32: small, fast, and the same numbers on every machine. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: a seed for one purpose at one index. */
export function deriveSeed(seed: number, purpose: string, index: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (const char of `${purpose}:${index}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}
