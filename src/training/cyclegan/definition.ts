// CycleGAN as the trainer skeleton takes it (src/training/trainer): its four networks and two Adams,
// one step on one image per domain, the image pools as extra checkpoint state, the six-column
// preview, G_A for the ground-truth report, and its checkpoints' translator (both directions).
import type * as tf from '@tensorflow/tfjs-core';
import { MODELS } from '../../shared/models.ts';
import type { CycleGanConfig } from '../../shared/run-config.ts';
import { keyedRandom } from '../data/random.ts';
import { loadCycleGanTranslator } from '../inference/cyclegan-translator.ts';
import { scheduleOfConfig } from '../schedule.ts';
import type { ModelDefinition, ModelTrainer } from '../trainer/model-definition.ts';
import { disposeNetworks, networksForConfig } from './networks.ts';
import { createImagePool, type PoolState } from './pool.ts';
import { loadPreviewSamples, writeCycleGanPreview } from './previews.ts';
import { CYCLEGAN_LOSS_NAMES, createCycleGanStepper } from './step.ts';

/** Key of the pools' random stream (the data pipeline's streams use other keys). */
const POOL_STREAM = 0x9001;
const PENALTY_STREAM = 0x9002;

async function createCycleGanTrainer(
  config: CycleGanConfig,
  files: { filesA: readonly string[]; filesB: readonly string[] },
): Promise<ModelTrainer> {
  const nets = networksForConfig(config);
  // Pool draws of step k come from a generator keyed by (seed, k): see data/random.ts.
  let stepRandom = keyedRandom(config.seed, 0, POOL_STREAM);
  let currentStep = 0;
  const random = () => stepRandom();
  const pools = { A: createImagePool(config.poolSize, random), B: createImagePool(config.poolSize, random) };
  const stepper = createCycleGanStepper(nets, {
    objective: config.ganMode,
    lambdaA: config.lambdaA,
    lambdaB: config.lambdaB,
    lambdaIdentity: config.lambdaIdentity,
    learningRate: config.lr,
    beta1: config.beta1,
    lambdaGp: config.lambdaGp,
    nCritic: config.nCritic,
    penaltySeed: (critic) => keyedRandom(config.seed, currentStep, PENALTY_STREAM, critic)() * 2 ** 31,
    poolA: (fake) => pools.A.query(fake),
    poolB: (fake) => pools.B.query(fake),
  });
  let samples: Awaited<ReturnType<typeof loadPreviewSamples>>;
  try {
    samples = await loadPreviewSamples(files.filesA, files.filesB, config.previewSamples, config.cropSize);
  } catch (error) {
    pools.A.dispose();
    pools.B.dispose();
    stepper.dispose();
    disposeNetworks(nets);
    throw error;
  }

  return {
    batchSize: 1,
    schedule: scheduleOfConfig(config),
    networks: { G_A: nets.G_A.params, G_B: nets.G_B.params, D_A: nets.D_A.params, D_B: nets.D_B.params },
    optimizers: stepper.optimizers,
    step(real, step) {
      stepRandom = keyedRandom(config.seed, step, POOL_STREAM);
      currentStep = step;
      return stepper.step(real.a, real.b);
    },
    writePreview: (file) => writeCycleGanPreview(nets, samples, file),
    saveExtraState: async () => ({ A: await pools.A.exportState(), B: await pools.B.exportState() }),
    restoreExtraState(states: Record<string, PoolState>) {
      for (const [name, state] of Object.entries(states)) {
        if (name !== 'A' && name !== 'B') continue;
        pools[name].dispose();
        pools[name] = createImagePool(config.poolSize, random, state);
      }
    },
    translateAtoB: (images: tf.Tensor4D) => nets.G_A.apply(images) as tf.Tensor4D,
    dispose() {
      samples.a.dispose();
      samples.b.dispose();
      pools.A.dispose();
      pools.B.dispose();
      stepper.dispose();
      disposeNetworks(nets);
    },
  };
}

export const cycleGanModel: ModelDefinition<CycleGanConfig> = {
  name: 'cyclegan',
  // The shared facts' directions (src/shared/models.ts), which the host and the UI read too.
  directions: MODELS.cyclegan.directions,
  lossNames: CYCLEGAN_LOSS_NAMES,
  createTrainer: createCycleGanTrainer,
  loadTranslator: (dir, manifest, options) => loadCycleGanTranslator(dir, manifest, options),
};
