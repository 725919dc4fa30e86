// A comparison inside an engine process: loads the image set once (and its ground truth), scores
// the trivial baselines against that truth (once per image set: they involve no checkpoint), writes
// the input tiles, then opens each checkpoint in turn as a Translator, scores it, reports the
// scores and frees it, so memory holds one checkpoint at a time however many are compared.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Direction } from '../../shared/basics.ts';
import type { CompareEngineEvent, CompareJob, TruthSource } from '../../shared/compare.ts';
import { conversionEngineWords } from '../../shared/convert.ts';
import { loadImageForPreview } from '../data/load-image.ts';
import { loadTranslator } from '../inference/index.ts';
import { coganAgreementFor } from './cogan-agreement.ts';
import { truthByRelation } from './ground-truth.ts';
import { scoreBaselines } from './score-baselines.ts';
import { type CompareImages, scoreCheckpoint } from './score-checkpoint.ts';
import { writeTile } from './tiles.ts';

async function loadBatch(files: string[], size: number): Promise<tf.Tensor4D> {
  const images = await Promise.all(files.map((file) => loadImageForPreview(file, size)));
  const data = new Float32Array(files.length * size * size * 3);
  for (const [i, image] of images.entries()) data.set(image.data, i * size * size * 3);
  return tf.tensor4d(data, [files.length, size, size, 3]);
}

async function loadTruth(
  source: TruthSource | null,
  direction: Direction,
  inputs: tf.Tensor4D,
  size: number,
): Promise<tf.Tensor4D | null> {
  if (!source) return null;
  if (source.kind === 'relation') return truthByRelation(source.relation, direction, inputs);
  if (source.files.length !== inputs.shape[0])
    throw new Error(`${source.files.length} ground-truth files for ${inputs.shape[0]} images`);
  return loadBatch(source.files, size);
}

export async function runCompareJob(job: CompareJob, emit: (event: CompareEngineEvent) => void): Promise<void> {
  if (job.images.A.length === 0 || job.images.B.length === 0)
    throw new Error('a comparison needs images of both domains');
  const A = await loadBatch(job.images.A, job.size);
  const B = await loadBatch(job.images.B, job.size);
  const images: CompareImages = {
    A,
    B,
    truth: {
      AtoB: await loadTruth(job.truth.AtoB, 'AtoB', A, job.size),
      BtoA: await loadTruth(job.truth.BtoA, 'BtoA', B, job.size),
    },
  };
  const relations = [job.truth.AtoB, job.truth.BtoA].flatMap((t) => (t?.kind === 'relation' ? [t.relation] : []));
  const setRelation = relations[0] ?? null;
  try {
    // A→B answers the A images with B's statistics; B→A the other way round.
    const { AtoB, BtoA } = images.truth;
    emit({
      type: 'compare-baselines',
      jobId: job.jobId,
      baselines: {
        AtoB: AtoB ? await scoreBaselines(A, B, AtoB) : null,
        BtoA: BtoA ? await scoreBaselines(B, A, BtoA) : null,
      },
    });
    for (const [domain, batch] of [
      ['A', A],
      ['B', B],
    ] as const) {
      const truth = images.truth[domain === 'A' ? 'AtoB' : 'BtoA'];
      for (let i = 0; i < batch.shape[0]; i++) {
        await writeTile(batch, i, path.join(job.inputsDir, domain, `${i}.png`));
        if (truth) await writeTile(truth, i, path.join(job.inputsDir, domain, `${i}-truth.png`));
      }
    }
    for (const checkpoint of job.checkpoints) {
      const translator = await loadTranslator(checkpoint.dir);
      try {
        const scores = await scoreCheckpoint(translator, images, {
          outDir: checkpoint.outDir,
          onProgress: (done, total) =>
            emit({ type: 'compare-progress', jobId: job.jobId, key: checkpoint.key, done, total }),
          agreement: translator.model === 'cogan' ? () => coganAgreementFor(checkpoint.dir, setRelation) : undefined,
        });
        const engine = conversionEngineWords({
          engine: translator.engine,
          engineNote: translator.engineNote,
          backend: tf.getBackend(),
        });
        emit({ type: 'compare-checkpoint', jobId: job.jobId, key: checkpoint.key, scores: { ...scores, engine } });
      } finally {
        translator.dispose();
      }
    }
    emit({ type: 'compare-finished', jobId: job.jobId });
  } finally {
    tf.dispose([A, B, ...Object.values(images.truth).filter((t): t is tf.Tensor4D => t !== null)]);
  }
}
