// The three sample domain pairs. Each kind turns one random scene into its A rendering and
// into its B rendering; the B rendering of an A scene is that image's ground truth. A and B
// folders hold different scenes (unpaired), exactly the situation CycleGAN is for.
import { createRandom, streamSeed } from './random.ts';
import { flatFill, renderScene, stripedFill } from './render.ts';
import { type Rgb, randomScene } from './scene.ts';

export const SAMPLE_KINDS = ['palette', 'stripes', 'negative'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export const SAMPLE_KIND_HELP: Record<SampleKind, string> = {
  palette: 'colour remapping (R,G,B) → (1−B, R, G): a tiny network learns it in about a minute; for tests',
  stripes: 'flat shapes → the same shapes with stripes along their outlines (horse → zebra in miniature); for the demo',
  negative: 'B = 1 − A, the photographic negative',
};

const SHAPE_PALETTE: readonly Rgb[] = [
  [0.85, 0.2, 0.15],
  [0.15, 0.45, 0.85],
  [0.95, 0.7, 0.1],
  [0.2, 0.65, 0.3],
  [0.55, 0.25, 0.7],
];

const STRIPES_BACKGROUND: Rgb = [0.9, 0.9, 0.86];

/** The palette kind's per-pixel map; invertible, so the cycle can be learnt too. */
export function paletteMap(r: number, g: number, b: number): Rgb {
  return [255 - b, r, g];
}

function mapPixels(pixels: Uint8Array, map: (r: number, g: number, b: number) => Rgb): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 3) {
    const [r, g, b] = map(pixels[i] as number, pixels[i + 1] as number, pixels[i + 2] as number);
    out[i] = r;
    out[i + 1] = g;
    out[i + 2] = b;
  }
  return out;
}

/** Renders one scene of the kind as it looks in domain A and in domain B. */
function renderBoth(kind: SampleKind, sceneSeed: number, size: number): { a: Uint8Array; b: Uint8Array } {
  const drawn = randomScene(createRandom(sceneSeed), SHAPE_PALETTE);
  // Stripes have one light background for every picture: the demo's small network then spends
  // its few minutes on the stripes rather than on carrying each picture's own background colour
  // through (measured: +2.5 dB over the best trivial answer at step 768, against +1.2 dB with
  // random backgrounds; docs/TRAINING.md, "The demo preset").
  const scene = kind === 'stripes' ? { ...drawn, background: STRIPES_BACKGROUND } : drawn;
  const a = renderScene(scene, size, flatFill);
  switch (kind) {
    case 'palette':
      return { a, b: mapPixels(a, paletteMap) };
    case 'stripes':
      return { a, b: renderScene(scene, size, stripedFill) };
    case 'negative':
      return { a, b: mapPixels(a, (r, g, b) => [255 - r, 255 - g, 255 - b]) };
  }
}

export interface SampleTriple {
  /** Image i of domain A. */
  a: Uint8Array;
  /** Image i of domain B: a different scene from a's. */
  b: Uint8Array;
  /** Domain A's image i as domain B would show it: the ground truth for A→B. */
  truth: Uint8Array;
}

/** RGB pixels (size × size × 3) of sample i. Deterministic in (kind, seed, index, size). */
export function renderSample(kind: SampleKind, seed: number, index: number, size: number): SampleTriple {
  const fromA = renderBoth(kind, streamSeed(seed, `${kind}/A`, index), size);
  const fromB = renderBoth(kind, streamSeed(seed, `${kind}/B`, index), size);
  return { a: fromA.a, b: fromB.b, truth: fromA.b };
}
