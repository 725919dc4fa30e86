// CUT and FastCUT as the trainer skeleton takes them (src/training/trainer): G, D and the patch heads
// F with their three Adams (the reference schedules optimizer_F with the others), one step on one
// image per domain whose patch draws and FastCUT flips come from a stream keyed by (seed, step) so a
// resume draws the same, the four-column preview, G for the ground-truth report, and a translator
// that offers A → B only.
import type * as tf from '@tensorflow/tfjs-core';
import { MODELS } from '../../shared/models.ts';
import type { CutConfig } from '../../shared/run-config.ts';
import { keyedRandom } from '../data/random.ts';
import { scheduleOfConfig } from '../schedule.ts';
import type { ModelDefinition, ModelTrainer } from '../trainer/model-definition.ts';
import { cutNetworksForConfig, cutStores, disposeCutNetworks } from './networks.ts';
import { loadPreviewSamples, writeCutPreview } from './previews.ts';
import { CUT_LOSS_NAMES, createCutStepper, cutLossNames, cutStepOptions } from './step.ts';
import { loadCutTranslator } from './translator.ts';

/** Key of the patch/flip random stream (the pools use 0x9001, penalties 0x9002). */
const PATCH_STREAM = 0x9003;

async function createCutTrainer(
  config: CutConfig,
  files: { filesA: readonly string[]; filesB: readonly string[] },
): Promise<ModelTrainer> {
  const nets = cutNetworksForConfig(config);
  let stepRandom = keyedRandom(config.seed, 0, PATCH_STREAM);
  const stepper = createCutStepper(
    nets,
    cutStepOptions(config, () => stepRandom()),
  );
  let samples: Awaited<ReturnType<typeof loadPreviewSamples>>;
  try {
    samples = await loadPreviewSamples(files.filesA, files.filesB, config.previewSamples, config.cropSize);
  } catch (error) {
    stepper.dispose();
    disposeCutNetworks(nets);
    throw error;
  }
  const reported = cutLossNames(config);

  return {
    batchSize: 1,
    schedule: scheduleOfConfig(config),
    networks: cutStores(nets),
    optimizers: stepper.optimizers,
    async step(real, step) {
      stepRandom = keyedRandom(config.seed, step, PATCH_STREAM);
      const losses = await stepper.step(real.a, real.b);
      // FastCUT has no identity term: its NCE_Y is not a loss of the run, so it is not charted.
      return Object.fromEntries(reported.map((name) => [name, losses[name]]));
    },
    writePreview: (file) => writeCutPreview(nets.G, samples, file),
    translateAtoB: (images: tf.Tensor4D) => nets.G.apply(images) as tf.Tensor4D,
    dispose() {
      samples.a.dispose();
      samples.b.dispose();
      stepper.dispose();
      disposeCutNetworks(nets);
    },
  };
}

export const cutModel: ModelDefinition<CutConfig> = {
  name: 'cut',
  directions: MODELS.cut.directions,
  lossNames: CUT_LOSS_NAMES,
  createTrainer: createCutTrainer,
  loadTranslator: (dir, manifest, options) => loadCutTranslator(dir, manifest, options),
};
