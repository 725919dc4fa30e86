// A decoded image in the networks' terms, kept in JavaScript memory rather than as a tensor: a
// 6000×4000 photo is 288 MB of floats, more than a wasm backend can hold next to a network's
// activations, so only the region being translated ever becomes a tensor.

/** HWC float32 RGB in [-1, 1]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Index into 0..n-1 of i reflected at both ends as often as needed (…2 1 0 1 2 … n-2 n-1 n-2 …). */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/**
 * The height × width region whose top-left corner is (top, left), as HWC floats; where it reaches
 * outside the image it is filled by reflection, which is how the networks pad (no dark border).
 */
export function extractRegion(image: RgbImage, top: number, left: number, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width * 3);
  const columns = new Int32Array(width);
  for (let x = 0; x < width; x++) columns[x] = reflectIndex(left + x, image.width) * 3;
  for (let y = 0; y < height; y++) {
    const row = reflectIndex(top + y, image.height) * image.width * 3;
    const to = y * width * 3;
    if (left >= 0 && left + width <= image.width) {
      out.set(image.data.subarray(row + left * 3, row + (left + width) * 3), to);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const from = row + (columns[x] as number);
      out[to + x * 3] = image.data[from] as number;
      out[to + x * 3 + 1] = image.data[from + 1] as number;
      out[to + x * 3 + 2] = image.data[from + 2] as number;
    }
  }
  return out;
}

/** Rounds up to a multiple of m. */
export function roundUp(value: number, m: number): number {
  return Math.ceil(value / m) * m;
}
