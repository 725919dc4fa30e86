// The demo's sample data, one set of numbers for every place that writes or trains on it: the
// app's "Try it with sample folders" (samples:create), and `diptych demo`. The `demo` preset
// (run-config.ts) is sized for exactly these images, so they change together.

/** `stripes`: flat shapes (A) → the same shapes with stripes (B), with A's ground truth beside them. */
export const DEMO_SAMPLES = { kind: 'stripes', count: 64, size: 32, seed: 1 } as const;

/** The preset and model the sample folders are trained with. */
export const DEMO_PRESET = 'demo' as const;
export const DEMO_MODEL = 'cyclegan' as const;
