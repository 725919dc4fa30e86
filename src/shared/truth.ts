// How close a run's translations come to a known ground truth, beside the trivial answers it must
// beat. A run gets these when its A folder has a `truth` folder beside it holding, under the same
// file names, what each A image looks like in domain B (the layout `diptych samples` writes; any
// paired data laid out so works too). The engine scores at the start (step 0) and at every
// checkpoint; the host keeps the reports, the Run screen and `diptych demo` show them.
import { z } from 'zod';
import type { Direction } from './basics.ts';
import { ImageScores } from './compare.ts';

export const BASELINE_NAMES = ['input', 'targetMean', 'colourTransfer'] as const;
export const BaselineName = z.enum(BASELINE_NAMES);
export type BaselineName = z.infer<typeof BaselineName>;

/** What each baseline is, in words a person reads beside its numbers. */
export const BASELINE_LABELS: Record<BaselineName, string> = {
  input: 'the input itself',
  targetMean: "B's mean colour",
  colourTransfer: 'a global colour transfer',
};

/**
 * A baseline in words for a direction: BASELINE_LABELS speak of A → B, and for B → A (Compare
 * scores both where the truth is known) the constant image is A's mean colour.
 */
export function baselineLabel(name: BaselineName, direction: Direction): string {
  return direction === 'BtoA' && name === 'targetMean' ? "A's mean colour" : BASELINE_LABELS[name];
}

/** The most A images a run is scored on at each checkpoint (the first ones by name). */
export const TRUTH_MAX_IMAGES = 32;

export const TruthReport = z.object({
  step: z.number().int().min(0),
  /** A images scored, and the side they were scored at (the run's crop size). */
  images: z.number().int().min(1),
  size: z.number().int().min(1),
  /** G_A's translations against the truth (means over the images). */
  model: ImageScores,
  baselines: z.object({ input: ImageScores, targetMean: ImageScores, colourTransfer: ImageScores }),
  /** The baseline with the highest PSNR: the one to beat. */
  best: BaselineName,
  /** model.psnr − baselines[best].psnr, in dB: positive when the model beats every trivial answer. */
  gainDb: z.number(),
});
export type TruthReport = z.infer<typeof TruthReport>;

/** Where a run's ground truth is: the truth file of each scored A file, in the same order. */
export interface TruthFiles {
  a: string[];
  truth: string[];
}
