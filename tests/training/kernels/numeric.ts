// Numeric helpers of the kernel tests (wasm pack and WGSL pack alike).

/** Deterministic values in [-1, 1) (mulberry32). */
export function rand(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** max_i |a_i − ref_i| / max(1, max_i |ref_i|); NaN anywhere fails. */
export function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`length ${a.length} vs ${ref.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs((a[i] as number) - (ref[i] as number));
    if (!(d <= maxDiff)) maxDiff = d; // NaN propagates as a failure
    maxRef = Math.max(maxRef, Math.abs(ref[i] as number));
  }
  return maxDiff / Math.max(1, maxRef);
}
