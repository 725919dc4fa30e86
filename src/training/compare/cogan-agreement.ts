// A CoGAN checkpoint's pixel agreement for the compare table: the same measurement the trainer
// logs at its checkpoints (cogan/agreement.ts, the same codes), under the relation the run was
// trained with, or the one the compared image set is known to have when the run named none.
import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointScores, KnownRelation } from '../../shared/compare.ts';
import { measureAgreement } from '../cogan/agreement.ts';
import { LATENT_STREAM, latentCodes } from '../cogan/latent.ts';
import { loadCoGanFromCheckpoint } from '../cogan/load.ts';

export async function coganAgreementFor(
  checkpointDir: string,
  setRelation: KnownRelation | null,
): Promise<CheckpointScores['agreement']> {
  const loaded = await loadCoGanFromCheckpoint(checkpointDir);
  try {
    const { config } = loaded;
    const relation = config.relation !== 'none' ? config.relation : setRelation;
    if (!relation) return null;
    const codes = latentCodes(
      Math.max(2, config.agreementSamples),
      config.zDim,
      config.seed,
      0,
      LATENT_STREAM.agreement,
    );
    try {
      return await measureAgreement(loaded.G, relation, codes, config.agreementTolerance);
    } finally {
      tf.dispose(codes);
    }
  } finally {
    loaded.dispose();
  }
}
