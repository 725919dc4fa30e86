// Scores one checkpoint on a fixed image set, in each direction its model translates
// (MODELS[model].directions, src/shared/models.ts): the translation of every image and, where the
// model also translates back, its cycle reconstruction (both written as tiles) with the
// reconstruction's L1 / PSNR / SSIM against the input; the identity L1 (G_A(b) against b, as in the
// identity loss) where the model has an identity pass; and, where the ground truth is known, the
// translation's L1 / PSNR / SSIM against it. A one-way model (CUT) gets A → B without a cycle and
// no B → A. Works through the Translator interface, so a CoGAN checkpoint (translation by latent
// inversion) is scored the same way.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Direction } from '../../shared/basics.ts';
import { type CheckpointScores, type DirectionScores, type ImageScores, PSNR_CAP_DB } from '../../shared/compare.ts';
import { MODELS } from '../../shared/models.ts';
import type { Translator } from '../inference/index.ts';
import { meanAbsoluteError, scoreImages, toUnitRange } from './metrics.ts';
import { writeTile } from './tiles.ts';

/** The images of a comparison, all size × size, in [−1, 1]. */
export interface CompareImages {
  A: tf.Tensor4D;
  B: tf.Tensor4D;
  /** Ground truth of A→B (for the A images) and B→A (for the B images), where known. */
  truth: { AtoB: tf.Tensor4D | null; BtoA: tf.Tensor4D | null };
}

/** Images per forward pass: memory stays flat whatever the sample size. */
const CHUNK = 4;

const reverse = (d: Direction): Direction => (d === 'AtoB' ? 'BtoA' : 'AtoB');

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function meanScores(list: ImageScores[]): ImageScores {
  return { l1: mean(list.map((s) => s.l1)), psnr: mean(list.map((s) => s.psnr)), ssim: mean(list.map((s) => s.ssim)) };
}

export async function unitScores(a: tf.Tensor4D, b: tf.Tensor4D): Promise<ImageScores[]> {
  const x = toUnitRange(a);
  const y = toUnitRange(b);
  try {
    return (await scoreImages(x, y)).map((s) => ({ ...s, psnr: Math.min(s.psnr, PSNR_CAP_DB) }));
  } finally {
    tf.dispose([x, y]);
  }
}

function chunk(batch: tf.Tensor4D, start: number): tf.Tensor4D {
  const count = Math.min(CHUNK, batch.shape[0] - start);
  return tf.slice(batch, [start, 0, 0, 0], [count, -1, -1, -1]);
}

export interface ScoreOptions {
  /** Folder for this checkpoint's tiles: A/<i>-translated.png, A/<i>-reconstructed.png, B/… */
  outDir: string;
  /** Called after each chunk: images done and total (every direction scored, identity passes included). */
  onProgress?: (done: number, total: number) => void;
  /** A CoGAN's pixel agreement, where the relation is known (null otherwise). */
  agreement?: () => Promise<CheckpointScores['agreement']>;
}

export async function scoreCheckpoint(
  translator: Translator,
  images: CompareImages,
  options: ScoreOptions,
): Promise<CheckpointScores> {
  const started = performance.now();
  const facts = MODELS[translator.model];
  const offers = (d: Direction) => facts.directions.includes(d);
  if (!offers('AtoB'))
    throw new Error(`${facts.label} checkpoints do not translate A → B, which Compare scores first.`);
  const withIdentity = facts.identityPass;
  const count = (domain: 'A' | 'B') => images[domain].shape[0];
  // Each direction translates its source images, then (with an identity pass) its target images.
  const total = (['AtoB', 'BtoA'] as const)
    .filter(offers)
    .reduce(
      (sum, d) => sum + count(d === 'AtoB' ? 'A' : 'B') + (withIdentity ? count(d === 'AtoB' ? 'B' : 'A') : 0),
      0,
    );
  let done = 0;
  const advance = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };

  async function direction(d: Direction): Promise<DirectionScores> {
    const domain = d === 'AtoB' ? 'A' : 'B';
    const inputs = images[domain];
    const truth = images.truth[d];
    // The round trip needs the reverse generator: a one-way model has none.
    const withCycle = offers(reverse(d));
    const perImage: DirectionScores['perImage'] = [];
    const translated: string[] = [];
    const reconstructed: string[] = [];
    for (let start = 0; start < inputs.shape[0]; start += CHUNK) {
      const x = chunk(inputs, start);
      const fake = await translator.translate(x, d);
      let rec: tf.Tensor4D | null = null;
      const truthChunk = truth ? chunk(truth, start) : null;
      try {
        rec = withCycle ? await translator.translate(fake, reverse(d)) : null;
        const cycle = rec ? await unitScores(rec, x) : null;
        const versusTruth = truthChunk ? await unitScores(fake, truthChunk) : null;
        for (let i = 0; i < x.shape[0]; i++) {
          const index = start + i;
          const fakeFile = path.join(options.outDir, domain, `${index}-translated.png`);
          await writeTile(fake, i, fakeFile);
          translated.push(fakeFile);
          if (rec) {
            const recFile = path.join(options.outDir, domain, `${index}-reconstructed.png`);
            await writeTile(rec, i, recFile);
            reconstructed.push(recFile);
          }
          perImage.push({
            cycle: cycle ? (cycle[i] as ImageScores) : null,
            truth: versusTruth ? (versusTruth[i] as ImageScores) : null,
          });
        }
        advance(x.shape[0]);
      } finally {
        tf.dispose([x, fake, ...(rec ? [rec] : []), ...(truthChunk ? [truthChunk] : [])]);
      }
    }
    // Identity: G for this direction applied to images already of its target domain.
    const identityPerImage: number[] = [];
    if (withIdentity) {
      const targets = images[domain === 'A' ? 'B' : 'A'];
      for (let start = 0; start < targets.shape[0]; start += CHUNK) {
        const y = chunk(targets, start);
        const same = await translator.translate(y, d);
        const yUnit = toUnitRange(y);
        const sameUnit = toUnitRange(same);
        try {
          identityPerImage.push(...(await meanAbsoluteError(sameUnit, yUnit)));
          advance(y.shape[0]);
        } finally {
          tf.dispose([y, same, yUnit, sameUnit]);
        }
      }
    }
    return {
      direction: d,
      cycle: withCycle ? meanScores(perImage.map((p) => p.cycle as ImageScores)) : null,
      identityL1: withIdentity ? mean(identityPerImage) : null,
      truth: truth ? meanScores(perImage.map((p) => p.truth as ImageScores)) : null,
      perImage,
      identityPerImage,
      translated,
      reconstructed,
    };
  }

  const AtoB = await direction('AtoB');
  const BtoA = offers('BtoA') ? await direction('BtoA') : null;
  const agreement = options.agreement ? await options.agreement() : null;
  return {
    model: translator.model,
    step: translator.step,
    size: images.A.shape[1],
    AtoB,
    BtoA,
    agreement,
    seconds: (performance.now() - started) / 1000,
  };
}
