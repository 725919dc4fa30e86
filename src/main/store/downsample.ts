// Downsampling a loss series for a chart: min/max buckets. The step range is cut into
// maxPoints/2 equal buckets and each bucket keeps its lowest and its highest value, at the
// steps where they happened, in step order. Why this and not LTTB or a plain average: a GAN's
// losses are spiky, and the spikes (a discriminator collapse, a NaN about to happen) are what a
// person looks for; min/max keeps every peak and trough exactly at any run length, needs one
// pass and no floating-point area maths, and never returns more than maxPoints points. A
// bucket with only non-finite values keeps one null point, so the chart shows a gap there.

export interface Series {
  steps: number[];
  values: (number | null)[];
}

/** steps must be ascending; values[i] belongs to steps[i] (null: not finite). */
export function minMaxBuckets(
  steps: ArrayLike<number>,
  values: ArrayLike<number | null>,
  maxPoints: number,
  range?: { from: number; to: number },
): Series {
  const n = steps.length;
  if (maxPoints < 2) throw new Error('minMaxBuckets needs room for at least 2 points');
  if (n <= maxPoints) return { steps: Array.from(steps), values: Array.from(values) };
  const from = range?.from ?? (steps[0] as number);
  const to = range?.to ?? (steps[n - 1] as number);
  const buckets = Math.floor(maxPoints / 2);
  const width = (to - from + 1) / buckets;
  const out: Series = { steps: [], values: [] };
  let bucket = -1;
  let minAt = -1;
  let maxAt = -1;
  let nullAt = -1;
  const emit = () => {
    if (minAt < 0) {
      if (nullAt >= 0) {
        out.steps.push(steps[nullAt] as number);
        out.values.push(null);
      }
      return;
    }
    const first = Math.min(minAt, maxAt);
    const second = Math.max(minAt, maxAt);
    out.steps.push(steps[first] as number);
    out.values.push(values[first] as number);
    if (second !== first) {
      out.steps.push(steps[second] as number);
      out.values.push(values[second] as number);
    }
  };
  for (let i = 0; i < n; i++) {
    const b = Math.min(buckets - 1, Math.floor(((steps[i] as number) - from) / width));
    if (b !== bucket) {
      if (bucket >= 0) emit();
      bucket = b;
      minAt = -1;
      maxAt = -1;
      nullAt = -1;
    }
    const value = values[i];
    if (value === null || value === undefined) {
      if (nullAt < 0) nullAt = i;
      continue;
    }
    if (minAt < 0 || value < (values[minAt] as number)) minAt = i;
    if (maxAt < 0 || value > (values[maxAt] as number)) maxAt = i;
  }
  if (bucket >= 0) emit();
  return out;
}
